"""``hsr-careers app``: the interactive policy-lever app in the browser (Solara, needs ``.[viz]``).

The page's JavaScript comes from the ``solara-assets`` package (installed with the viz
extra as ``solara[assets]``) into the folder the server reads first, so the app needs
no internet access. ``--port 0`` picks a free port and prints the one it serves on.
"""

from __future__ import annotations

import argparse
import errno
import importlib.util
import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from experiments.errors import InputError

PAGE = Path(__file__).resolve().parent.parent / "app" / "page.py"
NEEDED = ("solara", "ipyvuetify", "solara_assets")
VIZ_HINT = "pip install -e '.[viz]' (solara[assets] brings the page's JavaScript, so no internet access is needed)"


def server_command(host: str, port: int) -> list[str]:
    """The ``solara run`` command line that serves the app page."""
    return [sys.executable, "-m", "solara", "run", str(PAGE), "--host", host, "--port", str(port), "--production", "--no-open"]


def server_env(scenario: Path | None, save_dir: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for the server: scenario, save folder, no telemetry, a writable Solara home."""
    env = dict(os.environ if base is None else base)
    env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] = "False"
    env.setdefault("SOLARA_HOME", str(Path(tempfile.gettempdir()) / "hsr-careers-solara"))
    env["HSR_APP_SAVE_DIR"] = str(save_dir.resolve())
    if scenario is not None:
        env["HSR_APP_SCENARIO"] = str(scenario.resolve())
    return env


def _check(args: argparse.Namespace) -> Path | None:
    missing = [m for m in NEEDED if importlib.util.find_spec(m) is None]
    if missing:
        raise InputError(f"the app needs the viz extra ({', '.join(missing)} not installed): {VIZ_HINT}")
    if not 0 <= args.port <= 65535:
        raise InputError(f"--port must be between 0 and 65535, got {args.port}")
    if not args.save_dir.is_dir():
        raise InputError(f"--save-dir: folder '{args.save_dir}' does not exist")
    scenario = args.scenario
    if scenario is None:
        default = Path("scenarios/baseline.yaml")
        return default if default.is_file() else None
    if not scenario.exists():
        raise InputError(f"--scenario: scenario file not found: {scenario}")
    from experiments.scenarios.load import load_scenario

    load_scenario(scenario)  # refuse a bad file here, with its message, before the server starts
    return scenario


def choose_port(host: str, port: int) -> int:
    """``port`` if this machine can listen on it at ``host``; for 0, a free port. Else ``InputError``."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise InputError(f"--host: cannot use '{host}' ({exc.strerror or exc})") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does: a port in TIME_WAIT is free
        try:
            probe.bind(address)
        except OSError as exc:
            reason = (
                "is already in use (another app or server is listening there)"
                if exc.errno == errno.EADDRINUSE
                else f"cannot be used ({exc.strerror or exc})"
            )
            raise InputError(f"--port {port}: port {port} on {host} {reason}; choose another --port, or --port 0 for a free one") from None
        return probe.getsockname()[1]


def handle(args: argparse.Namespace) -> int:
    """Start the Solara server in the foreground (Ctrl-C stops it)."""
    scenario = _check(args)
    port = choose_port(args.host, args.port)  # before the URL is printed; 0 becomes the free port chosen
    Path(server_env(None, args.save_dir)["SOLARA_HOME"]).mkdir(parents=True, exist_ok=True)
    env = server_env(scenario, args.save_dir)
    print(
        f"hsr-careers app: http://{args.host}:{port}/ (scenario: {scenario or 'declared defaults'}; saved scenarios go to "
        f"{args.save_dir.resolve()}); Ctrl-C stops it",
        file=sys.stderr,
        flush=True,
    )
    return serve(server_command(args.host, port), env)


def serve(command: list[str], env: dict[str, str]) -> int:
    """Run the server, passing its log through."""
    proc = subprocess.Popen(command, env=env)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        proc.wait()
        return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``app`` subcommand."""
    p = subparsers.add_parser(
        "app",
        help="interactive app: move policy levers, run paired replicates and read the effects against the baseline",
        description="Serve the interactive app on 127.0.0.1. Levers are generated from the policy declaration; Run compares "
        "the levers' scenario with the scenario opened over paired replicates; Save as scenario writes a file that validate "
        f"accepts and run reproduces. Needs the viz extra: {VIZ_HINT}.",
    )
    p.add_argument("--scenario", type=Path, default=None, help="scenario the app starts from (default: scenarios/baseline.yaml if present)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=8765, help="port (default: 8765; 0 picks a free one and prints it)")
    p.add_argument("--save-dir", type=Path, default=Path("."), help="folder 'Save as scenario' writes to (default: the current folder)")
    p.set_defaults(func=handle)
