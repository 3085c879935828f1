"""Assemble and write ``report.html`` for a results folder: figures embedded as base64 PNG, text from the template."""

from __future__ import annotations

import base64
import datetime as dt
import io
import math
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from experiments.report import context
from experiments.report.headline import policy_sentence, run_sentence, scenario_title
from experiments.report.metrics import RETENTION_MEANING, display_unit, label, value
from experiments.report.results import Results, load_results
from experiments.safe_files import write_text

REPORT_NAME = "report.html"
TABLE_METRICS = (
    "retention_5y", "retention_10y", "active_final", "researcher_years", "researcher_years_pv", "entrants_hired",
    "equity_gap_carer_10y", "equity_gap_disabled_10y", "equity_gap_working_class_10y", "equity_gap_gender_10y",
    "share_fixed_term", "satisfied_non_permanent", "exits_funding_gap", "exits_total",
    "policy_cost", "policy_cost_pv", "cost_per_additional_researcher_year", "cost_per_additional_researcher_year_pv",
)  # fmt: skip
RUN_METRICS = (
    "retention_5y", "retention_10y", "equity_gap_carer_10y", "equity_gap_disabled_10y", "equity_gap_working_class_10y",
    "equity_gap_gender_10y", "share_fixed_term", "satisfied_permanent", "satisfied_non_permanent", "exits_funding_gap",
    "exits_total", "active_final", "researcher_years", "policy_cost",
)  # fmt: skip


def png(fig: plt.Figure | None, dpi: int = 100) -> str | None:
    """A figure as a ``data:image/png;base64,...`` URI (and closed), or None for no figure."""
    if fig is None:
        return None
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _effect_rows(effects: pd.DataFrame, scenario: str) -> list[dict[str, Any]]:
    sub = effects[effects["scenario"] == scenario].set_index("metric")
    rows = []
    for m in TABLE_METRICS:
        if m not in sub.index:
            continue
        r = sub.loc[m]
        lo, hi = float(r["ci_low"]), float(r["ci_high"])
        has_ci = math.isfinite(lo) and math.isfinite(hi)
        ratio = m.startswith("cost_per_")
        rows.append({
            "label": label(m), "id": m, "unit": display_unit(m, difference=not ratio),
            "baseline": "" if ratio else value(m, float(r["baseline_mean"])),
            "difference": value(m, float(r["difference"]), difference=not ratio) if has_ci or not ratio else "—",
            "interval": f"{value(m, lo, difference=not ratio)} to {value(m, hi, difference=not ratio)}" if has_ci else "not estimable",
            "excludes_zero": "yes" if has_ci and (lo > 0 or hi < 0) else "no" if has_ci else "—",
        })  # fmt: skip
    return rows


