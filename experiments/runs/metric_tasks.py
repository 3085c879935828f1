"""The one seam the decision tools run through: a list of (configuration, seed) tasks -> headline metrics.

Ensembles, discovery designs and optimisation trials all reduce to "run these
configurations at these seeds and give me their metrics". Every task goes through
``experiments.engine.execute`` (sequential, loky or Dask: the seed travels with the task,
so the result depends on neither the backend nor the worker count) and, with a store
folder, finished tasks are kept in the one run store (``experiments.store.RunStore``,
keyed by resolved configuration + seed identity + model source), so a rerun of an
interrupted command evaluates only what is missing and a changed model never reuses a
stale result.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from experiments.engine import execute
from experiments.store import RunStore, source_fingerprint
from model.config import ModelConfig
from model.run import run_one

Task = tuple[ModelConfig, np.random.SeedSequence]
FLUSH_ROWS, FLUSH_SECONDS = 50, 5.0  # a store part per this many runs or seconds, whichever comes first


def model_source() -> str:
    """Fingerprint of the code a result depends on (the store's)."""
    return source_fingerprint()


def metrics_of(config: ModelConfig, seed: np.random.SeedSequence) -> dict[str, float]:
    """Picklable worker: the headline metrics of one run (NaN where undefined)."""
    out = {}
    for k, v in run_one(config, seed).metrics().items():
        try:
            out[k] = float(v)
        except (TypeError, ValueError):
            out[k] = math.nan
    return out


def run_metric_tasks(
    tasks: Sequence[Task],
    *,
    store: Path | None = None,
    backend: str = "loky",
    jobs: int = 1,
    scheduler: str | None = None,
    progress: bool = False,
) -> tuple[list[dict[str, float]], dict[str, int]]:
    """Metrics of every task (in task order) and counts ``{"tasks", "evaluated", "cached"}``.

    With ``store`` (a folder), stored runs are read back and new ones are stored as they
    finish (in parts, flushed at least every few seconds and on interruption).
    """
    rs = RunStore(store) if store is not None else None
    keys = (
        [rs.key({"metrics_of": c.model_dump(mode="json")}, s) for c, s in tasks] if rs is not None else [str(i) for i in range(len(tasks))]
    )
    records = (
        {k: {m: (math.nan if v is None else float(v)) for m, v in row.items()} for k, row in rs.rows(set(keys)).items()}
        if rs is not None
        else {}
    )
    todo: dict[str, Task] = {}
    for key, task in zip(keys, tasks, strict=True):
        if key not in records and key not in todo:
            todo[key] = task
    order = list(todo)
    buffer: list[dict] = []
    last = time.monotonic()

    def flush() -> None:
        nonlocal buffer, last
        if rs is not None and buffer:
            rs.put(pd.DataFrame(buffer))
        buffer, last = [], time.monotonic()

    with tqdm(total=len(order), desc="runs", unit="run", disable=not progress, leave=False) as bar:
        try:
            for i, metrics in execute(metrics_of, [todo[k] for k in order], backend=backend, jobs=jobs, scheduler=scheduler):
                records[order[i]] = metrics
                buffer.append({"key": order[i], **metrics})
                if len(buffer) >= FLUSH_ROWS or time.monotonic() - last >= FLUSH_SECONDS:
                    flush()
                bar.update()
        finally:
            flush()  # keep every finished run, even when interrupted
    unique = len(set(keys))
    return [records[k] for k in keys], {"tasks": len(keys), "evaluated": len(order), "cached": unique - len(order)}
