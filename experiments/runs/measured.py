"""Measured runs for calibration: an evaluate callable over the one engine and the one run store.

``calibration/`` never imports ``experiments/``; it receives an ``evaluate(tasks)``
callable (``calibration.simulate.Evaluate``). The command line builds it here: each task
``(overrides, seed)`` is keyed in the run store by the resolved configuration at that
point, the measures asked for and the seed; stored runs are read back, the rest go
through ``experiments.engine.execute`` and are stored as they finish, so a killed
calibration resumes where it stopped.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pandas as pd

from calibration.simulate import measure_run
from experiments.engine import execute
from experiments.store import RunStore
from model.config import ModelConfig, with_overrides
from model.run import run_one


class StoredEvaluate:
    """``evaluate(tasks)`` for ``calibration.history_matching``: yields ``(task index, measures)``; counts ``ran`` and ``cached``."""

    def __init__(
        self,
        config: ModelConfig,
        names: Sequence[str],
        store: str | Path | None,
        *,
        backend: str = "loky",
        jobs: int = 1,
        scheduler: str | None = None,
    ) -> None:
        self.config, self.names = config, list(names)
        self.store = RunStore(store) if store is not None else None
        self.backend, self.jobs, self.scheduler = backend, jobs, scheduler
        self.ran = self.cached = 0

    def _identify(self, overrides: dict[str, float], seed: int) -> str:
        assert self.store is not None
        resolved = with_overrides(self.config, overrides).model_dump(mode="json")
        return self.store.key({"config": resolved, "measures": self.names}, seed)

    def __call__(self, tasks: Sequence[tuple[dict[str, float], int]]) -> Iterator[tuple[int, dict[str, float]]]:
        """Measures of every task: stored ones first, then the rest as they finish."""
        keys = [self._identify(o, s) for o, s in tasks] if self.store is not None else [""] * len(tasks)
        stored = self.store.rows(keys) if self.store is not None else {}
        todo = []
        for i, key in enumerate(keys):
            if key in stored:
                self.cached += 1
                yield i, {k: (float("nan") if v is None else v) for k, v in stored[key].items()}
            else:
                todo.append(i)
        work = [(run_one, self.config, tasks[i][0], tasks[i][1], self.names) for i in todo]
        for j, measures in execute(measure_run, work, backend=self.backend, jobs=self.jobs, scheduler=self.scheduler):
            i = todo[j]
            if self.store is not None:
                self.store.put(pd.DataFrame([{"key": keys[i], **measures}]))
            self.ran += 1
            yield i, measures
