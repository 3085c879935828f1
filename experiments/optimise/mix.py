"""``optimise(SPEC)``: the Pareto set of policy mixes under a yearly budget, evaluated with paired replicates.

Each trial is a mix (which policies are on, their settings). It is run with ``reps``
replicates, replicate ``r`` seeded ``SeedSequence(seed, spawn_key=(r,))`` for the mix and
for the baseline alike, so each objective is a mean paired difference with a 95%
t-interval. Runs go through ``experiments.runs.metric_tasks`` (the engine, with a run
cache in the output folder) and the study lives in ``study.log`` there, so a killed
command rerun resumes. The mean yearly policy spend (undiscounted, as budgets are set)
must not exceed ``budget_per_year``.

The front is chosen on noisy means (a winner's curse): ``reevaluate`` reruns every
Pareto mix with fresh seeds (``spawn_key=(1, r)``) so the table shows whether each
still holds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.engine import Execution
from experiments.optimise.spec import OptimiseSpec, load_spec, mix_config, objective_metric
from experiments.optimise.study import Evaluation, open_study, pareto_trials, run_study
from experiments.out_folder import claim
from experiments.runs.metric_tasks import model_source, run_metric_tasks
from experiments.runs.outputs import manifest, staging_dir, t_interval, write_json
from experiments.safe_files import write_bytes
from model.config import ModelConfig, with_overrides

STUDY_FILE, STORE_DIR = "study.log", "store"


@dataclass
class OptimiseResult:
    """The spec, every trial and the Pareto set (tables)."""

    spec: OptimiseSpec
    trials: pd.DataFrame
    pareto: pd.DataFrame
    objectives: list[str]
    stats: dict[str, Any] = field(default_factory=dict)


class MixEvaluator:
    """Evaluates batches of mixes: paired replicates of each mix and the baseline through the engine."""

    def __init__(self, spec: OptimiseSpec, base: ModelConfig, cache: Path, execution: Execution | None = None) -> None:
        self.spec, self.base, self.cache, self.execution = spec, base, cache, execution
        self.metrics = [objective_metric(o, list(_metric_names(base))) for o in spec.objectives]
        self.runs = {"evaluated": 0, "cached": 0}
        self.sets: list[dict[str, float]] = []
        if spec.ensemble:
            from experiments.runs.ensemble_design import DEFAULT_NROY, draw_sets, load_nroy, set_overrides

            drawn = draw_sets(load_nroy(DEFAULT_NROY), spec.ensemble, spec.seed, [], base)
            self.sets = [set_overrides(drawn, s) for s in range(spec.ensemble)]

    def paired(self, params: list[dict[str, Any]], stream: tuple[int, ...] = ()) -> list[dict[str, Any]]:
        """Per mix: each objective's paired differences (one per set and replicate) and the yearly cost of each run.

        With ``ensemble: K`` in the spec every mix and the baseline run at the same K NROY
        parameter sets (seeds ``spawn_key=(*stream, set, rep)``), for a choice robust to
        what the calibration leaves open; otherwise at the calibrated point (``(*stream, rep)``).
        """
        cells = [(values, (*stream, s) if self.sets else stream) for s, values in enumerate(self.sets or [{}])]
        configs = [self.base] + [mix_config(self.base, p) for p in params]
        tasks, n = [], 0
        for cfg in configs:
            for values, key in cells:
                at = with_overrides(cfg, values) if values else cfg
                tasks += [(at, np.random.SeedSequence(self.spec.seed, spawn_key=(*key, r))) for r in range(self.spec.reps)]
        n = len(tasks) // len(configs)
        metrics, counts = run_metric_tasks(tasks, store=self.cache, execution=self.execution)
        for k in self.runs:
            self.runs[k] += counts[k]
        base = metrics[:n]
        out = []
        for i in range(len(params)):
            mix = metrics[(i + 1) * n : (i + 2) * n]
            diffs = {m: [x[m] - b[m] for x, b in zip(mix, base, strict=True)] for m in self.metrics}
            cost = [x["policy_cost"] / self.base.run.years for x in mix]
            out.append({"diffs": diffs, "cost_per_year": cost})
        return out

    def __call__(self, params: list[dict[str, Any]]) -> list[Evaluation]:
        """The batch as Optuna evaluations: mean effects, the budget constraint and the replicate values."""
        res = []
        for r in self.paired(params):
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                values = [float(np.nanmean(r["diffs"][m])) for m in self.metrics]
            values = [v if np.isfinite(v) else 0.0 for v in values]  # an undefined effect (no one at risk) counts as none
            cost = float(np.mean(r["cost_per_year"]))
            res.append(Evaluation(values, {"budget": cost - self.spec.budget_per_year}, {"diffs": r["diffs"], "cost_per_year": cost}))
        return res


def _metric_names(base: ModelConfig) -> list[str]:
    from experiments.runs.metric_tasks import metrics_of

    return list(metrics_of(with_overrides(base, {"run.population": 60, "run.years": 2, "run.burn_in_years": 0}), np.random.SeedSequence(0)))


def _study_name(spec: OptimiseSpec, base: ModelConfig) -> str:
    blob = json.dumps(
        {"spec": spec.model_dump(mode="json", exclude={"trials"}), "base": base.model_dump(mode="json"), "model": model_source()},
        sort_keys=True,
    )
    return f"{spec.name}-{hashlib.sha256(blob.encode()).hexdigest()[:12]}"


def optimise(
    spec_path: str | Path,
    out: str | Path,
    *,
    trials: int | None = None,
    reevaluate: bool = True,
    execution: Execution | None = None,
    command: list[str] | None = None,
    force: bool = False,
) -> OptimiseResult:
    """Search mixes with NSGA-II until ``trials`` are complete (resuming a study in ``out``), then write the Pareto set."""
    spec, base, space, directions = load_spec(spec_path)
    n_trials = trials or spec.trials
    out = Path(out)
    with claim(out, "optimise", _study_name(spec, base), force=force) as held:
        started = dt.datetime.now(dt.UTC)
        evaluator = MixEvaluator(spec, base, out / STORE_DIR, execution)
        study = open_study(out / STUDY_FILE, _study_name(spec, base), directions, population_size=spec.population_size, seed=spec.seed)
        show = (lambda done, total: print(f"  {done}/{total} trials", flush=True)) if execution and execution.progress else None
        counts = run_study(study, space, evaluator, n_trials=n_trials, batch=spec.population_size, progress=show)
        done = [t for t in study.trials if t.state.name == "COMPLETE"]
        trials_table = pd.DataFrame([_row(t, spec, evaluator.metrics) for t in done])
        front = _distinct(pareto_trials(study))
        pareto = pd.DataFrame([_row(t, spec, evaluator.metrics) for t in front])
        if reevaluate and front:
            fresh = evaluator.paired([t.params for t in front], stream=(1,))
            for m in evaluator.metrics:
                ci = [t_interval(r["diffs"][m]) for r in fresh]
                pareto[f"{m}_fresh"], pareto[f"{m}_fresh_ci_low"], pareto[f"{m}_fresh_ci_high"] = zip(
                    *[(c[0], c[1], c[2]) for c in ci], strict=True
                )
            pareto["cost_per_year_fresh"] = [float(np.mean(r["cost_per_year"])) for r in fresh]
            pareto["within_budget_fresh"] = pareto["cost_per_year_fresh"] <= spec.budget_per_year
        result = OptimiseResult(spec, trials_table, pareto, evaluator.metrics, {**counts, **evaluator.runs, "study": study.study_name})
        _write(result, out, started, command, directions, held.marker)
    return result


def _distinct(trials: list[Any]) -> list[Any]:
    """One trial per distinct mix (NSGA-II may propose the same settings twice; their runs are shared)."""
    seen, out = set(), []
    for t in trials:
        sig = tuple(sorted((k, v) for k, v in t.params.items() if k.endswith(".on") or t.params.get(f"{k.split('.')[0]}.on")))
        if sig not in seen:
            seen.add(sig)
            out.append(t)
    return out


def _row(t: Any, spec: OptimiseSpec, metrics: list[str]) -> dict[str, Any]:
    on = [p for p in spec.policies if t.params.get(f"{p}.on")]
    settings = {k: v for k, v in t.params.items() if not k.endswith(".on") and k.split(".")[0] in on}
    row: dict[str, Any] = {"trial": t.number, "policies": " + ".join(on) or "(none)",
                           "settings": "; ".join(f"{k}={v:.4g}" for k, v in settings.items()),
                           "cost_per_year": t.user_attrs.get("cost_per_year", np.nan)}  # fmt: skip
    for m in metrics:
        mean, lo, hi, _, n = t_interval(t.user_attrs["diffs"][m])
        row.update({m: mean, f"{m}_ci_low": lo, f"{m}_ci_high": hi})
    row["feasible"] = row["cost_per_year"] <= spec.budget_per_year
    row.update({f"param:{k}": v for k, v in t.params.items()})
    return row


def _write(r: OptimiseResult, out: Path, started: dt.datetime, command: list[str] | None, directions: list[str], marker: dict) -> None:
    from experiments.plots.optimise import pareto_figure

    tmp = staging_dir(out / "results")  # files are replaced one by one: the folder also keeps the study and the run cache
    try:
        r.trials.to_csv(tmp / "trials.csv", index=False)
        r.pareto.to_csv(tmp / "pareto.csv", index=False)
        pareto_figure(r.trials, r.pareto, r.objectives, r.spec.budget_per_year, tmp / "pareto.png")
        write_json(manifest(command, started, output=marker, spec=r.spec.model_dump(mode="json"), objectives=dict(zip(r.objectives, directions, strict=True)),
                            optimiser="Optuna NSGAIISampler (journal storage)", **r.stats), tmp / "manifest.json")  # fmt: skip
        for name in ("trials.csv", "pareto.csv", "manifest.json"):  # new files renamed into place, never through a link
            write_bytes(out / name, (tmp / name).read_bytes(), "--out")
        (out / "figures").mkdir(exist_ok=True)
        write_bytes(out / "figures" / "pareto.png", (tmp / "pareto.png").read_bytes(), "--out")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
