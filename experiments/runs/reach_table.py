"""``reach.csv``: whom each policy reached, and what it spent on each group, averaged over replicates.

Each replicate's model books its policies' reach (``model/reach.py``: totals over the
reported horizon per policy × benefit × group value). This module averages those totals
over replicates (a replicate in which a policy booked nothing counts as zero) and adds
the shares and yearly rates a reader wants. Columns, all means per replicate over the
reported horizon unless the name says otherwise:

- ``scenario, policy, benefit, group, value`` — the row (``group`` is ``all``, ``gender``,
  ``working_class``, ``disabled``, ``carer``, ``stage``, ``sector`` or ``safety_net``);
- ``eligible_people``, ``reached_people`` — distinct researchers eligible / reached while
  in the group; ``reached_share_of_eligible`` — their ratio (0-1);
- ``coverage_achieved`` — reached / eligible researcher-decisions (0-1): the share of the
  eligible reached when the policy decided, the figure a ``coverage`` setting declares;
- ``reached_person_months`` — months of benefit received;
- ``spend_gbp`` — pounds spent on the group's members over the horizon (undiscounted);
  ``spend_gbp_per_year`` — the same a year; ``overhead_gbp_per_year`` — spent on no one in
  particular (running costs; ``all`` rows only);
- ``leakage_people`` — reached though not eligible (zero unless a policy is defective);
- ``budget_gbp_per_year`` — the policy's declared yearly budget, where it has one;
- ``years``, ``reps`` — the horizon and the number of replicates averaged.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from model.reach import REACH_COLUMNS

KEYS = ["policy", "benefit", "group", "value"]
TOTALS = [c for c in REACH_COLUMNS if c not in KEYS]
REACH_CSV_COLUMNS = [
    "scenario", *KEYS, "eligible_people", "reached_people", "reached_share_of_eligible", "coverage_achieved", "reached_person_months",
    "spend_gbp", "spend_gbp_per_year", "overhead_gbp_per_year", "leakage_people", "budget_gbp_per_year", "years", "reps",
]  # fmt: skip


def reach_summary(name: str, per_rep: pd.DataFrame, reps: int, years: int, policies: list[Any]) -> pd.DataFrame:
    """Mean reach over ``reps`` replicates of one scenario (``per_rep``: the replicates' ``model/reach.py`` rows)."""
    if per_rep.empty or reps == 0:
        return pd.DataFrame(columns=REACH_CSV_COLUMNS)
    order = per_rep[KEYS].drop_duplicates()
    sums = per_rep.groupby(KEYS, sort=False)[TOTALS].sum().reindex(pd.MultiIndex.from_frame(order))
    mean = (sums / reps).reset_index()
    budgets = {p.policy_type: float(getattr(p, "yearly_budget", math.nan)) for p in policies}
    out = pd.DataFrame({"scenario": name, **{k: mean[k] for k in KEYS}})
    out["eligible_people"] = mean["eligible_people"]
    out["reached_people"] = mean["reached_people"]
    with np.errstate(invalid="ignore", divide="ignore"):
        out["reached_share_of_eligible"] = np.where(mean["eligible_people"] > 0, mean["reached_people"] / mean["eligible_people"], np.nan)
        out["coverage_achieved"] = np.where(mean["eligible_decisions"] > 0, mean["reached_decisions"] / mean["eligible_decisions"], np.nan)
    out["reached_person_months"] = mean["reached_person_months"]
    out["spend_gbp"] = mean["spend_gbp"]
    out["spend_gbp_per_year"] = mean["spend_gbp"] / years
    out["overhead_gbp_per_year"] = mean["overhead_gbp"] / years
    out["leakage_people"] = mean["leakage_people"]
    out["budget_gbp_per_year"] = [budgets.get(p, math.nan) for p in mean["policy"]]
    out["years"] = years
    out["reps"] = reps
    return out[REACH_CSV_COLUMNS]


def scenario_reach(run: Any) -> pd.DataFrame:
    """``reach_summary`` of a ``ScenarioRun``."""
    return reach_summary(run.name, run.reach, run.reps, run.horizon, list(run.config.policies))


def write_reach(runs: list[Any], path: Path) -> pd.DataFrame:
    """Write ``reach.csv`` for every scenario run in ``runs`` (those without policies add no rows); return the table."""
    frames = [f for f in (scenario_reach(r) for r in runs) if len(f)]
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=REACH_CSV_COLUMNS)
    table.to_csv(path, index=False)
    return table


def budget_notes(config: Any) -> list[str]:
    """One line per policy with a yearly budget: the budget used and what it is per researcher at this population.

    Budgets are pounds a year for the whole modelled population and are never rescaled with
    ``run.population`` (``--population``): the same £1m goes ten times as far per researcher
    at 400 researchers as at 4,000, so the commands say so.
    """
    n = config.run.population
    notes = []
    for p in config.policies:
        budget = getattr(p, "yearly_budget", None)
        if budget is None:
            continue
        from model.formats import money

        notes.append(
            f"{p.policy_type}: budget {money(budget)} a year for the modelled population of {n:,} researchers "
            f"({money(budget / n)} per researcher; absolute, not scaled with --population)"
        )
    return notes
