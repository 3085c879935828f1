"""Every class of bad input exits 2 with one message naming file, key and line, no traceback, nothing written."""

from __future__ import annotations

import pytest
from scenario_helpers import cli, cli_inprocess, write

CASES = {  # id: (file text, fragments the message must contain)
    "yaml_syntax": ("run: {years: 10\nname: x\n", ["bad.yaml:", "YAML syntax error"]),
    "empty_file": ("", ["bad.yaml", "empty"]),
    "comment_only": ("# nothing here\n", ["bad.yaml", "empty"]),
    "top_level_list": ("- name: x\n", ["bad.yaml:1", "top level must be a mapping"]),
    "top_level_scalar": ("just text\n", ["bad.yaml:1", "top level must be a mapping"]),
    "unknown_top_key": ("name: x\npolicys: []\n", ["bad.yaml:2", "unknown key 'policys'", "did you mean 'policies'", "valid keys"]),
    "misspelt_param": ("contracts:\n  renwal_prob: 0.5\n", ["bad.yaml:2", "contracts.renwal_prob", "did you mean 'renewal_prob'"]),
    "misspelt_policy_field": (
        "policies:\n  - type: bridge_funding\n    max_month: 3\n",
        ["bad.yaml:3", "policies[0].max_month", "did you mean 'max_months'"],
    ),
    "wrong_type_text": ("run:\n  years: ten\n", ["bad.yaml:2", "run.years", "whole number", "'ten'"]),
    "wrong_type_bool": ("contracts:\n  renewal_prob: yes\n", ["bad.yaml:2", "contracts.renewal_prob", "must be a number", "True"]),
    "wrong_type_group": ("contracts: 0.5\n", ["bad.yaml:1", "contracts", "must be a mapping"]),
    "wrong_type_list": ("policies: {type: bridge_funding}\n", ["bad.yaml:1", "policies", "must be a list"]),
    "wrong_list_item_type": (
        "policies:\n  - type: bridge_funding\n    stages: [early, postdoc]\n",
        ["bad.yaml:3", "policies[0].stages", "postdoc"],
    ),
    "out_of_range": ("contracts:\n  renewal_prob: 1.5\n", ["bad.yaml:2", "contracts.renewal_prob", "1.5", "valid range: 0 to 1"]),
    "negative_years": ("run:\n  years: -3\n", ["bad.yaml:2", "run.years", "-3", "valid range: 1 to 200"]),
    "nan": ("gaps:\n  reemploy_month: .nan\n", ["bad.yaml:2", "gaps.reemploy_month", "finite number"]),
    "infinity": ("policies:\n  - type: bridge_funding\n    yearly_budget: .inf\n", ["bad.yaml:3", "yearly_budget", "finite number"]),
    "shares_over_one": (
        "population:\n  share_university: 0.8\n  share_nhs: 0.5\n",
        ["bad.yaml", "share_university", "share_nhs", "at most 1"],
    ),
    "duplicate_key": (
        "run:\n  years: 10\n  population: 500\n  years: 12\n",
        ["bad.yaml:4", "duplicated key 'run.years'", "first at line 2"],
    ),
    "duplicate_top_key": ("name: a\nname: b\n", ["bad.yaml:2", "duplicated key 'name'"]),
    "unknown_policy": (
        "policies:\n  - type: bridge_fundin\n",
        ["bad.yaml:2", "unknown policy type 'bridge_fundin'", "did you mean 'bridge_funding'", "valid types", "joint_posts"],
    ),
    "policy_without_type": ("policies:\n  - max_months: 3\n", ["bad.yaml:2", "has no 'type'", "valid types"]),
    "missing_shock_size": ("shocks:\n  - year: 3\n", ["bad.yaml:2", "shocks[0].size", "required"]),
    "missing_extends": ("extends: nowhere.yaml\n", ["bad.yaml:1", "extends", "nowhere.yaml", "not found"]),
    "python_tag": (
        "name: !!python/object/apply:os.system ['echo hi']\n",
        ["bad.yaml:1", "!!python/object/apply:os.system", "safe loading"],
    ),
    "absurd_size": ("run:\n  population: 1000000\n  years: 200\n", ["bad.yaml", "run.population", "researcher-years", "memory"]),
}


SUBPROCESS = ("yaml_syntax", "python_tag", "unknown_policy")  # end to end through the console script; the rest in-process


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_scenario_exits_2_with_one_clear_message(tmp_path, case):
    text, fragments = CASES[case]
    bad = write(tmp_path / "bad.yaml", text)
    out = tmp_path / "results" / "out"
    run = cli if case in SUBPROCESS else cli_inprocess
    res = run("run", bad, "--out", out, "--reps", "1", "--years", "2", "--population", "50")
    assert res.returncode == 2, res.stderr
    assert "Traceback" not in res.stderr
    message = res.stderr.strip().splitlines()[-1]
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    assert not (tmp_path / "results").exists(), "bad input must create nothing under --out"
    val = cli_inprocess("validate", bad)
    assert val.returncode == 2 and "Traceback" not in val.stderr


def test_cycle_of_extends(tmp_path):
    write(tmp_path / "a.yaml", "name: a\nextends: b.yaml\n")
    write(tmp_path / "b.yaml", "name: b\nextends: a.yaml\n")
    res = cli_inprocess("validate", tmp_path / "a.yaml")
    assert res.returncode == 2
    assert "cycle" in res.stderr and "a.yaml -> " in res.stderr and "b.yaml" in res.stderr
    assert "Traceback" not in res.stderr


def test_validate_reports_each_file_and_exits_0_when_all_good(tmp_path):
    good = write(tmp_path / "good.yaml", "name: good\npolicies:\n  - type: bridge_funding\n")
    bad = write(tmp_path / "bad.yaml", "contracts: {renewal_prob: 2}\n")
    res = cli("validate", good)
    assert res.returncode == 0 and "ok:" in res.stdout
    res = cli_inprocess("validate", good, bad)
    assert res.returncode == 2 and "ok:" in res.stdout and "bad.yaml:1" in res.stderr


@pytest.mark.parametrize(
    "flags, fragment",
    [
        (["--reps", "0"], "--reps"),
        (["--jobs", "0"], "--jobs"),
        (["--years", "abc"], "--years"),
        (["--population", "100000000"], "population"),
        (["--format", "xlsx"], "--format"),
        (["--reps", "5000", "--population", "20000"], "fit in memory together"),
    ],
)
def test_bad_flags_exit_2_and_write_nothing(tmp_path, flags, fragment):
    good = write(tmp_path / "good.yaml", "name: good\n")
    out = tmp_path / "results" / "out"
    res = cli_inprocess("run", good, "--out", out, *flags)
    assert res.returncode == 2, res.stderr
    assert fragment in res.stderr and "Traceback" not in res.stderr
    assert not (tmp_path / "results").exists()


def test_missing_scenario_file_and_unusable_out(tmp_path):
    res = cli_inprocess("run", tmp_path / "nope.yaml")
    assert res.returncode == 2 and "nope.yaml: no such scenario file" in res.stderr
    good = write(tmp_path / "good.yaml", "name: good\n")
    keep = tmp_path / "mine"
    keep.mkdir()
    write(keep / "notes.txt", "precious")
    res = cli_inprocess("run", good, "--out", keep, "--reps", "1", "--years", "2", "--population", "50")
    assert res.returncode == 2 and "non-empty folder" in res.stderr
    assert [p.name for p in keep.iterdir()] == ["notes.txt"]
