"""Nuisance parameters solved for, not sampled.

A parameter that changes nothing but one target's measure, and changes it in
proportion, need not be searched: at any point of the design its best value follows
from the target. ``survey.secure_share`` is one: a respondent in a secure position says
they feel secure with that probability, so the simulated share feeling secure is
``secure_share × (share in a secure position)``, and the survey answer feeds back into
nothing. At each design point the parameter is set to ``target / E[secure position]``,
clipped to its prior range; the target then rules a point out only when no allowed value
can reproduce it (the secure share of the population is too small or too large).
Searching such a parameter instead thins the design at random without learning anything.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SolvedParameter:
    """``target``'s measure = parameter × measure ``via`` (in expectation); the parameter's range is [low, high]."""

    path: str
    target: str
    via: str
    low: float
    high: float
    why: str


def solve(sp: SolvedParameter, observed: float, measure: str, runs: Sequence[dict[str, float]]) -> tuple[float, list[dict[str, float]]]:
    """The solved value at one point, and its replicate measures with the target's measure as it would be at that value."""
    vals = np.array([r.get(sp.via, math.nan) for r in runs], dtype=float)
    vals = vals[np.isfinite(vals)]
    via = float(vals.mean()) if len(vals) else math.nan
    value = sp.high if not (via > 0) else min(sp.high, max(sp.low, observed / via))
    value = round(value, 6)
    adjusted = [{**r, measure: value * r[sp.via] if r.get(sp.via) is not None and math.isfinite(r[sp.via]) else math.nan} for r in runs]
    return value, adjusted
