"""History matching over space-filling designs, run through a supplied evaluate callable.

Wave 1 is a scrambled Sobol' design over the prior box of the free parameters; each later
wave is a Sobol' design over the bounding box of the not-ruled-out-yet (NROY)
points so far, widened by 10% of the box on each side and clipped to the prior.
Every point is simulated with the same replicate seeds (common random numbers) and
judged by its largest implausibility over the fitted targets (observation,
model-discrepancy and replicate-mean variance). The best NROY points and the NROY
median point are then re-run with more, fresh replicates and the one with the best fit is the
calibrated point: fewest fitted targets outside their intervals, then the lowest sum
of squared implausibilities (the best overall fit, not just the least-bad target). The NROY set gives the parameter uncertainty (median and 90% range).

Reproducible under the set-up's seed. Resumable through the evaluate callable: the
command line hands in one that keeps every finished run in the project's run store,
so calibration itself holds no cache (and imports nothing from ``experiments``).
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import qmc

from calibration.fit import fit_table, max_implausibility, moments, sum_sq_implausibility, target_implausibility
from calibration.free_parameters import FreeParameter, Setup
from calibration.simulate import Evaluate, replicate_seeds
from calibration.targets import Target, TargetsError
from common.limits import too_large
from model.config import ModelConfig

WIDEN = 0.10


@dataclass
class CalibrationResult:
    """Everything a calibration produced."""

    design: pd.DataFrame  # one row per design point: wave, parameters, per-target means and implausibilities, nroy
    calibrated: dict[str, float]
    fit: pd.DataFrame
    parameters: pd.DataFrame
    confirm: pd.DataFrame
    stats: dict = field(default_factory=dict)


def sobol(d: int, n: int, seed: list[int]) -> np.ndarray:
    """First ``n`` points of a seeded scrambled Sobol' sequence: a smaller budget uses a prefix of a larger one,
    so cached runs are reused when a calibration is rerun with a different budget."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*balance properties.*")
        return qmc.Sobol(d=d, scramble=True, rng=np.random.default_rng(seed)).random(n)


def scale(unit: np.ndarray, box: Sequence[tuple[float, float]], free: Sequence[FreeParameter]) -> list[dict[str, float]]:
    """Map unit-cube rows to parameter dictionaries (rounded so cache keys are stable)."""
    points = []
    for row in unit:
        point = {}
        for u, (lo, hi), p in zip(row, box, free, strict=True):
            v = lo + float(u) * (hi - lo)
            point[p.path] = float(round(v)) if p.integer else round(v, 6)
        points.append(point)
    return points


def next_box(points: Sequence[dict[str, float]], free: Sequence[FreeParameter]) -> list[tuple[float, float]]:
    """Bounding box of ``points`` widened by 10% of its width (at least 2% of the prior), clipped to the prior."""
    out = []
    for p in free:
        vals = [pt[p.path] for pt in points]
        lo, hi = min(vals), max(vals)
        pad = max(WIDEN * (hi - lo), 0.02 * (p.high - p.low))
        out.append((max(p.low, lo - pad), min(p.high, hi + pad)))
    return out


