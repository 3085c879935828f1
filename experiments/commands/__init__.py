"""Subcommands of hsr-careers, one module each (discovered automatically), and the flags they share.

Every long command takes the same execution flags (``add_execution_flags``: ``--backend``,
``--jobs``, ``--scheduler``, ``--quiet``) and turns them into one ``Execution`` with
``execution_of(args)``; every command that writes ``--out`` takes ``--force``.
"""

from __future__ import annotations

import argparse

from experiments.engine import BACKENDS, Execution


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got '{text}'") from None


def count(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    value = _whole(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def seed(text: str) -> int:
    """An argparse type: a non-negative whole number."""
    value = _whole(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def jobs(text: str) -> int:
    """An argparse type: a positive number of workers or -1 for all cores."""
    value = _whole(text)
    if value == 0 or value < -1:
        raise argparse.ArgumentTypeError(f"must be a positive number of workers or -1 for all cores, got {value}")
    return value


def add_execution_flags(p: argparse.ArgumentParser) -> None:
    """``--backend``, ``--jobs``, ``--scheduler`` and ``--quiet``: how a long command runs, the same in every command."""
    g = p.add_argument_group("execution (results do not depend on these)")
    g.add_argument("--backend", choices=BACKENDS, default="loky",
                   help="loky: processes on this machine (default); dask: a Dask cluster (joined with --scheduler, else a local one); "
                   "sequential: in this process")  # fmt: skip
    g.add_argument("-j", "--jobs", type=jobs, default=-1, help="worker processes on this machine (loky, or a local Dask cluster); -1 = all cores (default)")
    g.add_argument("--scheduler", metavar="ADDRESS", default=None, help="Dask scheduler to join, e.g. tcp://HOST:8786 (needs --backend dask)")
    g.add_argument("--quiet", action="store_true", help="no progress bar and no results table")


def execution_of(args: argparse.Namespace) -> Execution:
    """The one execution description of a command, from its execution flags (``InputError`` for a bad combination)."""
    return Execution(backend=args.backend, jobs=args.jobs, scheduler=args.scheduler, progress=not args.quiet)


def add_force_flag(p: argparse.ArgumentParser) -> None:
    """The ``--force`` flag every command that writes ``--out`` has."""
    p.add_argument("--force", action="store_true", help="replace results of another kind or other settings in --out (never files hsr-careers did not write); see docs/output-folders.md")
