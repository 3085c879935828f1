"""Unit checks of the parts: the parameter declaration, Kaplan–Meier, the funding climate, policies' registry."""

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from model import POLICIES, ModelConfig, parameter_table
from model.funding import FundingClimate, Shock
from model.parameters import FundingParams
from model.retention import kaplan_meier, retention_curves
from model.streams import Streams


def test_every_parameter_declares_unit_range_and_source():
    rows = parameter_table()
    assert len(rows) > 60
    for r in rows:
        assert r["unit"] and r["source"] and r["doc"], r["path"]
        assert r["min"] is not None and r["max"] is not None and r["min"] <= r["default"] <= r["max"], r["path"]
        assert r["min"] <= r["plausible_min"] <= r["plausible_max"] <= r["max"], r["path"]


def test_policy_parameters_declare_ranges_and_sources():
    for name, cls in POLICIES.items():
        assert cls.report_heading, name
        for field, info in cls.model_fields.items():
            if info.annotation in (int, float) and field != "start_year":
                assert info.json_schema_extra and info.json_schema_extra["source"], (name, field)


def test_unknown_keys_name_the_valid_ones():
    with pytest.raises(ValidationError, match=r"did you mean 'renewal_prob'.*valid keys: .*renewal_prob"):
        ModelConfig.model_validate({"contracts": {"renewl_prob": 0.5}})
    with pytest.raises(ValidationError, match="bridge_funding"):
        ModelConfig.model_validate({"policies": [{"type": "bridge_fundin"}]})
    with pytest.raises(ValidationError, match="max_months"):
        ModelConfig.model_validate({"policies": [{"type": "bridge_funding", "max_month": 3}]})


def test_cross_field_constraints():
    with pytest.raises(ValidationError, match="at most 1"):
        ModelConfig.model_validate({"population": {"share_university": 0.8, "share_nhs": 0.3}})
    with pytest.raises(ValidationError, match="retirement_age_min"):
        ModelConfig.model_validate({"exits": {"retirement_age_min": 70, "retirement_age_max": 65}})


def test_kaplan_meier_by_hand():
    # 4 careers: exits after 1 and 3 years, censored after 2 and 4 years.
    surv, var, risk = kaplan_meier(np.array([1, 2, 3, 4]), np.array([True, False, True, False]), horizon=4)
    assert np.allclose(surv, [1.0, 0.75, 0.75, 0.375, 0.375])
    assert list(risk) == [4, 4, 3, 2, 1]
    assert var[1] == pytest.approx(0.75**2 * (1 / (4 * 3)))


def test_retention_groups_and_bands_across_replicates():
    rng = np.random.default_rng(0)
    rows = []
    for rep in range(4):
        for i in range(400):
            entry = int(rng.integers(0, 5))
            t = int(rng.geometric(0.2))
            exit_year = entry + t - 1 if entry + t - 1 < 10 else pd.NA
            rows.append({"rep": rep, "researcher_id": i, "entry_year": entry, "exit_year": exit_year, "gender": "woman" if i % 2 else "man",
                         "working_class": i % 3 == 0, "disabled": i % 7 == 0, "first_caring_year": entry if i % 5 == 0 else pd.NA, "entry_sector": "nhs" if i % 4 == 0 else "university"})  # fmt: skip
    careers = pd.DataFrame(rows)
    careers["exit_year"] = careers["exit_year"].astype("Int64")
    careers["first_caring_year"] = careers["first_caring_year"].astype("Int64")
    curves = retention_curves(careers, 10)
    groups = set(curves["group"])
    assert {
        "all",
        "gender:woman",
        "gender:man",
        "carer:yes",
        "carer:no",
        "disabled:yes",
        "disabled:no",
        "working_class:yes",
        "working_class:no",
        "sector:nhs",
        "sector:university",
    } <= groups
    allc = curves[curves["group"] == "all"].set_index("years_since_entry")
    assert allc.loc[0, "retained"] == 1.0
    assert (allc["ci_low"] <= allc["retained"]).all() and (allc["retained"] <= allc["ci_high"]).all()
    assert abs(allc.loc[3, "retained"] - 0.8**3) < 0.05


def test_scheduled_shock_cuts_and_recovers():
    climate = FundingClimate(
        FundingParams(noise_sd=0.0, shock_rate=0.0), [Shock(year=2, size=0.3, recovery_years=3)], Streams(np.random.SeedSequence(0))
    )
    path = [climate.advance(y) for y in range(7)]
    assert path[:2] == [1.0, 1.0]
    assert np.allclose(path[2:], [0.7, 0.8, 0.9, 1.0, 1.0])


def test_odd_parameter_table_is_current():
    from pathlib import Path

    from model.describe import embed

    text = (Path(__file__).parents[2] / "docs" / "ODD.md").read_text()
    assert embed(text) == text, "docs/ODD.md parameter table is stale: run python -m model.describe docs/ODD.md"


def test_mesa_agents_are_the_active_researchers():
    from model_testing import small_config

    from model.career_model import CareerModel

    m = CareerModel(small_config(population=300, years=4, burn_in=1), 3)
    for _ in range(5):
        m.step()
        alive = set(m.pop.alive_idx().tolist())
        assert {a.researcher_id for a in m.agents} == alive
    a = next(iter(m.agents))
    assert a.stage in ("doctoral", "early", "mid", "senior") and a.contract in ("permanent", "fixed_term", "gap")
    assert a.exit_reason is None and a.gender in ("woman", "man")
    assert m.time == 5.0 and m.year == 3  # burn-in year -1, then years 0..3; the run ends after year 3


def test_kaplan_meier_matches_a_hand_computed_curve_with_censoring():
    # Replaces "the curve never rises", which a product of (1 - hazard) satisfies whatever the bug.
    # Times 1,1,2,3,3,4 with censoring at 1, 3 and 4: S(1) = 5/6, S(2) = 5/6 * 3/4, S(3) = S(2) * 2/3.
    time = np.array([1, 1, 2, 3, 3, 4])
    event = np.array([True, False, True, True, False, False])
    surv, var, at_risk = kaplan_meier(time, event, 4)
    assert np.allclose(surv, [1.0, 5 / 6, 5 / 8, 5 / 12, 5 / 12])
    assert list(at_risk) == [6, 6, 4, 3, 1]
    # Greenwood: S(t)^2 * sum d / (n (n - d)).
    g1 = 1 / (6 * 5)
    assert np.isclose(var[1], (5 / 6) ** 2 * g1)
    assert np.isclose(var[3], (5 / 12) ** 2 * (g1 + 1 / (4 * 3) + 1 / (3 * 2)))
