"""``hsr-careers calibrate``: history-match the model to survey proportions, or ``--check`` the shipped baseline's fit."""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from experiments.commands.run import add_force_flag
from experiments.engine import BACKENDS
from experiments.out_folder import claim

DEFAULT_SCENARIO = Path("scenarios/baseline.yaml")
PUBLISHED = Path("calibration/calibrated.yaml")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``calibrate`` subcommand."""
    p = subparsers.add_parser(
        "calibrate",
        help="calibrate free parameters to the survey targets (history matching), or --check the baseline's fit",
        description="History matching over space-filling designs: writes calibrated.yaml, a parameter table, a fit table, "
        "figures and a manifest. Resumable: rerun the same command after an interruption. "
        "With --check, runs the baseline scenario and exits 0 only if every fitted target passes the calibration's "
        "acceptance rule (implausibility at most the cut-off).",
    )
    p.add_argument("--targets", type=Path, help="targets file (default: calibration/targets.yaml)")
    p.add_argument("--setup", type=Path, help="free parameters, priors and settings (default: calibration/parameters.yaml)")
    p.add_argument("--scenario", type=Path, help=f"base scenario (default: {DEFAULT_SCENARIO} if present, else the declared defaults)")
    p.add_argument("--budget", type=int, default=1200, help="model runs for the calibration, confirmation included (default 1200)")
    p.add_argument("--backend", choices=BACKENDS, default="loky", help="execution engine (default loky)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler to join (with --backend dask)")
    p.add_argument("--jobs", type=int, default=-1, help="worker processes; -1 = all cores (default)")
    p.add_argument("--out", type=Path, help="output directory (default: calibration/output; with --check: results/calibration_check)")
    p.add_argument("--publish", action="store_true", help=f"also copy calibrated.yaml to {PUBLISHED} (what the baseline extends)")
    p.add_argument("--check", action="store_true", help="run the baseline scenario and check its fit instead of calibrating")
    p.add_argument("--reps", type=int, default=10, help="replicates for --check (default 10)")
    p.add_argument("--population", type=int, help="--check only: override the scenario's run.population (smaller = faster, noisier)")
    p.add_argument("--years", type=int, help="--check only: override the scenario's run.years")
    add_force_flag(p)
    p.set_defaults(func=handle)


def _base_config(path: Path | None):
    from experiments.scenarios.load import load_scenario
    from model.config import ModelConfig, with_overrides

    if path is not None or DEFAULT_SCENARIO.is_file():
        scenario = load_scenario(path or DEFAULT_SCENARIO)
        return scenario.config, str(scenario.path)
    config = ModelConfig()
    if PUBLISHED.is_file():  # no baseline scenario: declared defaults plus the published calibration
        from experiments.errors import InputError
        from model import safe_yaml

        try:
            data = safe_yaml.load_file(PUBLISHED, "calibrated parameters file").data
        except (safe_yaml.YamlError, AttributeError) as exc:
            raise InputError(f"{PUBLISHED}: {exc}") from None
        values = {f"{g}.{k}": v for g, group in data.items() if isinstance(group, dict) for k, v in group.items()}
        return with_overrides(config, values), f"declared defaults + {PUBLISHED}"
    return config, "declared defaults"


def _evaluate(config, names, args, store=None):
    from experiments.runs.measured import StoredEvaluate

    return StoredEvaluate(config, names, store, backend=args.backend, jobs=args.jobs, scheduler=args.scheduler)


def handle(args: argparse.Namespace) -> int:
    """Calibrate (exit 0) or check (exit 0 if every fitted target fits, else 1); bad input exits 2."""
    from calibration.targets import DEFAULT_TARGETS, TargetsError, load_targets
    from experiments.errors import InputError

    if args.scheduler and args.backend != "dask":
        raise InputError(f"--scheduler needs --backend dask (got --backend {args.backend})")
    if args.reps < 2:
        raise InputError(f"--reps: need at least 2 replicates for a simulated SD, got {args.reps}")
    try:
        targets = load_targets(args.targets or DEFAULT_TARGETS)
        config, origin = _base_config(args.scenario)
        return _check(targets, config, origin, args) if args.check else _calibrate(targets, config, origin, args)
    except TargetsError as exc:
        raise InputError(str(exc)) from None


def _check(targets, config, origin, args) -> int:
    from calibration.fit import check_passes, fit_table, markdown
    from calibration.report import atomic_write, write_manifest
    from calibration.setup import DEFAULT_SETUP, load_setup
    from calibration.simulate import replicate_seeds
    from experiments.plots.calibration import fit_chart
    from experiments.scenarios.load import apply_run_overrides
    from model.config import with_overrides

    cutoff = load_setup(args.setup or DEFAULT_SETUP, config).settings.cutoff  # the calibration's own acceptance rule
    t0 = time.perf_counter()
    config = apply_run_overrides(with_overrides(config, {"run.log_events": True}), origin, population=args.population, years=args.years)
    names = sorted({t.measure for t in targets})
    seeds = replicate_seeds(config.run.seed, args.reps, stream=2)
    r = config.run
    print(f"checking {origin}: {args.reps} replicates, population {r.population}, {r.burn_in_years} + {r.years} years", file=sys.stderr)
    out = args.out or Path("results/calibration_check")
    settings = {"config": config.model_dump(mode="json"), "targets": [vars(t) for t in targets], "reps": args.reps}
    with claim(out, "calibration_check", settings, force=args.force) as held:
        runs = [m for _, m in sorted(_evaluate(config, names, args)([({}, s) for s in seeds]), key=lambda x: x[0])]
        table = fit_table(targets, runs, cutoff)
        atomic_write(out / "fit_table.csv", table.to_csv(index=False))
        fit_chart(table, out / "figures" / "fit.png", title=f"Fit of {origin} ({args.reps} replicates)")
        ok = check_passes(table)
        seconds = round(time.perf_counter() - t0, 1)
        info = {"command": "calibrate --check", "scenario": origin, "reps": args.reps, "seeds": seeds, "passed": ok, "wall_seconds": seconds}
        write_manifest(out, {"output": held.marker, **info})
    print(markdown(table, ["target", "observed", "obs_ci_low", "obs_ci_high", "simulated_mean", "simulated_sd", "implausibility", "accepted", "role"]))
    bad = table[(table["role"] == "fit") & ~table["accepted"]]["target"].tolist()
    print(f"{'PASS' if ok else 'FAIL'}: {len(table[table['role'] == 'fit']) - len(bad)} of {int((table['role'] == 'fit').sum())} fitted targets accepted "
          f"(implausibility at most {cutoff:g}){'' if ok else '; not accepted: ' + ', '.join(bad)} ({seconds} s; table in {out / 'fit_table.csv'})")  # fmt: skip
    return 0 if ok else 1


def _calibrate(targets, config, origin, args) -> int:
    from calibration.history_matching import plan
    from calibration.setup import DEFAULT_SETUP, load_setup
    from experiments.errors import InputError

    started = datetime.now(UTC).isoformat(timespec="seconds")
    setup = load_setup(args.setup or DEFAULT_SETUP, config)
    plan(args.budget, setup)  # refuse a too-small budget before any work
    out = args.out or Path("calibration/output")
    names = sorted({t.measure for t in targets} | set(setup.measures()))

    def progress(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    from model.config import with_overrides

    try:
        run_config = with_overrides(config, setup.settings.run_overrides())
    except ValueError as exc:  # e.g. a scheduled shock beyond the calibration's shorter horizon
        msg = exc.errors()[0]["msg"].removeprefix("Value error, ") if hasattr(exc, "errors") else str(exc)
        raise InputError(f"{origin} with the calibration's run settings ({args.setup or DEFAULT_SETUP}): {msg}") from None
    settings = {"config": config.model_dump(mode="json"), "targets": [vars(t) for t in targets], "setup": [vars(f) for f in setup.free],
                "settings": vars(setup.settings)}  # fmt: skip - the budget may change: runs are cached one by one
    with claim(out, "calibration", settings, force=args.force) as held:
        code = _history_match(targets, setup, config, run_config, names, args, out, progress, held.marker, origin, started)
    if args.publish:
        shutil.copyfile(out / "calibrated.yaml", PUBLISHED)
    return code


def _history_match(targets, setup, config, run_config, names, args, out, progress, marker, origin, started) -> int:  # noqa: ANN001
    from calibration.history_matching import history_match
    from calibration.report import write_calibration, write_manifest
    from experiments.plots.calibration import fit_chart, marginals, wave_ranges

    result = history_match(targets, setup, config, _evaluate(run_config, names, args, store=out / "cache"), args.budget, progress=progress)
    s = result.stats
    header = (
        f"History matching to {sum(t.role == 'fit' for t in targets)} published proportions in {setup.settings.waves} emulated waves "
        f"({s['design_points']} design points, {s['nroy_points']} not ruled out, NROY volume {s['nroy_volume_final']:.2g} of the prior, "
        f"budget {args.budget} runs); see docs/calibration.md"
    )
    write_calibration(out, result, header)
    fit_chart(result.fit, out / "figures" / "fit.png", title=f"Calibrated fit ({setup.settings.confirm_reps} replicates)")
    marginals(result.design, result.parameters, out / "figures" / "marginals.png")
    wave_ranges(result.waves, result.parameters, out / "figures" / "waves.png")
    write_manifest(
        out,
        {
            "output": marker,
            "command": "calibrate",
            "base": origin,
            "targets": str(args.targets or "calibration/targets.yaml"),
            "setup": str(args.setup or "calibration/parameters.yaml"),
            "settings": vars(setup.settings),
            "backend": args.backend,
            "started": started,
            "finished": datetime.now(UTC).isoformat(timespec="seconds"),
            **s,
        },
    )
    from calibration.fit import markdown

    print(markdown(result.parameters.drop(columns=["why"])))
    print()
    print(markdown(result.fit, ["target", "observed", "obs_ci_low", "obs_ci_high", "simulated_mean", "simulated_sd", "implausibility", "accepted", "role"]))
    print(f"{s['runs_evaluated']} runs ({s['runs_cached']} from cache), {s['nroy_points']} of {s['design_points']} points NROY, "
          f"{s['wall_seconds']} s; outputs in {out}{' and ' + str(PUBLISHED) if args.publish else ''}")  # fmt: skip
    return 0
