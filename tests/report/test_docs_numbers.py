"""Docs that cannot drift: every quoted result in README.md and docs/ is what `make docs` writes from a results folder."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
from scenario_helpers import SCENARIOS, SMALL, cli_inprocess

from experiments.report.docs_numbers import BLOCK, FACTS, ROOT, compare_facts, doc_files, render, stale_blocks
from model import outcomes


def test_every_quoted_result_in_the_docs_is_what_the_script_makes():
    stale = stale_blocks(ROOT)
    assert stale == [], f"regenerate with `make run && make docs` (do not edit numbers by hand): {stale}"
    names = {m.group("name") for p in doc_files(ROOT) for m in BLOCK.finditer(p.read_text(encoding="utf-8"))}
    assert {"compare-settings", "compare-ranked", "compare-summary", "compare-table", "calibration-fit"} <= names


def test_a_number_edited_by_hand_is_caught(tmp_path):
    (tmp_path / "docs").mkdir()
    for p in doc_files(ROOT):
        shutil.copy(p, tmp_path / p.relative_to(ROOT))
    shutil.copy(ROOT / FACTS, tmp_path / FACTS)
    readme = tmp_path / "README.md"
    text = readme.read_text(encoding="utf-8")
    facts = json.loads((ROOT / FACTS).read_text(encoding="utf-8"))
    quoted = render("calibration-fit", facts)
    assert quoted in text
    readme.write_text(text.replace(quoted, quoted.replace(str(facts["calibration"]["within"]), "99", 1)), encoding="utf-8")
    assert stale_blocks(tmp_path) == ["README.md:calibration-fit"]


@pytest.fixture(scope="module")
def small_compare(tmp_path_factory):
    out = tmp_path_factory.mktemp("docs") / "cmp"
    res = cli_inprocess("compare", SCENARIOS / "baseline.yaml", SCENARIOS / "bridge_funding.yaml", SCENARIOS / "funding_shock.yaml",
                        "--reps", "3", *SMALL, "--jobs", "1", "--quiet", "--out", out)  # fmt: skip
    assert res.returncode == 0, res.stderr
    return out


def test_the_script_quotes_what_the_results_folder_holds(small_compare):
    facts = compare_facts(small_compare)
    effects = pd.read_csv(small_compare / "effects.csv").set_index(["scenario", "metric"])
    e = effects.loc[("bridge_funding", "retention_10y")]
    cell = facts["table"][outcomes.label("retention_10y")]["Bridge funding"]
    assert outcomes.value("retention_10y", e["difference"], difference=True) in cell
    assert outcomes.value("retention_10y", e["ci_low"], difference=True) in cell
    assert facts["settings"]["reps"] == 3 and facts["policies"] == ["Bridge funding", "Funding shock"]  # the what-if last
    assert [r["what_if"] for r in facts["decision"]] == [False, True]
    table = render("compare-table", {"compare": facts})
    assert table.count("\n") == 2 + len(facts["table"])  # header, rule, one line per outcome



def test_docs_refuses_a_single_run_before_writing_anything(tmp_path):
    out = tmp_path / "run"
    assert cli_inprocess("run", SCENARIOS / "baseline.yaml", "--reps", "1", *SMALL, "--jobs", "1", "--quiet", "--out", out).returncode == 0
    before = {p: p.read_bytes() for p in doc_files(ROOT)}
    (out / "report.html").unlink()
    res = cli_inprocess("report", out, "--docs")
    assert res.returncode == 2 and "holds one run" in res.stderr and "Traceback" not in res.stderr
    assert not (out / "report.html").exists()  # refused before anything was written
    assert {p: p.read_bytes() for p in doc_files(ROOT)} == before
