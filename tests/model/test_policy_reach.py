"""An audit of every policy from its reach figures (model/reach.py): eligibility, coverage, spend.

For each policy, one run with only that policy: nobody reached who was not eligible
(leakage), nobody eligible outside the groups its rules allow, the declared coverage met
within a tolerance set by the number of decisions, and spend = units reached × price, the
sum of which is the policy's booked spending.
"""

import math

import numpy as np
from model_testing import small_config, with_policies

from model import run_one
from model.career_model import CareerModel
from model.policies import POLICIES

SALARY = {"doctoral": "salary_doctoral", "early": "salary_early", "mid": "salary_mid", "senior": "salary_senior"}


def _run(policy: dict, seed: int = 12, population: int = 800):
    cfg = with_policies(small_config(population=population, years=8), policy)
    result = run_one(cfg, seed)
    return cfg, result.reach, result.yearly


def _row(reach, benefit, group="all", value="all"):
    sel = reach[(reach["benefit"] == benefit) & (reach["group"] == group) & (reach["value"] == value)]
    assert len(sel) == 1, (benefit, group, value)
    return sel.iloc[0]


def _binomial_tolerance(p: float, n: int) -> float:
    """4 standard errors of a share of n independent draws at p: a false failure under 1 in 10,000."""
    return 4 * math.sqrt(p * (1 - p) / n) if n else 1.0


def _rounding_tolerance(cfg, n: int) -> float:
    """Held shares are rounded to whole people once a year: at most half a person a year off."""
    return 0.5 * cfg.run.years / n + 1e-12


def _common(cfg, reach, yearly, policy_type):
    assert len(reach), f"{policy_type} booked nothing"
    assert (reach["leakage_people"] == 0).all(), reach[reach["leakage_people"] > 0]
    top = reach[reach["group"] == "all"]
    booked = float(yearly[f"spend_{policy_type}"].sum())
    assert math.isclose(float((top["spend_gbp"] + top["overhead_gbp"]).sum()), booked, rel_tol=1e-9, abs_tol=1e-6)
    for (benefit, group), rows in reach[reach["group"] != "all"].groupby(["benefit", "group"]):
        whole = _row(reach, benefit)
        assert rows["reached_decisions"].sum() == whole["reached_decisions"], (benefit, group)
        assert math.isclose(rows["spend_gbp"].sum(), whole["spend_gbp"], rel_tol=1e-9, abs_tol=1e-6), (benefit, group)
    assert (reach["reached_people"] <= reach["eligible_people"]).all()


def _by_stage_salary(cfg, reach, benefit, factor):
    for stage, name in SALARY.items():
        r = _row(reach, benefit, "stage", stage)
        assert math.isclose(r["spend_gbp"], r["reached_person_months"] * factor * getattr(cfg.gaps, name), rel_tol=1e-9, abs_tol=1e-6), stage


def _none_in(reach, benefit, group, values):
    for v in values:
        assert _row(reach, benefit, group, v)["eligible_people"] == 0, (benefit, group, v)


def test_bridge_funding():
    policy = {"type": "bridge_funding", "yearly_budget": 400_000, "max_months": 6}
    cfg, reach, yearly = _run(policy)
    _common(cfg, reach, yearly, "bridge_funding")
    _by_stage_salary(cfg, reach, "bridged_month", 1.0)
    _none_in(reach, "bridged_month", "stage", ["doctoral", "mid", "senior"])
    assert _row(reach, "bridged_month")["reached_people"] > 20
    assert (yearly["spend_bridge_funding"] <= 400_000 + 1e-6).all()  # the budget binds, never overspent


def test_open_ended_contracts():
    p = {"type": "open_ended_contracts", "after_years": 2, "redeploy_prob": 0.8, "redeploy_months": 3}
    cfg, reach, yearly = _run(p)
    _common(cfg, reach, yearly, "open_ended_contracts")
    _by_stage_salary(cfg, reach, "redeployment", 1.0)
    _none_in(reach, "conversion", "stage", ["doctoral"])
    conv = _row(reach, "conversion")
    assert conv["spend_gbp"] == 0 and conv["reached_decisions"] == conv["eligible_decisions"] > 20  # every eligible converted
    red = _row(reach, "redeployment")
    share = red["reached_decisions"] / red["eligible_decisions"]
    assert abs(share - 0.8) < _binomial_tolerance(0.8, red["eligible_decisions"]), (share, red["eligible_decisions"])


def test_fair_mentoring():
    p = {"type": "fair_mentoring", "coverage": 0.6, "extra_capacity": 6, "incentive_per_mentee_year": 5000, "running_cost_per_year": 20_000}
    cfg, reach, yearly = _run(p)
    _common(cfg, reach, yearly, "fair_mentoring")
    r = _row(reach, "formal_mentor")
    assert math.isclose(r["spend_gbp"], r["reached_person_months"] / 12 * 5000, rel_tol=1e-9)
    assert math.isclose(r["overhead_gbp"], 20_000 * cfg.run.years, rel_tol=1e-9)
    _none_in(reach, "formal_mentor", "stage", ["mid", "senior"])
    # Places are ample: the share held is the target, rounded yearly; formal mentees are kept,
    # not trimmed, when the unmentored pool shrinks, so allow a further 2 points for that.
    share = r["reached_decisions"] / r["eligible_decisions"]
    assert abs(share - 0.6) < _rounding_tolerance(cfg, r["eligible_decisions"]) + 0.02, share


