"""``run_one(config, seed) -> RunResult``: the one function every runner calls.

It is a picklable top-level function of (resolved configuration, seed) only, so
replicates, batches, calibration and sensitivity analysis give the same answer on any
backend. ``RunResult`` holds the tables of DESIGN.md §4 for one replicate.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from model.career_model import CareerModel
from model.config import ModelConfig
from model.contracts import HIRE_GROUPS
from model.observe import EVENT_COLUMNS, EventLog, career_columns, career_frame
from model.parameters import EXIT_REASONS, STAGES
from model.population import NO_YEAR
from model.reach import REACH_COLUMNS
from model.retention import EQUITY_GAPS, HEADLINE_YEARS, fixed_cohort_retention, retention_curves, survival_by_group
from model.survey import sample_survey


class RunResult:
    """The tables of one replicate (each with a ``rep`` column).

    ``careers`` and ``events`` are built on first use from the columns the run kept:
    runs whose caller reads only ``metrics()`` (batches, calibration, sensitivity) never
    build them. ``metrics()`` works on the columns directly.
    """

    def __init__(
        self,
        yearly: pd.DataFrame,
        careers: pd.DataFrame | None = None,
        events: pd.DataFrame | None = None,
        survey: pd.DataFrame | None = None,
        horizon: int = 0,
        seed: int | None = None,
        rep: int = 0,
        *,
        career_cols: dict[str, np.ndarray] | None = None,
        event_log: EventLog | None = None,
        reach: pd.DataFrame | None = None,
    ) -> None:
        if careers is None and career_cols is None:
            raise ValueError("RunResult needs the careers table or the career columns")
        self.yearly = yearly
        self.survey = survey if survey is not None else pd.DataFrame()
        self.horizon = horizon
        self.seed = seed
        self.rep = rep
        self.career_cols = career_cols
        self._careers = careers
        self._events = events
        self._event_log = event_log
        # Whom each policy reached (model/reach.py), one row per policy × benefit × group value.
        self.reach = reach if reach is not None else pd.DataFrame(columns=REACH_COLUMNS)

    @property
    def careers(self) -> pd.DataFrame:
        """One row per researcher active at any time in the reported horizon."""
        if self._careers is None:
            careers = career_frame(self.career_cols)  # type: ignore[arg-type]
            careers.insert(0, "rep", self.rep)
            self._careers = careers
        return self._careers

    @property
    def events(self) -> pd.DataFrame:
        """The event log (empty unless the run kept it: ``run.log_events``)."""
        if self._events is None:
            events = self._event_log.frame() if self._event_log is not None else pd.DataFrame(columns=EVENT_COLUMNS)
            events.insert(0, "rep", self.rep)
            self._events, self._event_log = events, None
        return self._events

    def retention(self) -> pd.DataFrame:
        """Kaplan–Meier retention by group (Greenwood bands, one replicate)."""
        return retention_curves(self.careers, self.horizon)

    def metrics(self) -> dict[str, float]:
        """Headline metrics of this replicate (see ``headline_metrics``)."""
        return headline_metrics(self)


def run_one(config: ModelConfig, seed: int | np.random.SeedSequence, rep: int = 0) -> RunResult:
    """Simulate one replicate of ``config`` from ``seed`` and return its tables."""
    model = CareerModel(config, seed).run()
    yearly = pd.DataFrame(model.yearly_rows)
    yearly.insert(0, "rep", rep)
    survey = sample_survey(model)
    survey.insert(0, "rep", rep)
    cols, log = career_columns(model), model.events
    reach = model.reach.table()
    reach.insert(0, "rep", rep)
    model.close()  # freed now, not by the garbage collector during the next run
    seed_value = seed.entropy if isinstance(seed, np.random.SeedSequence) else seed
    return RunResult(yearly=yearly, survey=survey, horizon=config.run.years, seed=seed_value, rep=rep, career_cols=cols, event_log=log, reach=reach)


def survival_curves(result: RunResult) -> dict[str, np.ndarray]:
    """Kaplan–Meier survival at t = 0..horizon per group: from the career columns (numpy) when kept, else the table."""
    if result.career_cols is not None:
        return survival_by_group(result.career_cols, result.horizon)
    curves = result.retention()
    return {g: sub.sort_values("years_since_entry")["retained"].to_numpy() for g, sub in curves.groupby("group", sort=False)}


def cohort_metrics(result: RunResult, years: int = 10) -> dict[str, float]:
    """``cohort_retention_{years}y`` (the year-0 cohort) and ``doctoral_retention_{years}y`` (doctoral entrants).

    Cohorts no policy changes, read beside entrants' retention (``retention_{years}y``),
    whose people differ between scenarios when a policy changes who enters.
    """
    if result.career_cols is not None:
        c = result.career_cols
        entry, exit_year, stage = c["entry_year"], c["exit_year"], c["entry_stage"]
    else:
        c = result.careers
        entry = c["entry_year"].to_numpy(np.int64)
        exit_year = c["exit_year"].fillna(NO_YEAR).to_numpy(np.int64)
        stage = c["entry_stage"].map({s: i for i, s in enumerate(STAGES)}).to_numpy()
    r = fixed_cohort_retention(entry, exit_year, stage, result.horizon, years)
    return {f"cohort_retention_{years}y": r["cohort"], f"doctoral_retention_{years}y": r["doctoral"]}


def _at(curves: dict[str, np.ndarray], group: str, years: int) -> float:
    surv = curves.get(group)
    return float(surv[years]) if surv is not None and years < len(surv) else math.nan


def headline_metrics(result: RunResult) -> dict[str, float]:
    """Retention at 5 and 10 years (entrants: all and by group; fixed cohorts at 10), equity gaps, contracts, satisfaction, exits, cost.

    Equity gaps are advantaged minus disadvantaged retention at 10 years (positive = inequity).
    """
    curves = survival_curves(result)
    out: dict[str, float] = {}
    for years in HEADLINE_YEARS:
        for group in curves:
            key = "retention" if group == "all" else f"retention_{group.replace(':', '_')}"
            out[f"{key}_{years}y"] = _at(curves, group, years)
    out.update(cohort_metrics(result))
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
