"""Read a results folder written by ``run`` or ``compare`` back into tables (nothing is re-run)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from experiments.errors import InputError


@dataclass
class Results:
    """What a results folder holds: one run (``kind == "run"``) or a comparison (``kind == "compare"``)."""

    folder: Path
    kind: str
    manifest: dict[str, Any]
    summaries: dict[str, dict[str, Any]]  # scenario name: metric: {mean, ci_low, ci_high, ...}
    baseline: str
    reps: int
    retention: pd.DataFrame  # with a ``scenario`` column
    effects: pd.DataFrame | None = None
    yearly: pd.DataFrame | None = None
    scenarios: dict[str, dict[str, Any]] = field(default_factory=dict)  # resolved scenario files

    @property
    def horizon(self) -> int:
        """Reported years of the run(s)."""
        return int(self.scenarios[self.baseline]["run"]["years"])

    @property
    def policies(self) -> list[str]:
        """Names of the compared scenarios, in order (empty for one run)."""
        return [n for n in self.summaries if n != self.baseline]


def _json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path.parent}: not a results folder of hsr-careers run or compare (no {path.name})") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno}); rerun the command that wrote it") from None


def _nan(summary: dict[str, Any]) -> dict[str, Any]:
    return {m: {k: (float("nan") if v is None and k != "values" else v) for k, v in s.items()} for m, s in summary.items()}


def load_results(folder: str | Path) -> Results:
    """The tables of a results folder; a clear ``InputError`` when it is not one."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"results folder not found: {folder}")
    manifest = _json(folder / "manifest.json")
    summary = _json(folder / "summary.json")
    try:
        retention = pd.read_csv(folder / "retention.csv")
    except FileNotFoundError:
        raise InputError(f"{folder}: no retention.csv; rerun the command that wrote this folder") from None
    if "scenarios" in summary and (folder / "effects.csv").is_file():
        baseline = summary["baseline"]
        return Results(
            folder=folder, kind="compare", manifest=manifest,
            summaries={n: _nan(s) for n, s in summary["scenarios"].items()}, baseline=baseline, reps=int(summary["reps"]),
            retention=retention, effects=pd.read_csv(folder / "effects.csv"), scenarios=manifest.get("scenarios", {}),
        )  # fmt: skip
    if "metrics" not in summary:
        raise InputError(f"{folder / 'summary.json'}: neither a run's nor a comparison's summary")
    name = summary["scenario"]
    yearly = None
    for ext, reader in (("parquet", pd.read_parquet), ("csv", pd.read_csv)):
        if (folder / f"yearly.{ext}").is_file():
            yearly = reader(folder / f"yearly.{ext}")
    return Results(
        folder=folder, kind="run", manifest=manifest, summaries={name: _nan(summary["metrics"])}, baseline=name,
        reps=int(summary["reps"]), retention=retention.assign(scenario=name), yearly=yearly,
        scenarios={name: manifest.get("scenario", {})},
    )  # fmt: skip
