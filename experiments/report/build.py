"""Assemble and write ``report.html`` for a results folder, with its figures in ``figures/`` and, for a comparison, the exports.

The page opens with the ranked decision table and one sentence per policy built from what
changed; every chart is drawn once and the same PNG is embedded in the page and saved in
``figures/``; a comparison also gets ``decision.csv``, ``effects_wide.csv`` and
``decision.xlsx``. Nothing is re-run: everything is read from the folder.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from experiments.plots.palette import nice
from experiments.report import context
from experiments.report.decision import COLUMNS, decision_rows, interval
from experiments.report.ensemble_results import is_ensemble, load_ensemble
from experiments.report.exports import write_exports
from experiments.report.extras import Extras, load_extras
from experiments.report.figures import report_figures, save_figures
from experiments.report.headline import policy_sentence, ratio_words, run_sentence
from experiments.report.results import Results, load_results
from experiments.safe_files import write_text
from model import outcomes
from model.outcomes import RETENTION_MEANING

REPORT_NAME = "report.html"
DETAIL_EXTRA = (
    "retention_5y", "researcher_years_pv", "employed_years", "exits_total", "satisfied_permanent",
    "policy_cost", "policy_cost_pv", "cost_per_additional_researcher_year",
    "entrants_hired_outside", "entrants_hired_doctoral", "entrants_hired_woman", "entrants_hired_working_class",
    "entrants_hired_disabled", "entrants_hired_carer",
)  # fmt: skip; shown after the registry's headline outcomes in the detailed tables


def _detail_metrics(present: set[str]) -> list[str]:
    return [m for m in dict.fromkeys([*outcomes.headlines(), *DETAIL_EXTRA]) if m in present]


def _effect_rows(effects: pd.DataFrame, scenario: str, ratio_note: str | None) -> list[dict[str, Any]]:
    sub = effects[effects["scenario"] == scenario].set_index("metric")
    rows = []
    for m in _detail_metrics(set(sub.index)):
        r = sub.loc[m]
        e = {"d": float(r["difference"]), "lo": float(r["ci_low"]), "hi": float(r["ci_high"])}
        has_ci = math.isfinite(e["lo"]) and math.isfinite(e["hi"])
        o = outcomes.get(m)
        ratio = o.kind == outcomes.MONEY_RATIO
        rows.append({
            "label": o.label, "unit": o.display_unit(difference=not ratio),
            "baseline": "" if ratio else o.format(float(r["baseline_mean"])),
            "difference": o.format(e["d"], difference=not ratio) if has_ci or not ratio else "—",
            "interval": interval(m, e, difference=not ratio).strip("[]") if has_ci else (ratio_note or "one replicate: no interval"),
            "excludes_zero": "yes" if has_ci and (e["lo"] > 0 or e["hi"] < 0) else "no" if has_ci else "—",
            "better": {1: "higher", -1: "lower"}.get(o.sign, ""), "interval_class": "num" if has_ci else "words",
        })  # fmt: skip
    return rows


def _run_rows(summary: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for m in _detail_metrics(set(summary)):
        s = summary[m]
        o = outcomes.get(m)
        if o.kind == outcomes.MONEY_RATIO:
            continue
        has_ci = math.isfinite(s["ci_low"]) and math.isfinite(s["ci_high"])
        rows.append({
            "label": o.label, "unit": o.display_unit(difference=False), "mean": o.format(s["mean"]),
            "interval": f"{o.format(s['ci_low'])} to {o.format(s['ci_high'])}" if has_ci else "one replicate: no interval",
        })  # fmt: skip
    return rows


def _ratio_note(extras: Extras, scenario: str) -> str | None:
    nb = extras.net_benefit
    if nb is None or "ratio_note" not in nb.columns:
        return None
    sub = nb.loc[nb["policy"] == scenario, "ratio_note"].dropna()
    return str(sub.iloc[0]) if len(sub) and str(sub.iloc[0]).strip() else None


def columns_shown(rows: list, fixed_cohort: bool) -> dict[str, tuple[str, str]]:
    """The ranked table's columns that hold something, the retention column named for the cohort it reads."""
    cols = {k: c for k, c in COLUMNS.items() if any(r.cells[k].text != "—" for r in rows)}
    if "cohort" in cols:
        cols["cohort"] = ("10-year retention, fixed cohort" if fixed_cohort else "10-year retention, entrants", cols["cohort"][1])
    return cols


