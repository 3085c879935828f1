"""Cost-effectiveness as funders read it: Fieller's interval, the efficiency frontier, net benefit and acceptability."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from experiments.runs.fieller import fieller_interval
from experiments.runs.frontier import DOMINATED, EXTENDED, FRONTIER, efficiency_frontier
from experiments.runs.net_benefit import CE_COLUMNS, acceptability, policy_row
from experiments.runs.willingness_to_pay import WTP, WillingnessToPay, plausible_range


def test_fieller_covers_a_known_ratio_of_bivariate_normal_means_95_percent_of_the_time():
    # Paired (cost, years) ~ bivariate normal, correlated, n = 20 replicates; true ratio 60,000/6 = £10,000.
    # Fieller's interval is exact here: over 4,000 data sets coverage ~ Binomial(4000, 0.95)/4000, SD 0.0034;
    # the tolerance 0.015 is over four SDs. The denominator is ~8 SEs from zero, so the interval is always bounded.
    rng = np.random.default_rng(11)
    mean, cov = np.array([60_000.0, 6.0]), np.array([[20_000.0**2, 0.5 * 20_000 * 3], [0.5 * 20_000 * 3, 3.0**2]])
    inside = bounded = 0
    for _ in range(4000):
        x = rng.multivariate_normal(mean, cov, size=20)
        ci = fieller_interval(x[:, 0], x[:, 1])
        if ci is not None:
            bounded += 1
            inside += ci[0] <= 10_000 <= ci[1]
    assert bounded == 4000 and inside / 4000 == pytest.approx(0.95, abs=0.015)


def test_fieller_collapses_on_an_exact_ratio_and_refuses_a_denominator_near_zero():
    years = np.array([4.0, 5.0, 6.0, 5.5, 4.5])
    lo, hi = fieller_interval(25_000 * years, years)
    assert lo == pytest.approx(25_000) and hi == pytest.approx(25_000)
    assert fieller_interval(np.full(5, 1e5), np.array([-2.0, 1.0, 3.0, -1.0, 0.5])) is None


def test_frontier_textbook_case_with_dominance_and_extended_dominance():
    # Cost, effect: B vs A costs 10,000 per unit; C vs B 60,000; D vs C 4,000 -> C extendedly dominated
    # (a mix of B and D gives more for the money); E costs more than D for less -> dominated.
    # Frontier A -> B (10,000) -> D (4,000/0.3 = 13,333).
    opts = {"A": (0.0, 0.0), "B": (2000.0, 0.2), "C": (5000.0, 0.25), "D": (6000.0, 0.5), "E": (7000.0, 0.4)}
    f = efficiency_frontier(opts).set_index("policy")
    assert f["status"].to_dict() == {"A": FRONTIER, "B": FRONTIER, "C": EXTENDED, "D": FRONTIER, "E": DOMINATED}
    assert math.isnan(f.loc["A", "icer_on_frontier"]) and f.loc["B", "icer_on_frontier"] == pytest.approx(10_000)
    assert f.loc["D", "icer_on_frontier"] == pytest.approx(4000 / 0.3)
    # A policy that adds nothing at a cost is dominated by the baseline; an identical point shares its status.
    f = efficiency_frontier({"base": (0.0, 0.0), "waste": (1e6, 0.0), "noop": (0.0, 0.0)}).set_index("policy")
    assert f.loc["waste", "status"] == DOMINATED and f.loc["noop", "status"] == FRONTIER == f.loc["base", "status"]


def _metrics(cost: list[float], years: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"policy_cost_pv": cost, "employed_years_pv": years, "researcher_years_pv": [y + 50 for y in years]})


def test_net_benefit_sign_and_acceptability_switch_at_the_ratio():
    base = _metrics([0.0] * 6, [1000.0, 1010, 990, 1005, 995, 1000])
    extra = np.array([10.0, 9.0, 11.0, 10.5, 9.5, 10.0])  # +10 employed years for £1m: £100k a year
    scen = _metrics([1e6] * 6, list(base["employed_years_pv"] + extra))
    row = policy_row(base, scen, "p")
    assert list(row) == CE_COLUMNS and row["wtp"] == WTP.per_employed_year == 115_000
    assert row["nmb"] == pytest.approx(115_000 * 10 - 1e6) and row["nmb_low"] > 0  # worth its cost at £115k
    assert row["icer"] == pytest.approx(1e5) and row["fieller_low"] < 1e5 < row["fieller_high"]
    assert row["ratio_note"].startswith("Fieller") and row["p_cost_effective"] == 1.0
    cheap = policy_row(base, scen, "p", WillingnessToPay(per_employed_year=50_000))
    assert cheap["nmb"] == pytest.approx(-5e5) and cheap["nmb_high"] < 0 and cheap["p_cost_effective"] == 0.0
    curve = acceptability(base, scen, "p").set_index("wtp")["p_cost_effective"]
    # Replicate ratios are £1m / (9 .. 11 years) = £90.9k .. £111k: none pays below £90k, all above £112k.
    assert (curve[curve.index < 90_000] == 0).all() and (curve[curve.index > 112_000] == 1).all()
    assert curve.is_monotonic_increasing and 0 < curve.loc[100_000] < 1


def test_no_ratio_is_explained_in_words_and_the_net_benefit_is_still_given():
    base = _metrics([0.0] * 5, [1000.0] * 5)
    scen = _metrics([2e5] * 5, [1003.0, 998, 1001, 997, 1002])  # extra years straddle zero
    row = policy_row(base, scen, "p")
    assert math.isnan(row["icer"]) and math.isnan(row["fieller_low"])
    assert row["ratio_note"].startswith("no ratio: the 95% interval of extra employed researcher-years")
    assert "not estimable" not in row["ratio_note"] and row["nmb"] == pytest.approx(115_000 * 0.2 - 2e5)
    free = policy_row(base, _metrics([0.0] * 5, [1001.0] * 5), "q")
    assert "spends nothing" in free["ratio_note"] and free["nmb"] == pytest.approx(115_000)
    worse = policy_row(base, _metrics([2e5] * 5, [990.0, 991, 989, 990, 992]), "w")  # fewer years at a cost
    assert worse["ratio_note"].startswith("dominated by the baseline") and math.isnan(worse["icer"]) and math.isnan(worse["fieller_high"])


def test_willingness_to_pay_is_declared_once_with_a_source_and_range():
    field = WillingnessToPay.model_fields["per_employed_year"]
    assert field.json_schema_extra["source"] == "fEC research post" and plausible_range() == (50_000, 150_000)
    grid = WTP.thresholds()
    assert grid[0] == 0 and grid[-1] == 250_000 and {115_000, 50_000, 150_000} <= set(grid)
    with pytest.raises(ValueError):
        WillingnessToPay(per_employed_year=-1)


def test_compare_writes_net_benefit_acceptability_and_frontier(tmp_path):
    from scenario_helpers import SCENARIOS

    from experiments import compare_scenarios

    out = tmp_path / "cmp"
    compare_scenarios(SCENARIOS / "baseline.yaml", [SCENARIOS / "bridge_funding.yaml", SCENARIOS / "stable_contracts.yaml"],
                      reps=3, years=10, burn_in_years=3, population=300, out=out)  # fmt: skip
    ce = pd.read_csv(out / "cost_effectiveness.csv")
    assert list(ce.columns) == CE_COLUMNS and list(ce["policy"]) == ["bridge_funding", "stable_contracts"]
    assert np.allclose(ce["nmb"], ce["wtp"] * ce["inc_employed_years_pv"] - ce["inc_cost_pv"])
    assert (ce["inc_cost_pv"] > 0).all() and ce["ratio_note"].str.len().gt(20).all()
    ceac = pd.read_csv(out / "ceac.csv")
    assert list(ceac.columns) == ["policy", "wtp", "p_cost_effective"]
    at_default = ceac[ceac["wtp"] == WTP.per_employed_year].set_index("policy")["p_cost_effective"]
    assert np.allclose(at_default.loc[ce["policy"]].to_numpy(), ce["p_cost_effective"].to_numpy())
    assert ceac.groupby("policy")["p_cost_effective"].apply(lambda p: p.iloc[0] == 0.0).all()  # at £0 a costly policy never pays
    frontier = pd.read_csv(out / "frontier.csv")
    assert list(frontier.columns) == ["policy", "status", "icer_on_frontier"]
    assert set(frontier["policy"]) == {"baseline", "bridge_funding", "stable_contracts"}
    assert set(frontier["status"]) <= {FRONTIER, DOMINATED, EXTENDED} and frontier.set_index("policy").loc["baseline", "status"] == FRONTIER
    assert (out / "figures" / "ceac.png").stat().st_size > 10_000
