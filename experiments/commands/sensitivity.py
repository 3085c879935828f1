"""``hsr-careers sensitivity SCENARIO``: Morris screening or Sobol' indices of a scenario and its policy effect."""

from __future__ import annotations

import argparse
import dataclasses

from experiments.commands import add_execution_flags, add_force_flag, execution_of
from experiments.sensitivity.design import METHODS
from experiments.sensitivity.factors import RANGE_KINDS


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``sensitivity`` subcommand."""
    p = subparsers.add_parser(
        "sensitivity",
        help="global sensitivity analysis (SALib Morris or Sobol') of a scenario and its policy effect",
        description=(
            "Which uncertain parameters decide retention, the equity gaps and a policy's effect? "
            "Factors and ranges come from the parameter declaration, chosen or narrowed by the scenario's "
            "'sensitivity:' block or --factors. Each design point is the mean of --reps replicates with common "
            "random numbers; rerunning the same command resumes where it stopped."
        ),
    )
    p.add_argument("scenario", help="scenario YAML file (its 'sensitivity:' block, if any, gives defaults)")
    p.add_argument("--method", choices=METHODS, default=None, help="morris (screening, default) or sobol (variance-based)")
    p.add_argument(
        "-N", type=int, default=None, dest="n", help="Morris trajectories (default 20) or Sobol' base samples, a power of two (default 256)"
    )
    p.add_argument("--reps", type=int, default=None, help="replicates per design point (default 2; at least 2 to report the noise share)")
    p.add_argument(
        "--outputs",
        nargs="+",
        default=None,
        metavar="NAME",
        help="outputs to analyse: metric names, effect_<metric> for policy minus baseline",
    )
    p.add_argument(
        "--factors",
        nargs="+",
        default=None,
        metavar="PATH",
        help="parameter paths to vary (declared ranges), replacing the block's factors",
    )
    p.add_argument(
        "--ranges", choices=RANGE_KINDS, default="plausible", help="declared range used for factors given without one (default plausible)"
    )
    p.add_argument("--baseline", default=None, help="baseline scenario for policy effects (overrides the block's 'baseline')")
    p.add_argument("--second-order", action="store_true", help="Sobol': also second-order indices (doubles the design)")
    p.add_argument("--population", type=int, default=None, help="override run.population (smaller is faster)")
    p.add_argument("--years", type=int, default=None, help="override run.years (at least 10 for the 10-year outputs)")
    p.add_argument("--burn-in-years", type=int, default=None, help="override run.burn_in_years")
    p.add_argument("--seed", type=int, default=None, help="override run.seed (root of design and replicate seeds)")
    p.add_argument("--out", default=None, help="output folder (default results/sensitivity_<scenario>_<method>)")
    add_execution_flags(p)
    p.add_argument("--no-progress", action="store_true", help=argparse.SUPPRESS)  # older: no progress bar, the summary still printed
    add_force_flag(p)
    p.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    """Run the analysis, write its files and print the top of each ranking."""
    from experiments.sensitivity.run import run_sensitivity

    execution = execution_of(args)
    if args.no_progress:
        execution = dataclasses.replace(execution, progress=False)
    overrides = {
        f"run.{k}": v
        for k, v in (("population", args.population), ("years", args.years), ("burn_in_years", args.burn_in_years), ("seed", args.seed))
        if v is not None
    }
    result = run_sensitivity(
        args.scenario,
        method=args.method,
        n=args.n,
        reps=args.reps,
        outputs=args.outputs,
        factors=args.factors,
        baseline=args.baseline,
        ranges=args.ranges,
        second_order=args.second_order,
        run_overrides=overrides,
        out_dir=args.out,
        execution=execution,
        force=args.force,
    )
    if not args.quiet:
        print(summary_text(result))
    print(f"wrote {result.stats['out_dir']}")
    return 0


def summary_text(result, top: int = 5) -> str:  # noqa: ANN001 - SensitivityResult, imported lazily
    """A short console summary: evaluation counts, then the top factors of each output with intervals."""
    s = result.stats
    lines = [
        f"{result.method}: {s['factors']} factors, N={result.n}, {s['design_points']} points x {result.reps} reps ({s['evaluated']} run, {s['cached']} from cache)"
    ]
    noise = dict(zip(result.noise["output"], result.noise["noise_share"], strict=True))
    for output in result.outputs:
        if output in result.skipped:
            lines.append(f"  {output}: skipped ({result.skipped[output]})")
            continue
        lines.append(f"  {output} (noise share {noise.get(output, float('nan')):.2f}):")
        for _, r in result.ranking(output).head(top).iterrows():
            if result.method == "morris":
                lines.append(
                    f"    {int(r['rank']):>2}. {r['parameter']:<40} mu*={r['mu_star']:.4g} ± {r['mu_star_conf']:.2g}  sigma={r['sigma']:.3g}"
                )
            else:
                lines.append(
                    f"    {int(r['rank']):>2}. {r['parameter']:<40} ST={r['ST']:.3f} ± {r['ST_conf']:.3f}  S1={r['S1']:.3f} ± {r['S1_conf']:.3f}"
                )
    return "\n".join(lines)
