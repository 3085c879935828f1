"""Run a scenario's replicates through the one engine, resumably, and hold their tables.

Replicate ``i`` always gets ``SeedSequence(seed, spawn_key=(i,))`` — the ``i``-th child
``SeedSequence(seed).spawn(...)`` would give — so results depend on neither the number
of replicates, the number of workers nor the order runs finish in. With an output
directory, each finished replicate is kept beside it until the command completes, so
an interrupted command rerun with the same arguments resumes where it stopped
(``experiments.store.RunStore``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm import tqdm

from experiments.engine import execute
from experiments.out_folder import claim
from experiments.runs.outputs import cache_dir, prepare, summarise, survey_table, write_run
from experiments.scenarios.load import Scenario, apply_run_overrides, check_total, load_scenario
from experiments.store import RunStore
from model.config import ModelConfig
from model.retention import retention_curves
from model.run import run_one
from model.survey import survey_proportions

TABLES = ("yearly", "careers", "survey")


def replicate_seed(root: int, rep: int) -> np.random.SeedSequence:
    """The seed of replicate ``rep``: child ``rep`` of the root seed sequence."""
    return np.random.SeedSequence(root, spawn_key=(rep,))


def run_replicate(config: ModelConfig, root: int, rep: int) -> dict[str, Any]:
    """Picklable worker: one replicate's tables and headline metrics (the event log is not kept)."""
    result = run_one(config, replicate_seed(root, rep), rep=rep)
    return {"rep": rep, "yearly": result.yearly, "careers": result.careers, "survey": result.survey, "metrics": result.metrics()}


@dataclass
class Job:
    """The replicates of one configuration: ``config`` run with seeds from ``seed`` for reps ``0..reps-1``."""

    label: str
    config: ModelConfig
    seed: int
    reps: int


def run_jobs(
    jobs: Sequence[Job], *, n_jobs: int = 1, cache: Path | None = None, progress: bool = False, backend: str = "loky"
) -> dict[str, list[dict]]:
    """Run every replicate of every job through ``experiments.engine.execute``; results sorted by replicate.

    With ``cache`` (a folder), every finished replicate is kept in a ``RunStore`` there and
    replicates already stored are read back instead of run again.
    """
    store = RunStore(cache, TABLES) if cache else None
    done: dict[str, list[dict]] = {j.label: [] for j in jobs}
    tasks, owners, keys = [], [], []
    for j in jobs:
        for rep in range(j.reps):
            key = store.key(j.config, replicate_seed(j.seed, rep)) if store is not None else ""
            hit = _load(store, key, rep) if store is not None else None
            if hit is not None:
                done[j.label].append(hit)
            else:
                tasks.append((j.config, j.seed, rep))
                owners.append(j.label)
                keys.append(key)
    total = sum(j.reps for j in jobs)
    bar = tqdm(total=total, initial=total - len(tasks), desc="replicates", unit="run", disable=not progress, leave=False)
    try:
        for index, res in execute(run_replicate, tasks, backend=backend, jobs=n_jobs):
            if store is not None:
                _save(store, keys[index], res)
            done[owners[index]].append(res)
            bar.update(1)
    finally:
        bar.close()
    return {label: sorted(items, key=lambda r: r["rep"]) for label, items in done.items()}


def _load(store: RunStore, key: str, rep: int) -> dict[str, Any] | None:
    """A stored replicate (tables and metrics), or None when it is missing or unreadable."""
    if key not in store:
        return None
    row = store.rows([key]).get(key)
    tables = {t: store.table(t, key) for t in TABLES}
    if row is None or any(v is None for v in tables.values()):
        return None
    metrics = {k: (float("nan") if v is None else v) for k, v in row.items() if k != "rep"}
    return {"rep": rep, **tables, "metrics": metrics}


def _save(store: RunStore, key: str, res: dict[str, Any]) -> None:
    """Store one finished replicate: its metrics as the runs row, its tables beside it."""
    row = pd.DataFrame([{"key": key, "rep": res["rep"], **res["metrics"]}])
    store.put(row, {t: res[t].assign(key=key) for t in TABLES})


