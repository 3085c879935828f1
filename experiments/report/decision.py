"""The ranked decision table: one row per policy, shocks apart as "what if", sorted by a column the reader sees.

Each row holds the policy's yearly cost (discounted), its extra employed researcher-years
(discounted), the 10-year retention of a fixed cohort (those in HSR when the policy
starts; entrants when the results folder predates that outcome), the equity gaps it
clearly narrows or widens, who is displaced (entrants no longer hired), the net
monetary benefit and probability of being cost-effective at the default willingness to
pay, and how sure the answer is. Rows are sorted by net monetary benefit when the
folder has it, else by extra employed researcher-years; ``sort_words`` says which.
Every cell is built from the outcome registry's words and the one money format.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from experiments.plots.palette import nice
from experiments.report.extras import Extras
from model import formats, outcomes
from model.outcomes import GAP_WORDS

YEARS_ID = ("employed_years_pv", "researcher_years_pv")
COHORT_ID = ("cohort_retention_10y", "retention_10y")
COST_ID = "policy_cost_pv"


def effect(effects: pd.DataFrame, scenario: str, metric: str) -> dict[str, float] | None:
    """One effect as {d, lo, hi, base} or None."""
    sub = effects[(effects["scenario"] == scenario) & (effects["metric"] == metric)]
    if sub.empty:
        return None
    r = sub.iloc[0]
    return {"d": float(r["difference"]), "lo": float(r["ci_low"]), "hi": float(r["ci_high"]), "base": float(r["baseline_mean"])}


def clear(e: dict[str, float] | None) -> bool:
    """True when the 95% interval excludes zero."""
    return e is not None and math.isfinite(e["lo"]) and math.isfinite(e["hi"]) and (e["lo"] > 0 or e["hi"] < 0)


def interval(metric: str, e: dict[str, float] | None, difference: bool = True) -> str:
    """``[a to b]`` in the outcome's format, or an empty string without an interval."""
    if e is None or not (math.isfinite(e["lo"]) and math.isfinite(e["hi"])):
        return ""
    return f"[{outcomes.value(metric, e['lo'], difference=difference)} to {outcomes.value(metric, e['hi'], difference=difference)}]"


def is_what_if(resolved: dict[str, Any]) -> bool:
    """A scenario with no policy lever (a shock, or the world changing) is a "what if", not an option."""
    return not resolved.get("policies")


@dataclass
class Cell:
    """A table cell: the value shown, its interval (may be empty) and the number it sorts by."""

    text: str
    interval: str = ""
    number: float = math.nan
    note: str = ""  # words under the value (e.g. the efficiency-frontier status)


@dataclass
class DecisionRow:
    """One policy (or what-if) and its cells, keyed by column id."""

    scenario: str
    title: str
    what_if: bool
    cells: dict[str, Cell] = field(default_factory=dict)


COLUMNS = {  # id: (header, unit shown in the header)
    "cost": ("Cost a year", "£ a year, discounted"),
    "years": ("Extra employed researcher-years", "researcher-years, discounted"),
    "cohort": ("10-year retention", "percentage points"),
    "gaps": ("Equity gaps", ""),
    "displaced": ("Who is displaced", "entrants hired"),
    "nmb": ("Net monetary benefit", "£, discounted"),
    "p_ce": ("Probability cost-effective", "%"),
    "sure": ("How sure", ""),
}


def _gaps(effects: pd.DataFrame, scenario: str) -> Cell:
    words = []
    for name, (plain, _) in GAP_WORDS.items():
        e = effect(effects, scenario, f"equity_gap_{name}_10y")
        if clear(e):
            words.append(f"{'narrows' if e['d'] < 0 else 'widens'} the {plain} by {abs(100 * e['d']):.1f} pp")  # type: ignore[index]
    return Cell("; ".join(words) or "no clear change")


def _displaced(effects: pd.DataFrame, scenario: str) -> Cell:
    e = effect(effects, scenario, "entrants_hired")
    if e is None:
        return Cell("—")
    if not clear(e):
        return Cell("no clear change in entrants hired", interval("entrants_hired", e), e["d"])
    if e["d"] > 0:
        return Cell(f"none: {formats.people(e['d'])} more entrants hired", interval("entrants_hired", e), e["d"])
    groups = []
    for m in effects.loc[effects["scenario"] == scenario, "metric"]:
        g = effect(effects, scenario, m) if m.startswith("entrants_hired_") else None
        if clear(g):  # hires by group, each a clear change (outside applicants and PhD completers partition the total)
            groups.append(f"{formats.people(g['d'], signed=True)} {outcomes.label(m).split(': ', 1)[-1]}")  # type: ignore[index]
    who = f"; by group: {', '.join(groups)}" if groups else ""
    return Cell(f"{formats.people(-e['d'])} fewer entrants hired{who}", interval("entrants_hired", e), e["d"])


