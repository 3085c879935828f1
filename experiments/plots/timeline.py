"""Outcomes over calendar time by scenario, with 95% bands: when does an effect appear?

Receives the rows of ``trajectories.csv`` (scenario, measure, year, mean, ci_low,
ci_high) and a colour per scenario; draws researchers in HSR, employed
researcher-years each year and the cumulative discounted policy cost side by side.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import FuncFormatter

from experiments.plots.palette import nice
from model.formats import money, people

PANELS = (  # measure: (title, y label)
    ("active", "Researchers in HSR", "researchers (people)"),
    ("employed_years", "Employed researcher-years each year", "researcher-years in post"),
    ("cumulative_cost_pv", "Cumulative policy cost, discounted", "£, present value"),
)


def _lines(ax: plt.Axes, data: pd.DataFrame, scenarios: list[str], colours: dict[str, str], baseline: str, names: dict[str, str],
           cols: tuple[str, str, str]) -> None:  # fmt: skip
    mean, lo, hi = cols
    for name in scenarios:
        sub = data[data["scenario"] == name].sort_values("year")
        if sub.empty:
            continue
        bold = name == baseline
        ax.fill_between(sub["year"], sub[lo], sub[hi], color=colours[name], alpha=0.12 if bold else 0.2, lw=0)
        ax.plot(sub["year"], sub[mean], color=colours[name], lw=2.6 if bold else 1.5, label=names.get(name, nice(name)), zorder=4 if bold else 3)


def timeline_figure(rows: pd.DataFrame, colours: dict[str, str], baseline: str, names: dict[str, str] | None = None) -> plt.Figure:
    """Top row: levels by scenario with 95% bands; bottom row (when the rows have it): the paired change from the baseline."""
    names = names or {}
    scenarios = [s for s in colours if s in set(rows["scenario"])]
    paired = {"change", "change_low", "change_high"} <= set(rows.columns)
    n_rows = 2 if paired else 1
    fig, grid = plt.subplots(n_rows, len(PANELS), figsize=(15, 4.2 * n_rows + 0.8), squeeze=False, sharex=True)
    for col, (measure, title, ylabel) in enumerate(PANELS):
        data = rows[rows["measure"] == measure]
        fmt = FuncFormatter((lambda v, _: money(v)) if measure == "cumulative_cost_pv" else (lambda v, _: people(v)))
        signed = FuncFormatter((lambda v, _: money(v, signed=True)) if measure == "cumulative_cost_pv" else (lambda v, _: people(v, signed=True)))
        ax = grid[0][col]
        _lines(ax, data, scenarios, colours, baseline, names, ("mean", "ci_low", "ci_high"))
        ax.set_title(title, fontsize=10)
        ax.set_ylabel(ylabel, fontsize=9)
        ax.yaxis.set_major_formatter(fmt)
        if paired:
            ax = grid[1][col]
            _lines(ax, data, scenarios, colours, baseline, names, ("change", "change_low", "change_high"))
            ax.set_title(f"{title}:\nchange from the baseline (paired)", fontsize=10)
            ax.set_ylabel(f"change ({ylabel})", fontsize=9)
            ax.yaxis.set_major_formatter(signed)
        grid[-1][col].set_xlabel("reported year")
    for ax in grid.flat:
        ax.grid(alpha=0.3)
        ax.tick_params(labelsize=8)
    handles, labels = grid[0][0].get_legend_handles_labels()
    ncol = min(len(labels), 6)
    fig.legend(handles, labels, loc="lower center", ncol=ncol, fontsize=9, frameon=False)
    what = "; bottom: paired change from the baseline (same seeds)" if paired else ""
    fig.suptitle(f"Over calendar time by scenario (mean over replicates, shaded: 95% interval of the mean{what})", fontsize=11)
    height = fig.get_figheight()
    legend_rows = -(-len(labels) // ncol)
    fig.subplots_adjust(left=0.06, right=0.99, top=1 - 0.75 / height, bottom=(0.75 + 0.25 * legend_rows) / height, wspace=0.28, hspace=0.3)
    return fig
