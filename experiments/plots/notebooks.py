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

from experiments.plots.scenarios import retention_by_group_figure  # noqa: F401  (re-exported for the notebooks)
from model.parameters import EXIT_REASONS

EQUITY_GAPS = {
    "equity_gap_carer_10y": "non-carers − carers",
    "equity_gap_disabled_10y": "non-disabled − disabled",
    "equity_gap_working_class_10y": "not working-class − working-class",
    "equity_gap_gender_10y": "men − women",
}
EFFECT_LABELS = {
    "retention_5y": "retention at 5 years (percentage points)",
    "retention_10y": "retention at 10 years (percentage points)",
    "exits_funding_gap": "exits after a funding gap (people over the horizon)",
    "share_fixed_term": "share on fixed-term contracts (percentage points)",
    **{k: f"equity gap {v} at 10 years (percentage points)" for k, v in EQUITY_GAPS.items()},
}
PERCENT_METRICS = {"retention_5y", "retention_10y", "share_fixed_term", *EQUITY_GAPS}


def _runs(comparison: Any) -> dict[str, Any]:
    return {comparison.baseline.name: comparison.baseline, **comparison.runs}


def retention_overlay_figure(retention: pd.DataFrame, group: str = "all", title: str = "") -> plt.Figure:
    """One group's retention in every scenario of a comparison (column ``scenario``), with 95% bands."""
    fig, ax = plt.subplots(figsize=(9, 5))
    for name, sub in retention[retention["group"] == group].groupby("scenario", sort=False):
        line = ax.plot(sub["years_since_entry"], 100 * sub["retained"], label=name, lw=2.2 if name == "baseline" else 1.4)[0]
        ax.fill_between(sub["years_since_entry"], 100 * sub["ci_low"], 100 * sub["ci_high"], color=line.get_color(), alpha=0.12, lw=0)
    ax.set_xlabel("years since entry")
    ax.set_ylabel("still in HSR (%)")
    ax.set_title(title or f"Retention of new entrants ({group}), by scenario, with 95% bands")
    ax.grid(alpha=0.3)
    ax.legend(title="scenario", fontsize=8, bbox_to_anchor=(1.01, 1), loc="upper left")
    fig.tight_layout()
    return fig


def equity_gaps_figure(comparison: Any) -> plt.Figure:
    """Each scenario's equity gaps at 10 years (advantaged minus disadvantaged retention) with 95% intervals."""
    runs = _runs(comparison)
    fig, ax = plt.subplots(figsize=(10, 5))
    width = 0.8 / len(runs)
    x = np.arange(len(EQUITY_GAPS))
    for i, (name, run) in enumerate(runs.items()):
        s = run.summary
        mean = np.array([100 * s[m]["mean"] for m in EQUITY_GAPS])
        lo = np.array([100 * s[m]["ci_low"] for m in EQUITY_GAPS])
        hi = np.array([100 * s[m]["ci_high"] for m in EQUITY_GAPS])
        ax.bar(x + (i - (len(runs) - 1) / 2) * width, mean, width, yerr=[mean - lo, hi - mean], capsize=2, label=name)
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xticks(x, [v.replace(" − ", "\n− ") for v in EQUITY_GAPS.values()])
    ax.set_ylabel("gap in retention at 10 years (percentage points)")
    ax.set_xlabel("groups compared (advantaged − disadvantaged; above 0 = inequity)")
    ax.set_title("Equity gaps in 10-year retention by scenario (95% intervals over replicates)")
    ax.grid(axis="y", alpha=0.3)
    ax.legend(title="scenario", fontsize=8, bbox_to_anchor=(1.01, 1), loc="upper left")
    fig.tight_layout()
    return fig


def exits_by_reason_figure(comparison: Any) -> plt.Figure:
    """Mean exits over the horizon per replicate, by reason, for every scenario (stacked bars)."""
    runs = _runs(comparison)
    names = list(runs)
    fig, ax = plt.subplots(figsize=(10, 5))
    left = np.zeros(len(names))
    for reason in EXIT_REASONS:
        values = np.array([runs[n].summary[f"exits_{reason}"]["mean"] for n in names])
        ax.barh(names, values, left=left, label=reason.replace("_", " "))
        left += values
    ax.invert_yaxis()
    ax.set_xlabel("researchers leaving HSR over the horizon (people, mean per replicate)")
    ax.set_ylabel("scenario")
    ax.set_title("Exits by reason")
    ax.grid(axis="x", alpha=0.3)
    ax.legend(title="reason for leaving", fontsize=8, bbox_to_anchor=(1.01, 1), loc="upper left")
    fig.tight_layout()
    return fig


