"""Batch experiments: thousands of runs on one machine (joblib/loky) or a Dask cluster.

``run_batch(experiment, out)`` reads an experiment file (see ``experiments.batch.spec``),
builds its design points, skips runs already in ``out`` and streams the rest through
the run store's map (``experiments.store_map``) into a partitioned Parquet dataset (see
``experiments.batch.dataset``). A model exception in one run is recorded (status
``failed``, its error and parameters) and the batch goes on.
"""

from __future__ import annotations

import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from common.limits import too_large
from common.provenance import git_commit, versions
from experiments.batch.dataset import BatchFolder, load_results, now, open_dataset, write_json
from experiments.batch.design import Design, RunTasks
from experiments.batch.spec import BatchSpec, check_paths, parse_spec, read_experiment_yaml
from experiments.engine import Execution
from experiments.errors import InputError, suggest
from experiments.names import check_name
from experiments.out_folder import claim
from experiments.store import RunStore, digest, source_fingerprint
from model.config import ModelConfig, with_overrides
from model.run import run_one


def run_task(config: ModelConfig, seed: int, metrics: list[str] | None, yearly: bool, run_id: int) -> dict[str, Any]:
    """One run in a worker: its metrics (and yearly table), or its error. Never raises for a model error."""
    start = time.perf_counter()
    try:
        result = run_one(config, seed)
        values = result.metrics()
        if metrics is not None:
            values = {k: values.get(k, float("nan")) for k in metrics}
        table = result.yearly.drop(columns="rep") if yearly else None
        return {
            "run_id": run_id,
            "status": "ok",
            "error": None,
            "metrics": values,
            "yearly": table,
            "elapsed_s": time.perf_counter() - start,
        }
    except Exception as exc:  # noqa: BLE001 - a failed run is data, not a crash
        tail = "".join(traceback.format_exception(exc)[-3:]).strip()
        return {
            "run_id": run_id,
            "status": "failed",
            "error": f"{type(exc).__name__}: {exc}\n{tail}",
            "metrics": {},
            "yearly": None,
            "elapsed_s": time.perf_counter() - start,
        }


@dataclass
class Experiment:
    """A loaded experiment: validated spec, resolved scenarios and design points."""

    spec: BatchSpec
    design: Design
    resolved: dict[str, Any]
    origin: str

    @property
    def identity(self) -> str:
        """Hash of what determines the results (the manifest's ``fingerprint``)."""
        return digest(self.resolved)


def _metric_names(config: ModelConfig) -> list[str]:
    """Names ``RunResult.metrics()`` returns, from a tiny probe run."""
    tiny = with_overrides(config, {"run.population": 40, "run.years": 10, "run.burn_in_years": 0, "run.log_events": False})
    return list(run_one(tiny, 0).metrics())


def load_experiment(
    source: str | Path | dict[str, Any] | BatchSpec, base_dir: str | Path | None = None, extra: dict[str, Any] | None = None
) -> Experiment:
    """Read and check an experiment file (or mapping, or ``BatchSpec``); raise ``InputError`` on any problem.

    ``extra``: more ``overrides`` (path -> value) on top of the file's, e.g. from ``--set``.
    """
    label = None
    if extra:
        if isinstance(source, BatchSpec):
            source = source.model_dump()
        elif not isinstance(source, dict):
            label, base_dir, source = f"{source} (with --set)", Path(source).parent, read_experiment_yaml(Path(source))
        source = {**source, "overrides": {**(source.get("overrides") or {}), **extra}}
    if isinstance(source, BatchSpec):
        spec, origin, folder = source, f"experiment '{source.name}'", Path(base_dir or ".")
    elif isinstance(source, dict):
        origin = label or f"experiment '{source.get('name', '?')}'"
        spec, folder = parse_spec(source, origin), Path(base_dir or ".")
    else:
        path = Path(source)
        origin, folder = str(path), path.parent
        spec = parse_spec(read_experiment_yaml(path), origin)
    check_name(spec.name, origin)
    configs: dict[str, ModelConfig] = {}
    if spec.scenarios:
        if spec.base is not None:
            raise InputError(f"{origin}: give either 'scenarios' (files) or 'base' (an inline configuration), not both")
        from experiments.scenarios.load import load_scenario  # scenarios are files; their loader checks them

        for name in spec.scenarios:
            target = folder / name
            if not target.is_file():
                raise InputError(f"{origin}: key 'scenarios': file '{name}' not found (looked for {target})")
            scenario = load_scenario(target)
            if scenario.name in configs:
                raise InputError(f"{origin}: key 'scenarios': two scenarios are named '{scenario.name}'; give each a distinct name")
            configs[scenario.name] = scenario.config
    else:
        try:
            configs["base"] = ModelConfig.model_validate(spec.base or {})
        except Exception as exc:  # pydantic ValidationError
            err = exc.errors()[0] if hasattr(exc, "errors") else {"loc": (), "msg": str(exc)}
            raise InputError(f"{origin}: key 'base.{'.'.join(map(str, err['loc']))}': {err['msg']}, got {err.get('input')!r}") from None
    ranges = check_paths(spec, configs, origin)
    if isinstance(spec.outputs.metrics, list):
        valid = _metric_names(next(iter(configs.values())))
        for m in spec.outputs.metrics:
            if m not in valid:
                raise InputError(f"{origin}: key 'outputs.metrics': unknown metric '{m}'{suggest(m, valid)}; valid: {', '.join(valid)}")
    _check_design_size(spec, len(configs), origin)
    design = Design.build(spec, configs, ranges, origin)
    keep = {k: v for k, v in spec.model_dump(mode="json").items() if k not in ("description", "chunk_size", "flush_seconds")}
    resolved = {"experiment": keep, "scenarios": {k: c.model_dump(mode="json") for k, c in configs.items()}}
    return Experiment(spec=spec, design=design, resolved=resolved, origin=origin)


