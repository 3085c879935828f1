"""The calibration workflow behind ``hsr-careers calibrate``: check the baseline's fit, or history-match it.

``calibration/`` holds the method (targets, measures, history matching) and never runs
the model itself; this module wires it to a scenario, the run store and the engine
(``experiments.runs.measured.StoredEvaluate``), and writes the results folder:

* ``check_fit(targets, config, origin, ...)`` runs the scenario's replicates and writes
  ``fit_table.csv``, ``figures/fit.png`` and a manifest;
* ``calibrate(targets, config, origin, ...)`` history-matches the free parameters of a
  set-up file and writes ``calibrated.yaml``, the parameter and fit tables, the design,
  figures and a manifest (and, with ``publish``, copies ``calibrated.yaml`` to
  ``calibration/calibrated.yaml``, which the shipped baseline extends).

Both are resumable (finished runs stay in the run store) and raise ``InputError`` for
bad input before any run.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from calibration.targets import Target
from common import safe_yaml
from experiments.engine import Execution
from experiments.errors import InputError
from experiments.out_folder import claim
from model.config import ModelConfig, with_overrides

if TYPE_CHECKING:
    from calibration.free_parameters import Setup
    from calibration.history_matching import CalibrationResult

DEFAULT_SCENARIO = Path("scenarios/baseline.yaml")
PUBLISHED = Path("calibration/calibrated.yaml")
CHECK_OUT = Path("results/calibration_check")
CALIBRATION_OUT = Path("calibration/output")


def base_config(scenario: Path | None) -> tuple[ModelConfig, str]:
    """The configuration to calibrate or check and where it came from.

    ``scenario`` if given; else the shipped baseline scenario if present; else the
    declared defaults plus the published calibration (``calibration/calibrated.yaml``).
    """
    from experiments.scenarios.load import load_scenario

    if scenario is not None or DEFAULT_SCENARIO.is_file():
        loaded = load_scenario(scenario or DEFAULT_SCENARIO)
        return loaded.config, str(loaded.path)
    config = ModelConfig()
    if PUBLISHED.is_file():
        try:
            data = safe_yaml.load_file(PUBLISHED, "calibrated parameters file").data
        except (safe_yaml.YamlError, AttributeError) as exc:
            raise InputError(f"{PUBLISHED}: {exc}") from None
        values = {f"{g}.{k}": v for g, group in data.items() if isinstance(group, dict) for k, v in group.items()}
        return with_overrides(config, values), f"declared defaults + {PUBLISHED}"
    return config, "declared defaults"


def measure_names(targets: Sequence[Target]) -> list[str]:
    """The measures the targets need, each once."""
    return sorted({t.measure for t in targets})


@dataclass
class FitCheck:
    """What ``check_fit`` found: the fit table, whether every fitted target passed, where it is written."""

    table: pd.DataFrame
    passed: bool
    seconds: float
    out: Path
    reps: int
    config: ModelConfig

    def outside(self) -> list[str]:
        """Fitted targets outside their interval."""
        t = self.table
        return t[(t["role"] == "fit") & ~t["within_ci"]]["target"].tolist()


def check_fit(
    targets: Sequence[Target],
    config: ModelConfig,
    origin: str,
    *,
    reps: int = 10,
    population: int | None = None,
    years: int | None = None,
    out: Path = CHECK_OUT,
    execution: Execution | None = None,
    force: bool = False,
    command: str = "calibrate --check",
    progress: Callable[[str], None] = lambda message: None,
) -> FitCheck:
    """Run ``reps`` replicates of ``config`` and compare its measures with ``targets``; write the fit table and figure."""
    from calibration.fit import check_passes, fit_table
    from calibration.report import atomic_write, write_manifest
    from calibration.simulate import replicate_seeds
    from experiments.plots.calibration import fit_chart
    from experiments.runs.measured import StoredEvaluate
    from experiments.scenarios.load import apply_run_overrides

    if reps < 2:
        raise InputError(f"--reps: need at least 2 replicates for a simulated SD, got {reps}")
    t0 = time.perf_counter()
    config = apply_run_overrides(with_overrides(config, {"run.log_events": True}), origin, population=population, years=years)
    seeds = replicate_seeds(config.run.seed, reps, stream=2)
    r = config.run
    progress(f"checking {origin}: {reps} replicates, population {r.population}, {r.burn_in_years} + {r.years} years")
    settings = {"config": config.model_dump(mode="json"), "targets": [vars(t) for t in targets], "reps": reps}
    with claim(out, "calibration_check", settings, force=force) as held:
        evaluate = StoredEvaluate(config, measure_names(targets), None, execution)
        runs = [m for _, m in sorted(evaluate([({}, s) for s in seeds]), key=lambda x: x[0])]
        table = fit_table(targets, runs)
        atomic_write(out / "fit_table.csv", table.to_csv(index=False))
        fit_chart(table, out / "figures" / "fit.png", title=f"Fit of {origin} ({reps} replicates)")
        passed = check_passes(table)
        seconds = round(time.perf_counter() - t0, 1)
        info = {"command": command, "scenario": origin, "reps": reps, "seeds": seeds, "passed": passed, "wall_seconds": seconds}
        write_manifest(out, {"output": held.marker, **info})
    return FitCheck(table=table, passed=passed, seconds=seconds, out=out, reps=reps, config=config)


@dataclass
class Calibration:
    """What ``calibrate`` produced: the history-matching result, the set-up it used and where it is written."""

    result: CalibrationResult
    setup: Setup
    out: Path
    published: Path | None


def calibrate(
    targets: Sequence[Target],
    config: ModelConfig,
    origin: str,
    *,
    setup_path: Path | None = None,
    targets_path: Path | None = None,
    budget: int = 1200,
    out: Path = CALIBRATION_OUT,
    publish: bool = False,
    execution: Execution | None = None,
    force: bool = False,
    progress: Callable[[str], None] = lambda message: None,
) -> Calibration:
    """History-match the set-up's free parameters of ``config`` to ``targets`` within ``budget`` runs; write the results."""
    from calibration.free_parameters import DEFAULT_SETUP, load_setup
    from calibration.history_matching import plan

    started = datetime.now(UTC).isoformat(timespec="seconds")
    setup_file = setup_path or DEFAULT_SETUP
    setup = load_setup(setup_file, config)
    plan(budget, setup)  # refuse a too-small budget before any work
    try:
        run_config = with_overrides(config, setup.settings.run_overrides())
    except ValueError as exc:  # e.g. a scheduled shock beyond the calibration's shorter horizon
        msg = exc.errors()[0]["msg"].removeprefix("Value error, ") if hasattr(exc, "errors") else str(exc)
        raise InputError(f"{origin} with the calibration's run settings ({setup_file}): {msg}") from None
    settings = {"config": config.model_dump(mode="json"), "targets": [vars(t) for t in targets], "setup": [vars(f) for f in setup.free],
                "settings": vars(setup.settings)}  # fmt: skip - the budget may change: runs are cached one by one
    with claim(out, "calibration", settings, force=force) as held:
        from calibration.history_matching import history_match
        from experiments.runs.measured import StoredEvaluate

        evaluate = StoredEvaluate(run_config, measure_names(targets), out / "cache", execution)
        result = history_match(targets, setup, config, evaluate, budget, progress=progress)
        inputs = {"base": origin, "targets": str(targets_path or "calibration/targets.yaml"), "setup": str(setup_file), "started": started}
        _write(result, targets, setup, budget, out, {"output": held.marker, **inputs, **(execution or Execution()).describe()})
    published = None
    if publish:
        shutil.copyfile(out / "calibrated.yaml", PUBLISHED)
        published = PUBLISHED
    return Calibration(result=result, setup=setup, out=out, published=published)


def _write(result: CalibrationResult, targets: Sequence[Target], setup: Setup, budget: int, out: Path, info: dict) -> None:
    """The calibration's files: tables, ``calibrated.yaml``, figures and the manifest (``info`` first)."""
    from calibration.report import write_calibration, write_manifest
    from experiments.plots.calibration import fit_chart, marginals

    s = result.stats
    header = (
        f"History matching to {sum(t.role == 'fit' for t in targets)} survey and administrative proportions "
        f"({s['design_points']} design points, {s['nroy_points']} not ruled out, budget {budget} runs); see docs/calibration.md"
    )
    write_calibration(out, result, header)
    fit_chart(result.fit, out / "figures" / "fit.png", title=f"Calibrated fit ({setup.settings.confirm_reps} replicates)")
    marginals(result.design, result.parameters, out / "figures" / "marginals.png")
    write_manifest(
        out,
        {"command": "calibrate", **info, "settings": vars(setup.settings), "finished": datetime.now(UTC).isoformat(timespec="seconds"), **s},
    )
