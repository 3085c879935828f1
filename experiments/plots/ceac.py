"""The cost-effectiveness acceptability curve, drawn from the rows of ``ceac.csv``.

One line per policy: the share of paired replicates in which the policy's net monetary
benefit is positive, against the willingness to pay per extra employed researcher-year.
The declared default is a dashed grey line, its plausible range a shaded band. Curves
often coincide (at 0% or 100%), so each policy gets its own line style and a thinner
line than the one before: coinciding curves stay visible as stacked strokes.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import FuncFormatter, PercentFormatter

from experiments.plots.palette import nice
from model.formats import money


def ceac_figure(rows: pd.DataFrame, default_wtp: float | None = None, plausible: tuple[float, float] | None = None,
                colours: dict[str, str] | None = None, names: dict[str, str] | None = None) -> plt.Figure:  # fmt: skip
    """The acceptability curves of ``rows`` (columns ``policy``, ``wtp``, ``p_cost_effective``); ``colours``/``names`` per scenario."""
    fig, ax = plt.subplots(figsize=(7.5, 4.5))
    if plausible is not None:
        ax.axvspan(*plausible, color="0.92", zorder=0, label=f"plausible range ({money(plausible[0])}–{money(plausible[1])})")
    if default_wtp is not None:
        ax.axvline(default_wtp, color="0.35", ls="--", lw=1, label=f"declared default ({money(default_wtp)})")
    styles = ("-", "--", "-.", ":")
    for i, (name, sub) in enumerate(rows.groupby("policy", sort=False)):
        sub = sub.sort_values("wtp")
        p = sub["p_cost_effective"]
        shown = (names or {}).get(name, nice(name))
        label = f"{shown} (0% at every threshold)" if p.max() == 0 else f"{shown} (100% at every threshold)" if p.min() == 1 else shown
        ax.plot(sub["wtp"], sub["p_cost_effective"], color=(colours or {}).get(name, f"C{i}"), lw=max(3.2 - 0.5 * i, 1.0), ls=styles[i % len(styles)],
                drawstyle="steps-post", label=label)  # fmt: skip
    ax.set_ylim(-0.02, 1.02)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: money(v)))
    ax.set_xlabel("willingness to pay per extra employed researcher-year (discounted)")
    ax.set_ylabel("chance the policy is worth its cost")
    ax.set_title("Cost-effectiveness acceptability against the baseline\n(share of paired replicates with positive net monetary benefit)", fontsize=10)
    ax.legend(fontsize=8, loc="best")
    fig.tight_layout()
    return fig
