"""The social network (networkx, grown with homophily) and mentoring.

Ties form between researchers who meet at random; a tie across sector, class or
disability is refused with probability ``homophily`` for each mismatch, so informal
networks reach working-class, disabled and NHS-based researchers less. Tacit
knowledge is access to *insiders* (mid/senior university researchers) through ties.
Mentors are mid/senior researchers with limited capacity: informal mentors are
found through ties; a formal scheme (the ``fair_mentoring`` policy) matches anyone.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

import networkx as nx

from model.parameters import NetworkParams

if TYPE_CHECKING:
    from model.researcher import Researcher

MENTEE_STAGES = ("doctoral", "early")
MENTOR_STAGES = ("mid", "senior")


def is_insider(a: Researcher) -> bool:
    """Mid or senior university researchers hold the tacit knowledge of academic careers."""
    return a.sector == "university" and a.stage in MENTOR_STAGES


class SocialNetwork:
    """Ties between active researchers, with homophilous formation."""

    def __init__(self, params: NetworkParams, rnd: random.Random) -> None:
        self.params = params
        self.random = rnd
        self.graph = nx.Graph()

    def _accept(self, a: Researcher, b: Researcher) -> bool:
        mismatches = (a.sector != b.sector) + (a.working_class != b.working_class) + (a.disabled != b.disabled)
        if not mismatches:
            return True
        return self.random.random() < (1.0 - self.params.homophily) ** mismatches

    def add(self, a: Researcher, pool: list[Researcher], ties: int) -> None:
        """Add ``a`` and let it try to form ``ties`` ties with people drawn from ``pool``."""
        self.graph.add_node(a)
        if not pool:
            return
        rnd = self.random
        attempts = 4 * ties
        adj = self.graph._adj
        formed = 0
        for _ in range(attempts):
            if formed >= ties:
                break
            b = pool[int(rnd.random() * len(pool))]
            if b is a or b in adj[a]:
                continue
            if self._accept(a, b):
                self.graph.add_edge(a, b)
                formed += 1

    def grow(self, people: list[Researcher], new_ties: float) -> None:
        """Each year about ``new_ties`` × N random meetings; homophily decides which become ties."""
        if len(people) < 2:
            return
        rnd = self.random
        n = len(people)
        adj = self.graph._adj
        for _ in range(int(new_ties * n)):
            a = people[int(rnd.random() * n)]
            b = people[int(rnd.random() * n)]
            if a is not b and b not in adj[a] and self._accept(a, b):
                self.graph.add_edge(a, b)

    def add_cross_sector_ties(self, a: Researcher, ties: int) -> None:
        """Tie ``a`` to up to ``ties`` insiders directly (joint posts bridge the sectors)."""
        insiders = [b for b in self.graph.nodes if is_insider(b) and b is not a]
        for b in self.random.sample(insiders, min(ties, len(insiders))):
            self.graph.add_edge(a, b)

    def remove(self, a: Researcher) -> None:
        """Drop a researcher who left."""
        if a in self.graph:
            self.graph.remove_node(a)

    def tacit_access(self, a: Researcher) -> float:
        """Insider ties relative to the reference number, capped at 1."""
        insiders = 0
        for b in self.graph._adj[a]:
            if b.sector == "university" and b.stage in MENTOR_STAGES:
                insiders += 1
        return min(1.0, insiders / self.params.tacit_reference_ties)


class Mentoring:
    """Mentor–mentee matching with capacity; informal through ties, formal by a scheme."""

    def __init__(self, network: SocialNetwork, params: NetworkParams, rnd: random.Random) -> None:
        self.network = network
        self.params = params
        self.random = rnd

    def assign_informal(self, people: list[Researcher]) -> None:
        """Unmentored doctoral/early researchers may find a mentor among their mid/senior ties."""
        rate = self.params.informal_mentor_rate
        capacity = self.params.mentor_capacity
        adj = self.network.graph._adj
        rnd = self.random
        for a in people:
            if a.mentor is not None or a.stage not in MENTEE_STAGES:
                continue
            if rnd.random() >= rate:
                continue
            for b in adj[a]:
                if b.stage in MENTOR_STAGES and b.informal_mentees < capacity:
                    a.set_mentor(b, formal=False)
                    break

    def assign_formal(self, coverage: float, priority: list[str], extra_capacity: int) -> int:
        """Offer formal mentors to ``coverage`` of the unmentored, priority groups first.

        Returns the number of formal mentoring pairs in place this year (for costing).
        """
        people = list(self.network.graph.nodes)
        rnd = self.random
        mentors = [b for b in people if b.stage in MENTOR_STAGES and b.formal_mentees < extra_capacity]
        seekers = [a for a in people if a.mentor is None and a.stage in MENTEE_STAGES and rnd.random() < coverage]
        rnd.shuffle(seekers)
        seekers.sort(key=lambda a: -sum(a.in_group(g) for g in priority))
        rnd.shuffle(mentors)
        for a in seekers:
            while mentors and mentors[-1].formal_mentees >= extra_capacity:
                mentors.pop()
            if not mentors:
                break
            a.set_mentor(mentors[-1], formal=True)
        return sum(1 for a in people if a.mentor is not None and a.mentor_formal)
