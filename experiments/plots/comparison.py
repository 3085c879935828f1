"""Comparison figures drawn from results on disk: retention by scenario, equity gaps, exits, the cost-effectiveness plane.

Each function takes plain tables (``retention.csv``, ``effects.csv``, the per-scenario
summaries of ``summary.json``), so ``hsr-careers report`` can redraw them without
running anything, and returns a ``matplotlib.figure.Figure``. Legends sit outside the
data; titles say what is shown.
"""

from __future__ import annotations

import math
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from experiments.plots import palette
from experiments.plots.palette import BASELINE
from model.outcomes import GAP_WORDS
from model.parameters import EXIT_REASONS

ONE_PANEL_MAX = 4  # more policies than this: small multiples, each policy beside the baseline
MIN_AT_RISK = 20  # curves stop where fewer researchers than this remain under observation (pooled over replicates)


def nice(name: str) -> str:
    """A scenario name for people (``bridge_funding`` → ``Bridge funding``), as every chart names it."""
    return palette.nice(name)


def cut_at_risk(curve: pd.DataFrame, minimum: int = MIN_AT_RISK) -> pd.DataFrame:
    """The part of one retention curve where at least ``minimum`` researchers are still at risk."""
    if "n_at_risk" not in curve:
        return curve
    return curve[curve["n_at_risk"] >= minimum]


def baseline_label(name: str) -> str:
    """How the baseline is named in legends (``baseline``, or ``status quo (baseline)``)."""
    return nice(name) if name == "baseline" else f"{nice(name)} (baseline)"


def _curve(ax: plt.Axes, sub: pd.DataFrame, colour: str, label: str, bold: bool = False) -> None:
    sub = cut_at_risk(sub.sort_values("years_since_entry"))
    x = sub["years_since_entry"].to_numpy(float)
    ax.fill_between(x, 100 * sub["ci_low"].to_numpy(float), 100 * sub["ci_high"].to_numpy(float), color=colour, alpha=0.25 if not bold else 0.18, lw=0)
    ax.plot(x, 100 * sub["retained"].to_numpy(float), color=colour, lw=2.8 if bold else 1.6, label=label, zorder=4 if bold else 3)


