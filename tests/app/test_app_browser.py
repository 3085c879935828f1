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
from browser_helpers import CHROMIUM_ARGS, chromium, unavailable

ROOT = Path(__file__).resolve().parents[2]
ASSET_SCRIPT = ROOT / "tests" / "app" / "browser" / "fetch_solara_assets.sh"
LEVER = "Open ended contracts — Make HSR careers stable"


_unavailable = unavailable
_chromium = chromium


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


def test_levers_show_their_values_nested_under_their_switch_beside_a_baseline(app_url):
    """Each setting's value and unit sit above its slider, only while its policy is on; no Mesa developer controls;
    the baseline with the same seed runs beside the current run; the retention chart says where it is cut."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(app_url, timeout=90_000)
            page.get_by_role("button", name="Step").wait_for(timeout=90_000)
            text = _text(page)
            for internal in ("Use Threads", "Render Interval", "Play Interval", "Model Parameters"):
                assert internal not in text, internal
            assert "PAGE 0" not in text.upper()
            assert "Researchers at the start: 1,000 people" in text  # value and unit, not a bare slider
            setting = "Most months bridged per gap"
            assert setting not in text  # hidden while bridge funding is off
            page.get_by_text("Bridge funding — Fix funding gaps").click()
            _wait_text(page, f"{setting}: 6 months")
            label = page.get_by_text(f"{setting}: 6 months")
            slider = page.get_by_role("slider").nth(2)  # population, seed, then bridge funding's first setting
            assert label.bounding_box()["y"] + label.bounding_box()["height"] <= slider.bounding_box()["y"] + 1  # label above the track
            slider.focus()
            page.keyboard.press("ArrowRight")
            _wait_text(page, f"{setting}: 7 months")  # the shown value follows the slider

            _run_two_years(page)
            _wait_text(page, "Policies in force: bridge funding (max months 7 months")
            assert "Baseline (same seed, no lever moved):" in _text(page)
            assert "Retention curves stop where fewer than 20 people remain at risk" in _text(page)
            page.wait_for_function("() => Array.from(document.images).filter(i => i.complete && i.naturalWidth > 0).length >= 4")

            page.get_by_text("Bridge funding — Fix funding gaps").click()
            page.wait_for_function("t => !document.body.innerText.includes(t)", arg=setting, timeout=30_000)  # hidden again
            assert not errors, errors
        finally:
            browser.close()
