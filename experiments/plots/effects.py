"""The one effects figure (CLI, notebooks, report): paired differences from the baseline with 95% intervals.

Panels are grouped by unit so that equal distances mean equal changes within a group:
shares in percentage points on one shared axis, people on another, and money (the cost
panel) in £ millions. A filled marker means the interval excludes zero; an open one
means the effect is not distinguishable from no change.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.gridspec import GridSpec
from matplotlib.lines import Line2D

from experiments.report.metrics import MONEY, MONEY_RATIO, PEOPLE, SHARE, YEARS, metric

SHARE_PANELS = ("retention_10y", "equity_gap_carer_10y", "equity_gap_working_class_10y", "share_fixed_term")
COUNT_PANELS = ("active_final", "exits_funding_gap")
COST_PANELS = ("policy_cost_pv", "policy_cost")  # the first present is drawn
RATIO_PANELS = ("cost_per_additional_researcher_year_pv", "cost_per_additional_researcher_year")
COLOUR = "#1f5fa8"


def _short(metric_id: str) -> str:
    words = metric(metric_id).label.replace(" (mean over years)", "").replace(" over the horizon", "").replace(" in 10-year retention", " at 10 years")
    words = words.replace("share of employed on", "share on")
    return "\n".join(textwrap.wrap(words, 30))


def _panel(ax: plt.Axes, sub: pd.DataFrame, scenarios: list[str], factor: float, bounded_only: bool = False) -> None:
    sub = sub.set_index("scenario").reindex(scenarios)
    y = np.arange(len(scenarios))
    d, lo, hi = (factor * sub[c].to_numpy(float) for c in ("difference", "ci_low", "ci_high"))
    has_ci = np.isfinite(lo) & np.isfinite(hi)
    if bounded_only:  # a ratio without an interval is not estimable: no point drawn
        d = np.where(has_ci, d, np.nan)
    clear = has_ci & ((lo > 0) | (hi < 0))
    ax.errorbar(d[has_ci], y[has_ci], xerr=[d[has_ci] - lo[has_ci], hi[has_ci] - d[has_ci]], fmt="none", ecolor="0.35", capsize=3, lw=1.2)
    ax.scatter(d[clear], y[clear], s=42, color=COLOUR, zorder=3)
    ax.scatter(d[~clear], y[~clear], s=42, facecolor="white", edgecolor=COLOUR, lw=1.5, zorder=3)
    ax.axvline(0, color="black", lw=0.9)
    ax.grid(axis="x", alpha=0.3)
    ax.tick_params(labelsize=8)


def _not_estimable(ax: plt.Axes, sub: pd.DataFrame, scenarios: list[str], spent: set[str] | None = None) -> None:
    sub = sub.set_index("scenario").reindex(scenarios)
    lo, hi = ax.get_xlim()
    ax.set_xlim(min(lo, 0), hi)
    for y, (name, d, a, b) in enumerate(zip(scenarios, sub["difference"], sub["ci_low"], sub["ci_high"], strict=True)):
        if not (np.isfinite(d) and np.isfinite(a) and np.isfinite(b)):
            words = "not estimable" if spent is None or name in spent else "no policy spending"
            ax.text(0.02, y, words, transform=ax.get_yaxis_transform(), va="center", fontsize=7, color="0.4")


def effects_figure(effects: pd.DataFrame, title: str = "") -> plt.Figure:
    """Effects (scenario − baseline, paired by seed, 95% intervals) in three panel groups: pp, people, £."""
    scenarios = list(dict.fromkeys(effects["scenario"]))
    present = set(effects["metric"])
    shares = [m for m in SHARE_PANELS if m in present]
    counts = [m for m in COUNT_PANELS if m in present]
    cost = next((m for m in COST_PANELS if m in present), None)
    ratio = next((m for m in RATIO_PANELS if m in present), None)
    bottom = counts + ([cost] if cost else []) + ([ratio] if ratio else [])
    cols = max(len(shares), len(bottom), 1)
    height = max(0.32 * len(scenarios) + 1.3, 2.6)
    fig = plt.figure(figsize=(3.4 * cols + 1.6, 2 * height + 1.6))
    gs = GridSpec(2, cols, figure=fig, hspace=0.55, wspace=0.12, left=0.16, right=0.98, top=0.84, bottom=0.13)
    first = None
    share_axes: list[plt.Axes] = []
    people_axes: list[plt.Axes] = []
    for row, group in enumerate((shares, bottom)):
        for col, m in enumerate(group):
            ax = fig.add_subplot(gs[row, col], sharey=first)
            first = first or ax
            kind = metric(m).kind
            factor = {SHARE: 100.0, MONEY: 1e-6, MONEY_RATIO: 1e-3}.get(kind, 1.0)
            _panel(ax, effects[effects["metric"] == m], scenarios, factor, bounded_only=kind == MONEY_RATIO)
            ax.set_title(_short(m), fontsize=9)
            if kind == MONEY_RATIO:
                cost = effects[effects["metric"].isin(["policy_cost_pv", "policy_cost"])]
                spent = set(cost.loc[cost["difference"] != 0, "scenario"]) if len(cost) else None
                _not_estimable(ax, effects[effects["metric"] == m], scenarios, spent)
                ax.set_xlabel("£ thousand per extra researcher-year", fontsize=8)
            else:
                unit = {SHARE: "percentage points", PEOPLE: "people", YEARS: "researcher-years", MONEY: "£ million"}.get(kind, "")
                ax.set_xlabel(f"change ({unit})", fontsize=8)
            (share_axes if kind == SHARE else people_axes if kind in (PEOPLE, YEARS) else []).append(ax)
            if col == 0:
                ax.set_yticks(np.arange(len(scenarios)), [s.replace("_", " ") for s in scenarios], fontsize=8)
            else:
                ax.tick_params(labelleft=False)
    for axes in (share_axes, people_axes):  # one scale within a panel group
        if len(axes) > 1:
            lo = min(a.get_xlim()[0] for a in axes)
            hi = max(a.get_xlim()[1] for a in axes)
            for a in axes:
                a.set_xlim(lo, hi)
    if first is not None:
        first.invert_yaxis()
    handles = [
        Line2D([], [], marker="o", ls="", color=COLOUR, ms=7, label="95% interval excludes 0"),
        Line2D([], [], marker="o", ls="", mfc="white", mec=COLOUR, mew=1.5, ms=7, label="95% interval includes 0 (no clear change)"),
        Line2D([], [], color="0.35", lw=1.2, label="95% interval (paired replicates)"),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=8, frameon=False)
    fig.text(0.5, 0.925, "Top row: shares, on one shared scale in percentage points.  Bottom row: people (one shared scale), the policy cost in £ million "
             "and the cost per extra researcher-year in £ thousand.",
             ha="center", fontsize=8, color="0.3")  # fmt: skip
    fig.suptitle(title or "Policy effects: scenario − baseline, paired by seed, with 95% intervals", fontsize=11)
    return fig


def save_effects_figure(effects: pd.DataFrame, path: Path, title: str = "") -> Path:
    """Write the effects figure to ``path`` (PNG)."""
    fig = effects_figure(effects, title)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110, metadata={"Software": None})
    plt.close(fig)
    return path
