"""Evaluating design points through the batch engine, resumably.

Each task is one (design point, replicate). Replicate ``r`` of every point gets the
same seed (common random numbers), so differences between points are not masked by
chance, and a policy effect is the paired difference of the policy scenario and the
baseline run at the same point with the same seed.

Finished tasks are kept in the run store (``experiments.store.RunStore``), keyed by
what is evaluated (the evaluator's identity and the point's values), the replicate's
seed and the model source. A rerun skips every task already there, and a larger design
reuses the points it shares with a smaller one. A part torn by an interruption is
reported, set aside and its tasks evaluated again.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from experiments.engine import Execution
from experiments.errors import InputError
from experiments.store import RunStore
from model.config import ModelConfig, numeric_parameters, with_overrides
from model.run import run_one

FLUSH_ROWS, FLUSH_SECONDS = 200, 5.0  # a part of the store per this many tasks or seconds, whichever comes first
EFFECT = "effect_"
BASELINE = "baseline_"


class Evaluator(Protocol):
    """What the pipeline evaluates: picklable, ``(values, seed, rep) -> {output: value}``."""

    def __call__(self, values: dict[str, float], seed: np.random.SeedSequence, rep: int) -> dict[str, float]: ...  # noqa: D102

    def output_names(self) -> list[str]: ...  # noqa: D102

    def identity(self) -> str: ...  # noqa: D102


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
            key = json.dumps(sorted(values.items()))
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

    def identity(self) -> str:
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


def evaluate_design(
    evaluator: Evaluator,
    points: Sequence[dict[str, float]],
    *,
    reps: int,
    root_seed: int,
    cache_dir: Path,
    execution: Execution | None = None,
) -> tuple[list[list[dict[str, float]]], dict[str, Any]]:
    """Records ``[point][rep]`` for every point, evaluating only tasks not already cached."""
    seeds = np.random.SeedSequence(root_seed).spawn(reps)
    store = RunStore(cache_dir)
    identity = evaluator.identity()
    tasks = [(evaluator, p, seeds[r], r) for p in points for r in range(reps)]
    keys = [store.key({"evaluator": identity, "values": sorted(p.items())}, seeds[r]) for p in points for r in range(reps)]
    mapped = store.map(
        evaluate_task, tasks, keys, execution=execution, flush_rows=FLUSH_ROWS, flush_seconds=FLUSH_SECONDS, label="design points x reps"
    )
    records = mapped.results()
    table = [records[i * reps : (i + 1) * reps] for i in range(len(points))]
    return table, {"tasks": mapped.distinct, "evaluated": mapped.evaluated, "cached": mapped.cached, "store": str(store.folder.name)}


def output_array(records: list[list[dict[str, float]]], name: str) -> np.ndarray:
    """``(points, reps)`` array of one output (NaN where a metric is undefined)."""
    return np.array([[_num(output_value(rec, name)) for rec in row] for row in records], dtype=float)


def _num(x: float) -> float:
    return float(x) if x is not None and not (isinstance(x, float) and math.isnan(x)) else math.nan
