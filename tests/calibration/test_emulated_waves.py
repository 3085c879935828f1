"""The calibration machinery on toy simulators with a known answer: emulator, leave-one-out checks, waves, solved parameters.

No model runs: a toy "simulator" maps two parameters to noisy measures, so every property
is checked against the truth in well under a minute.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from calibration import emulator as gp
from calibration.fit import fit_table
from calibration.free_parameters import FreeParameter, Settings, Setup
from calibration.history_matching import history_match
from calibration.solved import SolvedParameter
from calibration.stats import implausibility
from calibration.targets import Target
from model.config import ModelConfig

TRUTH = {"a": 0.62, "b": 0.35}
FREE = [FreeParameter("a", 0.0, 1.0, 0.5, "toy"), FreeParameter("b", 0.0, 1.0, 0.5, "toy")]
NOISE_SD = 0.02  # run-to-run SD of each toy measure


def toy_means(a: float, b: float) -> dict[str, float]:
    """Expected toy measures: one identifies a, one identifies b, one mixes them; 'secure' is a nuisance-scaled share."""
    return {"m_a": 0.2 + 0.6 * a, "m_b": 0.3 + 0.4 * b**2, "m_ab": 0.5 + 0.2 * (a - b), "via": 0.4 + 0.4 * a}


class ToyEvaluate:
    """A deterministic noisy toy simulator with the evaluate interface; counts and caches runs like the run store does."""

    def __init__(self) -> None:
        self.store: dict[tuple, dict[str, float]] = {}
        self.ran = self.cached = 0

    def __call__(self, tasks):
        for i, (point, seed) in enumerate(tasks):
            key = (tuple(sorted(point.items())), seed)
            if key in self.store:
                self.cached += 1
            else:
                self.ran += 1
                rng = np.random.default_rng([seed, int(point["a"] * 1e6), int(point["b"] * 1e6)])
                means = toy_means(point["a"], point["b"])
                out = {k: v + NOISE_SD * rng.standard_normal() for k, v in means.items()}
                out["secure"] = point.get("s", 0.5) * out["via"]  # design runs: the default nuisance value 0.5
                self.store[key] = out
            yield i, self.store[key]


def toy_targets() -> list[Target]:
    truth = toy_means(**TRUTH)
    common = {"n": 2000, "population": "toy", "year": 2025, "source": "toy", "discrepancy_sd": 0.005}
    targets = [Target(name=k, value=round(truth[k], 4), measure=k, **common) for k in ("m_a", "m_b", "m_ab")]
    # feel-secure-like target: secure = s × via with s solved; the truth has s = 0.3
    targets.append(Target(name="secure", value=round(0.3 * truth["via"], 4), measure="secure", **common))
    return targets


SETTINGS = Settings(reps=4, waves=3, cutoff=3.0, candidates=4000, confirm_candidates=3, confirm_reps=8, seed=5)
SOLVED = [SolvedParameter("s", "secure", "via", 0.1, 0.9, "toy nuisance")]
BUDGET = 3 * 4 * 16 + 3 * 8  # three waves of 16 points x 4 reps, then confirmation


def test_emulator_recovers_a_smooth_function_and_its_variance():
    rng = np.random.default_rng(1)
    u = rng.random((60, 2))
    true_var = 0.0004 * (1 + 8 * u[:, 0])  # run-to-run variance rising ninefold across the first parameter
    reps = 6
    runs = 0.3 + 0.5 * np.sin(2.5 * u[:, :1]) * u[:, 1:] + np.sqrt(true_var)[:, None] * rng.standard_normal((60, reps))
    em = gp.fit(u, runs.mean(axis=1), runs.var(axis=1, ddof=1), reps, seed=0)
    test = rng.random((200, 2))
    mean, em_var, rep_var = em.predict(test)
    truth = 0.3 + 0.5 * np.sin(2.5 * test[:, 0]) * test[:, 1]
    # the emulated mean is within 3 of its own SDs of the truth almost everywhere (a calibrated uncertainty)
    z = (mean - truth) / np.sqrt(em_var + 1e-12)
    assert np.mean(np.abs(z) <= 3) >= 0.9
    assert np.max(np.abs(mean - truth)) < 0.05
    # the variance emulator finds the rise: each end, and their ratio (truth 8.6 / 1.4 = 6.1), within a factor 2 of the truth
    lo, hi = em.predict(np.array([[0.05, 0.5]]))[2][0], em.predict(np.array([[0.95, 0.5]]))[2][0]
    assert 0.5 < lo / (0.0004 * 1.4) < 2 and 0.5 < hi / (0.0004 * 8.6) < 2
    assert 6.1 / 2 < hi / lo < 6.1 * 2
    diag = gp.loo(em)
    assert diag["within_3sd"] >= 0.95 and diag["loo_r2"] > 0.9


def test_leave_one_out_flags_an_overconfident_emulator():
    # Data with large noise told to the emulator as almost none: LOO errors are then far from standard normal.
    rng = np.random.default_rng(2)
    u = rng.random((40, 1))
    y = 0.5 + 0.1 * u[:, 0] + 0.05 * rng.standard_normal(40)
    em = gp.fit(u, y, np.full(40, 1e-8), reps=4, seed=0)
    honest = gp.fit(u, y, np.full(40, 0.05**2 * 4), reps=4, seed=0)
    assert gp.loo(honest)["within_3sd"] >= gp.loo(em)["within_3sd"]
    assert gp.loo(honest)["within_3sd"] >= 0.95


def test_one_acceptance_rule_with_tolerance_as_dead_band():
    t = Target(name="x", value=0.5, n=100, population="p", year=2025, source="s", measure="m_a", tolerance=0.05, discrepancy_sd=0.0)
    # a miss inside the tolerance is no miss at all
    assert implausibility(0.5, 0.54, 0.0, 4, t.obs_var, 0.0, tolerance=0.05) == 0.0
    # beyond it, only the excess counts, scaled by the total SD
    sd = math.sqrt(t.obs_var)
    assert implausibility(0.5, 0.5 + 0.05 + 2 * sd, 0.0, 4, t.obs_var, 0.0, tolerance=0.05) == pytest.approx(2.0)
    # the fit table (calibrate --check) accepts exactly what the implausibility accepts, at the edge of the cut-off
    for offset, accepted in ((2.95, True), (3.05, False)):
        runs = [{"m_a": 0.5 + 0.05 + offset * sd}] * 3  # identical replicates: no replicate variance
        row = fit_table([t], runs).iloc[0]
        assert bool(row["accepted"]) is accepted and bool(row["implausibility"] <= 3.0) is accepted
        assert bool(row["accept_low"] <= row["simulated_mean"] <= row["accept_high"]) is accepted


@pytest.fixture(scope="module")
def toy_result():
    evaluate = ToyEvaluate()
    setup = Setup(free=FREE, settings=SETTINGS, solved=SOLVED)
    res = history_match(toy_targets(), setup, ModelConfig(), evaluate, BUDGET, progress=lambda m: None)
    return res, evaluate, setup


def test_waves_shrink_the_nroy_space_around_the_truth(toy_result):
    res, evaluate, _ = toy_result
    waves = res.waves
    assert list(waves["wave"]) == [0, 1, 2, 3]
    vol = waves["nroy_volume"].to_numpy()
    assert vol[0] == 1.0 and vol[-1] < 0.1 and all(np.diff(vol) <= 0)  # each wave keeps only what earlier waves kept
    last = waves.iloc[-1]
    for p, truth in TRUTH.items():
        assert last[f"{p}:low"] <= truth <= last[f"{p}:high"]
        assert last[f"{p}:high"] - last[f"{p}:low"] < 0.5  # the range shrank from the prior's 1.0
    # later waves put their runs where the answer is: their points are nearer the truth than wave 1's
    d = res.design
    dist = np.hypot(d["a"] - TRUTH["a"], d["b"] - TRUTH["b"])
    assert dist[d["wave"] == 3].mean() < 0.5 * dist[d["wave"] == 1].mean()
    assert abs(res.calibrated["a"] - TRUTH["a"]) < 0.06 and abs(res.calibrated["b"] - TRUTH["b"]) < 0.12
    assert evaluate.ran == BUDGET
    assert set(res.emulators["target"]) == {"m_a", "m_b", "m_ab", "secure"}
    assert (res.emulators["within_3sd"] >= 0.8).all(), res.emulators


def test_nuisance_parameter_is_solved_not_sampled(toy_result):
    res, _, _ = toy_result
    d = res.design
    # at every point the solved value makes the target's expected measure equal the observation
    inside = d["s"].between(0.1 + 1e-9, 0.9 - 1e-9)
    expected = d.loc[inside, "s"] * (0.4 + 0.4 * d.loc[inside, "a"])
    assert np.allclose(expected, toy_targets()[3].value, atol=4 * NOISE_SD)
    assert abs(res.calibrated["s"] - 0.3) < 0.05
    assert "s" in res.calibrated and "s" not in [p.path for p in FREE]


def test_rerun_resumes_from_the_store_and_chooses_the_same(toy_result):
    res, evaluate, setup = toy_result
    ran_before = evaluate.ran
    again = history_match(toy_targets(), setup, ModelConfig(), evaluate, BUDGET, progress=lambda m: None)
    assert evaluate.ran == ran_before  # every run came from the store
    assert again.calibrated == res.calibrated
    pd.testing.assert_frame_equal(again.design, res.design)
    pd.testing.assert_frame_equal(again.waves, res.waves)
