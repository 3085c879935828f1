"""Fair mentoring (report: "Make mentoring fair and accessible"): a formal scheme with coverage, priority groups and paid mentor places.

Each year, once researchers have found informal mentors through their own networks
(``Mentoring.assign_informal``), the scheme aims for ``coverage`` of the doctoral and
early-career researchers *without an informal mentor* to have a formal mentor at that
time: it matches those the informal networks left out, rather than replacing informal
mentors. Formal mentoring continues from year to year until promotion to mid-career. Mentor capacity is what the incentive buys: each
mid/senior researcher volunteers formal places this year with probability
``incentive / (incentive + half_participation_incentive)``, so a larger incentive
means more places and, where places are short, more mentees matched. Unmatched
seekers are taken priority groups first, then at random.

Random numbers (``model.streams``, keyed by the year): ``formal_volunteer`` (does a
mentor volunteer), ``formal_slot`` (the order of the places, one draw per place of a
mentor) and ``formal_seeker`` (the order of seekers within a priority level).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np
from pydantic import Field

from model.parameters import ASSUMPTION, param
from model.policies.base import Policy, register
from model.population import EARLY, MID, NHS, THIRD

if TYPE_CHECKING:
    from model.career_model import CareerModel

PRIORITY_GROUPS: tuple[str, ...] = ("working_class", "disabled", "carer", "women", "nhs", "third_sector")
PRIORITY_COLUMNS = {"working_class": "working_class", "disabled": "disabled", "carer": "caring", "women": "woman"}


def participation(incentive: float, half: float) -> float:
    """Share of mid/senior researchers who offer formal places at this incentive."""
    if incentive <= 0:
        return 0.0
    return incentive / (incentive + half) if half > 0 else 1.0


def priority_score(model: CareerModel, idx: np.ndarray, groups: list[str]) -> np.ndarray:
    """How many of the priority ``groups`` each of ``idx`` belongs to."""
    pop = model.pop
    score = np.zeros(len(idx))
    for group in groups:
        if group == "nhs":
            score += pop.sector[idx] == NHS
        elif group == "third_sector":
            score += pop.sector[idx] == THIRD
        else:
            score += getattr(pop, PRIORITY_COLUMNS[group])[idx]
    return score


def assign_formal(model: CareerModel, coverage: float, groups: list[str], capacity: int, share_volunteering: float) -> tuple[np.ndarray, np.ndarray]:
    """Match formal mentors up to ``coverage`` of doctoral/early researchers without an informal mentor; return (eligible, mentees in place)."""
    pop, streams, year = model.pop, model.streams, model.year
    alive = model.alive_idx()
    eligible = alive[(pop.stage[alive] <= EARLY) & ((pop.mentor[alive] < 0) | pop.mentor_formal[alive])]
    have = int(np.count_nonzero(pop.mentor_formal[eligible]))
    need = int(round(coverage * len(eligible))) - have
    seekers = eligible[pop.mentor[eligible] < 0]
    if need > 0 and len(seekers):
        mentors = alive[pop.stage[alive] >= MID]
        volunteers = mentors[streams.uniform("formal_volunteer", mentors, year) < share_volunteering]
        places = np.maximum(0, capacity - pop.formal_mentees[volunteers])
        slots = np.repeat(volunteers, places)
        # A key per place (the j-th place of a mentor is draw j): a random order of places.
        nth = np.arange(len(slots)) - np.repeat(np.cumsum(places) - places, places)
        keys = np.empty(len(slots))
        for j in range(int(places.max(initial=0))):
            at = nth == j
            keys[at] = streams.uniform("formal_slot", slots[at], year, draw=j)
        slots = slots[np.argsort(keys, kind="stable")]
        order = np.lexsort((streams.uniform("formal_seeker", seekers, year), -priority_score(model, seekers, groups)))
        k = min(need, len(slots), len(seekers))
        model.mentoring.set_mentors(seekers[order[:k]], slots[:k], formal=True)
    return eligible, alive[pop.mentor_formal[alive]]


@register
class FairMentoring(Policy):
    """A formal mentoring scheme with coverage, priority groups and incentivised mentor capacity."""

    policy_type: ClassVar[str] = "fair_mentoring"
    report_heading: ClassVar[str] = "Make mentoring fair and accessible"
    type: Literal["fair_mentoring"] = "fair_mentoring"
    coverage: float = param(0.8, 0, 1, unit="proportion", source=ASSUMPTION, doc="Share of doctoral and early-career researchers without an informal mentor who have a formal mentor at a time (as far as mentor places allow).", plausible=(0.4, 1.0))
    priority_groups: list[Literal["working_class", "disabled", "carer", "women", "nhs", "third_sector"]] = Field(default_factory=lambda: ["working_class", "disabled", "nhs"], description=f"Groups matched first, from {list(PRIORITY_GROUPS)}.")
    extra_capacity: int = param(2, 0, 20, unit="mentees", source=ASSUMPTION, doc="Formal mentees a volunteering mid/senior mentor takes on top of informal ones.", plausible=(1, 4))
    incentive_per_mentee_year: float = param(600, 0, 1e5, unit="GBP per mentee-year", source=ASSUMPTION, doc="Incentive paid to mentors (time allowance); it buys mentor places (see half_participation_incentive).", plausible=(200, 1500))
    half_participation_incentive: float = param(300, 0, 1e5, unit="GBP per mentee-year", source=ASSUMPTION, doc="Incentive at which half of mid/senior researchers volunteer formal places each year (participation = incentive / (incentive + this)).", plausible=(100, 1500))
    running_cost_per_year: float = param(20_000, 0, 1e7, unit="GBP per year", source=ASSUMPTION, doc="Scheme running cost (coordination, matching, training) per year.", plausible=(5_000, 60_000))

    def after_mentoring(self, model: CareerModel) -> None:  # noqa: D102
        share = participation(self.incentive_per_mentee_year, self.half_participation_incentive)
        eligible, mentees = assign_formal(model, self.coverage, self.priority_groups, self.extra_capacity, share)
        model.book(self.policy_type, "formal_mentor", eligible, mentees, months=12.0, pounds=self.incentive_per_mentee_year, overhead=self.running_cost_per_year)
