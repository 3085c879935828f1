"""Targets-file validation, Wilson intervals and implausibility."""

from __future__ import annotations

import math

import pytest
import yaml

from calibration.stats import implausibility, wilson
from calibration.targets import DEFAULT_TARGETS, TargetsError, load_targets
from experiments.cli import main

GOOD = {
    "value": 0.65,
    "n": 112,
    "population": "HSR UK survey respondents",
    "year": 2025,
    "source": "HSR UK 2026",
    "measure": "survey_satisfied_non_permanent",
}


def write(tmp_path, targets):
    path = tmp_path / "targets.yaml"
    path.write_text(yaml.safe_dump({"targets": targets}))
    return path


def test_shipped_targets_load_with_sources_and_fitted_targets():
    targets = load_targets(DEFAULT_TARGETS)
    names = {t.name for t in targets}
    assert {"satisfied_non_permanent", "satisfied_permanent", "research_staff_fixed_term", "ecr_short_term"} <= names
    assert {"contract_end_another_post", "no_post_after_2_months", "disabled", "feel_secure"} <= names
    for t in targets:
        assert t.source and t.population and 0 <= t.value <= 1 and t.n > 0
        lo, hi = t.ci
        assert lo <= t.value <= hi


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"measure": "survey_happiness"}, "unknown value 'survey_happiness'; valid:"),
        ({"value": 1.4}, "targets.t.value': value 1.4 must be a number in [0.0, 1.0]"),
        ({"value": -0.1}, "targets.t.value'"),
        ({"n": 0}, "targets.t.n': value 0 must be a number in (0.0"),
        ({"n": -5}, "targets.t.n'"),
        ({"source": None}, "targets.t.source' is missing"),
        ({"bound": "sideways"}, "valid: two_sided, upper, lower"),
        ({"colour": "red"}, "targets.t.colour': unknown field"),
    ],
)
def test_bad_targets_are_refused_with_key_and_value(tmp_path, change, message):
    spec = {**GOOD, **change}
    spec = {k: v for k, v in spec.items() if v is not None}
    path = write(tmp_path, {"t": spec})
    with pytest.raises(TargetsError) as err:
        load_targets(path)
    assert str(path) in str(err.value)
    assert message in str(err.value)


def test_cli_bad_targets_exit_2_without_writing(tmp_path, capsys):
    path = write(tmp_path, {"t": {**GOOD, "value": 1.4}})
    out = tmp_path / "out"
    code = main(["calibrate", "--check", "--targets", str(path), "--out", str(out)])
    assert code == 2
    err = capsys.readouterr().err
    assert "targets.t.value" in err and "1.4" in err and "Traceback" not in err
    assert not out.exists()


def test_wilson_matches_known_values():
    lo, hi = wilson(0.65, 112)
    assert lo == pytest.approx(0.558, abs=1e-3) and hi == pytest.approx(0.732, abs=1e-3)
    lo, hi = wilson(0.0, 20)
    assert lo == 0.0 and hi == pytest.approx(0.161, abs=1e-3)


def test_implausibility_two_sided_and_bounds():
    # |0.5 - 0.6| / sqrt(0.01 + 0 + 0.02/2)
    assert implausibility(0.5, 0.6, 0.02, 2, 0.01, 0.0) == pytest.approx(0.1 / math.sqrt(0.02))
    assert implausibility(0.17, 0.10, 0.01, 3, 0.001, 0.02, bound="upper") == 0.0
    assert implausibility(0.17, 0.30, 0.0003, 3, 0.001, 0.02, bound="upper") == pytest.approx(0.13 / math.sqrt(0.0015))
    assert implausibility(0.5, math.nan, 0.0, 3, 0.01, 0.0) == math.inf
