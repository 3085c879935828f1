"""Experiments on the hsr-careers model: scenarios, runs, comparisons, batches, sensitivity, plots, CLI.

For notebooks::

    from experiments import load_scenario, run_scenario, compare_scenarios
    sc = load_scenario("scenarios/bridge_funding.yaml")   # sc.config is what model.run_one takes
    run = run_scenario(sc, reps=5)                         # run.yearly, run.careers, run.retention, run.summary
    cmp = compare_scenarios("scenarios/baseline.yaml", ["scenarios/bridge_funding.yaml"], reps=5)  # cmp.effects
    runs = run_batch("experiments/batches/bridge_budget_sweep.yaml")  # one row per run (see docs/batch.md)
    ens = run_ensemble("scenarios/baseline.yaml", ["scenarios/bridge_funding.yaml"], k=10, reps=3)  # docs/decisions.md
    # policy mixes: from experiments.optimise.mix import optimise (the name ``experiments.optimise`` is the package)

Every long call runs its runs in this process unless given an execution description,
the same one the command line builds from ``--backend``, ``--jobs``, ``--scheduler`` and
``--quiet``; results never depend on it::

    from experiments import Execution
    run = run_scenario(sc, reps=20, execution=Execution(jobs=2))                # loky, 2 worker processes
    runs = run_batch("sweep.yaml", "out", execution=Execution(backend="dask", scheduler="tcp://HOST:8786", progress=True))
"""

from __future__ import annotations

from typing import Any

__all__ = ["Execution", "compare_scenarios", "load_batch", "load_scenario", "run_batch", "run_ensemble", "run_scenario"]


def __getattr__(name: str) -> Any:
    """Import the notebook API lazily, so the command line starts quickly."""
    if name == "Execution":
        from experiments.engine import Execution

        return Execution
    if name == "load_scenario":
        from experiments.scenarios.load import load_scenario

        return load_scenario
    if name == "run_scenario":
        from experiments.runs.replicates import run_scenario

        return run_scenario
    if name == "compare_scenarios":
        from experiments.runs.compare import compare_scenarios

        return compare_scenarios
    if name == "run_ensemble":
        from experiments.runs.ensemble import run_ensemble

        return run_ensemble
    if name in ("run_batch", "load_batch"):
        from experiments.batch import execute

        return getattr(execute, name)
    raise AttributeError(f"module 'experiments' has no attribute {name!r}")
