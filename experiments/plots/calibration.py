"""Calibration figures: the fit chart (observed intervals vs simulated) and NROY marginals against the prior."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd


def fit_chart(fit: pd.DataFrame, path: Path, title: str = "Calibration fit") -> Path:
    """Observed proportion with its 95% Wilson interval (and tolerance) beside the simulated mean ± 2 SD."""
    n = len(fit)
    fig, ax = plt.subplots(figsize=(8, 0.55 * n + 2.0))
    y = np.arange(n)[::-1]
    for yi, (_, r) in zip(y, fit.iterrows(), strict=True):
        ax.plot(
            [100 * r["accept_low"], 100 * r["accept_high"]],
            [yi + 0.12] * 2,
            color="0.75",
            lw=6,
            solid_capstyle="butt",
            label="accepted (implausibility ≤ 3)" if yi == y[0] else None,
        )
        ax.plot([100 * r["obs_ci_low"], 100 * r["obs_ci_high"]], [yi + 0.12] * 2, color="0.2", lw=2, label="observed 95% CI" if yi == y[0] else None)
        ax.plot(100 * r["observed"], yi + 0.12, "o", color="0.2", ms=5)
        colour = "tab:blue" if r["accepted"] else "tab:red"
        ax.errorbar(
            100 * r["simulated_mean"],
            yi - 0.12,
            xerr=200 * r["simulated_sd"],
            fmt="s",
            color=colour,
            ms=5,
            capsize=3,
            label="simulated mean ± 2 SD" if yi == y[0] else None,
        )
    labels = [f"{t.replace('_', ' ')}{' (reported)' if role == 'report' else ''}" for t, role in zip(fit["target"], fit["role"], strict=True)]
    ax.set_yticks(y, labels)
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0f}%")
    ax.set_xlabel("share of people (%)")
    ax.set_title(title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.11), ncol=3, fontsize=8, frameon=False)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def marginals(design: pd.DataFrame, parameters: pd.DataFrame, path: Path) -> Path:
    """Histogram of each free parameter over the NROY points, on its prior range, with the calibrated value."""
    k = len(parameters)
    cols = min(4, k)
    rows = int(np.ceil(k / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 2.5 * rows), squeeze=False)
    nroy = design[design["nroy"]]
    for ax, (_, p) in zip(axes.flat, parameters.iterrows(), strict=False):
        bins = np.linspace(p["prior_low"], p["prior_high"], 16)
        ax.hist(design[p["parameter"]], bins=bins, color="0.85", label="all design points")
        ax.hist(nroy[p["parameter"]], bins=bins, color="tab:blue", alpha=0.8, label="NROY")
        ax.axvspan(p["nroy_q05"], p["nroy_q95"], color="tab:blue", alpha=0.08)
        ax.axvline(p["calibrated"], color="tab:red", lw=1.5, label="calibrated")
        ax.axvline(p["default"], color="0.3", lw=1, ls=":", label="declared default")
        ax.set_title(p["parameter"], fontsize=9)
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[k:]:
        ax.axis("off")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.suptitle("Free parameters: NROY points (90% range shaded) within the prior range", fontsize=10)
    fig.supylabel("design points (count)", fontsize=9)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    fig.legend(handles, labels, loc="lower center", ncol=4, fontsize=8, frameon=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def wave_ranges(waves: pd.DataFrame, parameters: pd.DataFrame, path: Path) -> Path:
    """Each free parameter's not-ruled-out range wave by wave (as a share of its prior range), and the NROY volume."""
    names = list(parameters["parameter"])
    fig, (ax, av) = plt.subplots(1, 2, figsize=(11, 0.45 * len(names) + 2.2), gridspec_kw={"width_ratios": [3, 1]})
    y = np.arange(len(names))[::-1]
    colours = plt.cm.viridis(np.linspace(0, 0.9, len(waves)))
    for k, (_, w) in enumerate(waves.iterrows()):
        for yi, (_, p) in zip(y, parameters.iterrows(), strict=True):
            span = p["prior_high"] - p["prior_low"]
            lo, hi = (w[f"{p['parameter']}:low"] - p["prior_low"]) / span, (w[f"{p['parameter']}:high"] - p["prior_low"]) / span
            ax.plot([lo, hi], [yi + 0.35 - 0.7 * k / max(1, len(waves) - 1)] * 2, color=colours[k], lw=3,
                    label=f"wave {int(w['wave'])}" if yi == y[0] else None)  # fmt: skip
    ax.set_yticks(y, names, fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of the prior range")
    ax.set_title("Not-ruled-out range of each parameter (wave 0 = prior)", fontsize=10)
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=len(waves), frameon=False)
    av.semilogy(waves["wave"], waves["nroy_volume"].clip(lower=1e-6), "o-", color="0.2")
    av.set_xlabel("wave")
    av.set_title("NROY volume (share of prior)", fontsize=10)
    av.grid(alpha=0.3)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
