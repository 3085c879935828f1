"""The one outcome registry: every per-run outcome declared once, the way ``param()`` declares parameters.

An outcome has an id (the key ``headline_metrics`` and ``flow_metrics`` return), a plain
label, a *kind* (share, people, researcher-years, money, money ratio, number) that fixes
its stored unit and number format, the direction that counts as better (``up``,
``down`` or ``none``), whether a policy aims to move it (costs are paid, not aimed at),
whether it is a headline (the report's summary sentences look only at headlines) and a
*family* of like outcomes that share one scale in the effects figure. Terminal tables,
CSV label and unit columns, figures, the report, the ensemble's probability of the
intended sign and the optimiser's objectives all read this file; nothing else names a
label, a unit or a direction. Nothing that computes a result imports this file, so the
run store's source fingerprint leaves it out (editing a label keeps every stored run).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from model import formats
from model.contracts import HIRE_GROUPS
from model.parameters import EXIT_REASONS, SECTORS
from model.retention import GROUP_COLUMNS, HEADLINE_YEARS

UP, DOWN, NONE = "up", "down", "none"
SHARE, PEOPLE, YEARS, MONEY, MONEY_RATIO, NUMBER = "share", "people", "researcher_years", "money", "money_ratio", "number"
STORED_UNITS = {  # kind: unit of the stored values (effects.csv, summary.json)
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
GROUP_WORDS = {
    "gender_woman": "women", "gender_man": "men", "carer_yes": "carers", "carer_no": "non-carers",
    "disabled_yes": "disabled or neurodivergent", "disabled_no": "not disabled",
    "working_class_yes": "working-class background", "working_class_no": "not working-class",
    "sector_university": "university-based", "sector_nhs": "NHS-based", "sector_third_sector": "third-sector",
}  # fmt: skip
GAP_WORDS = {  # equity gap name: (plain name, advantaged − disadvantaged)
    "carer": ("carers' gap", "non-carers − carers"),
    "disabled": ("disability gap", "non-disabled − disabled"),
    "working_class": ("class gap", "not working-class − working-class"),
    "gender": ("gender gap", "men − women"),
}
EXIT_WORDS = {
    "funding_gap": "after a funding gap", "dissatisfaction": "out of dissatisfaction", "caring": "for caring",
    "other_sector": "to another sector", "retirement": "on retirement", "total": "for any reason",
}  # fmt: skip
HIRE_WORDS = {
    "outside": "from outside UK HSR", "doctoral": "PhD completers", "woman": "women",
    "working_class": "working-class", "disabled": "disabled", "carer": "carers",
}  # fmt: skip


@dataclass(frozen=True)
class Outcome:
    """How one per-run outcome is named, printed and judged."""

    id: str
    label: str
    kind: str
    better: str = NONE
    headline: bool = False
    family: str = ""
    unit: str = ""  # stored unit, when the kind's default does not say enough
    aimed: bool = True  # False for what a policy pays rather than aims at (its cost)

    @property
    def stored_unit(self) -> str:
        """Unit of the values as written to CSV and JSON."""
        return self.unit or STORED_UNITS[self.kind]

    @property
    def sign(self) -> int:
        """+1 when higher is better, −1 when lower is better, 0 when neither."""
        return {UP: 1, DOWN: -1}.get(self.better, 0)

    @property
    def intended_sign(self) -> int:
        """The sign a policy aims for (0 for costs and for outcomes with no better direction)."""
        return self.sign if self.aimed else 0

    @property
    def scale(self) -> float:
        """Factor from stored values to a figure's axis (100 for shares: % and percentage points)."""
        return 100.0 if self.kind == SHARE else 1.0

    def format(self, v: float | None, difference: bool = False) -> str:
        """A value for people: a level, or (``difference``) a signed change from the baseline."""
        if self.kind == SHARE:
            return formats.points(v, signed=True) if difference or self.family == "gap" else formats.percent(v)
        if self.kind in (PEOPLE, YEARS):
            return formats.people(v, signed=difference)
        if self.kind == MONEY:
            return formats.money(v, signed=difference)
        if self.kind == MONEY_RATIO:
            return formats.money(v)
        return formats.number(v, signed=difference)

    def display_unit(self, difference: bool = True) -> str:
        """The unit a person reads beside a shown value."""
        if self.kind == SHARE:
            return "percentage points" if difference or self.family == "gap" else "%"
        if self.kind == MONEY_RATIO:
            return self.stored_unit.replace("GBP", "£")
        return {PEOPLE: "people", YEARS: "researcher-years", MONEY: "£", NUMBER: ""}[self.kind]


OUTCOMES: dict[str, Outcome] = {}


def outcome(id: str, label: str, kind: str, better: str = NONE, *, headline: bool = False, family: str = "", unit: str = "",
            aimed: bool = True) -> Outcome:  # fmt: skip
    """Declare one outcome (once: a second declaration of the same id is a programming error)."""
    if id in OUTCOMES:
        raise ValueError(f"outcome {id!r} declared twice")
    if kind not in STORED_UNITS or better not in (UP, DOWN, NONE):
        raise ValueError(f"outcome {id!r}: kind {kind!r} or direction {better!r} unknown")
    OUTCOMES[id] = Outcome(id, label, kind, better, headline, family or kind, unit, aimed)
    return OUTCOMES[id]


# Retention of entrants, all and by group, at 5 and 10 years after entry.
_GROUPS = [f"{g}_{v}" for g, (_, values) in GROUP_COLUMNS.items() for v in values] + [f"sector_{s}" for s in sorted(SECTORS)]
for _y in HEADLINE_YEARS:
    outcome(f"retention_{_y}y", f"retention at {_y} years", SHARE, UP, headline=_y == 10, family="retention")
    for _g in _GROUPS:
        outcome(f"retention_{_g}_{_y}y", f"retention at {_y} years, {GROUP_WORDS.get(_g, _g.replace('_', ' '))}", SHARE, UP,
                family="retention")  # fmt: skip
