"""Funded posts: conservation, displacement without added posts, the envelope and funding shocks."""

import numpy as np
from model_testing import clearly_negative, paired, small_config, with_policies

from model import contracts, run_one
from model.career_model import CareerModel
from model.posts import ESTABLISHMENT, GRANT, UNDERWRITTEN, scored_draw
from model.streams import Streams

REPS = 6


def test_posts_are_conserved_every_month(monkeypatch):
    cfg = with_policies(small_config(population=600, years=6), {"type": "open_ended_contracts", "after_years": 2}, {"type": "bridge_funding"})
    checked = []
    original = contracts.month

    def month(model, in_gap, due):
        original(model, in_gap, due)
        posts, pop = model.posts, model.pop
        alive = pop.alive_idx()
        held = np.bincount(pop.post[alive], minlength=4)
        # Counters match a recount from the researchers' own rows...
        assert (held[1:] == posts.filled[1:]).all(), (held, posts.filled)
        # ... grant posts with money behind them are filled or vacant (created - ended - lapsed, counted apart) ...
        assert posts.funded_grant == held[GRANT] + len(posts.vacancy_months)
        # ... and nobody holds an open-ended post beyond the establishment, or a post while in a gap.
        assert held[ESTABLISHMENT] <= posts.establishment
        assert not ((pop.contract[alive] == 2) & (pop.post[alive] != 0)).any()
        assert posts.funded() == held[GRANT] + len(posts.vacancy_months) + posts.establishment + held[UNDERWRITTEN]
        checked.append(model.month)

    monkeypatch.setattr(contracts, "month", month)
    CareerModel(cfg, 3).run()
    assert len(checked) == 12 * (cfg.run.years + cfg.run.burn_in_years)


def test_bridge_funding_without_posts_displaces_entrants_not_employment():
    # Bridge funding pays salary months in a gap but adds no post: more insiders stay to
    # compete, so fewer entrants are hired while person-years in post stay where the posts hold them.
    base = small_config(population=1000, years=10)
    bridged = with_policies(base, {"type": "bridge_funding", "stages": ["early", "mid"], "min_service_years": 0, "max_months": 12, "yearly_budget": 1e8})
    assert clearly_negative(paired(base, bridged, "entrants_hired", REPS))
    assert clearly_negative(paired(base, bridged, "exits_funding_gap", REPS))
    employed = paired(base, bridged, "employed_years", REPS)
    total = run_one(base, 7).metrics()["employed_years"]
    # Posts bind: the change in person-years in post is under 1% of the total (the gain in
    # retention is an order of magnitude larger in entrants displaced).
    assert abs(employed.mean()) < 0.01 * total, (employed.mean(), total)


def test_doubling_the_grant_envelope_raises_employment():
    base = small_config(population=800, years=8)
    double = small_config(population=800, years=8, **{"posts.grant_envelope": 2 * base.posts.grant_envelope})
    assert clearly_negative(-paired(base, double, "employed_years", 4))
    assert clearly_negative(-paired(base, double, "entrants_hired", 4))


def test_funding_shock_means_fewer_posts_more_gaps_fewer_hires():
    base = small_config(population=1000, years=6)
    data = base.model_dump()
    data["shocks"] = [{"year": 0, "size": 0.4, "recovery_years": 4}]
    shocked = type(base).model_validate(data)
    seeds = np.random.SeedSequence(11).spawn(4)
    posts0 = posts1 = 0
    for s in seeds:
        y0, y1 = run_one(base, s).yearly.iloc[:3], run_one(shocked, s).yearly.iloc[:3]
        posts0, posts1 = posts0 + y0["grant_posts_created"].sum(), posts1 + y1["grant_posts_created"].sum()
        assert y1["gap_starts"].sum() > y0["gap_starts"].sum()
        assert y1["entrants_hired"].sum() < y0["entrants_hired"].sum()
    # The climate over the three years is 0.6, 0.7, 0.8 of the baseline's, so new grant posts
    # fall to about 0.7. Pooled over 4 seeds (about 2,000 Poisson posts) the ratio's SD is
    # about 0.02, so "< 0.8" holds with 4 SDs to spare (one seed alone has an SD of 0.045).
    assert posts1 < 0.8 * posts0


def test_scored_draw_favours_higher_scores_and_respects_k():
    streams = Streams(np.random.SeedSequence(0))
    score = np.array([0.0] * 500 + [2.0] * 500)
    ids = np.arange(1000)
    picks = np.concatenate([scored_draw(streams, "hire", ids, score, 100, step) for step in range(200)])
    assert len(np.unique(scored_draw(streams, "hire", ids, score, 100, 0))) == 100
    high = (picks >= 500).mean()
    # Weights 1 vs e^2 = 7.39: without replacement, from 1,000 with k = 100 the high group's share is near 7.39 / 8.39 = 0.88.
    assert 0.84 < high < 0.91, high
    assert len(scored_draw(streams, "hire", ids[:3], np.array([0.0, -np.inf, 1.0]), 3, 0)) == 2
    # A candidate's key is their own: dropping others from the pool never reorders those left.
    keys = streams.weighted_keys("hire", ids, score, 7)
    sub = ids[::3]
    assert np.array_equal(np.argsort(streams.weighted_keys("hire", sub, score[sub], 7)), np.argsort(keys[sub]))
