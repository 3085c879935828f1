"""``run_one(config, seed) -> RunResult``: the one function every runner calls.

It is a picklable top-level function of (resolved configuration, seed) only, so
replicates, batches, calibration and sensitivity analysis give the same answer on any
backend. ``RunResult`` holds the tables of DESIGN.md §4 for one replicate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.career_model import CareerModel
from model.config import ModelConfig
from model.contracts import HIRE_GROUPS
from model.observe import EVENT_COLUMNS, career_table
from model.parameters import EXIT_REASONS
from model.retention import retention_curves
from model.survey import sample_survey

HEADLINE_YEARS = (5, 10)


@dataclass
class RunResult:
    """The tables of one replicate (each with a ``rep`` column)."""

    yearly: pd.DataFrame
    careers: pd.DataFrame
    events: pd.DataFrame
    survey: pd.DataFrame
    horizon: int
    seed: int | None = None
    rep: int = 0

    def retention(self) -> pd.DataFrame:
        """Kaplan–Meier retention by group (Greenwood bands, one replicate)."""
        return retention_curves(self.careers, self.horizon)

    def metrics(self) -> dict[str, float]:
        """Headline metrics of this replicate (see ``headline_metrics``)."""
        return headline_metrics(self)


def run_one(config: ModelConfig, seed: int | np.random.SeedSequence, rep: int = 0) -> RunResult:
    """Simulate one replicate of ``config`` from ``seed`` and return its tables."""
    model = CareerModel(config, seed).run()
    careers = career_table(model)
    careers.insert(0, "rep", rep)
    yearly = pd.DataFrame(model.yearly_rows)
    yearly.insert(0, "rep", rep)
    events = model.events.frame() if model.events is not None else pd.DataFrame(columns=EVENT_COLUMNS)
    events.insert(0, "rep", rep)
    survey = sample_survey(model)
    survey.insert(0, "rep", rep)
    seed_value = seed.entropy if isinstance(seed, np.random.SeedSequence) else seed
    return RunResult(yearly=yearly, careers=careers, events=events, survey=survey, horizon=config.run.years, seed=seed_value, rep=rep)


def _at(curves: pd.DataFrame, group: str, years: int) -> float:
    row = curves[(curves["group"] == group) & (curves["years_since_entry"] == years)]
    return float(row["retained"].iloc[0]) if len(row) else math.nan


EQUITY_GAPS = {  # name: (advantaged group, disadvantaged group)
    "carer": ("carer:no", "carer:yes"),
    "disabled": ("disabled:no", "disabled:yes"),
    "working_class": ("working_class:no", "working_class:yes"),
    "gender": ("gender:man", "gender:woman"),
}


def headline_metrics(result: RunResult) -> dict[str, float]:
    """Retention at 5 and 10 years (all and by group), equity gaps, contracts, satisfaction, exits, cost.

    Equity gaps are advantaged minus disadvantaged retention at 10 years (positive = inequity).
    """
    curves = result.retention()
    out: dict[str, float] = {}
    for years in HEADLINE_YEARS:
        for group in curves["group"].unique():
            key = "retention" if group == "all" else f"retention_{group.replace(':', '_')}"
            out[f"{key}_{years}y"] = _at(curves, group, years)
    for name, (adv, dis) in EQUITY_GAPS.items():
        out[f"equity_gap_{name}_10y"] = _at(curves, adv, 10) - _at(curves, dis, 10)
    y = result.yearly
    out["share_fixed_term"] = float(y["share_fixed_term"].mean())
    out["share_fixed_term_final"] = float(y["share_fixed_term"].iloc[-1])
    out["satisfied_permanent"] = float(y["sat_satisfied_permanent"].mean())
    out["satisfied_non_permanent"] = float(y["sat_satisfied_non_permanent"].mean())
    out["neither_share"] = float(y["sat_neither"].mean())
    for reason in EXIT_REASONS:
        out[f"exits_{reason}"] = float(y[f"exits_{reason}"].sum())
    out["exits_total"] = float(y["exits_total"].sum())
    out["gap_incidence"] = float(y["gap_incidence"].mean())
    out["active_final"] = float(y["active"].iloc[-1])
    out.update(flow_metrics(y))
    return out


def flow_metrics(y: pd.DataFrame) -> dict[str, float]:
    """Flows over the horizon, raw and discounted to year 0 (``discount_factor`` = (1 + r)^-year).

    ``researcher_years``: person-years in research (in post or between posts), counted
    monthly; ``employed_years``: person-years in post; ``policy_cost``: every policy's
    spending in the year it is booked; ``entrants_hired``: first post-doctoral posts.
    """
    d = y["discount_factor"]
    out = {
        "researcher_years": float(y["researcher_years"].sum()),
        "researcher_years_pv": float((y["researcher_years"] * d).sum()),
        "employed_years": float(y["employed_years"].sum()),
        "employed_years_pv": float((y["employed_years"] * d).sum()),
        "policy_cost": float(y["policy_spend"].sum()),
        "policy_cost_pv": float((y["policy_spend"] * d).sum()),
        "entrants_hired": float(y["entrants_hired"].sum()),
        **{f"entrants_hired_{g}": float(y[f"entrants_hired_{g}"].sum()) for g in HIRE_GROUPS},
        "posts_funded_mean": float(y["posts_funded"].mean()),
        "grant_posts_created": float(y["grant_posts_created"].sum()),
    }
    return out
