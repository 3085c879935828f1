"""Multi-wave history matching with Gaussian-process emulators, run through a supplied evaluate callable.

Wave 1 runs a scrambled Sobol' design over the prior box. After every wave, emulators of
each fitted target's mean and run-to-run variance (``calibration.emulator``) are fitted
to the runs inside the current not-ruled-out-yet (NROY) space and screen a large
Sobol' pool of candidate points at almost no cost: a candidate stays NROY only if every
wave's emulators so far find it plausible. The share of the prior pool still NROY
estimates the NROY volume; each wave's design is a maximin subset of the surviving
candidates, so the runs concentrate where the answer can be (Vernon et al. 2010;
Andrianakis et al. 2015; McCulloch et al. 2022).

One acceptance rule everywhere (``calibration.stats.implausibility``, the tolerance as a
dead band): a simulated point is NROY when its largest implausibility over the fitted
targets is at most the cut-off; an emulated one when the same holds with the emulator's
variance and the emulated run-to-run variance added. Parameters that only scale one
target's measure are solved for at each point (``calibration.solved``), not searched.

The best simulated NROY points and the NROY median are re-run with more, fresh replicates;
the one with the fewest fitted targets not accepted, then the lowest sum of squared
implausibilities, is the calibrated point. Reproducible under the set-up's seed, and
resumable through the evaluate callable (the command line's keeps every run in the run
store): a rerun refits the same emulators on the same stored runs and so picks the same
points.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from calibration import emulator as gp
from calibration.design import jitter as jitter_points
from calibration.design import maximin, scale, sobol, to_unit
from calibration.fit import fit_table, max_implausibility, moments, sum_sq_implausibility, target_implausibility
from calibration.free_parameters import FreeParameter, Setup
from calibration.simulate import Evaluate, replicate_seeds
from calibration.solved import solve
from calibration.stats import implausibility
from calibration.targets import Target, TargetsError
from common.limits import too_large
from model.config import ModelConfig


@dataclass
class CalibrationResult:
    """Everything a calibration produced."""

    design: pd.DataFrame  # one row per design point: wave, parameters, per-target means and implausibilities, nroy
    calibrated: dict[str, float]
    fit: pd.DataFrame
    parameters: pd.DataFrame
    confirm: pd.DataFrame
    stats: dict = field(default_factory=dict)
    waves: pd.DataFrame = field(default_factory=pd.DataFrame)  # per wave: NROY volume and each parameter's range
    emulators: pd.DataFrame = field(default_factory=pd.DataFrame)  # per wave and target: leave-one-out diagnostics


class _Runner:
    """Runs (point, seed) pairs through the evaluate callable; counts what it did."""

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


def _solve_all(setup: Setup, targets: Sequence[Target], runs: list[dict]) -> tuple[dict[str, float], list[dict]]:
    """Solve every nuisance parameter at one point: (solved values, replicate measures adjusted to them)."""
    by_name = {t.name: t for t in targets}
    values = {}
    for sp in setup.solved:
        t = by_name[sp.target]
        values[sp.path], runs = solve(sp, t.value, t.measure, runs)
    return values, runs


def _row(wave: int, pt: dict, runs: list[dict], targets: Sequence[Target], setup: Setup) -> tuple[dict, list[dict]]:
    solved, runs = _solve_all(setup, targets, runs)
    row = {"wave": wave, **pt, **solved}
    for t in targets:
        mean, sd, _ = moments(runs, t.measure)
        row[f"mean:{t.name}"], row[f"var:{t.name}"] = mean, sd**2
        row[f"I:{t.name}"] = target_implausibility(t, runs)
    row["I_max"] = max_implausibility(targets, runs)
    row["I2_sum"] = sum_sq_implausibility(targets, runs)
    row["nroy"] = bool(row["I_max"] <= setup.settings.cutoff)
    return row, runs


def plan(budget: int, setup: Setup) -> tuple[int, int]:
    """Points per wave and confirmation runs for a budget of model runs."""
    s = setup.settings
    confirm_runs = s.confirm_candidates * s.confirm_reps
    message = too_large(budget * (3 * len(setup.free) + 20), f"--budget {budget:,} runs")
    if message:
        raise TargetsError(message)
    per_wave = (budget - confirm_runs) // (max(1, s.waves) * s.reps)
    if per_wave < 2 * len(setup.free) or s.reps < 2:
        need = confirm_runs + s.waves * max(2, s.reps) * 2 * len(setup.free)
        raise TargetsError(f"--budget {budget}: too small for {len(setup.free)} free parameters and {s.reps} replicates; need at least {need} runs")
    return per_wave, confirm_runs


class Screen:
    """Each wave's emulators; a candidate is NROY while every wave's emulators find it plausible."""

    def __init__(self, targets: Sequence[Target], cutoff: float, reps: int) -> None:
        self.targets = [t for t in targets if t.role == "fit"]
        self.cutoff, self.reps = cutoff, reps
        self.waves: list[dict[str, gp.Emulator]] = []

    def add(self, u: np.ndarray, design: pd.DataFrame, seed: int) -> pd.DataFrame:
        """Fit this wave's emulators on the design rows at ``u``; return their leave-one-out diagnostics."""
        ems, rows = {}, []
        for t in self.targets:
            means = design[f"mean:{t.name}"].to_numpy(float)
            variances = design[f"var:{t.name}"].to_numpy(float)
            ems[t.name] = em = gp.fit(u, means, variances, self.reps, seed)
            diag = gp.loo(em)
            rows.append({"wave": len(self.waves) + 1, "target": t.name, **{k: v for k, v in diag.items() if k != "std_errors"}})
        self.waves.append(ems)
        return pd.DataFrame(rows)

    def implausibility(self, u: np.ndarray, wave: int | None = None) -> np.ndarray:
        """Largest emulated implausibility of each candidate over the targets, under one wave's emulators (default: the last)."""
        ems = self.waves[-1 if wave is None else wave]
        worst = np.zeros(len(u))
        for t in self.targets:
            mean, em_var, rep_var = ems[t.name].predict(u)
            imp = implausibility(t.value, mean, rep_var, self.reps, t.obs_var, t.discrepancy_sd, t.bound, t.tolerance, em_var)
            worst = np.maximum(worst, imp)
        return worst

    def keep(self, u: np.ndarray) -> np.ndarray:
        """Mask of candidates every wave's emulators keep."""
        ok = np.ones(len(u), dtype=bool)
        for w in range(len(self.waves)):
            if ok.any():
                ok[ok] = self.implausibility(u[ok], w) <= self.cutoff
        return ok


