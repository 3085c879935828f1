"""The one registry of metric labels, units and formats: the terminal, the CSVs, the figures and the report read it.

A metric id (``retention_10y``, ``equity_gap_carer_10y``, ``policy_cost``) maps to a
plain-word label, the unit its values are stored in, and a *kind* that says how a
person reads it: shares are shown in % (levels) and percentage points (differences),
counts as whole numbers of people, money at three significant figures in £k/£m.
Metrics this registry does not know (added by a newer model) still get a readable
label and are shown as plain numbers.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from experiments.runs.units import money, people  # one way to print money and people, here and in the terminal

SHARE, PEOPLE, YEARS, MONEY, MONEY_RATIO, NUMBER = "share", "people", "researcher_years", "money", "money_ratio", "number"
UNITS = {  # kind: unit of the stored values (effects.csv, summary.json)
    SHARE: "proportion (0-1); differences x100 = percentage points",
    PEOPLE: "people",
    YEARS: "researcher-years",
    MONEY: "GBP",
    MONEY_RATIO: "GBP per unit of the denominator",
    NUMBER: "",
}
RETENTION_MEANING = (
    "Retention = share of researchers who entered during the reported years still in HSR "
    "that many years after entry (Kaplan-Meier, censored at the horizon)"
)


@dataclass(frozen=True)
class Metric:
    """How one metric is named and shown."""

    id: str
    label: str
    kind: str
    unit: str = ""

    @property
    def stored_unit(self) -> str:
        """Unit of the values as written to CSV and JSON."""
        return self.unit or UNITS[self.kind]


GROUP_WORDS = {
    "gender_woman": "women",
    "gender_man": "men",
    "carer_yes": "carers",
    "carer_no": "non-carers",
    "disabled_yes": "disabled or neurodivergent",
    "disabled_no": "not disabled",
    "working_class_yes": "working-class background",
    "working_class_no": "not working-class",
    "sector_university": "university-based",
    "sector_nhs": "NHS-based",
    "sector_third_sector": "third-sector",
}
GAP_WORDS = {  # equity gap name: (plain name, advantaged − disadvantaged)
    "carer": ("carers' gap", "non-carers − carers"),
    "disabled": ("disability gap", "non-disabled − disabled"),
    "working_class": ("class gap", "not working-class − working-class"),
    "gender": ("gender gap", "men − women"),
}
EXIT_WORDS = {
    "funding_gap": "after a funding gap",
    "dissatisfaction": "dissatisfied",
    "caring": "for caring",
    "other_sector": "to another sector",
    "retirement": "retired",
    "total": "all reasons",
}

_FIXED: dict[str, tuple[str, str, str]] = {  # id: (label, kind, unit override)
    "share_fixed_term": ("share of employed on fixed-term contracts (mean over years)", SHARE, ""),
    "share_fixed_term_final": ("share of employed on fixed-term contracts (final year)", SHARE, ""),
    "satisfied_permanent": ("satisfied, permanent contracts", SHARE, ""),
    "satisfied_non_permanent": ("satisfied, non-permanent contracts", SHARE, ""),
    "neither_share": ("neither satisfied nor dissatisfied", SHARE, ""),
    "gap_incidence": ("share in a gap between contracts each year", SHARE, ""),
    "active_final": ("researchers in HSR at the horizon", PEOPLE, ""),
    "cohort_retention_10y": ("retention at 10 years of those in HSR at year 0 (a fixed cohort)", SHARE, ""),
    "doctoral_retention_10y": ("retention at 10 years of doctoral entrants (a fixed cohort)", SHARE, ""),
    "entrants_hired": ("entrants hired over the horizon", PEOPLE, ""),
    "researcher_years": ("researcher-years in HSR over the horizon", YEARS, ""),
    "researcher_years_pv": ("researcher-years in HSR, discounted", YEARS, "researcher-years (discounted)"),
    "employed_years": ("person-years in post over the horizon", YEARS, ""),
    "employed_years_pv": ("person-years in post, discounted", YEARS, "person-years (discounted)"),
    "entrants_hired_outside": ("entrants hired from outside UK HSR", PEOPLE, ""),
    "entrants_hired_doctoral": ("entrants hired: PhD completers", PEOPLE, ""),
    "entrants_hired_woman": ("entrants hired: women", PEOPLE, ""),
    "entrants_hired_working_class": ("entrants hired: working-class", PEOPLE, ""),
    "entrants_hired_disabled": ("entrants hired: disabled", PEOPLE, ""),
    "entrants_hired_carer": ("entrants hired: carers", PEOPLE, ""),
    "posts_funded_mean": ("funded posts (mean over years)", PEOPLE, ""),
    "grant_posts_created": ("grant-funded posts created over the horizon", PEOPLE, ""),
    "policy_cost": ("policy cost over the horizon", MONEY, ""),
    "policy_cost_pv": ("policy cost over the horizon, discounted", MONEY, "GBP (present value)"),
    "cost_per_researcher_retained": ("policy cost per researcher in HSR at the horizon", MONEY_RATIO, "GBP per researcher"),
    "cost_per_additional_researcher_retained": (
        "cost per additional researcher in HSR at the horizon",
        MONEY_RATIO,
        "GBP per additional researcher",
    ),
    "cost_per_additional_researcher_year": ("cost per additional researcher-year", MONEY_RATIO, "GBP per additional researcher-year"),
    "cost_per_additional_researcher_year_pv": (
        "cost per additional researcher-year, discounted",
        MONEY_RATIO,
        "GBP per additional researcher-year (present values)",
    ),
}


def metric(metric_id: str) -> Metric:
    """The registry entry of ``metric_id`` (a readable fallback for ids it does not know)."""
    if metric_id in _FIXED:
        label, kind, unit = _FIXED[metric_id]
        return Metric(metric_id, label, kind, unit)
    m = re.fullmatch(r"retention(?:_(.+))?_(\d+)y", metric_id)
    if m:
        who = GROUP_WORDS.get(m.group(1) or "", m.group(1).replace("_", " ") if m.group(1) else "")
        return Metric(metric_id, f"retention at {m.group(2)} years" + (f", {who}" if who else ""), SHARE)
    m = re.fullmatch(r"equity_gap_(.+)_(\d+)y", metric_id)
    if m and m.group(1) in GAP_WORDS:
        name, sides = GAP_WORDS[m.group(1)]
        return Metric(metric_id, f"{name} in {m.group(2)}-year retention ({sides})", SHARE)
    m = re.fullmatch(r"exits_(.+)", metric_id)
    if m:
        return Metric(metric_id, f"exits, {EXIT_WORDS.get(m.group(1), m.group(1).replace('_', ' '))}", PEOPLE)
    if metric_id.startswith(("share_", "satisfied_")):
        return Metric(metric_id, metric_id.replace("_", " "), SHARE)
    if metric_id.startswith("cost_per_"):
        return Metric(metric_id, metric_id.replace("_", " "), MONEY_RATIO)
    if "cost" in metric_id:
        return Metric(metric_id, metric_id.replace("_", " "), MONEY)
    return Metric(metric_id, metric_id.replace("_", " "), NUMBER)


def label(metric_id: str) -> str:
    """The plain-word label of a metric."""
    return metric(metric_id).label


def value(metric_id: str, v: float | None, *, difference: bool = False) -> str:
    """A metric's value for people: a level (``difference=False``) or a signed difference from the baseline."""
    if v is None or not math.isfinite(v):
        return "—"
    kind = metric(metric_id).kind
    if kind == SHARE:
        if difference or metric_id.startswith("equity_gap"):  # a gap is itself a difference of shares
            pp = round(100 * v, 1)
            return f"{'+' if pp > 0 else '−' if pp < 0 else ''}{abs(pp):.1f} pp"
        return f"{100 * v:.1f}%"
    if kind in (PEOPLE, YEARS):
        return people(v, signed=difference)
    if kind == MONEY:
        return money(v, signed=difference)
    if kind == MONEY_RATIO:
        return money(v)
    return f"{v:+,.3g}" if difference else f"{v:,.3g}"


def display_unit(metric_id: str, difference: bool = True) -> str:
    """The unit a person reads beside a shown value: percentage points, %, people, £, researcher-years."""
    kind = metric(metric_id).kind
    return {
        SHARE: "percentage points" if difference else "%",
        PEOPLE: "people",
        YEARS: "researcher-years",
        MONEY: "£",
        MONEY_RATIO: metric(metric_id).stored_unit.replace("GBP", "£"),
        NUMBER: "",
    }[kind]


def scale(metric_id: str) -> float:
    """Factor from stored values to the figures' axes (100 for shares, so axes read in percentage points or %)."""
    return 100.0 if metric(metric_id).kind == SHARE else 1.0
