"""The one seam the decision tools run through: a list of (configuration, seed) tasks -> headline metrics.

Ensembles, discovery designs and optimisation trials all reduce to "run these
configurations at these seeds and give me their metrics". Every task goes through
``experiments.engine.execute`` (sequential, loky or Dask: the seed travels with the task,
so the result depends on neither the backend nor the worker count) and, with a cache
file, each finished task is appended to it as one JSON line, so a rerun of an
interrupted command evaluates only what is missing. The key of a task hashes its
resolved configuration, its seed identity (entropy and spawn key) and the model source,
so a changed model or configuration never reuses a stale result.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np
from tqdm import tqdm

import model
from experiments.engine import execute
from model.config import ModelConfig
from model.run import run_one

Task = tuple[ModelConfig, np.random.SeedSequence]


@cache
def model_source() -> str:
    """Hash of the model package source: a changed model never reuses cached metrics."""
    h = hashlib.sha256()
    for f in sorted(Path(model.__file__).parent.glob("*.py")):
        h.update(f.name.encode() + f.read_bytes())
    return h.hexdigest()[:16]


def task_key(config: ModelConfig, seed: np.random.SeedSequence) -> str:
    """Stable key of one task: resolved configuration, seed identity and model source."""
    blob = json.dumps(
        {
            "config": config.model_dump(mode="json"),
            "entropy": str(seed.entropy),
            "spawn_key": list(seed.spawn_key),
            "model": model_source(),
        },
        sort_keys=True,
    )
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


def metrics_of(config: ModelConfig, seed: np.random.SeedSequence) -> dict[str, float]:
    """Picklable worker: the headline metrics of one run (NaN where undefined)."""
    out = {}
    for k, v in run_one(config, seed).metrics().items():
        try:
            out[k] = float(v)
        except (TypeError, ValueError):
            out[k] = math.nan
    return out


def _load(path: Path) -> dict[str, dict[str, float]]:
    records: dict[str, dict[str, float]] = {}
    if not path.exists():
        return records
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):  # a line torn by an interruption: cut it so appends start clean
        with path.open("r+b") as fh:
            fh.truncate(data.rfind(b"\n") + 1)
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            continue
        records[row["key"]] = {k: (math.nan if v is None else float(v)) for k, v in row["metrics"].items()}
    return records


def run_metric_tasks(
    tasks: Sequence[Task],
    *,
    cache_file: Path | None = None,
    backend: str = "loky",
    jobs: int = 1,
    scheduler: str | None = None,
    progress: bool = False,
) -> tuple[list[dict[str, float]], dict[str, int]]:
    """Metrics of every task (in task order) and counts ``{"tasks", "evaluated", "cached"}``.

    With ``cache_file``, finished tasks already there are not run again and new ones
    are appended as they finish (one flushed line each).
    """
    keys = [task_key(c, s) for c, s in tasks]
    records = _load(Path(cache_file)) if cache_file is not None else {}
    todo: dict[str, Task] = {}
    for key, task in zip(keys, tasks, strict=True):
        if key not in records and key not in todo:
            todo[key] = task
    order = list(todo)
    fh = None
    if cache_file is not None:
        Path(cache_file).parent.mkdir(parents=True, exist_ok=True)
        fh = Path(cache_file).open("a", encoding="utf-8")
    try:
        with tqdm(total=len(order), desc="runs", unit="run", disable=not progress, leave=False) as bar:
            for i, metrics in execute(metrics_of, [todo[k] for k in order], backend=backend, jobs=jobs, scheduler=scheduler):
                records[order[i]] = metrics
                if fh is not None:
                    clean = {k: (None if math.isnan(v) else v) for k, v in metrics.items()}
                    fh.write(json.dumps({"key": order[i], "metrics": clean}) + "\n")
                    fh.flush()
                bar.update()
        if fh is not None:
            os.fsync(fh.fileno())
    finally:
        if fh is not None:
            fh.close()
    unique = len(set(keys))
    return [records[k] for k in keys], {"tasks": len(keys), "evaluated": len(order), "cached": unique - len(order)}
