"""Mentoring: informal mentors found through ties, and the bookkeeping every scheme shares.

Mentors are mid/senior researchers with limited capacity. Each year an unmentored
doctoral or early-career researcher looks for an informal mentor with chance
``informal_mentor_rate`` (decision ``informal_mentor_seek``, step the year, from the
run's streams) and takes their earliest-formed tie to a mid/senior researcher with
room; a formal scheme (``fair_mentoring``, ``model/mentoring_scheme.py``) matches
anyone, priority groups first.
"""

from __future__ import annotations

import numpy as np

from model.network import SocialNetwork
from model.parameters import NetworkParams
from model.population import EARLY, MID, sorted_distinct
from model.streams import Streams


def serial_choice(owner: np.ndarray, cand: np.ndarray, capacity: np.ndarray, n_rows: int) -> np.ndarray:
    """Each row in turn takes its first candidate with capacity left; the candidate chosen per row (-1: none).

    ``owner``/``cand`` list candidates grouped by row (rows 0..n_rows-1, in priority
    order); ``capacity`` is indexed by candidate id. Computed as deferred acceptance
    with every candidate preferring earlier rows, which gives exactly the row-by-row
    (serial dictatorship) result in a few vector rounds.
    """
    held = np.full(n_rows, -1, dtype=np.int64)
    if len(owner) == 0:
        return held
    start = np.searchsorted(owner, np.arange(n_rows))
    count = np.bincount(owner, minlength=n_rows)
    ptr = np.zeros(n_rows, dtype=np.int64)
    while True:
        proposing = np.flatnonzero((held < 0) & (ptr < count))
        if len(proposing) == 0:
            return held
        holding = np.flatnonzero(held >= 0)
        rows = np.concatenate([holding, proposing])
        target = np.concatenate([held[holding], cand[start[proposing] + ptr[proposing]]])
        order = np.lexsort((rows, target))
        rows, target = rows[order], target[order]
        first = np.empty(len(target), dtype=bool)
        first[:1] = True
        np.not_equal(target[1:], target[:-1], out=first[1:])
        group_start = np.maximum.accumulate(np.where(first, np.arange(len(target)), 0))
        accepted = (np.arange(len(target)) - group_start) < capacity[target]
        held[rows] = -1
        held[rows[accepted]] = target[accepted]
        ptr[rows[~accepted]] += 1


class Mentoring:
    """Mentor–mentee matching with capacity; informal through ties, formal by a scheme."""

    def __init__(self, network: SocialNetwork, params: NetworkParams, streams: Streams) -> None:
        self.network = network
        self.pop = network.pop
        self.params = params
        self.streams = streams
        self._mentees = np.empty(0, dtype=np.int64)  # sorted ids that may have a mentor (a superset of those who do)
        self._new_mentees: list[np.ndarray] = []  # mentees since _mentees was last brought up to date

    def set_mentor(self, mentee: int, mentor: int, formal: bool) -> None:
        """Start one mentoring relationship."""
        self._set_mentors(np.array([mentee]), np.array([mentor]), formal)

    def set_mentors(self, mentees: np.ndarray, mentors: np.ndarray, formal: bool) -> None:
        """Start mentoring relationships ``mentees[k]`` ← ``mentors[k]`` (a mentor may appear more than once)."""
        self._set_mentors(np.asarray(mentees), np.asarray(mentors), formal)

    def _set_mentors(self, mentees: np.ndarray, mentors: np.ndarray, formal: bool) -> None:
        """Start mentoring relationships mentees[k] ← mentors[k]."""
        pop = self.pop
        pop.mentor[mentees] = mentors
        pop.mentor_formal[mentees] = formal
        pop.had_mentor[mentees] = True
        np.add.at(pop.formal_mentees if formal else pop.informal_mentees, mentors, 1)
        self._new_mentees.append(np.asarray(mentees, dtype=np.int64))

    def mentees_of(self, leaving: np.ndarray) -> np.ndarray:
        """Ids (ascending) of everyone whose mentor is marked in ``leaving`` (a mask over ids, one extra slot for no mentor).

        Reads only those who have had a mentor since they were last looked at, not every row.
        """
        pop = self.pop
        if self._new_mentees:
            both = np.concatenate([self._mentees, *self._new_mentees])
            self._new_mentees = []
            self._mentees = sorted_distinct(both[pop.mentor[both] >= 0])
        m = self._mentees
        return m[leaving[pop.mentor[m]]]

    def drop(self, mentees: np.ndarray) -> None:
        """End the mentoring of ``mentees`` (promotion, or either side leaving)."""
        pop = self.pop
        mentees = mentees[pop.mentor[mentees] >= 0]
        if len(mentees) == 0:
            return
        mentors = pop.mentor[mentees]
        formal = pop.mentor_formal[mentees]
        np.subtract.at(pop.formal_mentees, mentors[formal], 1)
        np.subtract.at(pop.informal_mentees, mentors[~formal], 1)
        pop.mentor[mentees] = -1
        pop.mentor_formal[mentees] = False

    def assign_informal(self, alive: np.ndarray) -> None:
        """Unmentored doctoral/early researchers may find a mentor among their mid/senior ties.

        Seekers in id order each take their earliest-formed tie to a mid/senior researcher
        with informal capacity left.
        """
        pop = self.pop
        seekers = alive[(pop.mentor[alive] < 0) & (pop.stage[alive] <= EARLY)]
        seekers = seekers[self.streams.uniform("informal_mentor_seek", seekers, self.network.year) < self.params.informal_mentor_rate]
        if len(seekers) == 0:
            return
        n = pop.n
        room = np.maximum(0, self.params.mentor_capacity - pop.informal_mentees[:n].astype(np.int64))
        room[pop.stage[:n] < MID] = 0
        owner, cand = self.network.neighbour_lists(seekers, among=room > 0)
        chosen = serial_choice(owner, cand, room, len(seekers))
        matched = chosen >= 0
        if matched.any():
            self._set_mentors(seekers[matched], chosen[matched], formal=False)
