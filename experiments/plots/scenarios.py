"""Scenario figures: retention by group with bands, stage mix over time, exits by reason, and comparisons."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd

from model.outcomes import GROUP_WORDS
from model.parameters import EXIT_REASONS, STAGES

PANELS = {  # panel title: groups drawn in it
    "All researchers": ["all"],
    "Gender": ["gender:woman", "gender:man"],
    "Caring at entry": ["carer:yes", "carer:no"],
    "Disabled or neurodivergent": ["disabled:yes", "disabled:no"],
    "Working-class background": ["working_class:yes", "working_class:no"],
    "Sector at entry": ["sector:university", "sector:nhs", "sector:third_sector"],
}


def save_figure(fig: plt.Figure, path: Path) -> Path:
    """Write a finished figure to ``path`` (PNG) and close it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110, metadata={"Software": None})
    plt.close(fig)
    return path


def _save(fig: plt.Figure, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path, dpi=110, metadata={"Software": None})
    plt.close(fig)
    return path


def retention_by_group_figure(retention: pd.DataFrame, title: str) -> plt.Figure:
    """Kaplan–Meier retention by group, one panel per dimension, 95% bands; curves stop where under 20 remain at risk."""
    from experiments.plots.comparison import cut_retention

    retention = cut_retention(retention)
    fig, axes = plt.subplots(2, 3, figsize=(13, 7), sharex=True, sharey=True)
    for ax, (panel, groups) in zip(axes.flat, PANELS.items(), strict=True):
        for g in groups:
            sub = retention[retention["group"] == g]
            if sub.empty:
                continue
            label = GROUP_WORDS.get(g.replace(":", "_"), g) if ":" in g else "all researchers"
            line = ax.plot(sub["years_since_entry"], 100 * sub["retained"], label=label)[0]
            ax.fill_between(sub["years_since_entry"], 100 * sub["ci_low"], 100 * sub["ci_high"], color=line.get_color(), alpha=0.2, lw=0)
        ax.set_title(panel)
        ax.set_ylim(0, 102)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="upper right", framealpha=0.9)  # top right stays clear: curves start at 100% on the left and fall
    for ax in axes[1]:
        ax.set_xlabel("years since entry")
    for ax in axes[:, 0]:
        ax.set_ylabel("still in HSR (%)")
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def retention_by_group(retention: pd.DataFrame, path: Path, title: str = "") -> Path:
    """Save the retention-by-group figure to ``path``."""
    return _save(retention_by_group_figure(retention, title or "Retention in HSR by group (95% bands)"), path)


def stage_mix_figure(yearly: pd.DataFrame, title: str = "") -> plt.Figure:
    """Mean number of active researchers by career stage per year (stacked), legend outside the data."""
    mean = yearly.groupby("year", sort=True)[[f"active_{s}" for s in STAGES]].mean()
    fig, ax = plt.subplots(figsize=(9, 4.5))
    ax.stackplot(mean.index, mean.T.to_numpy(), labels=list(STAGES), alpha=0.85)
    ax.set_xlabel("reported year")
    ax.set_ylabel("active researchers (people, replicate mean)")
    ax.set_title(title or "Career-stage mix over time")
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], labels[::-1], title="career stage", loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def stage_mix(yearly: pd.DataFrame, path: Path, title: str = "") -> Path:
    """Save the stage-mix figure to ``path``."""
    return _save(stage_mix_figure(yearly, title), path)


def exits_by_reason(yearly: pd.DataFrame, path: Path, title: str = "") -> Path:
    """Mean exits per year by reason, legend outside the data."""
    cols = [f"exits_{r}" for r in EXIT_REASONS]
    mean = yearly.groupby("year", sort=True)[cols].mean()
    fig, ax = plt.subplots(figsize=(9, 4.5))
    for r in EXIT_REASONS:
        ax.plot(mean.index, mean[f"exits_{r}"], label=r.replace("_", " "), lw=1.8)
    ax.set_xlabel("reported year")
    ax.set_ylabel("exits per year (people, replicate mean)")
    ax.set_ylim(bottom=0)
    ax.set_title(title or "Exits from HSR by reason")
    ax.legend(title="reason for leaving", fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.grid(alpha=0.3)
    return _save(fig, path)


def run_figures(run: Any, folder: Path) -> list[Path]:
    """The figures of one scenario run (DESIGN.md §4)."""
    folder.mkdir(parents=True, exist_ok=True)
    name = run.name
    return [
        retention_by_group(
            run.retention, folder / "retention_by_group.png", f"{name}: retention in HSR by group (95% bands, {run.reps} replicates)"
        ),
        stage_mix(run.yearly, folder / "stage_mix.png", f"{name}: career-stage mix over time"),
        exits_by_reason(run.yearly, folder / "exits_by_reason.png", f"{name}: exits by reason"),
    ]
