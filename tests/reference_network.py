"""The network as it was before ties became arrays (networkx, per-pair loops): the reference for tests/model/test_network_equivalence.py.

Kept as it was apart from this docstring and where its random draws come from: since
random numbers became counter-based streams (model/streams.py), both networks take
their meetings and acceptance uniforms from ``model.meetings`` (the same draws), so
what the tests compare is the storage and matching. Its docstring was:

The social network (networkx, grown with homophily) and mentoring.

Nodes are researcher ids. Ties form between researchers who meet at random; a tie
across sector, class or disability is refused with probability ``homophily`` for each
mismatch, so informal networks reach working-class, disabled and NHS-based
researchers less. Tacit knowledge is access to *insiders* (mid/senior university
researchers) through ties; each researcher's count of insider ties is kept up to date
so reading it is O(1). Mentors are mid/senior researchers with limited capacity:
informal mentors are found through ties; a formal scheme (``fair_mentoring``) matches
anyone, priority groups first.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from model import meetings
from model.parameters import NetworkParams
from model.population import EARLY, MID, NHS, THIRD, Population
from model.streams import Streams

PRIORITY_COLUMNS = {"working_class": "working_class", "disabled": "disabled", "carer": "caring", "women": "woman"}


class SocialNetwork:
    """Ties between active researchers, with homophilous formation."""

    def __init__(self, params: NetworkParams, pop: Population, streams: Streams) -> None:
        self.params = params
        self.pop = pop
        self.streams = streams
        self.year = 0
        self.graph = nx.Graph()

    def _accepted(self, a: np.ndarray, b: np.ndarray, u: np.ndarray) -> np.ndarray:
        """Which meetings (a[k], b[k]) become ties: each mismatch is refused with probability ``homophily``."""
        pop = self.pop
        mismatches = (
            (pop.sector[a] != pop.sector[b]).astype(np.int8)
            + (pop.working_class[a] != pop.working_class[b])
            + (pop.disabled[a] != pop.disabled[b])
        )
        return (a != b) & (u < (1.0 - self.params.homophily) ** mismatches)

    def add(self, new: np.ndarray, pool: np.ndarray) -> None:
        """Add researchers ``new``; each meets ``4 × ties_at_entry`` people from ``pool`` and keeps up to ``ties_at_entry``."""
        self.graph.add_nodes_from(new.tolist())
        k = self.params.ties_at_entry
        if len(pool) == 0 or k == 0 or len(new) == 0:
            return
        a, b, u = meetings.at_entry(self.streams, new, pool, 4 * k, self.year)
        ok = self._accepted(a, b, u)
        # Keep each newcomer's first k accepted meetings (the meetings are iid, so order is random).
        rank = np.cumsum(ok.reshape(len(new), 4 * k), axis=1).ravel()
        ok &= rank <= k
        self._add_edges(a[ok], b[ok])

    def _add_edges(self, a: np.ndarray, b: np.ndarray) -> None:
        """Add ties (a[k], b[k]) that do not exist yet, updating insider-tie counts."""
        adj = self.graph._adj
        fresh = set()
        for i, j in zip(a.tolist(), b.tolist(), strict=True):
            if j not in adj[i] and (j, i) not in fresh:
                fresh.add((i, j))
        if not fresh:
            return
        self.graph.add_edges_from(fresh)
        pairs = np.array(list(fresh))
        insider = self.pop.insider
        np.add.at(self.pop.insider_ties, pairs[:, 0], insider[pairs[:, 1]])
        np.add.at(self.pop.insider_ties, pairs[:, 1], insider[pairs[:, 0]])

    def grow(self, alive: np.ndarray, new_ties: float) -> None:
        """About ``new_ties`` × N random meetings a year; homophily decides which become ties."""
        if len(alive) < 2 or new_ties <= 0:
            return
        a, b, u = meetings.yearly(self.streams, alive, new_ties, self.year)
        ok = self._accepted(a, b, u)
        self._add_edges(a[ok], b[ok])

    def add_cross_sector_ties(self, holders: np.ndarray, ties: int, alive: np.ndarray) -> None:
        """Tie each of ``holders`` to up to ``ties`` insiders directly (joint posts bridge the sectors)."""
        insiders = alive[self.pop.insider[alive]]
        k = min(ties, len(insiders))
        if k == 0 or len(holders) == 0:
            return
        for a, chosen in zip(holders.tolist(), meetings.joint_post_partners(self.streams, holders, insiders, k, self.year), strict=True):
            self._add_edges(np.full(k, a), chosen)

    def remove(self, idx: np.ndarray) -> None:
        """Drop researchers who left, keeping neighbours' insider-tie counts right."""
        ties = self.pop.insider_ties
        adj = self.graph._adj
        insider = self.pop.insider
        for i in idx.tolist():
            if insider[i]:
                for j in adj[i]:
                    ties[j] -= 1
        self.graph.remove_nodes_from(idx.tolist())

    def changed_insider(self, idx: np.ndarray) -> None:
        """Neighbours of researchers whose insider flag just flipped gain or lose an insider tie."""
        adj = self.graph._adj
        insider = self.pop.insider
        ties = self.pop.insider_ties
        for i in idx.tolist():
            step = 1 if insider[i] else -1
            for j in adj[i]:
                ties[j] += step


