"""Global sensitivity analysis (SALib Morris screening and Sobol' indices) evaluated through the batch engine.

``analyse_design(evaluator, factors, ...)`` is the pipeline: design from SALib's
``ProblemSpec`` -> every (point, replicate) through the run store's map and the engine
(resumable) -> replicate means -> indices with intervals, noise share and a
convergence check. ``write_results`` writes the files; ``run_sensitivity`` (in
``experiments.sensitivity.run``) does both for a scenario file.

Python use::

    from experiments.sensitivity.run import run_sensitivity
    result = run_sensitivity("scenarios/bridge_funding.yaml", method="morris", n=20, reps=2,
                             out_dir="results/sa_bridge", run_overrides={"run.population": 1000})
    result.indices  # method, output, parameter, mu, mu_star, mu_star_conf, sigma, rank
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from common.limits import too_large
from common.provenance import atomic_write_text
from experiments.engine import Execution
from experiments.errors import InputError, suggest
from experiments.sensitivity.analysis import analyse, convergence, noise_shares
from experiments.sensitivity.design import check_size, design_size, make_design
from experiments.sensitivity.evaluate import Evaluator, evaluate_design, output_array
from experiments.sensitivity.factors import Factor, point_values


@dataclass
class SensitivityResult:
    """Everything one analysis produced (tables as pandas DataFrames)."""

    method: str
    n: int
    reps: int
    factors: list[Factor]
    outputs: list[str]
    X: np.ndarray
    means: pd.DataFrame
    indices: pd.DataFrame
    second_order: pd.DataFrame
    noise: pd.DataFrame
    convergence: pd.DataFrame
    skipped: dict[str, str] = field(default_factory=dict)
    stats: dict[str, Any] = field(default_factory=dict)

    def ranking(self, output: str) -> pd.DataFrame:
        """The indices of one output, most influential factor first."""
        return self.indices[self.indices["output"] == output].sort_values("rank", kind="stable").reset_index(drop=True)


def check_outputs(outputs: Sequence[str], valid: Sequence[str], source: str = "--outputs") -> list[str]:
    """Refuse unknown output names (with the valid ones)."""
    if not outputs:
        raise InputError(f"{source}: no outputs to analyse; valid: {', '.join(valid)}")
    for name in outputs:
        if name not in valid:
            raise InputError(f"{source}: unknown output '{name}'{suggest(name, valid)}; valid: {', '.join(valid)}")
    return list(dict.fromkeys(outputs))


def analyse_design(
    evaluator: Evaluator,
    factors: Sequence[Factor],
    *,
    method: str = "morris",
    n: int = 20,
    reps: int = 2,
    outputs: Sequence[str] | None = None,
    seed: int = 0,
    second_order: bool = False,
    cache_dir: Path | str = "sensitivity_cache",
    execution: Execution | None = None,
) -> SensitivityResult:
    """Sample, evaluate (resumably, through the engine) and analyse; see the module docstring."""
    check_size(method, n)
    if isinstance(reps, bool) or not isinstance(reps, int) or reps < 1:
        raise InputError(f"--reps: replicates per design point must be a whole number of at least 1, got {reps!r}")
    valid = evaluator.output_names()
    outputs = check_outputs(outputs or valid, valid)
    factors = list(factors)
    points = design_size(method, len(factors), n, second_order)
    message = too_large(points * len(factors) * 3 + points * reps * len(valid), f"{method} N={n:,}: {points:,} design points x {reps} reps")
    if message:
        raise InputError(f"-N / --reps: {message}")
    X = make_design(method, factors, n, seed=seed, second_order=second_order)
    points = [point_values(factors, row) for row in X]
    if hasattr(evaluator, "check"):
        evaluator.check(points)
    records, stats = evaluate_design(
        evaluator,
        points,
        reps=reps,
        root_seed=seed,
        cache_dir=Path(cache_dir),
        execution=execution,
    )
    per_rep = {o: output_array(records, o) for o in outputs}
    means = pd.DataFrame({o: np.nanmean(y, axis=1) if np.isfinite(y).any() else np.full(len(y), np.nan) for o, y in per_rep.items()})
    skipped: dict[str, str] = {}
    for o in outputs:
        bad = int((~np.isfinite(means[o])).sum())
        if bad:
            skipped[o] = f"undefined (NaN) at {bad} of {len(means)} design points; use a larger population or longer horizon"
    done = [o for o in outputs if o not in skipped]
    indices = pd.DataFrame()
    s2 = pd.DataFrame()
    conv = pd.DataFrame()
    if done:
        Y = means[done].to_numpy()
        indices, s2 = analyse(method, factors, X, Y, done, second_order=second_order, seed=seed)
        conv = convergence(method, factors, X, Y, done, n, second_order=second_order, seed=seed)
    stats.update({"design_points": len(X), "factors": len(factors)})
    return SensitivityResult(
        method=method,
        n=n,
        reps=reps,
        factors=factors,
        outputs=list(outputs),
        X=X,
        means=means,
        indices=indices,
        second_order=s2,
        noise=noise_shares(per_rep),
        convergence=conv,
        skipped=skipped,
        stats=stats,
    )




def convergence_summary(conv: pd.DataFrame) -> dict[str, dict]:
    """Per output: N/2, N, Spearman rank correlation of the indices, whether the top three agree."""
    if conv.empty:
        return {}
    out = {}
    for output, g in conv.groupby("output", sort=False):
        first = g.iloc[0]
        rho = float(first["spearman"])
        out[output] = {
            "n_half": int(first["n_half"]),
            "n_full": int(first["n_full"]),
            "index": first["index"],
            "spearman": None if np.isnan(rho) else round(rho, 4),
            "top3_same": bool(first["top3_same"]),
            "max_abs_change": float((g["full"] - g["half"]).abs().max()),
        }
    return out


def write_results(result: SensitivityResult, out_dir: Path | str, manifest: dict[str, Any] | None = None, *, figures: bool = True) -> Path:
    """Write ``indices.csv``, ``noise.csv``, ``convergence.csv``, ``design.csv``, figures and ``manifest.json``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_text(out / "indices.csv", result.indices.to_csv(index=False))
    if not result.second_order.empty:
        atomic_write_text(out / "indices_second_order.csv", result.second_order.to_csv(index=False))
    atomic_write_text(out / "noise.csv", result.noise.to_csv(index=False))
    atomic_write_text(out / "convergence.csv", result.convergence.to_csv(index=False))
    design = pd.DataFrame(result.X, columns=[f.path for f in result.factors])
    for f in result.factors:
        if f.integer:
            design[f.path] = design[f.path].round().astype(int)
    atomic_write_text(out / "design.csv", pd.concat([design, result.means.add_prefix("mean_")], axis=1).to_csv(index_label="point"))
    written = []
    if figures and not result.indices.empty:
        from experiments.plots.sensitivity import plot_indices

        written = plot_indices(result.indices, result.method, out / "figures")
    meta = {
        "method": result.method,
        "N": result.n,
        "reps": result.reps,
        "factors": [{"path": f.path, "low": f.low, "high": f.high, "integer": f.integer, "unit": f.unit} for f in result.factors],
        "outputs": [o for o in result.outputs if o not in result.skipped],
        "outputs_skipped": result.skipped,
        "noise_share": {
            r["output"]: None if np.isnan(r["noise_share"]) else round(float(r["noise_share"]), 4) for _, r in result.noise.iterrows()
        },
        "convergence": convergence_summary(result.convergence),
        "evaluation": result.stats,
        "figures": [str(p.relative_to(out)) for p in written],
        **(manifest or {}),
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    atomic_write_text(out / "manifest.json", json.dumps(meta, indent=2, default=str) + "\n")
    return out