def _frontier_status(extras: Extras, scenario: str) -> str:
    """``on the efficiency frontier`` / ``dominated`` / ``extendedly dominated`` from frontier.csv, or ''."""
    f = extras.frontier
    if f is None:
        return ""
    sub = f.loc[f["policy"] == scenario, "status"]
    if sub.empty:
        return ""
    status = str(sub.iloc[0])
    return "on the efficiency frontier" if status == "frontier" else status


def _sure(effects: pd.DataFrame, extras: Extras, scenario: str, years_id: str | None) -> Cell:
    if extras.ensemble is not None and years_id is not None:
        sub = extras.ensemble[(extras.ensemble["scenario"] == scenario) & (extras.ensemble["metric"] == years_id)]
        if len(sub) and math.isfinite(float(sub["p_intended_sign"].iloc[0])):
            p = float(sub["p_intended_sign"].iloc[0])
            share = float(sub["parameter_share"].iloc[0])
            tail = f"; {100 * share:.0f}% of its spread from parameters" if math.isfinite(share) else ""
            return Cell(f"{formats.probability(p)} of parameter sets give more employed researcher-years{tail}", number=p)
    headline = [m for m in outcomes.headlines() if m in set(effects.loc[effects["scenario"] == scenario, "metric"])]
    n_clear = sum(clear(effect(effects, scenario, m)) for m in headline)
    return Cell(f"{n_clear} of {len(headline)} headline outcomes changed clearly", number=n_clear)


def decision_rows(effects: pd.DataFrame, scenarios: dict[str, dict[str, Any]], policies: list[str], horizon: int,
                  extras: Extras) -> tuple[list[DecisionRow], str]:  # fmt: skip
    """The rows (policies sorted, then what-ifs) and the sentence that says how they are sorted."""
    present = set(effects["metric"])
    years_id = next((m for m in YEARS_ID if m in present), None)
    cohort_id = next((m for m in COHORT_ID if m in present), None)
    nb = extras.net_benefit.set_index("policy") if extras.net_benefit is not None else None
    rows = []
    for name in policies:
        row = DecisionRow(name, nice(name), is_what_if(scenarios.get(name, {"policies": [1]})))
        cost = effect(effects, name, COST_ID)
        row.cells["cost"] = Cell(formats.money(cost["d"] / horizon) if cost else "—", number=cost["d"] / horizon if cost else math.nan)
        ye = effect(effects, name, years_id) if years_id else None
        row.cells["years"] = Cell(outcomes.value(years_id, ye["d"], difference=True), interval(years_id, ye), ye["d"]) if ye else Cell("—")  # type: ignore[arg-type]
        ce = effect(effects, name, cohort_id) if cohort_id else None
        row.cells["cohort"] = Cell(outcomes.value(cohort_id, ce["d"], difference=True), interval(cohort_id, ce), ce["d"]) if ce else Cell("—")  # type: ignore[arg-type]
        row.cells["gaps"] = _gaps(effects, name)
        row.cells["displaced"] = _displaced(effects, name)
        if nb is not None and name in nb.index:
            r = nb.loc[name]
            row.cells["nmb"] = Cell(formats.money(r["nmb"], signed=True), f"[{formats.money(r['nmb_low'], signed=True)} to {formats.money(r['nmb_high'], signed=True)}]", float(r["nmb"]))
            row.cells["p_ce"] = Cell(formats.probability(r["p_cost_effective"]), number=float(r["p_cost_effective"]))
        else:
            row.cells["nmb"] = Cell("—")
            row.cells["p_ce"] = Cell("—")
        status = _frontier_status(extras, name)
        if status and row.cells["nmb"].text != "—":
            row.cells["nmb"].note = status
        row.cells["sure"] = _sure(effects, extras, name, years_id)
        rows.append(row)
    if nb is not None:
        key, words = "nmb", f"Sorted by net monetary benefit at {formats.money(extras.wtp)} per employed researcher-year (discounted), highest first"
    else:
        key, words = "years", "Sorted by extra employed researcher-years (discounted), most first"
    rows.sort(key=lambda r: (r.what_if, -r.cells[key].number if math.isfinite(r.cells[key].number) else math.inf))
    if any(r.what_if for r in rows):
        words += '; scenarios with no policy lever (shocks) are listed apart, below, as "what if"'
    cohort_words = (
        "10-year retention of those in HSR when the policy starts" if cohort_id == "cohort_retention_10y"
        else "10-year retention of new entrants (this folder has no fixed-cohort retention)"
    )  # fmt: skip
    return rows, f"{words}. Retention column: {cohort_words}."
