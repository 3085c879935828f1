"""What the app runs: the levers' scenario and the scenario as opened, replicate by replicate on the same seeds.

``AppSettings`` is everything a run depends on (the opened scenario, population,
replicates, seed and the levers' values); ``run_pair(settings)`` runs replicate ``i`` of
both configurations from the seed ``hsr-careers run`` would give replicate ``i``
(``replicate_seed``), so a saved scenario reproduces the app's numbers, and each effect
is the mean paired difference with a 95% interval (``paired_effects``, as ``compare``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from experiments.app.levers import apply_levers
from experiments.runs.compare import paired_effects
from experiments.runs.replicates import run_replicate
from model.config import ModelConfig
from model.retention import curves_from_reps

SCENARIO_ENV = "HSR_APP_SCENARIO"  # scenario file the app opens (set by ``hsr-careers app``)
DEFAULT_POPULATION = 1000
POPULATION_RANGE = (200, 4000, 100)  # min, max, step of the population slider
DEFAULT_REPLICATES = 8
REPLICATE_RANGE = (2, 30, 1)
DEFAULT_SEED = 1
SEED_RANGE = (1, 1000, 1)
EFFECTS = (  # the effects panel's outcomes, most decisive first (labels and formats: model/outcomes.py)
    "retention_10y",
    "active_final",
    "researcher_years",
    "exits_funding_gap",
    "share_fixed_term_final",
    "equity_gap_carer_10y",
    "equity_gap_working_class_10y",
    "policy_cost",
    "cost_per_additional_researcher_year",
)


@lru_cache(maxsize=4)
def _scenario(path: str) -> tuple[str, ModelConfig, str]:
    from experiments.scenarios.load import load_scenario

    sc = load_scenario(path)
    return sc.name, sc.config, sc.description


def base_scenario() -> tuple[str, ModelConfig, Path | None]:
    """The scenario the app opens: ``$HSR_APP_SCENARIO`` (name, configuration, file), else the declared defaults."""
    path = os.environ.get(SCENARIO_ENV)
    if path:
        real = Path(path).resolve()
        name, config, _ = _scenario(str(real))
        return name, config, real
    return "declared defaults", ModelConfig(), None


@dataclass(frozen=True)
class AppSettings:
    """Everything one app run depends on; equal settings give equal results."""

    population: int = DEFAULT_POPULATION
    replicates: int = DEFAULT_REPLICATES
    seed: int = DEFAULT_SEED
    levers: tuple[tuple[str, Any], ...] = ()  # (lever key, value), sorted

    @classmethod
    def of(cls, values: dict[str, Any]) -> AppSettings:
        """Settings from the page's control values (population, replicates, seed and lever keys)."""
        levers = tuple(sorted((k, v) for k, v in values.items() if k not in ("population", "replicates", "seed")))
        return cls(int(values.get("population", DEFAULT_POPULATION)), int(values.get("replicates", DEFAULT_REPLICATES)),
                   int(values.get("seed", DEFAULT_SEED)), levers)  # fmt: skip

    def base_config(self) -> ModelConfig:
        """The opened scenario at this population, replicates and seed (the baseline of the comparison)."""
        _, config, _ = base_scenario()
        run = config.run.model_copy(update={"population": self.population, "replicates": self.replicates, "seed": self.seed})
        return ModelConfig.model_validate({**config.model_dump(), "run": run.model_dump()})

    def config(self) -> ModelConfig:
        """The configuration the levers describe (validated)."""
        return apply_levers(self.base_config(), dict(self.levers))


@dataclass
class PairResult:
    """Both configurations' replicates: yearly tables, per-replicate retention curves and metrics."""

    settings: AppSettings
    config: ModelConfig
    baseline: ModelConfig
    yearly: dict[str, pd.DataFrame] = field(default_factory=dict)  # "scenario" / "baseline": rows of every replicate
    retention: dict[str, pd.DataFrame] = field(default_factory=dict)
    metrics: dict[str, pd.DataFrame] = field(default_factory=dict)  # one row per replicate, indexed by rep

    @property
    def same(self) -> bool:
        """True when no lever differs from the opened scenario (the run is its own baseline)."""
        return self.config == self.baseline

    @cached_property
    def effects(self) -> pd.DataFrame:
        """Paired effects (scenario − baseline) of every metric with 95% intervals, as ``compare`` computes them."""
        return paired_effects(self.metrics["baseline"], self.metrics["scenario"], "scenario").set_index("metric")

    def curves(self, which: str) -> pd.DataFrame:
        """Kaplan–Meier retention by group, mean over replicates with a 95% band."""
        return curves_from_reps(self.retention[which])


def run_pair(settings: AppSettings, progress: Callable[[int, int], bool] | None = None) -> PairResult | None:
    """Run every replicate of the levers' scenario and of the opened scenario; None if ``progress`` asks to stop.

    ``progress(done, total)`` is called after each run; returning False stops early (the
    page does so when a newer run has been asked for).
    """
    config, baseline = settings.config(), settings.base_config()
    result = PairResult(settings, config, baseline)
    labels = {"scenario": config} if config == baseline else {"scenario": config, "baseline": baseline}
    total, done = settings.replicates * len(labels), 0
    collected: dict[str, dict[str, list]] = {k: {"yearly": [], "retention": [], "metrics": []} for k in labels}
    for rep in range(settings.replicates):
        for label, cfg in labels.items():
            out = run_replicate(cfg, settings.seed, rep)
            collected[label]["yearly"].append(out["yearly"])
            collected[label]["retention"].append(out["retention"].assign(rep=rep))
            collected[label]["metrics"].append(pd.Series(out["metrics"], name=rep, dtype=float))
            done += 1
            if progress is not None and progress(done, total) is False:
                return None
    for label, parts in collected.items():
        result.yearly[label] = pd.concat(parts["yearly"], ignore_index=True)
        result.retention[label] = pd.concat(parts["retention"], ignore_index=True)
        result.metrics[label] = pd.DataFrame(parts["metrics"])
    if "baseline" not in labels:  # no lever moved: the scenario is its own baseline
        for table in (result.yearly, result.retention, result.metrics):
            table["baseline"] = table["scenario"]
    return result
