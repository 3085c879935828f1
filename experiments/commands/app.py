"""``hsr-careers app``: the interactive policy-lever app in the browser (Mesa SolaraViz, needs ``.[viz]``)."""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from experiments.errors import InputError

PAGE = Path(__file__).resolve().parent.parent / "app" / "page.py"
NEEDED = ("solara", "ipyvuetify", "altair")


def server_command(host: str, port: int) -> list[str]:
    """The ``solara run`` command line that serves the app page."""
    return [sys.executable, "-m", "solara", "run", str(PAGE), "--host", host, "--port", str(port), "--production", "--no-open"]


def server_env(scenario: Path | None, assets_cache: Path | None, base: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for the server: scenario, no telemetry, a writable Solara home, optional local JS assets."""
    env = dict(os.environ if base is None else base)
    env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] = "False"
    env.setdefault("SOLARA_HOME", str(Path(tempfile.gettempdir()) / "hsr-careers-solara"))
    if scenario is not None:
        env["HSR_APP_SCENARIO"] = str(scenario.resolve())
    if assets_cache is not None:
        env["SOLARA_ASSETS_PROXY_CACHE_DIR"] = str(assets_cache.resolve())
    return env


def _check(args: argparse.Namespace) -> Path | None:
    missing = [m for m in NEEDED if importlib.util.find_spec(m) is None]
    if missing:
        raise InputError(f"the app needs the viz extra ({', '.join(missing)} not installed): pip install -e '.[viz]'")
    if not 0 <= args.port <= 65535:
        raise InputError(f"--port must be between 0 and 65535, got {args.port}")
    scenario = args.scenario
    if scenario is None:
        default = Path("scenarios/baseline.yaml")
        return default if default.is_file() else None
    if not scenario.is_file():
        raise InputError(f"scenario file not found: {scenario}")
    from experiments.scenarios.load import load_scenario

    load_scenario(scenario)  # refuse a bad file here, with its message, before the server starts
    return scenario


def handle(args: argparse.Namespace) -> int:
    """Start the Solara server in the foreground (Ctrl-C stops it)."""
    scenario = _check(args)
    Path(server_env(None, None)["SOLARA_HOME"]).mkdir(parents=True, exist_ok=True)
    env = server_env(scenario, args.assets_cache)
    print(
        f"hsr-careers app: http://{args.host}:{args.port}/ (scenario: {scenario or 'declared defaults'}); Ctrl-C stops it", file=sys.stderr
    )
    try:
        return subprocess.call(server_command(args.host, args.port), env=env)
    except KeyboardInterrupt:
        return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``app`` subcommand."""
    p = subparsers.add_parser(
        "app",
        help="interactive app: move policy levers and watch careers year by year in the browser",
        description="Serve the interactive app (Mesa SolaraViz) on 127.0.0.1. Levers are generated from the policy declaration; "
        "press Reset after moving one. Needs the viz extra: pip install -e '.[viz]'.",
    )
    p.add_argument("--scenario", type=Path, default=None, help="scenario the app starts from (default: scenarios/baseline.yaml if present)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=8765, help="port (default: 8765; 0 picks a free one)")
    p.add_argument(
        "--assets-cache",
        type=Path,
        default=None,
        help="folder of local copies of Solara's JavaScript packages, for machines without internet access "
        "(see docs/notebooks.md); default: fetched from the CDN",
    )
    p.set_defaults(func=handle)
