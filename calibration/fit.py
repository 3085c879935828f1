"""The fit table: observed proportion with its 95% Wilson interval against the simulated mean and SD.

Whether a target fits is decided by the one acceptance rule (``calibration.stats``): its
implausibility, with the tolerance as a dead band, at most the cut-off. History matching
uses the same function, so ``calibrate --check`` and the calibration agree.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from calibration.stats import CUTOFF, acceptance_interval, implausibility
from calibration.targets import Target

FIT_COLUMNS = [
    "target", "observed", "obs_ci_low", "obs_ci_high", "simulated_mean", "simulated_sd", "accepted", "within_ci",
    "accept_low", "accept_high", "tolerance", "bound", "implausibility", "role", "n", "reps", "measure", "year", "source",
]  # fmt: skip


def moments(runs: Sequence[dict[str, float]], name: str) -> tuple[float, float, int]:
    """Mean, SD (ddof 1) and count of the finite values of one measure over replicates."""
    vals = np.array([r[name] for r in runs if r.get(name) is not None and math.isfinite(r[name])], dtype=float)
    if len(vals) == 0:
        return math.nan, math.nan, 0
    return float(vals.mean()), float(vals.std(ddof=1)) if len(vals) > 1 else 0.0, len(vals)


def target_implausibility(t: Target, runs: Sequence[dict[str, float]]) -> float:
    """Implausibility of one target given replicate measures at one parameter point."""
    mean, sd, k = moments(runs, t.measure)
    return implausibility(t.value, mean, sd**2, k, t.obs_var, t.discrepancy_sd, t.bound, t.tolerance)


def max_implausibility(targets: Sequence[Target], runs: Sequence[dict[str, float]]) -> float:
    """Largest implausibility over the fitted targets."""
    return max(target_implausibility(t, runs) for t in targets if t.role == "fit")


def sum_sq_implausibility(targets: Sequence[Target], runs: Sequence[dict[str, float]]) -> float:
    """Sum of squared implausibilities over the fitted targets (overall fit; a chi-square-like score)."""
    return float(sum(target_implausibility(t, runs) ** 2 for t in targets if t.role == "fit"))


def fit_table(targets: Sequence[Target], runs: Sequence[dict[str, float]], cutoff: float = CUTOFF) -> pd.DataFrame:
    """One row per target. ``accepted``: implausibility at most ``cutoff`` (the rule history matching uses);
    ``accept_low``/``accept_high``: the simulated means that rule accepts with these replicates;
    ``within_ci`` (descriptive): the mean lies in the observed 95% Wilson interval widened by the tolerance."""
    rows = []
    for t in targets:
        mean, sd, k = moments(runs, t.measure)
        lo, hi = t.ci
        wlo, whi = t.accept
        rep_var = sd**2 / k if k > 0 and math.isfinite(sd) else 0.0
        alo, ahi = acceptance_interval(t.value, math.sqrt(t.obs_var + t.discrepancy_sd**2 + rep_var), t.tolerance, t.bound, cutoff)
        imp = target_implausibility(t, runs)
        rows.append(
            {
                "target": t.name,
                "observed": t.value,
                "obs_ci_low": round(lo, 4),
                "obs_ci_high": round(hi, 4),
                "simulated_mean": round(mean, 4),
                "simulated_sd": round(sd, 4),
                "accepted": bool(imp <= cutoff),
                "within_ci": bool(wlo <= mean <= whi) if math.isfinite(mean) else False,
                "accept_low": round(alo, 4),
                "accept_high": round(ahi, 4),
                "tolerance": t.tolerance,
                "bound": t.bound,
                "implausibility": round(imp, 2),
                "role": t.role,
                "n": t.n,
                "reps": k,
                "measure": t.measure,
                "year": t.year,
                "source": t.source,
            }
        )
    return pd.DataFrame(rows, columns=FIT_COLUMNS)


def check_passes(table: pd.DataFrame) -> bool:
    """True when every fitted target is accepted by the one rule (implausibility at most the cut-off)."""
    fitted = table[table["role"] == "fit"]
    return bool(len(fitted)) and bool(fitted["accepted"].all())


def markdown(table: pd.DataFrame, columns: Sequence[str] | None = None) -> str:
    """A GitHub-flavoured markdown rendering (for docs and the terminal)."""
    cols = list(columns or table.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for _, row in table[cols].iterrows():
        cells = [f"{v:.3g}" if isinstance(v, float) and abs(v) < 1e6 and v == v and not float(v).is_integer() else str(v) for v in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
