"""Cost per additional researcher-year, and the writer of the funder's cost-effectiveness files.

``write_cost_effectiveness`` writes what ``compare`` publishes (incremental cost and
employed researcher-years, net monetary benefit, the acceptability curve, the efficiency
frontier; ``experiments.runs.net_benefit``). The functions below it serve the
terminal table and the cost-effectiveness plane: cost per additional researcher-year,
discounted extra cost over discounted extra researcher-years.

Both are flows over the same reported years, discounted at the configuration's
``costing.discount_rate`` (HM Treasury Green Book 3.5% a year by default) and
differenced replicate by replicate (common random numbers). The ratio's 95% interval
is a **paired bootstrap** (percentile, ``BOOTSTRAP`` resamples of whole replicates,
numerator and denominator resampled together). When the 95% t-interval of the extra
researcher-years includes zero the ratio is unbounded and reported as "not
estimable" (no point estimate, no interval).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

BOOTSTRAP = 2000
METHOD = f"paired bootstrap percentile ({BOOTSTRAP} resamples of replicates)"
NUMERATOR, DENOMINATOR = "policy_cost_pv", "researcher_years_pv"
NOT_ESTIMABLE = "not estimable: the interval of extra researcher-years includes zero"
NO_SPENDING = "not applicable: no policy spending (a scenario, not a policy)"
CE_COLUMNS = [
    "scenario", "n_reps", "extra_cost_pv", "extra_cost_pv_low", "extra_cost_pv_high",
    "extra_researcher_years_pv", "extra_researcher_years_pv_low", "extra_researcher_years_pv_high",
    "cost_per_researcher_year", "cost_per_researcher_year_low", "cost_per_researcher_year_high", "status", "interval_method",
]  # fmt: skip


def _t(x: np.ndarray) -> tuple[float, float, float]:
    n = len(x)
    mean = float(x.mean()) if n else math.nan
    if n < 2:
        return mean, math.nan, math.nan
    half = float(stats.t.ppf(0.975, n - 1)) * float(x.std(ddof=1)) / math.sqrt(n)
    return mean, mean - half, mean + half


def ratio_interval(num: np.ndarray, den: np.ndarray, seed: int = 20260223) -> tuple[float, float, float, str]:
    """Mean(num) / mean(den) with a paired-bootstrap 95% interval, or NaNs and a reason when not estimable."""
    num, den = np.asarray(num, float), np.asarray(den, float)
    ok = np.isfinite(num) & np.isfinite(den)
    num, den = num[ok], den[ok]
    if len(num) and not np.any(num):  # £0 over £x is not a cost-effectiveness ratio (e.g. a funding shock)
        return math.nan, math.nan, math.nan, NO_SPENDING
    _, lo_d, hi_d = _t(den)
    if len(den) < 2 or not (lo_d > 0 or hi_d < 0):
        return math.nan, math.nan, math.nan, NOT_ESTIMABLE
    estimate = float(num.mean() / den.mean())
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(num), size=(BOOTSTRAP, len(num)))
    nums, dens = num[pick].mean(axis=1), den[pick].mean(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        boot = np.where(dens != 0, nums / dens, np.nan)
    boot = boot[np.isfinite(boot)]
    return estimate, float(np.percentile(boot, 2.5)), float(np.percentile(boot, 97.5)), "estimable"


def paired_deltas(base: pd.DataFrame, scen: pd.DataFrame) -> pd.DataFrame:
    """Per-replicate differences (scenario − baseline) of discounted cost and researcher-years."""
    common = base.index.intersection(scen.index)
    return pd.DataFrame(
        {
            "extra_cost_pv": scen.loc[common, NUMERATOR] - base.loc[common, NUMERATOR],
            "extra_researcher_years_pv": scen.loc[common, DENOMINATOR] - base.loc[common, DENOMINATOR],
        }
    ).dropna()


def cost_effectiveness_row(base: pd.DataFrame, scen: pd.DataFrame, name: str) -> dict:
    """One row of the cost-effectiveness table for scenario ``name`` (per-replicate metrics, index = replicate)."""
    d = paired_deltas(base, scen)
    cost = _t(d["extra_cost_pv"].to_numpy())
    years = _t(d["extra_researcher_years_pv"].to_numpy())
    ratio = ratio_interval(d["extra_cost_pv"].to_numpy(), d["extra_researcher_years_pv"].to_numpy())
    return dict(zip(CE_COLUMNS, (name, len(d), *cost, *years, *ratio, METHOD), strict=True))


def cost_effectiveness_table(base: pd.DataFrame, scenarios: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The cost-effectiveness table: one row per scenario against ``base``."""
    return pd.DataFrame([cost_effectiveness_row(base, s, n) for n, s in scenarios.items()], columns=CE_COLUMNS)


def write_cost_effectiveness(baseline: str, base: pd.DataFrame, scenarios: dict[str, pd.DataFrame], folder: Path) -> None:
    """Write ``cost_effectiveness.csv``, ``ceac.csv``, ``frontier.csv`` and ``figures/ceac.png`` into ``folder``.

    Per policy against ``base`` (per-replicate metrics, index = replicate): incremental cost
    and employed researcher-years, net benefit at the declared willingness to pay, the
    acceptability curve, and the efficiency frontier of the baseline and every policy
    (``experiments.runs.net_benefit``, ``experiments.runs.frontier``).
    """
    from experiments.plots.ceac import ceac_figure
    from experiments.plots.scenarios import save_figure
    from experiments.runs.frontier import efficiency_frontier
    from experiments.runs.net_benefit import CE_COLUMNS, acceptability, policy_row
    from experiments.runs.willingness_to_pay import WTP, plausible_range

    table = pd.DataFrame([policy_row(base, s, n) for n, s in scenarios.items()], columns=CE_COLUMNS)
    table.to_csv(folder / "cost_effectiveness.csv", index=False)
    ceac = pd.concat([acceptability(base, s, n) for n, s in scenarios.items()], ignore_index=True)
    ceac.to_csv(folder / "ceac.csv", index=False)
    points = {baseline: (0.0, 0.0), **{r.policy: (r.inc_cost_pv, r.inc_employed_years_pv) for r in table.itertuples()}}
    efficiency_frontier(points).to_csv(folder / "frontier.csv", index=False)
    save_figure(ceac_figure(ceac, WTP.per_employed_year, plausible_range()), folder / "figures" / "ceac.png")
