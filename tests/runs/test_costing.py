"""Costing: discounting, flows over the same years, the ratio and its interval, money and people formatting."""

import math

import numpy as np
import pandas as pd
from model_testing import small_config, with_policies

from experiments.runs.cost_effectiveness import NOT_ESTIMABLE, cost_effectiveness_table, ratio_interval
from model import run_one
from model.formats import money, people


def test_costs_and_researcher_years_are_discounted_at_the_declared_rate():
    cfg = with_policies(small_config(population=400, years=6, **{"costing.discount_rate": 0.1}), {"type": "inclusive_leadership"})
    r = run_one(cfg, 2)
    y, m = r.yearly, r.metrics()
    factors = 1.1 ** -np.arange(6)
    assert np.allclose(y["discount_factor"], factors)
    assert np.isclose(m["policy_cost_pv"], (y["policy_spend"] * factors).sum())
    assert m["policy_cost_pv"] < m["policy_cost"] and m["researcher_years_pv"] < m["researcher_years"]
    # Researcher-years are person-months in research / 12: between the smallest and largest year-end headcounts.
    assert y["active"].min() * 6 <= m["researcher_years"] * 1.05 and m["researcher_years"] <= y["active"].max() * 6 * 1.05
    assert m["employed_years"] < m["researcher_years"]  # people in a gap are in research but not in post


def test_ratio_interval_contains_the_estimate_and_refuses_an_unbounded_ratio():
    rng = np.random.default_rng(0)
    years = rng.normal(50, 5, 20)
    cost = years * 2e4 + rng.normal(0, 5e4, 20)
    est, lo, hi, status = ratio_interval(cost, years)
    assert status == "estimable" and lo < est < hi and abs(est - 2e4) < 2e3
    est, lo, hi, status = ratio_interval(cost, rng.normal(0, 5, 20))
    assert status == NOT_ESTIMABLE and np.isnan(est) and np.isnan(lo)


def test_cost_effectiveness_table_rows():
    base = pd.DataFrame({"policy_cost_pv": [0.0] * 5, "researcher_years_pv": [100.0, 101, 99, 100, 102]})
    scen = pd.DataFrame({"policy_cost_pv": [5e5, 6e5, 4e5, 5e5, 5e5], "researcher_years_pv": [110.0, 112, 108, 110, 111]})
    t = cost_effectiveness_table(base, {"s": scen}).iloc[0]
    assert t["n_reps"] == 5 and np.isclose(t["extra_cost_pv"], 5e5) and np.isclose(t["extra_researcher_years_pv"], 9.8)
    assert np.isclose(t["cost_per_researcher_year"], 5e5 / 9.8) and t["status"] == "estimable"
    assert "bootstrap" in t["interval_method"]


def test_money_and_people_formatting():
    assert money(805_624) == "£806k" and money(805_624, signed=True) == "+£806k"
    assert money(1_234_500) == "£1.23m" and money(-40_012) == "−£40k" and money(999_700) == "£1m"
    assert money(950) == "£950" and money(float("nan")) == "—"
    assert people(1234.6) == "1,235" and people(12, signed=True) == "+12" and people(-3.4) == "−3"


def test_a_scenario_without_policy_spending_has_no_cost_ratio():
    # a funding shock spends nothing: £0 over a change in researcher-years is not a cost-effectiveness ratio
    est, lo, hi, status = ratio_interval(np.zeros(6), np.array([-3.0, -2.5, -4.0, -3.1, -2.2, -3.3]))
    assert status.startswith("not applicable") and all(math.isnan(v) for v in (est, lo, hi))
