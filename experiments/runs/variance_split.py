"""How much of an effect's spread comes from parameters: a one-way random-effects fit with an interval.

Model: the paired effect of replicate ``r`` at parameter set ``s`` is
``d[s, r] = mu + a_s + e_sr`` with ``a_s ~ N(0, sigma_b^2)`` (parameters) and
``e_sr ~ N(0, sigma_w^2)`` (run-to-run noise). The variance components are fitted by
**REML**: in closed form when every set has the same number of replicates (then REML is
the ANOVA estimate, set to the boundary ``sigma_b^2 = 0`` with ``sigma_w^2 = SST/(N-1)``
when the between-set mean square falls below the within one), otherwise by statsmodels'
``MixedLM``. The **parameter share** ``rho = sigma_b^2 / (sigma_b^2 + sigma_w^2)`` gets a
95% interval from ``F = MSB/MSW``, which is ``(1 + r*theta)`` times an F(K-1, K(R-1))
variable (``theta = sigma_b^2/sigma_w^2``), so inverting it gives an exact interval for a
balanced design (Searle 1971, *Linear Models*, section 9.7; Shrout & Fleiss 1979, ICC(1)).
With unequal replicates ``r`` is the usual ``n0 = (N - sum n_s^2 / N)/(K - 1)`` and the
interval is approximate. A point estimate of 0 with an interval [0, 35%] says "not
distinguishable from zero with this design", not "zero".
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
from scipy import stats

LEVEL = 0.95


@dataclass(frozen=True)
class Split:
    """Variance components of ``d[set, rep]`` and the parameter share with its interval."""

    mean: float  # grand mean of the set means (each set weighted equally)
    between: float  # sigma_b^2, REML
    within: float  # sigma_w^2, REML
    share_low: float
    share_high: float
    k: int  # sets with at least one finite value
    r: float  # replicates per set (n0 when unequal)
    balanced: bool

    @property
    def share(self) -> float:
        """The parameter share of the total variance (REML point estimate)."""
        total = self.between + self.within
        return self.between / total if total > 0 else math.nan


def _rows(d: np.ndarray) -> list[np.ndarray]:
    d = np.atleast_2d(np.asarray(d, dtype=float))
    return [row[np.isfinite(row)] for row in d if np.isfinite(row).any()]


def _reml_unbalanced(rows: list[np.ndarray]) -> tuple[float, float]:
    """sigma_b^2 and sigma_w^2 by statsmodels' MixedLM (REML, random intercept per set)."""
    from statsmodels.regression.mixed_linear_model import MixedLM

    y = np.concatenate(rows)
    groups = np.repeat(np.arange(len(rows)), [len(r) for r in rows])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # boundary fits (sigma_b^2 = 0) warn; the boundary is a valid REML answer
        fit = MixedLM(y, np.ones((len(y), 1)), groups).fit(reml=True)
    return max(float(np.asarray(fit.cov_re)[0, 0]), 0.0), float(fit.scale)


def one_way_split(d: np.ndarray, level: float = LEVEL) -> Split | None:
    """The split of ``d[set, rep]`` (NaN cells ignored); None with fewer than 2 sets or no replicated set."""
    rows = _rows(d)
    k = len(rows)
    n_s = np.array([len(r) for r in rows], dtype=float)
    n = float(n_s.sum())
    if k < 2 or n - k < 1:
        return None
    means = np.array([r.mean() for r in rows])
    grand = float(np.concatenate(rows).mean())
    ssb = float(np.sum(n_s * (means - grand) ** 2))
    ssw = float(sum(((r - r.mean()) ** 2).sum() for r in rows))
    msb, msw = ssb / (k - 1), ssw / (n - k)
    balanced = bool(np.all(n_s == n_s[0]))
    r0 = float(n_s[0]) if balanced else float((n - np.sum(n_s**2) / n) / (k - 1))
    if balanced:
        between, within = ((msb - msw) / r0, msw) if msb > msw else (0.0, (ssb + ssw) / (n - 1))
    else:
        between, within = _reml_unbalanced(rows)
    low, high = share_interval(msb, msw, k - 1, n - k, r0, level)
    return Split(float(means.mean()), between, within, low, high, k, r0, balanced)


def share_interval(msb: float, msw: float, df1: float, df2: float, r: float, level: float = LEVEL) -> tuple[float, float]:
    """Interval for ``rho`` from ``F = msb/msw ~ (1 + r*theta) F(df1, df2)`` (exact for a balanced design)."""
    if msw <= 0:
        return (math.nan, math.nan) if msb <= 0 else (1.0, 1.0)
    f = msb / msw
    tail = (1 - level) / 2
    f_low, f_high = f / stats.f.ppf(1 - tail, df1, df2), f / stats.f.ppf(tail, df1, df2)

    def share(x: float) -> float:
        return min(max((x - 1) / (x - 1 + r), 0.0), 1.0) if x - 1 + r > 0 else 0.0

    return share(f_low), share(f_high)
