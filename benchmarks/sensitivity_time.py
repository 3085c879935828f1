"""Wall time of a Morris screening of the bridge-funding scenario, and projected Sobol' times.

Runs ``hsr-careers sensitivity scenarios/bridge_funding.yaml`` (its sensitivity block:
10 factors, policy effect against the baseline, so two model runs per task) with
r = 20 trajectories and 2 replicates on ``--jobs`` workers, at a reduced population
and horizon (``--population/--years/--burn-in-years``). From the measured throughput
it projects a Sobol' analysis at N = 1024 (first and total order: N (k + 2) points)
on the same cores and on a 64-core Dask cluster, at this size and at the default
size (4,000 researchers, 15 + 30 years) using the ratio of single-run times.

    .venv/bin/python benchmarks/sensitivity_time.py --population 1000 --years 12 --burn-in-years 5 --jobs 2
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from experiments.engine import Execution
from experiments.sensitivity.design import design_size
from experiments.sensitivity.run import load, run_sensitivity
from model.config import with_overrides
from model.run import run_one

ROOT = Path(__file__).resolve().parents[1]


def single_run_seconds(config, repeats: int = 2) -> float:
    best = float("inf")
    for i in range(repeats):
        t = time.perf_counter()
        run_one(config, 1000 + i)
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default=str(ROOT / "scenarios" / "bridge_funding.yaml"))
    ap.add_argument("--population", type=int, default=1000)
    ap.add_argument("--years", type=int, default=12)
    ap.add_argument("--burn-in-years", type=int, default=5)
    ap.add_argument("--trajectories", type=int, default=20)
    ap.add_argument("--reps", type=int, default=2)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--cluster-cores", type=int, default=64)
    ap.add_argument(
        "--cluster-efficiency", type=float, default=0.85, help="assumed parallel efficiency on the cluster (scheduling, stragglers)"
    )
    ap.add_argument("--out", default=None, help="keep the analysis here (default: a temporary folder)")
    args = ap.parse_args()

    overrides = {"run.population": args.population, "run.years": args.years, "run.burn_in_years": args.burn_in_years}
    scenario = load(args.scenario)
    small = with_overrides(scenario.config, overrides)
    full = scenario.config
    t_small = single_run_seconds(small)
    t_full = single_run_seconds(full, repeats=1)

    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="sa_bench_"))
    t0 = time.perf_counter()
    res = run_sensitivity(
        args.scenario,
        method="morris",
        n=args.trajectories,
        reps=args.reps,
        run_overrides=overrides,
        out_dir=out,
        execution=Execution(jobs=args.jobs),
    )
    wall = time.perf_counter() - t0
    tasks = res.stats["evaluated"]
    runs_per_task = 2 if scenario.sensitivity and scenario.sensitivity.baseline else 1
    k = len(res.factors)
    sobol_tasks = design_size("sobol", k, 1024) * args.reps
    per_task_core_s = wall * args.jobs / max(tasks, 1)  # core-seconds per task, overheads included
    scale = t_full / t_small
    sobol_local = sobol_tasks * per_task_core_s / args.jobs
    sobol_cluster = sobol_tasks * per_task_core_s / (args.cluster_cores * args.cluster_efficiency)
    report = {
        "size": overrides,
        "single_run_s": {"reduced": round(t_small, 3), "default_4000x45y": round(t_full, 3)},
        "morris": {
            "factors": k,
            "trajectories": args.trajectories,
            "reps": args.reps,
            "tasks": tasks,
            "model_runs": tasks * runs_per_task,
            "jobs": args.jobs,
            "wall_s": round(wall, 1),
        },
        "sobol_N1024_projection": {
            "tasks": sobol_tasks,
            "model_runs": sobol_tasks * runs_per_task,
            f"reduced_{args.jobs}_cores_h": round(sobol_local / 3600, 2),
            f"reduced_{args.cluster_cores}_cores_h": round(sobol_cluster / 3600, 2),
            f"default_size_{args.jobs}_cores_h": round(sobol_local * scale / 3600, 1),
            f"default_size_{args.cluster_cores}_cores_h": round(sobol_cluster * scale / 3600, 2),
            "cluster_efficiency_assumed": args.cluster_efficiency,
        },
        "out": str(out),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
