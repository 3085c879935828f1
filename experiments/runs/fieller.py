"""Fieller's interval for a ratio of means from paired draws (extra cost over extra employed years).

For paired differences ``(c_i, e_i)``, ``i = 1..n``, with means ``a, b``, and the variances and
covariance of those means ``v_cc, v_ee, v_ce``, the 95% Fieller set for ``R = E[c]/E[e]`` is
every ``R`` with ``(a - R b)^2 <= t^2 (v_cc - 2 R v_ce + R^2 v_ee)`` (``t`` the 97.5% point
of Student's t on ``n - 1`` df). It is a bounded interval exactly when ``b^2 > t^2 v_ee``,
i.e. when the t-interval of the denominator excludes zero; otherwise it is the whole line
or two half-lines, and the ratio is not reported (Fieller 1954; Willan & O'Brien 1996 for
cost-effectiveness ratios). Exact for bivariate normal draws.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats


def fieller_interval(num: np.ndarray, den: np.ndarray, level: float = 0.95) -> tuple[float, float] | None:
    """The bounded Fieller interval for mean(num)/mean(den) from paired draws, or None when it is unbounded."""
    num, den = np.asarray(num, float), np.asarray(den, float)
    ok = np.isfinite(num) & np.isfinite(den)
    num, den = num[ok], den[ok]
    n = len(num)
    if n < 2:
        return None
    a, b = float(num.mean()), float(den.mean())
    cov = np.cov(num, den, ddof=1) / n
    v_cc, v_ce, v_ee = float(cov[0, 0]), float(cov[0, 1]), float(cov[1, 1])
    t2 = float(stats.t.ppf(1 - (1 - level) / 2, n - 1)) ** 2
    lead = b * b - t2 * v_ee
    if lead <= 0:
        return None
    half = a * b - t2 * v_ce
    disc = max(half * half - lead * (a * a - t2 * v_cc), 0.0)  # >= 0 whenever lead > 0; guard rounding
    root = math.sqrt(disc)
    return (half - root) / lead, (half + root) / lead
