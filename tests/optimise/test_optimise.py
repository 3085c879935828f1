"""``hsr-careers optimise SPEC``: spec errors exit 2 naming file/key/value/choices; a tiny study runs, respects the budget, resumes."""

from __future__ import annotations

import pandas as pd
import pytest
from scenario_helpers import SCENARIOS, cli_inprocess, write

from experiments.engine import Execution

SPEC = f"""name: tiny
baseline: {SCENARIOS / "baseline.yaml"}
budget_per_year: 60000
objectives: [researcher_years, equity_gap_carer_10y]
policies:
  bridge_funding: {{max_months: null, yearly_budget: [10000, 200000]}}
  caring_support: {{}}
trials: 4
population_size: 2
reps: 2
seed: 3
run: {{population: 120, years: 10, burn_in_years: 1}}
"""


def test_tiny_study_respects_the_budget_and_resumes(tmp_path):
    spec = write(tmp_path / "spec.yaml", SPEC)
    out = tmp_path / "opt"
    res = cli_inprocess("optimise", spec, "--out", out, "--quiet", "--jobs", "2")
    assert res.returncode == 0, res.stderr
    trials = pd.read_csv(out / "trials.csv")
    assert len(trials) == 4
    seq = cli_inprocess("optimise", spec, "--out", tmp_path / "seq", "--quiet", "--backend", "sequential")
    assert seq.returncode == 0, seq.stderr
    pd.testing.assert_frame_equal(trials, pd.read_csv(tmp_path / "seq" / "trials.csv"))  # backend and workers do not matter
    pareto = pd.read_csv(out / "pareto.csv")
    assert (pareto["cost_per_year"] <= 60000).all()  # the Pareto set is feasible only
    assert {"researcher_years_pv_ci_low", "equity_gap_carer_10y_ci_high", "researcher_years_pv_fresh"}  # researcher_years is read as its discounted flow <= set(pareto.columns)
    # A spend above the budget is recorded as infeasible in trials.csv, not hidden.
    assert (trials["feasible"] == (trials["cost_per_year"] <= 60000)).all()
    again = cli_inprocess("optimise", spec, "--out", out, "--trials", "6", "--quiet")
    assert again.returncode == 0, again.stderr
    assert "6 trials (4 from an earlier run)" in again.stdout
    assert len(pd.read_csv(out / "trials.csv")) == 6
    assert (out / "figures" / "pareto.png").stat().st_size > 10_000


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("trials: 4", "trails: 4"), "unknown key 'trails' (did you mean 'trials'?)"),
        (("caring_support: {}", "caring_suport: {}"), "unknown policy (did you mean 'caring_support'?)"),
        (
            ("max_months: null", "max_months: [0, 6]"),
            "policies.bridge_funding.max_months': range [0, 6] must have low < high inside the declared valid range [1, 36]",
        ),
        (("max_month", "max_mnths"), "not a numeric setting of bridge_funding"),
        (("[researcher_years, ", "[researcher_yrs, "), "'researcher_yrs' is not an effect to optimise"),
        (("years: 10,", "years: 5,"), "needs run.years of at least 10, got 5"),
        (("budget_per_year: 60000", "budget_per_year: -1"), "key 'budget_per_year'"),
        (("trials: 4", "trials: 4\ntrials: 5"), "duplicated key 'trials'"),
        (("reps: 2", "reps: 2\nensemble: 1"), "key 'ensemble': 0 (the calibrated point) or at least 2"),
    ],
)
def test_bad_spec_exits_2_and_writes_nothing(tmp_path, change, message):
    spec = write(tmp_path / "spec.yaml", SPEC.replace(*change))
    out = tmp_path / "opt"
    res = cli_inprocess("optimise", spec, "--out", out)
    assert res.returncode == 2, res.stdout + res.stderr
    assert message in res.stderr and str(spec) in res.stderr and "Traceback" not in res.stderr
    assert not out.exists()


def test_robust_mode_evaluates_every_mix_at_the_same_nroy_sets(tmp_path):
    from experiments.optimise.mix import MixEvaluator
    from experiments.optimise.spec import load_spec

    spec, base, _, _ = load_spec(
        write(
            tmp_path / "spec.yaml",
            SPEC.replace("reps: 2", "reps: 2\nensemble: 2")
            .replace("years: 10", "years: 3")
            .replace("objectives: [researcher_years, equity_gap_carer_10y]", "objectives: [researcher_years]"),
        )
    )
    ev = MixEvaluator(spec, base, tmp_path / "store", execution=Execution(backend="sequential"))
    assert len(ev.sets) == 2 and ev.sets[0] != ev.sets[1]  # two different NROY points
    (res,) = ev.paired([{"bridge_funding.on": True, "bridge_funding.max_months": 6, "bridge_funding.yearly_budget": 1e5,
                         "caring_support.on": False}])  # fmt: skip
    assert len(res["diffs"]["researcher_years_pv"]) == 4  # 2 sets x 2 paired replicates
    assert ev.runs["evaluated"] == 8  # baseline and mix at each set and replicate


def test_optimise_refuses_a_folder_it_did_not_write(tmp_path):
    spec = write(tmp_path / "spec.yaml", SPEC)
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    res = cli_inprocess("optimise", spec, "--out", foreign)
    assert res.returncode == 2 and "hsr-careers did not write" in res.stderr
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]