def _compare_parts(res: Results, extras: Extras) -> dict[str, Any]:
    notes = {s: ratio_words(res.effects, s, _ratio_note(extras, s)) for s in res.policies}  # type: ignore[arg-type]
    rows, sort_words = decision_rows(res.effects, res.scenarios, res.policies, res.horizon, extras)  # type: ignore[arg-type]
    order = [r.scenario for r in rows]
    return {
        "decision": {"columns": columns_shown(rows, "cohort_retention_10y" in set(res.effects["metric"])), "rows": rows,  # type: ignore[index]
                     "sort": sort_words, "wtp": extras.wtp},
        "headlines": [policy_sentence(res.effects, s, res.horizon) for s in order],  # type: ignore[arg-type]
        "tables": [{"scenario": s, "title": nice(s), "rows": _effect_rows(res.effects, s, notes[s])} for s in order],  # type: ignore[arg-type]
        "what_if": [r.title for r in rows if r.what_if],
        "ensemble": extras.ensemble is not None, "discovery": extras.discovery or [], "reach_words": _reach_words(extras),
    }  # fmt: skip


def _reach_words(extras: Extras) -> list[str]:
    """Whom each policy reached, in sentences (``reach_words``, when this version has it and the folder has reach.csv)."""
    if extras.reach is None or extras.reach.empty:
        return []
    try:
        from experiments.report.reach_words import reach_sentences  # type: ignore[import-not-found]
    except ImportError:
        return []
    return list(reach_sentences(extras.reach))


def report_context(res: Results, extras: Extras | None = None, figures: list | None = None) -> dict[str, Any]:
    """Everything the template shows, computed from the results on disk."""
    extras = extras if extras is not None else load_extras(res.folder)
    resolved = res.scenarios.get(res.baseline, {})
    n_assumed, n_params, policy_assumed = context.assumption_rows({"policies": [p for s in res.scenarios.values() for p in s.get("policies", [])]})
    if res.kind == "compare":
        parts = _compare_parts(res, extras)
    else:
        parts = {"decision": None, "what_if": [], "ensemble": False, "discovery": extras.discovery or [], "reach_words": [],
                 "headlines": [run_sentence(res.baseline, res.summaries[res.baseline], res.horizon, res.reps)],
                 "tables": [{"scenario": res.baseline, "title": nice(res.baseline), "rows": _run_rows(res.summaries[res.baseline])}]}  # fmt: skip
    return {
        **parts, "kind": res.kind,
        "title": (f"Policy comparison against {nice(res.baseline)}" if res.kind == "compare" else f"Scenario run: {nice(res.baseline)}"),
        "baseline": res.baseline, "horizon": res.horizon, "reps": res.reps,
        "figures": figures if figures is not None else report_figures(res, extras), "retention_meaning": RETENTION_MEANING,
        "scenarios": [context.scenario_words(n, s) for n, s in res.scenarios.items()],
        "assumed": {"count": n_assumed, "total": n_params, "policy_rows": policy_assumed},
        "calibration": context.calibration_status(resolved), "left_out": context.LEFT_OUT,
        "noise": context.noise_words(res.summaries, res.baseline, res.reps),
        "notes": res.manifest.get("notes", []), "provenance": context.provenance(res.manifest),
        "made": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }  # fmt: skip


def _env() -> Environment:
    return Environment(loader=PackageLoader("experiments.report", "templates"), autoescape=select_autoescape(["html", "j2"]),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)  # fmt: skip


def render(res: Results, extras: Extras | None = None, figures: list | None = None) -> str:
    """The report's HTML text."""
    return _env().get_template("report.html.j2").render(**report_context(res, extras, figures))


def load(folder: str | Path) -> Results:
    """A run's, a comparison's or an ensemble's results folder."""
    return load_ensemble(Path(folder)) if is_ensemble(Path(folder)) else load_results(folder)


def write_report(folder: str | Path, out: str | Path | None = None) -> Path:
    """Write ``report.html`` (or ``out``), every chart in ``figures/`` and, for a comparison, the exports; returns the page's path."""
    res = load(folder)
    extras = load_extras(res.folder)
    figures = report_figures(res, extras)
    save_figures(figures, res.folder)
    if res.kind == "compare" and res.effects is not None and res.policies:
        rows, _ = decision_rows(res.effects, res.scenarios, res.policies, res.horizon, extras)
        write_exports(res.folder, rows, res.effects, extras)
    path = Path(out) if out is not None else Path(folder) / REPORT_NAME
    return write_text(path, render(res, extras, figures), "report --out")  # a new file renamed into place; never through a link or device
