"""The app's charts: the levers' scenario against the baseline over several replicates, with 95% bands.

Each function takes the app's ``PairResult`` (``experiments.app.session``) and returns a
``matplotlib.figure.Figure`` (no pyplot state: browser sessions run on their own
threads). Figures are drawn at ``WIDTH_PX`` pixels, the width of the app's main column
at a 1280-pixel-wide window, with no text under ``MIN_FONT_PT`` points, so text is at
least 11 pixels high as shown (a test measures it in the browser). Legends say who a
line is in words ("carers", "non-carers"), never a bare yes/no. Bands are the 95%
interval of the mean over replicates.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from experiments.intervals import t_interval
from model.outcomes import EXIT_WORDS, GROUP_WORDS
from model.parameters import EXIT_REASONS

DPI = 100
WIDTH_PX = 880
MIN_FONT_PT = 10.0  # 13.9 px at full size; still >= 11 px shown at 80% width
FONT = {"font.size": 11, "axes.titlesize": 12, "axes.labelsize": 11, "xtick.labelsize": 10.5, "ytick.labelsize": 10.5,
        "legend.fontsize": 10.5}  # fmt: skip
SCENARIO, BASELINE = "#1f6fb4", "#555555"
RETENTION_PANELS = {  # panel title: (disadvantaged group, comparison group)
    "Carers and non-carers": ("carer:yes", "carer:no"),
    "Disabled or neurodivergent, and not": ("disabled:yes", "disabled:no"),
    "Working-class background, and not": ("working_class:yes", "working_class:no"),
    "Women and men": ("gender:woman", "gender:man"),
}
MIN_AT_RISK = 20  # a curve stops where fewer researchers than this (summed over replicates) are still under observation


def group_words(group: str) -> str:
    """Plain words for a group id: ``carer:yes`` -> ``carers``."""
    return GROUP_WORDS.get(group.replace(":", "_"), group.replace(":", " ").replace("_", " "))


def _figure(height_px: int) -> Figure:
    return Figure(figsize=(WIDTH_PX / DPI, height_px / DPI), dpi=DPI)


def _heading(fig: Figure, title: str, note: str, left: float, axes_top_px: int = 70) -> float:
    """A bold title and a grey note above the axes, left-aligned with them; returns the axes' top (figure fraction)."""
    height = fig.get_figheight() * DPI
    fig.text(left, 1 - 8 / height, title, va="top", ha="left", fontsize=12.5, fontweight="bold")
    fig.text(left, 1 - 32 / height, note, va="top", ha="left", fontsize=MIN_FONT_PT, color="0.3")
    return 1 - axes_top_px / height


def _band(per_rep: pd.DataFrame, column: str) -> pd.DataFrame:
    """Mean over replicates per year with its 95% t-interval."""
    rows = []
    for year, sub in per_rep.groupby("year", sort=True):
        mean, lo, hi, _, _ = t_interval(sub[column].astype(float))
        rows.append((year, mean, lo if math.isfinite(lo) else mean, hi if math.isfinite(hi) else mean))
    return pd.DataFrame(rows, columns=["year", "mean", "low", "high"])


def _scenario_and_baseline(ax: Any, result: Any, column: str, scale: float = 1.0) -> None:
    runs = [("baseline", BASELINE, "--", "baseline (the scenario as opened)")]
    if not result.same:
        runs.append(("scenario", SCENARIO, "-", "with the levers as set"))
    for which, colour, style, label in runs:
        b = _band(result.yearly[which], column)
        ax.plot(b["year"], scale * b["mean"], color=colour, ls=style, lw=2.2, label=label)
        ax.fill_between(b["year"], scale * b["low"], scale * b["high"], color=colour, alpha=0.2, lw=0)
    ax.set_xlabel("reported year")
    ax.grid(alpha=0.3)
    ax.legend(loc="best", frameon=False)


def _note(result: Any) -> str:
    n = result.settings.replicates
    return f"Lines: mean of {n} replicates; shaded: 95% interval of the mean."


def headcount_figure(result: Any) -> Figure:
    """Researchers in HSR each year, the levers' scenario against the baseline."""
    fig = _figure(330)
    with _rc():
        ax = fig.subplots()
        top = _heading(fig, "Researchers in HSR each year", _note(result), 0.09)
        fig.subplots_adjust(left=0.09, right=0.98, bottom=0.15, top=top)
        _scenario_and_baseline(ax, result, "active")
        ax.set_ylabel("researchers in HSR")
    return fig


