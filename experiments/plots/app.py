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
        ax.legend(title="career stage", **OUTSIDE)
    _years_axis(ax, snap.horizon)
    ax.set_ylabel("active researchers (people)")
    ax.set_title("Stage mix")
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
        ax.legend(title="contract", **OUTSIDE)
    _years_axis(ax, snap.horizon)
    ax.set_ylim(0, 100)
    ax.set_ylabel("share of active researchers (%)")
    ax.set_title("Contract mix")
    return fig


def retention_figure(snap: Any) -> Figure:
    """Kaplan–Meier retention of researchers who entered since year 0, by group, with 95% Greenwood bands."""
    fig = Figure(figsize=(6.4, 4.6))
    fig.subplots_adjust(left=0.11, right=0.98, bottom=0.11, top=0.86, hspace=0.3, wspace=0.08)
    axes = fig.subplots(2, 2, sharex=True, sharey=True)
    ret: pd.DataFrame = snap.retention
    for ax, (panel, groups) in zip(axes.flat, RETENTION_PANELS.items(), strict=True):
        drawn = False
        for group in groups:
            sub = ret[ret["group"] == group] if not ret.empty else ret
            if sub.empty:
                continue
            label = LABELS[group.split(":")[1]]
            line = ax.plot(sub["years_since_entry"], 100 * sub["retained"], label=label)[0]
            ax.fill_between(
                sub["years_since_entry"].astype(float),
                100 * sub["ci_low"].astype(float),
                100 * sub["ci_high"].astype(float),
                color=line.get_color(),
                alpha=0.2,
                lw=0,
            )
            drawn = True
        if drawn:
            ax.legend(fontsize=7, loc="lower left")
        ax.set_title(panel, fontsize=9)
        ax.set_ylim(0, 102)
        ax.set_xlim(0, max(snap.years_done, 1))
        ax.grid(alpha=0.3)
    for ax in axes[1]:
        ax.set_xlabel("years since entry")
    for ax in axes[:, 0]:
        ax.set_ylabel("still in HSR (%)")
    fig.suptitle("Retention of new entrants by group (95% bands)", fontsize=11)
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
        ax.legend(title="reason for leaving", **OUTSIDE)
    _years_axis(ax, snap.horizon)
    ax.set_ylabel("exits (people per year)")
    ax.set_title("Exits by reason")
    return fig
