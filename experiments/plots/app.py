"""Live charts for the interactive app: stage mix, contract mix, retention by group, exits by reason.

Each function takes the app's ``Snapshot`` (see ``experiments.app.live``) and returns a
``matplotlib.figure.Figure`` (no pyplot state, so browser sessions on different threads
never share a figure). Years on the x axis are reported years since the start of the
horizon.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from model.parameters import CONTRACTS, EXIT_REASONS, STAGES

SIZE = (6.4, 3.8)
MARGINS = {"left": 0.12, "right": 0.72, "bottom": 0.13, "top": 0.9}
OUTSIDE = {
    "loc": "upper left",
    "bbox_to_anchor": (1.01, 1.0),
    "fontsize": 8,
    "title_fontsize": 8,
}  # legend right of the axes  # fixed: a layout engine costs more than the drawing
RETENTION_PANELS = {  # panel title: (disadvantaged group, comparison group)
    "Caring at entry": ("carer:yes", "carer:no"),
    "Disabled or neurodivergent": ("disabled:yes", "disabled:no"),
    "Working-class background": ("working_class:yes", "working_class:no"),
    "Gender": ("gender:woman", "gender:man"),
}
LABELS = {"yes": "yes", "no": "no", "woman": "women", "man": "men"}
MIN_AT_RISK = 20  # a curve stops where fewer researchers than this are still under observation
BASELINE_STYLE = {"color": "black", "ls": "--", "lw": 1.6}


def _baseline_note(snap: Any) -> str:
    return "dashed: baseline, same seed, no lever moved" if snap.baseline is not None else "this run is the baseline"


def _empty(ax: Any, horizon: int, message: str = "Press Step or ▶ to simulate a year") -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color="0.4")
    ax.set_xlim(0, max(horizon - 1, 1))


def _stacked_bars(ax: Any, x: pd.Series, series: list[pd.Series], labels: list[str], colors: list[str] | None = None) -> None:
    bottom = pd.Series(0.0, index=x.index)
    for i, (values, label) in enumerate(zip(series, labels, strict=True)):
        values = values.astype(float).fillna(0.0)
        ax.bar(x, values, bottom=bottom, label=label, width=0.85, color=colors[i] if colors else None)
        bottom = bottom + values


def _years_axis(ax: Any, horizon: int) -> None:
    ax.set_xlim(-0.6, max(horizon - 1, 1) + 0.6)
    ax.set_xlabel("reported year")
    ax.grid(alpha=0.3)


def stage_mix_figure(snap: Any) -> Figure:
    """Active researchers by career stage per year (stacked areas)."""
    fig = Figure(figsize=SIZE)
    fig.subplots_adjust(**MARGINS)
    ax = fig.subplots()
    y = snap.yearly
    if y.empty:
        _empty(ax, snap.horizon)
    else:
        _stacked_bars(ax, y["year"], [y[f"active_{s}"] for s in STAGES], list(STAGES))
        if snap.baseline is not None and not snap.baseline.yearly.empty:
            b = snap.baseline.yearly
            ax.plot(b["year"], b["active"], marker="o", ms=3, label="baseline:\nall stages", **BASELINE_STYLE)
        ax.legend(title="career stage", **OUTSIDE)
    _years_axis(ax, snap.horizon)
    ax.set_ylabel("active researchers (people)")
    ax.set_title(f"Stage mix ({_baseline_note(snap)})", fontsize=9)
    return fig


def contract_mix_figure(snap: Any) -> Figure:
    """Share of active researchers on each contract type per year (stacked to 100%)."""
    fig = Figure(figsize=SIZE)
    fig.subplots_adjust(**MARGINS)
    ax = fig.subplots()
    y = snap.yearly
    if y.empty:
        _empty(ax, snap.horizon)
    else:
        total = y["active"].where(y["active"] > 0)
        shares = [100 * y[f"active_{c}"] / total for c in CONTRACTS]
        labels = ["permanent or\nopen-ended", "fixed-term", "in a gap\nbetween contracts"]
        _stacked_bars(ax, y["year"], shares, labels, colors=["#4c72b0", "#dd8452", "#c44e52"])
        if snap.baseline is not None and not snap.baseline.yearly.empty:
            b = snap.baseline.yearly
            ax.plot(b["year"], 100 * b["active_permanent"] / b["active"].where(b["active"] > 0), marker="o", ms=3,
                    label="baseline:\npermanent share", **BASELINE_STYLE)  # fmt: skip
        ax.legend(title="contract", **OUTSIDE)
    _years_axis(ax, snap.horizon)
    ax.set_ylim(0, 100)
    ax.set_ylabel("share of active researchers (%)")
    ax.set_title(f"Contract mix ({_baseline_note(snap)})", fontsize=9)
    return fig


def _retention_lines(ax: Any, ret: pd.DataFrame, group: str, label: str, colour: str | None, baseline: bool) -> str | None:
    sub = ret[ret["group"] == group] if not ret.empty else ret
    if "n_at_risk" in sub:
        sub = sub[sub["n_at_risk"] >= MIN_AT_RISK]
    if sub.empty:
        return None
    x = sub["years_since_entry"].astype(float)
    if baseline:
        ax.plot(x, 100 * sub["retained"], color=colour, ls="--", lw=1.2, label=f"{label}, baseline")
        return colour
    line = ax.plot(x, 100 * sub["retained"], color=colour, lw=2, label=label)[0]
    ax.fill_between(x, 100 * sub["ci_low"].astype(float), 100 * sub["ci_high"].astype(float), color=line.get_color(), alpha=0.25, lw=0)
    return line.get_color()


def retention_figure(snap: Any) -> Figure:
    """Kaplan–Meier retention of researchers who entered since year 0, by group, with 95% Greenwood bands.

    Curves stop where fewer than ``MIN_AT_RISK`` researchers remain at risk (further right the
    estimate rests on a handful of people and plunges); the baseline (same seed) is dashed.
    """
    fig = Figure(figsize=(6.4, 4.9))
    fig.subplots_adjust(left=0.11, right=0.98, bottom=0.1, top=0.83, hspace=0.35, wspace=0.08)
    axes = fig.subplots(2, 2, sharex=True, sharey=True)
    ret: pd.DataFrame = snap.retention
    base: pd.DataFrame | None = snap.baseline.retention if snap.baseline is not None else None
    for ax, (panel, groups) in zip(axes.flat, RETENTION_PANELS.items(), strict=True):
        drawn = False
        for group, colour in zip(groups, ("#1f77b4", "#ff7f0e"), strict=True):
            label = LABELS[group.split(":")[1]]
            if _retention_lines(ax, ret, group, label, colour, baseline=False):
                drawn = True
                if base is not None:
                    _retention_lines(ax, base, group, label, colour, baseline=True)
        if drawn:
            ax.legend(fontsize=6.5, loc="lower left", ncol=2 if base is not None else 1)
        ax.set_title(panel, fontsize=9)
        ax.set_ylim(0, 102)
        ax.set_xlim(0, max(snap.years_done, 1))
        ax.grid(alpha=0.3)
    for ax in axes[1]:
        ax.set_xlabel("years since entry")
    for ax in axes[:, 0]:
        ax.set_ylabel("still in HSR (%)")
    fig.suptitle("Retention of new entrants by group (shaded: 95% band)", fontsize=11)
    fig.text(0.5, 0.905, f"Curves stop where fewer than {MIN_AT_RISK} people remain at risk; {_baseline_note(snap)}",
             ha="center", fontsize=8, color="0.3")  # fmt: skip
    return fig


def exits_figure(snap: Any) -> Figure:
    """Researchers leaving HSR each year, by reason (stacked bars)."""
    fig = Figure(figsize=SIZE)
    fig.subplots_adjust(**MARGINS)
    ax = fig.subplots()
    y = snap.yearly
    if y.empty:
        _empty(ax, snap.horizon)
    else:
        labels = [r.replace("_", " ") for r in EXIT_REASONS]
        _stacked_bars(ax, y["year"], [y[f"exits_{r}"] for r in EXIT_REASONS], labels)
        if snap.baseline is not None and not snap.baseline.yearly.empty:
            b = snap.baseline.yearly
            ax.plot(b["year"], b["exits_total"], marker="o", ms=3, label="baseline:\nall reasons", **BASELINE_STYLE)
        ax.legend(title="reason for leaving", **OUTSIDE)
    _years_axis(ax, snap.horizon)
    ax.set_ylabel("exits (people per year)")
    ax.set_title(f"Exits by reason ({_baseline_note(snap)})", fontsize=9)
    return fig