class _Runner:
    """Runs (point, seed) pairs through the evaluate callable; counts what it did.

    An evaluate callable with ``ran`` and ``cached`` counters (the command line's, over
    the run store) says how many runs it took from its store; otherwise every run counts
    as evaluated.
    """

    def __init__(self, evaluate: Evaluate, progress: Callable[[str], None]) -> None:
        self.evaluate, self.progress = evaluate, progress
        self.requested = 0

    @property
    def cached(self) -> int:
        """Runs the evaluate callable read from its store."""
        return int(getattr(self.evaluate, "cached", 0))

    @property
    def ran(self) -> int:
        """Runs actually simulated."""
        return int(getattr(self.evaluate, "ran", self.requested))

    def runs(self, points: Sequence[dict[str, float]], seeds: Sequence[int], label: str) -> list[list[dict[str, float]]]:
        todo = [(i, j) for i in range(len(points)) for j in range(len(seeds))]
        out: list[list[dict | None]] = [[None] * len(seeds) for _ in points]
        self.progress(f"{label}: {len(todo)} runs")
        t0 = time.perf_counter()
        for done, (k, measures) in enumerate(self.evaluate([(points[i], seeds[j]) for i, j in todo]), start=1):
            i, j = todo[k]
            out[i][j] = measures
            if done % max(1, len(todo) // 5) == 0:
                self.progress(f"  {done}/{len(todo)} runs ({time.perf_counter() - t0:.0f} s)")
        self.requested += len(todo)
        return out  # type: ignore[return-value]


def _rows(wave: int, points, runs, targets: Sequence[Target], cutoff: float) -> list[dict]:
    rows = []
    for pt, rr in zip(points, runs, strict=True):
        row = {"wave": wave, **pt}
        for t in targets:
            row[f"mean:{t.name}"] = moments(rr, t.measure)[0]
            row[f"I:{t.name}"] = target_implausibility(t, rr)
        row["I_max"] = max_implausibility(targets, rr)
        row["I2_sum"] = sum_sq_implausibility(targets, rr)
        row["nroy"] = bool(row["I_max"] < cutoff)
        rows.append(row)
    return rows


def plan(budget: int, setup: Setup) -> tuple[int, int]:
    """Points per wave and confirmation runs for a budget of model runs."""
    s = setup.settings
    confirm_runs = s.confirm_candidates * s.confirm_reps
    message = too_large(budget * (3 * len(setup.free) + 20), f"--budget {budget:,} runs")
    if message:
        raise TargetsError(message)
    per_wave = (budget - confirm_runs) // (s.waves * s.reps)
    if per_wave < 2 * len(setup.free):
        need = confirm_runs + s.waves * s.reps * 2 * len(setup.free)
        raise TargetsError(f"--budget {budget}: too small for {len(setup.free)} free parameters; need at least {need} runs")
    return per_wave, confirm_runs


def history_match(
    targets: Sequence[Target],
    setup: Setup,
    config: ModelConfig,
    evaluate: Evaluate,
    budget: int,
    progress: Callable[[str], None] = print,
) -> CalibrationResult:
    """Calibrate ``setup.free`` to ``targets`` with at most ``budget`` model runs; see the module docstring."""
    t_start = time.perf_counter()
    s, free = setup.settings, setup.free
    runner = _Runner(evaluate, progress)
    per_wave, _ = plan(budget, setup)
    seeds = replicate_seeds(s.seed, s.reps, stream=0)
    box = [(p.low, p.high) for p in free]
    rows: list[dict] = []
    for wave in range(1, s.waves + 1):
        unit = sobol(len(free), per_wave, [s.seed, wave])
        points = scale(unit, box, free)
        rows += _rows(wave, points, runner.runs(points, seeds, f"wave {wave}"), targets, s.cutoff)
        design = pd.DataFrame(rows)
        nroy = design[design["nroy"]]
        progress(f"wave {wave}: {int(design['wave'].eq(wave).sum())} points, NROY so far {len(nroy)} of {len(design)}")
        keep = nroy if len(nroy) >= 2 else design.nsmallest(max(2, len(design) // 10), "I_max")
        box = next_box(keep[[p.path for p in free]].to_dict("records"), free)
    design = pd.DataFrame(rows)
    nroy = design[design["nroy"]]
    pool = nroy if len(nroy) else design
    cols = [p.path for p in free]
    median = {p.path: (float(round(pool[p.path].median())) if p.integer else round(float(pool[p.path].median()), 6)) for p in free}
    cands = [median] + pool.nsmallest(max(1, s.confirm_candidates - 1), "I2_sum")[cols].to_dict("records")
    confirm_seeds = replicate_seeds(s.seed, s.confirm_reps, stream=1)
    confirm_runs = runner.runs(cands, confirm_seeds, "confirmation")
    scores = [sum_sq_implausibility(targets, rr) for rr in confirm_runs]
    outside = [int((~fit_table([t for t in targets if t.role == "fit"], rr)["within_ci"]).sum()) for rr in confirm_runs]
    best = min(range(len(cands)), key=lambda i: (outside[i], scores[i]))
    confirm = pd.DataFrame(
        [
            {**c, "I_max": max_implausibility(targets, rr), "I2_sum": sc, "outside_ci": outside[i], "chosen": i == best}
            for i, (c, rr, sc) in enumerate(zip(cands, confirm_runs, scores, strict=True))
        ]
    )
    params = parameter_table(free, pool, cands[best], nroy_found=len(nroy) > 0)
    stats = {
        "budget": budget,
        "runs_evaluated": runner.ran,
        "runs_cached": runner.cached,
        "design_points": len(design),
        "nroy_points": len(nroy),
        "nroy_fraction_wave1": float(design.loc[design["wave"] == 1, "nroy"].mean()),
        "confirm_reps": s.confirm_reps,
        "chosen_I_max": float(confirm.loc[best, "I_max"]),
        "chosen_I2_sum": scores[best],
        "wall_seconds": round(time.perf_counter() - t_start, 1),
    }
    return CalibrationResult(design, cands[best], fit_table(targets, confirm_runs[best]), params, confirm, stats)


def parameter_table(free: Sequence[FreeParameter], pool: pd.DataFrame, chosen: dict[str, float], nroy_found: bool) -> pd.DataFrame:
    """Prior range, calibrated value, NROY median and 90% interval, and how much the interval shrank."""
    rows = []
    for p in free:
        v = pool[p.path].to_numpy(dtype=float)
        q05, q50, q95 = (float(np.quantile(v, q)) for q in (0.05, 0.5, 0.95))
        rows.append(
            {
                "parameter": p.path,
                "prior_low": p.low,
                "prior_high": p.high,
                "default": p.default,
                "calibrated": chosen[p.path],
                "nroy_median": round(q50, 4),
                "nroy_q05": round(q05, 4),
                "nroy_q95": round(q95, 4),
                "width_ratio": round((q95 - q05) / (p.high - p.low), 3) if nroy_found else math.nan,
                "why": p.why,
            }
        )
    return pd.DataFrame(rows)
