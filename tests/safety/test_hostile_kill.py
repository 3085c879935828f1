"""SIGKILL of a batch: its loky workers and resource trackers do not outlive it by more than a few seconds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from scenario_helpers import ROOT, write

psutil = pytest.importorskip("psutil")


def _cmdline(process) -> str:
    """A child's command line, or "" when it ended between listing and reading (a race under load)."""
    try:
        return " ".join(process.cmdline())
    except psutil.Error:
        return ""


def test_no_worker_or_tracker_outlives_a_killed_batch(tmp_path):
    exp = write(
        tmp_path / "e.yaml", "name: killed\nreplicates: 40\noverrides: {run.population: 300, run.years: 10, run.burn_in_years: 2}\n"
    )
    cmd = [sys.executable, "-m", "experiments.cli", "batch", str(exp), "--out", str(tmp_path / "out"), "--jobs", "2", "--quiet"]
    parent = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    proc = psutil.Process(parent.pid)
    deadline = time.monotonic() + 90
    children: list = []
    while time.monotonic() < deadline:  # wait for both workers (and the trackers) to be up
        children = proc.children(recursive=True)
        workers = [c for c in children if "popen_loky" in _cmdline(c)]
        if len(workers) >= 2:
            break
        time.sleep(0.2)
    assert len(children) >= 3, [_cmdline(c) for c in children]
    time.sleep(1.0)
    children = proc.children(recursive=True)
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    t0 = time.monotonic()
    alive = children
    while alive and time.monotonic() - t0 < 5:  # "a few seconds": workers poll for their parent twice a second
        alive = [c for c in alive if c.is_running() and c.status() != psutil.STATUS_ZOMBIE]
        time.sleep(0.1)
    for c in alive:
        c.kill()
    assert not alive, [_cmdline(c)[:80] for c in alive]
