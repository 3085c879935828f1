"""The sensitivity pipeline on functions with known answers (sampling, engine, cache, analysis)."""

from __future__ import annotations

import math

import numpy as np
import pyarrow.parquet as pq
import pytest

from experiments.engine import Execution
from experiments.errors import InputError
from experiments.sensitivity.design import check_size, design_size
from experiments.sensitivity.factors import Factor, default_factor_paths, resolve_factors
from experiments.sensitivity.pipeline import analyse_design
from experiments.sensitivity.run import drop_conflicting
from experiments.sensitivity.testfns import Ishigami, LinearWithDummy
from model.config import ModelConfig, numeric_parameters


def test_ishigami_sobol_indices_recovered_in_parallel_unordered(tmp_path):
    fn = Ishigami()
    factors = [Factor(n, -math.pi, math.pi) for n in fn.names]
    res = analyse_design(fn, factors, method="sobol", n=1024, reps=1, seed=11, cache_dir=tmp_path, execution=Execution(backend="loky", jobs=2))
    assert res.stats["design_points"] == design_size("sobol", 3, 1024) == 1024 * 5
    truth = fn.analytic()
    got = res.indices.set_index("parameter")
    for name in fn.names:
        assert got.loc[name, "S1"] == pytest.approx(truth["S1"][name], abs=0.06), name
        assert got.loc[name, "ST"] == pytest.approx(truth["ST"][name], abs=0.06), name
        # the reported 95% intervals are honest: wide enough to cover the truth, not huge
        assert abs(got.loc[name, "ST"] - truth["ST"][name]) <= 2 * got.loc[name, "ST_conf"] + 0.01
        assert got.loc[name, "ST_conf"] < 0.15
    assert list(got.sort_values("rank").index) == ["x1", "x2", "x3"]
    conv = res.convergence
    assert set(conv["n_half"]) == {512} and set(conv["n_full"]) == {1024}
    assert conv["top3_same"].all()


def test_rerun_resumes_from_cache_and_gives_identical_indices(tmp_path):
    fn = Ishigami(noise_sd=0.5)
    factors = [Factor(n, -math.pi, math.pi) for n in fn.names]
    first = analyse_design(fn, factors, method="sobol", n=64, reps=2, seed=5, cache_dir=tmp_path, execution=Execution(backend="sequential"))
    assert first.stats["evaluated"] == 64 * 5 * 2 and first.stats["cached"] == 0
    # simulate an interruption: the last part never landed and the one before is torn
    parts = sorted((tmp_path / "runs").glob("part-*.parquet"))
    lost = sum(pq.read_metadata(p).num_rows for p in parts[-2:])
    parts[-1].unlink()
    parts[-2].write_bytes(parts[-2].read_bytes()[:100])
    again = analyse_design(fn, factors, method="sobol", n=64, reps=2, seed=5, cache_dir=tmp_path, execution=Execution(backend="sequential"))
    assert 0 < lost < 64 * 5 * 2 and again.stats["evaluated"] == lost and again.stats["cached"] == 64 * 5 * 2 - lost
    np.testing.assert_allclose(again.indices["ST"], first.indices["ST"])
    # a design twice as large reuses the half it shares (Sobol' prefix property)
    bigger = analyse_design(fn, factors, method="sobol", n=128, reps=2, seed=5, cache_dir=tmp_path, execution=Execution(backend="sequential"))
    assert bigger.stats["cached"] == 64 * 5 * 2 and bigger.stats["evaluated"] == 64 * 5 * 2


def test_noise_share_matches_known_noise(tmp_path):
    fn = Ishigami(noise_sd=2.0)
    factors = [Factor(n, -math.pi, math.pi) for n in fn.names]
    res = analyse_design(fn, factors, method="sobol", n=256, reps=4, seed=2, cache_dir=tmp_path, execution=Execution(backend="sequential"))
    row = res.noise.iloc[0]
    var_f = 0.5 + 0.1 * math.pi**4 / 5 + 0.01 * math.pi**8 / 18 + 49 / 8  # Ishigami variance
    assert row["noise_share"] == pytest.approx(4.0 / (var_f + 4.0), abs=0.06)
    assert row["noise_share_of_means"] < row["noise_share"]


