"""``compare --ensemble K``: the variance split is right on a synthetic case, runs are paired, resumable and backend-free."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scenario_helpers import SCENARIOS, cli_inprocess

import experiments.runs.ensemble as ensemble_mod
from experiments.engine import Execution
from experiments.errors import InputError
from experiments.runs.ensemble import format_ensemble, run_ensemble
from experiments.runs.ensemble_design import DEFAULT_NROY, draw_sets, load_nroy, resolve_assumptions
from experiments.runs.ensemble_stats import decompose, decompose_ratio, pairwise
from experiments.scenarios.load import load_scenario

TINY = {"population": 150, "years": 5, "burn_in_years": 2}
BASE, BRIDGE = SCENARIOS / "baseline.yaml", SCENARIOS / "bridge_funding.yaml"


def test_variance_split_recovers_a_known_parameter_and_noise_spread():
    rng = np.random.default_rng(1)
    k, r, sd_p, sd_n = 400, 6, 0.02, 0.05
    mu = 0.03 + sd_p * rng.standard_normal(k)
    d = mu[:, None] + sd_n * rng.standard_normal((k, r))
    res = decompose(d)
    # Standard errors at K=400, R=6: ~7% on sd_parameter (B from 400 set means), ~1.6% on sd_noise
    # (2,000 within-set df); tolerances are about three of them.
    assert res["sd_parameter"] == pytest.approx(sd_p, rel=0.2)
    assert res["sd_noise"] == pytest.approx(sd_n, rel=0.05)
    assert res["parameter_share"] == pytest.approx(sd_p**2 / (sd_p**2 + sd_n**2), abs=0.05)
    assert res["ci_low"] < res["param_low"] < res["mean"] < res["param_high"] < res["ci_high"]
    # No parameter effect at all: the between-set variance is all noise and the estimate is near zero.
    flat = decompose(0.03 + sd_n * rng.standard_normal((k, r)))
    assert flat["sd_parameter"] < 0.3 * sd_p and flat["sd_noise"] == pytest.approx(sd_n, rel=0.05)


def test_ratio_split_sees_a_cost_ratio_that_varies_over_sets():
    rng = np.random.default_rng(2)
    k, r = 300, 8
    ratio = 40_000 + 8_000 * rng.standard_normal(k)  # cost per researcher-year differs between parameter sets
    den = 5 + rng.standard_normal((k, r))
    num = ratio[:, None] * den + 2_000 * rng.standard_normal((k, r))
    res = decompose_ratio(num, den)
    # Noise of a set's ratio is 2,000/(5*sqrt(8)) ~ 140, small beside 8,000: the parameter SD comes out near 8,000 (SE ~4%).
    assert res["sd_parameter"] == pytest.approx(8_000, rel=0.15)
    assert res["mean"] == pytest.approx(40_000, rel=0.05)


def test_pairwise_probability_is_paired_and_direction_aware():
    a = np.array([0.05, 0.04, 0.06, 0.05])  # retention effects at four sets
    b = np.array([0.03, 0.05, 0.02, 0.01])
    per_set = {("a", "retention_10y"): a, ("b", "retention_10y"): b, ("a", "policy_cost"): a, ("b", "policy_cost"): b}
    t = pairwise(per_set, ["a", "b"]).set_index("metric")
    assert t.loc["retention_10y", "p_a_better"] == 0.75  # higher retention is better
    assert t.loc["policy_cost", "p_a_better"] == 0.25  # lower cost is better


def test_sets_are_drawn_only_from_nroy_points_without_replacement():
    nroy = load_nroy(DEFAULT_NROY)
    design = pd.read_csv(DEFAULT_NROY)
    cfg = load_scenario(BASE).config
    sets = draw_sets(nroy, 20, 7, [], cfg)
    assert sets["nroy_point"].is_unique and design.loc[sets["nroy_point"], "nroy"].all()
    again = draw_sets(nroy, 20, 7, [], cfg)
    pd.testing.assert_frame_equal(sets, again)  # seeded
    a = resolve_assumptions(cfg, ["gaps.no_safety_net_multiplier"], set(nroy.columns))
    with_a = draw_sets(nroy, 20, 7, a, cfg)
    v = with_a["gaps.no_safety_net_multiplier"]
    assert v.between(a[0].low, a[0].high).all() and v.std() > 0.2 * (a[0].high - a[0].low)
    every = resolve_assumptions(cfg, [], set(nroy.columns))
    assert every and not {x.path for x in every} & set(nroy.columns)
    assert all(not x.path.startswith(("survey.", "run.", "policies.")) for x in every)


def test_ensemble_is_backend_free_and_resumes(tmp_path, monkeypatch):
    kw = {"k": 2, "reps": 2, "seed": 11, **TINY}
    seq = run_ensemble(BASE, [BRIDGE], execution=Execution(backend="sequential"), **kw)
    loky = run_ensemble(BASE, [BRIDGE], execution=Execution(backend="loky", jobs=2), **kw)
    pd.testing.assert_frame_equal(seq.runs, loky.runs)
    # Paired: replicate r of set s has the same seed in both scenarios, different seeds across sets.
    assert seq.runs.groupby("scenario").size().tolist() == [4, 4]

    out = tmp_path / "ens"

    def killed(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(ensemble_mod, "_write", killed)
    with pytest.raises(KeyboardInterrupt):
        run_ensemble(BASE, [BRIDGE], execution=Execution(backend="sequential"), out=out, **kw)
    monkeypatch.undo()
    resumed = run_ensemble(BASE, [BRIDGE], execution=Execution(backend="sequential"), out=out, **kw)
    assert resumed.stats["evaluated"] == 0 and resumed.stats["cached"] == 8
    pd.testing.assert_frame_equal(resumed.runs, seq.runs)
    table = format_ensemble(resumed)
    assert "retention at 5 years" in table and " pp" in table and "P=" in table  # labels from the outcome registry
    eff = pd.read_csv(out / "effects_ensemble.csv")
    assert {"sd_parameter", "sd_noise", "p_intended_sign"} <= set(eff.columns)
    assert (out / "figures" / "ensemble_effects.png").stat().st_size > 10_000


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--ensemble", "1"], "at least 2 parameter sets"),
        (["--ensemble", "2", "--vary-assumptions", "contracts.renewal_prob"], "calibrated parameter"),
        (["--ensemble", "2", "--vary-assumptions", "gaps.no_safety_net_multiplyer"], "did you mean 'gaps.no_safety_net_multiplier'"),
        (["--ensemble", "2", "--nroy", "missing.csv"], "no calibration design at 'missing.csv'"),
        (["--vary-assumptions"], "needs --ensemble K"),
    ],
)
def test_bad_ensemble_flags_exit_2_and_write_nothing(tmp_path, flags, message):
    out = tmp_path / "ens"
    res = cli_inprocess("compare", BASE, BRIDGE, *flags, "--population", "150", "--years", "5", "--out", out)
    assert res.returncode == 2 and message in res.stderr and "Traceback" not in res.stderr
    assert not out.exists()


def test_ensemble_refuses_a_single_replicate():
    with pytest.raises(InputError, match="at least 2 replicates"):
        run_ensemble(BASE, [BRIDGE], k=2, reps=1, **TINY)


def test_ensemble_on_dask_matches_sequential():
    pytest.importorskip("distributed")
    kw = {"k": 2, "reps": 2, "seed": 11, **TINY}
    seq = run_ensemble(BASE, [BRIDGE], execution=Execution(backend="sequential"), **kw)
    dask = run_ensemble(BASE, [BRIDGE], execution=Execution(backend="dask", jobs=2), **kw)  # a loopback LocalCluster of 2 process workers
    pd.testing.assert_frame_equal(seq.runs, dask.runs)
    pd.testing.assert_frame_equal(seq.effects, dask.effects)


def test_ensemble_refuses_results_of_another_kind(tmp_path):
    out = tmp_path / "ens"
    out.mkdir()
    (out / "manifest.json").write_text('{"output": {"kind": "batch", "settings": "x"}}')
    res = cli_inprocess("compare", BASE, BRIDGE, "--ensemble", "2", "--population", "150", "--years", "5", "--out", out)
    assert res.returncode == 2 and "holds results of 'hsr-careers batch'" in res.stderr
