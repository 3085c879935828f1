"""Small configurations and paired-run helpers shared by the model tests."""

from __future__ import annotations

import numpy as np

from model import ModelConfig, run_one
from model.config import with_overrides


def small_config(population: int = 600, years: int = 12, burn_in: int = 3, **overrides) -> ModelConfig:
    """A fast configuration: a few hundred researchers, a short horizon."""
    # The event log on: several model tests read RunResult.events.
    cfg = with_overrides(ModelConfig(), {"run.population": population, "run.years": years, "run.burn_in_years": burn_in, "run.log_events": True})
    return with_overrides(cfg, overrides) if overrides else cfg


def with_policies(cfg: ModelConfig, *policies: dict) -> ModelConfig:
    """A copy of ``cfg`` with these policies (dicts as in a scenario file)."""
    data = cfg.model_dump()
    data["policies"] = list(policies)
    return ModelConfig.model_validate(data)


def paired(base: ModelConfig, other: ModelConfig, metric: str, reps: int, root: int = 7) -> np.ndarray:
    """Per-replicate differences other - base of ``metric`` with common seeds.

    Each run gets its own (equal) seed object, so the pairing does not depend on a run
    leaving the object it was given untouched (that is tested in test_model_seeds.py).
    """

    def seed(i: int) -> np.random.SeedSequence:
        return np.random.SeedSequence(root, spawn_key=(i,))

    return np.array([run_one(other, seed(i)).metrics()[metric] - run_one(base, seed(i)).metrics()[metric] for i in range(reps)])


def clearly_negative(diffs: np.ndarray) -> bool:
    """Mean below zero by more than 2.5 standard errors of the paired differences.

    With >= 6 replicates a 2.5-SE criterion has a false-positive rate under 2% when
    there is no effect, and the effects tested here are many SEs large.
    """
    se = diffs.std(ddof=1) / np.sqrt(len(diffs))
    return bool(diffs.mean() < -2.5 * max(se, 1e-12))