outcome("cohort_retention_10y", "retention at 10 years of those in HSR at year 0 (a fixed cohort)", SHARE, UP, headline=True,
        family="retention")  # fmt: skip
outcome("doctoral_retention_10y", "retention at 10 years of doctoral entrants (a fixed cohort)", SHARE, UP, headline=True, family="retention")
for _name, (_words, _sides) in GAP_WORDS.items():
    outcome(f"equity_gap_{_name}_10y", f"{_words} in 10-year retention ({_sides})", SHARE, DOWN, headline=True, family="gap")
outcome("share_fixed_term", "share of employed on fixed-term contracts (mean over years)", SHARE, DOWN, headline=True, family="contracts")
outcome("share_fixed_term_final", "share of employed on fixed-term contracts (final year)", SHARE, DOWN, family="contracts")
outcome("satisfied_permanent", "satisfied, permanent contracts", SHARE, UP, family="satisfaction")
outcome("satisfied_non_permanent", "satisfied, non-permanent contracts", SHARE, UP, headline=True, family="satisfaction")
outcome("neither_share", "neither satisfied nor dissatisfied", SHARE, DOWN, family="satisfaction")
outcome("gap_incidence", "share in a gap between contracts each year", SHARE, DOWN, headline=True, family="gap_incidence")
for _reason in (*EXIT_REASONS, "total"):
    outcome(f"exits_{_reason}", f"exits {EXIT_WORDS.get(_reason, _reason.replace('_', ' '))}", PEOPLE,
            NONE if _reason == "retirement" else DOWN, headline=_reason == "funding_gap", family="exits")  # fmt: skip
outcome("active_final", "researchers in HSR at the horizon", PEOPLE, UP, headline=True, family="workforce")
outcome("researcher_years", "researcher-years in HSR over the horizon", YEARS, UP, family="researcher_years")
outcome("researcher_years_pv", "researcher-years in HSR, discounted", YEARS, UP, family="researcher_years",
        unit="researcher-years (discounted)")  # fmt: skip
outcome("employed_years", "employed researcher-years over the horizon", YEARS, UP, family="researcher_years")
outcome("employed_years_pv", "employed researcher-years, discounted", YEARS, UP, headline=True, family="researcher_years",
        unit="researcher-years in post (discounted)")  # fmt: skip
outcome("entrants_hired", "entrants hired over the horizon", PEOPLE, UP, headline=True, family="entrants")
for _g in HIRE_GROUPS:
    outcome(f"entrants_hired_{_g}", f"entrants hired: {HIRE_WORDS.get(_g, _g.replace('_', ' '))}", PEOPLE, UP, family="entrants")
outcome("posts_funded_mean", "funded posts (mean over years)", PEOPLE, NONE, family="posts")
outcome("grant_posts_created", "grant-funded posts created over the horizon", PEOPLE, NONE, family="posts")
outcome("policy_cost", "policy cost over the horizon (not discounted)", MONEY, DOWN, family="cost", aimed=False)
outcome("policy_cost_pv", "policy cost over the horizon, discounted", MONEY, DOWN, family="cost", unit="GBP (present value)", aimed=False)
# Ratios computed from paired effects (not per run), declared here so every consumer finds their words too.
outcome("cost_per_researcher_retained", "policy cost per researcher in HSR at the horizon", MONEY_RATIO, DOWN, family="ratio",
        unit="GBP per researcher", aimed=False)  # fmt: skip
outcome("cost_per_additional_researcher_retained", "cost per additional researcher in HSR at the horizon", MONEY_RATIO, DOWN,
        family="ratio", unit="GBP per additional researcher", aimed=False)  # fmt: skip
outcome("cost_per_additional_researcher_year", "cost per additional researcher-year, discounted", MONEY_RATIO, DOWN, family="ratio",
        unit="GBP per additional researcher-year (present values)", aimed=False)  # fmt: skip
outcome("cost_per_additional_researcher_year_pv", "cost per additional researcher-year, discounted", MONEY_RATIO, DOWN,
        family="ratio", unit="GBP per additional researcher-year (present values)", aimed=False)  # fmt: skip


def get(outcome_id: str) -> Outcome:
    """The declaration of ``outcome_id``; an outcome a newer model adds before it is declared still gets readable words."""
    if outcome_id in OUTCOMES:
        return OUTCOMES[outcome_id]
    words = outcome_id.replace("_", " ")
    if re.fullmatch(r"retention_.+_\d+y", outcome_id) or outcome_id.startswith(("share_", "satisfied_")):
        return Outcome(outcome_id, words, SHARE, family="share")
    if outcome_id.startswith("cost_per_"):
        return Outcome(outcome_id, words, MONEY_RATIO, family="ratio", aimed=False)
    if "cost" in outcome_id:
        return Outcome(outcome_id, words, MONEY, family="cost", aimed=False)
    if outcome_id.startswith("exits_"):
        return Outcome(outcome_id, words, PEOPLE, family="exits")
    return Outcome(outcome_id, words, NUMBER, family=outcome_id)


def label(outcome_id: str) -> str:
    """The plain-word label of an outcome."""
    return get(outcome_id).label


def value(outcome_id: str, v: float | None, *, difference: bool = False) -> str:
    """An outcome's value for people (a level, or a signed difference from the baseline)."""
    return get(outcome_id).format(v, difference)


def headlines() -> list[str]:
    """Ids of the headline outcomes, in declaration order."""
    return [o.id for o in OUTCOMES.values() if o.headline]