class Mentoring:
    """Mentor–mentee matching with capacity; informal through ties, formal by a scheme."""

    def __init__(self, network: SocialNetwork, params: NetworkParams, streams: Streams) -> None:
        self.network = network
        self.pop = network.pop
        self.params = params
        self.streams = streams
        self.rng = np.random.default_rng(0)  # only the old formal scheme below, which the model no longer calls

    def set_mentor(self, mentee: int, mentor: int, formal: bool) -> None:
        """Start one mentoring relationship."""
        pop = self.pop
        pop.mentor[mentee] = mentor
        pop.mentor_formal[mentee] = formal
        pop.had_mentor[mentee] = True
        if formal:
            pop.formal_mentees[mentor] += 1
        else:
            pop.informal_mentees[mentor] += 1

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

    def mentees_of(self, leaving: np.ndarray) -> np.ndarray:
        """Ids of everyone whose mentor is marked in ``leaving`` (the model's interface; a scan of every row here)."""
        return np.flatnonzero(leaving[self.pop.mentor[: self.pop.n]])

    def assign_informal(self, alive: np.ndarray) -> None:
        """Unmentored doctoral/early researchers may find a mentor among their mid/senior ties."""
        pop = self.pop
        seekers = alive[(pop.mentor[alive] < 0) & (pop.stage[alive] <= EARLY)]
        seekers = seekers[self.streams.uniform("informal_mentor_seek", seekers, self.network.year) < self.params.informal_mentor_rate]
        capacity = self.params.mentor_capacity
        adj = self.network.graph._adj  # noqa: SLF001
        stage = pop.stage
        informal = pop.informal_mentees
        for a in seekers.tolist():
            for b in adj[a]:
                if stage[b] >= MID and informal[b] < capacity:
                    self.set_mentor(a, b, formal=False)
                    break

    def assign_formal(self, alive: np.ndarray, coverage: float, priority: list[str], extra_capacity: int) -> int:
        """Offer formal mentors to ``coverage`` of the unmentored, priority groups first.

        Returns the number of formal mentoring pairs in place this year (for costing).
        """
        pop = self.pop
        seekers = alive[(pop.mentor[alive] < 0) & (pop.stage[alive] <= EARLY)]
        seekers = seekers[self.rng.random(len(seekers)) < coverage]
        score = np.zeros(len(seekers))
        for group in priority:
            if group == "nhs":
                score += pop.sector[seekers] == NHS
            elif group == "third_sector":
                score += pop.sector[seekers] == THIRD
            else:
                score += getattr(pop, PRIORITY_COLUMNS[group])[seekers]
        order = np.lexsort((self.rng.random(len(seekers)), -score))
        mentors = alive[pop.stage[alive] >= MID]
        slots = np.repeat(mentors, np.maximum(0, extra_capacity - pop.formal_mentees[mentors]))
        self.rng.shuffle(slots)
        for a, b in zip(seekers[order].tolist(), slots.tolist(), strict=False):
            self.set_mentor(a, b, formal=True)
        return int(np.count_nonzero(pop.mentor_formal[alive]))
