"""The one run store: resume after a partial run, corrupted entries reported and recomputed, a changed source misses."""

import shutil

import numpy as np
import pandas as pd
import pytest
from scenario_helpers import SCENARIOS

import experiments.store as store_module
from experiments.runs import replicates
from experiments.runs.replicates import Job, resolve, run_jobs
from experiments.store import RunStore, source_fingerprint

KW = dict(years=6, burn_in_years=2, population=200, replicates=3)


@pytest.fixture(scope="module")
def job():
    _, config = resolve(SCENARIOS / "baseline.yaml", **KW)
    return Job("baseline", config, config.run.seed, config.run.replicates)


@pytest.fixture(scope="module")
def reference(job):
    return run_jobs([job])["baseline"]


def counting(monkeypatch):
    calls = []
    real = replicates.run_replicate
    monkeypatch.setattr(replicates, "run_replicate", lambda c, root, rep: calls.append(rep) or real(c, root, rep))
    return calls


def same(a, b):
    assert [r["rep"] for r in a] == [r["rep"] for r in b]
    for x, y in zip(a, b, strict=True):
        for t in replicates.TABLES:
            pd.testing.assert_frame_equal(x[t], y[t])
        assert x["metrics"].keys() == y["metrics"].keys()
        np.testing.assert_array_equal(list(x["metrics"].values()), list(y["metrics"].values()))


def test_resume_after_a_partial_run_runs_only_the_rest(job, reference, tmp_path, monkeypatch):
    store = tmp_path / "store"
    first = Job(job.label, job.config, job.seed, 2)  # a job killed after two of three replicates
    run_jobs([first], cache=store)
    (store / "runs" / ".part-000009.parquet.123.tmp").write_bytes(b"half")  # a write torn by the kill
    (store / "careers" / "part-000042.parquet").write_bytes(b"orphan")  # a table part whose runs part never landed
    calls = counting(monkeypatch)
    resumed = run_jobs([job], cache=store)["baseline"]
    assert calls == [2], "stored replicates are read back, not run again"
    same(resumed, reference)
    assert not list(store.rglob("*.tmp")) and not (store / "careers" / "part-000042.parquet").exists()


@pytest.mark.parametrize("table", ["runs", "careers"])
def test_a_corrupted_entry_is_reported_set_aside_and_recomputed(job, reference, tmp_path, monkeypatch, capsys, table):
    store = tmp_path / "store"
    run_jobs([job], cache=store)
    victim = sorted((store / table).glob("part-*.parquet"))[1]
    victim.write_bytes(victim.read_bytes()[: len(victim.read_bytes()) // 2])  # truncated Parquet
    capsys.readouterr()
    calls = counting(monkeypatch)
    again = run_jobs([job], cache=store)["baseline"]
    err = capsys.readouterr().err
    assert len(calls) == 1, "only the damaged replicate is run again"
    same(again, reference)
    warnings = [line for line in err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and victim.name in warnings[0] and "Traceback" not in err
    assert (store / "corrupt" / table / victim.name).exists()


def test_a_changed_model_source_misses(job, tmp_path, monkeypatch):
    store = tmp_path / "store"
    run_jobs([job], cache=store)
    assert len(RunStore(store, replicates.TABLES)) == job.reps
    monkeypatch.setattr(store_module, "source_fingerprint", lambda: "another-model")
    calls = counting(monkeypatch)
    run_jobs([job], cache=store)
    assert calls == [0, 1, 2], "entries stored under another model source are never reused"


def test_the_fingerprint_follows_the_model_source(tmp_path, monkeypatch):
    import model

    copy = tmp_path / "model"
    shutil.copytree(model.__path__[0], copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(model, "__file__", str(copy / "__init__.py"))
    before = source_fingerprint.__wrapped__()
    with (copy / "contracts.py").open("a") as fh:
        fh.write("\n# a changed line\n")
    assert source_fingerprint.__wrapped__() != before


def test_keys_follow_config_and_seed_identity(job, tmp_path):
    s = RunStore(tmp_path)
    seed = np.random.SeedSequence(5, spawn_key=(1,))
    assert s.key(job.config, seed) == s.key(job.config, np.random.SeedSequence(5, spawn_key=(1,)))
    assert s.key(job.config, seed) != s.key(job.config, np.random.SeedSequence(5, spawn_key=(2,)))
    other = job.config.model_copy(update={"run": job.config.run.model_copy(update={"population": 201})})
    assert s.key(job.config, seed) != s.key(other, seed)
