"""Figures for the analyst notebooks: retention by group, equity gaps, exits, effects, cost, sensitivity.

Every function draws from the public API's objects (a ``Comparison`` from
``compare_scenarios``, its ``effects`` table, a batch's runs table, the files written by
``hsr-careers sensitivity``) and returns a ``matplotlib.figure.Figure`` with a title,
axis labels with units and a legend, for the notebook to show or save.
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from experiments.plots import comparison as comparison_plots
from experiments.plots import effects as effects_plots
from experiments.plots.scenarios import retention_by_group_figure  # noqa: F401  (re-exported for the notebooks)
from model.formats import money

EQUITY_GAPS = {
    "equity_gap_carer_10y": "non-carers − carers",
    "equity_gap_disabled_10y": "non-disabled − disabled",
    "equity_gap_working_class_10y": "not working-class − working-class",
    "equity_gap_gender_10y": "men − women",
}
def _runs(comparison: Any) -> dict[str, Any]:
    return {comparison.baseline.name: comparison.baseline, **comparison.runs}


def retention_overlay_figure(retention: pd.DataFrame, group: str = "all", title: str = "", baseline: str | None = None) -> plt.Figure:
    """One group's retention in every scenario of a comparison against the baseline (the first scenario unless named)."""
    baseline = baseline or str(retention["scenario"].iloc[0])
    fig = comparison_plots.retention_compare_figure(retention, baseline, group=group)
    if title:
        fig.suptitle(title, fontsize=10)
    return fig


def equity_gaps_figure(comparison: Any) -> plt.Figure:
    """Each scenario's equity gaps at 10 years (advantaged minus disadvantaged retention) with 95% intervals."""
    return comparison_plots.equity_gaps_figure({n: r.summary for n, r in _runs(comparison).items()}, comparison.baseline.name)


def exits_by_reason_figure(comparison: Any) -> plt.Figure:
    """Mean exits over the horizon per replicate, by reason, for every scenario (stacked bars)."""
    return comparison_plots.exits_figure({n: r.summary for n, r in _runs(comparison).items()}, comparison.baseline.name)


def effects_figure(effects: pd.DataFrame, metrics: tuple[str, ...] | None = None) -> plt.Figure:
    """The effects figure the command line and the report draw (``metrics`` is accepted for old notebooks and ignored)."""
    return effects_plots.effects_figure(effects)


def cost_effectiveness_figure(effects: pd.DataFrame) -> plt.Figure | None:
    """The cost-effectiveness plane: extra discounted cost against extra employed researcher-years, with 95% intervals."""
    from experiments.plots.cost_effectiveness import ce_plane_figure, plane_rows
    from experiments.plots.palette import scenario_colours

    rows = plane_rows(effects)
    if rows is None:
        return None
    return ce_plane_figure(rows, scenario_colours(list(rows["scenario"]), None))


def cost_effect_table(effects: pd.DataFrame) -> pd.DataFrame:
    """Per scenario: discounted cost over the horizon, discounted additional researcher-years, and cost per additional researcher-year."""
    rows = []
    for name, sub in effects.groupby("scenario", sort=False):
        e = sub.set_index("metric")
        ratio = e.loc["cost_per_additional_researcher_year"]
        rows.append(
            {
                "scenario": name,
                "policy_cost_gbp": e.loc["policy_cost_pv", "difference"],
                "extra_researcher_years": e.loc["researcher_years_pv", "difference"],
                "extra_researcher_years_ci_low": e.loc["researcher_years_pv", "ci_low"],
                "extra_researcher_years_ci_high": e.loc["researcher_years_pv", "ci_high"],
                "cost_per_extra_researcher_year_gbp": ratio["difference"],
                "cost_per_extra_ci_low": ratio["ci_low"],
                "cost_per_extra_ci_high": ratio["ci_high"],
            }
        )
    return pd.DataFrame(rows)


