"""Pareto figure: every feasible mix, the Pareto set with 95% intervals, cost against the main objective."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from model import outcomes


def _label(m: str) -> str:
    return outcomes.label(m)


def _err(p: pd.DataFrame, m: str) -> np.ndarray:
    """Asymmetric error bars from the interval columns (zero where an interval is undefined)."""
    return np.nan_to_num(np.vstack([p[m] - p[f"{m}_ci_low"], p[f"{m}_ci_high"] - p[m]]).astype(float))


def pareto_figure(trials: pd.DataFrame, pareto: pd.DataFrame, objectives: list[str], budget: float, path: Path) -> Path:
    """Left: yearly cost against the first objective. Right (two or more objectives): first against second."""
    panels = 2 if len(objectives) >= 2 else 1
    fig, axes = plt.subplots(1, panels, figsize=(6.2 * panels, 4.6), squeeze=False)
    m0 = objectives[0]
    feas = trials[trials["feasible"]] if not trials.empty else trials
    infeas = trials[~trials["feasible"]] if not trials.empty else trials
    a = axes[0][0]
    a.scatter(infeas["cost_per_year"] / 1e6, infeas[m0], s=10, color="0.8", label="over budget")
    a.scatter(feas["cost_per_year"] / 1e6, feas[m0], s=12, color="0.5", label="within budget")
    if not pareto.empty:
        a.errorbar(pareto["cost_per_year"].to_numpy() / 1e6, pareto[m0].to_numpy(), yerr=_err(pareto, m0),
                   fmt="o", color="C3", ms=5, capsize=2, label="Pareto set (95% interval)")  # fmt: skip
    a.axvline(budget / 1e6, color="C0", ls="--", lw=1, label="budget")
    a.axhline(0, color="0.3", lw=0.6)
    a.set_xlabel("mean yearly policy spend (£m)")
    a.set_ylabel(f"effect: {_label(m0)}")
    a.legend(fontsize=8)
    if panels == 2:
        m1 = objectives[1]
        b = axes[0][1]
        b.scatter(feas[m0], feas[m1], s=12, color="0.6", label="within budget")
        if not pareto.empty:
            b.errorbar(pareto[m0].to_numpy(), pareto[m1].to_numpy(), xerr=_err(pareto, m0), yerr=_err(pareto, m1), fmt="o", color="C3", ms=5,
                       capsize=2, label="Pareto set")  # fmt: skip
            for _, r in pareto.iterrows():
                b.annotate(str(r["trial"]), (r[m0], r[m1]), fontsize=7, xytext=(3, 3), textcoords="offset points")
        b.axhline(0, color="0.3", lw=0.6)
        b.axvline(0, color="0.3", lw=0.6)
        b.set_xlabel(f"effect: {_label(m0)}")
        b.set_ylabel(f"effect: {_label(m1)}")
        b.legend(fontsize=8)
        b.set_title("trade-off (labels: trial number in pareto.csv)", fontsize=9)
    fig.suptitle("Policy mixes: Pareto set under the yearly budget", fontsize=10)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110, metadata={"Software": None})
    plt.close(fig)
    return path
