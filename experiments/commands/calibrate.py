"""``hsr-careers calibrate``: history-match the model to survey proportions, or ``--check`` the shipped baseline's fit."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from experiments.commands import add_execution_flags, add_force_flag, execution_of

FIT_COLUMNS = ["target", "observed", "obs_ci_low", "obs_ci_high", "simulated_mean", "simulated_sd", "within_ci", "role"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``calibrate`` subcommand."""
    p = subparsers.add_parser(
        "calibrate",
        help="calibrate free parameters to the survey targets (history matching), or --check the baseline's fit",
        description="History matching over space-filling designs: writes calibrated.yaml, a parameter table, a fit table, "
        "figures and a manifest. Resumable: rerun the same command after an interruption. "
        "With --check, runs the baseline scenario and exits 0 only if every fitted target is within its interval.",
    )
    p.add_argument("--targets", type=Path, help="targets file (default: calibration/targets.yaml)")
    p.add_argument("--setup", type=Path, help="free parameters, priors and settings (default: calibration/parameters.yaml)")
    p.add_argument("--scenario", type=Path, help="base scenario (default: scenarios/baseline.yaml if present, else the declared defaults)")
    p.add_argument("--budget", type=int, default=1200, help="model runs for the calibration, confirmation included (default 1200)")
    p.add_argument("--out", type=Path, help="output directory (default: calibration/output; with --check: results/calibration_check)")
    p.add_argument("--publish", action="store_true", help="also copy calibrated.yaml to calibration/calibrated.yaml (what the baseline extends)")
    p.add_argument("--check", action="store_true", help="run the baseline scenario and check its fit instead of calibrating")
    p.add_argument("--reps", type=int, default=10, help="replicates for --check (default 10)")
    p.add_argument("--population", type=int, help="--check only: override the scenario's run.population (smaller = faster, noisier)")
    p.add_argument("--years", type=int, help="--check only: override the scenario's run.years")
    add_execution_flags(p)
    add_force_flag(p)
    p.set_defaults(func=handle)


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def handle(args: argparse.Namespace) -> int:
    """Calibrate (exit 0) or check (exit 0 if every fitted target fits, else 1); bad input exits 2."""
    from calibration.fit import markdown
    from calibration.targets import DEFAULT_TARGETS, TargetsError, load_targets
    from experiments.errors import InputError
    from experiments.runs import calibrate as workflow

    execution = execution_of(args)
    progress = (lambda message: None) if args.quiet else _stderr
    try:
        targets = load_targets(args.targets or DEFAULT_TARGETS)
        config, origin = workflow.base_config(args.scenario)
        if args.check:
            check = workflow.check_fit(targets, config, origin, reps=args.reps, population=args.population, years=args.years,
                                       out=args.out or workflow.CHECK_OUT, execution=execution, force=args.force, progress=progress)  # fmt: skip
        else:
            done = workflow.calibrate(targets, config, origin, setup_path=args.setup, targets_path=args.targets, budget=args.budget,
                                      out=args.out or workflow.CALIBRATION_OUT, publish=args.publish, execution=execution,
                                      force=args.force, progress=progress)  # fmt: skip
    except TargetsError as exc:
        raise InputError(str(exc)) from None
    if args.check:
        fitted = int((check.table["role"] == "fit").sum())
        bad = check.outside()
        if not args.quiet:
            print(markdown(check.table, FIT_COLUMNS))
        print(f"{'PASS' if check.passed else 'FAIL'}: {fitted - len(bad)} of {fitted} fitted targets within their interval"
              f"{'' if check.passed else '; outside: ' + ', '.join(bad)} ({check.seconds} s; table in {check.out / 'fit_table.csv'})")  # fmt: skip
        return 0 if check.passed else 1
    s = done.result.stats
    if not args.quiet:
        print(markdown(done.result.parameters.drop(columns=["why"])))
        print()
        print(markdown(done.result.fit, FIT_COLUMNS))
    print(f"{s['runs_evaluated']} runs ({s['runs_cached']} from cache), {s['nroy_points']} of {s['design_points']} points NROY, "
          f"{s['wall_seconds']} s; outputs in {done.out}{' and ' + str(done.published) if done.published else ''}")  # fmt: skip
    return 0
