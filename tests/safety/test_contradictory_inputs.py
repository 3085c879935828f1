"""Inputs read from earlier results or designs are refused when damaged or contradictory: --baseline-results,
--nroy, --vary-assumptions and discover. One line naming the file and what is wrong; exit 2; nothing written."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
from hostile_helpers import refused
from scenario_helpers import SCENARIOS, cli_inprocess

from experiments.runs.ensemble_design import DEFAULT_NROY

BASE, BRIDGE = SCENARIOS / "baseline.yaml", SCENARIOS / "bridge_funding.yaml"
SMALL = ["--reps", "2", "--population", "60", "--years", "3", "--jobs", "1", "--quiet"]


@pytest.fixture(scope="module")
def baseline_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("base") / "base"
    res = cli_inprocess("run", BASE, *SMALL, "--seed", "1", "--out", out)
    assert res.returncode == 0, res.stderr
    return out


def _compare(tmp_path, base, *extra):
    return ["compare", str(BASE), str(BRIDGE), *SMALL, "--out", str(tmp_path / "cmp"), "--baseline-results", str(base), *extra]


def test_baseline_with_contradictory_seeds_is_refused(baseline_run, tmp_path):
    base = shutil.copytree(baseline_run, tmp_path / "base")
    manifest = json.loads((base / "manifest.json").read_text())
    manifest["seeds"]["root"] = 2  # the manifest now says seed 2; summary.json (and the replicates) say seed 1
    manifest["scenario"]["run"]["seed"] = 2
    (base / "manifest.json").write_text(json.dumps(manifest))
    message = refused(_compare(tmp_path, base, "--seed", "2"))
    assert "contradictory seeds" in message and "summary.json seed = 1" in message and "seeds.root = 2" in message
    assert not (tmp_path / "cmp").exists()


@pytest.mark.parametrize("legacy", [False, True])
def test_baseline_with_truncated_careers_is_refused(baseline_run, tmp_path, legacy):
    base = shutil.copytree(baseline_run, tmp_path / "base")
    if legacy:
        manifest = json.loads((base / "manifest.json").read_text())
        del manifest["output"]["checksums"]
        (base / "manifest.json").write_text(json.dumps(manifest))
    data = (base / "careers.parquet").read_bytes()
    (base / "careers.parquet").write_bytes(data[: len(data) // 2])
    message = refused(_compare(tmp_path, base, "--seed", "1"))
    assert "careers.parquet" in message
    assert not (tmp_path / "cmp").exists()


def _nroy(tmp_path, column, value):
    design = pd.read_csv(DEFAULT_NROY)
    row = design.index[design["nroy"].astype(str).str.lower().isin(("true", "1"))][0]
    design[column] = design[column].astype(object)
    design.loc[row, column] = value
    path = tmp_path / "design.csv"
    design.to_csv(path, index=False)
    return path


ENSEMBLE = ["compare", str(BASE), str(BRIDGE), "--ensemble", "2", "--reps", "2", "--population", "60", "--years", "3", "--quiet"]


@pytest.mark.parametrize(("value", "fragment"), [(0.99, "outside the calibration prior [0.55, 0.85]"), ("nan", "not a finite number"),
                                                 ("high", "not a finite number")])  # fmt: skip
def test_nroy_points_outside_the_prior_or_not_numbers_are_refused(tmp_path, value, fragment):
    path = _nroy(tmp_path, "contracts.renewal_prob", value)
    message = refused([*ENSEMBLE, "--nroy", str(path), "--out", str(tmp_path / "ens")])
    assert "design.csv" in message and "contracts.renewal_prob" in message and fragment in message, message
    assert not (tmp_path / "ens").exists()


@pytest.mark.parametrize(("path", "fragment"), [("contracts.fixed_term_mean_months", "has a published source"),
                                                ("survey.n_respondents", "not an uncertain assumption")])  # fmt: skip
def test_vary_assumptions_refuses_sourced_parameters_and_settings(tmp_path, path, fragment):
    from experiments.scenarios.load import load_scenario
    from model.config import numeric_parameters

    rows = numeric_parameters(load_scenario(BASE).config)
    if path not in rows:  # pick any survey setting the model declares
        path = next(p for p in rows if p.startswith("survey.") and p != "survey.secure_share")
    message = refused([*ENSEMBLE, "--vary-assumptions", path, "--out", str(tmp_path / "ens")])
    assert path in message and fragment in message, message


def _damaged(ensemble, tmp_path, edit):
    out = shutil.copytree(ensemble, tmp_path / "ens")
    manifest = json.loads((out / "manifest.json").read_text())  # as an older version wrote it: the tables' checks, not checksums
    del manifest["output"]["checksums"]
    (out / "manifest.json").write_text(json.dumps(manifest))
    runs = pd.read_csv(out / "runs.csv")
    edit(runs).to_csv(out / "runs.csv", index=False)
    return out


@pytest.mark.parametrize(("edit", "fragment"), [
    (lambda r: r.drop(columns=["scenario"]), "no column 'scenario'"),
    (lambda r: r.drop(columns=["set"]), "no column 'set'"),
    (lambda r: r.assign(policy_cost=r["policy_cost"].astype(object).where(r.index > 0, "lots")), "'policy_cost' holds 'lots'"),
])  # fmt: skip
def test_discover_on_damaged_tables_is_refused(ensemble, tmp_path, edit, fragment):
    out = _damaged(ensemble, tmp_path, edit)
    message = refused(["discover", str(out), "--goal", "effect_policy_cost < 70000"])
    assert "runs.csv" in message and fragment in message, message
    assert not (out / "discovery").exists()


def test_discover_on_an_edited_table_is_refused_by_its_checksum(ensemble, tmp_path):
    out = shutil.copytree(ensemble, tmp_path / "ens")
    lines = (out / "runs.csv").read_text().splitlines()
    (out / "runs.csv").write_text("\n".join(lines[:-3]) + "\n")  # the last runs lost
    message = refused(["discover", str(out), "--goal", "effect_policy_cost < 70000"])
    assert "runs.csv" in message and "truncated" in message


def test_goal_on_an_unmeasured_outcome_is_refused(ensemble):
    message = refused(["discover", str(ensemble), "--goal", "effect_retention_10y < 0.02"])  # a 3-year horizon has no 10-year retention
    assert "effect_retention_10y" in message and "never measured" in message
    assert not (ensemble / "discovery").exists()
