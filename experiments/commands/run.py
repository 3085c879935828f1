"""``hsr-careers run SCENARIO``: run a scenario's replicates and write the output contract (DESIGN.md §4)."""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from experiments.engine import BACKENDS

HEADLINES = (
    ("retention_5y", "retention at 5 years"),
    ("retention_10y", "retention at 10 years"),
    ("equity_gap_carer_10y", "gap: non-carers − carers (10 y)"),
    ("equity_gap_disabled_10y", "gap: non-disabled − disabled (10 y)"),
    ("equity_gap_working_class_10y", "gap: not − working-class (10 y)"),
    ("equity_gap_gender_10y", "gap: men − women (10 y)"),
    ("share_fixed_term", "share on fixed-term contracts"),
    ("satisfied_permanent", "satisfied, permanent"),
    ("satisfied_non_permanent", "satisfied, non-permanent"),
    ("exits_funding_gap", "exits after a funding gap"),
    ("exits_total", "exits, all reasons"),
    ("active_final", "active researchers at the end"),
    ("policy_cost", "policy cost over the horizon (£)"),
)


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


def _fmt(metric: str, v: float | None) -> str:
    if v is None or not math.isfinite(v):
        return "—"
    if metric.startswith("equity_gap"):
        return f"{v * 100:.1f} pp"
    if metric.startswith(("retention", "share_", "satisfied")):
        return f"{v * 100:.1f}%"
    return f"{v:,.0f}"


def headline_table(run) -> str:
    """Headline figures with their 95% intervals across replicates."""
    lines = [f"{run.name}: {run.reps} replicates, {run.horizon} years; mean [95% interval of the mean]"]
    for key, label in HEADLINES:
        s = run.summary.get(key)
        if s is None:
            continue
        lines.append(f"  {label:<38}{_fmt(key, s['mean']):>12}  [{_fmt(key, s['ci_low'])}, {_fmt(key, s['ci_high'])}]")
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
        jobs=args.jobs, out=out, fmt=args.format, progress=not args.quiet, command=["hsr-careers", *sys.argv[1:]],
    )  # fmt: skip
    if not args.quiet:
        print(headline_table(run))
    print(f"results written to {out}")
    return 0
