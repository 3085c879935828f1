"""Dask distributed, for real: a LocalCluster of process workers on 127.0.0.1 gives the loky/sequential results."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pandas as pd
import pytest

from experiments.batch.dataset import load_results
from experiments.batch.execute import run_batch
from experiments.cli import main
from experiments.engine import Execution, execute

distributed = pytest.importorskip("distributed")

EXPERIMENT = {
    "name": "dask",
    "base": {"policies": [{"type": "bridge_funding"}], "run": {"population": 200, "years": 5, "burn_in_years": 2}},
    "factorial": {"policies.bridge_funding.max_months": [3, 12]},
    "sample": {"method": "lhs", "n": 3, "factors": {"contracts.renewal_prob": None}},
    "replicates": 2,
    "outputs": {"yearly": True},
    "chunk_size": 4,
}


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None) as c:
        yield c


def slow_die_once(x: int, marker: str) -> tuple[int, int]:
    """SIGKILL this worker process the first time task 5 runs; return (x², pid)."""
    if x == 5 and not os.path.exists(marker):
        Path(marker).write_text(str(os.getpid()))
        os.kill(os.getpid(), signal.SIGKILL)
    return x * x, os.getpid()


def test_dask_cluster_matches_sequential(cluster, tmp_path):
    """(sequential = loky is tested in test_batch.py)"""
    on_dask = run_batch(EXPERIMENT, tmp_path / "dask", execution=Execution(backend="dask", scheduler=cluster.scheduler_address))
    alone = run_batch(EXPERIMENT, tmp_path / "seq", execution=Execution(backend="sequential"))
    assert len(on_dask) == 12 and (on_dask["status"] == "ok").all()
    pd.testing.assert_frame_equal(on_dask.drop(columns="elapsed_s"), alone.drop(columns="elapsed_s"))
    pd.testing.assert_frame_equal(load_results(tmp_path / "dask", "yearly"), load_results(tmp_path / "seq", "yearly"))


def test_a_worker_killed_mid_batch_and_every_run_completes(cluster, tmp_path):
    marker = str(tmp_path / "killed")
    out = dict(execute(slow_die_once, [(i, marker) for i in range(16)], backend="dask", scheduler=cluster.scheduler_address))
    assert os.path.exists(marker), "no worker was killed"
    assert {i: r[0] for i, r in out.items()} == {i: i * i for i in range(16)}
    # Task 5 was redone by a live worker, not returned by the one that was killed. (Which
    # workers did the rest depends on timing: after the kill the survivor may do it all.)
    killed_pid = int(Path(marker).read_text())
    assert out[5][1] != killed_pid


def test_cli_dask_backend_starts_its_own_loopback_cluster(tmp_path, capsys):
    import yaml

    path = tmp_path / "exp.yaml"
    small = {**EXPERIMENT, "sample": None, "replicates": 2}
    path.write_text(yaml.safe_dump(small, sort_keys=False))
    assert main(["batch", str(path), "--backend", "dask", "--jobs", "2", "--out", str(tmp_path / "o"), "--quiet"]) == 0
    assert "4 runs (0 already done, 4 run now)" in capsys.readouterr().out
    assert load_results(tmp_path / "o")["run_id"].tolist() == [0, 1, 2, 3]


def test_unreachable_scheduler_is_an_input_error(tmp_path, capsys):
    import yaml

    path = tmp_path / "exp.yaml"
    path.write_text(yaml.safe_dump({**EXPERIMENT, "sample": None}, sort_keys=False))
    assert main(["batch", str(path), "--backend", "dask", "--scheduler", "tcp://127.0.0.1:9", "--out", str(tmp_path / "o"), "--quiet"]) == 2
    assert "cannot reach the Dask scheduler" in capsys.readouterr().err
