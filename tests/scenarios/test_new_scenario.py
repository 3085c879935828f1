"""Starting a scenario: `hsr-careers new`, `extends` by a shipped scenario's name, and the policy reference."""

from __future__ import annotations

import re

import pytest
import yaml
from scenario_helpers import ROOT, cli_inprocess, write

from experiments.scenarios import policy_docs
from experiments.scenarios.load import load_scenario, shipped_scenarios
from experiments.scenarios.policy_settings import settings
from model.policies import POLICIES


@pytest.mark.parametrize("policy_type", list(POLICIES))
def test_new_writes_a_commented_file_that_validates_for_every_policy(tmp_path, policy_type):
    out = tmp_path / "elsewhere" / "mine.yaml"
    out.parent.mkdir()
    done = cli_inprocess("new", "mine", "--policy", policy_type, "--out", out)
    assert done.returncode == 0, done.stderr
    text = out.read_text()
    sc = load_scenario(out)  # outside scenarios/: extends: baseline found by name
    assert sc.name == "mine" and [p.policy_type for p in sc.config.policies] == [policy_type]
    assert sc.config == load_scenario(ROOT / "scenarios" / "baseline.yaml").config.model_copy(update={"policies": sc.config.policies})
    policy = sc.config.policies[0]
    for s in settings(POLICIES[policy_type]):  # every setting written at its default, with a comment
        assert getattr(policy, s.name) == s.default
        line = next(ln for ln in text.splitlines() if ln.strip().startswith(f"{s.name}:"))
        assert "#" in line and "valid" in line, line
    assert cli_inprocess("validate", out).returncode == 0


def test_new_with_several_policies_and_with_none(tmp_path):
    both = tmp_path / "both.yaml"
    assert cli_inprocess("new", "both", "--policy", "bridge_funding", "--policy", "caring_support", "--out", both).returncode == 0
    assert [p.policy_type for p in load_scenario(both).config.policies] == ["bridge_funding", "caring_support"]
    none = tmp_path / "none.yaml"
    assert cli_inprocess("new", "none", "--out", none).returncode == 0
    assert load_scenario(none).config.policies == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["new", "x", "--policy", "bridge_fundin"], "unknown policy type 'bridge_fundin' (did you mean 'bridge_funding'?); valid types: "),
        (["new", "x", "--policy", "caring_support", "--policy", "caring_support"], "'caring_support' given twice"),
        (["new", "a/b"], "contains a path separator"),
        (["new", "x", "--out", "{tmp}/x.txt"], "must end in .yaml or .yml"),
        (["new", "x", "--out", "{tmp}/missing/x.yaml"], "does not exist"),
        (["new", "x", "--out", "{tmp}/taken.yaml"], "already exists; choose another path or add --force"),
    ],
)
def test_new_refuses_bad_input_in_one_line_and_writes_nothing(tmp_path, args, message):
    taken = write(tmp_path / "taken.yaml", "name: keep\n")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    done = cli_inprocess(*[a.format(tmp=tmp_path) for a in args])
    assert done.returncode == 2
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert sorted(p.name for p in tmp_path.rglob("*")) == before and taken.read_text() == "name: keep\n"


def test_extends_names_a_shipped_scenario_from_anywhere_and_a_path_still_works(tmp_path):
    by_name = load_scenario(write(tmp_path / "a.yaml", "name: a\nextends: bridge_funding\nrun: {replicates: 2}\n"))
    shipped = load_scenario(ROOT / "scenarios" / "bridge_funding.yaml")
    assert by_name.config.policies == shipped.config.policies and by_name.config.run.replicates == 2
    assert by_name.chain[-2] == (ROOT / "scenarios" / "bridge_funding.yaml")
    write(tmp_path / "parent.yaml", "name: parent\nextends: baseline\ncontracts: {renewal_prob: 0.5}\n")
    by_path = load_scenario(write(tmp_path / "child.yaml", "name: child\nextends: parent.yaml\n"))
    assert by_path.config.contracts.renewal_prob == 0.5
    assert set(shipped_scenarios()) >= {"baseline", "bridge_funding"}


@pytest.mark.parametrize(
    ("extends", "message"),
    [
        ("baseln", "no shipped scenario named 'baseln' (did you mean 'baseline'?); shipped scenarios: baseline, "),
        ("baseline.yaml", "file 'baseline.yaml' not found"),
        ("notes.txt", "must name a scenario file ending in .yaml or .yml, or a shipped scenario by name"),
    ],
)
def test_a_bad_extends_lists_the_shipped_scenarios(tmp_path, extends, message):
    path = write(tmp_path / "bad.yaml", f"name: bad\nextends: {extends}\n")
    done = cli_inprocess("validate", path)
    assert done.returncode == 2
    first = done.stderr.splitlines()[0]
    assert message in first and "bad.yaml:2" in first, first
    if extends == "baseline.yaml":
        assert "write extends: baseline" in first


def test_policy_reference_is_current():
    """docs/policies.md is what the declarations generate now (rebuild: python -m experiments.scenarios.policy_docs)."""
    assert policy_docs.main(["--check"]) == 0, "docs/policies.md is stale: python -m experiments.scenarios.policy_docs"


def test_policy_reference_describes_every_policy_and_setting():
    text = policy_docs.DOC.read_text()
    for policy_type, cls in POLICIES.items():
        section = text.split(f"## {policy_type}", 1)[1].split("\n## ", 1)[0]
        assert "**Who is eligible.**" in section and "(not yet described)" not in section, policy_type
        for s in settings(cls):
            row = next(ln for ln in section.splitlines() if ln.startswith(f"| `{s.name}` |"))
            assert s.valid in row, (policy_type, s.name)
        # eligibility names only settings the policy declares (it is the one hand-written part)
        for name in re.findall(r"`(\w+)`", policy_docs.ELIGIBLE[policy_type]):
            assert name in cls.model_fields, (policy_type, name)
    assert set(policy_docs.ELIGIBLE) == set(POLICIES)


def test_every_example_in_the_policy_reference_validates(tmp_path):
    text = policy_docs.DOC.read_text()
    examples = re.findall(r"```yaml\n(.*?)```", text, flags=re.S)
    assert len(examples) == len(POLICIES)
    for i, example in enumerate(examples):
        path = write(tmp_path / f"example{i}.yaml", example)
        sc = load_scenario(path)
        policy_type = yaml.safe_load(example)["policies"][0]["type"]
        assert [p.policy_type for p in sc.config.policies] == [policy_type]
        assert sc.config.policies[0] == POLICIES[policy_type]()  # every setting at its declared default


def test_sensitivity_baseline_names_a_shipped_scenario_too(tmp_path):
    path = write(tmp_path / "s.yaml", "name: s\nextends: bridge_funding\nsensitivity: {baseline: baseline}\n")
    assert load_scenario(path).sensitivity.baseline == str(ROOT / "scenarios" / "baseline.yaml")
    bad = write(tmp_path / "b.yaml", "name: b\nextends: baseline\nsensitivity: {baseline: baseln}\n")
    done = cli_inprocess("validate", bad)
    assert done.returncode == 2 and "name a shipped scenario (baseline, " in done.stderr