def fixed_term_figure(result: Any) -> Figure:
    """Share of employed researchers on fixed-term contracts each year."""
    fig = _figure(330)
    with _rc():
        ax = fig.subplots()
        top = _heading(fig, "Share of employed researchers on fixed-term contracts", _note(result), 0.09)
        fig.subplots_adjust(left=0.09, right=0.98, bottom=0.15, top=top)
        _scenario_and_baseline(ax, result, "share_fixed_term", scale=100)
        ax.set_ylabel("on fixed-term contracts (%)")
        ax.set_ylim(0, 100)
    return fig


def _retention(ax: Any, curves: pd.DataFrame, group: str, colour: str, style: str, band: bool) -> bool:
    sub = curves[(curves["group"] == group) & (curves["n_at_risk"] >= MIN_AT_RISK)]
    if sub.empty:
        return False
    x = sub["years_since_entry"].astype(float)
    ax.plot(x, 100 * sub["retained"], color=colour, ls=style, lw=2.2 if band else 1.6)
    if band:
        ax.fill_between(x, 100 * sub["ci_low"].astype(float), 100 * sub["ci_high"].astype(float), color=colour, alpha=0.2, lw=0)
    return True


def retention_figure(result: Any) -> Figure:
    """Retention of new entrants by group: solid with bands for the levers' scenario, dashed for the baseline."""
    fig = _figure(620)
    with _rc():
        axes = fig.subplots(2, 2, sharex=True, sharey=True)
        lines = "Solid: levers as set (shaded: 95% interval); dashed: baseline." if not result.same else "No lever moved."
        note = f"{lines} A curve stops where under {MIN_AT_RISK} people are still observed."
        top = _heading(fig, "Retention of researchers who entered during the run, by group", note, 0.08, axes_top_px=90)
        fig.subplots_adjust(left=0.08, right=0.98, bottom=0.09, top=top, hspace=0.32, wspace=0.06)
        scen, base = result.curves("scenario"), result.curves("baseline")
        for ax, (panel, groups) in zip(axes.flat, RETENTION_PANELS.items(), strict=True):
            handles = []
            for group, colour in zip(groups, ("#d1495b", "#00798c"), strict=True):
                if _retention(ax, scen, group, colour, "-", band=True):
                    handles.append(Line2D([], [], color=colour, lw=2.2, label=group_words(group)))
                if not result.same:
                    _retention(ax, base, group, colour, "--", band=False)
            if handles:
                ax.legend(handles=handles, loc="lower left", frameon=False)
            ax.set_title(panel)
            ax.set_ylim(0, 102)
            ax.grid(alpha=0.3)
        for ax in axes[1]:
            ax.set_xlabel("years since entry")
        for ax in axes[:, 0]:
            ax.set_ylabel("still in HSR (%)")
    return fig


def exits_figure(result: Any) -> Figure:
    """Researchers leaving HSR over the run, by reason: baseline and the levers' scenario, with 95% intervals."""
    fig = _figure(360)
    with _rc():
        ax = fig.subplots()
        note = f"Bars: mean of {result.settings.replicates} replicates; whiskers: 95% interval."
        top = _heading(fig, "Why researchers leave HSR", note, 0.2)
        fig.subplots_adjust(left=0.2, right=0.98, bottom=0.15, top=top)
        reasons = list(EXIT_REASONS)
        y = np.arange(len(reasons))
        runs = [("baseline", BASELINE, "baseline")] if result.same else [("baseline", BASELINE, "baseline"),
                                                                          ("scenario", SCENARIO, "with the levers as set")]  # fmt: skip
        height = 0.8 / len(runs)
        for i, (which, colour, label) in enumerate(runs):
            totals = result.yearly[which].groupby("rep")[[f"exits_{r}" for r in reasons]].sum()
            stats = [t_interval(totals[f"exits_{r}"]) for r in reasons]
            mean = np.array([s[0] for s in stats])
            err = np.array([[s[0] - s[1] if math.isfinite(s[1]) else 0 for s in stats],
                            [s[2] - s[0] if math.isfinite(s[2]) else 0 for s in stats]])  # fmt: skip
            ax.barh(y + (i - (len(runs) - 1) / 2) * height, mean, height=height * 0.95, color=colour, xerr=err, capsize=3, label=label)
        ax.set_yticks(y, [EXIT_WORDS.get(r, r).capitalize() for r in reasons])
        ax.invert_yaxis()
        ax.set_xlabel(f"researchers leaving over {result.config.run.years} years (mean per run)")
        ax.grid(alpha=0.3, axis="x")
        ax.legend(loc="lower right", frameon=False)
    return fig


def _rc():
    import matplotlib

    return matplotlib.rc_context(FONT)


FIGURES = (headcount_figure, retention_figure, fixed_term_figure, exits_figure)
