"""A sensitivity analysis of the real model is a pure function of its settings: the same indices with -j 1 and
-j 2, the same after a kill and resume, and exactly zero policy effect for a scenario identical to its baseline."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from experiments.engine import Execution
from experiments.sensitivity import evaluate as sensitivity_eval
from experiments.sensitivity.evaluate import ModelEvaluator
from experiments.sensitivity.factors import resolve_factors
from experiments.sensitivity.pipeline import analyse_design
from model.config import ModelConfig, with_overrides

TINY = {"run.population": 60, "run.years": 4, "run.burn_in_years": 1, "run.log_events": False}
OUTPUTS = ["active_final", "exits_total", "share_fixed_term", "effect_active_final", "effect_exits_total"]


def _setup(policy: bool = True):
    base = with_overrides(ModelConfig(), TINY)
    scen = ModelConfig.model_validate({**base.model_dump(), "policies": [{"type": "bridge_funding"}]}) if policy else base
    factors = resolve_factors(scen, dict.fromkeys(["contracts.renewal_prob", "gaps.reemploy_month"]), source="test")
    return ModelEvaluator(scen, base), factors


def _run(tmp, evaluator, factors, **kw):
    return analyse_design(evaluator, factors, method="morris", n=2, reps=2, outputs=OUTPUTS, seed=5, cache_dir=tmp, **kw)


def test_same_indices_with_one_and_two_workers(tmp_path):
    evaluator, factors = _setup()
    one = _run(tmp_path / "j1", evaluator, factors, execution=Execution(backend="loky", jobs=1))
    two = _run(tmp_path / "j2", evaluator, factors, execution=Execution(backend="loky", jobs=2))
    pd.testing.assert_frame_equal(one.means, two.means)
    pd.testing.assert_frame_equal(one.indices, two.indices)
    assert one.stats["evaluated"] == two.stats["evaluated"] > 5


def test_same_indices_after_a_kill_and_resume(tmp_path, monkeypatch):
    evaluator, factors = _setup()
    reference = _run(tmp_path / "ref", evaluator, factors, execution=Execution(backend="sequential"))
    real, calls = sensitivity_eval.evaluate_task, []

    def dies_after_five(*args):
        if len(calls) == 5:
            raise KeyboardInterrupt  # as a kill would: the tasks finished so far are in the cache file
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(sensitivity_eval, "evaluate_task", dies_after_five)
    with pytest.raises(KeyboardInterrupt):
        _run(tmp_path / "killed", evaluator, factors, execution=Execution(backend="sequential"))
    monkeypatch.setattr(sensitivity_eval, "evaluate_task", real)
    resumed = _run(tmp_path / "killed", evaluator, factors, execution=Execution(backend="sequential"))
    assert resumed.stats["cached"] == 5 and resumed.stats["evaluated"] == reference.stats["evaluated"] - 5 > 0
    pd.testing.assert_frame_equal(resumed.means, reference.means)
    pd.testing.assert_frame_equal(resumed.indices, reference.indices)


def test_identical_scenario_has_exactly_zero_effect_at_every_point(tmp_path):
    evaluator, factors = _setup(policy=False)
    res = _run(tmp_path, evaluator, factors, execution=Execution(backend="sequential"))
    assert np.all(res.means["effect_active_final"].to_numpy() == 0.0)
    assert np.all(res.means["effect_exits_total"].to_numpy() == 0.0)
    assert res.means["active_final"].std() > 0, "the design points differ, so a zero effect is not a zero signal"
