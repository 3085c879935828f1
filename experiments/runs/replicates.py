"""Run a scenario's replicates through the run store's map and the engine, resumably, with their tables kept on disk.

Replicate ``i`` always gets ``SeedSequence(seed, spawn_key=(i,))`` — the ``i``-th child
``SeedSequence(seed).spawn(...)`` would give — so results depend on neither the number
of replicates, the number of workers nor the order runs finish in. With an output
directory, each finished replicate is kept beside it until the command completes, so
an interrupted command rerun with the same arguments resumes where it stopped
(``experiments.store.RunStore``); without one, the replicates' tables go to a temporary
store that lives as long as the results do. The parent never holds every replicate's
tables: each worker also returns its replicate's Kaplan–Meier curves and survey
proportions (small), the parent writes the tables to the store at once and keeps only
metrics and those aggregates; ``ScenarioRun.yearly``/``careers`` read the store on use.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import tempfile
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.engine import Execution
from experiments.out_folder import claim
from experiments.runs.outputs import cache_dir, prepare, summarise, survey_table, write_run
from experiments.scenarios.load import Scenario, apply_run_overrides, check_total, load_scenario
from experiments.store import RunStore
from model.config import ModelConfig
from model.retention import curves_from_reps, retention_by_rep
from model.run import run_one
from model.survey import survey_proportions

TABLES = ("yearly", "careers", "survey")


def replicate_seed(root: int, rep: int) -> np.random.SeedSequence:
    """The seed of replicate ``rep``: child ``rep`` of the root seed sequence."""
    return np.random.SeedSequence(root, spawn_key=(rep,))


def run_replicate(config: ModelConfig, root: int, rep: int) -> dict[str, Any]:
    """Picklable worker: one replicate's tables, headline metrics and small aggregates (the event log is not kept)."""
    result = run_one(config, replicate_seed(root, rep), rep=rep)
    out = {"rep": rep, "yearly": result.yearly, "careers": result.careers, "survey": result.survey, "metrics": result.metrics()}
    return {**out, **aggregates(out, config.run.years)}


def aggregates(res: dict[str, Any], horizon: int) -> dict[str, pd.DataFrame | None]:
    """What a scenario's summary needs of one replicate: its KM curves by group and its survey proportions."""
    survey = res["survey"]
    props = survey_proportions(survey.drop(columns="rep")).assign(rep=res["rep"]) if len(survey) else None
    return {"retention": retention_by_rep(res["careers"], horizon), "survey_props": props}


class Tables:
    """Where one replicate's tables are: a run store and the replicate's key (read on use, never held)."""

    def __init__(self, store: RunStore, key: str) -> None:
        self.store, self.key = store, key  # holding the store keeps a temporary store's folder

    def get(self, name: str) -> pd.DataFrame:
        """The replicate's table ``name`` (with its ``rep`` column)."""
        frame = self.store.table(name, self.key)
        if frame is None:
            raise FileNotFoundError(f"{self.store.folder}: the {name} table of this replicate is no longer stored")
        return frame


def temporary_store(tables: Sequence[str] = ()) -> RunStore:
    """A run store in a new temporary folder, removed when the store is collected (or at exit)."""
    folder = Path(tempfile.mkdtemp(prefix="hsr-careers-runs-"))
    store = RunStore(folder, tables)
    weakref.finalize(store, shutil.rmtree, folder, True)
    return store


@dataclass
class Job:
    """The replicates of one configuration: ``config`` run with seeds from ``seed`` for reps ``0..reps-1``."""

    label: str
    config: ModelConfig
    seed: int
    reps: int


def run_jobs(jobs: Sequence[Job], *, execution: Execution | None = None, cache: Path | None = None) -> dict[str, list[dict]]:
    """Run every replicate of every job through the run store's map; results sorted by replicate.

    With ``cache`` (a folder), every finished replicate is kept in a ``RunStore`` there and
    replicates already stored are read back instead of run again; without it, in a
    temporary store that lives as long as the results pointing into it.
    """
    store = RunStore(cache, TABLES) if cache is not None else temporary_store(TABLES)
    tasks, owners, keys, horizons = [], [], [], {}
    for j in jobs:
        for rep in range(j.reps):
            key = store.key(j.config, replicate_seed(j.seed, rep))
            tasks.append((j.config, j.seed, rep))
            owners.append(j.label)
            keys.append(key)
            horizons[key] = j.config.run.years

    def load(key: str, row: dict[str, Any]) -> dict[str, Any] | None:
        return _load(store, key, row, horizons[key])

    def keep(key: str, res: dict[str, Any]) -> dict[str, Any]:
        return _light(res, Tables(store, key))

    done: dict[str, list[dict]] = {j.label: [] for j in jobs}
    for index, res in store.map(run_replicate, tasks, keys, execution=execution, encode=_encode, load=load, keep=keep, label="replicates"):
        done[owners[index]].append(res)
    return {label: sorted(items, key=lambda r: r["rep"]) for label, items in done.items()}


