"""The one 95% t-interval of a mean, shared by the runners, the report and the charts (a statistic, not a layer)."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
from scipy import stats


def t_interval(values: Iterable[float]) -> tuple[float, float, float, float, int]:
    """Mean, 95% t-interval (low, high), standard deviation and n of the finite values."""
    x = np.asarray([v for v in values if v is not None and math.isfinite(v)], dtype=float)
    n = len(x)
    if n == 0:
        return math.nan, math.nan, math.nan, math.nan, 0
    mean = float(x.mean())
    if n == 1:
        return mean, math.nan, math.nan, math.nan, 1
    sd = float(x.std(ddof=1))
    half = float(stats.t.ppf(0.975, n - 1)) * sd / math.sqrt(n)
    return mean, mean - half, mean + half, sd, n
