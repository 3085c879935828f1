"""The report layer: labels and formats from the outcome registry, the summary sentences, and `hsr-careers report` from disk."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest
from scenario_helpers import SCENARIOS, SMALL, cli_inprocess

from experiments.report.headline import policy_sentence
from model.formats import money, people
from model.outcomes import get, label, value


def test_money_is_three_significant_figures_in_k_and_m_without_trailing_zeros():
    assert money(59_815_020) == "£59.8m"
    assert money(805_624) == "£806k"
    assert money(999_600) == "£1m"  # rounded before the unit is chosen, never "£1000k"
    assert money(4_200) == "£4.2k" and money(2_000) == "£2k" and money(1_000_000) == "£1m"
    assert money(-1_234_567, signed=True) == "−£1.23m"
    assert money(12.5) == "£12.5"
    assert money(math.nan) == "—"


def test_people_are_whole_numbers_and_shares_read_in_points():
    assert people(-554.4, signed=True) == "−554"
    assert value("exits_funding_gap", 1234.6) == "1,235"
    assert value("retention_10y", 0.6234) == "62.3%"
    assert value("retention_10y", 0.0123, difference=True) == "+1.2 pp"
    assert value("policy_cost", 2_430_000, difference=True) == "+£2.43m"


def test_every_model_metric_has_a_plain_label():
    from experiments.runs.outputs import metric_names

    for m in metric_names():
        assert "_" not in label(m), (m, label(m))  # no metric id left in a label
        assert get(m).stored_unit, m
    assert label("equity_gap_carer_10y") == "carers' gap in 10-year retention (non-carers − carers)"
    assert get("policy_cost_pv").kind == "money"


def _effects(rows):
    frame = pd.DataFrame(rows, columns=["scenario", "metric", "difference", "ci_low", "ci_high", "baseline_mean"])
    return frame


def test_sentence_names_every_clear_headline_effect_largest_first_and_nothing_else():
    e = _effects([
        ("bridge", "policy_cost_pv", 30e6, 29e6, 31e6, 0.0),
        ("bridge", "retention_10y", 0.019, 0.012, 0.026, 0.48),          # +4% of its baseline
        ("bridge", "exits_funding_gap", -287, -320, -250, 1666),         # −17% of its baseline
        ("bridge", "equity_gap_working_class_10y", -0.026, -0.035, -0.017, 0.05),  # −52%: largest
        ("bridge", "equity_gap_carer_10y", -0.004, -0.02, 0.012, 0.04),  # interval includes zero: not named
        ("bridge", "active_final", 41.6, -12.0, 70.0, 4000),             # idem
        ("bridge", "satisfied_permanent", 0.05, 0.04, 0.06, 0.6),        # clear, but not a headline outcome
    ])  # fmt: skip
    text = policy_sentence(e, "bridge", 30)
    assert text.startswith("Bridge (about £1m a year, discounted): ")
    assert "the class gap narrows by 2.6 pp" in text and "exits after a funding gap: down 287 [−320 to −250]" in text
    assert "retention at 10 years: up 1.9 pp [+1.2 pp to +2.6 pp]" in text
    assert text.index("class gap") < text.index("exits after") < text.index("retention at 10")
    assert "carers' gap" not in text and "researchers in HSR" not in text and "satisfied" not in text
    assert "no clear change" not in text and "not estimable" not in text
    nothing = e.assign(ci_low=-1.0, ci_high=1.0)
    assert "no clear change in any headline outcome" in policy_sentence(nothing, "bridge", 30)


def test_fewer_entrants_hired_is_explained_in_words():
    e = _effects([("bridge", "entrants_hired", -277, -300, -250, 7339)])
    assert "posts are fixed" in policy_sentence(e, "bridge", 30)


@pytest.fixture(scope="module")
def comparison_dir(tmp_path_factory):
    """A small comparison (baseline and bridge funding, 3 paired replicates) written by the CLI."""
    out = tmp_path_factory.mktemp("report") / "cmp"
    res = cli_inprocess("compare", SCENARIOS / "baseline.yaml", SCENARIOS / "bridge_funding.yaml", "--reps", "3", *SMALL,
                        "--jobs", "1", "--quiet", "--out", out)  # fmt: skip
    assert res.returncode == 0, res.stderr
    return out


def test_compare_writes_a_self_contained_report_and_report_remakes_it(comparison_dir, monkeypatch):
    html = (comparison_dir / "report.html").read_text(encoding="utf-8")
    assert re.search(r"Bridge funding \(about £[\d.]+[km]? a year, discounted\): ", html)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)  # nothing fetched from anywhere
    images = re.findall(r'<img src="data:image/png;base64,', html)
    assert len(images) >= 7  # effects, timeline, plane, retention, groups, gaps, exits
    assert "Options ranked" in html and "interval excludes zero?" in html and "git commit" in html
    assert "<code>retention_10y</code>" not in html and "£1.00m" not in html  # no ids or trailing zeros in the words
    assert "Bridge funding</strong> (Fix funding gaps), from the start of the horizon, as run with 300 researchers at the start:" in html
    # Re-made from disk: simulating is made impossible, and the same report comes back.
    import model.run

    def refuse(*args, **kwargs):
        raise AssertionError("report must not simulate")

    monkeypatch.setattr(model.run, "run_one", refuse)
    (comparison_dir / "report.html").unlink()
    res = cli_inprocess("report", comparison_dir)
    assert res.returncode == 0, res.stderr
    again = (comparison_dir / "report.html").read_text(encoding="utf-8")
    strip = lambda t: re.sub(r"Report made [^ ]+", "", t)  # noqa: E731  (the time it was made differs)
    assert strip(again) == strip(html)


def test_report_refuses_a_folder_that_is_not_results(tmp_path):
    res = cli_inprocess("report", tmp_path)
    assert res.returncode == 2 and "not a results folder" in res.stderr and "Traceback" not in res.stderr


def test_every_chart_of_the_page_is_the_same_png_in_figures(comparison_dir):
    import base64

    html = (comparison_dir / "report.html").read_text(encoding="utf-8")
    embedded = [base64.b64decode(b) for b in re.findall(r'<img src="data:image/png;base64,([^"]+)"', html)]
    files = {p.read_bytes() for p in (comparison_dir / "figures").glob("*.png")}
    assert embedded and all(png in files for png in embedded)  # byte for byte: same colours, labels, everything
    assert {"effects.png", "timeline.png", "cost_effectiveness.png", "equity_gaps.png", "exits.png"} <= {p.name for p in (comparison_dir / "figures").iterdir()}


def test_exports_have_one_row_per_policy_and_units_in_the_headers(comparison_dir):
    import openpyxl

    effects = pd.read_csv(comparison_dir / "effects.csv")
    decision = pd.read_csv(comparison_dir / "decision.csv")
    wide = pd.read_csv(comparison_dir / "effects_wide.csv")
    assert list(decision["Policy"]) == ["Bridge funding"] and list(wide["Policy"]) == ["Bridge funding"]
    assert "Extra employed researcher-years (researcher-years, discounted)" in decision.columns
    e = effects.set_index(["scenario", "metric"]).loc[("bridge_funding", "retention_10y")]
    assert wide.loc[0, "retention at 10 years (percentage points)"] == pytest.approx(100 * e["difference"])  # shares in pp
    book = openpyxl.load_workbook(comparison_dir / "decision.xlsx", read_only=True)
    assert book.sheetnames[:2] == ["Decision", "Effects"]
    header = [c.value for c in next(book["Effects"].iter_rows(max_row=1))]
    assert "retention at 10 years (percentage points)" in header and all("_" not in str(h) for h in header)


def test_the_terminal_answer_is_short_and_says_where_the_report_is(comparison_dir):
    from experiments.report.terminal import decision_text

    text = decision_text(comparison_dir)
    assert len(text.splitlines()) <= 40
    assert "Bridge funding" in text and "report.html" in text and "decision.xlsx" in text and "Sorted by" in text


def test_an_ensemble_folder_gets_the_same_report_with_the_probability_of_the_intended_sign(tmp_path):
    from experiments.engine import Execution
    from experiments.runs.ensemble import run_ensemble

    out = tmp_path / "ens"
    run_ensemble(SCENARIOS / "baseline.yaml", [SCENARIOS / "bridge_funding.yaml"], k=3, reps=2, seed=11, population=150, years=10,
                 burn_in_years=2, execution=Execution(backend="sequential"), out=out)  # fmt: skip
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Options ranked" in html and "of parameter sets give more employed researcher-years" in html
    assert "keeps no retention curves" in html  # said, not drawn empty
    # A scenario discovery run on the folder adds its sentences when the report is re-made.
    (out / "discovery").mkdir()
    pd.DataFrame({"box": [1], "description": ["Box 1: the policy falls short when the grant envelope is below £80m."]}).to_csv(
        out / "discovery" / "boxes.csv", index=False)  # fmt: skip
    res = cli_inprocess("report", out)
    assert res.returncode == 0, res.stderr
    assert "falls short when the grant envelope is below £80m" in (out / "report.html").read_text(encoding="utf-8")


def test_net_benefit_acceptability_and_reach_files_join_the_report_when_present(comparison_dir, tmp_path):
    import shutil

    folder = tmp_path / "cmp"
    shutil.copytree(comparison_dir, folder)
    pd.DataFrame([{"policy": "bridge_funding", "inc_cost_pv": 2.0e6, "inc_cost_pv_low": 1.8e6, "inc_cost_pv_high": 2.2e6,
                   "inc_employed_years_pv": 30.0, "inc_employed_years_pv_low": -5.0, "inc_employed_years_pv_high": 65.0,
                   "icer": float("nan"), "fieller_low": float("nan"), "fieller_high": float("nan"),
                   "ratio_note": "no ratio: the extra employed researcher-years may be zero", "wtp": 115_000.0,
                   "nmb": 1.45e6, "nmb_low": -2.6e6, "nmb_high": 5.5e6, "p_cost_effective": 0.74}]).to_csv(
        folder / "cost_effectiveness.csv", index=False)  # fmt: skip
    pd.DataFrame({"policy": "bridge_funding", "wtp": [0.0, 115_000.0, 200_000.0], "p_cost_effective": [0.0, 0.74, 0.85]}).to_csv(
        folder / "ceac.csv", index=False)  # fmt: skip
    pd.DataFrame({"scenario": "bridge_funding", "policy": "bridge_funding", "benefit": "bridged_month",
                  "group": ["all", "gender", "gender", "carer"], "value": ["all", "woman", "man", "yes"],
                  "eligible_people": [260.0, 130.0, 90.0, 40.0], "reached_people": [200.0, 120.0, 80.0, 30.0],
                  "spend_gbp_per_year": 690_000.0, "overhead_gbp_per_year": 0.0, "budget_gbp_per_year": 1e6, "leakage_people": 0.0,
                  "years": 30, "reps": 3}).to_csv(folder / "reach.csv", index=False)  # fmt: skip - the columns reach.csv has
    pd.DataFrame({"policy": ["baseline", "bridge_funding"], "status": ["frontier", "extendedly dominated"]}).to_csv(folder / "frontier.csv", index=False)
    res = cli_inprocess("report", folder)
    assert res.returncode == 0, res.stderr
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert "extendedly dominated" in html
    assert "Sorted by net monetary benefit at £115k per employed researcher-year" in html
    assert "+£1.45m" in html and "74%" in html  # the net benefit and the probability of being cost-effective
    assert "no ratio: the extra employed researcher-years may be zero" in html  # the reason, in words
    assert {"ceac.png", "reach.png"} <= {p.name for p in (folder / "figures").iterdir()}
    assert "Bridge funding reached 200 researchers" in html and "£690k of its £1m a year" in html  # reach in words
    decision = pd.read_csv(folder / "decision.csv")
    assert decision.loc[0, "Net monetary benefit (£, discounted)"] == pytest.approx(1.45e6)
    assert decision.loc[0, "Probability cost-effective (0-1)"] == pytest.approx(0.74)


def test_the_ranked_table_sorts_by_the_column_it_names_and_keeps_what_ifs_apart():
    from experiments.report.decision import decision_rows
    from experiments.report.extras import Extras

    e = _effects([
        ("a", "employed_years_pv", 10.0, -5.0, 25.0, 3000), ("a", "policy_cost_pv", 3e6, 2e6, 4e6, 0.0),
        ("b", "employed_years_pv", 90.0, 40.0, 140.0, 3000), ("b", "policy_cost_pv", 9e6, 8e6, 1e7, 0.0),
        ("shock", "employed_years_pv", -300.0, -400.0, -200.0, 3000), ("shock", "policy_cost_pv", 0.0, 0.0, 0.0, 0.0),
    ])  # fmt: skip
    scenarios = {"a": {"policies": [{"type": "x"}]}, "b": {"policies": [{"type": "y"}]}, "shock": {"policies": [], "shocks": [{}]}}
    rows, words = decision_rows(e, scenarios, ["a", "shock", "b"], 30, Extras())
    assert [r.scenario for r in rows] == ["b", "a", "shock"] and [r.what_if for r in rows] == [False, False, True]
    assert words.startswith("Sorted by extra employed researcher-years") and '"what if"' in words
    assert rows[0].cells["cost"].text == "£300k" and rows[0].cells["years"].text == "+90" and rows[0].cells["years"].interval == "[+40 to +140]"
