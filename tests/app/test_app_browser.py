"""The interactive app in a real browser: headless Debian Chromium drives `hsr-careers app`.

The page loads, Reset starts a fresh run (the served model is shared), two Steps
simulate two years; switching the open-ended-contracts lever on and pressing Reset
again gives a different contract-mix chart and a lower fixed-term share. The same seed
and settings draw the same chart (see test_app.py), so a changed chart is the lever's
doing.

Solara loads its JavaScript from a CDN at run time; tests/app/browser/fetch_solara_assets.sh
fills a local copy from the npm registry (kept in the user's cache folder, never in the
repository) and the server reads it through SOLARA_ASSETS_PROXY_CACHE_DIR.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ASSET_SCRIPT = ROOT / "tests" / "app" / "browser" / "fetch_solara_assets.sh"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
LEVER = "Open ended contracts — Make HSR careers stable"


def _unavailable(reason: str) -> None:
    # In CI (.ci/run installs Chromium and npm) a missing piece is a failure, not a skip.
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def _chromium() -> str:
    path = os.environ.get("HSR_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        _unavailable("Debian's chromium is not installed (apt-get install chromium)")
    return path


def _asset_cache() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    cache = Path(os.environ.get("HSR_SOLARA_ASSETS") or base / "hsr-careers" / "solara-assets")
    if shutil.which("npm") is None:
        _unavailable("npm is needed to fetch Solara's JavaScript assets")
    subprocess.run(["bash", str(ASSET_SCRIPT), str(cache)], check=True, timeout=300)
    return cache


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(url: str, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"the app server exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"the app server did not answer at {url} within {timeout:.0f} s")


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    pytest.importorskip("solara")
    cache = _asset_cache()
    port = _free_port()
    home = tmp_path_factory.mktemp("solara_home")
    log = (tmp_path_factory.mktemp("app_log") / "server.log").open("w")
    env = {**os.environ, "SOLARA_HOME": str(home), "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"}
    cmd = [sys.executable, "-m", "experiments.cli", "app", "--port", str(port), "--assets-cache", str(cache)]
    cmd += ["--scenario", str(ROOT / "scenarios" / "baseline.yaml")]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_http(url, proc, timeout=120)
        yield url
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        log.close()


def _text(page) -> str:
    return page.inner_text("body")


def _wait_text(page, text: str, timeout: float = 60_000) -> None:
    page.wait_for_function("t => document.body.innerText.includes(t)", arg=text, timeout=timeout)


def _fixed_term_share(page) -> float:
    match = re.search(r"On fixed-term contracts: ([\d.]+)%", _text(page))
    assert match, "the summary shows the fixed-term share"
    return float(match.group(1))


def _chart_png(page, index: int) -> str:
    """The index-th chart image as a data URL, once every image on the page has loaded."""
    page.wait_for_function(
        "() => Array.from(document.images).length >= 4 && Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"
    )
    return page.evaluate(
        """i => { const img = document.images[i]; const c = document.createElement('canvas');
                  c.width = img.naturalWidth; c.height = img.naturalHeight;
                  c.getContext('2d').drawImage(img, 0, 0); return c.toDataURL('image/png'); }""",
        index,
    )


def _run_two_years(page) -> None:
    page.get_by_role("button", name="Reset").click()
    _wait_text(page, "Burn-in done")
    for year in (1, 2):
        page.get_by_role("button", name="Step").click()
        _wait_text(page, f"Reported year: {year} of")


def test_lever_changes_the_charts_in_the_browser(app_url):
    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(app_url, timeout=90_000)
            page.get_by_role("button", name="Step").wait_for(timeout=90_000)
            assert "HSR careers: policy levers" in _text(page)
            # The controls come from the policy declaration: every registered policy has a switch.
            from model.policies import POLICIES

            for policy_type in POLICIES:
                assert policy_type.replace("_", " ").capitalize() in _text(page)

            _run_two_years(page)
            assert "none (no policy lever switched on)" in _text(page)
            base_share = _fixed_term_share(page)
            base_chart = _chart_png(page, 0)  # contract mix

            page.get_by_text(LEVER).click()
            _run_two_years(page)
            _wait_text(page, "Policies in force: open ended contracts")
            page.wait_for_function(
                """([i, before]) => { const img = document.images[i];
                   if (!img || !img.complete || !img.naturalWidth) return false;
                   const c = document.createElement('canvas'); c.width = img.naturalWidth; c.height = img.naturalHeight;
                   c.getContext('2d').drawImage(img, 0, 0); return c.toDataURL('image/png') !== before; }""",
                arg=[0, base_chart],
                timeout=30_000,
            )
            lever_share = _fixed_term_share(page)
            assert lever_share < base_share - 10, (base_share, lever_share)
            assert not errors, errors
        finally:
            browser.close()
    print(f"browser test: {time.monotonic() - started:.1f} s after the server answered")
