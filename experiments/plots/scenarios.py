"""Scenario figures: retention by group with bands, stage mix over time, exits by reason, and comparisons."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd

from model.parameters import EXIT_REASONS, STAGES

PANELS = {  # panel title: groups drawn in it
    "All researchers": ["all"],
    "Gender": ["gender:woman", "gender:man"],
    "Caring at entry": ["carer:yes", "carer:no"],
    "Disabled or neurodivergent": ["disabled:yes", "disabled:no"],
    "Working-class background": ["working_class:yes", "working_class:no"],
    "Sector at entry": ["sector:university", "sector:nhs", "sector:third_sector"],
}
KEY_EFFECTS = (
    "retention_5y",
    "retention_10y",
    "equity_gap_carer_10y",
    "equity_gap_disabled_10y",
    "equity_gap_working_class_10y",
    "equity_gap_gender_10y",
    "share_fixed_term",
)


def _save(fig: plt.Figure, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path, dpi=110, metadata={"Software": None})
    plt.close(fig)
    return path


def retention_by_group_figure(retention: pd.DataFrame, title: str) -> plt.Figure:
    """Kaplan–Meier retention by group, one panel per dimension, 95% bands across replicates."""
    fig, axes = plt.subplots(2, 3, figsize=(13, 7), sharex=True, sharey=True)
    for ax, (panel, groups) in zip(axes.flat, PANELS.items(), strict=True):
        for g in groups:
            sub = retention[retention["group"] == g]
            if sub.empty:
                continue
            label = g.split(":")[-1].replace("_", " ") if ":" in g else "all researchers"
            line = ax.plot(sub["years_since_entry"], 100 * sub["retained"], label=label)[0]
            ax.fill_between(sub["years_since_entry"], 100 * sub["ci_low"], 100 * sub["ci_high"], color=line.get_color(), alpha=0.2, lw=0)
        ax.set_title(panel)
        ax.set_ylim(0, 102)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="lower left")
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


def stage_mix(yearly: pd.DataFrame, path: Path, title: str = "") -> Path:
    """Mean number of active researchers by career stage per year (stacked)."""
    mean = yearly.groupby("year", sort=True)[[f"active_{s}" for s in STAGES]].mean()
    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.stackplot(mean.index, mean.T.to_numpy(), labels=list(STAGES), alpha=0.85)
    ax.set_xlabel("year")
    ax.set_ylabel("active researchers (replicate mean)")
    ax.set_title(title or "Career-stage mix over time")
    ax.legend(loc="lower left", fontsize=8)
    ax.grid(alpha=0.3)
    return _save(fig, path)


def exits_by_reason(yearly: pd.DataFrame, path: Path, title: str = "") -> Path:
    """Mean exits per year by reason."""
    cols = [f"exits_{r}" for r in EXIT_REASONS]
    mean = yearly.groupby("year", sort=True)[cols].mean()
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for r in EXIT_REASONS:
        ax.plot(mean.index, mean[f"exits_{r}"], label=r.replace("_", " "))
    ax.set_xlabel("year")
    ax.set_ylabel("exits per year (replicate mean)")
    ax.set_title(title or "Exits from HSR by reason")
    ax.legend(fontsize=8)
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


def retention_overlay(retention: pd.DataFrame, path: Path, group: str = "all") -> Path:
    """Retention of one group in every scenario of a comparison, with 95% bands."""
    fig, ax = plt.subplots(figsize=(8, 5))
    for scenario, sub in retention[retention["group"] == group].groupby("scenario", sort=False):
        line = ax.plot(sub["years_since_entry"], sub["retained"], label=scenario)[0]
        ax.fill_between(sub["years_since_entry"], sub["ci_low"], sub["ci_high"], color=line.get_color(), alpha=0.15, lw=0)
    ax.set_xlabel("years since entry")
    ax.set_ylabel("share still in HSR")
    ax.set_ylim(0, 1.02)
    ax.set_title(f"Retention ({group}) by scenario, 95% bands")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return _save(fig, path)


def effects_forest(effects: pd.DataFrame, path: Path, metrics: tuple[str, ...] = KEY_EFFECTS) -> Path:
    """Paired differences from the baseline with 95% intervals, one panel per metric."""
    fig, axes = plt.subplots(1, len(metrics), figsize=(3.0 * len(metrics), 0.45 * effects["scenario"].nunique() + 1.8), sharey=True)
    scenarios = list(dict.fromkeys(effects["scenario"]))
    for ax, metric in zip(axes, metrics, strict=True):
        sub = effects[effects["metric"] == metric].set_index("scenario").reindex(scenarios)
        y = range(len(scenarios))
        err = [sub["difference"] - sub["ci_low"], sub["ci_high"] - sub["difference"]]
        ax.errorbar(sub["difference"], y, xerr=err, fmt="o", ms=4, capsize=2)
        ax.axvline(0, color="0.4", lw=0.8)
        ax.set_title(metric.replace("_", " "), fontsize=8)
        ax.tick_params(axis="x", labelsize=7)
        ax.grid(alpha=0.3)
    axes[0].set_yticks(list(range(len(scenarios))), scenarios, fontsize=8)
    axes[0].invert_yaxis()
    fig.suptitle("Effect vs baseline (paired difference, 95% interval)", fontsize=10)
    return _save(fig, path)
