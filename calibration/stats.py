"""Small statistics for calibration: Wilson intervals and the one acceptance rule (implausibility).

One rule decides everywhere whether a simulated figure is acceptable: history matching
rules a design point out with it, the emulator screens candidate points with it, and
``calibrate --check`` passes or fails the shipped baseline with it. A target's stated
``tolerance`` (a definition or population mismatch) is a dead band around the observed
value: a miss no larger than the tolerance is no miss at all, and only the rest is
scaled by the uncertainties.
"""

from __future__ import annotations

import math

import numpy as np

Z95 = 1.959963984540054
CUTOFF = 3.0  # Pukelsheim's three-sigma rule (any unimodal distribution has 95% of its mass within 3 SD)


def wilson(p: float, n: float, z: float = Z95) -> tuple[float, float]:
    """95% Wilson score interval of a proportion ``p`` observed in ``n`` trials."""
    if n <= 0:
        raise ValueError(f"n must be positive, got {n}")
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    lo, hi = max(0.0, centre - half), min(1.0, centre + half)
    # at p = 0 or 1 the bound is exactly 0 or 1 (the formula leaves rounding dust)
    return (0.0 if p <= 0 else lo), (1.0 if p >= 1 else hi)


def miss(observed: float, sim_mean, tolerance: float = 0.0, bound: str = "two_sided"):
    """How far the simulated mean misses the observed value beyond the tolerance (0 inside it; one-sided bounds miss one way).

    Works elementwise on arrays."""
    diff = np.asarray(sim_mean, dtype=float) - observed
    if bound == "upper":
        diff = np.maximum(0.0, diff)
    elif bound == "lower":
        diff = np.minimum(0.0, diff)
    return np.maximum(0.0, np.abs(diff) - tolerance)


def implausibility(
    observed: float,
    sim_mean,
    sim_var,
    reps: int,
    obs_var: float,
    disc_sd: float,
    bound: str = "two_sided",
    tolerance: float = 0.0,
    emulator_var=0.0,
):
    """max(0, |z - E[f(x)]| - tolerance) / sqrt(V_obs + V_disc + V_em + V_rep / R): the one acceptance rule.

    (Craig et al. 1997; Vernon et al. 2010; Andrianakis et al. 2015.) ``sim_var / reps`` is
    the uncertainty of a mean of ``reps`` replicates; ``emulator_var`` the emulator's own
    uncertainty when the mean is predicted rather than simulated. A one-sided target
    (``upper``/``lower`` bound) is implausible only on the wrong side. Scalars give a float;
    arrays (one entry per candidate point) give an array. A non-finite mean is infinitely implausible.
    """
    mean = np.asarray(sim_mean, dtype=float)
    rep = np.asarray(sim_var, dtype=float)
    rep = np.where(np.isfinite(rep), rep, 0.0) / reps if reps > 0 else np.zeros_like(rep)
    var = obs_var + disc_sd**2 + np.maximum(0.0, np.asarray(emulator_var, dtype=float)) + rep
    d = miss(observed, np.where(np.isfinite(mean), mean, 0.0), tolerance, bound)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(var > 0, d / np.sqrt(np.where(var > 0, var, 1.0)), np.where(d == 0, 0.0, np.inf))
    out = np.where(np.isfinite(mean), out, np.inf)
    return float(out) if out.ndim == 0 else out


def acceptance_interval(
    observed: float, sd: float, tolerance: float, bound: str = "two_sided", cutoff: float = CUTOFF
) -> tuple[float, float]:
    """The simulated means the rule accepts: observed ± (tolerance + cutoff × sd), open on a bound's free side, within [0, 1]."""
    half = tolerance + cutoff * sd
    lo = 0.0 if bound == "upper" else max(0.0, observed - half)
    hi = 1.0 if bound == "lower" else min(1.0, observed + half)
    return lo, hi
