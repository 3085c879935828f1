"""Observation: the yearly aggregates, the event log and the career table.

No per-agent-per-step DataCollector (DESIGN.md §6): one row of aggregates a year, an
event log kept as vector chunks, and the career table read from the population
columns at the end.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from model.contracts import HIRE_GROUPS
from model.parameters import CONTRACTS, EXIT_REASONS, SECTORS, STAGES
from model.population import FIXED, NO_YEAR, PERMANENT

if TYPE_CHECKING:
    from model.career_model import CareerModel

EVENT_COLUMNS = ["time", "year", "researcher_id", "event", "detail"]
CAREER_COLUMNS = [
    "researcher_id", "entry_year", "entry_stage", "entry_sector", "gender", "working_class",
    "disabled", "ever_carer", "first_caring_year", "exit_year", "exit_reason", "final_stage",
    "final_contract", "gap_months_total", "bridged_months", "had_mentor",
    "first_care_intensity", "first_caring_stage", "entry_safety_net_months", "neurodivergent", "disclosed",
    "final_sector", "final_age", "part_time",
]  # fmt: skip
COUNTED = (
    "contract_ends", "gap_starts", "reemployed", "reemployed_after_2m", "promotions", "sector_moves", "funding_ends", "underwritten",
    "grant_posts_created", "vacancies_lapsed", "entrants_hired", *(f"entrants_hired_{g}" for g in HIRE_GROUPS),
)  # fmt: skip


class EventLog:
    """Events as chunks of ids sharing a time, year, kind and detail."""

    def __init__(self, model: CareerModel) -> None:
        self.model = model
        self.chunks: list[tuple[float, int, np.ndarray, str, object]] = []

    def add(self, idx: np.ndarray, event: str, detail: object = "") -> None:
        """Record ``event`` for researchers ``idx`` now; ``detail`` is a value or one per researcher."""
        if event == "exit":
            detail = EXIT_REASONS[int(detail)]  # type: ignore[arg-type]
        self.chunks.append((self.model.time, self.model.year, np.array(idx, copy=True), event, detail))

    def frame(self) -> pd.DataFrame:
        """The log as a table, in the order events happened."""
        if not self.chunks:
            return pd.DataFrame(columns=EVENT_COLUMNS)
        sizes = [len(c[2]) for c in self.chunks]
        details = []
        for (*_, detail), size in zip(self.chunks, sizes, strict=True):
            details.append(np.asarray(detail).astype(str) if np.ndim(detail) else np.full(size, str(detail), dtype=object))
        return pd.DataFrame(
            {
                "time": np.repeat([c[0] for c in self.chunks], sizes),
                "year": np.repeat([c[1] for c in self.chunks], sizes),
                "researcher_id": np.concatenate([c[2] for c in self.chunks]),
                "event": np.repeat([c[3] for c in self.chunks], sizes),
                "detail": np.concatenate(details).astype(object),
            }
        )


def _share(part: int, whole: int) -> float:
    """``part / whole`` (what the mean of a boolean array gives), NaN for nothing to share."""
    return part / whole if whole else float("nan")


def record_year(model: CareerModel, alive: np.ndarray | None = None) -> dict:
    """One row of yearly aggregates (after the yearly review); ``alive``: the active ids if already known."""
    pop = model.pop
    alive = pop.alive_idx() if alive is None else alive
    active = len(alive)
    per = 1.0 / active if active else 0.0
    stage = np.bincount(pop.stage[alive], minlength=4)
    sector = np.bincount(pop.sector[alive], minlength=3)
    contract_of = pop.contract[alive]
    contract = np.bincount(contract_of, minlength=3)
    # Satisfaction points 1..5 counted, and counted again among the permanent.
    sat = pop.satisfaction[alive]
    points = np.bincount(sat, minlength=6)
    points_permanent = np.bincount(sat[contract_of == PERMANENT], minlength=6)
    satisfied, satisfied_permanent = int(points[4] + points[5]), int(points_permanent[4] + points_permanent[5])
    row: dict = {"year": model.year, "funding_climate": model.climate, "active": active, "entrants": model.counts["entrants"]}
    for code, reason in enumerate(EXIT_REASONS):
        row[f"exits_{reason}"] = model.counts[f"exit_{code}"]
    row["exits_total"] = sum(row[f"exits_{r}"] for r in EXIT_REASONS)
    for names, counts in ((STAGES, stage), (SECTORS, sector), (CONTRACTS, contract)):
        for name, count in zip(names, counts, strict=True):
            row[f"active_{name}"] = int(count)
    employed = contract[PERMANENT] + contract[FIXED]
    row["share_fixed_term"] = contract[FIXED] / employed if employed else 0.0
    row["sat_satisfied"] = satisfied / active if active else 0.0
    row["sat_neither"] = int(points[3]) / active if active else 0.0
    row["sat_dissatisfied"] = int(points[1] + points[2]) / active if active else 0.0
    permanent = int(contract[PERMANENT])
    row["sat_satisfied_permanent"] = _share(satisfied_permanent, permanent)
    row["sat_satisfied_non_permanent"] = _share(satisfied - satisfied_permanent, active - permanent)
    row["share_carers"] = float(np.count_nonzero(pop.caring[alive])) * per
    row["share_mentored"] = float(np.count_nonzero(pop.mentor[alive] >= 0)) * per
    disabled = alive[pop.disabled[alive]]
    n_dis = len(disabled)
    row["share_disabled_disclosed"] = _share(int(np.count_nonzero(pop.disclosed[disabled])), n_dis)
    row["share_disabled_adjusted"] = _share(int(np.count_nonzero(pop.adjusted[disabled])), n_dis)
    for key in COUNTED:
        row[key] = model.counts[key]
    # Share of everyone in research at some point this year who started at least one gap.
    present = active + row["exits_total"]
    row["gap_incidence"] = model.counts["gap_people"] / present if present else 0.0
    posts = model.posts
    row["posts_funded"] = posts.funded()
    row["posts_filled"] = int(posts.filled.sum())
    row["posts_vacant"] = len(posts.vacancy_months) + posts.establishment_vacancies()
    row["researcher_years"] = model.counts["researcher_months"] / 12.0
    row["employed_years"] = model.counts["employed_months"] / 12.0
    row["discount_factor"] = (1.0 + model.params.costing.discount_rate) ** -model.year
    for p in model.policies:
        row[f"spend_{p.policy_type}"] = float(model.spend[p.policy_type])
    row["policy_spend"] = float(sum(model.spend.values()))
    return row


def _optional_year(years: np.ndarray) -> pd.arrays.IntegerArray:
    """Nullable integer years: the sentinel becomes missing."""
    return pd.arrays.IntegerArray(years.astype(np.int64), years == NO_YEAR)


CAREER_FIELDS = (
    "entry_year", "entry_stage", "entry_sector", "woman", "working_class", "disabled", "ever_carer",
    "first_caring_year", "exit_year", "exit_reason", "stage", "contract", "gap_months_total", "bridged_months", "had_mentor",
    "first_care_intensity", "first_caring_stage", "entry_safety_net", "neurodivergent", "disclosed", "sector", "age", "part_time",
)  # fmt: skip


def career_columns(model: CareerModel) -> dict[str, np.ndarray]:
    """The population columns of everyone active at any time in the reported horizon (copies; ``researcher_id`` added)."""
    pop = model.pop
    n = pop.n
    keep = np.flatnonzero(pop.alive[:n] | (pop.exit_year[:n] >= 0) & (pop.exit_year[:n] != NO_YEAR))
    return {"researcher_id": keep, **{name: getattr(pop, name)[keep] for name in CAREER_FIELDS}}


def career_frame(cols: dict[str, np.ndarray]) -> pd.DataFrame:
    """The career table (DESIGN.md §4 columns) from ``career_columns``."""
    reasons = np.array([*EXIT_REASONS, None], dtype=object)
    return pd.DataFrame(
        {
            "researcher_id": cols["researcher_id"],
            "entry_year": cols["entry_year"].astype(int),
            "entry_stage": np.array(STAGES, dtype=object)[cols["entry_stage"]],
            "entry_sector": np.array(SECTORS, dtype=object)[cols["entry_sector"]],
            "gender": np.where(cols["woman"], "woman", "man").astype(object),
            "working_class": cols["working_class"],
            "disabled": cols["disabled"],
            "ever_carer": cols["ever_carer"],
            "first_caring_year": _optional_year(cols["first_caring_year"]),
            "exit_year": _optional_year(cols["exit_year"]),
            "exit_reason": reasons[cols["exit_reason"]],
            "final_stage": np.array(STAGES, dtype=object)[cols["stage"]],
            "final_contract": np.array(CONTRACTS, dtype=object)[cols["contract"]],
            "gap_months_total": cols["gap_months_total"].astype(int),
            "bridged_months": cols["bridged_months"].astype(int),
            "had_mentor": cols["had_mentor"],
            "first_care_intensity": np.where(cols["first_care_intensity"] < 0, np.nan, cols["first_care_intensity"]).astype(float),
            "first_caring_stage": np.array([*STAGES, None], dtype=object)[cols["first_caring_stage"]],
            "entry_safety_net_months": cols["entry_safety_net"].astype(float),
            "neurodivergent": cols["neurodivergent"],
            "disclosed": cols["disclosed"],
            "final_sector": np.array(SECTORS, dtype=object)[cols["sector"]],
            "final_age": cols["age"].astype(float),
            "part_time": cols["part_time"],
        },
        columns=CAREER_COLUMNS,
    )


def career_table(model: CareerModel) -> pd.DataFrame:
    """One row per researcher active at any time in the reported horizon (DESIGN.md §4 columns)."""
    return career_frame(career_columns(model))
