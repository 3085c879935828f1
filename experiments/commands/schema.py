"""``hsr-careers schema``: print the JSON Schema of scenario files (derived from the parameter declaration)."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``schema`` subcommand."""
    p = subparsers.add_parser(
        "schema",
        help="print the JSON Schema of scenario files",
        description="Print the JSON Schema of scenario files. Editors use it to complete and check keys: "
        "scenario files start with '# yaml-language-server: $schema=scenario.schema.json'.",
    )
    p.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    """Write the schema to standard output."""
    from experiments.scenarios.schema import schema_text

    sys.stdout.write(schema_text())
    return 0
