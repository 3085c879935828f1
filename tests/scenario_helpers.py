"""Shared helpers for the scenario, CLI and compare tests: small runs and a subprocess CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
SHIPPED = sorted(SCENARIOS.glob("*.yaml"))
SMALL = ["--years", "10", "--burn-in", "3", "--population", "300"]


def cli(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run ``hsr-careers`` in a subprocess (the installed console script's module)."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    cmd = [sys.executable, "-m", "experiments.cli", *map(str, args)]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd or ROOT, env=env, timeout=600)


def write(path: Path, text: str) -> Path:
    """Write a small YAML file and return its path."""
    path.write_text(text, encoding="utf-8")
    return path


def cli_inprocess(*args: str | Path) -> subprocess.CompletedProcess:
    """Run the same command line in this process (fast; the parser, error handling and exit codes are the CLI's)."""
    import contextlib
    import io

    from experiments.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())
