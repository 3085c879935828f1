"""Space-filling designs for history matching: Sobol' points, the unit cube and back, maximin subsets."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
from scipy.stats import qmc

from calibration.free_parameters import FreeParameter


def sobol(d: int, n: int, seed: list[int]) -> np.ndarray:
    """First ``n`` points of a seeded scrambled Sobol' sequence: a smaller budget uses a prefix of a larger one,
    so cached runs are reused when a calibration is rerun with a different budget."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*balance properties.*")
        return qmc.Sobol(d=d, scramble=True, rng=np.random.default_rng(seed)).random(n)


def scale(unit: np.ndarray, free: Sequence[FreeParameter]) -> list[dict[str, float]]:
    """Map unit-cube rows (over the prior box) to parameter dictionaries (rounded so cache keys are stable)."""
    points = []
    for row in unit:
        point = {}
        for u, p in zip(row, free, strict=True):
            v = p.low + float(u) * (p.high - p.low)
            point[p.path] = float(round(v)) if p.integer else round(v, 6)
        points.append(point)
    return points


def to_unit(points: Sequence[dict[str, float]], free: Sequence[FreeParameter]) -> np.ndarray:
    """Parameter dictionaries back to the unit cube of the prior box."""
    return np.array([[(pt[p.path] - p.low) / (p.high - p.low) for p in free] for pt in points], dtype=float).reshape(len(points), len(free))


def maximin(pool: np.ndarray, k: int, seed: int, taken: np.ndarray | None = None) -> np.ndarray:
    """Greedy farthest-point choice of ``k`` rows of ``pool``, spread out and away from ``taken`` (rows already run)."""
    if len(pool) <= k:
        return pool.copy()
    rng = np.random.default_rng(seed)
    dist = np.full(len(pool), np.inf)
    if taken is not None and len(taken):
        for row in taken:
            dist = np.minimum(dist, np.sum((pool - row) ** 2, axis=1))
    chosen = [int(rng.integers(len(pool))) if not np.isfinite(dist).any() else int(np.argmax(dist))]
    for _ in range(k - 1):
        dist = np.minimum(dist, np.sum((pool - pool[chosen[-1]]) ** 2, axis=1))
        chosen.append(int(np.argmax(dist)))
    return pool[chosen]


def jitter(points: np.ndarray, n: int, sd: float, seed: int) -> np.ndarray:
    """``n`` points drawn around ``points`` (Gaussian steps of ``sd`` in the unit cube, reflected into it)."""
    rng = np.random.default_rng(seed)
    base = points[rng.integers(len(points), size=n)]
    out = np.abs(base + rng.normal(0.0, sd, base.shape))
    return np.where(out > 1.0, 2.0 - out, out).clip(0.0, 1.0)
