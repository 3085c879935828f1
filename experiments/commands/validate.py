"""``hsr-careers validate FILE...``: check scenario files without running them."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``validate`` subcommand."""
    p = subparsers.add_parser(
        "validate",
        help="check scenario files (exit 0 if all are valid, 2 otherwise)",
        description="Check scenario files: YAML syntax, keys, types, ranges, policy types, extends chains and run size. "
        "Every problem of a file is listed; values outside their declared plausible range are warnings (exit 0).",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="scenario YAML files")
    p.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    """Validate every file; report every problem of each, one line each; exit 2 if any file is invalid.

    Values inside their valid range but outside the declared plausible range are
    warnings: they are printed, and the exit code stays 0.
    """
    from experiments.scenarios.validation import validate_file

    bad = 0
    for path in args.files:
        report = validate_file(path)
        for message in report.errors:
            print(f"error: {message}", file=sys.stderr)
        for message in report.warnings:
            print(f"warning: {message}", file=sys.stderr)
        if report.errors:
            bad += 1
            if len(report.errors) > 1:
                print(f"{path}: {len(report.errors)} problems", file=sys.stderr)
            continue
        sc = report.scenario
        r = sc.config.run
        policies = ", ".join(p.type for p in sc.config.policies) or "none"
        note = f"; {len(report.warnings)} warning(s)" if report.warnings else ""
        print(
            f"ok: {path} — {sc.name}: policies {policies}; {len(sc.config.shocks)} shock(s); {r.years} years after {r.burn_in_years} burn-in, population {r.population:,}, {r.replicates} replicates{note}"
        )
    if bad:
        print(f"{bad} of {len(args.files)} file(s) invalid", file=sys.stderr)
        return 2
    return 0
