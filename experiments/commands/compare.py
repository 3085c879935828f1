"""``hsr-careers compare BASE SCENARIO...``: paired policy effects with common random numbers."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from experiments.commands.run import add_run_flags


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
    p.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    """Run the comparison, write the files atomically and print the effects table."""
    from experiments.runs.compare import compare_scenarios, format_effects

    c = compare_scenarios(
        args.base, args.scenarios, reps=args.reps, seed=args.seed, years=args.years, population=args.population,
        burn_in_years=args.burn_in, jobs=args.jobs, backend=args.backend, out=args.out, progress=not args.quiet,
        command=["hsr-careers", *sys.argv[1:]], force=args.force, baseline_results=args.baseline_results,
    )  # fmt: skip
    if not args.quiet:
        print(format_effects(c))
    print(f"results written to {args.out}")
    return 0
