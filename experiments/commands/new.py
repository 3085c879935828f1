"""``hsr-careers new NAME [--policy TYPE ...] [--out PATH]``: start a commented scenario file that validates."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from experiments.errors import InputError


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``new`` subcommand."""
    p = subparsers.add_parser(
        "new",
        help="write a commented scenario file to start from (builds on the baseline)",
        description="Write a scenario file that builds on the shipped baseline (extends: baseline), with each chosen policy "
        "and every one of its settings at the declared default, each explained in a comment. It validates as written; "
        "edit the numbers, then run hsr-careers validate on it. Policies and settings: docs/policies.md.",
    )
    p.add_argument("name", metavar="NAME", help="scenario name (also its results folder name)")
    p.add_argument("--policy", action="append", default=[], metavar="TYPE", help="a policy to include; repeat for several")
    p.add_argument("--out", type=Path, default=None, help="file to write (default: NAME.yaml in the current folder)")
    p.add_argument("--force", action="store_true", help="replace the file if it exists")
    p.set_defaults(func=handle)


def _schema_ref(out: Path) -> str | None:
    from experiments.scenarios.load import SHIPPED

    schema = SHIPPED / "scenario.schema.json"
    if not schema.is_file():
        return None
    try:
        return os.path.relpath(schema, out.resolve().parent)
    except ValueError:  # another drive (Windows)
        return str(schema)


def handle(args: argparse.Namespace) -> int:
    """Write the file (refusing to replace one without ``--force``), check it loads, print where it is."""
    from experiments.names import check_name
    from experiments.scenarios.load import load_scenario
    from experiments.scenarios.template import check_policy_types, scenario_text

    name = check_name(args.name, "hsr-careers new", key="NAME")
    check_policy_types(args.policy)
    out: Path = args.out if args.out is not None else Path(f"{name}.yaml")
    if out.suffix.lower() not in (".yaml", ".yml"):
        raise InputError(f"--out: '{out}' must end in .yaml or .yml")
    if out.exists() and not args.force:
        raise InputError(f"--out: '{out}' already exists; choose another path or add --force to replace it")
    if not out.parent.is_dir():
        raise InputError(f"--out: folder '{out.parent}' does not exist")
    text = scenario_text(name, args.policy, schema=_schema_ref(out))
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    try:
        load_scenario(tmp)  # never leave a file that does not validate
    except InputError:
        tmp.unlink()
        raise
    tmp.replace(out)
    print(f"wrote {out} ({', '.join(args.policy) or 'no policy yet'}); next: hsr-careers validate {out}", file=sys.stdout)
    return 0
