"""Policy effects over the calibrated ensemble: parameter uncertainty and stochastic noise, separately.

``run_ensemble(base, scenarios, k=K)`` draws K parameter sets from the calibration's NROY
set (``experiments.runs.ensemble_design``; optionally varying declared assumptions too),
runs at each set R paired replicates of the baseline and of every policy, and splits
each effect's variance into its parameter and noise parts
(``experiments.runs.ensemble_stats``).

Seeds: replicate ``r`` at set ``s`` is ``SeedSequence(root, spawn_key=(s, r))`` in
every scenario (common random numbers within a set, independent across sets, so the
between-set variance is not masked by shared noise). Every run goes through
``experiments.engine.execute`` by way of ``experiments.runs.metric_tasks`` and, with an
output folder, a rerun resumes from the runs already finished.

Python use::

    from experiments.runs.ensemble import run_ensemble
    ens = run_ensemble("scenarios/baseline.yaml", ["scenarios/bridge_funding.yaml"], k=8, reps=4,
                       population=1000, years=10)
    ens.effects[ens.effects.metric == "retention_10y"]
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.engine import Execution
from experiments.errors import InputError
from experiments.out_folder import claim
from experiments.runs.compare import _unique
from experiments.runs.ensemble_design import DEFAULT_NROY, check_nroy, draw_sets, load_nroy, resolve_assumptions, set_overrides
from experiments.runs.ensemble_power import DEFAULT_REPS
from experiments.runs.ensemble_stats import convergence, effect_table, pairwise
from experiments.runs.metric_tasks import run_metric_tasks
from experiments.runs.outputs import cache_dir, manifest, staged_results, write_json
from experiments.runs.replicates import resolve
from experiments.scenarios.load import Scenario, check_total
from model.config import with_overrides

KEY_METRICS = (
    "retention_10y",
    "retention_5y",
    "equity_gap_carer_10y",
    "equity_gap_working_class_10y",
    "cost_per_additional_researcher_year",
)


@dataclass
class Ensemble:
    """An ensemble comparison: the drawn sets, every run's metrics and the effects with their split."""

    baseline: str
    scenarios: list[str]
    sets: pd.DataFrame
    runs: pd.DataFrame
    effects: pd.DataFrame
    pairwise: pd.DataFrame
    convergence: pd.DataFrame
    per_set: dict = field(repr=False, default_factory=dict)
    stats: dict = field(default_factory=dict)


def ensemble_seed(root: int, s: int, r: int) -> np.random.SeedSequence:
    """Seed of replicate ``r`` at parameter set ``s`` (the same in every scenario)."""
    return np.random.SeedSequence(root, spawn_key=(s, r))


def run_ensemble(
    base: str | Path | Scenario,
    scenarios: list[str | Path | Scenario],
    *,
    k: int,
    reps: int = DEFAULT_REPS,
    vary_assumptions: list[str] | None = None,
    nroy: str | Path = DEFAULT_NROY,
    seed: int | None = None,
    years: int | None = None,
    population: int | None = None,
    burn_in_years: int | None = None,
    execution: Execution | None = None,
    out: str | Path | None = None,
    command: list[str] | None = None,
    force: bool = False,
) -> Ensemble:
    """Draw K NROY sets (and assumption values), run paired replicates of every scenario at each, split the variance."""
    if isinstance(reps, bool) or not isinstance(reps, int) or reps < 2:
        raise InputError(f"--reps: an ensemble needs at least 2 replicates per set to measure noise, got {reps!r}")
    base_sc, base_cfg = resolve(base, years=years, population=population, seed=seed, burn_in_years=burn_in_years)
    loaded = [s if isinstance(s, Scenario) else resolve(s)[0] for s in scenarios]
    if not loaded:
        raise InputError("compare --ensemble: give at least one policy scenario besides the baseline")
    check_total(
        base_cfg.model_copy(update={"run": base_cfg.run.model_copy(update={"replicates": reps * k})}), 1 + len(loaded), str(base_sc.path)
    )
    points = load_nroy(nroy)
    check_nroy(points, base_cfg, str(nroy))
    assumptions = resolve_assumptions(base_cfg, vary_assumptions, set(points.columns))
    root = base_cfg.run.seed
    sets = draw_sets(points, k, root, assumptions, base_cfg)
    out_path = Path(out) if out is not None else None
    started = dt.datetime.now(dt.UTC)
    run_settings = base_cfg.run.model_copy(update={"log_events": False})
    taken: set[str] = set()
    names = [_unique(base_sc.name, taken)] + [_unique(sc.name, taken) for sc in loaded]
    configs = [base_cfg] + [sc.config for sc in loaded]
    tasks, index = [], []
    for s in range(k):
        values = set_overrides(sets, s)
        for name, cfg in zip(names, configs, strict=True):
            at_set = with_overrides(cfg.model_copy(update={"run": run_settings}), values)
            for r in range(reps):
                tasks.append((at_set, ensemble_seed(root, s, r)))
                index.append((s, name, r))
    settings = {"configs": [(n, c.model_dump(mode="json")) for n, c in zip(names, configs, strict=True)], "sets": sets.to_dict(),
                "reps": reps, "root": root}  # fmt: skip
    with claim(out_path, "ensemble", settings, force=force) if out_path is not None else contextlib.nullcontext() as held:
        store = cache_dir(out_path) if out_path is not None else None
        metrics, counts = run_metric_tasks(tasks, store=store, execution=execution)
        runs = pd.DataFrame(metrics)
        runs.insert(0, "rep", [i[2] for i in index])
        runs.insert(0, "scenario", [i[1] for i in index])
        runs.insert(0, "set", [i[0] for i in index])
        effects, per_set = effect_table(runs, names[0])
        keys = [m for m in KEY_METRICS if m in set(effects["metric"])]
        ens = Ensemble(
            baseline=names[0], scenarios=names[1:], sets=sets, runs=runs, effects=effects, per_set=per_set,
            pairwise=pairwise(per_set, names[1:]), convergence=convergence(runs, names[0], keys),
            stats={**counts, "k": k, "reps": reps, "nroy_points": len(points), "nroy_file": Path(nroy).name,
                   "assumptions": [a.path for a in assumptions]},
        )  # fmt: skip
        if out_path is not None:
            _write(ens, out_path, started, command, {n: c for n, c in zip(names, configs, strict=True)}, root, held.marker)
    return ens


