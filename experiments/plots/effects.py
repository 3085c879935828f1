"""The one effects figure (CLI, notebooks, report): paired differences from the baseline with 95% intervals.

One panel per outcome; outcomes of one family (``model/outcomes.py``: retention, equity
gaps, contracts, people...) share one scale, so equal distances mean equal changes
within a family while a large change in one family (the fixed-term share) never flattens
another (retention). The side of zero that counts as better is shaded and labelled.
A filled marker means the interval excludes zero; an open one means no clear change.
"""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from experiments.plots.palette import nice
from model import outcomes

COLOUR = "#1f5fa8"
BETTER = "#e3f1e3"
COST = ("policy_cost_pv", "policy_cost")  # the first present is drawn beside the headline outcomes
COLS = 3


def default_metrics(present: set[str]) -> list[str]:
    """The registry's headline outcomes present in the effects, then the policy cost."""
    ids = [m for m in outcomes.headlines() if m in present]
    return ids + [m for m in COST if m in present][:1]


def _axis_scale(o: outcomes.Outcome) -> tuple[float, str]:
    if o.kind == outcomes.MONEY:
        return 1e-6, "£ million"
    if o.kind == outcomes.MONEY_RATIO:
        return 1e-3, "£ thousand"
    return o.scale, {outcomes.SHARE: "percentage points", outcomes.PEOPLE: "people", outcomes.YEARS: "researcher-years"}.get(o.kind, "")


def _panel(ax: plt.Axes, sub: pd.DataFrame, scenarios: list[str], factor: float) -> None:
    sub = sub.set_index("scenario").reindex(scenarios)
    y = np.arange(len(scenarios))
    d, lo, hi = (factor * sub[c].to_numpy(float) for c in ("difference", "ci_low", "ci_high"))
    has_ci = np.isfinite(lo) & np.isfinite(hi)
    clear = has_ci & ((lo > 0) | (hi < 0))
    ax.errorbar(d[has_ci], y[has_ci], xerr=[d[has_ci] - lo[has_ci], hi[has_ci] - d[has_ci]], fmt="none", ecolor="0.35", capsize=3, lw=1.2)
    ax.scatter(d[clear], y[clear], s=40, color=COLOUR, zorder=3)
    ax.scatter(d[~clear], y[~clear], s=40, facecolor="white", edgecolor=COLOUR, lw=1.5, zorder=3)
    ax.axvline(0, color="black", lw=0.9)
    ax.grid(axis="x", alpha=0.3)
    ax.tick_params(labelsize=8)


def _limits(effects: pd.DataFrame, metric: str, factor: float) -> tuple[float, float]:
    sub = effects[effects["metric"] == metric]
    values = factor * pd.concat([sub["difference"], sub["ci_low"], sub["ci_high"]]).to_numpy(float)
    values = values[np.isfinite(values)]
    if not len(values):
        return -1.0, 1.0
    lo, hi = min(values.min(), 0.0), max(values.max(), 0.0)
    pad = 0.08 * (hi - lo) or 1.0
    return lo - pad, hi + pad


def _mark_better(ax: plt.Axes, o: outcomes.Outcome) -> None:
    lo, hi = ax.get_xlim()
    if o.sign > 0:
        ax.axvspan(0, hi, color=BETTER, zorder=0)
        ax.text(0.98, 1.01, "better →", transform=ax.transAxes, ha="right", va="bottom", fontsize=7, color="#2d6a2d")
    elif o.sign < 0:
        ax.axvspan(lo, 0, color=BETTER, zorder=0)
        ax.text(0.02, 1.01, "← better", transform=ax.transAxes, ha="left", va="bottom", fontsize=7, color="#2d6a2d")
    ax.set_xlim(lo, hi)


def effects_figure(effects: pd.DataFrame, title: str = "", metrics: list[str] | None = None, names: dict[str, str] | None = None) -> plt.Figure | None:
    """Effects (scenario − baseline, paired by seed, 95% intervals): one panel per outcome, one scale per family; None when no registered outcome is in ``effects``."""
    scenarios = list(dict.fromkeys(effects["scenario"]))
    names = names or {s: nice(s) for s in scenarios}
    metrics = metrics or default_metrics(set(effects["metric"]))
    if not metrics:
        return None  # no outcome the registry knows: nothing to draw (the caller says so)
    family_limits: dict[str, tuple[float, float]] = {}
    for m in metrics:
        o = outcomes.get(m)
        lo, hi = _limits(effects, m, _axis_scale(o)[0])
        old = family_limits.get(o.family, (math.inf, -math.inf))
        family_limits[o.family] = (min(old[0], lo), max(old[1], hi))
    cols = min(COLS, max(len(metrics), 1))
    rows = math.ceil(len(metrics) / cols)
    panel_h = 0.3 * len(scenarios) + 1.15
    fig, grid = plt.subplots(rows, cols, figsize=(4.1 * cols + 1.7, panel_h * rows + 1.3), sharey=True, squeeze=False)
    for ax, m in zip(grid.flat, metrics, strict=False):
        o = outcomes.get(m)
        factor, unit = _axis_scale(o)
        _panel(ax, effects[effects["metric"] == m], scenarios, factor)
        ax.set_xlim(*family_limits[o.family])
        _mark_better(ax, o)
        ax.set_title("\n".join(textwrap.wrap(o.label, 38)), fontsize=8.5, pad=12)
        ax.set_xlabel(f"change ({unit})", fontsize=8)
    for ax in list(grid.flat)[len(metrics) :]:
        ax.axis("off")
    grid[0][0].set_yticks(np.arange(len(scenarios)), [names.get(s, nice(s)) for s in scenarios], fontsize=8)
    grid[0][0].invert_yaxis()
    handles = [
        Line2D([], [], marker="o", ls="", color=COLOUR, ms=7, label="95% interval excludes 0"),
        Line2D([], [], marker="o", ls="", mfc="white", mec=COLOUR, mew=1.5, ms=7, label="interval includes 0 (no clear change)"),
        Patch(color=BETTER, label="the better side of zero"),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=8, frameon=False)
    height = fig.get_figheight()
    fig.subplots_adjust(left=0.17, right=0.98, top=1 - 1.0 / height, bottom=0.75 / height, hspace=0.7, wspace=0.12)
    fig.suptitle(title or "Effects against the baseline (paired by seed, 95% intervals); like outcomes share a scale", fontsize=11)
    return fig


def save_effects_figure(effects: pd.DataFrame, path: Path, title: str = "") -> Path:
    """Write the effects figure to ``path`` (PNG)."""
    fig = effects_figure(effects, title)
    if fig is None:
        raise ValueError("the effects table holds no registered outcome to draw")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110, metadata={"Software": None})
    plt.close(fig)
    return path
