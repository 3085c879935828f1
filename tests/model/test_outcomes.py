"""The outcome registry: every outcome the model returns is declared once, with words, a unit, a direction and a family."""

from __future__ import annotations

import pytest
from model_testing import small_config

from experiments.runs.ensemble_stats import better_direction, intended_sign
from model import outcomes
from model.run import run_one


@pytest.fixture(scope="module")
def metrics() -> dict[str, float]:
    return run_one(small_config(population=150, years=10, burn_in=1), 7).metrics()


def test_every_outcome_the_model_returns_is_declared(metrics):
    undeclared = sorted(set(metrics) - set(outcomes.OUTCOMES))
    assert undeclared == [], f"declare these in model/outcomes.py: {undeclared}"


def test_declarations_are_complete_and_in_plain_words():
    for o in outcomes.OUTCOMES.values():
        assert o.label and "_" not in o.label, o
        assert o.kind in outcomes.STORED_UNITS and o.better in (outcomes.UP, outcomes.DOWN, outcomes.NONE), o
        assert o.family and o.stored_unit, o
    with pytest.raises(ValueError, match="declared twice"):
        outcomes.outcome("retention_10y", "again", outcomes.SHARE)


def test_headlines_are_declared_and_cover_what_a_decision_needs():
    heads = set(outcomes.headlines())
    assert {"retention_10y", "employed_years_pv", "entrants_hired", "exits_funding_gap", "equity_gap_carer_10y"} <= heads
    assert not any(outcomes.get(h).kind == outcomes.MONEY for h in heads)  # cost is said apart, not as an effect aimed at


def test_the_ensemble_and_the_optimiser_read_directions_from_the_registry():
    assert intended_sign("retention_10y") == 1 and intended_sign("equity_gap_class_10y") == 0  # undeclared id: no aim
    assert intended_sign("equity_gap_carer_10y") == -1 and intended_sign("employed_years_pv") == 1
    assert intended_sign("policy_cost_pv") == 0 and better_direction("policy_cost_pv") == -1  # paid, not aimed at; cheaper is better
    assert intended_sign("exits_retirement") == 0  # fewer retirements is not a policy aim
    for o in outcomes.OUTCOMES.values():
        assert intended_sign(o.id) == (o.sign if o.aimed else 0)


def test_families_keep_unlike_scales_apart():
    f = {m: outcomes.get(m).family for m in ("retention_10y", "cohort_retention_10y", "share_fixed_term", "gap_incidence", "active_final", "exits_total")}
    assert f["retention_10y"] == f["cohort_retention_10y"]
    assert len({f["retention_10y"], f["share_fixed_term"], f["gap_incidence"], f["active_final"], f["exits_total"]}) == 5


def test_labels_and_formats_do_not_invalidate_stored_runs():
    from experiments.fingerprint import result_sources

    names = {p.name for p in result_sources()}
    assert "run.py" in names and "retention.py" in names  # what computes a result is in the fingerprint
    assert not {"outcomes.py", "formats.py"} & names  # the words and formats are not
