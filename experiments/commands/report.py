"""``hsr-careers report RESULTS_DIR``: re-make the one-page HTML report from results on disk (nothing is simulated)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``report`` subcommand."""
    p = subparsers.add_parser(
        "report",
        help="re-make report.html (one self-contained page) from a run or compare results folder",
        description="Read the files a `run` or `compare` wrote to RESULTS_DIR and write RESULTS_DIR/report.html: a plain-language "
        "summary, tables with units, the figures (embedded, so the file opens offline), scenario settings, caveats and "
        "provenance. Nothing is re-run. `run` and `compare` write the same report when they finish.",
    )
    p.add_argument("results", metavar="RESULTS_DIR", type=Path, help="folder written by hsr-careers run or compare")
    p.add_argument("--out", type=Path, help="where to write the HTML (default: RESULTS_DIR/report.html)")
    p.add_argument("--docs", action="store_true", help="also rewrite every quoted result in README.md and docs/ (and docs/report.png) "
                   "from this comparison (make run's results/compare) and the shipped calibration fit")  # fmt: skip
    p.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    """Write the report and say where it is."""

    if args.docs:
        from experiments.errors import InputError
        from experiments.report.results import load_results

        if load_results(args.results).kind != "compare":
            raise InputError(f"--docs: {args.results} holds one run; the docs quote a comparison (make run's results/compare)")
    path = _write(args.results, args.out)
    print(f"report written to {path}")
    if args.docs:
        from experiments.report.docs_numbers import write_docs

        for changed in write_docs(args.results):
            print(f"rewrote {changed}")
    return 0


def _recorded_checksums(folder: Path) -> bool:
    """Whether the folder's manifest records checksums (then every table was verified on reading)."""
    try:
        output = json.loads((Path(folder) / "manifest.json").read_text(encoding="utf-8")).get("output")
    except (OSError, ValueError, AttributeError):
        return False
    return isinstance(output, dict) and bool(output.get("checksums"))


def _write(results: Path, out: Path | None) -> Path:
    """``write_report``; a folder from a version that recorded no checksums whose tables hold what no run writes is refused in one line.

    Such a folder passes the schema checks (columns, numbers) yet can still hold, say, a
    metric name no run writes. A verified folder is known to be as written, so an error
    there is a defect of ours and is not hidden.
    """
    from experiments.errors import InputError
    from experiments.report import write_report

    try:
        return write_report(results, out)
    except (KeyError, ValueError, TypeError, AttributeError, IndexError) as exc:
        if _recorded_checksums(results):
            raise
        raise InputError(
            f"{results}: its tables do not hold what a report needs ({type(exc).__name__}: {str(exc)[:60]!r}); the folder records "
            "no checksums (an older version wrote it, or it was edited): rerun the command that wrote it"
        ) from None
