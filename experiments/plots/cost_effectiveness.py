"""The cost-effectiveness plane from computed rows.

``ce_plane_figure`` receives one row per policy (extra discounted employed
researcher-years ``x`` and extra discounted cost ``y``, each with its 95% interval) and
draws them against the baseline at the origin, with a line for the willingness to pay
per researcher-year (below the line: cost-effective at that threshold). The
acceptability curve is ``experiments.plots.ceac``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter

from experiments.plots.palette import nice
from model.formats import money, people


def ce_plane_figure(rows: pd.DataFrame, colours: dict[str, str], wtp: float | None = None, names: dict[str, str] | None = None) -> plt.Figure:
    """Extra cost against extra employed researcher-years (both discounted, 95% intervals), one point per policy."""
    names = names or {}
    fig, ax = plt.subplots(figsize=(9.5, 5.8))
    for r in rows.itertuples():
        colour = colours.get(r.scenario, "0.3")
        xerr = [[r.x - r.x_low], [r.x_high - r.x]] if np.isfinite(r.x_low) and np.isfinite(r.x_high) else None
        yerr = [[r.y - r.y_low], [r.y_high - r.y]] if np.isfinite(r.y_low) and np.isfinite(r.y_high) else None
        ax.errorbar(r.x, r.y, xerr=xerr, yerr=yerr, fmt="o", ms=7, color=colour, ecolor=colour, elinewidth=1.2, capsize=3,
                    label=names.get(r.scenario, nice(r.scenario)))  # fmt: skip
    ax.axhline(0, color="black", lw=0.9)
    ax.axvline(0, color="black", lw=0.9)
    xs = np.concatenate([rows[c].to_numpy(float) for c in ("x", "x_low", "x_high")] + [np.zeros(1)])
    ys = np.concatenate([rows[c].to_numpy(float) for c in ("y", "y_low", "y_high")] + [np.zeros(1)])
    xs, ys = xs[np.isfinite(xs)], ys[np.isfinite(ys)]
    xpad, ypad = 0.1 * (np.ptp(xs) or 1.0), 0.1 * (np.ptp(ys) or 1.0)
    ax.set_xlim(xs.min() - xpad, xs.max() + xpad)
    ax.set_ylim(ys.min() - ypad, ys.max() + ypad)
    if wtp is not None and np.isfinite(wtp) and wtp > 0:
        x0, x1 = ax.get_xlim()
        ax.plot([x0, x1], [wtp * x0, wtp * x1], ls="--", color="#2d6a2d", lw=1.1, label=f"willingness to pay {money(wtp)} per researcher-year")
        ax.set_ylim(ys.min() - ypad, ys.max() + ypad)
    kw = {"fontsize": 8, "color": "0.45", "transform": ax.transAxes}
    ax.text(0.01, 0.98, "fewer researcher-years, more cost:\ndominated", ha="left", va="top", **kw)
    ax.text(0.99, 0.02, "more researcher-years, less cost:\ndominant", ha="right", va="bottom", **kw)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: people(v, signed=True)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: money(v, signed=True)))
    ax.set_xlabel("extra employed researcher-years over the horizon, discounted (vs baseline; 95% interval)")
    ax.set_ylabel("extra policy cost, discounted (95% interval)")
    ax.set_title("Cost-effectiveness plane: each policy against the baseline at the origin", fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    return fig


PLANE_X = ("employed_years_pv", "researcher_years_pv")  # the first present: extra (employed) researcher-years, discounted
PLANE_Y = ("policy_cost_pv", "policy_cost")


def plane_rows(effects: pd.DataFrame, scenarios: list[str] | None = None) -> pd.DataFrame | None:
    """Plane rows (scenario, x, x_low, x_high, y, y_low, y_high) from an effects table; None without cost or years effects."""
    present = set(effects["metric"])
    xm = next((m for m in PLANE_X if m in present), None)
    ym = next((m for m in PLANE_Y if m in present), None)
    if xm is None or ym is None:
        return None
    e = effects.set_index(["scenario", "metric"])
    rows = []
    for name in scenarios or list(dict.fromkeys(effects["scenario"])):
        x, y = e.loc[(name, xm)], e.loc[(name, ym)]
        rows.append({"scenario": name, "x": x["difference"], "x_low": x["ci_low"], "x_high": x["ci_high"],
                     "y": y["difference"], "y_low": y["ci_low"], "y_high": y["ci_high"]})  # fmt: skip
    return pd.DataFrame(rows)
