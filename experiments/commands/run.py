"""``hsr-careers run SCENARIO``: run a scenario's replicates and write the output contract (DESIGN.md §4)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from experiments.engine import BACKENDS


def count(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got '{text}'") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def seed(text: str) -> int:
    """An argparse type: a non-negative whole number."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got '{text}'") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def jobs(text: str) -> int:
    """An argparse type: a positive number of workers or -1 for all cores."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got '{text}'") from None
    if value == 0 or value < -1:
        raise argparse.ArgumentTypeError(f"must be a positive number of workers or -1 for all cores, got {value}")
    return value


def add_run_flags(p: argparse.ArgumentParser) -> None:
    """Flags shared by ``run`` and ``compare``: replicates, seed, size, workers."""
    p.add_argument("--reps", type=count, help="replicates (default: the scenario's run.replicates)")
    p.add_argument("--seed", type=seed, help="root seed (default: the scenario's run.seed)")
    p.add_argument("--years", type=count, help="reported horizon in years (default: run.years)")
    p.add_argument("--burn-in", type=seed, dest="burn_in", help="burn-in years (default: run.burn_in_years)")
    p.add_argument("--population", type=count, help="initial population (default: run.population)")
    p.add_argument("--jobs", type=jobs, default=-1, help="worker processes; -1 = all cores (default); results do not depend on it")
    p.add_argument("--backend", choices=BACKENDS, default="loky", help="loky (default), dask (a local Dask cluster) or sequential")
    p.add_argument("--quiet", action="store_true", help="no progress bar and no table")
    add_force_flag(p)


def add_force_flag(p: argparse.ArgumentParser) -> None:
    """The ``--force`` flag every command that writes ``--out`` has."""
    p.add_argument("--force", action="store_true", help="replace results of another kind or other settings in --out (never files hsr-careers did not write); see docs/output-folders.md")


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

    sc = load_scenario(args.scenario)
    out = args.out or Path("results") / sc.name
    run = run_scenario(
        sc, reps=args.reps, seed=args.seed, years=args.years, population=args.population, burn_in_years=args.burn_in,
        jobs=args.jobs, out=out, fmt=args.format, progress=not args.quiet, command=["hsr-careers", *sys.argv[1:]], force=args.force,
    )  # fmt: skip
    if not args.quiet:
        print(headline_table(run))
    print(f"results written to {out}; report: {out / 'report.html'}")
    return 0
