"""Reuse a finished baseline run in a comparison (``compare --baseline-results DIR``) instead of re-running it.

The folder must hold a ``hsr-careers run`` of the same resolved configuration (every
parameter, policy, shock and run setting but the replicate count), from the same root
seed, by the same model source, with at least as many replicates as the comparison
asks for; its first *n* replicates are then exactly what re-running would give
(replicate ``i`` is seeded by its index alone). Anything else is refused with the
first difference named, so a comparison never pairs runs that do not belong together.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd

from experiments import verified
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


def _table(folder: Path, stem: str, **kw: Any) -> pd.DataFrame:
    path = _path(folder, stem)
    what = "--baseline-results"
    if path.suffix == ".parquet":
        return verified.read_parquet(path, what, ("rep",), ("rep",), **kw)
    return verified.read_csv(path, what, ("rep",), ("rep",))


def _path(folder: Path, stem: str) -> Path:
    for ext in ("parquet", "csv"):
        if (folder / f"{stem}.{ext}").is_file():
            return folder / f"{stem}.{ext}"
    raise InputError(f"--baseline-results: {folder} has no {stem}.parquet or {stem}.csv; rerun the baseline with hsr-careers run")


def load_baseline_results(folder: Path, config: ModelConfig) -> list[dict[str, Any]]:
    """The first ``config.run.replicates`` replicates of a matching finished run, as the runner returns them."""
    where = f"--baseline-results: {folder}"
    for name in ("manifest.json", "summary.json"):
        if not (folder / name).exists():
            raise InputError(f"{where} is not a finished run (no {name})")
    manifest = verified.manifest(folder, ("run", "compare"), "--baseline-results")
    summary = verified.read_json(verified.check_file(folder, "summary.json", manifest, "--baseline-results"), "--baseline-results")
    if "metrics" not in summary or not isinstance(manifest.get("scenario"), dict):
        raise InputError(f"{where} holds a comparison, not one run; give the folder written by hsr-careers run")
    _check_seeds(folder, manifest, summary)
    for stem in ("yearly", "careers"):
        verified.check_file(folder, _path(folder, stem).name, manifest, "--baseline-results")
    want = config.model_dump(mode="json")
    have = {k: v for k, v in manifest["scenario"].items() if k not in ("name", "description", "files")}
    reps = config.run.replicates
    diff = _first_difference({**want, "run": {**want["run"], "replicates": None}}, {**have, "run": {**have.get("run", {}), "replicates": None}})
    if diff:
        raise InputError(f"{where} was run with other settings ({diff}); rerun the baseline or drop --baseline-results")
    if manifest.get("model_source") != model_source():
        raise InputError(f"{where} was made by another version of the model (model source {manifest.get('model_source') or 'not recorded'}, "
                         f"now {model_source()}); rerun the baseline")  # fmt: skip
    if not isinstance(summary.get("reps"), int) or not isinstance(summary["metrics"], dict):
        raise InputError(f"{where}/summary.json: 'reps' or 'metrics' is malformed; rerun the baseline")
    if int(summary["reps"]) < reps:
        raise InputError(f"{where} has {summary['reps']} replicates, the comparison needs {reps}; rerun the baseline with --reps {reps}")
    from model.retention import retention_by_rep

    for stem in ("yearly", "careers"):
        _path(folder, stem)
    careers = _table(folder, "careers")
    careers = careers[careers["rep"] < reps]
    careers_reps = set(careers["rep"].astype(int).unique().tolist())
    curves = {rep: sub.reset_index(drop=True) for rep, sub in retention_by_rep(careers, config.run.years).groupby("rep", sort=True)}
    del careers  # the parent keeps each replicate's curves, not its tables
    metrics = {m: s.get("values") if isinstance(s, dict) else None for m, s in summary["metrics"].items()}
    short = [m for m, v in metrics.items() if not isinstance(v, list) or len(v) < reps]
    if short:
        raise InputError(f"{where}/summary.json: metric '{short[0]}' has fewer than {reps} replicate values; rerun the baseline")
    if set(careers_reps) != set(range(reps)):
        raise InputError(f"{where}/careers: replicates {sorted(set(range(reps)) - careers_reps)[:5]} are missing; rerun the baseline")
    out = []
    for rep in range(reps):
        out.append({
            "rep": rep, "tables": FolderTables(folder, rep), "survey_props": None,
            "retention": curves.get(rep, pd.DataFrame(columns=["rep", "group", "years_since_entry", "retained", "variance", "n_at_risk"])),
            "metrics": {m: (math.nan if v[rep] is None else v[rep]) for m, v in metrics.items()},
        })  # fmt: skip
    return out


def _check_seeds(folder: Path, manifest: dict[str, Any], summary: dict[str, Any]) -> None:
    """The root seed the manifest records (twice) and the one in summary.json must agree: replicates pair by seed."""
    seeds = manifest.get("seeds") if isinstance(manifest.get("seeds"), dict) else {}
    found = {
        "manifest.json seeds.root": seeds.get("root"),
        "manifest.json scenario.run.seed": (manifest["scenario"].get("run") or {}).get("seed"),
        "summary.json seed": summary.get("seed"),
    }
    present = {k: v for k, v in found.items() if v is not None}
    if len(set(map(str, present.values()))) > 1:
        shown = ", ".join(f"{k} = {v!r}" for k, v in present.items())
        raise InputError(f"--baseline-results: {folder}: contradictory seeds ({shown}); the replicates cannot be paired, rerun the baseline")
    for rep in seeds.get("replicates") or []:
        if isinstance(rep, dict) and rep.get("root") is not None and str(rep["root"]) != str(seeds.get("root")):
            raise InputError(f"--baseline-results: {folder}/manifest.json: replicate {rep.get('rep')} has root seed {rep['root']!r}, "
                             f"not seeds.root {seeds.get('root')!r}; rerun the baseline")  # fmt: skip


class FolderTables:
    """One replicate's tables in a finished run's folder (``yearly``, ``careers``), read on use; its survey is not kept."""

    def __init__(self, folder: Path, rep: int) -> None:
        self.folder, self.rep = folder, rep

    def get(self, name: str) -> pd.DataFrame:
        """The replicate's rows of table ``name``."""
        if name == "survey":
            return pd.DataFrame({"rep": pd.Series([], dtype=int)})
        path = _path(self.folder, name)
        frame = _table(self.folder, name, filters=[("rep", "=", self.rep)]) if path.suffix == ".parquet" else _table(self.folder, name)
        return frame[frame["rep"] == self.rep].reset_index(drop=True)