def _ranges(wave: int, pool: np.ndarray, kept: np.ndarray, extra: np.ndarray, free: Sequence[FreeParameter], runs: int) -> dict:
    """One row of the wave table: NROY volume (share of the prior pool kept) and each parameter's NROY range."""
    row: dict = {"wave": wave, "runs": runs, "nroy_volume": float(kept.mean()), "nroy_candidates": int(kept.sum())}
    pts = np.vstack([pool[kept], extra]) if len(extra) else pool[kept]
    for i, p in enumerate(free):
        if len(pts):
            v = p.low + pts[:, i] * (p.high - p.low)
            row[f"{p.path}:low"], row[f"{p.path}:high"] = float(np.quantile(v, 0.005)), float(np.quantile(v, 0.995))
        else:
            row[f"{p.path}:low"] = row[f"{p.path}:high"] = np.nan
    return row


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
    names = {t.name for t in targets}
    for sp in setup.solved:
        if sp.target not in names:
            raise TargetsError(f"solved parameter {sp.path}: unknown target {sp.target!r}; valid: {', '.join(sorted(names))}")
    runner = _Runner(evaluate, progress)
    per_wave, _ = plan(budget, setup)
    seeds = replicate_seeds(s.seed, s.reps, stream=0)
    d = len(free)
    pool = sobol(d, s.candidates, [s.seed, 0])  # the prior pool: its share kept estimates the NROY volume
    extra = np.zeros((0, d))  # candidates added near survivors when the kept pool is too thin to choose from
    screen = Screen(targets, s.cutoff, s.reps)
    rows: list[dict] = []
    wave_rows = [_ranges(0, pool, np.ones(len(pool), bool), extra, free, 0)]
    loo_tables = []
    kept = np.ones(len(pool), dtype=bool)
    for wave in range(1, s.waves + 1):
        if wave == 1:
            unit = sobol(d, per_wave, [s.seed, 1])
        else:
            cand = np.vstack([pool[kept], extra])
            if len(cand) == 0:
                progress(f"wave {wave}: the emulators rule out every candidate; stopping")
                break
            unit = maximin(cand, per_wave, s.seed + wave, taken=to_unit(rows, free))
        points = scale(unit, free)
        for pt, rr in zip(points, runner.runs(points, seeds, f"wave {wave}"), strict=True):
            rows.append(_row(wave, pt, rr, targets, setup)[0])
        design = pd.DataFrame(rows)
        u_all = to_unit(rows, free)
        inside = screen.keep(u_all) if screen.waves else np.ones(len(rows), dtype=bool)
        loo_tables.append(screen.add(u_all[inside], design[inside], s.seed + wave))
        kept &= screen.keep(pool)
        extra = extra[screen.keep(extra)] if len(extra) else extra
        if kept.sum() + len(extra) < 4 * per_wave and kept.sum() + len(extra) > 0:
            seeds_pts = np.vstack([pool[kept], extra])
            more = jitter_points(seeds_pts, 20 * per_wave, 0.03, s.seed + 100 + wave)
            extra = np.vstack([extra, more[screen.keep(more)]])
        wave_rows.append(_ranges(wave, pool, kept, extra, free, runner.requested))
        n_nroy = int(design["nroy"].sum())
        progress(f"wave {wave}: {len(points)} points run, {n_nroy} of {len(design)} simulated points NROY; "
                 f"emulated NROY volume {kept.mean():.4f} of the prior")  # fmt: skip
    design = pd.DataFrame(rows)
    nroy = design[design["nroy"]]
    pool_pts = nroy if len(nroy) else design
    cols = [p.path for p in free]
    median = {p.path: (float(round(pool_pts[p.path].median())) if p.integer else round(float(pool_pts[p.path].median()), 6)) for p in free}
    # Solved parameters: the median point takes the NROY median of the solved values, the best points their own.
    solved_cols = [sp.path for sp in setup.solved]
    median.update({k: round(float(pool_pts[k].median()), 6) for k in solved_cols})
    best_rows = pool_pts.nsmallest(max(1, s.confirm_candidates - 1), "I2_sum")
    cands = [median] + best_rows[cols + solved_cols].to_dict("records")
    confirm_seeds = replicate_seeds(s.seed, s.confirm_reps, stream=1)
    confirm_runs = runner.runs(cands, confirm_seeds, "confirmation")
    scores = [sum_sq_implausibility(targets, rr) for rr in confirm_runs]
    fitted = [t for t in targets if t.role == "fit"]
    outside = [int((~fit_table(fitted, rr, s.cutoff)["accepted"]).sum()) for rr in confirm_runs]
    best = min(range(len(cands)), key=lambda i: (outside[i], scores[i]))
    confirm = pd.DataFrame(
        [
            {**c, "I_max": max_implausibility(targets, rr), "I2_sum": sc, "not_accepted": outside[i], "chosen": i == best}
            for i, (c, rr, sc) in enumerate(zip(cands, confirm_runs, scores, strict=True))
        ]
    )
    params = parameter_table(free, pool_pts, cands[best], nroy_found=len(nroy) > 0)
    waves = pd.DataFrame(wave_rows)
    stats = {
        "budget": budget,
        "runs_evaluated": runner.ran,
        "runs_cached": runner.cached,
        "design_points": len(design),
        "nroy_points": len(nroy),
        "reps": s.reps,
        "nroy_volume_final": float(waves["nroy_volume"].iloc[-1]),
        "confirm_reps": s.confirm_reps,
        "chosen_I_max": float(confirm.loc[best, "I_max"]),
        "chosen_I2_sum": scores[best],
        "wall_seconds": round(time.perf_counter() - t_start, 1),
    }
    loo = pd.concat(loo_tables, ignore_index=True) if loo_tables else pd.DataFrame()
    return CalibrationResult(design, cands[best], fit_table(targets, confirm_runs[best], s.cutoff), params, confirm, stats, waves, loo)


def parameter_table(free: Sequence[FreeParameter], pool: pd.DataFrame, chosen: dict[str, float], nroy_found: bool) -> pd.DataFrame:
    """Prior range, calibrated value, NROY median and 90% interval of the simulated NROY points, and how much it shrank."""
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
                "width_ratio": round((q95 - q05) / (p.high - p.low), 3) if nroy_found else float("nan"),
                "why": p.why,
            }
        )
    return pd.DataFrame(rows)
