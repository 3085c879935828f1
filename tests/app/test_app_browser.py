"""The app in a real browser with the network blocked: headless Debian Chromium drives `hsr-careers app`.

The server is started as a user would (``--port 0``: the test reads the port it prints)
on the small test scenario, with Solara's CDN address pointed at a closed port so that
any JavaScript not installed locally (``solara[assets]``) would fail; the browser aborts
every request that is not to the app itself. The page renders, the charts are readable
at a 1280-pixel-wide window, switching a lever on and pressing Run changes the effects
panel, and "Save as scenario" writes a file that ``validate`` accepts. Screenshots
before and after the lever are kept in tests/artifacts/.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from browser_helpers import CHROMIUM_ARGS, chromium

ROOT = Path(__file__).resolve().parents[2]
SMALL = Path(__file__).with_name("small.yaml")
ARTIFACTS = ROOT / "tests" / "artifacts"
LEVER = "Open ended contracts — Make HSR careers stable"
FIXED_TERM = "share of employed on fixed-term contracts (final year)"


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
            time.sleep(0.3)
    raise AssertionError(f"the app server did not answer at {url} within {timeout:.0f} s")


def _printed_url(log: Path, proc: subprocess.Popen, timeout: float = 60) -> str:
    """The URL ``hsr-careers app`` prints (with the real port when started with --port 0)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        match = re.search(r"hsr-careers app: (http://127\.0\.0\.1:(\d+)/)", log.read_text())
        if match:
            assert int(match.group(2)) > 0
            return match.group(1)
        if proc.poll() is not None:
            raise AssertionError(f"the app exited with code {proc.returncode}: {log.read_text()}")
        time.sleep(0.2)
    raise AssertionError("the app did not print its URL")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    pytest.importorskip("solara")
    pytest.importorskip("playwright")
    home = tmp_path_factory.mktemp("solara_home")
    saves = tmp_path_factory.mktemp("saved")
    log_path = tmp_path_factory.mktemp("app_log") / "server.log"
    log = log_path.open("w")
    # Any asset fetched from the CDN would now fail: the page must come from the installed solara-assets.
    env = {**os.environ, "SOLARA_HOME": str(home), "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False", "SOLARA_ASSETS_CDN": "http://127.0.0.1:9/"}
    cmd = [sys.executable, "-m", "experiments.cli", "app", "--port", "0", "--scenario", str(SMALL), "--save-dir", str(saves)]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url = _printed_url(log_path, proc)
        _wait_http(url, proc, timeout=90)
        yield {"url": url, "saves": saves, "log": log_path}
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        log.close()


@pytest.fixture(scope="module")
def page(app):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        blocked: list[str] = []
        errors: list[str] = []
        local = app["url"].rstrip("/")

        def route(r):
            if r.request.url.startswith(local) or r.request.url.startswith(("data:", "blob:")):
                r.continue_()
            else:
                blocked.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(app["url"], timeout=90_000)
        page.blocked, page.errors = blocked, errors
        yield page
        browser.close()


def _wait_text(page, text: str, timeout: float = 90_000) -> None:
    page.wait_for_function("t => document.body.innerText.includes(t)", arg=text, timeout=timeout)


def _effects_row(page, label: str) -> list[str]:
    return page.evaluate(
        """l => { for (const tr of document.querySelectorAll('table.effects tr')) {
                 const cells = Array.from(tr.cells).map(c => c.innerText.trim()); if (cells[0] === l) return cells; } return null; }""",
        label,
    )


def _shown_font_px(page) -> list[float]:
    """For each chart: the smallest text height in pixels as shown (the figures' smallest font scaled to the image's shown width)."""
    from experiments.plots.app import DPI, MIN_FONT_PT

    page.wait_for_function("() => document.images.length >= 4 && Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)")
    ratios = page.evaluate("() => Array.from(document.images).map(i => i.getBoundingClientRect().width / i.naturalWidth)")
    return [r * MIN_FONT_PT * DPI / 72 for r in ratios]


def _screenshot(page, name: str) -> None:
    """The whole page at 1280 px wide (Solara scrolls inside the page, so a tall window shows it all)."""
    page.set_viewport_size({"width": 1280, "height": 2700})
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / name))
    page.set_viewport_size({"width": 1280, "height": 900})


def test_renders_offline_and_a_lever_changes_the_effects_panel(page, app):
    started = time.monotonic()
    _wait_text(page, "Effects against the baseline")
    text = page.inner_text("body")
    assert "HSR careers: policy levers" in text
    assert "Scenario opened: app_small" in text and "Each run starts with 300 researchers" in text  # run card, in sentences
    assert "No lever differs from the scenario as opened" in text
    assert "Researchers at the start: 300 people" in text and "4,000 people" in text  # a slider's value and its two ends
    for px in _shown_font_px(page):
        assert px >= 11, f"chart text shown at {px:.1f} px"
    ARTIFACTS.mkdir(exist_ok=True)
    _screenshot(page, "app_before_lever.png")

    page.get_by_text(LEVER).click()
    _wait_text(page, "Settings changed since the last run")
    page.get_by_role("button", name="Run", exact=True).click()
    page.wait_for_selector("table.effects", timeout=90_000)
    row = _effects_row(page, FIXED_TERM)
    assert row is not None, page.inner_text("body")
    _, baseline, levers, difference, interval, reading = row
    assert difference.startswith("−") and difference.endswith("pp") and reading == "better", row  # fewer on fixed-term contracts
    assert " to " in interval
    text = page.inner_text("body")
    assert "With the levers as set: Open ended contracts (Make HSR careers stable)" in text
    assert "Continuous service after which a fixed-term post becomes open-ended: 4 years of service" in text
    for px in _shown_font_px(page):
        assert px >= 11, f"chart text shown at {px:.1f} px"
    _screenshot(page, "app_after_lever.png")

    assert not page.errors, page.errors
    assert not [u for u in page.blocked if "/_solara/" in u or "cdn" in u], page.blocked  # nothing the page needs is remote
    assert "Could not load URL" not in app["log"].read_text()  # the server fetched nothing from the CDN
    print(f"browser test: {time.monotonic() - started:.1f} s after the page loaded; blocked requests: {page.blocked}")


def test_a_saved_scenario_validates(page, app):
    from experiments.cli import main
    from experiments.scenarios.load import load_scenario

    _wait_text(page, "Save as scenario")
    box = page.get_by_label("Scenario name")
    box.fill("open_ended_from_app")
    box.press("Enter")
    page.get_by_role("button", name="Save as scenario").click()
    _wait_text(page, "Saved ", timeout=30_000)
    path = app["saves"] / "open_ended_from_app.yaml"
    assert path.is_file()
    assert main(["validate", str(path)]) == 0
    sc = load_scenario(path)
    assert [p.policy_type for p in sc.config.policies] == ["open_ended_contracts"] and sc.config.run.population == 300
