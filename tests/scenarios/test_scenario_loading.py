"""Scenario files: shipped files, extends chains, schema, sensitivity block, metric names."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml
from scenario_helpers import SCENARIOS, SHIPPED, write

from experiments import load_scenario
from experiments.errors import InputError
from experiments.runs.outputs import metric_names
from experiments.scenarios.schema import schema_text
from model.config import with_overrides
from model.policies import POLICIES
from model.run import run_one

EXPECTED = {
    "baseline", "bridge_funding", "stable_contracts", "fair_mentoring", "tackle_inequalities",
    "inclusive_culture", "cross_sector", "funding_shock", "combined_reform",
}  # fmt: skip


def test_every_required_scenario_is_shipped_and_loads():
    names = {load_scenario(p).name for p in SHIPPED}
    assert EXPECTED <= names


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_scenario_header_description_and_schema(path):
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=scenario.schema.json"
    sc = load_scenario(path)
    assert len(sc.description) > 150, "the description says what the scenario tests and what its numbers mean"
    schema = json.loads((SCENARIOS / "scenario.schema.json").read_text())
    jsonschema.validate(yaml.safe_load(text), schema)


def test_policy_scenarios_name_their_report_heading():
    for path in SHIPPED:
        sc = load_scenario(path)
        for policy in sc.config.policies:
            if sc.name != "combined_reform":
                assert POLICIES[policy.type].report_heading in sc.description, (sc.name, policy.type)


def test_shipped_schema_file_is_current():
    shipped = (SCENARIOS / "scenario.schema.json").read_text()
    assert shipped == schema_text(), "the parameter declaration changed: run `hsr-careers schema > scenarios/scenario.schema.json`"


def test_schema_rejects_unknown_keys_for_editors():
    schema = json.loads(schema_text())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"contracts": {"renwal_prob": 0.5}}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"policies": [{"type": "bridge_funding", "max_months": 99}]}, schema)


def test_extends_chain_merges_mappings_and_replaces_lists(tmp_path):
    write(
        tmp_path / "root.yaml",
        "name: root\ncontracts: {renewal_prob: 0.6, mentor_effect: 0.9}\npolicies: [{type: bridge_funding}]\nrun: {years: 12}\n",
    )
    write(tmp_path / "mid.yaml", "name: mid\nextends: root.yaml\ncontracts: {renewal_prob: 0.5}\n")
    sub = tmp_path / "sub"
    sub.mkdir()
    write(sub / "leaf.yaml", "extends: ../mid.yaml\npolicies: [{type: protected_time, coverage: 0.9}]\n")
    sc = load_scenario(sub / "leaf.yaml")
    assert sc.name == "leaf"  # name is not inherited
    assert sc.config.contracts.renewal_prob == 0.5
    assert sc.config.contracts.mentor_effect == 0.9
    assert sc.config.run.years == 12
    assert [p.type for p in sc.config.policies] == ["protected_time"]
    assert [p.name for p in sc.chain] == ["root.yaml", "mid.yaml", "leaf.yaml"]


def test_policy_scenarios_extend_the_baseline_settings():
    base = load_scenario(SCENARIOS / "baseline.yaml").config
    bridge = load_scenario(SCENARIOS / "bridge_funding.yaml").config
    assert bridge.run == base.run
    assert bridge.model_dump(exclude={"policies"}) == base.model_dump(exclude={"policies"})


def test_error_in_parent_names_the_parent_file_and_line(tmp_path):
    write(tmp_path / "root.yaml", "name: root\ncontracts:\n  renewal_prob: 1.5\n")
    write(tmp_path / "leaf.yaml", "extends: root.yaml\n")
    with pytest.raises(InputError, match=r"root\.yaml:3: key 'contracts\.renewal_prob'.*1\.5.*0 to 1"):
        load_scenario(tmp_path / "leaf.yaml")


def test_sensitivity_block_checked_against_the_declaration(tmp_path):
    sc = load_scenario(SCENARIOS / "bridge_funding.yaml")
    assert sc.sensitivity is not None and "policies.bridge_funding.max_months" in sc.sensitivity.factors
    assert load_scenario(sc.sensitivity.baseline).name == "baseline"
    write(tmp_path / "s.yaml", "sensitivity:\n  factors:\n    contracts.renewal_prb: null\n")
    with pytest.raises(InputError, match=r"s\.yaml:3: unknown factor.*did you mean 'contracts\.renewal_prob'"):
        load_scenario(tmp_path / "s.yaml")
    write(tmp_path / "r.yaml", "sensitivity:\n  factors:\n    contracts.renewal_prob: [0.5, 1.5]\n")
    with pytest.raises(InputError, match=r"range \[0\.5, 1\.5\]"):
        load_scenario(tmp_path / "r.yaml")


def test_metric_names_match_the_model():
    config = with_overrides(
        load_scenario(SCENARIOS / "baseline.yaml").config, {"run.population": 300, "run.years": 10, "run.burn_in_years": 3}
    )
    assert set(run_one(config, 1).metrics()) == set(metric_names())
