"""``hsr-careers batch EXPERIMENT``: run (or resume) a batch experiment on this machine or a Dask cluster."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from experiments.commands import add_execution_flags, add_force_flag, execution_of


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # unwinds through the batch, which writes the runs already finished


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``batch`` subcommand."""
    p = subparsers.add_parser(
        "batch",
        help="run a batch experiment (sweep, sampled design, replicates); resumable",
        description="Run every run of an experiment file and stream results into a Parquet dataset. "
        "Rerun the same command to resume after an interruption: finished runs are skipped.",
    )
    p.add_argument("experiment", help="experiment YAML file (e.g. experiments/batches/bridge_budget_sweep.yaml)")
    p.add_argument("--out", type=Path, help="output directory (default: results/batch/<experiment name>)")
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help="override a parameter for every run, e.g. --set run.population=500 (repeatable)",
    )
    p.add_argument("--retry-failed", action="store_true", help="run again the runs recorded as failed (e.g. after fixing a model bug)")
    add_execution_flags(p)
    add_force_flag(p)
    p.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    """Run the batch; exit 0 if every run succeeded, 1 if some failed (they are recorded), 2 on bad input."""
    from common import safe_yaml
    from experiments.batch.execute import execute_batch, load_experiment
    from experiments.errors import InputError

    execution = execution_of(args)
    extra = {}
    for item in args.set:
        path, sep, value = item.partition("=")
        if not sep or not path.strip():
            raise InputError(f"--set: expected PATH=VALUE (e.g. run.population=500), got '{item}'")
        if path.strip() in extra:
            raise InputError(f"--set: '{path.strip()}' is set twice; give each parameter once")
        try:
            extra[path.strip()] = safe_yaml.load_value(value, f"--set {path.strip()}")
        except safe_yaml.YamlError as exc:
            raise InputError(f"{exc} (got '{value[:80]}')") from None
    experiment = load_experiment(args.experiment, extra=extra)
    signal.signal(signal.SIGTERM, _terminate)  # e.g. a Slurm time limit: keep the finished runs, then stop
    out = args.out or Path("results") / "batch" / experiment.spec.name
    outcome = execute_batch(experiment, out, execution=execution, retry_failed=args.retry_failed, force=args.force)
    done = outcome.total - outcome.failed
    print(f"{outcome.out}: {outcome.total} runs ({outcome.skipped} already done, {outcome.ran} run now); results in {outcome.out / 'runs'}")
    if outcome.failed:
        print(
            f"{outcome.failed} of {outcome.total} runs failed ({done} succeeded); their errors and parameters are in the 'status' and 'error' "
            f"columns of {outcome.out / 'runs'}. Fix the cause and rerun with --retry-failed",
            file=sys.stderr,
        )
        return 1
    return 0
