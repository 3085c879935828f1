"""``hsr-careers compare BASE SCENARIO...``: paired policy effects with common random numbers."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from experiments.commands import count, execution_of
from experiments.commands.run import add_run_flags
from experiments.engine import Execution
from experiments.errors import InputError


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``compare`` subcommand."""
    p = subparsers.add_parser(
        "compare",
        help="compare scenarios with a baseline (paired differences with 95%% intervals)",
        description="Run BASE and every SCENARIO with common random numbers (replicate i of each shares seed i and the "
        "baseline's run settings) and write effects.csv (scenario − baseline, paired 95% intervals), retention.csv, "
        "summary.json, manifest.json and figures/.",
    )
    p.add_argument("base", metavar="BASE", help="baseline scenario YAML file")
    p.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="scenario YAML files to compare with BASE")
    add_run_flags(p)
    p.add_argument("--out", type=Path, default=Path("results") / "compare", help="output directory (default: results/compare)")
    p.add_argument(
        "--baseline-results",
        type=Path,
        metavar="DIR",
        help="reuse the replicates of a finished `hsr-careers run BASE` in DIR instead of re-running the baseline "
        "(refused unless its manifest shows the same settings, seed and model source)",
    )
    add_ensemble_flags(p)
    p.set_defaults(func=handle)


def add_ensemble_flags(p: argparse.ArgumentParser) -> None:
    """Flags of ``compare --ensemble K`` (effects over the calibrated NROY set; see docs/decisions.md)."""
    from experiments.runs.ensemble_power import DEFAULT_K, DEFAULT_REPS

    g = p.add_argument_group("ensemble (parameter uncertainty)")
    g.add_argument("--ensemble", type=count, metavar="K", nargs="?", const=DEFAULT_K,
                   help=f"run at K parameter sets drawn from the calibration's NROY set (K = {DEFAULT_K} if omitted); effects get a "
                   f"parameter/noise split (--reps = replicates per set, default {DEFAULT_REPS}; see docs/decisions.md)")  # fmt: skip
    g.add_argument("--vary-assumptions", nargs="*", metavar="PATH", default=None,
                   help="also vary declared assumptions over their plausible ranges: every one, or the PATHs given")  # fmt: skip
    g.add_argument("--nroy", type=Path, default=None, help="calibration design with an nroy column (default: the shipped calibration/output/design.csv)")


def handle(args: argparse.Namespace) -> int:
    """Run the comparison, write the files atomically and print the effects table."""
    from experiments.runs.compare import compare_scenarios, format_effects

    execution = execution_of(args)
    if args.ensemble is None:
        for flag, value in (("--vary-assumptions", args.vary_assumptions), ("--nroy", args.nroy)):
            if value is not None:
                raise InputError(f"{flag} needs --ensemble K")
    else:
        return _ensemble(args, execution)

    c = compare_scenarios(
        args.base, args.scenarios, reps=args.reps, seed=args.seed, years=args.years, population=args.population,
        burn_in_years=args.burn_in, execution=execution, out=args.out, command=["hsr-careers", *sys.argv[1:]], force=args.force,
        baseline_results=args.baseline_results,
    )  # fmt: skip
    if not args.quiet and c.runs and (args.out / "report.html").is_file():
        from experiments.report.terminal import decision_text

        print(decision_text(args.out))
    elif not args.quiet:
        print(format_effects(c))
    print(f"results written to {args.out}")
    return 0


def _ensemble(args: argparse.Namespace, execution: Execution) -> int:
    from experiments.runs.ensemble import format_ensemble, run_ensemble
    from experiments.runs.ensemble_design import DEFAULT_NROY
    from experiments.runs.ensemble_power import DEFAULT_REPS

    if args.baseline_results is not None:
        raise InputError("--baseline-results cannot be used with --ensemble: the baseline is run at every parameter set")
    ens = run_ensemble(
        args.base, args.scenarios, k=args.ensemble, reps=args.reps or DEFAULT_REPS, vary_assumptions=args.vary_assumptions,
        nroy=args.nroy or DEFAULT_NROY, seed=args.seed, years=args.years, population=args.population, burn_in_years=args.burn_in,
        execution=execution, out=args.out, command=["hsr-careers", *sys.argv[1:]], force=args.force,
    )  # fmt: skip
    if not args.quiet:
        print(format_ensemble(ens))
    s = ens.stats
    print(f"{s['evaluated']} runs evaluated, {s['cached']} reused; results written to {args.out}")
    return 0
