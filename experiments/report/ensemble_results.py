"""An ensemble's results folder (``compare --ensemble``) read as a comparison the report can show.

Effects are ``effects_ensemble.csv``'s ensemble means with their *total* 95% interval
(where the effect of one realisation at a not-ruled-out parameter value falls: parameter
uncertainty and noise together), so "clear" means clear over the calibration's NROY set,
not only over seeds. Per-scenario summaries come from ``runs.csv``. The table's
probability of the intended sign and parameter share are read by ``extras`` (the same
file), so the ranked table's "how sure" column shows them. An ensemble keeps no
retention curves, so the report leaves those charts out.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from experiments.errors import InputError
from experiments.intervals import t_interval
from experiments.report.results import Results

RETENTION_COLUMNS = ["scenario", "group", "years_since_entry", "retained", "ci_low", "ci_high", "n_at_risk"]


def _interval(values: pd.Series) -> dict[str, float]:
    mean, lo, hi, _, n = t_interval(values.tolist())
    return {"mean": mean, "ci_low": lo, "ci_high": hi, "n_reps": n}


def is_ensemble(folder: Path) -> bool:
    """True for a folder written by ``compare --ensemble`` (no ``summary.json``, an ``effects_ensemble.csv``)."""
    return (folder / "effects_ensemble.csv").is_file() and not (folder / "summary.json").is_file()


def load_ensemble(folder: Path) -> Results:
    """The ensemble in ``folder`` as a comparison: effects (total intervals), summaries, scenarios, no curves."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        table = pd.read_csv(folder / "effects_ensemble.csv")
        runs = pd.read_csv(folder / "runs.csv")
    except (OSError, ValueError) as exc:
        raise InputError(f"{folder}: an incomplete ensemble results folder ({exc}); rerun compare --ensemble") from None
    baseline = str(manifest.get("baseline") or runs["scenario"].iloc[0])
    names = list(dict.fromkeys([baseline, *runs["scenario"]]))
    effects = table.rename(columns={"mean": "difference"})
    effects["scenario_mean"] = effects["baseline_mean"] + effects["difference"]
    effects["n_reps"] = effects["k"] * effects["reps"]
    metrics = [c for c in runs.columns if c not in ("set", "scenario", "rep")]
    summaries = {}
    for name in names:
        sub = runs[runs["scenario"] == name]
        summaries[name] = {m: _interval(sub[m]) for m in metrics}
    reps = int(len(runs[runs["scenario"] == baseline]))
    return Results(
        folder=folder, kind="compare", manifest=manifest, summaries=summaries, baseline=baseline, reps=reps,
        retention=pd.DataFrame(columns=RETENTION_COLUMNS), effects=effects, scenarios=manifest.get("scenarios", {}),
    )  # fmt: skip
