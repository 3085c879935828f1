"""Reuse a finished baseline run in a comparison (``compare --baseline-results DIR``) instead of re-running it.

The folder must hold a ``hsr-careers run`` of the same resolved configuration (every
parameter, policy, shock and run setting but the replicate count), from the same root
seed, by the same model source, with at least as many replicates as the comparison
asks for; its first *n* replicates are then exactly what re-running would give
(replicate ``i`` is seeded by its index alone). Anything else is refused with the
first difference named, so a comparison never pairs runs that do not belong together.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

from experiments.errors import InputError
from model.config import ModelConfig


def model_source() -> str:
    """The model source fingerprint the run store keys results by (``experiments.store.source_fingerprint``)."""
    from experiments.store import source_fingerprint

    return source_fingerprint()


def _first_difference(a: Any, b: Any, path: str = "") -> str | None:
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            d = _first_difference(a.get(k), b.get(k), f"{path}.{k}" if path else k)
            if d:
                return d
        return None
    return None if a == b else f"{path}: {b!r} in the baseline results, {a!r} here"


def _table(folder: Path, stem: str) -> pd.DataFrame:
    for ext, reader in (("parquet", pd.read_parquet), ("csv", pd.read_csv)):
        if (folder / f"{stem}.{ext}").is_file():
            return reader(folder / f"{stem}.{ext}")
    raise InputError(f"--baseline-results: {folder} has no {stem}.parquet or {stem}.csv; rerun the baseline with hsr-careers run")


def load_baseline_results(folder: Path, config: ModelConfig) -> list[dict[str, Any]]:
    """The first ``config.run.replicates`` replicates of a matching finished run, as the runner returns them."""
    where = f"--baseline-results: {folder}"
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError(f"{where} is not a finished run (no {Path(exc.filename).name})") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: unreadable JSON ({exc.msg}); rerun the baseline") from None
    if "metrics" not in summary or "scenario" not in manifest:
        raise InputError(f"{where} holds a comparison, not one run; give the folder written by hsr-careers run")
    want = config.model_dump(mode="json")
    have = {k: v for k, v in manifest["scenario"].items() if k not in ("name", "description", "files")}
    reps = config.run.replicates
    diff = _first_difference({**want, "run": {**want["run"], "replicates": None}}, {**have, "run": {**have.get("run", {}), "replicates": None}})
    if diff:
        raise InputError(f"{where} was run with other settings ({diff}); rerun the baseline or drop --baseline-results")
    if manifest.get("model_source") != model_source():
        raise InputError(f"{where} was made by another version of the model (model source {manifest.get('model_source') or 'not recorded'}, "
                         f"now {model_source()}); rerun the baseline")  # fmt: skip
    if int(summary["reps"]) < reps:
        raise InputError(f"{where} has {summary['reps']} replicates, the comparison needs {reps}; rerun the baseline with --reps {reps}")
    yearly, careers = _table(folder, "yearly"), _table(folder, "careers")
    metrics = {m: s["values"] for m, s in summary["metrics"].items()}
    out = []
    for rep in range(reps):
        out.append({
            "rep": rep, "yearly": yearly[yearly["rep"] == rep].reset_index(drop=True),
            "careers": careers[careers["rep"] == rep].reset_index(drop=True), "survey": pd.DataFrame({"rep": pd.Series([], dtype=int)}),
            "metrics": {m: (math.nan if v[rep] is None else v[rep]) for m, v in metrics.items()},
        })  # fmt: skip
    return out
