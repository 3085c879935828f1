"""Measured runs for calibration: an evaluate callable over the one engine and the one run store.

``calibration/`` never imports ``experiments/``; it receives an ``evaluate(tasks)``
callable (``calibration.simulate.Evaluate``). The calibration workflow builds it here:
each task ``(overrides, seed)`` is keyed in the run store by the resolved configuration
at that point, the measures asked for and the seed, and goes through the store's map
(``experiments.store_map``): stored runs are read back, the rest run under the command's
``Execution`` and are stored as they finish, so a killed calibration resumes where it
stopped.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from calibration.simulate import measure_run
from experiments.engine import Execution
from experiments.store import RunStore
from experiments.store_map import StoreMap
from model.config import ModelConfig, with_overrides
from model.run import run_one


class StoredEvaluate:
    """``evaluate(tasks)`` for ``calibration.history_matching``: yields ``(task index, measures)``; counts ``ran`` and ``cached``."""

    def __init__(self, config: ModelConfig, names: Sequence[str], store: str | Path | None, execution: Execution | None = None) -> None:
        self.config, self.names = config, list(names)
        self.store = RunStore(store) if store is not None else None
        self.execution = execution or Execution()
        self.ran = self.cached = 0

    def _identify(self, overrides: dict[str, float], seed: int) -> str:
        assert self.store is not None
        resolved = with_overrides(self.config, overrides).model_dump(mode="json")
        return self.store.key({"config": resolved, "measures": self.names}, seed)

    def __call__(self, tasks: Sequence[tuple[dict[str, float], int]]) -> Iterator[tuple[int, dict[str, float]]]:
        """Measures of every task: stored ones first, then the rest as they finish."""
        keys = [self._identify(o, s) for o, s in tasks] if self.store is not None else [str(i) for i in range(len(tasks))]
        work = [(run_one, self.config, overrides, seed, self.names) for overrides, seed in tasks]
        mapped = StoreMap(self.store, measure_run, work, keys, execution=self.execution, label=None)
        self.cached += mapped.cached
        ran = self.ran
        for i, measures in mapped:
            self.ran = ran + mapped.evaluated
            yield i, measures