def _write(ens: Ensemble, out: Path, started: dt.datetime, command: list[str] | None, configs: dict, root: int, marker: dict) -> None:
    from experiments.plots.ensemble import convergence_figure, ensemble_effects_figure

    with staged_results(out) as tmp:
        ens.effects.to_csv(tmp / "effects_ensemble.csv", index=False)
        ens.pairwise.to_csv(tmp / "pairwise.csv", index=False)
        ens.convergence.to_csv(tmp / "convergence.csv", index=False)
        ens.sets.to_csv(tmp / "sets.csv")
        ens.runs.to_csv(tmp / "runs.csv", index=False)
        ensemble_effects_figure(ens.effects, ens.per_set, tmp / "figures" / "ensemble_effects.png")
        if not ens.convergence.empty:
            convergence_figure(ens.convergence, tmp / "figures" / "ensemble_convergence.png")
        seeds = {"root": root, "scheme": "numpy SeedSequence(root, spawn_key=(set, rep)); the same in every scenario", **ens.stats}
        draw = "uniformly among the calibration's NROY points, without replacement (with replacement only if K exceeds them)"
        write_json(
            manifest(command, started, output=marker, baseline=ens.baseline, scenarios={n: c.model_dump(mode="json") for n, c in configs.items()},
                     seeds=seeds, draw=draw),
            tmp / "manifest.json",
        )  # fmt: skip
        from experiments.report import write_report

        write_report(tmp)


def format_ensemble(ens: Ensemble, metrics: tuple[str, ...] = KEY_METRICS) -> str:
    """Terminal table: effect, total 95% interval, parameter and noise SDs, share from parameters, P(intended sign)."""
    from model.outcomes import label, value

    def _fmt_value(m: str, v: float, signed: bool = True) -> str:
        text = value(m, v, difference=True)
        return text if signed else text.lstrip("+")

    k, reps = ens.stats["k"], ens.stats["reps"]
    lines = [f"Effects vs {ens.baseline} over {k} NROY parameter sets x {reps} paired replicates "
             "(mean [total 95% interval]; SD from parameters / from noise; share from parameters [95% interval]; "
             "P = share of sets with the intended sign)"]  # fmt: skip
    for name in ens.scenarios:
        lines.append(f"\n{name}")
        sub = ens.effects[ens.effects["scenario"] == name].set_index("metric")
        for m in metrics:
            if m not in sub.index:
                continue
            r = sub.loc[m]
            interval = f"[{_fmt_value(m, r['ci_low'])}, {_fmt_value(m, r['ci_high'])}]"
            sd = f"{_fmt_value(m, r['sd_parameter'], signed=False)} / {_fmt_value(m, r['sd_noise'], signed=False)}"
            p = "" if np.isnan(r["p_intended_sign"]) else f"P={r['p_intended_sign']:.2f}"
            share = "" if np.isnan(r["parameter_share"]) else (
                f"{r['parameter_share'] * 100:.0f}% [{r['parameter_share_low'] * 100:.0f}, {r['parameter_share_high'] * 100:.0f}] param"
            )
            lines.append(f"  {label(m):<52}{_fmt_value(m, r['mean']):>12}  {interval:<28} sd {sd:<24} {share:<20} {p}")
    return "\n".join(lines)
