"""The formal mentoring scheme (``fair_mentoring``): coverage at a time, priority groups, paid mentor capacity.

Each year the scheme aims for ``coverage`` of doctoral and early-career researchers
to have a formal mentor *at that time* (those with an informal mentor count as
mentored and are not matched again). Mentor capacity is what the incentive buys: each
mid/senior researcher volunteers formal places this year with probability
``incentive / (incentive + half_participation_incentive)``, so a larger incentive
means more places and, where places are short, more mentees matched. Unmatched
seekers are taken priority groups first, then at random.

Random numbers (``model.streams``, keyed by the year): ``formal_volunteer`` (does a
mentor volunteer), ``formal_slot`` (the order of the places, one draw per place of a
mentor) and ``formal_seeker`` (the order of seekers within a priority level).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model.population import EARLY, MID, NHS, THIRD

if TYPE_CHECKING:
    from model.career_model import CareerModel

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


def assign_formal(model: CareerModel, coverage: float, groups: list[str], capacity: int, share_volunteering: float) -> int:
    """Match formal mentors up to ``coverage`` of doctoral/early researchers at a time; return pairs in place."""
    pop, streams, year = model.pop, model.streams, model.year
    alive = model.alive_idx()
    eligible = alive[pop.stage[alive] <= EARLY]
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
    return int(np.count_nonzero(pop.mentor_formal[alive]))
