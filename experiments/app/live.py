"""The model the app steps: a ``CareerModel`` built from a scenario plus the levers, burn-in done up front.

``LiveModel(population=..., seed=..., **levers)`` is what Mesa's ``SolaraViz`` re-creates
on Reset. The burn-in years (the scenario's ``run.burn_in_years``) run while the model
is built, so the first Step shows reported year 0; each Step is one simulated year and
the model stops at the scenario's horizon. ``snapshot(model)`` turns the live state into
the tables the charts draw.
"""

from __future__ import annotations

import os
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from experiments.app.levers import apply_levers
from model.career_model import CareerModel
from model.config import ModelConfig
from model.observe import career_table
from model.retention import RETENTION_COLUMNS, retention_curves

SCENARIO_ENV = "HSR_APP_SCENARIO"  # scenario file the app opens (set by ``hsr-careers app``)
DEFAULT_POPULATION = 1000
POPULATION_RANGE = (200, 4000, 100)  # min, max, step of the population slider
DEFAULT_SEED = 1


@lru_cache(maxsize=4)
def _scenario(path: str) -> tuple[str, ModelConfig]:
    from experiments.scenarios.load import load_scenario

    sc = load_scenario(path)
    return sc.name, sc.config


def base_scenario() -> tuple[str, ModelConfig]:
    """The scenario the app starts from: ``$HSR_APP_SCENARIO``, else the declared defaults."""
    path = os.environ.get(SCENARIO_ENV)
    if path:
        return _scenario(str(Path(path).resolve()))
    return "declared defaults", ModelConfig()


class LiveModel(CareerModel):
    """A ``CareerModel`` for the app: keyword parameters only, burn-in run on creation, stops at the horizon."""

    def __init__(self, population: int = DEFAULT_POPULATION, seed: int = DEFAULT_SEED, scenario: Any = None, **levers: Any) -> None:
        # ``scenario`` is Mesa's own scenario object, which SolaraViz hands back on Reset;
        # the configuration here comes from the YAML scenario and the levers instead.
        self.scenario_name, base = base_scenario()
        run = base.run.model_copy(update={"population": int(population), "replicates": 1, "seed": int(seed), "log_events": False})
        start = base.model_copy(update={"run": run})
        config = apply_levers(start, levers)
        super().__init__(config, int(seed))
        self.baseline: CareerModel | None = None
        if self.burn_in:
            self.run_until(float(self.burn_in))
        # The baseline beside it: the scenario as opened, same seed and size, stepped in lockstep
        # from here (None when no lever differs from the scenario: this run is then the baseline).
        if config.policies != start.policies:
            baseline = CareerModel(start, int(seed))
            if baseline.burn_in:
                baseline.run_until(float(baseline.burn_in))
            self.baseline = baseline

    def step(self) -> None:
        """One simulated year (and one of the baseline); ``running`` turns False once the horizon is reached."""
        super().step()
        if self.baseline is not None:
            self.baseline.step()
        if self.time >= self.end_time - 1e-9:
            self.running = False


class Snapshot:
    """What the charts draw: the reported years so far and retention of those who entered since year 0."""

    def __init__(self, model: CareerModel) -> None:
        self.model = model
        base = getattr(model, "baseline", None)
        self.baseline = Snapshot(base) if base is not None else None  # same seed, no lever moved
        self.yearly = pd.DataFrame(model.yearly_rows)
        self.years_done = len(self.yearly)
        self.horizon = model.horizon
        self.policies = list(model.policies)
        self.scenario = getattr(model, "scenario_name", "")

    @cached_property
    def retention(self) -> pd.DataFrame:
        """Kaplan–Meier retention by group of researchers who entered in a reported year, censored now."""
        if not self.years_done:
            return pd.DataFrame(columns=RETENTION_COLUMNS)
        careers = career_table(self.model)
        careers = careers[careers["entry_year"] < self.years_done]
        return retention_curves(careers, self.years_done)


def snapshot(model: CareerModel) -> Snapshot:
    """The live state of ``model`` (cheap enough to rebuild every step; retention is computed on first use)."""
    return Snapshot(model)
