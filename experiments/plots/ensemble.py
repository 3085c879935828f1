"""Ensemble figures: each effect with its parameter and noise parts, and the interval width against K."""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from experiments.plots.scenarios import _save
from model import outcomes

FIGURE_METRICS = (
    "retention_10y",
    "retention_5y",
    "equity_gap_carer_10y",
    "equity_gap_working_class_10y",
    "cost_per_additional_researcher_year",
)


def _scale(metric: str) -> tuple[float, str]:
    o = outcomes.get(metric)
    if o.kind == outcomes.MONEY_RATIO:
        return 1e-3, "£ thousand"
    return o.scale, o.display_unit(difference=True)


def ensemble_effects_figure(effects: pd.DataFrame, per_set: dict, path: Path, metrics: tuple[str, ...] = FIGURE_METRICS) -> Path:
    """One panel per metric: per policy, the total interval (thin), the parameter part (thick), set means (dots)."""
    metrics = tuple(m for m in metrics if m in set(effects["metric"]))
    scenarios = list(dict.fromkeys(effects["scenario"]))
    ncol = min(3, len(metrics))
    nrow = -(-len(metrics) // ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(4.2 * ncol, nrow * (1.6 + 0.55 * len(scenarios)) + 0.8), squeeze=False)
    for ax in axes.flat[len(metrics) :]:
        ax.set_visible(False)
    for i, (ax, m) in enumerate(zip(axes.flat, metrics, strict=False)):
        f, unit = _scale(m)
        for y, name in enumerate(scenarios):
            r = effects[(effects["scenario"] == name) & (effects["metric"] == m)]
            if r.empty or not np.isfinite(r["mean"].iloc[0]):
                continue
            r = r.iloc[0]
            ax.plot(
                [r["ci_low"] * f, r["ci_high"] * f], [y, y], color="0.55", lw=1.5, label="total (parameters + noise)" if y == 0 else None
            )
            ax.plot([r["param_low"] * f, r["param_high"] * f], [y, y], color="C0", lw=6, alpha=0.7, solid_capstyle="butt",
                    label="parameter uncertainty" if y == 0 else None)  # fmt: skip
            sm = np.asarray(per_set.get((name, m), []), dtype=float) * f
            ax.scatter(sm, np.full(len(sm), y + 0.18), s=9, color="C1", alpha=0.7, label="set means" if y == 0 else None)
            ax.plot(r["mean"] * f, y, "ko", ms=5)
        ax.axvline(0, color="0.3", lw=0.8, ls="--")
        ax.set_yticks(range(len(scenarios)), scenarios if i % ncol == 0 else [""] * len(scenarios), fontsize=8)
        ax.set_ylim(-0.6, len(scenarios) - 0.4)
        ax.set_title("\n".join(textwrap.wrap(outcomes.label(m), 36)), fontsize=9)
        ax.set_xlabel(f"effect ({unit})" if unit else "effect", fontsize=8)
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels + [], fontsize=8, loc="lower center", ncol=3, frameon=False)
    fig.suptitle("Effects over the calibrated ensemble: 95% intervals split by source (black dot: mean)", fontsize=10)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110, metadata={"Software": None})
    plt.close(fig)
    return path


def convergence_figure(conv: pd.DataFrame, path: Path) -> Path:
    """Interval widths against the number of parameter sets K (flat = K is enough)."""
    metrics = list(dict.fromkeys(conv["metric"]))
    fig, axes = plt.subplots(1, len(metrics), figsize=(3.4 * len(metrics), 3.0), squeeze=False)
    for ax, m in zip(axes[0], metrics, strict=True):
        f, unit = _scale(m)
        for i, (name, g) in enumerate(conv[conv["metric"] == m].groupby("scenario", sort=False)):
            ax.plot(g["k"], g["total_width"] * f, "-o", color=f"C{i}", ms=3, label=f"{name}: total")
            ax.plot(g["k"], g["mean_ci_width"] * f, ":s", color=f"C{i}", ms=3, label=f"{name}: ensemble mean")
        ax.set_xlabel("parameter sets K")
        ax.set_ylabel(f"95% interval width ({unit})" if unit else "95% interval width", fontsize=8)
        ax.set_title("\n".join(textwrap.wrap(outcomes.label(m), 36)), fontsize=9)
    axes[0][0].legend(fontsize=7)
    return _save(fig, path)
