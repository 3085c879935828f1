"""The one seam the decision tools run through: a list of (configuration, seed) tasks -> headline metrics.

Ensembles, discovery designs and optimisation trials all reduce to "run these
configurations at these seeds and give me their metrics". Every task goes through
the one store-backed map (``experiments.store_map``) under the command's ``Execution``
(sequential, loky or Dask: the seed travels with the task, so the result depends on
neither the backend nor the worker count) and, with a store folder, finished tasks are
kept in the one run store (``experiments.store.RunStore``, keyed by resolved
configuration + seed identity + model source), so a rerun of an interrupted command
evaluates only what is missing and a changed model never reuses a stale result.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from experiments.engine import Execution
from experiments.store import RunStore, source_fingerprint
from experiments.store_map import StoreMap
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
    tasks: Sequence[Task], *, store: Path | None = None, execution: Execution | None = None
) -> tuple[list[dict[str, float]], dict[str, int]]:
    """Metrics of every task (in task order) and counts ``{"tasks", "evaluated", "cached"}``.

    With ``store`` (a folder), stored runs are read back and new ones are stored as they
    finish (in parts, flushed at least every few seconds and on interruption).
    """
    rs = RunStore(store) if store is not None else None
    keys = [rs.key({"metrics_of": c.model_dump(mode="json")}, s) for c, s in tasks] if rs is not None else [str(i) for i in range(len(tasks))]
    mapped = StoreMap(rs, metrics_of, tasks, keys, execution=execution, flush_rows=FLUSH_ROWS, flush_seconds=FLUSH_SECONDS)
    return mapped.results(), mapped.counts()
