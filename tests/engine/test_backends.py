"""One execution description, every backend: each long command writes byte-identical results on sequential,
loky, a local Dask cluster and an external Dask scheduler whose workers are separate processes started here
with ``dask scheduler`` and ``dask worker`` (as on a cluster), and the flags mean the same in every command."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from scenario_helpers import ROOT, SCENARIOS, cli_inprocess, write

distributed = pytest.importorskip("distributed")

SIZE = ["--population", "120", "--years", "10"]
RUN = ["--reps", "2", "--burn-in", "1", *SIZE]
COMMANDS = {  # command line (OUT and the execution flags appended), result files that must be byte-identical
    "run": (["run", SCENARIOS / "bridge_funding.yaml", *RUN], ["yearly.parquet", "careers.parquet", "retention.csv", "survey.csv", "summary.json"]),
    "compare": (["compare", SCENARIOS / "baseline.yaml", SCENARIOS / "bridge_funding.yaml", *RUN],
                ["effects.csv", "retention.csv", "cost_effectiveness.csv", "summary.json"]),
}  # fmt: skip
BACKENDS = {
    "sequential": ["--backend", "sequential"],
    "loky": ["--backend", "loky", "--jobs", "2"],
    "local-dask": ["--backend", "dask", "--jobs", "2"],
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory):
    """``dask scheduler`` and ``dask worker`` (2 worker processes) as separate processes; yields the scheduler address."""
    logs = tmp_path_factory.mktemp("dask")
    address = f"tcp://127.0.0.1:{_free_port()}"
    dask = str(Path(sys.executable).with_name("dask"))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONWARNINGS": "ignore"}
    port = address.rsplit(":", 1)[1]
    procs = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=(logs / "scheduler.log").open("w"))]  # fmt: skip
    try:
        procs.append(subprocess.Popen([dask, "worker", address, "--nworkers", "2", "--nthreads", "1", "--no-dashboard", "--memory-limit", "0"],
                                      cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=(logs / "worker.log").open("w")))  # fmt: skip
        deadline = time.monotonic() + 120
        while True:  # wait until the scheduler listens, then until both workers have joined
            try:
                socket.create_connection(("127.0.0.1", int(port)), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, (logs / "scheduler.log").read_text()
                time.sleep(0.3)
        with distributed.Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
            assert all(w["nthreads"] == 1 for w in client.scheduler_info()["workers"].values())
        yield address
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()


def _scheduled(address: str) -> int:
    """Tasks the scheduler at ``address`` has been given so far (every state a task prefix has counted)."""

    def count(dask_scheduler) -> int:  # noqa: ANN001 - runs on the scheduler
        return sum(sum(p.state_counts.values()) for p in dask_scheduler.task_prefixes.values())

    with distributed.Client(address, timeout="60s") as client:
        return client.run_on_scheduler(count)


def _on_scheduler(tmp: Path, name: str, args: list, address: str) -> Path:
    """Run the command on the external scheduler and check that the scheduler really received its runs."""
    before = _scheduled(address)
    out = _run(tmp, name, args, ["--backend", "dask", "--scheduler", address])
    assert _scheduled(address) > before, f"{name}: no task reached the external scheduler"
    return out


def _run(tmp: Path, name: str, args: list, engine: list[str]) -> Path:
    out = tmp / name
    res = cli_inprocess(*args, "--out", out, "--quiet", *engine)
    assert res.returncode == 0 or (args[:2] == ["calibrate", "--check"] and res.returncode == 1), res.stderr  # 1: a target outside
    return out


def _same_bytes(a: Path, b: Path, files: list[str]) -> None:
    for f in files:
        assert (a / f).read_bytes() == (b / f).read_bytes(), f"{f} differs between {a.name} and {b.name}"


@pytest.mark.parametrize("command", list(COMMANDS))
def test_run_and_compare_are_identical_on_every_backend(tmp_path, scheduler, command):
    args, files = COMMANDS[command]
    reference = _run(tmp_path, "loky", args, BACKENDS["loky"])
    for name, engine in BACKENDS.items():
        if name != "loky":
            _same_bytes(reference, _run(tmp_path, name, args, engine), files)
    _same_bytes(reference, _on_scheduler(tmp_path, "external-dask", args, scheduler), files)


SPEC = f"""name: tiny
baseline: {SCENARIOS / "baseline.yaml"}
budget_per_year: 60000
objectives: [researcher_years, equity_gap_carer_10y]
policies:
  bridge_funding: {{max_months: null, yearly_budget: [10000, 200000]}}
