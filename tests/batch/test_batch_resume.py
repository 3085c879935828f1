"""Resume after SIGKILL: the rerun skips finished runs and the dataset equals an uninterrupted one."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import yaml

from experiments.batch.dataset import load_results
from experiments.batch.execute import run_batch
from experiments.cli import main
from experiments.engine import Execution

EXPERIMENT = {
    "name": "resume",
    "base": {"policies": [{"type": "bridge_funding"}], "run": {"population": 300, "years": 5, "burn_in_years": 2}},
    "factorial": {"policies.bridge_funding.max_months": [3, 6, 12], "contracts.renewal_prob": [0.6, 0.8]},
    "replicates": 4,
    "outputs": {"yearly": True},
    "chunk_size": 2,
}
TOTAL = 3 * 2 * 4


def done_runs(out: Path) -> int:
    return sum(pq.read_metadata(p).num_rows for p in (out / "runs").glob("part-*.parquet")) if (out / "runs").exists() else 0


def test_sigkill_at_half_then_rerun_equals_an_uninterrupted_batch(tmp_path):
    path = tmp_path / "exp.yaml"
    path.write_text(yaml.safe_dump(EXPERIMENT, sort_keys=False))
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "experiments.cli", "batch", str(path), "--out", str(out), "--jobs", "2", "--quiet"]
    proc = subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while done_runs(out) < TOTAL // 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, "the batch finished before it could be killed: make it longer"
    os.killpg(proc.pid, signal.SIGKILL)  # the command and its worker processes, mid-batch
    proc.wait()
    killed_at = done_runs(out)
    assert 0 < killed_at < TOTAL
    # rerun the same command: it says it skipped the finished runs and completes
    rerun = subprocess.run([*cmd[:-2], "1", "--quiet"], capture_output=True, text=True, timeout=300)  # other worker count
    assert rerun.returncode == 0, rerun.stderr
    skipped = int(rerun.stdout.split("(")[1].split(" already")[0])
    assert skipped >= killed_at
    resumed = load_results(out)
    assert resumed["run_id"].tolist() == list(range(TOTAL))  # none missing, none twice
    clean = run_batch(EXPERIMENT, tmp_path / "clean", execution=Execution(backend="sequential"))
    pd.testing.assert_frame_equal(resumed.drop(columns="elapsed_s"), clean.drop(columns="elapsed_s"))
    yearly = load_results(out, "yearly")
    pd.testing.assert_frame_equal(yearly, load_results(tmp_path / "clean", "yearly"))
    manifest = json.loads((out / "manifest.json").read_text())
    assert len(manifest["sessions"]) == 2 and manifest["sessions"][-1]["complete"] is True
    assert manifest["root_seed"] == 20260223 and manifest["versions"]["mesa"]


def test_a_changed_experiment_is_refused_in_the_same_directory(tmp_path, capsys):
    path = tmp_path / "exp.yaml"
    small = {**EXPERIMENT, "factorial": {"policies.bridge_funding.max_months": [3]}, "replicates": 2}
    path.write_text(yaml.safe_dump(small, sort_keys=False))
    out = tmp_path / "out"
    assert main(["batch", str(path), "--out", str(out), "--backend", "sequential", "--quiet"]) == 0
    before = sorted(p.name for p in (out / "runs").iterdir())
    changed = {**small, "factorial": {"policies.bridge_funding.max_months": [3, 9]}}
    path.write_text(yaml.safe_dump(changed, sort_keys=False))
    assert main(["batch", str(path), "--out", str(out), "--backend", "sequential", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "results for other settings" in err and "another folder" in err and "--force" in err
    assert sorted(p.name for p in (out / "runs").iterdir()) == before
    # a change that does not touch the results (description, chunking) is not refused
    path.write_text(yaml.safe_dump({**small, "description": "same runs", "chunk_size": 7}, sort_keys=False))
    assert main(["batch", str(path), "--out", str(out), "--backend", "sequential", "--quiet"]) == 0


SMALL = {**EXPERIMENT, "factorial": {"policies.bridge_funding.max_months": [3, 12]}, "replicates": 2}


def test_runs_of_an_earlier_model_source_are_set_aside_and_rerun(tmp_path, monkeypatch, capsys):
    import experiments.batch.execute as execute
    import experiments.store as store

    out = tmp_path / "out"
    first = run_batch(SMALL, out, execution=Execution(backend="sequential"))
    monkeypatch.setattr(store, "source_fingerprint", lambda: "another-model")
    monkeypatch.setattr(execute, "source_fingerprint", lambda: "another-model")
    capsys.readouterr()
    outcome = execute.execute_batch(execute.load_experiment(SMALL), out, execution=Execution(backend="sequential"))
    err = capsys.readouterr().err
    assert outcome.skipped == 0 and outcome.ran == 4, "no run of the earlier model is reused"
    assert len([line for line in err.splitlines() if line.startswith("warning:")]) == 1 and "4 stored runs set aside" in err
    again = load_results(out)
    assert again["run_id"].tolist() == [0, 1, 2, 3]  # each run once: the old rows are in OUT/stale/, not in the dataset
    pd.testing.assert_frame_equal(again.drop(columns="elapsed_s"), first.drop(columns="elapsed_s"))
    assert len(list((out / "stale" / "runs").glob("part-*.parquet"))) >= 1
