"""Bad experiment files exit 2 with the file, the key, the bad value and what is valid; nothing is written."""

from __future__ import annotations

import pytest
import yaml

from experiments.cli import main

GOOD = {
    "name": "bad",
    "base": {"policies": [{"type": "bridge_funding"}], "run": {"population": 200, "years": 5, "burn_in_years": 2}},
    "factorial": {"policies.bridge_funding.max_months": [3, 6]},
    "replicates": 1,
}

CASES = [
    ({"replicats": 3}, ["unknown key 'replicats'", "did you mean 'replicates'"]),
    (
        {"sample": {"method": "lhs", "n": 4, "factor": {}}},
        ["unknown key 'sample.factor'", "did you mean 'factors'", "valid keys: method, n, factors, seed"],
    ),
    ({"outputs": {"yearley": True}}, ["unknown key 'outputs.yearley'", "did you mean 'yearly'"]),
    ({"factorial": {"policies.bridge_funding.max_month": [3]}}, ["factorial.policies.bridge_funding.max_month", "unknown parameter path"]),
    ({"factorial": {"contracts.renewal_prob": [0.5, 1.4]}}, ["factorial.contracts.renewal_prob", "1.4"]),
    ({"factorial": {"contracts.renewal_prob": []}}, ["factorial.contracts.renewal_prob", "at least one"]),
    ({"overrides": {"funding.noise_sd": -1}}, ["overrides", "noise_sd", "-1"]),
    (
        {"sample": {"method": "lhs", "n": 4, "factors": {"funding.noise_sd": [0.1, 0.9]}}},
        ["sample.factors.funding.noise_sd", "[0.1, 0.9]", "<= 0.5"],
    ),
    ({"sample": {"method": "latin", "n": 4, "factors": {"funding.noise_sd": None}}}, ["sample.method", "'lhs'", "'latin'"]),
    (
        {"sample": {"method": "lhs", "n": 4, "factors": {"contracts.renewal_prob": None}}, "factorial": {"contracts.renewal_prob": [0.6]}},
        ["both sampled and set"],
    ),
    ({"replicates": 0}, ["replicates", "greater than or equal to 1", "0"]),
    ({"outputs": {"metrics": ["retention_10", "policy_cost"]}}, ["outputs.metrics", "retention_10", "did you mean"]),
    ({"scenarios": ["nowhere.yaml"], "base": None}, ["scenarios", "nowhere.yaml", "not found"]),
    ({"factorial": {"climate": {"cut": {"shocks": [{"year": 1, "size": 2}]}}}}, ["factorial.climate.cut", "shocks", "2"]),
    ({"base": {"contracts": {"renewal_probability": 0.5}}}, ["base.contracts", "renewal_probability", "did you mean 'renewal_prob'"]),
]


@pytest.mark.parametrize("change,expected", CASES)
def test_bad_experiment_exits_2_and_writes_nothing(tmp_path, capsys, change, expected):
    path = tmp_path / "exp.yaml"
    path.write_text(yaml.safe_dump({**GOOD, **change}, sort_keys=False))
    out = tmp_path / "out"
    assert main(["batch", str(path), "--out", str(out), "--backend", "sequential", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "Traceback" not in err
    for text in expected:
        assert text in err, err
    assert not out.exists()


@pytest.mark.parametrize(
    "text,expected",
    [("name: [unclosed", "YAML syntax error"), ("- a\n- b\n", "top level must be a mapping"), ("", "top level must be a mapping")],
)
def test_unreadable_files(tmp_path, capsys, text, expected):
    path = tmp_path / "exp.yaml"
    path.write_text(text)
    assert main(["batch", str(path), "--quiet"]) == 2
    assert expected in capsys.readouterr().err


def test_missing_file_and_bad_flags(tmp_path, capsys):
    assert main(["batch", str(tmp_path / "none.yaml")]) == 2
    assert "no such experiment file" in capsys.readouterr().err
    path = tmp_path / "exp.yaml"
    path.write_text(yaml.safe_dump(GOOD))
    assert main(["batch", str(path), "--backend", "spark"]) == 2
    assert "invalid choice: 'spark'" in capsys.readouterr().err
    assert main(["batch", str(path), "--scheduler", "tcp://127.0.0.1:1"]) == 2
    assert "--scheduler needs --backend dask" in capsys.readouterr().err
    assert main(["batch", str(path), "--jobs", "0", "--out", str(tmp_path / "o")]) == 2
    assert "--jobs" in capsys.readouterr().err
    assert main(["batch", str(path), "--set", "run.population"]) == 2
    assert "expected PATH=VALUE" in capsys.readouterr().err
    assert main(["batch", str(path), "--set", "contracts.renewal_prob=2", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "(with --set)" in err and "renewal_prob" in err and "2" in err
    assert not (tmp_path / "o").exists()


def test_the_shipped_sweep_is_valid():
    from experiments.batch.execute import load_experiment

    exp = load_experiment("experiments/batches/bridge_budget_sweep.yaml")
    points = exp.design.points
    assert len(points) == 27 and exp.design.n_runs == 270
    assert set(points["funding_climate"]) == {"steady", "cut_20pct", "cut_40pct"}
    config = exp.design.config(int(points.index[(points["funding_climate"] == "cut_40pct")][0]))
    assert [s.size for s in config.shocks] == [0.4]
    assert any(p.policy_type == "bridge_funding" for p in config.policies)
