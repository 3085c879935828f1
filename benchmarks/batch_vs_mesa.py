"""The same runs through ``mesa.batch_run``, a plain joblib loop and the project's ``run_batch``.

    .venv/bin/python benchmarks/batch_vs_mesa.py                 # 40 runs of 1,000 researchers, 2 workers, 3 rounds
    .venv/bin/python benchmarks/batch_vs_mesa.py --runs 80 --rounds 5

Every path runs the same configurations with the same seeds and returns the same
headline metrics (checked):

- ``mesa.batch_run``: ``CareerModel`` through an adapter (``MesaAdapter``) that takes
  ``config`` and ``seed`` as model parameters and reports the headline metrics through
  a Mesa ``DataCollector`` at the end of the run; ``number_processes`` workers.
- plain joblib: ``Parallel(n_jobs)(delayed(metrics_of)(config, seed) ...)`` over loky,
  under the engine's worker configuration (``experiments.engine.loky_workers``), so it
  and ``run_batch`` share one warm pool (joblib restarts its pool whenever the
  configuration changes, which would charge a restart to whichever ran second).
- ``run_batch``: the project's batch engine (design, seeds, Parquet parts, resume
  bookkeeping included), ``jobs`` loky workers.

Warm rounds alternate the three paths with the loky workers already started, as in a
session that runs several batches (``mesa.batch_run`` starts its own processes on every
call, so it is always "cold"); medians are reported with the load average. A last, cold
round starts every path's workers from nothing, as one fresh command would.
Goal: ``run_batch`` at most 0.8x ``mesa.batch_run``'s wall time.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

import mesa
from joblib import Parallel, delayed
from joblib.externals.loky import get_reusable_executor

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from experiments import run_batch  # noqa: E402
from experiments.engine import Execution, loky_workers  # noqa: E402
from model.career_model import CareerModel  # noqa: E402
from model.config import ModelConfig  # noqa: E402
from model.observe import career_columns  # noqa: E402
from model.run import RunResult, run_one  # noqa: E402
from model.survey import sample_survey  # noqa: E402


class MesaAdapter(CareerModel):
    """``CareerModel`` as ``mesa.batch_run`` drives it: parameters as keywords, metrics in a DataCollector."""

    def __init__(self, config: ModelConfig, seed: int = 0) -> None:
        super().__init__(config, seed)
        self.datacollector = mesa.DataCollector(model_reporters={"metrics": lambda m: m.final_metrics})
        self.final_metrics: dict[str, float] = {}

    def step(self) -> None:
        """One year; at the horizon, the headline metrics (as ``run_one`` computes them) are collected."""
        super().step()
        if not self.running:
            import pandas as pd

            yearly = pd.DataFrame(self.yearly_rows)
            sample_survey(self)  # run_one samples the survey too: the same work
            result = RunResult(yearly=yearly, horizon=self.config.run.years, career_cols=career_columns(self))
            self.final_metrics = result.metrics()
            self.datacollector.collect(self)


def metrics_of(config: ModelConfig, seed: int) -> dict[str, float]:
    """What a plain loop computes per run."""
    return run_one(config, seed).metrics()


def experiment(runs: int, population: int, years: int, burn_in: int) -> dict:
    """A bridge-funding sweep of ``runs`` runs (4 design points × replicates)."""
    return {
        "name": "versus_mesa",
        "base": {"policies": [{"type": "bridge_funding"}], "run": {"population": population, "years": years, "burn_in_years": burn_in}},
        "factorial": {"policies.bridge_funding.max_months": [3, 6, 9, 12]},
        "replicates": max(1, runs // 4),
        "chunk_size": 50,
        "common_random_numbers": True,  # seeds by replicate: configs x seeds, which batch_run can express
    }


def _tasks(exp: dict) -> list[tuple[ModelConfig, int]]:
    from experiments.batch.execute import load_experiment

    design = load_experiment(exp).design
    return [(design.config(design.locate(i)[0]), design.seed(i)) for i in range(design.n_runs)]


def via_mesa_once(tasks: list[tuple[ModelConfig, int]], jobs: int) -> list[dict]:
    """``mesa.batch_run`` in one call: configurations crossed with seeds, exactly as the design pairs them."""
    seeds = sorted({s for _, s in tasks})
    configs = []
    for c, _ in tasks:
        if not any(c is x for x in configs):
            configs.append(c)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # batch_run is deprecated in Mesa 3.5 (gone in Mesa 4)
        return mesa.batch_run(
            MesaAdapter, parameters={"config": configs}, rng=seeds, number_processes=jobs, max_steps=10_000, display_progress=False
        )


def via_joblib(tasks: list[tuple[ModelConfig, int]], jobs: int) -> list[dict]:
    """A plain joblib loop over ``run_one`` (on the engine's worker configuration: the same warm pool)."""
    with loky_workers():
        return Parallel(n_jobs=jobs)(delayed(metrics_of)(c, s) for c, s in tasks)


def via_run_batch(exp: dict, jobs: int) -> None:
    """The project's batch engine."""
    with tempfile.TemporaryDirectory() as out:
        run_batch(exp, out, execution=Execution(jobs=jobs))


def main() -> None:
    """Alternate the three paths, print medians, ratios and the load average."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument("--population", type=int, default=1000)
    ap.add_argument("--years", type=int, default=20)
    ap.add_argument("--burn-in", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    exp = experiment(args.runs, args.population, args.years, args.burn_in)
    tasks = _tasks(exp)
    n = len(tasks)
    # Seeds by replicate (common random numbers): the design is configs x seeds, one batch_run call.
    assert len({id(c) for c, _ in tasks}) * len({s for _, s in tasks}) == n
    print(
        f"{os.cpu_count()} cores; load {os.getloadavg()[0]:.2f}; {n} runs of {args.population} researchers x {args.burn_in}+{args.years} years, {args.jobs} workers"
    )
    # Same answers: mesa.batch_run's metrics equal run_one's for the same config and seed.
    first = [r for r in via_mesa_once(tasks[:1], 1) if r["seed"] == tasks[0][1]][0]["metrics"]
    plain = metrics_of(*tasks[0])
    same = list(first) == list(plain) and all(
        a == b or (math.isnan(a) and math.isnan(b)) for a, b in zip(first.values(), plain.values(), strict=True)
    )
    print(f"mesa.batch_run adapter gives run_one's metrics for the same config and seed: {same}")
    via_joblib(tasks[:2], args.jobs)  # start the shared loky workers once
    times: dict[str, list[float]] = {"mesa.batch_run": [], "joblib loop": [], "run_batch": []}

    def timed(name: str) -> float:
        t = time.perf_counter()
        if name == "mesa.batch_run":
            assert len(via_mesa_once(tasks, args.jobs)) == n
        elif name == "joblib loop":
            via_joblib(tasks, args.jobs)
        else:
            via_run_batch(exp, args.jobs)
        return time.perf_counter() - t

    for r in range(args.rounds):
        for name in list(times) if r % 2 == 0 else list(reversed(times)):
            times[name].append(timed(name))
        print(f"warm round {r + 1}: " + ", ".join(f"{k} {v[-1]:.1f} s" for k, v in times.items()) + f"  (load {os.getloadavg()[0]:.2f})")
    cold = {}
    for name in times:
        get_reusable_executor().shutdown(wait=True)  # no warm workers: a fresh command's start
        cold[name] = timed(name)
    print("cold round: " + ", ".join(f"{k} {v:.1f} s" for k, v in cold.items()) + f"  (load {os.getloadavg()[0]:.2f})")
    med = {k: statistics.median(v) for k, v in times.items()}
    ref = med["mesa.batch_run"]
    for k, v in med.items():
        print(f"{k:>15}: warm median {v:.2f} s ({n / v:.1f} runs/s), {v / ref:.2f}x mesa.batch_run; cold {cold[k]:.2f} s, {cold[k] / cold['mesa.batch_run']:.2f}x")
    print(
        f"run_batch_vs_mesa={med['run_batch'] / ref:.2f} cold_run_batch_vs_mesa={cold['run_batch'] / cold['mesa.batch_run']:.2f} "
        f"joblib_vs_mesa={med['joblib loop'] / ref:.2f} load={os.getloadavg()[0]:.2f} (goal run_batch <= 0.80x)"
    )


if __name__ == "__main__":
    main()