def _check_design_size(spec: BatchSpec, scenarios: int, origin: str) -> None:
    """Refuse, before building it, a design whose points and run ids would not fit in memory."""
    points = scenarios * (spec.sample.n if spec.sample else 1)
    for levels in spec.factorial.values():
        points *= len(levels)
    columns = 2 + len(spec.factorial) + (len(spec.sample.factors) + 1 if spec.sample else 0)
    message = too_large(points * columns + 3 * points * spec.replicates, f"{points:,} design points x {spec.replicates:,} replicates")
    if message:
        raise InputError(f"{origin}: keys 'sample.n', 'factorial' and 'replicates': {message}")


def keys_by_run(store: RunStore, design: Design) -> list[str]:
    """The store key of every run of ``design``, by run id (each point's configuration hashed once)."""
    keys = []
    for point in range(len(design.points)):
        config = digest(design.config(point).model_dump(mode="json"))
        for rep in range(design.spec.replicates):
            keys.append(store.key(config, design.seed(point * design.spec.replicates + rep)))
    return keys


def _rows(results: list[dict[str, Any]], design: Design, keys: list[str]) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """A runs table (and yearly table) from worker results, with design columns, seeds and store keys."""
    ids = np.array([r["run_id"] for r in results], dtype="int64")
    point, rep = np.divmod(ids, design.spec.replicates)
    frame = pd.DataFrame({"key": [keys[i] for i in ids], "run_id": ids, "point": point, "rep": rep, "seed": [design.seed(i) for i in ids]})
    frame = frame.join(design.points.drop(columns="point"), on="point")
    frame["status"] = pd.array([r["status"] for r in results], dtype="string")
    frame["error"] = pd.array([r["error"] for r in results], dtype="string")
    frame["elapsed_s"] = [r["elapsed_s"] for r in results]
    metrics = pd.DataFrame([r["metrics"] for r in results], index=frame.index, dtype="float64")
    frame = pd.concat([frame, metrics], axis=1)
    yearly = [r["yearly"].assign(run_id=r["run_id"], key=keys[r["run_id"]]) for r in results if r["yearly"] is not None]
    table = None
    if yearly:
        table = pd.concat(yearly, ignore_index=True)
        table.insert(0, "key", table.pop("key"))
        table.insert(0, "run_id", table.pop("run_id"))
        table.insert(1, "point", table["run_id"] // design.spec.replicates)
        table.insert(2, "rep", table["run_id"] % design.spec.replicates)
    return frame, table


@dataclass
class BatchOutcome:
    """What a batch session did."""

    out: Path
    total: int
    skipped: int
    ran: int
    failed: int  # failed runs recorded in the whole dataset


def execute_batch(
    experiment: Experiment,
    out: str | Path,
    *,
    execution: Execution | None = None,
    retry_failed: bool = False,
    force: bool = False,
) -> BatchOutcome:
    """Run every run of ``experiment`` not yet in ``out``; write parts as runs finish.

    ``out`` follows ``experiments.out_folder``: new, empty, or this experiment's earlier
    results (resumed); ``force`` replaces other hsr-careers results there.
    """
    execution = execution or Execution()
    with claim(out, "batch", experiment.identity, force=force, stub=False) as held:
        return _execute_batch(experiment, Path(out), held.marker, execution, retry_failed)


def _execute_batch(experiment: Experiment, out: Path, marker: dict, execution: Execution, retry_failed: bool) -> BatchOutcome:
    spec, design = experiment.spec, experiment.design
    folder = BatchFolder(Path(out))
    manifest = {
        "output": marker,
        "experiment": spec.name,
        "description": spec.description,
        "fingerprint": experiment.identity,
        "root_seed": spec.seed,
        "seeding": "numpy.random.SeedSequence(root_seed, spawn_key=" + ("(rep,))" if spec.common_random_numbers else "(point, rep))"),
        "replicates": spec.replicates,
        "points": len(design.points),
        "runs": design.n_runs,
        "resolved": experiment.resolved,
        "versions": versions(),
        "git_commit": git_commit(),
        "model_code": source_fingerprint(),
        "created": now(),
    }
    manifest = folder.open(manifest, design.points)
    store = folder.store
    try:
        keys = keys_by_run(store, design)
        store.keep_only(keys, "the model source changed since they were run")
        if retry_failed:
            status = store.rows(keys, columns=["status"])
            store.drop([k for k, row in status.items() if row["status"] == "failed"])
        metrics = None if spec.outputs.metrics == "all" else list(spec.outputs.metrics)
        tasks = RunTasks(design, np.arange(design.n_runs, dtype="int64"), metrics, spec.outputs.yearly)

        def encode(items: list[tuple[str, dict[str, Any]]]) -> tuple[pd.DataFrame, dict[str, pd.DataFrame | None]]:
            runs, yearly = _rows([result for _, result in items], design, keys)
            return runs, {"yearly": yearly}

        mapped = store.map(run_task, tasks, keys, execution=execution, encode=encode, read_back=False,
                           flush_rows=spec.chunk_size, flush_seconds=spec.flush_seconds, label=spec.name)  # fmt: skip
        session = {
            "start": now(),
            **execution.describe(),
            "skipped": mapped.cached,
            "versions": versions(),
            "git_commit": git_commit(),
            "model_code": source_fingerprint(),
        }
        manifest["sessions"].append(session)
        write_json(folder.out / "manifest.json", manifest)
        for _ in mapped:
            pass
        failed = (
            int((open_dataset(folder.out).to_table(columns=["status"]).column("status").to_numpy(zero_copy_only=False) == "failed").sum())
            if store.parts()
            else 0
        )
        session.update({"end": now(), "ran": mapped.evaluated, "failed_total": failed, "complete": True})
        write_json(folder.out / "manifest.json", manifest)
        return BatchOutcome(out=folder.out, total=design.n_runs, skipped=mapped.cached, ran=mapped.evaluated, failed=failed)
    finally:
        folder.close()


def run_batch(
    experiment: str | Path | dict[str, Any] | BatchSpec,
    out: str | Path | None = None,
    *,
    execution: Execution | None = None,
    retry_failed: bool = False,
    lazy: bool = False,
    base_dir: str | Path | None = None,
):
    """Run (or resume) a batch and return its runs table: a DataFrame, or a lazy pyarrow dataset with ``lazy=True``.

    ``experiment``: an experiment file, a mapping with the same keys, or a ``BatchSpec``
    (scenario paths are relative to the file, or to ``base_dir``). ``out``: the output
    directory (rerun with the same ``out`` to resume); ``None`` uses a temporary one.
    """
    loaded = load_experiment(experiment, base_dir)
    if out is None:
        out = tempfile.mkdtemp(prefix=f"batch-{loaded.spec.name}-")
    execute_batch(loaded, out, execution=execution, retry_failed=retry_failed)
    return open_dataset(out) if lazy else load_results(out)


def load_batch(out: str | Path, table: str = "runs", lazy: bool = False):
    """Read a batch's ``runs`` (or ``yearly``) table: a DataFrame sorted by run, or a lazy pyarrow dataset."""
    return open_dataset(out, table) if lazy else load_results(out, table)
