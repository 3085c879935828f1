"""The counter-based streams behind common random numbers (model/streams.py)."""

import numpy as np
import pytest
from scipy import stats

from model.streams import CheckedStreams, Streams


def streams(seed: int = 1) -> Streams:
    return Streams(np.random.SeedSequence(seed))


def test_a_draw_depends_on_the_id_not_on_who_else_is_drawn():
    s = streams()
    everyone = np.arange(1000)
    some = np.array([3, 999, 17, 500])
    assert np.array_equal(s.uniform("renewal", everyone, 12)[some], s.uniform("renewal", some, 12))


def test_same_seed_same_draws_other_seed_decision_step_or_draw_other_draws():
    ids = np.arange(200)
    base = streams(1).uniform("gap_exit", ids, 40)
    assert np.array_equal(base, streams(1).uniform("gap_exit", ids, 40))
    for other in (
        streams(2).uniform("gap_exit", ids, 40),
        streams(1).uniform("renewal", ids, 40),
        streams(1).uniform("gap_exit", ids, 41),
        streams(1).uniform("gap_exit", ids, 40, draw=1),
    ):
        # Independent uniforms agree by chance with probability 0 (doubles); nearly all differ.
        assert np.mean(base == other) == 0.0
        assert abs(np.corrcoef(base, other)[0, 1]) < 0.25  # 200 pairs: |r| > 0.25 has p < 0.001


def test_a_seed_sequence_is_not_consumed():
    ss = np.random.SeedSequence(7)
    a = Streams(ss).uniform("x", np.arange(10), 0)
    b = Streams(ss).uniform("x", np.arange(10), 0)
    assert np.array_equal(a, b)


@pytest.mark.parametrize("step", [0, 1, 359])
def test_uniforms_are_uniform_and_uncorrelated_across_neighbouring_ids(step):
    u = streams(3).uniform("promotion", np.arange(100_000), step)
    # KS at n = 1e5: a genuine uniform gives p < 1e-3 one time in a thousand.
    assert stats.kstest(u, "uniform").pvalue > 1e-3
    assert abs(np.corrcoef(u[:-1], u[1:])[0, 1]) < 0.015  # SE 1/sqrt(1e5) = 0.003: five SEs


def test_derived_distributions_have_their_moments():
    s, ids = streams(4), np.arange(200_000)
    # SEs at n = 2e5: normal mean 0.0022, exponential mean 0.0022, gamma(2, 3) mean 0.0095.
    assert abs(s.normal("a", ids, 0).mean()) < 0.01
    assert abs(s.normal("a", ids, 0).std() - 1) < 0.01
    assert abs(s.exponential("b", ids, 0).mean() - 1) < 0.01
    assert abs(s.gamma("c", ids, 0, shape=2.0, scale=3.0).mean() - 6) < 0.05
    assert abs(s.logistic("d", ids, 0).var() - np.pi**2 / 3) < 0.05


def test_choose_gives_distinct_members_and_keeps_shared_members_choices():
    s = streams(5)
    pool = np.arange(100)
    chosen = s.choose("hire", pool, 10, 3)
    assert len(set(chosen)) == 10 and set(chosen) <= set(pool)
    # Adding candidates can only displace choices, never reorder the earlier pool's keys.
    bigger = s.order("hire", np.arange(150), 3)
    assert list(bigger[np.isin(bigger, pool)]) == list(s.order("hire", pool, 3))


def test_checked_streams_refuse_a_repeated_key():
    s = CheckedStreams(np.random.SeedSequence(1))
    s.uniform("renewal", np.array([1, 2]), 5)
    s.uniform("renewal", np.array([1, 2]), 6)
    s.uniform("renewal", np.array([1, 2]), 5, draw=1)
    with pytest.raises(AssertionError, match="drawn twice"):
        s.uniform("renewal", np.array([2, 3]), 5)


def test_uniforms_batch_equals_draw_by_draw_calls():
    s = Streams(np.random.SeedSequence(11))
    ids = np.array([3, 17, 17, 900, 5])
    batch = s.uniforms("meet", ids, 4, 3)
    assert batch.shape == (5, 3)
    for j in range(3):
        assert np.array_equal(batch[:, j], s.uniform("meet", ids, 4, draw=j))
    checked = CheckedStreams(np.random.SeedSequence(11))
    assert np.array_equal(checked.uniforms("meet", ids[[0, 1, 3]], 4, 3), batch[[0, 1, 3]])
    with pytest.raises(AssertionError):
        checked.uniforms("meet", ids[:1], 4, 1)
