"""Sensitivity figures: Morris mu*–sigma plots and Sobol' index bars with 95% intervals, one per output."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

LABELLED = 10  # factors named on a Morris plot (the most influential)


def _describe(output: str) -> tuple[str, float, str]:
    """Plain name, axis factor and unit of a sensitivity output (``effect_<metric>`` is a policy's effect on it)."""
    from model.outcomes import SHARE, get

    effect = output.startswith("effect_")
    base = output.removeprefix("effect_")
    m = get(base)
    unit = ("percentage points" if m.kind == SHARE else m.stored_unit) or "output units"
    name = f"the policy's effect on {m.label}" if effect else m.label
    return name, m.scale, unit


def morris_plot(frame: pd.DataFrame, output: str, path: Path) -> Path:
    """mu* (with its bootstrap interval) against sigma for one output; the top factors are labelled."""
    name, k, unit = _describe(output)
    frame = frame.assign(mu_star=k * frame["mu_star"], mu_star_conf=k * frame["mu_star_conf"], sigma=k * frame["sigma"])
    fig, ax = plt.subplots(figsize=(7.5, 5.5))
    ax.errorbar(frame["mu_star"], frame["sigma"], xerr=frame["mu_star_conf"], fmt="o", ms=4, color="tab:blue", ecolor="0.6", capsize=2)
    top = frame.nsmallest(LABELLED, "rank")
    for _, row in top.iterrows():
        ax.annotate(row["parameter"], (row["mu_star"], row["sigma"]), fontsize=7, xytext=(3, 3), textcoords="offset points")
    lim = max(frame["mu_star"].max(), frame["sigma"].max(), 1e-12) * 1.05
    ax.plot([0, lim], [0, lim], ls=":", color="0.5", lw=0.8, label="sigma = mu*")
    ax.set_xlabel(f"mu*: mean absolute change over each factor's range ({unit}; 95% interval)")
    ax.set_ylabel(f"sigma: non-linearity or interactions ({unit})")
    ax.set_title(f"Morris screening: which inputs move {name}", fontsize=10)
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def sobol_plot(frame: pd.DataFrame, output: str, path: Path) -> Path:
    """First-order and total indices with 95% intervals, factors ordered by total index."""
    frame = frame.sort_values("ST", ascending=True)
    y = range(len(frame))
    fig, ax = plt.subplots(figsize=(7, 0.35 * len(frame) + 1.5))
    h = 0.38
    ax.barh([i + h / 2 for i in y], frame["ST"], height=h, xerr=frame["ST_conf"], color="tab:orange", capsize=2, label="total (ST)")
    ax.barh([i - h / 2 for i in y], frame["S1"], height=h, xerr=frame["S1_conf"], color="tab:blue", capsize=2, label="first order (S1)")
    ax.set_yticks(list(y), frame["parameter"], fontsize=7)
    ax.axvline(0, color="0.3", lw=0.8)
    ax.set_xlabel("Sobol' index (95% interval)")
    ax.set_title(f"Sobol' indices: share of the variance of {_describe(output)[0]}", fontsize=10)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def plot_indices(indices: pd.DataFrame, method: str, out_dir: Path) -> list[Path]:
    """One figure per output (``morris_<output>.png`` or ``sobol_<output>.png``)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    draw = morris_plot if method == "morris" else sobol_plot
    return [draw(g, str(output), out_dir / f"{method}_{output}.png") for output, g in indices.groupby("output", sort=False)]
