"""Evaluating design points through the batch engine, resumably.

Each task is one (design point, replicate). Replicate ``r`` of every point gets the
same seed (common random numbers), so differences between points are not masked by
chance, and a policy effect is the paired difference of the policy scenario and the
baseline run at the same point with the same seed.

Finished tasks are appended, one JSON line each, to a cache file named by a
fingerprint of what is evaluated (configurations, root seed). A rerun skips every task
already there, and a larger design reuses the points it shares with a smaller one. A
line torn by an interruption is ignored on reading.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from tqdm import tqdm

from experiments.engine import execute
from experiments.errors import InputError
from model.config import ModelConfig, numeric_parameters, with_overrides
from model.run import run_one

EFFECT = "effect_"
BASELINE = "baseline_"


class Evaluator(Protocol):
    """What the pipeline evaluates: picklable, ``(values, seed, rep) -> {output: value}``."""

    def __call__(self, values: dict[str, float], seed: np.random.SeedSequence, rep: int) -> dict[str, float]: ...  # noqa: D102

    def output_names(self) -> list[str]: ...  # noqa: D102

    def fingerprint(self) -> str: ...  # noqa: D102


class ModelEvaluator:
    """Runs the scenario (and the baseline, for policy effects) at one design point and seed."""

    def __init__(self, config: ModelConfig, baseline: ModelConfig | None = None) -> None:
        self.config = config
        self.baseline = baseline
        self._baseline_paths = frozenset(numeric_parameters(baseline)) if baseline is not None else frozenset()

    def __call__(self, values: dict[str, float], seed: np.random.SeedSequence, rep: int) -> dict[str, float]:
        """Headline metrics of the scenario, plus ``baseline_<metric>`` when a baseline is set."""
        out = run_one(with_overrides(self.config, values), seed, rep).metrics()
        if self.baseline is not None:
            shared = {p: v for p, v in values.items() if p in self._baseline_paths}
            base = run_one(with_overrides(self.baseline, shared), seed, rep).metrics()
            out.update({BASELINE + k: v for k, v in base.items()})
        return out

    def check(self, points: Sequence[dict[str, float]]) -> None:
        """Refuse a design with a point that is not a valid configuration (nothing is run or written)."""
        seen: set[str] = set()
        for i, values in enumerate(points):
            key = task_key(values, 0)
            if key in seen:
                continue
            seen.add(key)
            try:
                with_overrides(self.config, values)
            except ValueError as exc:
                errors = getattr(exc, "errors", None)
                msg = errors()[0]["msg"] if callable(errors) else str(exc)
                raise InputError(
                    f"factor ranges: design point {i} is not a valid configuration ({msg}); narrow the factor ranges in the sensitivity block or --factors"
                ) from exc

    def output_names(self) -> list[str]:
        """Metric names (from a tiny probe run), with ``effect_`` and ``baseline_`` names when a baseline is set."""
        probe = with_overrides(self.config, {"run.population": 60, "run.years": 2, "run.burn_in_years": 0, "run.log_events": False})
        names = list(run_one(probe, 0).metrics())
        if self.baseline is not None:
            names += [EFFECT + n for n in names] + [BASELINE + n for n in names]
        return names

    def fingerprint(self) -> str:
        """What the results depend on apart from the point and the seed."""
        base = self.baseline.model_dump(mode="json") if self.baseline is not None else None
        return json.dumps({"model": self.config.model_dump(mode="json"), "baseline": base}, sort_keys=True)


def output_value(record: dict[str, float], name: str) -> float:
    """One output from a task's record; ``effect_<m>`` is the paired difference scenario minus baseline."""
    if name.startswith(EFFECT) and name not in record:
        metric = name[len(EFFECT) :]
        return record[metric] - record[BASELINE + metric]
    return record[name]


def evaluate_task(evaluator: Callable, values: dict[str, float], seed: np.random.SeedSequence, rep: int) -> dict[str, float]:
    """The top-level (picklable) function the engine runs for one task."""
    return {k: float(v) for k, v in evaluator(values, seed, rep).items()}


def task_key(values: dict[str, float], rep: int) -> str:
    """A stable key for (point values, replicate)."""
    text = json.dumps([sorted((k, float(v)) for k, v in values.items()), rep])
    return hashlib.sha1(text.encode()).hexdigest()


class TaskCache:
    """Finished tasks of one evaluation context, one JSON line each (append-only)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.records: dict[str, dict[str, float]] = {}
        if self.path.exists():
            self._drop_torn_tail()
            with self.path.open(encoding="utf-8") as fh:
                for line in fh:
                    try:
                        row = json.loads(line)
                    except json.JSONDecodeError:  # torn last line of an interrupted run
                        continue
                    self.records[row["key"]] = row["values"]

    def _drop_torn_tail(self) -> None:
        """Cut a last line left without its newline by an interruption, so appends start clean."""
        data = self.path.read_bytes()
        if data and not data.endswith(b"\n"):
            with self.path.open("r+b") as fh:
                fh.truncate(data.rfind(b"\n") + 1)

    def add(self, key: str, values: dict[str, float], fh) -> None:
        """Record a finished task (written in one call, flushed)."""
        self.records[key] = values
        fh.write(json.dumps({"key": key, "values": values}) + "\n")
        fh.flush()


def cache_path(cache_dir: Path, evaluator: Evaluator, root_seed: int) -> Path:
    """The cache file for this evaluator and root seed."""
    digest = hashlib.sha1(f"{evaluator.fingerprint()}|{root_seed}".encode()).hexdigest()[:16]
    return Path(cache_dir) / f"points-{digest}.jsonl"


def evaluate_design(
    evaluator: Evaluator,
    points: Sequence[dict[str, float]],
    *,
    reps: int,
    root_seed: int,
    cache_dir: Path,
    backend: str = "loky",
    jobs: int = 1,
    scheduler: str | None = None,
    progress: bool = True,
) -> tuple[list[list[dict[str, float]]], dict[str, Any]]:
    """Records ``[point][rep]`` for every point, evaluating only tasks not already cached."""
    seeds = np.random.SeedSequence(root_seed).spawn(reps)
    path = cache_path(cache_dir, evaluator, root_seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    cache = TaskCache(path)
    keys = [[task_key(p, r) for r in range(reps)] for p in points]
    todo: dict[str, tuple] = {}
    for p, row in zip(points, keys, strict=True):
        for r, key in enumerate(row):
            if key not in cache.records and key not in todo:
                todo[key] = (evaluator, p, seeds[r], r)
    cached = len({k for row in keys for k in row}) - len(todo)
    order = list(todo)
    with (
        path.open("a", encoding="utf-8") as fh,
        tqdm(total=len(order), desc="design points x reps", disable=not progress, leave=False) as bar,
    ):
        for i, result in execute(evaluate_task, [todo[k] for k in order], backend=backend, jobs=jobs, scheduler=scheduler):
            cache.add(order[i], result, fh)
            bar.update()
        os.fsync(fh.fileno())
    records = [[cache.records[k] for k in row] for row in keys]
    return records, {"tasks": len(order) + cached, "evaluated": len(order), "cached": cached, "cache_file": path.name}


def output_array(records: list[list[dict[str, float]]], name: str) -> np.ndarray:
    """``(points, reps)`` array of one output (NaN where a metric is undefined)."""
    return np.array([[_num(output_value(rec, name)) for rec in row] for row in records], dtype=float)


def _num(x: float) -> float:
    return float(x) if x is not None and not (isinstance(x, float) and math.isnan(x)) else math.nan