def effects_figure(
    effects: pd.DataFrame, metrics: tuple[str, ...] = ("retention_10y", "exits_funding_gap", "equity_gap_carer_10y")
) -> plt.Figure:
    """Paired effects (scenario − baseline) with 95% intervals, one panel per metric; filled = interval excludes zero."""
    fig, axes = plt.subplots(1, len(metrics), figsize=(5 * len(metrics), 0.5 * effects["scenario"].nunique() + 2), sharey=True)
    for ax, metric in zip(np.atleast_1d(axes), metrics, strict=True):
        sub = effects[effects["metric"] == metric].reset_index(drop=True)
        scale = 100 if metric in PERCENT_METRICS else 1
        y = np.arange(len(sub))
        d, lo, hi = (scale * sub[c].to_numpy(float) for c in ("difference", "ci_low", "ci_high"))
        clear = (lo > 0) | (hi < 0)
        ax.errorbar(d, y, xerr=[d - lo, hi - d], fmt="none", ecolor="0.3", capsize=3)
        ax.scatter(d[clear], y[clear], color="C0", zorder=3, label="interval excludes 0")
        ax.scatter(d[~clear], y[~clear], facecolor="white", edgecolor="C0", zorder=3, label="interval includes 0")
        ax.axvline(0, color="black", lw=0.8)
        ax.set_yticks(y, sub["scenario"])
        ax.set_xlabel(EFFECT_LABELS.get(metric, metric))
        ax.set_title(f"Effect on {metric}")
        ax.grid(axis="x", alpha=0.3)
    axes_list = np.atleast_1d(axes)
    axes_list[0].invert_yaxis()
    axes_list[0].set_ylabel("scenario (vs baseline)")
    axes_list[-1].legend(fontsize=8, loc="lower right")
    fig.suptitle("Policy effects: scenario − baseline, paired by seed (95% intervals)")
    fig.tight_layout()
    return fig


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
            ax.annotate(f"  £{e:,.0f}k", (h, yi), va="center", fontsize=8)
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
        ax.legend(fontsize=8)
    fig.suptitle(f"Dose–response over {factor}")
    fig.tight_layout()
    return fig


def sensitivity_figure(indices: pd.DataFrame, output: str, top: int = 10) -> plt.Figure:
    """Indices for one output from ``indices.csv``: Morris mu* (and sigma) or Sobol' S1 and ST, with 95% intervals."""
    sub = indices[indices["output"] == output].sort_values("rank").head(top)
    method = str(sub["method"].iloc[0]) if len(sub) else "morris"
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(sub) + 2))
    y = np.arange(len(sub))
    if method == "morris":
        ax.barh(y, sub["mu_star"], xerr=sub["mu_star_conf"], color="C0", capsize=3, label="mu* (mean |elementary effect|) ± 95%")
        ax.scatter(sub["sigma"], y, color="C3", marker="D", zorder=3, label="sigma (non-linearity, interactions)")
        unit = "share of entrants, 0 to 1" if ("retention" in output or "equity_gap" in output) else f"units of {output}"
        ax.set_xlabel(f"change in {output} over each factor's range ({unit})")
    else:
        ax.barh(y - 0.2, sub["S1"], 0.4, xerr=sub["S1_conf"], capsize=3, label="S1 (alone)")
        ax.barh(y + 0.2, sub["ST"], 0.4, xerr=sub["ST_conf"], capsize=3, label="ST (with interactions)")
        ax.set_xlabel(f"share of the variance of {output} (0 to 1)")
    ax.set_yticks(y, sub["parameter"])
    ax.invert_yaxis()
    ax.set_ylabel("factor (parameter path)")
    ax.set_title(f"{method.capitalize()} sensitivity of {output}: top {len(sub)} factors")
    ax.grid(axis="x", alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
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
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig
