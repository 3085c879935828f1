"""The output contract (DESIGN.md §4): interval summaries, table writing, manifests, atomic publication.

Every results directory is built in a temporary sibling and moved into place at the
end, so an interrupted or failed command never leaves half-written results under
``--out``; an existing results directory is replaced only once the new one is complete.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import os
import platform
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from common.provenance import git_commit, versions
from experiments.errors import InputError
from experiments.intervals import t_interval  # noqa: F401  (the runners import it from here)
from experiments.owned_files import foreign, read_manifest, record
from experiments.safe_files import check_own, disk_error, is_disk_error
from model.contracts import HIRE_GROUPS
from model.parameters import EXIT_REASONS, SECTORS
from model.retention import EQUITY_GAPS, GROUP_COLUMNS, HEADLINE_YEARS

FORMATS = ("parquet", "csv")


def metric_names() -> list[str]:
    """Names of the headline metrics ``RunResult.metrics()`` returns (tests keep this in step with the model)."""
    groups = (
        ["all"]
        + [f"{g}:{label}" for g, (_, values) in GROUP_COLUMNS.items() for label in values]
        + [f"sector:{s}" for s in sorted(SECTORS)]
    )
    names = []
    for years in HEADLINE_YEARS:
        for g in groups:
            names.append(f"retention_{years}y" if g == "all" else f"retention_{g.replace(':', '_')}_{years}y")
    names += ["cohort_retention_10y", "doctoral_retention_10y"]
    names += [f"equity_gap_{name}_10y" for name in EQUITY_GAPS]
    names += ["share_fixed_term", "share_fixed_term_final", "satisfied_permanent", "satisfied_non_permanent", "neither_share"]
    names += [f"exits_{r}" for r in EXIT_REASONS] + [
        "exits_total",
        "gap_incidence",
        "active_final",
        "researcher_years",
        "researcher_years_pv",
        "employed_years",
        "employed_years_pv",
        "policy_cost",
        "policy_cost_pv",
        "entrants_hired",
        *(f"entrants_hired_{g}" for g in HIRE_GROUPS),
        "posts_funded_mean",
        "grant_posts_created",
    ]
    return names


def clean(value: Any) -> Any:
    """JSON-safe value: NaN and infinities become None, numpy scalars become Python numbers."""
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def summarise(metrics: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Replicate mean, 95% interval, SD, n and the per-replicate values of every metric column."""
    out = {}
    for name in metrics.columns:
        mean, lo, hi, sd, n = t_interval(metrics[name].tolist())
        out[name] = {"mean": mean, "ci_low": lo, "ci_high": hi, "sd": sd, "n_reps": n, "values": metrics[name].tolist()}
    return out


def survey_table(per_rep: pd.DataFrame) -> pd.DataFrame:
    """Survey proportions over replicates: mean with its 95% interval, and the spread of single surveys."""
    cols = ["question", "subgroup", "answer", "proportion", "ci_low", "ci_high", "spread_low", "spread_high", "n", "reps"]
    if per_rep.empty:
        return pd.DataFrame(columns=cols)
    reps = per_rep["rep"].nunique()
    full = per_rep.pivot_table(index=["question", "subgroup", "answer"], columns="rep", values="proportion", fill_value=0.0, sort=True)
    n = per_rep.groupby(["question", "subgroup", "answer"], sort=True)["n"].mean()
    rows = []
    for key, values in full.iterrows():
        mean, lo, hi, _, _ = t_interval(values.tolist())
        rows.append((*key, mean, lo, hi, float(np.percentile(values, 2.5)), float(np.percentile(values, 97.5)), float(n.loc[key]), reps))
    return pd.DataFrame(rows, columns=cols)


def write_table(df: pd.DataFrame, folder: Path, stem: str, fmt: str) -> Path:
    """Write ``df`` as ``stem.parquet`` or ``stem.csv`` (no index)."""
    path = folder / f"{stem}.{fmt}"
    if fmt == "parquet":
        df.to_parquet(path, index=False)
    else:
        df.to_csv(path, index=False)
    return path


def write_json(data: Any, path: Path) -> None:
    """Indented JSON with NaN written as null."""
    path.write_text(json.dumps(clean(data), indent=2, allow_nan=False) + "\n", encoding="utf-8")


