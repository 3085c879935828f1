"""Design points and run seeds of a batch experiment.

A design point is one scenario crossed with one level of every factorial factor and one
sampled point (in that order, the last factor varying fastest). Run ``run_id`` is
``point * replicates + rep``. Its seed is drawn from
``numpy.random.SeedSequence(root_seed, spawn_key=(point, rep))`` (or ``(rep,)`` with
common random numbers), so a run's result depends only on the experiment file, never
on the backend, the number of workers or the order runs finish in.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from experiments.batch.spec import BatchSpec, _override
from model.config import ModelConfig


def run_seed(root: int, point: int, rep: int, common: bool = False) -> int:
    """The integer seed of run (point, rep): ``run_one(config, seed)`` reproduces it alone."""
    key = (rep,) if common else (point, rep)
    return int(np.random.SeedSequence(root, spawn_key=key).generate_state(1, np.uint64)[0] >> np.uint64(1))


def sample_points(spec: BatchSpec, ranges: dict[str, tuple[float, float, bool]]) -> pd.DataFrame:
    """The sampled design (Latin hypercube or Sobol) scaled to ``ranges``; integers rounded."""
    if spec.sample is None:
        return pd.DataFrame(index=range(1))
    from scipy.stats import qmc  # here: workers import this module to run a batch, and need no sampler

    paths = list(spec.sample.factors)
    seed = spec.sample.seed if spec.sample.seed is not None else spec.seed
    d = len(paths)
    if spec.sample.method == "lhs":
        unit = qmc.LatinHypercube(d=d, rng=np.random.default_rng(seed)).random(spec.sample.n)
    else:
        with warnings.catch_warnings():  # n not a power of two: still a valid low-discrepancy sample
            warnings.simplefilter("ignore", UserWarning)
            unit = qmc.Sobol(d=d, scramble=True, rng=np.random.default_rng(seed)).random(spec.sample.n)
    lo = np.array([ranges[p][0] for p in paths])
    hi = np.array([ranges[p][1] for p in paths])
    values = qmc.scale(unit, lo, hi)
    frame = pd.DataFrame(values, columns=paths)
    for p in paths:
        if ranges[p][2]:
            frame[p] = frame[p].round().astype("int64")
    return frame


@dataclass
class Design:
    """Every design point of an experiment, and how to build a run's configuration."""

    spec: BatchSpec
    configs: dict[str, ModelConfig]
    points: pd.DataFrame  # one row per point: point, scenario, one column per factor
    origin: str = ""
    _cache: dict[int, ModelConfig] = field(default_factory=dict, repr=False)

    @classmethod
    def build(
        cls, spec: BatchSpec, configs: dict[str, ModelConfig], ranges: dict[str, tuple[float, float, bool]], origin: str = ""
    ) -> Design:
        """Cross scenarios, factorial levels and sampled points."""
        factor_levels: list[list[Any]] = [list(v) if isinstance(v, list) else list(v) for v in spec.factorial.values()]
        sampled = sample_points(spec, ranges)
        rows = []
        for scenario, levels in itertools.product(configs, itertools.product(*factor_levels)):
            for s in range(len(sampled)):
                rows.append((scenario, *levels, s))
        columns = ["scenario", *spec.factorial, "_sample"]
        points = pd.DataFrame(rows, columns=columns)
        if spec.sample is not None:
            points = points.join(sampled, on="_sample")
        points = points.drop(columns="_sample")
        points.insert(0, "point", np.arange(len(points), dtype="int64"))
        return cls(spec=spec, configs=configs, points=points, origin=origin)

    @property
    def n_runs(self) -> int:
        """Points × replicates."""
        return len(self.points) * self.spec.replicates

    def locate(self, run_id: int) -> tuple[int, int]:
        """``(point, rep)`` of ``run_id``."""
        return divmod(int(run_id), self.spec.replicates)

    def seed(self, run_id: int) -> int:
        """The seed of ``run_id``."""
        point, rep = self.locate(run_id)
        return run_seed(self.spec.seed, point, rep, self.spec.common_random_numbers)

    def config(self, point: int) -> ModelConfig:
        """The configuration of design ``point`` (the last few are cached: replicates share it)."""
        if point in self._cache:
            return self._cache[point]
        row = self.points.iloc[point]
        values: dict[str, Any] = {"run.log_events": False, **self.spec.overrides}
        for factor, levels in self.spec.factorial.items():
            values.update(levels[row[factor]] if isinstance(levels, dict) else {factor: _plain(row[factor])})
        if self.spec.sample is not None:
            values.update({p: _plain(row[p]) for p in self.spec.sample.factors})
        config = _override(self.configs[row["scenario"]], values, self.origin, f"design point {point}")
        if len(self._cache) > 8:
            self._cache.clear()
        self._cache[point] = config
        return config


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


class RunTasks(Sequence):
    """A lazy sequence of engine tasks ``(config, seed, metrics, yearly, run_id)`` for the runs in ``run_ids``."""

    def __init__(self, design: Design, run_ids: np.ndarray, metrics: list[str] | None, yearly: bool) -> None:
        self.design = design
        self.run_ids = run_ids
        self.metrics = metrics
        self.yearly = yearly

    def __len__(self) -> int:
        return len(self.run_ids)

    def __getitem__(self, i: int) -> tuple:  # type: ignore[override]
        run_id = int(self.run_ids[i])
        point, _ = self.design.locate(run_id)
        return (self.design.config(point), self.design.seed(run_id), self.metrics, self.yearly, run_id)
