"""``hsr-careers sensitivity`` on the real model at tiny size, and its refusals (exit 2)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from experiments.cli import main

TINY = "run: {population: 250, years: 10, burn_in_years: 2}\n"


@pytest.fixture
def scenarios(tmp_path):
    (tmp_path / "baseline.yaml").write_text("name: baseline\n" + TINY)
    (tmp_path / "bridge.yaml").write_text(
        "name: bridge\n"
        + TINY
        + "policies:\n  - {type: bridge_funding, max_months: 6}\n"
        + "sensitivity:\n  method: morris\n  baseline: baseline.yaml\n  reps: 2\n"
        + "  factors:\n    gaps.exit_base_month: [0.01, 0.04]\n    contracts.renewal_prob: null\n    policies.bridge_funding.max_months: null\n"
    )
    return tmp_path


def test_cli_morris_on_real_model_writes_well_formed_files(scenarios, capsys):
    out = scenarios / "out"
    args = ["sensitivity", str(scenarios / "bridge.yaml"), "-N", "4", "-j", "2", "--out", str(out), "--no-progress"]
    assert main(args) == 0
    idx = pd.read_csv(out / "indices.csv")
    assert list(idx.columns) == ["method", "output", "parameter", "mu", "mu_star", "mu_star_conf", "sigma", "rank"]
    outputs = {"retention_10y", "equity_gap_carer_10y", "equity_gap_disabled_10y", "equity_gap_working_class_10y", "equity_gap_gender_10y"}
    outputs |= {f"effect_{o}" for o in outputs}
    manifest = json.loads((out / "manifest.json").read_text())
    assert set(idx["output"]) | set(manifest["outputs_skipped"]) == outputs
    assert "effect_retention_10y" in set(idx["output"])
    assert set(idx["parameter"]) == {"gaps.exit_base_month", "contracts.renewal_prob", "policies.bridge_funding.max_months"}
    assert (idx["mu_star"] >= 0).all() and (idx["mu_star_conf"] >= 0).all() and idx["sigma"].notna().all()
    assert manifest["method"] == "morris" and manifest["N"] == 4 and manifest["reps"] == 2
    assert manifest["baseline"]["name"] == "baseline" and manifest["evaluation"]["design_points"] == 16
    assert {f["path"]: [f["low"], f["high"]] for f in manifest["factors"]}["gaps.exit_base_month"] == [0.01, 0.04]
    noise = pd.read_csv(out / "noise.csv").set_index("output")
    assert noise.loc["retention_10y", "noise_share"] > 0  # at 250 researchers chance matters
    assert (out / "figures" / "morris_effect_retention_10y.png").stat().st_size > 5_000
    design = pd.read_csv(out / "design.csv")
    assert len(design) == 16 and design["policies.bridge_funding.max_months"].between(3, 12).all()
    # the baseline ignores the policy's own parameter: its effect on the policy effect equals its effect on the level
    by = idx.set_index(["output", "parameter"])
    p = "policies.bridge_funding.max_months"
    assert by.loc[("effect_retention_10y", p), "mu_star"] == pytest.approx(by.loc[("retention_10y", p), "mu_star"])
    assert "effect_retention_10y" in capsys.readouterr().out
    # rerun resumes: nothing evaluated again
    assert main(args) == 0
    assert json.loads((out / "manifest.json").read_text())["evaluation"]["evaluated"] == 0


def test_cli_sobol_tiny(scenarios):
    out = scenarios / "sobol"
    args = ["sensitivity", str(scenarios / "bridge.yaml"), "--method", "sobol", "-N", "4", "--reps", "1", "--outputs", "retention_10y"]
    args += ["--factors", "gaps.exit_base_month", "contracts.renewal_prob", "--backend", "sequential", "--out", str(out), "--no-progress"]
    assert main(args) == 0
    idx = pd.read_csv(out / "indices.csv")
    assert list(idx.columns) == ["method", "output", "parameter", "S1", "S1_conf", "ST", "ST_conf", "rank"]
    assert len(idx) == 2 and (out / "figures" / "sobol_retention_10y.png").exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--method", "sobol", "-N", "100"], "power of two"),
        (["--factors", "contracts.renewal_prb", "gaps.reemploy_month"], "unknown factor 'contracts.renewal_prb'"),
        (["--outputs", "retention_11y"], "unknown output 'retention_11y'"),
        (["--reps", "0"], "--reps"),
    ],
)
def test_cli_refuses_bad_input_with_exit_2_and_writes_nothing(scenarios, capsys, extra, message):
    out = scenarios / "bad"
    assert main(["sensitivity", str(scenarios / "bridge.yaml"), *extra, "--out", str(out), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (out / "indices.csv").exists() and not (out / "manifest.json").exists()
