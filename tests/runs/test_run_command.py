"""``hsr-careers run``: the output contract, determinism across workers, csv format, resume, atomic output."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from scenario_helpers import SCENARIOS, SHIPPED, SMALL, cli, cli_inprocess

from experiments.runs import replicates as runner
from experiments.runs.outputs import cache_dir, metric_names
from experiments.runs.replicates import run_scenario

TABLES = ("yearly.parquet", "careers.parquet", "retention.csv", "survey.csv")
CAREER_COLUMNS = [
    "rep", "researcher_id", "entry_year", "entry_stage", "entry_sector", "gender", "working_class", "disabled", "ever_carer",
    "first_caring_year", "exit_year", "exit_reason", "final_stage", "final_contract", "gap_months_total", "bridged_months", "had_mentor",
    "first_care_intensity", "first_caring_stage", "entry_safety_net_months", "neurodivergent", "disclosed", "final_sector", "final_age", "part_time",
]  # fmt: skip


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_shipped_scenario_runs_short(tmp_path, path):
    out = tmp_path / "out"
    res = cli_inprocess("run", path, "--reps", "2", "--years", "6", "--burn-in", "2", "--population", "200", "--jobs", "1", "--out", out)
    assert res.returncode == 0, res.stderr
    assert "retention at 5 years" in res.stdout
    summary = json.loads((out / "summary.json").read_text())
    assert summary["reps"] == 2 and summary["metrics"]["retention_5y"]["n_reps"] == 2


def test_run_writes_exactly_the_output_contract(tmp_path):
    out = tmp_path / "base"
    res = cli("run", SCENARIOS / "bridge_funding.yaml", "--reps", "3", *SMALL, "--out", out)
    assert res.returncode == 0, res.stderr
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert files == sorted(
        ["careers.parquet", "yearly.parquet", "retention.csv", "survey.csv", "reach.csv", "summary.json", "manifest.json",
         "figures/retention_by_group.png", "figures/stage_mix.png", "figures/exits_by_reason.png", "report.html",
         "figures/equity_gaps.png", "figures/exits.png"]  # the last two: the report's charts, saved as the page shows them
    )  # fmt: skip
    reach = pd.read_csv(out / "reach.csv")
    assert set(reach["policy"]) == {"bridge_funding"} and (reach["reps"] == 3).all() and (reach["leakage_people"] == 0).all()
    assert "note: bridge_funding: budget £1m a year" in res.stdout
    careers = pd.read_parquet(out / "careers.parquet")
    assert list(careers.columns) == CAREER_COLUMNS and sorted(careers["rep"].unique()) == [0, 1, 2]
    yearly = pd.read_parquet(out / "yearly.parquet")
    assert len(yearly) == 3 * 10 and {"share_fixed_term", "policy_spend", "funding_climate"} <= set(yearly.columns)
    ret = pd.read_csv(out / "retention.csv")
    assert list(ret.columns) == ["group", "years_since_entry", "retained", "ci_low", "ci_high", "n_at_risk"]
    assert {"all", "carer:yes", "carer:no", "disabled:yes", "working_class:no", "gender:woman", "sector:nhs"} <= set(ret["group"])
    assert ((ret["ci_low"] <= ret["retained"] + 1e-12) & (ret["retained"] <= ret["ci_high"] + 1e-12)).all()
    survey = pd.read_csv(out / "survey.csv")
    assert {"question", "answer", "proportion", "ci_low", "ci_high", "n"} <= set(survey.columns)
    summary = json.loads((out / "summary.json").read_text())
    assert set(summary["metrics"]) == set(metric_names())
    r10 = summary["metrics"]["retention_10y"]
    assert r10["ci_low"] < r10["mean"] < r10["ci_high"] and len(r10["values"]) == 3
    assert summary["metrics"]["policy_cost"]["mean"] > 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["scenario"]["run"]["population"] == 300 and manifest["scenario"]["policies"][0]["type"] == "bridge_funding"
    assert [s["spawn_key"] for s in manifest["seeds"]["replicates"]] == [[0], [1], [2]]
    assert manifest["versions"]["mesa"] and manifest["started"] <= manifest["finished"]
    assert not cache_dir(out).exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_jobs_2_gives_the_same_tables_as_jobs_1(tmp_path):
    for jobs in ("1", "2"):
        res = cli(
            "run", SCENARIOS / "tackle_inequalities.yaml", "--reps", "3", *SMALL, "--jobs", jobs, "--quiet", "--out", tmp_path / f"j{jobs}"
        )
        assert res.returncode == 0, res.stderr
    for name in TABLES:
        assert (tmp_path / "j1" / name).read_bytes() == (tmp_path / "j2" / name).read_bytes(), name
    s1, s2 = (json.loads((tmp_path / f"j{j}" / "summary.json").read_text()) for j in "12")
    assert s1 == s2


def test_csv_format_and_rerun_replaces_results(tmp_path):
    out = tmp_path / "csv"
    for _ in range(2):
        res = cli_inprocess(
            "run", SCENARIOS / "baseline.yaml", "--reps", "2", *SMALL, "--format", "csv", "--jobs", "1", "--quiet", "--out", out
        )
        assert res.returncode == 0, res.stderr
    assert (out / "yearly.csv").is_file() and (out / "careers.csv").is_file() and not (out / "yearly.parquet").exists()
    assert len(pd.read_csv(out / "yearly.csv")) == 20


def test_interrupted_run_leaves_nothing_and_resumes(tmp_path, monkeypatch):
    sc = SCENARIOS / "baseline.yaml"
    kw = dict(reps=4, years=8, burn_in_years=3, population=250)
    reference = run_scenario(sc, **kw)
    calls = []
    real = runner.run_replicate

    def dies_at_rep_2(config, root, rep):
        if rep == 2:
            raise KeyboardInterrupt
        calls.append(rep)
        return real(config, root, rep)

    out = tmp_path / "res" / "run"
    monkeypatch.setattr(runner, "run_replicate", dies_at_rep_2)
    with pytest.raises(KeyboardInterrupt):
        run_scenario(sc, out=out, **kw)
    assert not out.exists(), "an interrupted run must not leave results under --out"
    assert calls == [0, 1]
    calls.clear()
    monkeypatch.setattr(runner, "run_replicate", lambda c, root, rep: calls.append(rep) or real(c, root, rep))
    resumed = run_scenario(sc, out=out, **kw)
    assert calls == [2, 3], "finished replicates are not run again"
    pd.testing.assert_frame_equal(resumed.metrics, reference.metrics)
    pd.testing.assert_frame_equal(pd.read_parquet(out / "careers.parquet"), reference.careers)
    assert not cache_dir(out).exists()
