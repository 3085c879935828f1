"""The report layer: metric labels and formats, the headline sentence, and `hsr-careers report` rebuilt from disk."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest
from experiments.report.metrics import label, metric, money, people, value
from scenario_helpers import SCENARIOS, SMALL, cli_inprocess

from experiments.report.headline import policy_sentence


def test_money_is_three_significant_figures_in_k_and_m():
    assert money(59_815_020) == "£59.8m"
    assert money(805_624) == "£806k"
    assert money(999_600) == "£1.00m"  # rounded before the unit is chosen, never "£1000k"
    assert money(4_200) == "£4.20k"
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
        assert metric(m).stored_unit, m
    assert label("equity_gap_carer_10y") == "carers' gap in 10-year retention (non-carers − carers)"
    assert metric("policy_cost_pv").kind == "money"  # names the posts work adds are known already


def _effects(rows):
    return pd.DataFrame(rows, columns=["scenario", "metric", "difference", "ci_low", "ci_high"])


def test_headline_says_no_clear_change_when_the_interval_includes_zero():
    e = _effects([
        ("bridge", "policy_cost", 30e6, 29e6, 31e6),
        ("bridge", "active_final", 41.6, 12.0, 70.0),
        ("bridge", "cost_per_additional_researcher_year", 35_100, 20_000, 90_200),
        ("bridge", "equity_gap_carer_10y", -0.004, -0.02, 0.012),
    ])  # fmt: skip
    text = policy_sentence(e, "bridge", 30)
    assert text == (
        "Bridge, about £1.00m a year: about 42 more researchers in HSR after 30 years [+12 to +70]; "
        "costs £35.1k per extra researcher-year [£20.0k to £90.2k]; no clear change in the carers' gap."
    )
    e.loc[e["metric"] == "active_final", ["ci_low"]] = -5.0
    e.loc[e["metric"] == "equity_gap_carer_10y", ["difference", "ci_low", "ci_high"]] = [-0.02, -0.03, -0.01]
    e.loc[e["metric"] == "cost_per_additional_researcher_year", ["ci_low", "ci_high"]] = math.nan
    text = policy_sentence(e, "bridge", 30)
    assert "no clear change in the number of researchers" in text and "more researchers" not in text
    assert "not estimable" in text
    assert "narrows the carers' gap in 10-year retention by 2.0 points [1.0 to 3.0]" in text


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
    assert re.search(r"Bridge funding, about £[\d.]+[km]? a year: (about \d+ (more|fewer) researchers|no clear change)", html)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)  # nothing fetched from anywhere
    images = re.findall(r'<img src="data:image/png;base64,', html)
    assert len(images) >= 6  # effects, retention, groups, gaps, exits, cost-effectiveness plane
    assert "cost-effectiveness plane" in html and "interval excludes zero?" in html and "git commit" in html
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
