"""How many parameter sets (K) and replicates per set (R) an ensemble needs: a power calculation.

The question an ensemble must answer is whether what the calibration leaves open changes
a policy's effect. Under the one-way random-effects model of
``experiments.runs.variance_split``, the 95% interval of the parameter share excludes zero
exactly when ``F = MSB/MSW`` exceeds the 97.5% point of F(K-1, K(R-1)); with a true share
``rho`` (``theta = rho/(1-rho)``), ``F`` is ``(1 + R*theta)`` times such a variable, so the
power is a closed-form F tail. The defaults are the cheapest design (fewest runs K*R per
scenario, more sets on a tie) with at least 80% power to see a share of 20% (the size
measured for bridge funding's 10-year retention effect over ten random NROY sets at
2,000 researchers and 30 years: about 17%) among designs with at least ``MIN_SETS`` sets:
fewer sets would be cheaper (8 sets x 14 replicates) but the parameter SD from K set
means has a relative standard error of about 1/sqrt(2(K-1)) (16% at K = 20, 27% at 8), and
the share of sets with the intended sign a standard error up to 0.5/sqrt(K).
"""

from __future__ import annotations

from scipy import stats

TARGET_SHARE = 0.20
TARGET_POWER = 0.80
MIN_SETS = 20
DEFAULT_K = 23  # kept equal to smallest_design() by a test
DEFAULT_REPS = 6


def share_power(rho: float, k: int, r: int, level: float = 0.95) -> float:
    """Probability that the ``level`` interval of the parameter share excludes zero when the true share is ``rho``."""
    theta = rho / (1 - rho)
    df1, df2 = k - 1, k * (r - 1)
    critical = stats.f.ppf(1 - (1 - level) / 2, df1, df2)
    return float(stats.f.sf(critical / (1 + r * theta), df1, df2))


def smallest_design(
    rho: float = TARGET_SHARE, power: float = TARGET_POWER, ks: range = range(MIN_SETS, 81), rs: range = range(2, 21)
) -> tuple[int, int]:
    """The (K, R) with power >= ``power`` at share ``rho`` and the fewest runs K*R (more sets on a tie)."""
    ok = [(k * r, -k, k, r) for k in ks for r in rs if share_power(rho, k, r) >= power]
    if not ok:
        raise ValueError(f"no design in K {ks.start}..{ks.stop - 1}, R {rs.start}..{rs.stop - 1} reaches power {power} at share {rho}")
    _, _, k, r = min(ok)
    return k, r


def power_table(
    rhos: tuple[float, ...] = (0.1, 0.2, 0.3),
    designs: tuple[tuple[int, int], ...] = ((10, 3), (8, 14), (10, 10), (20, 4), (23, 6), (30, 5), (40, 4)),
) -> list[dict]:
    """Power of each design at each share, for docs/decisions.md."""
    return [{"k": k, "reps": r, "runs": k * r, **{f"power_{rho:.0%}": share_power(rho, k, r) for rho in rhos}} for k, r in designs]