def test_morris_ranks_dummy_factor_last_despite_point_to_point_noise(tmp_path):
    fn = LinearWithDummy({"a": 4.0, "b": 2.0, "c": 1.0, "dummy": 0.0}, noise_sd=0.05, common_noise=False)
    factors = [Factor(n, 0.0, 1.0) for n in ("a", "b", "c", "dummy")]
    res = analyse_design(fn, factors, method="morris", n=20, reps=2, seed=7, cache_dir=tmp_path, execution=Execution(backend="loky", jobs=2))
    ranking = res.ranking("y")
    assert list(ranking["parameter"]) == ["a", "b", "c", "dummy"]
    dummy = ranking.set_index("parameter").loc["dummy"]
    assert 0 < dummy["mu_star"] < 0.2  # noisy, not exactly zero: the noise was not common
    assert ranking.set_index("parameter").loc["a", "mu_star"] == pytest.approx(4.0, abs=0.2)
    assert set(res.indices.columns) >= {"method", "output", "parameter", "mu_star", "mu_star_conf", "sigma"}


def test_common_random_numbers_cancel_additive_noise_in_elementary_effects(tmp_path):
    fn = LinearWithDummy({"a": 1.0, "b": 0.5, "dummy": 0.0}, noise_sd=1.0, common_noise=True)
    factors = [Factor(n, 0.0, 1.0) for n in ("a", "b", "dummy")]
    res = analyse_design(fn, factors, method="morris", n=6, reps=2, seed=1, cache_dir=tmp_path, execution=Execution(backend="sequential"))
    got = res.ranking("y").set_index("parameter")
    assert got.loc["a", "mu_star"] == pytest.approx(1.0, abs=1e-9)
    assert got.loc["dummy", "mu_star"] == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("n", [0, 3, 100, 1000])
def test_sobol_refuses_n_not_power_of_two(n):
    with pytest.raises(InputError, match="power of two|at least 2"):
        check_size("sobol", n)
    check_size("morris", max(n, 2))


def test_factors_come_from_the_declaration():
    config = ModelConfig.model_validate({"policies": [{"type": "bridge_funding"}]})
    rows = numeric_parameters(config)
    default = default_factor_paths(config)
    assert "policies.bridge_funding.max_months" in default
    assert not any(p.startswith("survey.") for p in default)
    factors = resolve_factors(config, {"contracts.renewal_prob": None, "gaps.exit_base_month": [0.01, 0.03]})
    assert (factors[0].low, factors[0].high) == (
        rows["contracts.renewal_prob"]["plausible_min"],
        rows["contracts.renewal_prob"]["plausible_max"],
    )
    assert (factors[1].low, factors[1].high) == (0.01, 0.03)
    valid = resolve_factors(config, ["contracts.renewal_prob", "network.mentor_capacity"], ranges="valid")
    assert (valid[0].low, valid[0].high) == (0.0, 1.0)
    assert valid[1].integer and valid[1].value(2.6) == 3


@pytest.mark.parametrize(
    ("factors", "match"),
    [
        (
            {"contracts.renewal_prb": None, "gaps.reemploy_month": None},
            "unknown factor 'contracts.renewal_prb'.*did you mean 'contracts.renewal_prob'",
        ),
        ({"policies.bridge_funding.max_months": None, "gaps.reemploy_month": None}, "policy parameters need that policy"),
        ({"contracts.renewal_prob": [0.5, 1.5], "gaps.reemploy_month": None}, r"leaves its valid range \[0, 1\]"),
        ({"contracts.renewal_prob": [0.8, 0.6], "gaps.reemploy_month": None}, "low < high"),
        ({"contracts.renewal_prob": None}, "at least two factors"),
    ],
)
def test_bad_factors_refused(factors, match):
    with pytest.raises(InputError, match=match):
        resolve_factors(ModelConfig(), factors, source="s.yaml (sensitivity)")


def test_default_factor_set_drops_ranges_that_break_a_model_rule():
    config = ModelConfig()
    kept, dropped = drop_conflicting(config, resolve_factors(config))
    assert dropped, "the declared share ranges can sum above 1; one of them must go"
    assert all(p not in {f.path for f in kept} for p in dropped)
    assert len(kept) + len(dropped) == len(default_factor_paths(config))