def test_disability_adjustments():
    cfg, reach, yearly = _run({"type": "disability_adjustments", "coverage": 0.9, "cost_per_person_year": 1500})
    _common(cfg, reach, yearly, "disability_adjustments")
    r = _row(reach, "adjustments")
    assert math.isclose(r["spend_gbp"], r["reached_person_months"] / 12 * 1500, rel_tol=1e-9)
    _none_in(reach, "adjustments", "disabled", ["no"])
    # Coverage is the share of those who disclosed with adjustments (the employer's count): held at a time.
    m = CareerModel(with_policies(small_config(population=800, years=8), {"type": "disability_adjustments", "coverage": 0.9}), 12)
    shares, disclosed = [], 0
    for _ in range(m.burn_in + 6):
        m.step()
        alive = m.alive_idx()
        d = alive[m.pop.disclosed[alive]]
        if m.year >= 0 and len(d):
            shares.append(m.pop.adjusted[d].mean())
            disclosed += len(d)
    # disclosure.update after the policy adds a few newly disclosed each year (not yet adjusted): a few points low.
    assert abs(np.mean(shares) - 0.9) < 0.05, shares


def test_caring_support():
    cfg, reach, yearly = _run({"type": "caring_support", "penalty_reduction": 0.6, "cost_per_carer_year": 2000})
    _common(cfg, reach, yearly, "caring_support")
    r = _row(reach, "caring_support")
    assert math.isclose(r["spend_gbp"], r["reached_person_months"] / 12 * 2000, rel_tol=1e-9)
    assert r["reached_decisions"] == r["eligible_decisions"] > 0  # every carer
    _none_in(reach, "caring_support", "carer", ["no"])


def test_hardship_support():
    cfg, reach, yearly = _run({"type": "hardship_support", "months": 3, "monthly_amount": 1500, "yearly_budget": 60_000})
    _common(cfg, reach, yearly, "hardship_support")
    r = _row(reach, "hardship_grant")
    assert r["reached_person_months"] == 3 * r["reached_decisions"]
    assert math.isclose(r["spend_gbp"], r["reached_person_months"] * 1500, rel_tol=1e-9)
    assert (yearly["spend_hardship_support"] <= 60_000 + 1e-6).all()


def test_protected_time():
    cfg, reach, yearly = _run({"type": "protected_time", "coverage": 0.5, "share_of_time": 0.2})
    _common(cfg, reach, yearly, "protected_time")
    _by_stage_salary(cfg, reach, "protected_time", 0.2)
    _none_in(reach, "protected_time", "stage", ["doctoral", "senior"])
    r = _row(reach, "protected_time")
    share = r["reached_decisions"] / r["eligible_decisions"]
    assert abs(share - 0.5) <= _rounding_tolerance(cfg, r["eligible_decisions"]), share


def test_inclusive_leadership():
    cfg, reach, yearly = _run({"type": "inclusive_leadership", "employer_share": 1.0, "cost_per_researcher_year": 100})
    _common(cfg, reach, yearly, "inclusive_leadership")
    r = _row(reach, "inclusive_employer")
    assert r["reached_decisions"] == r["eligible_decisions"] > 0  # every employer reached
    assert math.isclose(r["spend_gbp"], r["reached_person_months"] / 12 * 100, rel_tol=1e-9)


def test_joint_posts():
    cfg, reach, yearly = _run({"type": "joint_posts", "coverage": 0.3, "cost_per_post_year": 3000})
    _common(cfg, reach, yearly, "joint_posts")
    r = _row(reach, "joint_post")
    assert math.isclose(r["spend_gbp"], r["reached_person_months"] / 12 * 3000, rel_tol=1e-9)
    _none_in(reach, "joint_post", "sector", ["university"])
    _none_in(reach, "joint_post", "stage", ["doctoral"])
    share = r["reached_decisions"] / r["eligible_decisions"]
    assert abs(share - 0.3) <= _rounding_tolerance(cfg, r["eligible_decisions"]), share


def test_consistent_management():
    cfg, reach, yearly = _run({"type": "consistent_management", "coverage": 0.5, "training_cost": 1500, "cost_per_report_year": 300})
    _common(cfg, reach, yearly, "consistent_management")
    t = _row(reach, "manager_trained")
    assert math.isclose(t["spend_gbp"], t["reached_decisions"] * 1500, rel_tol=1e-9)
    _none_in(reach, "manager_trained", "stage", ["doctoral", "early"])
    share = t["reached_decisions"] / t["eligible_decisions"]
    assert abs(share - 0.5) < _binomial_tolerance(0.5, t["eligible_decisions"]), share
    m = _row(reach, "trained_manager")
    assert math.isclose(m["spend_gbp"], m["reached_person_months"] / 12 * 300, rel_tol=1e-9)


def test_cross_sector():
    cfg, reach, yearly = _run({"type": "cross_sector", "coverage": 0.2, "cost_per_participant": 250})
    _common(cfg, reach, yearly, "cross_sector")
    r = _row(reach, "cross_sector_network")
    assert math.isclose(r["spend_gbp"], r["reached_person_months"] / 12 * 250, rel_tol=1e-9)
    share = r["reached_decisions"] / r["eligible_decisions"]
    assert abs(share - 0.2) < _binomial_tolerance(0.2, r["eligible_decisions"]), share


def test_every_registered_policy_has_an_audit():
    audited = {name[len("test_") :] for name in globals() if name.startswith("test_")}
    assert set(POLICIES) <= audited, set(POLICIES) - audited
