"""The parameter share with its interval: REML components, interval coverage on a planted truth, the power calculation."""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels.regression.mixed_linear_model import MixedLM

from experiments.runs.ensemble_power import DEFAULT_K, DEFAULT_REPS, share_power, smallest_design
from experiments.runs.ensemble_stats import decompose
from experiments.runs.variance_split import one_way_split


def planted(rng: np.random.Generator, k: int, r: int, share: float, sd_total: float = 1.0) -> np.ndarray:
    """d[set, rep] from the random-effects model with a true parameter share ``share``."""
    sd_b, sd_w = sd_total * np.sqrt(share), sd_total * np.sqrt(1 - share)
    return 2.0 + sd_b * rng.standard_normal((k, 1)) + sd_w * rng.standard_normal((k, r))


def _mixedlm(d: np.ndarray) -> tuple[float, float]:
    k, r = d.shape
    fit = MixedLM(d.ravel(), np.ones((k * r, 1)), np.repeat(np.arange(k), r)).fit(reml=True)
    return float(np.asarray(fit.cov_re)[0, 0]), float(fit.scale)


def test_closed_form_is_the_reml_fit_of_statsmodels():
    rng = np.random.default_rng(3)
    d = planted(rng, 15, 5, 0.4)
    s = one_way_split(d)
    between, within = _mixedlm(d)
    assert s.balanced and s.between == pytest.approx(between, rel=1e-3) and s.within == pytest.approx(within, rel=1e-3)


def test_unequal_replicates_are_fitted_by_mixedlm_and_close_to_the_balanced_answer():
    rng = np.random.default_rng(4)
    d = planted(rng, 30, 6, 0.3)
    full = one_way_split(d)
    d[::5, 0] = np.nan  # a metric missing in a few runs
    part = one_way_split(d)
    assert not part.balanced and part.k == 30 and 5 < part.r < 6
    assert part.share == pytest.approx(full.share, abs=0.05) and part.share_low < part.share < part.share_high


@pytest.mark.parametrize(("k", "r"), [(10, 3), (DEFAULT_K, DEFAULT_REPS)])
def test_a_planted_share_of_20_percent_is_inside_the_interval_in_at_least_90_percent_of_seeds(k: int, r: int):
    # 400 seeds: if the interval's coverage is the nominal 95%, the count inside is Binomial(400, 0.95):
    # mean 380, SD 4.4, so falling below 360 (90%) has probability < 1e-5; an interval covering only
    # 85% (mean 340, SD 7.1) would pass with probability about 0.3%.
    inside = 0
    for seed in range(400):
        s = one_way_split(planted(np.random.default_rng(seed), k, r, 0.20))
        inside += s.share_low <= 0.20 <= s.share_high
    assert inside >= 360


def test_no_parameter_effect_gives_an_interval_from_zero_not_a_bare_zero():
    rng = np.random.default_rng(5)
    res = decompose(planted(rng, 10, 3, 0.0))
    assert res["parameter_share_low"] == 0.0 and res["parameter_share_high"] > 0.1  # "cannot tell", with a bound
    assert res["parameter_share_low"] <= res["parameter_share"] <= res["parameter_share_high"]


def test_power_calculation_gives_the_defaults_and_is_right_by_simulation():
    assert smallest_design() == (DEFAULT_K, DEFAULT_REPS)
    # Simulated power of the interval excluding zero at the default design and a 20% share: 1,000 seeds
    # give a standard error of 0.012 on the simulated rate; allow four of them.
    rng = np.random.default_rng(6)
    hits = np.mean([one_way_split(planted(rng, DEFAULT_K, DEFAULT_REPS, 0.2)).share_low > 0 for _ in range(1000)])
    assert hits == pytest.approx(share_power(0.2, DEFAULT_K, DEFAULT_REPS), abs=0.05)


def test_a_ratio_over_a_near_zero_denominator_gets_no_share():
    from experiments.runs.ensemble_stats import decompose_ratio

    rng = np.random.default_rng(7)
    den = 0.2 + rng.standard_normal((20, 6))  # extra years near zero: the delta-method noise explodes
    num = 1e6 + 1e5 * rng.standard_normal((20, 6))
    res = decompose_ratio(num, den)
    assert np.isnan(res["parameter_share"]) and np.isnan(res["parameter_share_high"])
