"""The picklable worker calibration sends to the engine: one run at one parameter point, reduced to its measures."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np

from calibration.measures import measure
from model.config import ModelConfig, with_overrides

# evaluate(tasks) -> (task index, {measure: value}) as runs finish; each task is (overrides, seed).
Evaluate = Callable[[Sequence[tuple[dict[str, float], int]]], Iterable[tuple[int, dict[str, float]]]]


def measure_run(runner: Callable, config: ModelConfig, overrides: dict[str, float], seed: int, names: Sequence[str]) -> dict[str, float]:
    """``runner(with_overrides(config, overrides), seed)`` reduced to the named measures (small to send back)."""
    return measure(runner(with_overrides(config, overrides), seed), list(names))


def replicate_seeds(root: int, reps: int, stream: int = 0) -> list[int]:
    """Seeds for replicates 0..reps-1 of a stream; the same at every design point (common random numbers)."""
    children = np.random.SeedSequence([root, stream]).spawn(reps)
    return [int(c.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1)) for c in children]


def sequential_evaluate(runner: Callable, config: ModelConfig, names: Sequence[str]) -> Evaluate:
    """An in-process evaluate callable (tests, notebooks); the CLI builds one on the batch engine instead."""

    def evaluate(tasks):
        for i, (overrides, seed) in enumerate(tasks):
            yield i, measure_run(runner, config, overrides, seed, names)

    return evaluate
