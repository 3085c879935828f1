"""The social network: ties as arrays, grown with homophily.

Nodes are researcher ids. Ties form between researchers who meet at random
(``model/meetings.py`` draws the meetings from the run's streams); a tie
across sector, class or disability is refused with probability ``homophily`` for each
mismatch, so informal networks reach working-class, disabled and NHS-based
researchers less. Tacit knowledge is access to *insiders* (mid/senior university
researchers) through ties; each researcher's count of insider ties is kept up to date
so reading it is O(1). Mentoring through ties is in ``model/mentoring.py``.

Ties are held as two edge arrays (``a[k]``, ``b[k]``, in the order the ties formed)
with a sorted array of edge keys for duplicate checks, so forming, ending and querying
ties are vector operations. Researcher ids are never reused, so a researcher who leaves
is simply no longer alive: ties to them are ignored by every query and dropped (in
``grow``) once they are a quarter of all ties. ``graph`` builds a networkx view for
notebooks and the app.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from model import meetings
from model.parameters import NetworkParams
from model.population import Population
from model.streams import Streams

_SHIFT = np.int64(32)  # edge key = (smaller id << 32) | larger id
_LOW = np.int64(0xFFFFFFFF)


class SocialNetwork:
    """Ties between active researchers, with homophilous formation."""

    def __init__(self, params: NetworkParams, pop: Population, streams: Streams) -> None:
        self.params = params
        self.pop = pop
        self.streams = streams
        self.year = 0  # the step of this year's meetings (the model sets it at the start of each year)
        self._a = np.empty(0, dtype=np.int64)  # tie k joins _a[k] and _b[k], in the order ties formed
        self._b = np.empty(0, dtype=np.int64)
        self._keys = np.empty(0, dtype=np.int64)  # sorted keys of the ties in _a/_b
        self._gone: list[np.ndarray] = []  # insiders who left since the last flush()
        self._flipped: list[tuple[np.ndarray, np.ndarray]] = []  # (ids, ±1) insider flags changed, applied at the next flush()

    # ----- reading the ties -----------------------------------------------------------
    def edges(self) -> tuple[np.ndarray, np.ndarray]:
        """Ties between researchers still active, as two id arrays (in the order they formed)."""
        alive = self.pop.alive
        keep = alive[self._a] & alive[self._b]
        return self._a[keep], self._b[keep]

    def degree(self, idx: np.ndarray) -> np.ndarray:
        """Number of ties of each researcher in ``idx``."""
        a, b = self.edges()
        deg = np.bincount(a, minlength=self.pop.n) + np.bincount(b, minlength=self.pop.n)
        return deg[idx]

    def neighbours(self, i: int) -> np.ndarray:
        """Ids tied to researcher ``i``, in the order the ties formed."""
        a, b = self.edges()
        return np.where(a == i, b, a)[(a == i) | (b == i)]

    @property
    def graph(self) -> nx.Graph:
        """A networkx copy of the active network (built on demand; the model never uses it)."""
        g = nx.Graph()
        g.add_nodes_from(self.pop.alive_idx().tolist())
        a, b = self.edges()
        g.add_edges_from(zip(a.tolist(), b.tolist(), strict=True))
        return g

    # ----- forming ties ---------------------------------------------------------------
    def _accepted(self, a: np.ndarray, b: np.ndarray, u: np.ndarray) -> np.ndarray:
        """Which meetings (a[k], b[k]) become ties (``u``: their uniforms): each mismatch is refused with probability ``homophily``."""
        pop = self.pop
        mismatches = (
            (pop.sector[a] != pop.sector[b]).astype(np.int8)
            + (pop.working_class[a] != pop.working_class[b])
            + (pop.disabled[a] != pop.disabled[b])
        )
        keep = (1.0 - self.params.homophily) ** np.arange(4, dtype=np.int8)  # by number of mismatches (same powers)
        return (a != b) & (u < keep[mismatches])

    def add(self, new: np.ndarray, pool: np.ndarray) -> None:
        """Add researchers ``new``; each meets ``4 × ties_at_entry`` people from ``pool`` and keeps up to ``ties_at_entry``."""
        self.flush()
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
        """Add ties (a[k], b[k]) that do not exist yet (in either direction), updating insider-tie counts."""
        if len(a) == 0:
            return
        a = np.asarray(a, dtype=np.int64)
        b = np.asarray(b, dtype=np.int64)
        keys, first = _first_of_each((np.minimum(a, b) << _SHIFT) | np.maximum(a, b))
        pos = np.searchsorted(self._keys, keys)
        exists = np.zeros(len(keys), dtype=bool)
        inside = pos < len(self._keys)
        exists[inside] = self._keys[pos[inside]] == keys[inside]
        if exists.all():
            return
        fresh = ~exists
        self._keys = _insert_sorted(self._keys, pos[fresh], keys[fresh])
        new = np.zeros(len(a), dtype=bool)
        new[first[fresh]] = True  # new ties in the order the meetings happened
        na, nb = a[new], b[new]
        self._a = np.concatenate([self._a, na])
        self._b = np.concatenate([self._b, nb])
        insider = self.pop.insider
        _count_into(self.pop.insider_ties, np.concatenate([na[insider[nb]], nb[insider[na]]]), self.pop.n)  # ties to insiders

    def grow(self, alive: np.ndarray, new_ties: float) -> None:
        """About ``new_ties`` × N random meetings a year (``meetings.yearly``); homophily decides which become ties."""
        self.flush()
        self._compact()
        if len(alive) < 2 or new_ties <= 0:
            return
        a, b, u = meetings.yearly(self.streams, alive, new_ties, self.year)
        ok = self._accepted(a, b, u)
        self._add_edges(a[ok], b[ok])

    def add_cross_sector_ties(self, holders: np.ndarray, ties: int, alive: np.ndarray) -> None:
        """Tie each of ``holders`` to up to ``ties`` distinct insiders drawn at random (joint posts bridge the sectors)."""
        insiders = alive[self.pop.insider[alive]]
        k = min(ties, len(insiders))
        if k == 0 or len(holders) == 0:
            return
        chosen = meetings.joint_post_partners(self.streams, holders, insiders, k, self.year)
        self._add_edges(np.repeat(holders, k), chosen.ravel())

    # ----- ending ties ----------------------------------------------------------------
    def _compact(self) -> None:
        """Drop ties to researchers who left, once they are a quarter of all ties.

        Until then they cost only a little scanning: every query ignores them, and no new
        tie can duplicate one (leavers form no ties), so when they go changes no result.
        """
        alive = self.pop.alive
        keep = alive[self._a] & alive[self._b]
        if 4 * np.count_nonzero(keep) >= 3 * len(keep):
            return
        self._a, self._b = self._a[keep], self._b[keep]
        self._keys = self._keys[alive[self._keys >> _SHIFT] & alive[self._keys & _LOW]]  # still sorted

    def _spread(self, delta: np.ndarray, idx: np.ndarray) -> None:
        """Add ``delta[k]`` to the insider-tie count of every active neighbour of ``idx[k]`` (a repeated id's deltas add up)."""
        if len(idx) == 0:
            return
        pop = self.pop
        step = np.zeros(pop.n, dtype=np.int32)
        np.add.at(step, idx, delta)
        a, b = self._a, self._b
        alive = pop.alive
        # One pass over the ties (which touch idx), then only those few are read further.
        marked = step != 0
        to_b = np.flatnonzero(marked[a])
        to_b = to_b[alive[b[to_b]]]
        to_a = np.flatnonzero(marked[b])
        to_a = to_a[alive[a[to_a]]]
        np.add.at(pop.insider_ties, b[to_b], step[a[to_b]])
        np.add.at(pop.insider_ties, a[to_a], step[b[to_a]])

    def remove(self, idx: np.ndarray) -> None:
        """Drop researchers who left (already marked not alive); neighbours lose their insider ties at the next ``flush()``."""
        gone = idx[self.pop.insider[idx]]
        if len(gone):
            self._gone.append(gone)

    def flush(self) -> None:
        """Bring ``pop.insider_ties`` up to date with every departure (and deferred flag change) so far, in one pass over the ties.

        Departures happen month by month but insider-tie counts are read once a year (the
        yearly review's tacit access), so their effect on neighbours is applied in one batch.
        """
        if self._gone or self._flipped:
            ids = [*self._gone, *(i for i, _ in self._flipped)]
            delta = [*(np.full(len(g), -1, dtype=np.int32) for g in self._gone), *(d for _, d in self._flipped)]
            self._gone, self._flipped = [], []
            self._spread(np.concatenate(delta), np.concatenate(ids))

    def changed_insider(self, idx: np.ndarray, later: bool = False) -> None:
        """Neighbours of researchers whose insider flag just flipped gain or lose an insider tie.

        With ``later``, at the next ``flush()`` (one pass over the ties for both): only right
        when no one leaves and no tie forms in between (the neighbours counted are those active then).
        """
        delta = np.where(self.pop.insider[idx], 1, -1).astype(np.int32)
        if later:
            if len(idx):
                self._flipped.append((idx, delta))
            return
        self._spread(delta, idx)

    # ----- neighbour lists ------------------------------------------------------------
    def _ends(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Ties of ``rows`` to active researchers as (row position, neighbour id, half-edge 2k or 2k+1 of tie k), unordered."""
        pop = self.pop
        where = np.full(pop.n, -1, dtype=np.int64)
        where[rows] = np.arange(len(rows))  # a repeated row keeps its last position
        a, b = self._a, self._b
        wa, wb = where[a], where[b]
        ka = np.flatnonzero(wa >= 0)  # ties k whose a-end is a row: neighbour b[k]
        ka = ka[pop.alive[b[ka]]]
        kb = np.flatnonzero(wb >= 0)
        kb = kb[pop.alive[a[kb]]]
        return np.concatenate([wa[ka], wb[kb]]), np.concatenate([b[ka], a[kb]]), np.concatenate([2 * ka, 2 * kb + 1])

    def neighbour_pairs(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Active neighbours of ``rows`` as (row position, neighbour id), in no set order (enough for counting)."""
        owner, nbr, _ = self._ends(rows)
        return owner, nbr

    def neighbour_lists(self, rows: np.ndarray, among: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Active neighbours of ``rows`` as (row position, neighbour id), grouped by row, ties in the order they formed.

        ``among`` (a mask over ids) keeps only the neighbours it marks, before sorting.
        """
        owner, nbr, half = self._ends(rows)
        if among is not None:
            sel = among[nbr]
            owner, nbr, half = owner[sel], nbr[sel], half[sel]
        order = np.argsort(owner * (2 * len(self._a)) + half)  # by row, then by tie (a-end first)
        return owner[order], nbr[order]


def _first_of_each(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct ``keys`` in ascending order and where each first occurs (``np.unique(keys, return_index=True)``, with less overhead)."""
    big = len(keys) > 4096  # a stable sort's cost jumps past a few thousand keys (measured); then the first of equals is found apart
    order = np.argsort(keys) if big else np.argsort(keys, kind="stable")
    ordered = keys[order]
    first = np.empty(len(keys), dtype=bool)
    first[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    if big:
        start = np.flatnonzero(first)
        return ordered[start], np.minimum.reduceat(order, start)
    return ordered[first], order[first]


def _count_into(counts: np.ndarray, ids: np.ndarray, n: int) -> None:
    """Add one to ``counts[i]`` for each occurrence of ``i`` in ``ids`` (all below ``n``): ``np.add.at``, or a bincount when that is cheaper."""
    if 64 * len(ids) > n:
        counts[:n] += np.bincount(ids, minlength=n).astype(counts.dtype)
    elif len(ids):
        np.add.at(counts, ids, 1)


def _insert_sorted(keys: np.ndarray, at: np.ndarray, new: np.ndarray) -> np.ndarray:
    """``np.insert(keys, at, new)`` for nondecreasing ``at`` (the positions ``searchsorted`` gives), with less overhead."""
    out = np.empty(len(keys) + len(new), dtype=keys.dtype)
    slots = at + np.arange(len(new))
    old = np.ones(len(out), dtype=bool)
    old[slots] = False
    out[slots] = new
    out[old] = keys
    return out
