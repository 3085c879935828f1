"""Policies do what their scenarios say (issue 23); each test failed on the code before the fix."""

import numpy as np
import pandas as pd
from model_testing import small_config, with_policies

from model import contracts, run_one, uncertainty
from model.career_model import CareerModel
from model.population import DOCTORAL, EARLY, FIXED, GAP, UNIVERSITY

OPEN_ENDED = {"type": "open_ended_contracts", "after_years": 2, "redeploy_prob": 0.8, "redeploy_months": 3}


def _events(cfg, seed) -> pd.DataFrame:
    return run_one(cfg, seed).events


def test_redeployment_is_once_per_funding_end():
    cfg = with_policies(small_config(population=800, years=10), OPEN_ENDED)
    ev = _events(cfg, 4)
    ev = ev[ev["event"].isin(["contract_start", "redeployed"])].reset_index(drop=True)
    redeployed = ev[ev["event"] == "redeployed"]
    assert len(redeployed) > 30, "too few redeployments to test"
    # A funding-end redeployment starts a 3-month underwritten spell (a contract_start logged just after it).
    repeats = 0
    for _, person in ev.groupby("researcher_id"):
        kinds, times = person["event"].tolist(), person["time"].to_numpy()
        spell_start = None
        for k, t in zip(kinds, times, strict=True):
            if k == "redeployed":
                if spell_start is not None and abs(t - spell_start - 3 / 12) < 1e-6:
                    repeats += 1  # redeployed again when the redeployment spell itself ended
                spell_start = t
            elif spell_start is not None and t > spell_start + 1e-9:
                spell_start = None  # a new contract that is not the redeployment spell
    assert repeats == 0, f"{repeats} redeployments at the end of a redeployment spell"


def test_conversion_needs_continuous_service_since_the_last_gap():
    after = 3
    cfg = with_policies(small_config(population=800, years=10), {**OPEN_ENDED, "after_years": after})
    ev = _events(cfg, 5)
    converted = ev[ev["event"] == "open_ended"]
    gaps = ev[ev["event"] == "gap_start"]
    assert len(converted) > 20
    last_gap = gaps.groupby("researcher_id")["time"].max()
    joined = converted.join(last_gap.rename("last_gap"), on="researcher_id")
    joined = joined[joined["last_gap"] < joined["time"]]
    # Conversion at a review: at least `after` years in post since the gap (a gap ends after at least one month).
    assert (joined["time"] - joined["last_gap"] >= after - 1e-9).all(), joined[joined["time"] - joined["last_gap"] < after].head()


def _mentor_shares(cfg, seed):
    m = CareerModel(cfg, seed)
    informal, formal_of_unmentored = [], []
    for _ in range(cfg.run.burn_in_years + cfg.run.years - 1):
        m.step()
        pop = m.pop
        alive = m.alive_idx()
        young = alive[pop.stage[alive] <= EARLY]
        informal.append(np.mean((pop.mentor[young] >= 0) & ~pop.mentor_formal[young]))
        without_informal = young[(pop.mentor[young] < 0) | pop.mentor_formal[young]]
        formal_of_unmentored.append(pop.mentor_formal[without_informal].mean())
    return np.mean(informal[-6:]), np.mean(formal_of_unmentored[-6:])


def test_fair_mentoring_matches_the_unmentored_after_informal_matching():
    base = small_config(population=1000, years=8)
    policy = with_policies(base, {"type": "fair_mentoring", "coverage": 0.8, "extra_capacity": 4, "incentive_per_mentee_year": 3000})
    informal_base, _ = _mentor_shares(base, 2)
    informal_policy, formal_share = _mentor_shares(policy, 2)
    # Before the fix formal matching ran first and informal mentoring fell from 0.6 to about 0.1;
    # mentees kept formally stop seeking an informal mentor, so some fall remains (well under half).
    assert informal_policy > 0.6 * informal_base, (informal_base, informal_policy)
    # Coverage means 80% of those without an informal mentor (places are ample here): within 3 points
    # (rounding to whole people and promotions within the year move it by about 1 point).
    assert abs(formal_share - 0.8) < 0.03, formal_share


def test_joint_posts_are_held_only_in_post():
    cfg = with_policies(small_config(population=800, years=8), {"type": "joint_posts", "coverage": 0.5})
    m = CareerModel(cfg, 6)
    in_gap = []
    while m.time < m.end_time - 1e-9:
        m.step()
        pop = m.pop
        alive = m.alive_idx()
        holders = alive[pop.joint_post[alive]]
        in_gap.append(int(np.count_nonzero(pop.contract[holders] == GAP)))
    assert sum(in_gap) == 0, in_gap
    assert not (m.pop.joint_post[m.alive_idx()] & (m.pop.sector[m.alive_idx()] == UNIVERSITY)).any()


def test_bridge_funding_reaches_phd_completers():
    cfg = with_policies(small_config(population=800, years=10), {"type": "bridge_funding", "min_service_years": 2, "yearly_budget": 5e6})
    m = CareerModel(cfg, 3).run()
    pop = m.pop
    n = pop.n
    bridged_completers = (pop.bridged_months[:n] > 0) & (pop.entry_stage[:n] == DOCTORAL) & (pop.service_years[:n] < 2)
    # Before the fix every bridged researcher had 2+ years' service (service never falls).
    assert np.count_nonzero(bridged_completers) > 5


def _in_bridged_gap(cfg):
    m = CareerModel(cfg, 8)
    for _ in range(cfg.run.burn_in_years + 2):
        m.step()
    pop = m.pop
    alive = m.alive_idx()
    who = alive[(pop.stage[alive] == EARLY) & (pop.contract[alive] == FIXED) & (pop.service_years[alive] >= 2) & ~pop.gap_this_year[alive]][:5]
    assert len(who) == 5
    contracts.start_gaps(m, who)
    assert pop.gap_this_year[who].all()
    contracts.gap_month(m, who)
    return m, who


def test_a_bridged_gap_is_not_a_gap_for_satisfaction_or_uncertainty():
    cfg = with_policies(small_config(population=600, years=6), {"type": "bridge_funding", "yearly_budget": 1e9, "max_months": 6})
    m, who = _in_bridged_gap(cfg)
    pop = m.pop
    stayed = who[pop.alive[who]]
    assert (pop.bridged_this_gap[stayed] == 1).all()
    assert not pop.gap_this_year[stayed].any(), "a fully paid gap counted as a gap for satisfaction"
    u = uncertainty.contract_uncertainty(m, stayed)
    # Like a contract with 5 months left: exp(-5 / uncertainty_months), not the 1.0 of an unpaid gap.
    expected = np.exp(-5 / cfg.satisfaction.uncertainty_months)
    assert np.allclose(u, expected), (u, expected)


def test_an_unpaid_gap_still_counts():
    cfg = with_policies(small_config(population=600, years=6), {"type": "bridge_funding", "yearly_budget": 0.0})
    m, who = _in_bridged_gap(cfg)
    stayed = who[m.pop.alive[who]]
    assert m.pop.gap_this_year[stayed].all()
    assert np.allclose(uncertainty.contract_uncertainty(m, stayed), 1.0)
