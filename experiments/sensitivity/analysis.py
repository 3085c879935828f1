"""Indices from SALib (Morris mu*/sigma, Sobol' S1/ST/S2), the noise share and the convergence check.

Each design point's output is the mean of its replicates. The noise share of an
output is the replicate (within-point) variance over the total variance of single
runs: the part of the output's spread that is chance rather than the factors. The
convergence check analyses the first half of the design (size ``N/2``) and the whole
(size ``N``) and compares the indices and the ranking.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from experiments.sensitivity.design import MORRIS_LEVELS, make_spec, rows_per_unit
from experiments.sensitivity.factors import Factor

MORRIS_COLUMNS = ["mu", "mu_star", "mu_star_conf", "sigma"]
SOBOL_COLUMNS = ["S1", "S1_conf", "ST", "ST_conf"]
RANK_BY = {"morris": "mu_star", "sobol": "ST"}


def analyse(
    method: str,
    factors: Sequence[Factor],
    X: np.ndarray,
    Y: np.ndarray,
    outputs: Sequence[str],
    *,
    second_order: bool = False,
    seed: int = 0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Indices ``(method, output, parameter, ..., rank)`` and Sobol' second-order pairs (empty otherwise).

    ``Y`` has one column per output, one row per design point (replicate means).
    """
    spec = make_spec(factors, outputs)
    spec.set_samples(X)
    spec.set_results(Y if len(outputs) > 1 else Y[:, 0])
    seed = int(seed) % 2**32
    if method == "morris":
        spec.analyze_morris(num_levels=MORRIS_LEVELS, num_resamples=1000, conf_level=0.95, seed=seed)
    else:
        spec.analyze_sobol(calc_second_order=second_order, num_resamples=200, conf_level=0.95, seed=seed)
    results = spec.analysis if len(outputs) > 1 else {outputs[0]: spec.analysis}
    names = [f.path for f in factors]
    rows, pairs = [], []
    for output in outputs:
        res = results[output]
        cols = MORRIS_COLUMNS if method == "morris" else SOBOL_COLUMNS
        frame = pd.DataFrame({c: np.asarray(res[c], dtype=float) for c in cols})
        frame.insert(0, "parameter", names)
        frame.insert(0, "output", output)
        frame.insert(0, "method", method)
        frame["rank"] = frame[RANK_BY[method]].rank(ascending=False, method="min").astype(int)
        rows.append(frame.sort_values("rank", kind="stable"))
        if method == "sobol" and second_order:
            s2, s2c = np.asarray(res["S2"]), np.asarray(res["S2_conf"])
            for i in range(len(names)):
                for j in range(i + 1, len(names)):
                    pairs.append(
                        {
                            "method": method,
                            "output": output,
                            "parameter_1": names[i],
                            "parameter_2": names[j],
                            "S2": s2[i, j],
                            "S2_conf": s2c[i, j],
                        }
                    )
    s2_frame = pd.DataFrame(pairs, columns=["method", "output", "parameter_1", "parameter_2", "S2", "S2_conf"])
    return pd.concat(rows, ignore_index=True), s2_frame


def noise_shares(per_rep: dict[str, np.ndarray]) -> pd.DataFrame:
    """Per output: replicate variance, total variance, their ratio, and the noise share left in the point means.

    ``per_rep[output]`` is a ``(points, reps)`` array. ``noise_share`` is the mean
    within-point variance over the variance of all single runs; ``noise_share_of_means``
    is that replicate variance divided by ``reps`` over the variance of the point means
    (what the indices are computed from). Both need at least two replicates.
    """
    rows = []
    for output, y in per_rep.items():
        reps = y.shape[1]
        within = float(np.nanmean(np.nanvar(y, axis=1, ddof=1))) if reps > 1 else np.nan
        total = float(np.nanvar(y, ddof=1))
        means_var = float(np.nanvar(np.nanmean(y, axis=1), ddof=1))
        rows.append(
            {
                "output": output,
                "reps": reps,
                "replicate_var": within,
                "total_var": total,
                "noise_share": within / total if total > 0 else np.nan,
                "noise_share_of_means": (within / reps) / means_var if means_var > 0 else np.nan,
            }
        )
    return pd.DataFrame(rows)


def convergence(
    method: str,
    factors: Sequence[Factor],
    X: np.ndarray,
    Y: np.ndarray,
    outputs: Sequence[str],
    n: int,
    *,
    second_order: bool = False,
    seed: int = 0,
) -> pd.DataFrame:
    """Indices at ``N/2`` (first half of the design) and ``N`` side by side, with rank agreement per output.

    Columns: ``output, parameter, n_half, n_full, index, half, full, rank_half, rank_full,
    spearman, top3_same`` (the last two repeated on each row of an output).
    """
    half = n // 2
    if half < 2:
        return pd.DataFrame()
    rows_half = half * rows_per_unit(method, len(factors), second_order)
    small, _ = analyse(method, factors, X[:rows_half], Y[:rows_half], outputs, second_order=second_order, seed=seed)
    full, _ = analyse(method, factors, X, Y, outputs, second_order=second_order, seed=seed)
    key = RANK_BY[method]
    merged = full[["output", "parameter", key, "rank"]].merge(
        small[["output", "parameter", key, "rank"]], on=["output", "parameter"], suffixes=("_full", "_half")
    )
    frames = []
    for output, g in merged.groupby("output", sort=False):
        rho = spearmanr(g[f"{key}_half"], g[f"{key}_full"]).statistic if g[f"{key}_full"].nunique() > 1 else np.nan
        top_half = set(g.nsmallest(3, "rank_half")["parameter"])
        top_full = set(g.nsmallest(3, "rank_full")["parameter"])
        frames.append(
            pd.DataFrame(
                {
                    "output": output,
                    "parameter": g["parameter"],
                    "n_half": half,
                    "n_full": n,
                    "index": key,
                    "half": g[f"{key}_half"],
                    "full": g[f"{key}_full"],
                    "rank_half": g["rank_half"],
                    "rank_full": g["rank_full"],
                    "spearman": float(rho),
                    "top3_same": top_half == top_full,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)
