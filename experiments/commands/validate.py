"""``hsr-careers validate FILE...``: check scenario files without running them."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``validate`` subcommand."""
    p = subparsers.add_parser(
        "validate",
        help="check scenario files (exit 0 if all are valid, 2 otherwise)",
        description="Check scenario files: YAML syntax, keys, types, ranges, policy types, extends chains and run size.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="scenario YAML files")
    p.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    """Validate every file; report each problem on one line; exit 2 if any file is invalid."""
    from experiments.errors import InputError
    from experiments.scenarios.load import load_scenario

    bad = 0
    for path in args.files:
        try:
            sc = load_scenario(path)
        except InputError as exc:
            print(f"error: {exc}", file=sys.stderr)
            bad += 1
            continue
        r = sc.config.run
        policies = ", ".join(p.type for p in sc.config.policies) or "none"
        print(
            f"ok: {path} — {sc.name}: policies {policies}; {len(sc.config.shocks)} shock(s); {r.years} years after {r.burn_in_years} burn-in, population {r.population:,}, {r.replicates} replicates"
        )
    if bad:
        print(f"{bad} of {len(args.files)} file(s) invalid", file=sys.stderr)
        return 2
    return 0
