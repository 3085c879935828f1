"""reach.csv from compare, and the plain sentences the report makes of it."""

import json
import math
from pathlib import Path

import pandas as pd

from experiments.report.reach_words import reach_sentences
from experiments.runs.compare import compare_scenarios
from experiments.runs.reach_table import REACH_CSV_COLUMNS
from experiments.scenarios.load import load_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def test_compare_writes_reach_for_every_policy_with_no_leakage(tmp_path):
    out = tmp_path / "cmp"
    compare_scenarios(
        SCENARIOS / "baseline.yaml", [SCENARIOS / "combined_reform.yaml"], reps=2, years=4, population=250, burn_in_years=3, out=out
    )
    reach = pd.read_csv(out / "reach.csv")
    assert list(reach.columns) == REACH_CSV_COLUMNS
    assert set(reach["scenario"]) == {"combined_reform"}  # the baseline has no policies
    policies = {p.type for p in load_scenario(SCENARIOS / "combined_reform.yaml").config.policies}
    assert set(reach["policy"]) == policies and "cross_sector" in policies
    assert (reach["leakage_people"] == 0).all()
    groups = reach.groupby(["policy", "benefit"])["group"].apply(set)
    assert all(g == {"all", "gender", "working_class", "disabled", "carer", "stage", "sector", "safety_net"} for g in groups)
    # What reach says was spent is the run's policy cost (mean over replicates, undiscounted).
    top = reach[reach["group"] == "all"]
    spent = float(((top["spend_gbp_per_year"] + top["overhead_gbp_per_year"]) * top["years"]).sum())
    summary = json.loads((out / "summary.json").read_text())
    assert math.isclose(spent, summary["scenarios"]["combined_reform"]["policy_cost"]["mean"], rel_tol=1e-9)
    assert len(reach_sentences(reach)) == len(groups)


def _rows(**all_row):
    base = {"scenario": "s", "policy": "bridge_funding", "benefit": "bridged_month", "years": 30, "reps": 20, "leakage_people": 0.0,
            "overhead_gbp_per_year": 0.0, "budget_gbp_per_year": 1e6}  # fmt: skip
    rows = [{**base, "group": "all", "value": "all", **all_row}]
    for group, value, eligible, reached in [
        ("safety_net", "none", 200.0, 128.0),
        ("working_class", "yes", 150.0, 94.0),
        ("disabled", "yes", 40.0, 28.0),
        ("carer", "yes", 30.0, 19.0),
    ]:
        rows.append({**base, "group": group, "value": value, "eligible_people": eligible, "reached_people": reached, "spend_gbp_per_year": 0.0})
    return pd.DataFrame(rows)


def test_a_sentence_says_whom_and_what_was_spent():
    rows = _rows(eligible_people=540.0, reached_people=312.0, spend_gbp_per_year=690_000.0)
    assert reach_sentences(rows) == [
        "Bridge funding reached 312 researchers in a gap between contracts, paying their salary (of 540 eligible over 30 years), "
        "of them 41% without a family safety net, 30% working-class, 9% disabled or neurodivergent and 6% carers; "
        "it spent £690k of its £1m a year."
    ]


def test_leakage_is_said():
    rows = _rows(eligible_people=300.0, reached_people=300.0, spend_gbp_per_year=0.0, leakage_people=3.0)
    (text,) = reach_sentences(rows)
    assert text.endswith("it spent nothing of its £1m a year; 3 of those reached were not eligible (a defect).")


def test_budgets_are_said_with_the_population_they_serve():
    from experiments.runs.reach_table import budget_notes
    from model.config import with_overrides

    cfg = with_overrides(load_scenario(SCENARIOS / "combined_reform.yaml").config, {"run.population": 400})
    notes = budget_notes(cfg)
    assert notes == [
        "bridge_funding: budget £1m a year for the modelled population of 400 researchers (£2.5k per researcher; absolute, not scaled with --population)",
        "hardship_support: budget £300k a year for the modelled population of 400 researchers (£750 per researcher; absolute, not scaled with --population)",
    ]
