"""Compare policy scenarios with a baseline using common random numbers and paired differences.

Replicate ``i`` of every scenario runs from the same seed (and the same run settings:
the baseline's, after command-line overrides), so the funding climate and the
network draw identically and each effect is the mean of per-replicate differences
with a 95% t-interval. Cost per additional researcher-year is discounted extra cost
over discounted extra researcher-years (flows over the same years) with a paired
bootstrap interval, "not estimable" when the denominator's interval contains zero
(``experiments/runs/cost_effectiveness.py``). A headcount at the final year is only
reported as that (``active_final``), never divided into a cost.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from experiments.engine import Execution
from experiments.out_folder import claim
from experiments.runs.cost_effectiveness import cost_effectiveness_table, ratio_interval, write_cost_effectiveness
from experiments.runs.outputs import cache_dir, manifest, staged_results, t_interval, write_json
from experiments.runs.reach_table import budget_notes
from experiments.runs.replicates import Job, ScenarioRun, resolve, run_jobs
from experiments.runs.trajectories import trajectories
from experiments.scenarios.load import Scenario, check_total
from model import outcomes

EFFECT_COLUMNS = ["scenario", "metric", "baseline_mean", "scenario_mean", "difference", "ci_low", "ci_high", "n_reps"]
RATIOS = {  # name: (numerator, denominator) of paired differences, both discounted flows over the horizon
    "cost_per_additional_researcher_year": ("policy_cost_pv", "researcher_years_pv"),
}
PEOPLE = ("active_final", "researcher_years", "employed_years", "entrants_hired", "exits_", "grant_posts", "posts_")


def _ratio(base: pd.DataFrame, scen: pd.DataFrame, num: str, den: str) -> tuple[float, float, float, int]:
    d = pd.DataFrame({"n": scen[num] - base[num], "d": scen[den] - base[den]}).dropna()
    est, lo, hi, _ = ratio_interval(d["n"].to_numpy(), d["d"].to_numpy())
    return est, lo, hi, len(d)


def paired_effects(base: pd.DataFrame, scen: pd.DataFrame, name: str) -> pd.DataFrame:
    """Effects of one scenario: per metric, the mean paired difference (scenario − baseline) and its 95% interval."""
    rows = []
    common = base.index.intersection(scen.index)
    base, scen = base.loc[common], scen.loc[common]
    for metric in base.columns:
        pair = pd.DataFrame({"b": base[metric], "s": scen[metric]}).dropna()
        mean, lo, hi, _, n = t_interval((pair["s"] - pair["b"]).tolist())
        rows.append((name, metric, pair["b"].mean(), pair["s"].mean(), mean, lo, hi, n))
    for metric, (num, den) in RATIOS.items():
        est, lo, hi, n = _ratio(base, scen, num, den)
        rows.append((name, metric, math.nan, math.nan, est, lo, hi, n))
    return pd.DataFrame(rows, columns=EFFECT_COLUMNS)


@dataclass
class Comparison:
    """A baseline and scenarios run with common random numbers, and their paired effects."""

    baseline: ScenarioRun
    runs: dict[str, ScenarioRun]
    effects: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    @property
    def cost_effectiveness(self) -> pd.DataFrame:
        """Extra discounted cost, extra discounted researcher-years and their ratio, per scenario."""
        return cost_effectiveness_table(self.baseline.metrics, {n: r.metrics for n, r in self.runs.items()})

    @property
    def retention(self) -> pd.DataFrame:
        """Retention curves of the baseline and every scenario (column ``scenario``)."""
        frames = [self.baseline.retention.assign(scenario=self.baseline.name)] + [
            r.retention.assign(scenario=n) for n, r in self.runs.items()
        ]
        df = pd.concat(frames, ignore_index=True)
        return df[["scenario", *[c for c in df.columns if c != "scenario"]]]

    def distinguishable(self) -> pd.Series:
        """True where the 95% interval of an effect excludes zero."""
        e = self.effects
        return (e["ci_low"] > 0) | (e["ci_high"] < 0)


def _unique(label: str, taken: set[str]) -> str:
    out, i = label, 2
    while out in taken:
        out, i = f"{label}#{i}", i + 1
    taken.add(out)
    return out


def compare_scenarios(
    base: str | Path | Scenario,
    scenarios: list[str | Path | Scenario],
    *,
    reps: int | None = None,
    seed: int | None = None,
    years: int | None = None,
    population: int | None = None,
    burn_in_years: int | None = None,
    execution: Execution | None = None,
    out: str | Path | None = None,
    command: list[str] | None = None,
    force: bool = False,
    baseline_results: str | Path | None = None,
) -> Comparison:
    """Run ``base`` and each scenario with common random numbers; with ``out``, write effects, curves, figures, manifest.

    ``out`` follows ``experiments.out_folder`` (``force`` replaces other hsr-careers results there).
    ``baseline_results`` names a finished ``hsr-careers run`` of ``base`` with the same settings: its replicates are
    reused (checked by its manifest) instead of running the baseline again.
    """
    base_sc, base_cfg = resolve(base, years=years, population=population, replicates=reps, seed=seed, burn_in_years=burn_in_years)
    loaded = [s if isinstance(s, Scenario) else resolve(s)[0] for s in scenarios]
    check_total(base_cfg, 1 + len(loaded), str(base_sc.path))
    out_path = Path(out) if out is not None else None
    started = dt.datetime.now(dt.UTC)
    run_settings = base_cfg.run
    taken: set[str] = set()
    jobs_list = [Job(_unique(base_sc.name, taken), base_cfg, run_settings.seed, run_settings.replicates)]
    notes = []
    for sc in loaded:
        if sc.config.run != base_sc.config.run:
            notes.append(f"{sc.name}: run settings taken from the baseline (same seeds, horizon and population for a paired comparison)")
        cfg = sc.config.model_copy(update={"run": run_settings})
        jobs_list.append(Job(_unique(sc.name, taken), cfg, run_settings.seed, run_settings.replicates))
        # A note already names its policy; the scenario's name is added only where it says more.
        notes += [note if note.startswith(f"{sc.name}:") else f"{sc.name}: {note}" for note in budget_notes(cfg)]
    reused = None
    if baseline_results is not None:
        from experiments.runs.reuse import load_baseline_results

        reused = load_baseline_results(Path(baseline_results), base_cfg)
        notes.append(f"baseline replicates reused from {baseline_results} (same settings, seeds and model source; not re-run)")
    to_run = jobs_list[1:] if reused is not None else jobs_list
    settings = [(j.label, j.config.model_dump(mode="json")) for j in jobs_list]
    with claim(out_path, "compare", settings, force=force) if out_path is not None else contextlib.nullcontext() as held:
        results = run_jobs(to_run, execution=execution, cache=cache_dir(out_path) if out_path else None)
        comparison = _comparison(base_sc, base_cfg, loaded, jobs_list, results, notes, reused)
        if out_path is not None:
            _write(comparison, out_path, started, command, held.marker)
    return comparison


def _comparison(
    base_sc: Scenario, base_cfg, loaded: list[Scenario], jobs_list: list[Job], results: dict, notes: list[str], reused: list | None
) -> Comparison:
    run_settings = base_cfg.run
    base_job = jobs_list[0]
    base_run = ScenarioRun(base_sc, base_cfg, run_settings.seed, reused if reused is not None else results[base_job.label])
    runs = {j.label: ScenarioRun(sc, j.config, run_settings.seed, results[j.label]) for j, sc in zip(jobs_list[1:], loaded, strict=True)}
    effects = (
        pd.concat([paired_effects(base_run.metrics, r.metrics, n) for n, r in runs.items()], ignore_index=True)
        if runs
        else pd.DataFrame(columns=EFFECT_COLUMNS)
    )
    return Comparison(baseline=base_run, runs=runs, effects=effects, notes=notes)


def labelled_effects(effects: pd.DataFrame) -> pd.DataFrame:
    """The effects table for ``effects.csv``: a plain-word label and the unit of the values beside each metric id."""
    out = effects.copy()
    out.insert(2, "label", [outcomes.label(m) for m in out["metric"]])
    out.insert(3, "unit", [outcomes.get(m).stored_unit for m in out["metric"]])
    return out


def _write(c: Comparison, out: Path, started: dt.datetime, command: list[str] | None, marker: dict | None = None) -> None:
    from experiments.report import write_report
    from experiments.runs.reach_table import write_reach

    with staged_results(out) as tmp:
        labelled_effects(c.effects).to_csv(tmp / "effects.csv", index=False)
        c.retention.to_csv(tmp / "retention.csv", index=False)
        write_reach([c.baseline, *c.runs.values()], tmp / "reach.csv")
        if c.runs:
            write_cost_effectiveness(c.baseline.name, c.baseline.metrics, {n: r.metrics for n, r in c.runs.items()}, tmp)
        yearly = {c.baseline.name: c.baseline.yearly, **{n: r.yearly for n, r in c.runs.items()}}
        trajectories(yearly, c.baseline.name).to_csv(tmp / "trajectories.csv", index=False)
        summaries = {c.baseline.name: c.baseline.summary, **{n: r.summary for n, r in c.runs.items()}}
        write_json(
            {
                "baseline": c.baseline.name,
                "reps": c.baseline.reps,
                "interval": "95% t-interval of the replicate mean",
                "scenarios": summaries,
            },
            tmp / "summary.json",
        )
        scenarios = {
            c.baseline.name: c.baseline.scenario.resolved(c.baseline.config),
            **{n: r.scenario.resolved(r.config) for n, r in c.runs.items()},
        }
        seeds = {
            "root": c.baseline.seed,
            "scheme": "numpy SeedSequence(root, spawn_key=(rep,)); replicate i of every scenario shares seed i",
            "reps": c.baseline.reps,
        }
        write_json(
            manifest(command, started, output=marker, baseline=c.baseline.name, scenarios=scenarios, seeds=seeds, notes=c.notes),
            tmp / "manifest.json",
        )
        if c.runs:
            write_report(tmp)


def format_effects(c: Comparison, metrics: tuple[str, ...] | None = None) -> str:
    """The terminal table: key effects per scenario in plain words, ``*`` where the 95% interval excludes zero."""
    from model.outcomes import RETENTION_MEANING, label, value

    metrics = metrics or tuple(outcomes.headlines())
    e = c.effects.assign(sig=c.distinguishable())
    lines = [
        f"Effects vs {c.baseline.name} over {c.baseline.horizon} years ({c.baseline.reps} paired replicates; "
        "difference [95% interval]; * = interval excludes zero)",
        f"{RETENTION_MEANING}; shares in percentage points (pp), people as whole numbers, money in £",
    ]
    width = max(len(label(m)) for m in metrics) + 2
    for name in c.runs:
        lines.append(f"\n{name}")
        sub = e[e["scenario"] == name].set_index("metric")
        for m in metrics:
            if m not in sub.index:
                continue
            r = sub.loc[m]
            ratio = m in RATIOS or m.startswith("cost_per_")
            base = "" if ratio else f"  (baseline {value(m, r['baseline_mean'])})"
            interval = f"[{value(m, r['ci_low'], difference=not ratio)}, {value(m, r['ci_high'], difference=not ratio)}]"
            shown = value(m, r["difference"], difference=not ratio)
            if ratio and not (math.isfinite(r["ci_low"]) and math.isfinite(r["ci_high"])):
                spent = "policy_cost_pv" not in sub.index or sub.loc["policy_cost_pv", "scenario_mean"] != sub.loc["policy_cost_pv", "baseline_mean"]
                shown, interval = ("not estimable", "[extra researcher-years interval includes zero]") if spent else ("—", "[no policy spending]")
            lines.append(f"  {label(m):<{width}}{shown:>11}  {interval:<26}{'*' if r['sig'] else ' '}{base}")
    if c.runs:
        lines.append(
            "\ncost per additional researcher-year = discounted extra cost / discounted extra researcher-years; "
            f"interval: {c.cost_effectiveness['interval_method'].iloc[0]}"
        )
    lines += [f"note: {n}" for n in c.notes]
    return "\n".join(lines)
