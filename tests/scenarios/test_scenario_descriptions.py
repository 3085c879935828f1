"""A shipped scenario's description cannot drift from its parameters.

Every number written in a description must be a value of the scenario's own policies,
shocks, run settings or the parameters the file itself sets (read as the description writes it: "8 in 10" is 0.8, "60%" is
0.6, "£1m" is 1,000,000), or one of the few context numbers listed below with the reason
it is not a parameter. And every number a scenario file sets for a policy must be said in
its description, so changing a parameter without changing the words fails here.
``combined_reform`` says no policy numbers: its levers are each shipped file's, and a test
keeps them equal.
"""

import math
import re
from pathlib import Path

import pytest
import yaml

from experiments.scenarios.load import load_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
SINGLE_LEVER = ("bridge_funding", "stable_contracts", "fair_mentoring", "tackle_inequalities", "inclusive_culture", "cross_sector")
# Numbers in descriptions that are not parameters of the scenario, and why.
CONTEXT = {
    "stable_contracts": {2002: "year of the Fixed-Term Employees Regulations"},
    "baseline": {12: "'a third of contracts 12 months or less' (docs/calibration.md targets)"},
}
MONEY = re.compile(r"£(\d[\d,]*(?:\.\d+)?)(?:(m|k)\b)?")
IN_TEN = re.compile(r"\b(\d+(?:\.\d+)?) in (10|100)\b")
PERCENT = re.compile(r"\b(\d+(?:\.\d+)?)%")
PLAIN = re.compile(r"\b\d[\d,]*(?:\.\d+)?\b")


def numbers_in(text: str) -> list[tuple[str, float]]:
    """(as written, value) of every number in ``text``, money, 'N in 10' and percentages read as values."""
    found = []
    for pattern, read in (
        (MONEY, lambda m: float(m[1].replace(",", "")) * {"m": 1e6, "k": 1e3, None: 1.0}[m[2]]),
        (IN_TEN, lambda m: float(m[1]) / float(m[2])),
        (PERCENT, lambda m: float(m[1]) / 100),
        (PLAIN, lambda m: float(m[0].replace(",", ""))),
    ):
        for m in pattern.finditer(text):
            found.append((m[0], read(m)))
        text = pattern.sub(" ", text)
    return found


def _values(obj) -> list[float]:
    if isinstance(obj, bool):
        return []
    if isinstance(obj, int | float):
        return [float(obj)]
    if isinstance(obj, dict):
        return [v for x in obj.values() for v in _values(x)]
    if isinstance(obj, list | tuple):
        return [v for x in obj for v in _values(x)]
    return []


def _near(x: float, values: list[float]) -> bool:
    return any(math.isclose(x, v, rel_tol=1e-9, abs_tol=1e-12) for v in values)


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_number_in_a_description_is_a_parameter_of_the_scenario(path):
    sc = load_scenario(path)
    cfg = sc.config
    values = _values([p.model_dump() for p in cfg.policies]) + _values([s.model_dump() for s in cfg.shocks])
    values += _values(cfg.run.model_dump()) + [float(k) for k in CONTEXT.get(path.stem, {})]
    raw = yaml.safe_load(path.read_text()) or {}
    values += _values({k: v for k, v in raw.items() if k not in ("name", "description", "extends")})  # parameters the file itself sets
    stray = [(said, v) for said, v in numbers_in(sc.description) if not _near(v, values)]
    assert not stray, f"{path.name}: numbers in the description that are no parameter of the scenario: {stray}"


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_policy_number_set_in_a_file_is_said_in_its_description(path):
    if path.stem == "combined_reform":
        return  # its levers are the single-lever files' (next test)
    raw = yaml.safe_load(path.read_text()) or {}
    said = [v for _, v in numbers_in(load_scenario(path).description)]
    for policy in raw.get("policies", []):
        for key, value in policy.items():
            for v in _values(value):
                assert _near(v, said), f"{path.name}: {policy['type']}.{key} = {value} is not said in the description"


def test_numbers_are_read_as_written():
    assert numbers_in("£1m a year, 8 in 10, 60% of £300,000 and £1,500; 6 months") == [
        ("£1m", 1e6), ("£300,000", 3e5), ("£1,500", 1500.0), ("8 in 10", 0.8), ("60%", 0.6), ("6", 6.0),
    ]  # fmt: skip


def test_combined_reform_is_every_single_lever_scenario_together():
    combined = {p.type: p for p in load_scenario(SCENARIOS / "combined_reform.yaml").config.policies}
    singles = {p.type: p for name in SINGLE_LEVER for p in load_scenario(SCENARIOS / f"{name}.yaml").config.policies}
    assert set(combined) == set(singles), set(singles) ^ set(combined)
    for kind, policy in singles.items():
        assert combined[kind] == policy, f"combined_reform's {kind} differs from its own scenario file's"


def test_the_disability_words_say_what_the_code_does():
    # The code keeps adjustments in place for `coverage` of those who have disclosed, at a time
    # (model/policies/disability_adjustments.py); it does not offer them to the rest each year.
    text = " ".join(load_scenario(SCENARIOS / "tackle_inequalities.yaml").description.split())
    assert "9 in 10 of the disabled and neurodivergent researchers who have disclosed" in text
    assert "at any time" in text and "each year" not in text
