"""Batch experiments in one process and with loky: design, seeds, outputs, failed runs, the Python API."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import experiments.batch.execute as batch
from experiments.batch.dataset import load_results
from experiments.batch.design import run_seed
from experiments.batch.execute import load_experiment, run_batch
from experiments.cli import main
from experiments.engine import Execution

SMALL = {"population": 200, "years": 5, "burn_in_years": 2}


def experiment(**extra) -> dict:
    exp = {
        "name": "small",
        "base": {"policies": [{"type": "bridge_funding"}], "run": SMALL},
        "factorial": {
            "policies.bridge_funding.max_months": [3, 12],
            "climate": {"steady": {"shocks": []}, "cut": {"shocks": [{"year": 1, "size": 0.4, "recovery_years": 2}]}},
        },
        "replicates": 2,
        "chunk_size": 3,
    }
    exp.update(extra)
    return exp


def without_timing(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns="elapsed_s")


def test_design_crosses_factorial_and_sample_with_declared_ranges():
    exp = load_experiment(
        experiment(
            sample={
                "method": "lhs",
                "n": 5,
                "factors": {"funding.noise_sd": [0.01, 0.05], "policies.bridge_funding.min_service_years": None},
            }
        )
    )
    points = exp.design.points
    assert len(points) == 2 * 2 * 5 and exp.design.n_runs == 40
    assert points["funding.noise_sd"].between(0.01, 0.05).all()
    # null takes the declared plausible range; the factorial levels repeat for every sampled point
    assert points["policies.bridge_funding.min_service_years"].between(0, 4).all()
    assert sorted(points.groupby(["policies.bridge_funding.max_months", "climate"]).size().unique()) == [5]
    # the configuration of a point carries its values, the bundle's shock included
    row = points.iloc[7]
    config = exp.design.config(7)
    assert config.policies[0].max_months == row["policies.bridge_funding.max_months"]
    assert config.funding.noise_sd == pytest.approx(row["funding.noise_sd"])
    assert (len(config.shocks) == 1) == (row["climate"] == "cut")
    assert config.run.population == 200 and config.run.log_events is False


def test_sobol_design_and_integer_parameters_are_rounded():
    exp = load_experiment(
        experiment(sample={"method": "sobol", "n": 8, "factors": {"policies.bridge_funding.max_months": [2, 10]}}, factorial={})
    )
    months = exp.design.points["policies.bridge_funding.max_months"]
    assert months.dtype == np.int64 and months.between(2, 10).all() and months.nunique() > 3


def test_seeds_keyed_by_point_and_replicate():
    seeds = {run_seed(7, p, r) for p in range(20) for r in range(5)}
    assert len(seeds) == 100
    assert run_seed(7, 3, 1) == run_seed(7, 3, 1) != run_seed(8, 3, 1)
    assert run_seed(7, 3, 1, common=True) == run_seed(7, 9, 1, common=True)


def test_sequential_and_loky_give_identical_datasets(tmp_path):
    seq = run_batch(experiment(), tmp_path / "seq", execution=Execution(backend="sequential"))
    par = run_batch(experiment(), tmp_path / "loky", execution=Execution(backend="loky", jobs=2))
    assert len(seq) == 8 and seq["run_id"].tolist() == list(range(8)) and (seq["status"] == "ok").all()
    pd.testing.assert_frame_equal(without_timing(seq), without_timing(par))
    # the stored seed reproduces a run on its own
    from model.run import run_one

    exp = load_experiment(experiment())
    row = seq.iloc[5]
    alone = run_one(exp.design.config(int(row["point"])), int(row["seed"])).metrics()
    assert alone["retention_5y"] == pytest.approx(row["retention_5y"])
    # the design varies the outcome: a 40% funding cut funds fewer posts, so fewer entrants are hired
    hired = seq.groupby("climate")["entrants_hired"].mean()
    assert hired["cut"] < hired["steady"]


def test_yearly_tables_and_selected_metrics(tmp_path):
    runs = run_batch(experiment(outputs={"metrics": ["retention_5y", "policy_cost"], "yearly": True}), tmp_path / "y")
    assert [c for c in runs.columns if c.startswith(("retention", "policy_cost", "exits"))] == ["retention_5y", "policy_cost"]
    yearly = load_results(tmp_path / "y", "yearly")
    assert len(yearly) == 8 * SMALL["years"]
    assert sorted(yearly["run_id"].unique()) == list(range(8))
    assert yearly.groupby("run_id")["year"].nunique().eq(SMALL["years"]).all()


def test_a_failing_run_is_recorded_and_the_batch_goes_on(tmp_path, monkeypatch, capsys):
    real = batch.run_one
    exp = load_experiment(experiment())
    bad = {exp.design.seed(2), exp.design.seed(5)}

    def flaky(config, seed, rep=0):
        if seed in bad:
            raise ZeroDivisionError("no researchers left")
        return real(config, seed, rep)

    monkeypatch.setattr(batch, "run_one", flaky)
    path = tmp_path / "exp.yaml"
    import yaml

    path.write_text(yaml.safe_dump(experiment(), sort_keys=False))
    out = tmp_path / "out"
    assert main(["batch", str(path), "--out", str(out), "--backend", "sequential", "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "2 of 8 runs failed" in err
    runs = load_results(out)
    failed = runs[runs["status"] == "failed"]
    assert failed["run_id"].tolist() == [2, 5]
    assert failed["error"].str.startswith("ZeroDivisionError: no researchers left").all()
    assert failed["policies.bridge_funding.max_months"].notna().all() and failed["retention_5y"].isna().all()
    # after the fix, --retry-failed runs exactly those two again; each run is there once
    monkeypatch.setattr(batch, "run_one", real)
    assert main(["batch", str(path), "--out", str(out), "--backend", "sequential", "--quiet", "--retry-failed"]) == 0
    assert "2 run now" in capsys.readouterr().out
    again = load_results(out)
    assert again["run_id"].tolist() == list(range(8)) and (again["status"] == "ok").all()
    clean = run_batch(experiment(), tmp_path / "clean", execution=Execution(backend="sequential"))
    pd.testing.assert_frame_equal(without_timing(again), without_timing(clean))


def test_rerun_of_a_finished_batch_runs_nothing(tmp_path, capsys):
    first = run_batch(experiment(), tmp_path / "o", execution=Execution(backend="sequential"))
    mtimes = {p: p.stat().st_mtime_ns for p in (tmp_path / "o" / "runs").iterdir()}
    second = run_batch(experiment(), tmp_path / "o", execution=Execution(backend="sequential"))
    pd.testing.assert_frame_equal(first, second)
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "o" / "runs").iterdir()} == mtimes


def test_lazy_dataset(tmp_path):
    dataset = run_batch(experiment(), tmp_path / "lazy", lazy=True)
    import pyarrow.dataset as ds

    assert dataset.count_rows() == 8
    table = dataset.to_table(columns=["run_id", "retention_5y"], filter=ds.field("rep") == 1)
    assert sorted(table.column("run_id").to_pylist()) == [1, 3, 5, 7]
