"""The cheaper forms of yearly work give exactly what the plain forms they replaced give.

Each speed-up keeps results bit for bit the same for the same seed; these tests pin the
pieces that could silently drift: the numpy stand-ins, batched exits, unordered
neighbour counts and a deferred insider-tie update.
"""

from __future__ import annotations

import numpy as np
import pytest
from model_testing import small_config

from model.career_model import CareerModel
from model.network import _count_into, _first_of_each, _insert_sorted
from model.population import CARING, DISSATISFACTION, RETIREMENT, sorted_distinct


@pytest.mark.parametrize("size", [1, 50, 3000, 9000])  # both sides of the 4096-key switch in _first_of_each
def test_numpy_stand_ins_equal_numpy(size):
    rng = np.random.default_rng(size)
    keys = rng.integers(0, max(2, size // 3), size).astype(np.int64)  # many repeats
    got, first = _first_of_each(keys)
    want, want_first = np.unique(keys, return_index=True)
    assert np.array_equal(got, want) and np.array_equal(first, want_first)
    assert np.array_equal(sorted_distinct(keys), np.unique(keys))
    table = np.sort(rng.integers(0, 10**6, 500))
    new = np.sort(rng.integers(0, 10**6, size))
    at = np.searchsorted(table, new)
    assert np.array_equal(_insert_sorted(table, at, new), np.insert(table, at, new))
    for n in (size + 10, 64 * size + 10):  # the bincount and the add.at branch
        ids = rng.integers(0, n, size)
        counts, want_counts = np.zeros(n, np.int32), np.zeros(n, np.int32)
        _count_into(counts, ids, n)
        np.add.at(want_counts, ids, 1)
        assert np.array_equal(counts, want_counts)


def _model(seed: int = 3) -> CareerModel:
    m = CareerModel(small_config(population=500, years=6, burn_in=2), seed)
    m.run_until(4.0)  # mid-run: mentors, posts, insiders and ties in place
    return m


def _state(m: CareerModel) -> dict:
    pop = m.pop
    cols = {k: v[: pop.n].copy() for k, v in pop.__dict__.items() if isinstance(v, np.ndarray)}
    events = [(c[1], c[2].tolist(), c[3], c[4]) for c in m.events.chunks]
    gone = np.sort(np.concatenate(m.network._gone)) if m.network._gone else np.zeros(0)
    posts = (m.posts.filled.copy(), m.posts.vacancy_months.copy(), m.posts.funded_grant)
    return {"cols": cols, "events": events, "counts": dict(m.counts), "gone": gone, "posts": posts, "agents": len(m.agents)}


def _equal(x, y) -> bool:
    if isinstance(x, dict):
        return x.keys() == y.keys() and all(_equal(x[k], y[k]) for k in x)
    if isinstance(x, (list, tuple)):
        return len(x) == len(y) and all(_equal(a, b) for a, b in zip(x, y, strict=True))
    if isinstance(x, np.ndarray):
        return np.array_equal(x, y)
    return x == y


def test_leavers_in_one_exit_groups_call_equal_leaving_group_by_group():
    a, b = _model(), _model()
    alive = a.alive_idx()
    # Mentors with mentees among the leavers, so the mentee bookkeeping is exercised too.
    mentors = alive[a.pop.informal_mentees[alive] > 0]
    assert len(mentors) >= 6
    mentees = alive[np.isin(a.pop.mentor[alive], mentors[:3])]
    rest = np.setdiff1d(alive, np.concatenate([mentors[:6], mentees]))
    groups = [(mentors[:3], RETIREMENT), (np.concatenate([mentees[:2], rest[:20]]), DISSATISFACTION), (mentors[3:6], CARING)]
    a.exit_groups(groups)
    for ids, reason in groups:
        b.exit(ids, reason)
    assert _equal(_state(a), _state(b))


def test_unordered_neighbour_pairs_are_the_ordered_lists_as_a_multiset():
    m = _model()
    rows = m.rng.permutation(m.alive_idx())[:80]
    owner, nbr = m.network.neighbour_pairs(rows)
    lo, ln = m.network.neighbour_lists(rows)
    assert len(owner) > 80
    assert sorted(zip(owner.tolist(), nbr.tolist(), strict=True)) == sorted(zip(lo.tolist(), ln.tolist(), strict=True))


def test_a_deferred_insider_update_equals_an_immediate_one():
    a, b = _model(), _model()
    pop_a, pop_b = a.pop, b.pop
    movers = a.alive_idx()[:: 7][:40]
    for pop in (pop_a, pop_b):  # flip them out of (or into) the university, as a sector move does
        pop.sector[movers] = np.where(pop.sector[movers] == 0, 1, 0)
    a.network.changed_insider(pop_a.refresh_insider(movers))
    b.network.changed_insider(pop_b.refresh_insider(movers), later=True)
    assert not np.array_equal(pop_a.insider_ties, pop_b.insider_ties)  # b's update is still pending
    a.network.flush()
    b.network.flush()
    assert np.array_equal(pop_a.insider_ties, pop_b.insider_ties)
