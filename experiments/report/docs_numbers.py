"""Docs that cannot drift: every quoted result in README.md and docs/ is written here from a results folder.

A quoted result sits between ``<!-- results:NAME -->`` and ``<!-- /results:NAME -->``
markers. ``hsr-careers report RESULTS_DIR --docs`` reads the comparison in RESULTS_DIR
(``make run``'s ``results/compare``) and the shipped calibration's fit table, stores the
facts it quotes in ``docs/results.json``, rewrites every marked block from them and
re-takes ``docs/report.png`` (the top of the report at 1280 px). ``stale_blocks`` renders
every block again from ``docs/results.json`` and names each that differs, so a test fails
when anyone edits a quoted number by hand or a block is not regenerated.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

from experiments.plots.palette import nice
from experiments.report.build import columns_shown
from experiments.report.decision import clear, decision_rows, effect
from experiments.report.extras import load_extras
from experiments.report.headline import policy_sentence
from experiments.report.results import load_results
from model import outcomes

ROOT = Path(__file__).resolve().parents[2]
FACTS = Path("docs") / "results.json"
BLOCK = re.compile(r"(<!-- results:(?P<name>[\w-]+) -->\n)(?P<body>.*?)(<!-- /results:(?P=name) -->)", re.S)
TABLE_METRICS = (
    "retention_10y", "cohort_retention_10y", "entrants_hired", "employed_years_pv", "researcher_years_pv", "exits_funding_gap",
    "equity_gap_carer_10y", "equity_gap_disabled_10y", "equity_gap_working_class_10y", "share_fixed_term", "policy_cost_pv",
)  # fmt: skip
BASELINE_LEVELS = ("retention_5y", "retention_10y", "entrants_hired", "employed_years_pv", "exits_funding_gap")


def compare_facts(folder: Path) -> dict[str, Any]:
    """What the docs quote from a comparison: settings, baseline levels, the ranked rows, the effects table, the sentences."""
    res = load_results(folder)
    extras = load_extras(res.folder)
    run = res.scenarios[res.baseline]["run"]
    rows, sort_words = decision_rows(res.effects, res.scenarios, res.policies, res.horizon, extras)  # type: ignore[arg-type]
    effects = res.effects
    table = {}
    for m in TABLE_METRICS:
        if m not in set(effects["metric"]):  # type: ignore[index]
            continue
        cells = {}
        for s in res.policies:
            e = effect(effects, s, m)  # type: ignore[arg-type]
            text = f"{outcomes.value(m, e['d'], difference=True)} [{outcomes.value(m, e['lo'], difference=True)}, {outcomes.value(m, e['hi'], difference=True)}]"  # type: ignore[index]
            cells[nice(s)] = f"**{text}**" if clear(e) else text
        table[outcomes.label(m)] = cells
    base = res.summaries[res.baseline]
    return {
        "settings": {"population": run["population"], "years": run["years"], "burn_in_years": run["burn_in_years"], "reps": res.reps,
                     "seed": res.manifest.get("seeds", {}).get("root"), "scenarios": len(res.summaries)},
        "baseline": {outcomes.label(m): outcomes.value(m, base[m]["mean"]) for m in BASELINE_LEVELS if m in base},
        "decision": [{"policy": r.title, "what_if": r.what_if, **{k: c.text for k, c in r.cells.items()}} for r in rows],
        "sort": sort_words,
        "headers": {k: f"{h} ({u})" if u else h for k, (h, u) in columns_shown(rows, "cohort_retention_10y" in set(effects["metric"])).items()},  # type: ignore[index]
        "policies": [r.title for r in rows],
        "table": table,
        "sentences": [policy_sentence(effects, r.scenario, res.horizon) for r in rows],  # type: ignore[arg-type]
    }  # fmt: skip


def calibration_facts(fit_table: Path) -> dict[str, Any]:
    """The shipped calibration's fit: fitted targets within their intervals, reported checks, and the table's rows."""
    with fit_table.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    fitted = [r for r in rows if r.get("role", "fit") == "fit"]
    checks = [r for r in rows if r.get("role", "fit") != "fit"]
    # The calibration's one acceptance rule (implausibility at most the cut-off) decides, as in calibrate --check.
    cols = ("target", "observed", "obs_ci_low", "obs_ci_high", "simulated_mean", "simulated_sd", "implausibility", "accepted", "role")
    return {"targets": len(fitted), "within": sum(r["accepted"] == "True" for r in fitted), "checks": len(checks),
            "checks_within": sum(r["accepted"] == "True" for r in checks),
            "rows": [[f"{float(r[c]):.3g}" if c not in ("target", "accepted", "role") else r[c] for c in cols] for r in rows],
            "columns": list(cols)}  # fmt: skip


def _md_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows]) + "\n"


def render(name: str, facts: dict[str, Any]) -> str:
    """The text of block ``name`` from the stored facts."""
    c, cal = facts.get("compare", {}), facts.get("calibration", {})
    if name == "calibration-fit":
        checks = f" (and {cal['checks_within']} of {cal['checks']} reported checks)" if cal["checks"] else ""
        return f"{cal['within']} of {cal['targets']} fitted calibration targets accepted (implausibility at most the cut-off){checks}\n"
    if name == "calibration-fit-table":
        return _md_table(cal["columns"], cal["rows"])
    if name == "compare-settings":
        s, b = c["settings"], c["baseline"]
        levels = "; ".join(f"{k} {v}" for k, v in b.items())
        return (f"{s['population']:,} researchers, {s['burn_in_years']} burn-in + {s['years']} reported years, "
                f"**{s['reps']} paired replicates** per scenario ({s['scenarios']} scenarios), root seed {s['seed']}. "
                f"Baseline: {levels}.\n")  # fmt: skip
    if name == "compare-ranked":
        cols = [k for k in ("cost", "years", "cohort", "gaps", "displaced", "nmb", "p_ce") if k in c["headers"]]
        header = ["", "policy", *[c["headers"][k] for k in cols]]
        rows, rank = [], 0
        for r in c["decision"]:
            rank += not r["what_if"]
            rows.append(["what if" if r["what_if"] else str(rank), r["policy"], *[r[k] for k in cols]])
        return c["sort"] + "\n\n" + _md_table(header, rows)
    if name == "compare-table":
        header = ["", *c["policies"]]
        rows = [[label, *[cells.get(p, "") for p in c["policies"]]] for label, cells in c["table"].items()]
        return _md_table(header, rows)
    if name == "compare-summary":
        return "".join(f"- {s}\n" for s in c["sentences"])
    if name == "outcomes":  # from the registry itself, not from results
        rows = [[f"`{o.id}`", o.label, o.stored_unit, o.better, "yes" if o.headline else "", o.family]
                for o in outcomes.OUTCOMES.values() if o.headline or not re.search(r"_(yes|no|woman|man|university|nhs|third_sector)_\d+y$", o.id)]
        return _md_table(["id", "label", "stored unit", "better", "headline", "family"], rows)
    raise KeyError(f"unknown results block {name!r}")


def doc_files(root: Path = ROOT) -> list[Path]:
    """README.md and every docs/*.md."""
    return [root / "README.md", *sorted((root / "docs").glob("*.md"))]


def stale_blocks(root: Path = ROOT) -> list[str]:
    """Blocks whose text differs from what ``render`` makes from ``docs/results.json`` (file:block names)."""
    facts = json.loads((root / FACTS).read_text(encoding="utf-8"))
    stale = []
    for path in doc_files(root):
        for m in BLOCK.finditer(path.read_text(encoding="utf-8")):
            if m.group("body") != render(m.group("name"), facts):
                stale.append(f"{path.relative_to(root)}:{m.group('name')}")
    return stale


def write_docs(folder: Path, root: Path = ROOT, screenshot: bool = True) -> list[Path]:
    """Store the facts of ``folder``, rewrite every marked block and (``screenshot``) docs/report.png; returns files changed."""
    facts = {"compare": compare_facts(folder), "calibration": calibration_facts(root / "calibration" / "output" / "fit_table.csv"),
             "source": "make run: results/compare and calibration/output/fit_table.csv"}  # fmt: skip
    (root / FACTS).write_text(json.dumps(facts, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    changed = [root / FACTS]
    for path in doc_files(root):
        text = path.read_text(encoding="utf-8")
        new = BLOCK.sub(lambda m: m.group(1) + render(m.group("name"), facts) + m.group(4), text)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    if screenshot:
        changed.append(report_screenshot(folder / "report.html", root / "docs" / "report.png"))
    return changed


def report_screenshot(page: Path, out: Path, width: int = 1280, height: int = 1100) -> Path:
    """The top of ``page`` at ``width`` px in headless Chromium (Playwright, the system browser), as a PNG."""
    import os
    import shutil

    from playwright.sync_api import sync_playwright

    browser_path = os.environ.get("HSR_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=browser_path, args=["--no-sandbox", "--disable-gpu"], headless=True)
        try:
            tab = browser.new_page(viewport={"width": width, "height": height})
            tab.goto(page.resolve().as_uri())
            tab.wait_for_load_state("load")
            tab.screenshot(path=str(out))
        finally:
            browser.close()
    return out
