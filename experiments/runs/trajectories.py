"""Outcomes over calendar time by scenario: the mean over replicates each year with its 95% interval.

``trajectories.csv`` (written by ``compare``) holds, per scenario, measure and reported
year, the replicate mean and the 95% t-interval of that mean: researchers in HSR
(``active``), employed researcher-years in that year (``employed_years``) and the
cumulative discounted policy cost up to that year (``cumulative_cost_pv``); and the
paired change from the baseline (replicate i minus the baseline's replicate i, same seed)
with its 95% t-interval (``change``, ``change_low``, ``change_high``). The report draws
them as calendar-time charts with bands, so a reader sees *when* an effect appears.
"""

from __future__ import annotations

import math

import pandas as pd

from experiments.intervals import t_interval

TRAJECTORY_COLUMNS = ["scenario", "measure", "year", "mean", "ci_low", "ci_high", "change", "change_low", "change_high", "n_reps"]
MEASURES = ("active", "employed_years", "cumulative_cost_pv")


def per_replicate(yearly: pd.DataFrame) -> pd.DataFrame:
    """The measures per replicate and year from a scenario's yearly table (columns rep, year, <measures>)."""
    y = yearly.sort_values(["rep", "year"])
    out = y[["rep", "year", "active", "employed_years"]].copy()
    out["cumulative_cost_pv"] = (y["policy_spend"] * y["discount_factor"]).groupby(y["rep"]).cumsum()
    return out


def trajectories(yearly_by_scenario: dict[str, pd.DataFrame], baseline: str) -> pd.DataFrame:
    """One row per scenario × measure × year: the mean over replicates, the paired change from ``baseline``, 95% intervals."""
    reps = {name: per_replicate(y).set_index(["rep", "year"]).sort_index() for name, y in yearly_by_scenario.items()}
    base = reps[baseline]
    rows = []
    for name, frame in reps.items():
        common = frame.index.intersection(base.index)
        for measure in MEASURES:
            change = (frame.loc[common, measure] - base.loc[common, measure]).groupby(level="year")
            for year, values in frame[measure].groupby(level="year"):
                mean, lo, hi, _, n = t_interval(values.tolist())
                d, d_lo, d_hi, _, _ = t_interval(change.get_group(year).tolist()) if year in change.groups else (math.nan,) * 5
                rows.append((name, measure, int(year), mean, lo, hi, d, d_lo, d_hi, n))
    return pd.DataFrame(rows, columns=TRAJECTORY_COLUMNS)
