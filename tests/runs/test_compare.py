"""``hsr-careers compare``: paired effects with common random numbers detect a known effect and report a null one."""

from __future__ import annotations

import json

import pandas as pd
from scenario_helpers import SCENARIOS, SMALL, cli, write

from experiments import compare_scenarios, run_scenario
from experiments.runs.compare import EFFECT_COLUMNS, paired_effects

COLUMNS = ["scenario", "metric", "baseline_mean", "scenario_mean", "difference", "ci_low", "ci_high", "n_reps"]
CSV_COLUMNS = ["scenario", "metric", "label", "unit", *COLUMNS[2:]]  # effects.csv adds a plain label and the unit


def test_compare_detects_a_known_effect_and_a_null_one(tmp_path):
    same = write(tmp_path / "same.yaml", "name: same_as_baseline\nextends: " + str(SCENARIOS / "baseline.yaml") + "\n")
    out = tmp_path / "cmp"
    res = cli(
        "compare",
        SCENARIOS / "baseline.yaml",
        SCENARIOS / "stable_contracts.yaml",
        same,
        "--reps",
        "4",
        *SMALL,
        "--jobs",
        "2",
        "--out",
        out,
    )
    assert res.returncode == 0, res.stderr
    eff = pd.read_csv(out / "effects.csv")
    assert list(eff.columns) == CSV_COLUMNS and COLUMNS == EFFECT_COLUMNS
    units = eff.drop_duplicates("metric").set_index("metric")["unit"]
    assert units["retention_10y"].startswith("proportion") and units["exits_funding_gap"] == "people" and units["policy_cost"] == "GBP"
    by = eff.set_index(["scenario", "metric"])
    # Built-in effect: open-ended contracts after 4 years cut the share on fixed-term contracts.
    fixed = by.loc[("stable_contracts", "share_fixed_term")]
    assert fixed["ci_high"] < 0 and fixed["n_reps"] == 4
    assert (
        fixed["difference"] == fixed["scenario_mean"] - fixed["baseline_mean"]
        or abs(fixed["difference"] - (fixed["scenario_mean"] - fixed["baseline_mean"])) < 1e-12
    )
    # Null effect: the same scenario under another name differs by exactly zero under common random numbers.
    null = eff[eff["scenario"] == "same_as_baseline"].dropna(subset=["ci_low"])
    assert len(null) > 30
    assert (null["ci_low"] <= 0).all() and (null["ci_high"] >= 0).all() and (null["difference"] == 0).all()
    assert {"retention_5y", "retention_10y", "retention_carer_yes_10y", "equity_gap_carer_10y", "equity_gap_disabled_10y",
            "equity_gap_working_class_10y", "equity_gap_gender_10y", "share_fixed_term", "exits_funding_gap", "policy_cost",
            "policy_cost_pv", "entrants_hired", "researcher_years_pv", "cost_per_additional_researcher_year"} <= set(eff["metric"])  # fmt: skip
    # The terminal answer is the short ranked table: the policy ranked, the scenario without a policy apart as a what-if.
    lines = res.stdout.splitlines()
    assert len(lines) <= 40 and any("report.html" in x for x in lines)
    assert next(i for i, x in enumerate(lines) if "Stable contracts" in x) < lines.index("what if (no policy lever):")
    null_line = next(x for x in lines if "Same as baseline" in x)
    assert null_line.split()[3:7] == ["£0", "0", "0.0", "pp"]  # no cost, no extra employed years, no retention change
    assert (out / "figures" / "retention.png").stat().st_size > 10_000
    ret = pd.read_csv(out / "retention.csv")
    assert set(ret["scenario"]) == {"baseline", "stable_contracts", "same_as_baseline"}
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seeds"]["reps"] == 4 and set(manifest["scenarios"]) == {"baseline", "stable_contracts", "same_as_baseline"}


def test_common_random_numbers_match_standalone_runs():
    kw = dict(reps=2, years=8, burn_in_years=3, population=250)
    c = compare_scenarios(SCENARIOS / "baseline.yaml", [SCENARIOS / "bridge_funding.yaml"], **kw)
    alone = run_scenario(SCENARIOS / "bridge_funding.yaml", **kw)
    pd.testing.assert_frame_equal(c.runs["bridge_funding"].metrics, alone.metrics)
    pd.testing.assert_frame_equal(c.baseline.metrics, run_scenario(SCENARIOS / "baseline.yaml", **kw).metrics)
    cost = c.effects.set_index("metric").loc["policy_cost"]
    assert (c.runs["bridge_funding"].metrics["policy_cost"] > 0).all() and cost["difference"] > 0, "bridge funding spends money"
    assert (c.baseline.metrics["policy_cost"] == 0).all()


def test_paired_interval_and_cost_ratio():
    base = pd.DataFrame(
        {
            "retention_10y": [0.50, 0.52, 0.49, 0.51],
            "policy_cost_pv": [0.0] * 4,
            "researcher_years_pv": [1000.0, 1010, 990, 1000],
        }
    )
    scen = base + pd.DataFrame(
        {
            "retention_10y": [0.02, 0.03, 0.01, 0.02],
            "policy_cost_pv": [1e6, 1.1e6, 0.9e6, 1e6],
            "researcher_years_pv": [10.0, 12, 8, 10],
        }
    )
    eff = paired_effects(base, scen, "s").set_index("metric")
    r = eff.loc["retention_10y"]
    assert abs(r["difference"] - 0.02) < 1e-12 and 0 < r["ci_low"] < 0.02 < r["ci_high"]
    ratio = eff.loc["cost_per_additional_researcher_year"]
    assert abs(ratio["difference"] - 1e5) < 1e-6 and ratio["ci_low"] <= 1e5 <= ratio["ci_high"]
    flat = scen.assign(researcher_years_pv=base["researcher_years_pv"] + [1, -1, 1, -1])
    unbounded = paired_effects(base, flat, "s").set_index("metric").loc["cost_per_additional_researcher_year"]
    assert pd.isna(unbounded["difference"]) and pd.isna(unbounded["ci_low"]), "not estimable when the extra researcher-years may be zero"