def _run_rows(summary: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for m in RUN_METRICS:
        s = summary.get(m)
        if not s:
            continue
        has_ci = math.isfinite(s["ci_low"]) and math.isfinite(s["ci_high"])
        rows.append({
            "label": label(m), "id": m, "unit": display_unit(m, difference=m.startswith("equity_gap")),
            "mean": value(m, s["mean"]),
            "interval": f"{value(m, s['ci_low'])} to {value(m, s['ci_high'])}" if has_ci else "one replicate: no interval",
        })  # fmt: skip
    return rows


def _figures(res: Results) -> list[dict[str, Any]]:
    from experiments.plots import comparison as cmp
    from experiments.plots.effects import effects_figure
    from experiments.plots.scenarios import retention_by_group_figure

    figs: list[dict[str, Any]] = []

    def add(key: str, title: str, fig: plt.Figure | None, caption: str, missing: str = "") -> None:
        figs.append({"key": key, "title": title, "src": png(fig), "caption": caption, "missing": missing})

    base_ret = res.retention[res.retention["scenario"] == res.baseline]
    if res.kind == "compare":
        add("effects", "Effects of each policy", effects_figure(res.effects),
            "Scenario minus baseline, paired by seed, with 95% intervals. Filled markers: the interval excludes zero. "
            "Shares in percentage points on one shared scale; people and money on their own labelled scales.")  # fmt: skip
        add("retention", "Retention of new entrants by scenario", cmp.retention_compare_figure(res.retention, res.baseline, horizon=res.horizon),
            f"Kaplan–Meier retention with 95% bands; the baseline is drawn in bold black. {RETENTION_MEANING}.")  # fmt: skip
    add("groups", f"Retention by group ({scenario_title(res.baseline)})",
        retention_by_group_figure(cmp.cut_retention(base_ret), f"{scenario_title(res.baseline)}: retention in HSR by group (95% bands)"),
        f"Curves stop where fewer than {cmp.MIN_AT_RISK} researchers remain at risk.")  # fmt: skip
    base = res.baseline if res.kind == "compare" else None
    add("gaps", "Equity gaps", cmp.equity_gaps_figure(res.summaries, base),
        "Advantaged minus disadvantaged retention 10 years after entry; above zero, the disadvantaged group leaves more.")
    add("exits", "Exits by reason", cmp.exits_figure(res.summaries, base), "Mean over replicates of everyone who left HSR during the horizon.")
    if res.kind == "compare":
        plane = cmp.cost_effectiveness_plane(res.effects)
        add("plane", "Costs and the cost-effectiveness plane", plane,
            "Extra policy cost against extra researcher-years, both against the baseline, with 95% intervals.",
            missing="" if plane is not None else "Not drawn: this results folder has no policy cost or researcher-years effects.")  # fmt: skip
    elif res.yearly is not None:
        add("stages", "Career-stage mix", _stage_mix(res), "Mean number of active researchers by stage each year.")
    return figs


def _stage_mix(res: Results) -> plt.Figure:
    from experiments.plots.scenarios import stage_mix_figure

    return stage_mix_figure(res.yearly, f"{scenario_title(res.baseline)}: career-stage mix over time")


def _cost_rows(effects: pd.DataFrame) -> list[dict[str, str]]:
    """Per policy: extra cost, extra researcher-years and the cost per extra researcher-year, each with its interval."""
    from experiments.plots.comparison import cost_effect_points

    pts = cost_effect_points(effects)
    if pts is None:
        return []
    ratio_id = next((m for m in ("cost_per_additional_researcher_year_pv", "cost_per_additional_researcher_year") if m in set(effects["metric"])), None)
    rows = []
    for r in pts.itertuples():
        row = {"scenario": scenario_title(r.scenario),
               "cost": f"{value(r.cost_metric, r.cost_difference, difference=True)} "
                       f"[{value(r.cost_metric, r.cost_ci_low, difference=True)} to {value(r.cost_metric, r.cost_ci_high, difference=True)}]",
               "years": f"{value(r.effect_metric, r.effect_difference, difference=True)} "
                        f"[{value(r.effect_metric, r.effect_ci_low, difference=True)} to {value(r.effect_metric, r.effect_ci_high, difference=True)}]",
               "ratio": "—"}  # fmt: skip
        if ratio_id is not None:
            e = effects[(effects["scenario"] == r.scenario) & (effects["metric"] == ratio_id)].iloc[0]
            lo, hi = float(e["ci_low"]), float(e["ci_high"])
            row["ratio"] = (f"{value(ratio_id, float(e['difference']))} [{value(ratio_id, lo)} to {value(ratio_id, hi)}]"
                            if math.isfinite(lo) and math.isfinite(hi) else "not estimable")  # fmt: skip
        rows.append(row)
    return rows


def report_context(res: Results) -> dict[str, Any]:
    """Everything the template shows, computed from the results on disk."""
    resolved = res.scenarios.get(res.baseline, {})
    n_assumed, n_params, policy_assumed = context.assumption_rows({"policies": [p for s in res.scenarios.values() for p in s.get("policies", [])]})
    if res.kind == "compare":
        headlines = [policy_sentence(res.effects, s, res.horizon) for s in res.policies]
        tables = [{"scenario": s, "title": scenario_title(s), "rows": _effect_rows(res.effects, s)} for s in res.policies]
    else:
        headlines = [run_sentence(res.baseline, res.summaries[res.baseline], res.horizon, res.reps)]
        tables = [{"scenario": res.baseline, "title": scenario_title(res.baseline), "rows": _run_rows(res.summaries[res.baseline])}]
    return {
        "kind": res.kind,
        "title": (f"Policy comparison against {scenario_title(res.baseline)}" if res.kind == "compare" else f"Scenario run: {scenario_title(res.baseline)}"),
        "baseline": res.baseline, "horizon": res.horizon, "reps": res.reps, "headlines": headlines, "tables": tables,
        "figures": _figures(res), "retention_meaning": RETENTION_MEANING,
        "costs": _cost_rows(res.effects) if res.kind == "compare" else [],
        "scenarios": [context.scenario_words(n, s) for n, s in res.scenarios.items()],
        "assumed": {"count": n_assumed, "total": n_params, "policy_rows": policy_assumed},
        "calibration": context.calibration_status(resolved), "left_out": context.LEFT_OUT,
        "noise": context.noise_words(res.summaries, res.baseline, res.reps),
        "notes": res.manifest.get("notes", []), "provenance": context.provenance(res.manifest),
        "made": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }  # fmt: skip


def render(res: Results) -> str:
    """The report's HTML text."""
    env = Environment(loader=PackageLoader("experiments.report", "templates"), autoescape=select_autoescape(["html", "j2"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)  # fmt: skip
    return env.get_template("report.html.j2").render(**report_context(res))


def write_report(folder: str | Path, out: str | Path | None = None) -> Path:
    """Write ``report.html`` (or ``out``) for the results in ``folder``, atomically; returns its path."""
    res = load_results(folder)
    path = Path(out) if out is not None else Path(folder) / REPORT_NAME
    return write_text(path, render(res), "report --out")  # a new file renamed into place; never through a link or device
