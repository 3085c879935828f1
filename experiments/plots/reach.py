"""Reach by group: whom each policy reached, from the rows of ``reach.csv`` (one row per policy × group value).

One panel per way of grouping people (gender, class, disability, caring, stage); one bar
per policy and group value, in the policy's colour. Missing columns or an empty table
mean no figure (None), never an empty chart.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter

from experiments.plots.palette import nice
from model.formats import people

GROUPS = ("gender", "working_class", "disabled", "carer", "stage")
GROUP_TITLES = {"gender": "Gender", "working_class": "Working-class background", "disabled": "Disabled or neurodivergent",
                "carer": "Carer", "stage": "Career stage"}  # fmt: skip


def reach_rows(reach: pd.DataFrame) -> pd.DataFrame | None:
    """Reach summed over a policy's benefits: columns scenario, group, value, reached_people (None when it cannot be read)."""
    who = next((c for c in ("scenario", "policy") if c in reach.columns), None)
    if who is None or not {"group", "value", "reached_people"} <= set(reach.columns) or reach.empty:
        return None
    rows = reach[reach["group"].isin(GROUPS)].groupby([who, "group", "value"], sort=False)["reached_people"].sum().reset_index()
    return rows.rename(columns={who: "scenario"}) if len(rows) else None


def reach_figure(rows: pd.DataFrame, colours: dict[str, str], names: dict[str, str] | None = None) -> plt.Figure:
    """People reached over the horizon by group, one bar per policy (mean per replicate where the table gives means)."""
    names = names or {}
    groups = [g for g in GROUPS if g in set(rows["group"])]
    policies = list(dict.fromkeys(rows["scenario"]))
    fig, axes = plt.subplots(1, len(groups), figsize=(3.3 * len(groups) + 1.5, 0.25 * len(policies) * 2 + 2.8), squeeze=False)
    width = 0.8 / max(len(policies), 1)
    for ax, group in zip(axes[0], groups, strict=True):
        sub = rows[rows["group"] == group]
        values = list(dict.fromkeys(sub["value"].astype(str)))
        y = np.arange(len(values))
        for i, name in enumerate(policies):
            one = sub[sub["scenario"] == name]
            counts = one.set_index(one["value"].astype(str))["reached_people"].reindex(values).fillna(0)
            ax.barh(y + i * width, counts.to_numpy(float), height=width, color=colours.get(name, "0.4"), label=names.get(name, nice(name)))
        ax.set_yticks(y + 0.4 - width / 2, [v.replace("_", " ") for v in values], fontsize=8)
        ax.invert_yaxis()
        ax.set_title(GROUP_TITLES.get(group, group), fontsize=9)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: people(v)))
        ax.tick_params(labelsize=8)
        ax.grid(axis="x", alpha=0.3)
        ax.set_xlabel("people reached", fontsize=8)
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=min(len(labels), 5), fontsize=8, frameon=False)
    fig.suptitle("Whom each policy reached, by group (a person reached by two benefits counts in each)", fontsize=10)
    fig.subplots_adjust(left=0.07, right=0.99, top=0.85, bottom=0.24, wspace=0.45)
    return fig
