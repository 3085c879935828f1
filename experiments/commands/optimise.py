"""``hsr-careers optimise SPEC.yaml``: the Pareto set of policy mixes under a yearly budget (Optuna NSGA-II)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from experiments.commands import add_execution_flags, add_force_flag, count, execution_of


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``optimise`` subcommand."""
    p = subparsers.add_parser(
        "optimise",
        help="choose policy mixes and settings under a yearly budget: the Pareto set (Optuna NSGA-II)",
        description="Search which policies to switch on and their settings (within the spec's ranges) to raise the "
        "extra researcher-years and narrow the named equity gaps, within a yearly budget; each trial is paired "
        "replicates of the mix and the baseline. Writes pareto.csv, trials.csv, figures/pareto.png, manifest.json; "
        "the study (study.log) and finished runs stay in --out, so a rerun resumes.",
    )
    p.add_argument("spec", type=Path, metavar="SPEC", help="optimisation spec YAML (see docs/decisions.md)")
    p.add_argument("--trials", type=count, default=None, help="complete trials wanted (default: the spec's 'trials'); more extends a study")
    p.add_argument("--no-reevaluate", action="store_true", help="skip re-running the Pareto set with fresh seeds")
    p.add_argument("--out", type=Path, default=None, help="output folder (default results/optimise_<name>)")
    add_execution_flags(p)
    add_force_flag(p)
    p.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    """Run or resume the study, write the Pareto set and print it."""
    from experiments.optimise.mix import optimise
    from experiments.optimise.spec import load_spec

    execution = execution_of(args)
    spec = load_spec(args.spec)[0]
    most = next(m.le for m in type(spec).model_fields["trials"].metadata if hasattr(m, "le"))
    if args.trials is not None and args.trials > most:  # the same bound a spec's 'trials' has
        from experiments.errors import InputError

        raise InputError(f"--trials: at most {most:,} (as a spec's 'trials'), got {args.trials:,}")
    out = args.out or Path("results") / f"optimise_{spec.name}"
    r = optimise(args.spec, out, trials=args.trials, reevaluate=not args.no_reevaluate, execution=execution, force=args.force, command=["hsr-careers", *sys.argv[1:]])  # fmt: skip
    if not args.quiet:
        cols = ["trial", "policies", "settings", "cost_per_year", *[c for m in r.objectives for c in (m, f"{m}_ci_low", f"{m}_ci_high")]]
        fresh = [f"{m}_fresh" for m in r.objectives if f"{m}_fresh" in r.pareto.columns]
        print(r.pareto[cols + fresh].to_string(index=False, float_format=lambda v: f"{v:.4g}") if not r.pareto.empty else "no feasible mix")
    s = r.stats
    print(
        f"{s['trials']} trials ({s['resumed_with']} from an earlier run), {s['evaluated']} runs evaluated, {s['cached']} reused; results in {out}"
    )
    return 0
