"""``hsr-careers run SCENARIO``: run a scenario's replicates and write the output contract (DESIGN.md §4)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from experiments.commands import add_execution_flags, add_force_flag, count, execution_of, seed


def add_run_flags(p: argparse.ArgumentParser) -> None:
    """Flags shared by ``run`` and ``compare``: replicates, seed, size, execution, --force."""
    p.add_argument("--reps", type=count, help="replicates (default: the scenario's run.replicates)")
    p.add_argument("--seed", type=seed, help="root seed (default: the scenario's run.seed)")
    p.add_argument("--years", type=count, help="reported horizon in years (default: run.years)")
    p.add_argument("--burn-in", type=seed, dest="burn_in", help="burn-in years (default: run.burn_in_years)")
    p.add_argument("--population", type=count, help="initial population (default: run.population)")
    add_execution_flags(p)
    add_force_flag(p)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``run`` subcommand."""
    p = subparsers.add_parser(
        "run",
        help="run a scenario's replicates and write tables, summary, manifest and figures",
        description="Run SCENARIO's replicates and write yearly, careers, retention.csv, survey.csv, summary.json, "
        "manifest.json and figures/ to --out. An interrupted run resumes when rerun with the same arguments.",
    )
    p.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    add_run_flags(p)
    p.add_argument("--out", type=Path, help="output directory (default: results/<scenario name>)")
    p.add_argument(
        "--format", choices=("parquet", "csv"), default="parquet", help="format of the yearly and careers tables (default parquet)"
    )
    p.set_defaults(func=handle)


def headline_table(run) -> str:
    """Headline figures in plain words with their 95% intervals across replicates."""
    from model.outcomes import RETENTION_MEANING, headlines, label, value

    keys = [k for k in dict.fromkeys(("retention_5y", *headlines(), "policy_cost_pv")) if k in run.summary]
    width = max((len(label(k)) for k in keys), default=0) + 2
    lines = [
        f"{run.name}: {run.reps} replicates over {run.horizon} years; mean [95% interval of the mean]",
        f"{RETENTION_MEANING}; equity gaps in percentage points (pp), people as whole numbers, money in £",
    ]
    for key in keys:
        s = run.summary[key]
        lines.append(f"  {label(key):<{width}}{value(key, s['mean']):>10}  [{value(key, s['ci_low'])}, {value(key, s['ci_high'])}]")
    if run.reps < 2:
        lines.append("  (one replicate: no interval; use --reps 2 or more)")
    return "\n".join(lines)


def handle(args: argparse.Namespace) -> int:
    """Run the scenario, write the files atomically and print the headline table."""
    from experiments.runs.replicates import run_scenario
    from experiments.scenarios.load import load_scenario

    execution = execution_of(args)
    sc = load_scenario(args.scenario)
    out = args.out or Path("results") / sc.name
    run = run_scenario(
        sc, reps=args.reps, seed=args.seed, years=args.years, population=args.population, burn_in_years=args.burn_in,
        execution=execution, out=out, fmt=args.format, command=["hsr-careers", *sys.argv[1:]], force=args.force,
    )  # fmt: skip
    if not args.quiet:
        print(headline_table(run))
    from experiments.runs.reach_table import budget_notes

    for note in budget_notes(run.config):
        print(f"note: {note}")
    print(f"results written to {out}; report: {out / 'report.html'}")
    return 0