trials: 2
population_size: 2
reps: 2
seed: 3
run: {{population: 100, years: 10, burn_in_years: 1}}
"""

BATCH = """name: tiny
base:
  policies: [{type: bridge_funding}]
  run: {population: 100, years: 4, burn_in_years: 1}
factorial:
  policies.bridge_funding.max_months: [3, 12]
replicates: 2
"""


def _other_commands(tmp: Path) -> dict[str, tuple[list, list[str]]]:
    spec = write(tmp / "spec.yaml", SPEC)
    batch = write(tmp / "batch.yaml", BATCH)
    return {
        "compare --ensemble": (["compare", SCENARIOS / "baseline.yaml", SCENARIOS / "bridge_funding.yaml", "--ensemble", "2", *RUN],
                               ["effects_ensemble.csv", "runs.csv", "sets.csv"]),
        "sensitivity": (["sensitivity", SCENARIOS / "bridge_funding.yaml", "-N", "2", "--reps", "2", *SIZE, "--burn-in-years", "1",
                         "--factors", "contracts.renewal_prob", "policies.bridge_funding.max_months"], ["indices.csv", "design.csv"]),
        "calibrate --check": (["calibrate", "--check", "--reps", "2", *SIZE], ["fit_table.csv"]),
        "optimise": (["optimise", spec, "--no-reevaluate"], ["trials.csv", "pareto.csv"]),
        "batch": (["batch", batch], []),
    }  # fmt: skip


def test_every_other_long_command_runs_on_an_external_scheduler_as_on_loky(tmp_path, scheduler):
    for command, (args, files) in _other_commands(tmp_path).items():
        name = command.replace(" ", "").replace("--", "_")
        loky = _run(tmp_path, f"{name}-loky", args, BACKENDS["loky"])
        dask = _on_scheduler(tmp_path, f"{name}-dask", args, scheduler)
        _same_bytes(loky, dask, files)
        if command == "batch":  # a Parquet dataset written in parts as runs finish: equal as tables, in run order
            from experiments.batch.dataset import load_results

            a, b = (load_results(p).drop(columns=["elapsed_s"]) for p in (loky, dask))
            pd.testing.assert_frame_equal(a, b)
            assert len(a) == 4 and (a["status"] == "ok").all()


@pytest.mark.parametrize("command", ["run", "compare", "batch", "sensitivity", "calibrate", "optimise"])
def test_scheduler_without_dask_is_refused_the_same_way_by_every_command(tmp_path, command):
    files = {"run": [SCENARIOS / "baseline.yaml"], "compare": [SCENARIOS / "baseline.yaml", SCENARIOS / "bridge_funding.yaml"],
             "batch": [write(tmp_path / "b.yaml", BATCH)], "sensitivity": [SCENARIOS / "bridge_funding.yaml"], "calibrate": ["--check"],
             "optimise": [write(tmp_path / "s.yaml", SPEC)]}  # fmt: skip
    res = cli_inprocess(command, *files[command], "--out", tmp_path / "out", "--scheduler", "tcp://127.0.0.1:1")
    assert res.returncode == 2
    assert res.stderr.strip() == "error: --scheduler needs --backend dask, got --backend loky"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", ["run", "compare", "batch", "sensitivity", "calibrate", "optimise"])
def test_every_long_command_has_the_same_execution_flags(command):
    from experiments.cli import build_parser

    sub = next(a for a in build_parser()._subparsers._group_actions if a.dest == "command").choices[command]
    flags = {o: a for a in sub._actions for o in a.option_strings}
    assert {"--backend", "--jobs", "-j", "--scheduler", "--quiet"} <= set(flags)
    assert flags["--jobs"].default == -1 and flags["--backend"].default == "loky" and flags["--scheduler"].default is None
