"""The HTML report in a real browser with the network blocked, at a desktop (1280 px) and a phone (390 px) width.

Headless Debian Chromium opens ``report.html`` from a file URL while every request that
is not for a local file is aborted, so a report that needed a CDN, a web font or a remote
image would fail here. At both widths: every image loads, the ranked table and the
summary are at the top, and the page does not scroll sideways (wide tables and figures
scroll inside their own box). Full-page screenshots are kept in ``tests/artifacts/``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_helpers import CHROMIUM_ARGS, chromium
from scenario_helpers import SCENARIOS, SMALL, cli_inprocess

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
WIDTHS = (1280, 390)


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "cmp"
    res = cli_inprocess("compare", SCENARIOS / "baseline.yaml", SCENARIOS / "bridge_funding.yaml", SCENARIOS / "stable_contracts.yaml",
                        SCENARIOS / "funding_shock.yaml", "--reps", "3", *SMALL, "--jobs", "1", "--quiet", "--out", out)  # fmt: skip
    assert res.returncode == 0, res.stderr
    return out / "report.html"


@pytest.mark.parametrize("width", WIDTHS)
def test_report_opens_offline_at_any_width(report, width):
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})

            def route(r):
                if r.request.url.startswith(("file:", "data:")):
                    r.continue_()
                else:
                    blocked.append(r.request.url)
                    r.abort()

            page.route("**/*", route)
            page.goto(report.as_uri())
            page.wait_for_load_state("load")
            images = page.evaluate("() => Array.from(document.images).map(i => [i.alt, i.complete, i.naturalWidth])")
            assert len(images) >= 6, images
            assert all(done and w > 0 for _, done, w in images), images
            assert {"Effects of each policy", "Over calendar time", "Cost-effectiveness plane"} <= {alt for alt, _, _ in images}
            # No sideways scrolling of the page itself (a table or figure may scroll inside its own box).
            scroll, client = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert scroll <= client, f"page is {scroll} px wide in a {client} px window"
            # The ranked table comes first, one row per option, the what-if apart; its cells are visible.
            first = page.evaluate("() => document.querySelector('h2').id || document.querySelector('h2').parentElement.id")
            assert first == "decision", first
            decision = page.inner_text("#decision")
            assert "Sorted by" in decision and "What if" in decision
            assert decision.index("Bridge funding") < decision.index("What if") < decision.index("Funding shock")
            box = page.evaluate("() => { const r = document.querySelector('table.decision td.num').getBoundingClientRect(); return [r.left, r.right]; }")
            assert 0 <= box[0] and box[1] <= client, box  # the numbers are on screen, not pushed off to the right
            if width >= 1000:  # on a desktop no table hides columns in its own scroll box either
                hidden = page.evaluate("() => Array.from(document.querySelectorAll('.scroll')).filter(b => b.scrollWidth > b.clientWidth + 1).length")
                assert hidden == 0, f"{hidden} tables scroll sideways at {width} px"
            summary = page.inner_text("#summary")
            assert "Bridge funding" in summary and "Stable contracts" in summary and "not estimable" not in summary
            ARTIFACTS.mkdir(exist_ok=True)
            shot = ARTIFACTS / f"report_{width}.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 50_000
            print(f"report screenshot at {width} px: {shot}")
        finally:
            browser.close()
    assert blocked == [], blocked  # the page asked for nothing outside the file
