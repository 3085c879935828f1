"""Scenario-discovery figure: the PRIM peeling trajectory and the limits of each box."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd


def discovery_figure(trajectories: list[pd.DataFrame], limits: pd.DataFrame, ranges: pd.DataFrame, goal: str, path: Path) -> Path:
    """Left: coverage against density along each box's peeling trajectory (chosen box circled). Right: box limits on each input's range."""
    dims = list(dict.fromkeys(limits["dimension"])) if not limits.empty else []
    fig, (a, b) = plt.subplots(1, 2, figsize=(11, max(3.4, 0.9 + 0.5 * len(dims))), gridspec_kw={"width_ratios": [1, 1.3]})
    for k, traj in enumerate(trajectories, start=1):
        sc = a.scatter(
            traj["coverage"], traj["density"], c=traj["res_dim"], cmap="viridis", s=14, marker="os^"[(k - 1) % 3], label=f"box {k}"
        )
        sel = traj[traj["selected"]]
        a.scatter(sel["coverage"], sel["density"], s=120, facecolors="none", edgecolors="red", lw=1.5)
    if trajectories:
        fig.colorbar(sc, ax=a, label="restricted dimensions")
        a.legend(fontsize=8, loc="lower left")
    a.set_xlabel("coverage (share of cases of interest inside)")
    a.set_ylabel("density (share of points inside that are cases)")
    a.set_xlim(0, 1.02)
    a.set_ylim(0, 1.02)
    a.set_title("PRIM peeling trajectory (red: chosen box)", fontsize=9)
    for j, d in enumerate(dims):
        lo_r, hi_r = float(ranges.loc[d, "low"]), float(ranges.loc[d, "high"])
        span = hi_r - lo_r or 1.0
        b.plot([0, 1], [j, j], color="0.8", lw=6, solid_capstyle="butt")
        for _, row in limits[limits["dimension"] == d].iterrows():
            off = 0.15 * (row["box"] - 1)
            x0, x1 = (row["low"] - lo_r) / span, (row["high"] - lo_r) / span
            b.plot([x0, x1], [j + off, j + off], color=f"C{int(row['box']) - 1}", lw=4, solid_capstyle="butt")
            b.text(x0, j + off + 0.18, f"{row['low']:.3g}", fontsize=7, ha="center")
            b.text(x1, j + off + 0.18, f"{row['high']:.3g}", fontsize=7, ha="center")
        b.text(-0.02, j, f"{lo_r:.3g}", fontsize=7, ha="right", va="center", color="0.4")
        b.text(1.02, j, f"{hi_r:.3g}", fontsize=7, ha="left", va="center", color="0.4")
    b.set_yticks(range(len(dims)), dims, fontsize=8)
    b.set_xlim(-0.15, 1.15)
    b.set_ylim(-0.6, max(len(dims), 1) - 0.3)
    b.set_xticks([])
    b.set_title("box limits on each restricted input's range (grey: full range)", fontsize=9)
    fig.suptitle(f"Where the goal is missed: {goal}", fontsize=10)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110, metadata={"Software": None})
    plt.close(fig)
    return path
