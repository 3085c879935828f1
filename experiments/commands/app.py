"""``hsr-careers app``: the interactive policy-lever app in the browser (Mesa SolaraViz, needs ``.[viz]``)."""

from __future__ import annotations

import argparse
import errno
import importlib.util
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from experiments.errors import InputError

PAGE = Path(__file__).resolve().parent.parent / "app" / "page.py"
NEEDED = ("solara", "ipyvuetify", "altair")
CDN = ("cdn.jsdelivr.net", 443)  # where Solara's server fetches its JavaScript packages from by default
ASSET_FAILURE = "Could not load URL"  # what Solara logs, again and again, when that fetch fails
HINT = (
    "hsr-careers app: Solara cannot fetch its JavaScript packages from the CDN (no internet access?), so the page will stay "
    "blank. Build a local copy once (needs npm): bash tests/app/browser/fetch_solara_assets.sh ~/.cache/hsr-careers/solara-assets "
    "then restart with: hsr-careers app --assets-cache ~/.cache/hsr-careers/solara-assets (see docs/notebooks.md)"
)


def cdn_reachable(address: tuple[str, int] = CDN, timeout: float = 3.0) -> bool:
    """Whether a TCP connection to the CDN opens (a closed network fails fast or times out)."""
    import socket

    try:
        with socket.create_connection(address, timeout=timeout):
            return True
    except OSError:
        return False


class AssetWatch:
    """Reads the server's log lines; the first sign that the JavaScript assets failed to load returns the hint, once."""

    def __init__(self) -> None:
        self.hinted = False

    def feed(self, line: str) -> str | None:
        """The hint if ``line`` is the first asset failure, else None."""
        if not self.hinted and ASSET_FAILURE in line:
            self.hinted = True
            return HINT
        return None


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


def _check_cache(cache: Path | None) -> None:
    if cache is not None and not (cache.is_dir() and any(cache.iterdir())):
        raise InputError(f"--assets-cache: '{cache}' is not a folder of Solara's JavaScript packages; build it with "
                         f"bash tests/app/browser/fetch_solara_assets.sh {cache}")  # fmt: skip


def _check(args: argparse.Namespace) -> Path | None:
    missing = [m for m in NEEDED if importlib.util.find_spec(m) is None]
    if missing:
        raise InputError(f"the app needs the viz extra ({', '.join(missing)} not installed): pip install -e '.[viz]'")
    if not 0 <= args.port <= 65535:
        raise InputError(f"--port must be between 0 and 65535, got {args.port}")
    _check_cache(args.assets_cache)
    scenario = args.scenario
    if scenario is None:
        default = Path("scenarios/baseline.yaml")
        return default if default.is_file() else None
    if not scenario.exists():
        raise InputError(f"--scenario: scenario file not found: {scenario}")
    from experiments.scenarios.load import load_scenario

    load_scenario(scenario)  # refuse a bad file here, with its message, before the server starts
    return scenario


def check_port(host: str, port: int) -> None:
    """Refuse (``InputError``) a host and port this machine cannot listen on, e.g. a port already in use."""
    import socket

    if port == 0:
        return
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
            reason = "is already in use (another app or server is listening there)" if exc.errno == errno.EADDRINUSE else f"cannot be used ({exc.strerror or exc})"
            raise InputError(f"--port {port}: port {port} on {host} {reason}; choose another --port, or --port 0 for a free one") from None


def handle(args: argparse.Namespace) -> int:
    """Start the Solara server in the foreground (Ctrl-C stops it)."""
    scenario = _check(args)
    check_port(args.host, args.port)  # before the URL is printed
    Path(server_env(None, None)["SOLARA_HOME"]).mkdir(parents=True, exist_ok=True)
    env = server_env(scenario, args.assets_cache)
    print(
        f"hsr-careers app: http://{args.host}:{args.port}/ (scenario: {scenario or 'declared defaults'}); Ctrl-C stops it", file=sys.stderr
    )
    if args.assets_cache is None and not cdn_reachable():
        print(HINT, file=sys.stderr)
    return serve(server_command(args.host, args.port), env, watch=args.assets_cache is None)


def serve(command: list[str], env: dict[str, str], watch: bool = True) -> int:
    """Run the server, passing its log through and adding the ``--assets-cache`` hint if its assets fail to load."""
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    watcher = AssetWatch()
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            sys.stderr.write(line)
            hint = watcher.feed(line) if watch else None
            if hint:
                print(hint, file=sys.stderr, flush=True)
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        proc.wait()
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
