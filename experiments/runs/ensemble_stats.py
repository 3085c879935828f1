"""Policy effects over an ensemble: the law of total variance across parameter sets and replicates.

For one policy and metric, ``d[s, r]`` is the paired effect (policy − baseline, same
seed) at parameter set ``s`` and replicate ``r``. Over the ensemble,

    Var(d) = Var_s(E[d | s]) + E_s[Var(d | s)]
             parameter          stochastic noise

fitted as a one-way random-effects model by REML (``experiments.runs.variance_split``):
``B`` (between sets) and ``W`` (within). ``sd_parameter = √B`` is how much the effect
itself varies over parameter values the calibration cannot rule out (more runs do not
shrink it; better data does); ``sd_noise = √W`` is the run-to-run noise of one
simulated realisation at this population size. ``parameter_share = B/(B + W)`` comes
with its 95% interval (``parameter_share_low/high``, from the F distribution of the
between/within mean-square ratio): a share of 0% whose interval reaches 30% means the
design cannot tell, not that parameters do not matter. The total interval is
``mean ± 1.96·√(B + W)``: where the effect of one realisation at a not-ruled-out
parameter value falls. ``mean_ci`` is the Monte-Carlo interval of the ensemble mean.

Ratios (cost per additional researcher-year) are ratios of mean differences: per set
the ratio of the set's mean differences, its noise variance by the delta method (so
their ``sd_noise`` is that of a set's R-replicate estimate, column ``level``; the share
interval treats that noise variance as estimated on K(R − 1) degrees of freedom, and the
share is left empty when the set ratios agree more closely than that noise allows, as
happens when the denominator is near zero and the delta method fails).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from experiments.runs.variance_split import one_way_split, share_interval
from model import outcomes

Z95 = 1.959963984540054
NOT_EFFECTS = ("cost_per_researcher_retained",)  # a level, not an effect


def intended_sign(metric: str) -> int:
    """+1 when a policy should raise ``metric``, −1 when it should lower it, 0 when neither (the outcome registry says which).

    Costs rise with any policy, so "has the intended sign" says nothing about them: their intended sign is 0.
    """
    return outcomes.get(metric).intended_sign


def better_direction(metric: str) -> int:
    """The direction in which one policy beats another on ``metric`` (higher where nothing is declared)."""
    return outcomes.get(metric).sign or 1


def ratio_pair(metrics: list[str]) -> dict[str, tuple[str, str]]:
    """The ratio effects available: discounted cost per discounted researcher-year when the metrics exist."""
    num = "policy_cost_pv" if "policy_cost_pv" in metrics else "policy_cost"
    den = "researcher_years_pv" if "researcher_years_pv" in metrics else "researcher_years"
    return {"cost_per_additional_researcher_year": (num, den)} if num in metrics and den in metrics else {}


def decompose(d: np.ndarray) -> dict[str, float]:
    """Variance split of ``d[set, rep]`` (NaN cells ignored): mean, B, W, share with interval, intervals."""
    d = np.asarray(d, dtype=float)
    ok = np.isfinite(d)
    d, ok = d[ok.any(axis=1)], ok[ok.any(axis=1)]
    split = one_way_split(d)
    if split is None:
        return {"k": int(len(d))}
    means = np.array([row[m].mean() for row, m in zip(d, ok, strict=True)])
    return _summary(split.mean, means, split.between, split.within, split.k, split.r, d[ok], (split.share_low, split.share_high))


def _summary(
    mean: float, means: np.ndarray, b: float, w: float, k: int, r: float, runs: np.ndarray, share_ci: tuple[float, float]
) -> dict[str, float]:
    total = math.sqrt(b + w)
    se = float(np.std(means, ddof=1) / math.sqrt(k))
    t = float(stats.t.ppf(0.975, k - 1))
    return {
        "mean": mean,
        "ci_low": mean - Z95 * total,
        "ci_high": mean + Z95 * total,
        "param_low": mean - Z95 * math.sqrt(b),
        "param_high": mean + Z95 * math.sqrt(b),
        "sd_parameter": math.sqrt(b),
        "sd_noise": math.sqrt(w),
        "parameter_share": b / (b + w) if b + w > 0 else math.nan,
        "parameter_share_low": share_ci[0],
        "parameter_share_high": share_ci[1],
        "mean_ci_low": mean - t * se,
        "mean_ci_high": mean + t * se,
        "k": k,
        "reps": r,
        "_set_means": means,
        "_runs": runs,
    }


def decompose_ratio(num: np.ndarray, den: np.ndarray) -> dict[str, float]:
    """The split for a ratio of mean differences (per set), noise by the delta method."""
    num, den = np.asarray(num, float), np.asarray(den, float)
    ratios, noise = [], []
    for n_row, d_row in zip(num, den, strict=True):
        ok = np.isfinite(n_row) & np.isfinite(d_row)
        n, dd = n_row[ok], d_row[ok]
        if len(n) < 2 or dd.mean() == 0:
            continue
        rho = n.mean() / dd.mean()
        ratios.append(rho)
        noise.append(np.var(n - rho * dd, ddof=1) / len(n) / dd.mean() ** 2)
    k = len(ratios)
    if k < 2:
        return {"k": k}
    ratios_a = np.array(ratios)
    w = float(np.mean(noise))
    b = max(float(np.var(ratios_a, ddof=1)) - w, 0.0)
    reps = float(np.isfinite(num).sum(axis=1).mean())
    share_ci = share_interval(float(np.var(ratios_a, ddof=1)), w, k - 1, k * (reps - 1), 1.0)
    out = _summary(float(np.nanmean(num) / np.nanmean(den)) if np.nanmean(den) else math.nan, ratios_a, b, w, k, 1.0, ratios_a, share_ci)
    out["reps"] = reps
    if not share_ci[1] > 0:  # set ratios agree more than their delta-method noise allows: that noise is not trustworthy
        out.update(parameter_share=math.nan, parameter_share_low=math.nan, parameter_share_high=math.nan)
    return out


def effect_table(runs: pd.DataFrame, baseline: str) -> tuple[pd.DataFrame, dict]:
    """Effects of every scenario vs ``baseline`` from ``runs`` (columns set, scenario, rep, <metrics>).

    Returns the table and, per (scenario, metric), the per-set means (for the figure and
    the pairwise table).
    """
    metrics = [c for c in runs.columns if c not in ("set", "scenario", "rep") and c not in NOT_EFFECTS]
    base = runs[runs["scenario"] == baseline].set_index(["set", "rep"]).sort_index()
    rows, per_set = [], {}
    for name, g in runs[runs["scenario"] != baseline].groupby("scenario", sort=False):
        g = g.set_index(["set", "rep"]).sort_index()
        diff = g[metrics] - base.loc[g.index, metrics]
        for m in metrics:
            grid = diff[m].unstack("rep").to_numpy()
            rows.append(_row(name, m, "run", decompose(grid), base[m].mean(), per_set))
        for m, (num, den) in ratio_pair(metrics).items():
            res = decompose_ratio(diff[num].unstack("rep").to_numpy(), diff[den].unstack("rep").to_numpy())
            rows.append(_row(name, m, "set mean", res, math.nan, per_set))
    return pd.DataFrame(rows), per_set


def _row(name: str, metric: str, level: str, res: dict, baseline_mean: float, per_set: dict) -> dict:
    sign = intended_sign(metric)
    set_means, run_values = res.pop("_set_means", np.array([])), res.pop("_runs", np.array([]))
    per_set[(name, metric)] = set_means
    p_sets = float(np.mean(np.sign(set_means) == sign)) if sign and len(set_means) else math.nan
    p_runs = float(np.mean(np.sign(run_values) == sign)) if sign and len(run_values) else math.nan
    return {
        "scenario": name, "metric": metric, "level": level, "intended_sign": sign, "baseline_mean": baseline_mean,
        **{k: res.get(k, math.nan) for k in ("mean", "ci_low", "ci_high", "param_low", "param_high", "sd_parameter", "sd_noise",
                                             "parameter_share", "parameter_share_low", "parameter_share_high", "mean_ci_low", "mean_ci_high")},
        "p_intended_sign": p_sets, "p_intended_sign_runs": p_runs, "k": res.get("k", 0), "reps": res.get("reps", math.nan),
    }  # fmt: skip


def pairwise(per_set: dict, scenarios: list[str]) -> pd.DataFrame:
    """For every ordered pair of policies and metric: share of parameter sets where A does better than B.

    "Better" is the metric's intended direction (higher where none is declared); set
    means share seeds, so each comparison is paired.
    """
    rows = []
    metrics = sorted({m for (_, m) in per_set})
    for i, a in enumerate(scenarios):
        for b in scenarios[i + 1 :]:
            for m in metrics:
                ea, eb = per_set.get((a, m)), per_set.get((b, m))
                if ea is None or eb is None or len(ea) != len(eb) or not len(ea):
                    continue
                sign = better_direction(m)
                diff = (ea - eb) * sign
                rows.append({"policy_a": a, "policy_b": b, "metric": m, "p_a_better": float(np.mean(diff > 0)),
                             "mean_difference": float(np.mean(ea - eb)), "k": len(ea)})  # fmt: skip
    return pd.DataFrame(rows, columns=["policy_a", "policy_b", "metric", "p_a_better", "mean_difference", "k"])


def convergence(runs: pd.DataFrame, baseline: str, metrics: list[str]) -> pd.DataFrame:
    """Interval widths using the first k sets, k = 2, 3, 5, 8, ... K: is K enough?"""
    K = int(runs["set"].nunique())
    ks = sorted({k for k in (2, 3, 5, 8, 12, 16, 24, 32, 48, 64, 96, 128) if k <= K} | {K})
    rows = []
    for k in ks:
        table, _ = effect_table(runs[runs["set"] < k], baseline)
        for _, r in table[table["metric"].isin(metrics)].iterrows():
            rows.append({"k": k, "scenario": r["scenario"], "metric": r["metric"], "mean": r["mean"],
                         "total_width": r["ci_high"] - r["ci_low"], "parameter_width": r["param_high"] - r["param_low"],
                         "mean_ci_width": r["mean_ci_high"] - r["mean_ci_low"]})  # fmt: skip
    return pd.DataFrame(rows)