class ScenarioRun:
    """All replicates of one scenario: the §4 tables as DataFrames, metrics and their summary."""

    def __init__(self, scenario: Scenario, config: ModelConfig, seed: int, results: list[dict]) -> None:
        self.scenario = scenario
        self.config = config
        self.seed = seed
        self.reps = len(results)
        self.horizon = config.run.years
        self.yearly = pd.concat([r["yearly"] for r in results], ignore_index=True)
        self.careers = pd.concat([r["careers"] for r in results], ignore_index=True)
        self.survey_responses = pd.concat([r["survey"] for r in results], ignore_index=True)
        self.metrics = pd.DataFrame([r["metrics"] for r in results], index=pd.Index([r["rep"] for r in results], name="rep"))

    @property
    def name(self) -> str:
        """The scenario's name."""
        return self.scenario.name

    @cached_property
    def retention(self) -> pd.DataFrame:
        """Kaplan–Meier retention by group with 95% bands across replicates."""
        return retention_curves(self.careers, self.horizon)

    @cached_property
    def survey(self) -> pd.DataFrame:
        """Simulated-survey proportions: replicate mean, its interval and the spread of single surveys."""
        per_rep = [
            survey_proportions(sub.drop(columns="rep")).assign(rep=rep) for rep, sub in self.survey_responses.groupby("rep", sort=True)
        ]
        return survey_table(pd.concat(per_rep, ignore_index=True) if per_rep else pd.DataFrame())

    @cached_property
    def summary(self) -> dict[str, dict[str, Any]]:
        """Headline metrics: replicate mean, 95% interval, SD, n and per-replicate values."""
        return summarise(self.metrics)

    def seeds(self) -> list[dict[str, Any]]:
        """The seed of every replicate, for the manifest."""
        return [{"rep": i, "root": self.seed, "spawn_key": [i]} for i in range(self.reps)]


def resolve(scenario: str | Path | Scenario, **overrides: int | None) -> tuple[Scenario, ModelConfig]:
    """Load ``scenario`` if given a path and apply run overrides (years, population, replicates, seed, burn_in_years)."""
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    return sc, apply_run_overrides(sc.config, str(sc.path), **overrides)


def run_scenario(
    scenario: str | Path | Scenario,
    *,
    reps: int | None = None,
    seed: int | None = None,
    years: int | None = None,
    population: int | None = None,
    burn_in_years: int | None = None,
    jobs: int = 1,
    out: str | Path | None = None,
    fmt: str = "parquet",
    progress: bool = False,
    command: list[str] | None = None,
    on_done: Callable[[ScenarioRun], None] | None = None,
    force: bool = False,
) -> ScenarioRun:
    """Run a scenario's replicates; with ``out``, write the DESIGN.md §4 files there atomically.

    ``out`` follows ``experiments.out_folder``: new, empty, or earlier results of this run
    (``force`` replaces other hsr-careers results there).
    """
    sc, config = resolve(scenario, years=years, population=population, replicates=reps, seed=seed, burn_in_years=burn_in_years)
    check_total(config, 1, str(sc.path))
    out_path = Path(out) if out is not None else None
    if out_path is not None:
        prepare(out_path, fmt)
    started = dt.datetime.now(dt.UTC)
    job = Job(sc.name, config, config.run.seed, config.run.replicates)
    settings = {"config": config.model_dump(mode="json")}
    with claim(out_path, "run", settings, force=force) if out_path is not None else contextlib.nullcontext() as held:
        results = run_jobs([job], n_jobs=jobs, cache=cache_dir(out_path) if out_path else None, progress=progress)[sc.name]
        run = ScenarioRun(sc, config, config.run.seed, results)
        if out_path is not None:
            write_run(run, out_path, fmt, started=started, command=command, marker=held.marker)
    if on_done:
        on_done(run)
    return run
