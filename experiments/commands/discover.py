"""``hsr-careers discover RESULTS --goal SPEC``: where does a policy miss its goal? (PRIM boxes, CART cross-check)"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path


def _fraction(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number, got '{text}'") from None
    if not 0 < v <= 1:
        raise argparse.ArgumentTypeError(f"must be in (0, 1], got {v:g}")
    return v


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``discover`` subcommand."""
    p = subparsers.add_parser(
        "discover",
        help="scenario discovery: the input regions where a policy misses a goal (PRIM boxes, CART cross-check)",
        description="Read an ensemble (compare --ensemble) or sensitivity results folder, mark the points where --goal holds "
        "(e.g. 'effect_retention_10y < 0.02': the policy falls short) and find boxes of the uncertain inputs that hold them "
        "(PRIM from ema-workbench), with a CART tree as a cross-check. Writes boxes.csv, box_limits.csv, cart_leaves.csv, "
        "trajectory.csv, figures/discovery.png and manifest.json.",
    )
    p.add_argument("results", type=Path, metavar="RESULTS", help="folder written by compare --ensemble or by sensitivity")
    p.add_argument("--goal", required=True, help="'OUTPUT OP VALUE', OP one of < <= > >= (the cases of interest)")
    p.add_argument("--scenario", default=None, help="policy to study when the ensemble compared several")
    p.add_argument("--boxes", type=int, default=2, help="most boxes to find (default 2)")
    p.add_argument("--min-density", type=_fraction, default=0.8, help="least density of a chosen box (default 0.8)")
    p.add_argument("--mass-min", type=_fraction, default=0.05, help="least share of points in a box (default 0.05)")
    p.add_argument("--max-dims", type=int, default=3, help="most inputs a box may restrict (default 3)")
    p.add_argument("--out", type=Path, default=None, help="output folder (default RESULTS/discovery)")
    p.add_argument("--force", action="store_true", help="replace other hsr-careers results in --out")
    p.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    """Run PRIM and CART, write the tables and the figure atomically, print a sentence per box."""
    from experiments.errors import InputError
    from experiments.out_folder import claim
    from experiments.plots.discovery import discovery_figure
    from experiments.runs.outputs import manifest, staged_results, write_json
    from experiments.sensitivity.discover import cart_agreement, check_measured, discover, load_results, parse_goal

    if args.max_dims < 1:
        raise InputError(f"--max-dims: must be at least 1, got {args.max_dims}")
    if args.boxes < 1:
        raise InputError(f"--boxes: must be at least 1, got {args.boxes}")
    started = dt.datetime.now(dt.UTC)
    data = load_results(args.results, args.scenario)
    goal = parse_goal(args.goal, list(data.y.columns))
    check_measured(data, goal)
    out = args.out or args.results / "discovery"
    settings = {"results": str(args.results.resolve()), "goal": str(goal), "scenario": args.scenario, "boxes": args.boxes,
                "min_density": args.min_density, "mass_min": args.mass_min, "max_dims": args.max_dims}  # fmt: skip
    with claim(out, "discovery", settings, force=args.force) as held:
        d = discover(data, goal, max_boxes=args.boxes, min_density=args.min_density, mass_min=args.mass_min, max_dims=args.max_dims)
        agreement = cart_agreement(d)
        with staged_results(out, clear_cache=False) as tmp:
            d.boxes.to_csv(tmp / "boxes.csv", index=False)
            d.limits.to_csv(tmp / "box_limits.csv", index=False)
            d.cart.to_csv(tmp / "cart_leaves.csv", index=False)
            traj = [t.assign(box=k) for k, t in enumerate(d.trajectories, start=1)]
            if traj:
                import pandas as pd

                pd.concat(traj, ignore_index=True).to_csv(tmp / "trajectory.csv", index=False)
            discovery_figure(d.trajectories, d.limits, d.ranges, str(goal), tmp / "figures" / "discovery.png")
            write_json(
                manifest(["hsr-careers", *sys.argv[1:]], started, output=held.marker, results=str(args.results), source=data.source, goal=str(goal),
                         points=d.n_points, cases=d.n_cases, settings={"boxes": args.boxes, "min_density": args.min_density,
                         "mass_min": args.mass_min, "max_dims": args.max_dims}, sentences=d.sentences, cart=agreement),
                tmp / "manifest.json",
            )  # fmt: skip
    print(f"{goal}: holds at {d.n_cases} of {d.n_points} points ({data.source})")
    for s in d.sentences:
        print(s)
    print(f"CART cross-check: {json.dumps(agreement, default=str)}")
    print(f"results written to {out}")
    if out == args.results / "discovery" and (args.results / "report.html").is_file():
        from experiments.report import write_report

        print(f"report re-made with these sentences: {write_report(args.results)}")
    return 0
