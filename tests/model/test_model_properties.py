"""Property-based checks: any valid parameter set runs and keeps the invariants; out-of-range values are rejected."""

import math

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from model import EXIT_REASONS, ModelConfig, run_one
from model.config import numeric_parameters, with_overrides

PARAMS = {path: row for path, row in numeric_parameters(ModelConfig()).items() if not path.startswith("survey.")}
PATHS = sorted(PARAMS)


@st.composite
def valid_overrides(draw):
    chosen = draw(st.lists(st.sampled_from(PATHS), min_size=1, max_size=12, unique=True))
    out = {}
    for path in chosen:
        row = PARAMS[path]
        if row["integer"]:
            out[path] = draw(st.integers(int(row["min"]), int(min(row["max"], 50))))
        else:
            out[path] = draw(st.floats(row["min"], row["max"], allow_nan=False, allow_infinity=False))
    return out


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_overrides(), st.integers(0, 2**32 - 1))
def test_any_valid_parameter_set_runs_and_keeps_invariants(overrides, seed):
    overrides |= {"run.population": 150, "run.years": 4, "run.burn_in_years": 1}
    try:
        cfg = with_overrides(ModelConfig(), overrides)
    except ValidationError:
        assume(False)  # cross-field constraints (shares over 1, retirement ages crossed)
    r = run_one(cfg, seed)
    y, c = r.yearly, r.careers
    assert (y["active"].diff().iloc[1:] == (y["entrants"] - y["exits_total"]).iloc[1:]).all()
    assert c["exit_year"].isna().sum() == y["active"].iloc[-1]
    assert (y[[f"exits_{x}" for x in EXIT_REASONS]] >= 0).all().all()
    for col in ("share_fixed_term", "sat_satisfied", "gap_incidence", "share_mentored"):
        assert y[col].between(0, 1).all()
    assert (c["gap_months_total"] >= c["bridged_months"]).all()


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(PATHS), st.sampled_from(["below", "above", "nan", "inf"]), st.floats(0.001, 1000))
def test_out_of_range_values_are_rejected(path, how, by):
    row = PARAMS[path]
    value = {"below": row["min"] - by, "above": row["max"] + by, "nan": math.nan, "inf": math.inf}[how]
    if row["integer"] and how in ("below", "above"):
        value = math.floor(value) if how == "below" else math.ceil(value) + (value == math.ceil(value))
    with pytest.raises(ValidationError) as info:
        with_overrides(ModelConfig(), {path: value})
    assert path.split(".")[-1] in str(info.value)