def _light(res: dict[str, Any], tables: Any) -> dict[str, Any]:
    """What the parent keeps of a replicate: metrics, aggregates and where its tables are."""
    return {"rep": res["rep"], "metrics": res["metrics"], "retention": res["retention"], "survey_props": res["survey_props"], "tables": tables}


def _load(store: RunStore, key: str, row: dict[str, Any], horizon: int) -> dict[str, Any] | None:
    """A stored replicate (metrics, aggregates, where its tables are), or None when a table is missing or unreadable."""
    tables = {t: store.table(t, key) for t in TABLES}
    if any(v is None for v in tables.values()):
        return None
    rep = int(row["rep"])
    metrics = {k: (float("nan") if v is None else v) for k, v in row.items() if k != "rep"}
    res = {"rep": rep, **tables, "metrics": metrics}
    return _light({**res, **aggregates(res, horizon)}, Tables(store, key))


def _encode(items: list[tuple[str, dict[str, Any]]]) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """Finished replicates as one store part: their metrics as ``runs`` rows, their tables beside them."""
    rows = pd.DataFrame([{"key": key, "rep": res["rep"], **res["metrics"]} for key, res in items])
    tables = {t: pd.concat([res[t].assign(key=key) for key, res in items], ignore_index=True) for t in TABLES}
    return rows, tables


class ScenarioRun:
    """All replicates of one scenario: metrics, their summary, retention and survey; the §4 tables read from disk on use."""

    def __init__(self, scenario: Scenario, config: ModelConfig, seed: int, results: list[dict]) -> None:
        self.scenario = scenario
        self.config = config
        self.seed = seed
        self.reps = len(results)
        self.horizon = config.run.years
        self.metrics = pd.DataFrame([r["metrics"] for r in results], index=pd.Index([r["rep"] for r in results], name="rep"))
        self._retention = [r["retention"] for r in results]
        self._survey = [r["survey_props"] for r in results if r["survey_props"] is not None]
        self._tables = [r["tables"] for r in results]

    def table(self, name: str) -> pd.DataFrame:
        """Every replicate's table ``name`` (``yearly``, ``careers``, ``survey``), read from disk and concatenated."""
        return pd.concat([t.get(name) for t in self._tables], ignore_index=True)

    @property
    def yearly(self) -> pd.DataFrame:
        """One row per replicate and year (DESIGN.md §4), read from disk."""
        return self.table("yearly")

    @property
    def careers(self) -> pd.DataFrame:
        """One row per replicate and researcher (DESIGN.md §4), read from disk."""
        return self.table("careers")

    @property
    def survey_responses(self) -> pd.DataFrame:
        """The simulated survey's responses of every replicate, read from disk."""
        return self.table("survey")

    def write_table(self, name: str, path: Path, fmt: str) -> None:
        """Write every replicate's table ``name`` to ``path``, streamed one replicate at a time where it is stored."""
        stores = {id(t.store) for t in self._tables if isinstance(t, Tables)}
        if len(stores) == 1 and len(self._tables) and all(isinstance(t, Tables) for t in self._tables):
            self._tables[0].store.stream_table(name, [t.key for t in self._tables], path, fmt)
        else:
            frame = self.table(name)
            frame.to_parquet(path, index=False) if fmt == "parquet" else frame.to_csv(path, index=False)

    @property
    def name(self) -> str:
        """The scenario's name."""
        return self.scenario.name

    @cached_property
    def retention(self) -> pd.DataFrame:
        """Kaplan–Meier retention by group with 95% bands across replicates (from each replicate's curves)."""
        return curves_from_reps(pd.concat(self._retention, ignore_index=True) if self._retention else pd.DataFrame())

    @cached_property
    def survey(self) -> pd.DataFrame:
        """Simulated-survey proportions: replicate mean, its interval and the spread of single surveys."""
        per_rep = sorted(self._survey, key=lambda f: int(f["rep"].iloc[0]))
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
    execution: Execution | None = None,
    out: str | Path | None = None,
    fmt: str = "parquet",
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
        results = run_jobs([job], execution=execution, cache=cache_dir(out_path) if out_path else None)[sc.name]
        run = ScenarioRun(sc, config, config.run.seed, results)
        if out_path is not None:
            write_run(run, out_path, fmt, started=started, command=command, marker=held.marker)
            from experiments.runs.reuse import FolderTables

            run._tables = [FolderTables(out_path, rep) for rep in run.metrics.index]  # the store is gone; the tables are in out
    if on_done:
        on_done(run)
    return run