def retention_compare_figure(retention: pd.DataFrame, baseline: str, group: str = "all", horizon: int | None = None,
                             colours: dict[str, str] | None = None) -> plt.Figure:  # fmt: skip
    """Retention of one group in each scenario against the baseline (bold, black), in %, with 95% bands (``colours``: one per scenario)."""
    data = retention[retention["group"] == group]
    policies = [s for s in dict.fromkeys(data["scenario"]) if s != baseline]
    colours = colours or palette.scenario_colours([baseline, *policies], baseline)
    base = data[data["scenario"] == baseline]
    who = "all new entrants" if group == "all" else group.replace(":", ": ").replace("_", " ")
    if len(policies) <= ONE_PANEL_MAX:
        fig, ax = plt.subplots(figsize=(9, 5))
        _curve(ax, base, BASELINE, baseline_label(baseline), bold=True)
        for name in policies:
            _curve(ax, data[data["scenario"] == name], colours[name], nice(name))
        axes = [ax]
        ax.legend(title="scenario", fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
        fig.subplots_adjust(left=0.09, right=0.74, bottom=0.13, top=0.86)
    else:
        cols = 3 if len(policies) > 4 else 2
        rows = math.ceil(len(policies) / cols)
        fig, grid = plt.subplots(rows, cols, figsize=(4.0 * cols, 2.9 * rows + 1.0), sharex=True, sharey=True, squeeze=False)
        axes = list(grid.flat)
        for ax, name in zip(axes, policies, strict=False):
            _curve(ax, base, BASELINE, baseline_label(baseline), bold=True)
            _curve(ax, data[data["scenario"] == name], colours[name], nice(name))
            ax.set_title(nice(name), fontsize=9, color=colours[name])
        for ax in axes[len(policies) :]:
            ax.axis("off")
        for i, ax in enumerate(axes[: len(policies)]):
            if i + cols >= len(policies):  # the lowest panel of each column keeps its year labels
                ax.tick_params(labelbottom=True)
        handles = [plt.Line2D([], [], color=BASELINE, lw=2.8), plt.Line2D([], [], color="0.5", lw=1.6)]
        fig.legend(handles, [f"{baseline_label(baseline)}, in every panel", "the policy scenario named above the panel"],
                   loc="upper center", bbox_to_anchor=(0.5, 1 - 0.4 / fig.get_figheight()), ncol=2, fontsize=8, frameon=False)  # fmt: skip
        height = fig.get_figheight()  # margins in inches, so they stay the same whatever the number of rows
        fig.subplots_adjust(left=0.07, right=0.98, bottom=0.6 / height, top=1 - 1.0 / height, hspace=0.35, wspace=0.08)
    for ax in axes[: max(len(policies), 1)]:
        ax.set_ylim(0, 102)
        ax.grid(alpha=0.3)
        if horizon:
            ax.set_xlim(0, horizon)
    if len(policies) > ONE_PANEL_MAX:
        fig.supxlabel("years since entry", fontsize=9)
        fig.supylabel("still in HSR (%)", fontsize=9)
    else:
        axes[0].set_xlabel("years since entry")
        axes[0].set_ylabel("still in HSR (%)")
    fig.suptitle(f"Retention of {who} by scenario (shaded: 95% band; cut where under {MIN_AT_RISK} remain at risk)", fontsize=10)
    return fig


def equity_gaps_figure(summaries: dict[str, dict[str, Any]], baseline: str | None) -> plt.Figure:
    """Each scenario's equity gaps in 10-year retention (advantaged − disadvantaged, pp) with 95% intervals."""
    names = list(summaries)
    ref = baseline or names[0]
    gaps = [k for k in GAP_WORDS if f"equity_gap_{k}_10y" in summaries[ref]]
    fig, axes = plt.subplots(1, len(gaps), figsize=(3.0 * len(gaps) + 1.8, 0.32 * len(names) + 1.9), sharey=True, squeeze=False)
    y = np.arange(len(names))
    for ax, gap in zip(axes[0], gaps, strict=True):
        key = f"equity_gap_{gap}_10y"
        mean, lo, hi = (np.array([100 * (summaries[n][key].get(c) if summaries[n][key].get(c) is not None else np.nan) for n in names])
                        for c in ("mean", "ci_low", "ci_high"))  # fmt: skip
        colours = [BASELINE if n == baseline else "#1f5fa8" for n in names]
        ok = np.isfinite(lo) & np.isfinite(hi)
        ax.errorbar(mean[ok], y[ok], xerr=[mean[ok] - lo[ok], hi[ok] - mean[ok]], fmt="none", ecolor="0.4", capsize=3)
        ax.scatter(mean, y, c=colours, s=36, zorder=3)
        if baseline is not None:
            ax.axvline(100 * summaries[baseline][key]["mean"], color=BASELINE, lw=1, ls="--")
        ax.axvline(0, color="0.6", lw=0.8)
        name, sides = GAP_WORDS[gap]
        ax.set_title(f"{name}\n({sides})", fontsize=9)
        ax.set_xlabel("gap (percentage points)", fontsize=8)
        ax.grid(axis="x", alpha=0.3)
        ax.tick_params(labelsize=8)
    axes[0][0].set_yticks(y, [baseline_label(n) if n == baseline else nice(n) for n in names], fontsize=8)
    axes[0][0].invert_yaxis()
    what = "by scenario (dashed: baseline; " if baseline is not None and len(names) > 1 else "("
    fig.suptitle(f"Equity gaps in 10-year retention {what}above 0 = the disadvantaged group leaves more; 95% intervals)", fontsize=10)
    fig.tight_layout()
    return fig


def exits_figure(summaries: dict[str, dict[str, Any]], baseline: str | None) -> plt.Figure:
    """Researchers leaving HSR over the horizon by reason (mean per replicate), one bar per scenario."""
    names = list(summaries)
    fig, ax = plt.subplots(figsize=(10, 0.38 * len(names) + 1.8))
    left = np.zeros(len(names))
    colours = ["#c44e52", "#dd8452", "#8172b3", "#55a868", "#937860"]
    for reason, colour in zip(EXIT_REASONS, colours, strict=False):
        values = np.array([summaries[n].get(f"exits_{reason}", {}).get("mean") or 0.0 for n in names])
        ax.barh(np.arange(len(names)), values, left=left, color=colour, label=reason.replace("_", " "))
        left += values
    ax.set_yticks(np.arange(len(names)), [baseline_label(n) if n == baseline else nice(n) for n in names], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("researchers leaving HSR over the horizon (people, mean per replicate)")
    ax.set_title("Exits from HSR by reason and scenario" if len(names) > 1 else "Exits from HSR by reason")
    ax.grid(axis="x", alpha=0.3)
    ax.legend(title="reason for leaving", fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    return fig


def cut_retention(retention: pd.DataFrame, minimum: int = MIN_AT_RISK) -> pd.DataFrame:
    """Every curve of a retention table cut where fewer than ``minimum`` researchers remain at risk."""
    if "n_at_risk" not in retention:
        return retention
    return retention[retention["n_at_risk"] >= minimum]