def cost_per_retained_figure(effects: pd.DataFrame) -> plt.Figure:
    """Cost per additional researcher-year (£k) with its bootstrap interval; no bar where the extra researcher-years are not distinguishable from zero."""
    table = cost_effect_table(effects)
    fig, ax = plt.subplots(figsize=(10, 0.5 * len(table) + 2))
    y = np.arange(len(table))
    est = table["cost_per_extra_researcher_year_gbp"].to_numpy(float) / 1e3
    lo = table["cost_per_extra_ci_low"].to_numpy(float) / 1e3
    hi = table["cost_per_extra_ci_high"].to_numpy(float) / 1e3
    bounded = np.isfinite(lo) & np.isfinite(hi) & (est > 0)
    ax.barh(y[bounded], est[bounded], color="C0", label="estimate (interval: paired bootstrap, 95%)")
    ax.errorbar(
        est[bounded], y[bounded], xerr=[est[bounded] - lo[bounded], hi[bounded] - est[bounded]], fmt="none", ecolor="black", capsize=3
    )
    for yi, e, h, ok in zip(y, est, hi, bounded, strict=True):
        if ok:
            ax.annotate(f"  {money(1e3 * e)}", (h, yi), va="center", fontsize=8)
        else:
            ax.annotate(
                "not estimable: additional researcher-years not distinguishable from 0", (0, yi), va="center", fontsize=8, color="C1"
            )
    ax.set_yticks(y, table["scenario"])
    ax.invert_yaxis()
    ax.set_xlabel("discounted policy cost per additional discounted researcher-year (£ thousand)")
    ax.set_ylabel("scenario")
    ax.set_title("Cost per additional researcher-year")
    ax.grid(axis="x", alpha=0.3)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.6 / fig.get_figheight()))
    fig.tight_layout()
    return fig


def dose_response_figure(runs: pd.DataFrame, factor: str, metrics: dict[str, str], unit: str) -> plt.Figure:
    """Batch results: each metric's replicate mean (95% interval) against one design factor."""
    fig, axes = plt.subplots(1, len(metrics), figsize=(5.5 * len(metrics), 4))
    ok = runs[runs["status"] == "ok"] if "status" in runs else runs
    for ax, (metric, label) in zip(np.atleast_1d(axes), metrics.items(), strict=True):
        g = ok.groupby(factor)[metric]
        mean, sem, n = g.mean(), g.sem(), g.size()
        half = 1.96 * sem.fillna(0)
        ax.errorbar(mean.index, mean, yerr=half, marker="o", capsize=3, label=f"mean of {int(n.min())}+ replicates ± 95%")
        ax.set_xlabel(f"{factor} ({unit})")
        ax.set_ylabel(label)
        ax.set_title(label.split(" (")[0].capitalize())
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.2))
    fig.suptitle(f"Dose–response over {factor}")
    fig.tight_layout()
    return fig


def sensitivity_figure(indices: pd.DataFrame, output: str, top: int = 10) -> plt.Figure:
    """Indices for one output from ``indices.csv``: Morris mu* (and sigma) or Sobol' S1 and ST, with 95% intervals."""
    sub = indices[indices["output"] == output].sort_values("rank").head(top)
    method = str(sub["method"].iloc[0]) if len(sub) else "morris"
    from experiments.plots.sensitivity import _describe

    name, k, unit = _describe(output)
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(sub) + 2.6))
    y = np.arange(len(sub))
    if method == "morris":
        ax.barh(y, k * sub["mu_star"], xerr=k * sub["mu_star_conf"], color="C0", capsize=3, label="mu* (mean |elementary effect|) ± 95%")
        ax.scatter(k * sub["sigma"], y, color="C3", marker="D", zorder=3, label="sigma (non-linearity, interactions)")
        ax.set_xlabel(f"mean absolute change over each factor's range ({unit})")
    else:
        ax.barh(y - 0.2, sub["S1"], 0.4, xerr=sub["S1_conf"], capsize=3, label="S1 (alone)")
        ax.barh(y + 0.2, sub["ST"], 0.4, xerr=sub["ST_conf"], capsize=3, label="ST (with interactions)")
        ax.set_xlabel(f"share of the variance of {name} (0 to 1)")
    ax.set_yticks(y, sub["parameter"])
    ax.invert_yaxis()
    ax.set_ylabel("factor (parameter path)")
    ax.set_title(f"{method.capitalize()} sensitivity of {name}: top {len(sub)} factors", fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.6 / fig.get_figheight() - 0.08), ncol=2, frameon=False)
    fig.tight_layout()
    return fig


def noise_figure(noise: pd.DataFrame) -> plt.Figure:
    """How much of each output is replicate noise (``noise.csv``): single runs and the point means analysed."""
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(noise) + 2))
    y = np.arange(len(noise))
    ax.barh(y - 0.2, noise["noise_share"], 0.4, label="single runs")
    ax.barh(y + 0.2, noise["noise_share_of_means"], 0.4, label="means the indices use")
    ax.axvline(0.3, color="C3", ls="--", lw=1, label="0.3: above this, indices mostly measure noise")
    ax.set_yticks(y, noise["output"])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of variance due to chance (0 to 1)")
    ax.set_ylabel("output")
    ax.set_title("Replicate noise in the sensitivity outputs")
    ax.grid(axis="x", alpha=0.3)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.6 / fig.get_figheight() - 0.08), ncol=3, frameon=False)
    fig.tight_layout()
    return fig
