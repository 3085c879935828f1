"""Work a run does not need is not done, and a finished run is freed at once.

- ``headline_metrics`` from the career columns (numpy Kaplan–Meier) equals the pandas
  path through the career table, key for key and value for value.
- A finished model is freed by reference counting alone (no garbage collector), so
  it cannot slow down the next run.
"""

from __future__ import annotations

import gc
import math
import weakref

import pytest
from model_testing import small_config, with_policies

from model import ModelConfig, run
from model.career_model import CareerModel
from model.run import RunResult, headline_metrics, run_one


def _from_tables(result: RunResult) -> RunResult:
    return RunResult(yearly=result.yearly, careers=result.careers, survey=result.survey, horizon=result.horizon, rep=result.rep)


@pytest.mark.parametrize(
    ("seed", "years"),
    [(1, 12), (2, 12), (3, 7)],  # 7 years: the 10-year metrics are missing on both paths
)
def test_numpy_headline_metrics_equal_the_pandas_path(seed, years):
    cfg = with_policies(small_config(population=500, years=years), {"type": "bridge_funding"})
    result = run_one(cfg, seed)
    fast, slow = headline_metrics(result), headline_metrics(_from_tables(result))
    assert result.career_cols is not None and _from_tables(result).career_cols is None
    assert list(fast) == list(slow)  # the same keys in the same order
    for key in slow:
        assert (math.isnan(fast[key]) and math.isnan(slow[key])) or fast[key] == slow[key], key
    assert any(math.isnan(v) for v in slow.values()) == (years < 10)


def test_tables_are_built_only_when_read():
    result = run_one(small_config(population=300, years=5), 4)
    assert result._careers is None and result._events is None  # metrics alone build neither
    result.metrics()
    assert result._careers is None
    assert len(result.careers) > 300 and set(result.careers["rep"]) == {0}
    assert len(result.events) > 0 and result._event_log is None


def test_a_finished_run_is_freed_without_the_garbage_collector(monkeypatch):
    refs: list[weakref.ref] = []

    class Watched(CareerModel):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            refs.append(weakref.ref(self))

    monkeypatch.setattr(run, "CareerModel", Watched)
    cfg = small_config(population=300, years=4, burn_in=1)
    was = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        result = run_one(cfg, 5)
        assert len(refs) == 1 and refs[0]() is None  # freed by reference counting alone
        assert len(result.careers) > 0
        model = CareerModel(cfg, 5).run()
        agent = weakref.ref(next(iter(model.agents)))
        ref = weakref.ref(model)
        model.close()
        del model
        assert ref() is None and agent() is None
    finally:
        if was:
            gc.enable()


def test_the_event_log_is_off_by_default_and_never_changes_a_run():
    assert ModelConfig().run.log_events is False
    quiet = small_config(population=300, years=5, **{"run.log_events": False})
    kept = small_config(population=300, years=5)
    a, b = run_one(quiet, 8), run_one(kept, 8)
    assert len(a.events) == 0 and len(b.events) > 100
    assert a.yearly.equals(b.yearly) and a.careers.equals(b.careers) and a.survey.equals(b.survey)
