"""The HTML report in a real browser with the network blocked: every image loads and the headline is there.

Headless Debian Chromium (as the app test drives it) opens ``report.html`` from a file
URL while every request that is not for a local file is aborted, so a report that
needed a CDN, a web font or a remote image would fail here. A full-page screenshot is
kept under ``tests/artifacts/`` (not committed) and its path printed.
"""

from __future__ import annotations

import re
from pathlib import Path

from browser_helpers import CHROMIUM_ARGS, chromium
from scenario_helpers import SCENARIOS, SMALL, cli_inprocess

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
HEADLINE = re.compile(r"Bridge funding, about £[\d.]+[km]? a year: (about \d+ (more|fewer) researchers in HSR after 10 years|no clear change)")


def test_report_opens_offline_with_every_image_loaded(tmp_path):
    from playwright.sync_api import sync_playwright

    chromium_path = chromium()
    out = tmp_path / "cmp"
    res = cli_inprocess("compare", SCENARIOS / "baseline.yaml", SCENARIOS / "bridge_funding.yaml", SCENARIOS / "stable_contracts.yaml",
                        "--reps", "3", *SMALL, "--jobs", "1", "--quiet", "--out", out)  # fmt: skip
    assert res.returncode == 0, res.stderr
    blocked: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})

            def route(r):
                if r.request.url.startswith(("file:", "data:")):
                    r.continue_()
                else:
                    blocked.append(r.request.url)
                    r.abort()

            page.route("**/*", route)
            page.goto((out / "report.html").as_uri())
            page.wait_for_load_state("load")
            images = page.evaluate("() => Array.from(document.images).map(i => [i.alt, i.complete, i.naturalWidth])")
            assert len(images) >= 6, images
            assert all(done and width > 0 for _, done, width in images), images
            alts = {alt for alt, _, _ in images}
            assert {"Effects of each policy", "Costs and the cost-effectiveness plane"} <= alts
            summary = page.inner_text("#summary")
            assert HEADLINE.search(summary), summary
            assert "Stable contracts" in summary
            ARTIFACTS.mkdir(exist_ok=True)
            shot = ARTIFACTS / "report.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 50_000
            print(f"report screenshot: {shot}")
        finally:
            browser.close()
    assert blocked == [], blocked  # the page asked for nothing outside the file
