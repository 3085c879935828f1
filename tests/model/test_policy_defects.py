"""Policy defects found by trying the model as a reviewer would; each test fails on the old code."""

import numpy as np
from model_testing import small_config, with_policies

from model.career_model import CareerModel
from model.population import DOCTORAL, EARLY, GAP, MID, PERMANENT, SENIOR


def _model(cfg, seed=3) -> CareerModel:
    return CareerModel(cfg, seed).run()


def test_doctoral_researchers_are_never_converted_and_finish_in_bounded_time():
    cfg = with_policies(small_config(population=800, years=12), {"type": "open_ended_contracts", "after_years": 1})
    m = _model(cfg)
    pop = m.pop
    alive = pop.alive_idx()
    doctoral = alive[pop.stage[alive] == DOCTORAL]
    # Students are not staff: no doctoral researcher holds an open-ended post.
    assert not (pop.contract[doctoral] == PERMANENT).any()
    # A studentship lasts at most doctoral_months + 6 months, so nobody is doctoral for more than 5 reviews.
    limit = int(np.ceil((cfg.contracts.doctoral_months + 6) / 12)) + 1
    assert pop.years_in_stage[doctoral].max(initial=0) <= limit


def test_service_counts_from_the_first_post_doctoral_post():
    m = _model(small_config(population=800, years=12))
    pop = m.pop
    n = pop.n
    entered = np.flatnonzero((pop.entry_year[:n] >= 0) & pop.alive[:n] & (pop.entry_stage[:n] == DOCTORAL))
    assert len(entered) > 50
    # A studentship is at least 36 months: its first three yearly reviews add no service.
    reviews = m.year - pop.entry_year[entered] + 1
    assert (pop.service_years[entered] <= np.maximum(reviews - 3, 0)).all()


def _coverage_share(cfg, eligible_fn, column: str) -> float:
    m = CareerModel(cfg, 5)
    shares = []
    while m.running and m.time < m.end_time - 1e-9:
        m.step()
        if m.year >= 2:  # shares are measured at the start of each year, after the policy's assignment
            pop = m.pop
            alive = m.alive_idx()
            eligible = alive[eligible_fn(pop, alive)]
            shares.append(getattr(pop, column)[eligible].mean())
    return float(np.mean(shares))


def test_protected_time_coverage_is_the_share_covered_at_a_time():
    cfg = with_policies(small_config(population=800, years=8), {"type": "protected_time", "coverage": 0.5})

    def eligible(pop, alive):
        return ((pop.stage[alive] == EARLY) | (pop.stage[alive] == MID)) & (pop.contract[alive] != GAP)

    share = _coverage_share(cfg, eligible, "protected")
    # The old yearly offers accumulated to ~84%; rounding and within-year moves keep it within 2 points of 50%.
    assert abs(share - 0.5) < 0.02, share


def test_joint_posts_share_is_held_not_accumulated():
    cfg = with_policies(small_config(population=800, years=8), {"type": "joint_posts", "coverage": 0.3})
    share = _coverage_share(cfg, lambda pop, alive: (pop.sector[alive] != 0) & (pop.stage[alive] >= EARLY), "joint_post")
    assert abs(share - 0.3) < 0.03, share


def test_protected_time_ends_on_promotion_and_every_holder_is_costed():
    cfg = with_policies(small_config(population=800, years=8), {"type": "protected_time", "coverage": 0.5, "share_of_time": 0.2})
    m = CareerModel(cfg, 9)
    for _ in range(cfg.run.burn_in_years + 4):
        m.step()
    pop = m.pop
    alive = m.alive_idx()
    holders = alive[pop.protected[alive]]
    assert not (pop.stage[holders] == SENIOR).any(), "protected time continued after promotion without being costed"
    expected = 0.2 * 12 * m.salary_months(pop.stage[holders]).sum()
    assert np.isclose(m.spend["protected_time"], expected)


def test_mentoring_incentive_buys_mentor_places():
    # Places are short when each volunteer takes one formal mentee and no one finds an informal
    # mentor (the scheme serves only those without one), so the incentive decides how many are matched.
    base = small_config(population=800, years=6, **{"network.informal_mentor_rate": 0.0})
    low = with_policies(base, {"type": "fair_mentoring", "coverage": 1.0, "extra_capacity": 1, "incentive_per_mentee_year": 50})
    high = with_policies(base, {"type": "fair_mentoring", "coverage": 1.0, "extra_capacity": 1, "incentive_per_mentee_year": 3000})
    seeds = np.random.SeedSequence(4).spawn(3)
    from model import run_one

    diffs = [run_one(high, s).yearly["share_mentored"].mean() - run_one(low, s).yearly["share_mentored"].mean() for s in seeds]
    # Participation rises from 14% to 91% of mentors: a difference of many points, beyond run noise (about 1 point).
    assert min(diffs) > 0.03, diffs


def test_open_ended_underwriting_is_costed():
    cfg = with_policies(
        small_config(population=800, years=8),
        {"type": "open_ended_contracts", "after_years": 2, "redeploy_prob": 1.0, "redeploy_months": 3},
    )
    m = _model(cfg, 6)
    assert m.pop.open_ended[m.alive_idx()].sum() > 20
    from model import run_one

    y = run_one(cfg, 6).yearly
    # Grants behind converted posts end every year; the employer pays salary for each redeployment.
    assert (y["spend_open_ended_contracts"].iloc[2:] > 0).all()