def manifest(command: list[str] | None, started: dt.datetime, **content: Any) -> dict[str, Any]:
    """The manifest: command, resolved scenarios and seeds (``content``), versions, git commit, start and end time."""
    from experiments.runs.reuse import model_source

    return {
        "command": command,
        **content,
        "model_source": model_source(),
        "versions": versions(),
        "git_commit": git_commit(),
        "platform": platform.platform(),
        "started": started.isoformat(timespec="seconds"),
        "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def staging_dir(out: Path) -> Path:
    """A fresh private temporary directory beside ``out`` (same file system, so the final move is atomic).

    ``mkdtemp`` makes it with a random name, exclusively and mode 0700, so no one else can
    plant a link inside while results are written; it gets ordinary permissions when published.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        return Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    except OSError as exc:
        raise disk_error(exc, out.parent, "--out") from None


def cache_dir(out: Path) -> Path:
    """Where finished replicates wait for an interrupted command to be rerun (checked: our own folder, not a link)."""
    path = out.parent / f".{out.name}.partial"
    check_own(path, "run store", folder=True)
    return path


def publish(tmp: Path, out: Path, kind: str | None = None) -> None:
    """Move the finished ``tmp`` into place as ``out``, replacing only what hsr-careers wrote in an earlier ``out``.

    ``tmp``'s manifest records the names written (``output.files``); entries of the old
    folder that hsr-careers did not write (a user's notes, ``discovery/`` written there by
    another command) are moved into the new folder, so they survive the rerun.
    """
    umask = os.umask(0)
    os.umask(umask)
    tmp.chmod(0o777 & ~umask)  # results are ordinary folders
    record(tmp, set(os.listdir(tmp)))
    if not out.exists():
        os.replace(tmp, out)
        return
    keep = sorted(foreign(out, _kind_of(out) or kind))
    clash = [n for n in keep if (tmp / n).exists()]
    if clash:
        raise InputError(f"--out: '{out / clash[0]}' was not written by hsr-careers and the new results need that name; move it away and rerun")
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    os.replace(out, old)
    moved: list[str] = []
    try:
        for name in keep:
            os.rename(old / name, tmp / name)
            moved.append(name)
        os.replace(tmp, out)
    except BaseException:  # put everything back as it was
        for name in moved:
            os.rename(tmp / name, old / name)
        os.replace(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _kind_of(folder: Path) -> str | None:
    marker = (read_manifest(folder) or {}).get("output")
    return marker.get("kind") if isinstance(marker, dict) else None


@contextlib.contextmanager
def staged_results(out: Path, clear_cache: bool = True) -> Iterator[Path]:
    """Write results into a staging folder, then move it into place as ``out``; on any failure remove it.

    Readers never see a half-written ``out``. ``clear_cache`` drops the finished replicates kept
    for an interrupted rerun once the results are in place. A full disk is one clear error.
    """
    tmp = staging_dir(out)
    try:
        try:
            yield tmp
        except OSError as exc:
            if not is_disk_error(exc):
                raise
            raise disk_error(exc, out, "--out") from None
        publish(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if clear_cache:
        shutil.rmtree(cache_dir(out), ignore_errors=True)


def prepare(out: Path, fmt: str) -> None:
    """Check ``--format`` before any work starts (``--out`` is checked by ``experiments.out_folder``)."""
    if fmt not in FORMATS:
        raise InputError(f"--format: unknown format '{fmt}'; valid: {', '.join(FORMATS)}")


def write_run(
    run: Any, out: Path, fmt: str, *, started: dt.datetime, command: list[str] | None = None, marker: dict | None = None
) -> None:
    """Write one scenario's results (DESIGN.md §4) to a staging folder, then move it to ``out``."""
    from experiments.plots.scenarios import run_figures
    from experiments.report import write_report
    from experiments.runs.reach_table import write_reach

    with staged_results(out) as tmp:
        for name in ("yearly", "careers"):  # streamed from the store, one replicate at a time
            run.write_table(name, tmp / f"{name}.{fmt}", fmt)
        run.retention.to_csv(tmp / "retention.csv", index=False)
        run.survey.to_csv(tmp / "survey.csv", index=False)
        write_reach([run], tmp / "reach.csv")
        write_json(
            {
                "scenario": run.name,
                "reps": run.reps,
                "seed": run.seed,
                "horizon_years": run.horizon,
                "interval": "95% t-interval of the replicate mean",
                "metrics": run.summary,
            },
            tmp / "summary.json",
        )
        run_figures(run, tmp / "figures")
        seeds = {"root": run.seed, "scheme": "numpy SeedSequence(root, spawn_key=(rep,))", "replicates": run.seeds()}
        content = {"output": marker, "scenario": run.scenario.resolved(run.config), "seeds": seeds, "format": fmt}
        write_json(manifest(command, started, **content), tmp / "manifest.json")
        write_report(tmp)
