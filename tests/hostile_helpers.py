"""Shared helpers for the hostile-input corpus: one command line per entry point, and a 'nothing written' check."""

from __future__ import annotations

from pathlib import Path

from scenario_helpers import cli_inprocess, write

TINY = ["--reps", "1", "--years", "2", "--population", "50"]


def inputs(tmp: Path) -> dict[str, Path]:
    """Small valid input files for every command, in ``tmp/inputs``."""
    d = tmp / "inputs"
    d.mkdir(exist_ok=True)
    return {
        "scenario": write(d / "good.yaml", "name: good\nrun: {population: 50, years: 2, burn_in_years: 0, replicates: 1}\n"),
        "other": write(d / "other.yaml", "name: other\nrun: {population: 50, years: 2, burn_in_years: 0, replicates: 1}\n"),
        "experiment": write(
            d / "exp.yaml",
            "name: tiny\nreplicates: 1\noverrides: {run.population: 40, run.years: 2, run.burn_in_years: 0}\n",
        ),
    }


def command(name: str, files: dict[str, Path], out: Path | str | None, *extra: str) -> list[str]:
    """The command line of entry point ``name`` writing to ``out`` (tiny settings, quick to refuse or to run)."""
    sc, other, exp = (str(files[k]) for k in ("scenario", "other", "experiment"))
    o = ["--out", str(out)] if out is not None else []
    # fmt: off
    lines = {
        "run": ["run", sc, *TINY, "--jobs", "1", "--quiet", *o],
        "compare": ["compare", sc, other, *TINY, "--jobs", "1", "--quiet", *o],
        "batch": ["batch", exp, "--backend", "sequential", "--quiet", *o],
        "sensitivity": [
            "sensitivity", sc, "-N", "2", "--reps", "1", "--population", "50", "--years", "2", "--burn-in-years", "0",
            "--factors", "contracts.renewal_prob", "gaps.reemploy_month", "--backend", "sequential", "--no-progress", *o,
        ],
        "calibrate_check": ["calibrate", "--check", "--scenario", sc, "--reps", "2", "--population", "50", "--years", "2", "--backend", "sequential", *o],
        "calibrate": ["calibrate", "--scenario", sc, "--backend", "sequential", *o],
    }
    # fmt: on
    return [*lines[name], *extra]


COMMANDS = ("run", "compare", "batch", "sensitivity", "calibrate_check", "calibrate")


def tree(root: Path) -> dict[str, bytes | None]:
    """Every path under ``root`` (hidden ones too) with file contents: compare before and after a refused command."""
    out: dict[str, bytes | None] = {}
    for p in sorted(root.rglob("*")):
        rel = str(p.relative_to(root))
        out[rel] = p.read_bytes() if p.is_file() else None
    return out


def refused(args: list[str]) -> str:
    """Run ``args`` in-process; assert exit 2, one message, no traceback; return the message."""
    res = cli_inprocess(*args)
    assert res.returncode == 2, (res.returncode, res.stderr[-2000:])
    assert "Traceback" not in res.stderr
    lines = [line for line in res.stderr.strip().splitlines() if line.startswith("error:")]
    assert len(lines) == 1, res.stderr
    return lines[0]
