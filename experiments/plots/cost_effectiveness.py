"""The cost-effectiveness plane: extra discounted cost against extra discounted researcher-years.

One point per replicate (paired with the baseline replicate of the same seed) and, per
policy, the mean with its 95% t-intervals on both axes; the slope of a line from the
origin to the mean is the cost per additional researcher-year.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import FuncFormatter

from experiments.runs.cost_effectiveness import cost_effectiveness_row, paired_deltas
from experiments.runs.units import money, people


def cost_effectiveness_plane(base: pd.DataFrame, scenarios: dict[str, pd.DataFrame], path: Path) -> Path:
    """Write the plane for every scenario against ``base`` (per-replicate metrics) to ``path``."""
    fig, ax = plt.subplots(figsize=(7.5, 5))
    for i, (name, scen) in enumerate(scenarios.items()):
        colour = f"C{i}"
        d = paired_deltas(base, scen)
        ax.scatter(d["extra_researcher_years_pv"], d["extra_cost_pv"], s=14, alpha=0.45, color=colour)
        row = cost_effectiveness_row(base, scen, name)
        x, y = row["extra_researcher_years_pv"], row["extra_cost_pv"]
        xerr = [[x - row["extra_researcher_years_pv_low"]], [row["extra_researcher_years_pv_high"] - x]]
        yerr = [[y - row["extra_cost_pv_low"]], [row["extra_cost_pv_high"] - y]]
        ratio = money(row["cost_per_researcher_year"]) + " per researcher-year" if row["status"] == "estimable" else "ratio not estimable"
        ax.errorbar([x], [y], xerr=xerr, yerr=yerr, fmt="o", ms=8, color=colour, ecolor=colour, capsize=4,
                    markeredgecolor="black", label=f"{name} ({ratio})")  # fmt: skip
    ax.axhline(0, color="grey", lw=0.8)
    ax.axvline(0, color="grey", lw=0.8)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: people(v, signed=True)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: money(v, signed=True)))
    ax.set_xlabel("extra researcher-years over the horizon (discounted)")
    ax.set_ylabel("extra policy cost over the horizon (discounted)")
    ax.set_title("Cost-effectiveness against the baseline\n(small points: replicates; large: mean with 95% intervals)", fontsize=10)
    ax.legend(fontsize=8, loc="best")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path, dpi=110, metadata={"Software": None})
    plt.close(fig)
    return path
