"""Read a results folder written by ``run`` or ``compare`` back into tables (nothing is re-run)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from experiments import verified
from experiments.errors import InputError
from experiments.verified import RERUN, finite


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


WHAT = "report"
EFFECT_COLUMNS = ("scenario", "metric", "baseline_mean", "scenario_mean", "difference", "ci_low", "ci_high", "n_reps")
EFFECT_NUMBERS = ("baseline_mean", "scenario_mean", "difference", "ci_low", "ci_high", "n_reps")
RETENTION_COLUMNS = ("group", "years_since_entry", "retained", "ci_low", "ci_high", "n_at_risk")
RETENTION_NUMBERS = ("years_since_entry", "retained", "ci_low", "ci_high", "n_at_risk")


def _summary_block(block: Any, where: str) -> dict[str, dict[str, Any]]:
    """One scenario's metrics, each ``{mean, ci_low, ...}`` of numbers (None read as NaN), checked."""
    if not isinstance(block, dict) or not block:
        raise InputError(f"{WHAT}: {where} is not a mapping of metrics; {RERUN}")
    out = {}
    for metric, stats in block.items():
        if not isinstance(stats, dict) or "mean" not in stats:
            raise InputError(f"{WHAT}: {where}.{metric} has no 'mean'; {RERUN}")
        row = {}
        for k, v in stats.items():
            if k == "values":
                if not isinstance(v, list):
                    raise InputError(f"{WHAT}: {where}.{metric}.values is not a list; {RERUN}")
                row[k] = [None if x is None else finite(x, f"{where}.{metric}.values", WHAT) for x in v]
            else:
                row[k] = finite(v, f"{where}.{metric}.{k}", WHAT)
        out[metric] = row
    return out


def _reps(summary: dict[str, Any], path: Path) -> int:
    reps = summary.get("reps")
    if isinstance(reps, bool) or not isinstance(reps, int) or reps < 1:
        raise InputError(f"{WHAT}: {path}: 'reps' is {reps!r}, not a positive whole number; {RERUN}")
    return reps


def _scenarios(manifest: dict[str, Any], names: list[str], path: Path) -> dict[str, dict[str, Any]]:
    """Resolved scenario files per name, each with ``run.years`` a whole number of years."""
    found = manifest.get("scenarios") if len(names) > 1 or "scenarios" in manifest else {names[0]: manifest.get("scenario")}
    if not isinstance(found, dict):
        raise InputError(f"{WHAT}: {path}: 'scenarios' is not a mapping; {RERUN}")
    for name in names:
        sc = found.get(name)
        years = sc.get("run", {}).get("years") if isinstance(sc, dict) and isinstance(sc.get("run"), dict) else None
        if isinstance(years, bool) or not isinstance(years, int) or years < 1:
            raise InputError(f"{WHAT}: {path}: scenario '{name}' has no valid run.years (got {years!r}); {RERUN}")
    return {n: found[n] for n in names}


def load_results(folder: str | Path) -> Results:
    """The tables of a results folder, each checked against its manifest; a clear ``InputError`` when it is not one."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"results folder not found: {folder}")
    if not (folder / "manifest.json").exists():
        raise InputError(f"{folder}: not a results folder of hsr-careers run or compare (no manifest.json)")
    meta = verified.manifest(folder, ("run", "compare"), WHAT)
    summary_path = verified.check_file(folder, "summary.json", meta, WHAT)
    summary = verified.read_json(summary_path, WHAT)
    compare = "scenarios" in summary or (isinstance(meta.get("output"), dict) and meta["output"]["kind"] == "compare")
    ret_path = verified.check_file(folder, "retention.csv", meta, WHAT)
    retention = verified.read_csv(ret_path, WHAT, RETENTION_COLUMNS, RETENTION_NUMBERS)
    reps = _reps(summary, summary_path)
    if compare:
        effects_path = verified.check_file(folder, "effects.csv", meta, WHAT)
        effects = verified.read_csv(effects_path, WHAT, EFFECT_COLUMNS, EFFECT_NUMBERS)
        blocks, baseline = summary.get("scenarios"), summary.get("baseline")
        if not isinstance(blocks, dict) or baseline not in blocks:
            raise InputError(f"{WHAT}: {summary_path}: 'scenarios' does not hold the baseline {baseline!r}; {RERUN}")
        summaries = {str(n): _summary_block(b, f"{summary_path.name}: scenarios.{n}") for n, b in blocks.items()}
        if "scenario" not in retention.columns:
            raise InputError(f"{WHAT}: {ret_path} has no column 'scenario'; {RERUN}")
        unknown = sorted(set(effects["scenario"].astype(str)) - set(summaries))
        if unknown:
            raise InputError(f"{WHAT}: {effects_path}: scenario '{unknown[0]}' is not in {summary_path.name}; {RERUN}")
        return Results(
            folder=folder, kind="compare", manifest=meta, summaries=summaries, baseline=baseline, reps=reps,
            retention=retention, effects=effects, scenarios=_scenarios(meta, list(summaries), folder / "manifest.json"),
        )  # fmt: skip
    if "metrics" not in summary or not isinstance(summary.get("scenario"), str):
        raise InputError(f"{WHAT}: {summary_path}: neither a run's nor a comparison's summary")
    name = summary["scenario"]
    yearly = None
    for ext, reader in (("parquet", verified.read_parquet), ("csv", verified.read_csv)):
        path = verified.check_file(folder, f"yearly.{ext}", meta, WHAT, required=False)
        if path is not None:
            yearly = reader(path, WHAT, ("rep", "year"))
    return Results(
        folder=folder, kind="run", manifest=meta, summaries={name: _summary_block(summary["metrics"], f"{summary_path.name}: metrics")},
        baseline=name, reps=reps, retention=retention.assign(scenario=name), yearly=yearly,
        scenarios=_scenarios(meta, [name], folder / "manifest.json"),
    )  # fmt: skip
