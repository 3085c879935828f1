"""The one store-backed map (``RunStore.map``): stored runs read back, the rest run once each and stored as they finish,
whatever stops the command; the same results in task order on every backend."""

from __future__ import annotations

import gc
import math

import pandas as pd
import pytest

from experiments.engine import Execution
from experiments.runs.replicates import temporary_store
from experiments.store import RunStore
from experiments.store_map import StoreMap

CALLS: list[int] = []


def square(x: int) -> dict[str, float]:
    """A picklable task: records the call (in-process backends only) and returns a flat row."""
    CALLS.append(x)
    return {"x": float(x), "square": float(x * x)}


def square_until(x: int, stop: int) -> dict[str, float]:
    if x == stop:
        raise RuntimeError(f"stopped at {x}")
    return square(x)


def _map(store, xs, **kw):
    tasks = [(x,) for x in xs]
    keys = [f"k{x}" for x in xs]
    return StoreMap(store, square, tasks, keys, **kw)


@pytest.fixture(autouse=True)
def _clear():
    CALLS.clear()


@pytest.mark.parametrize("execution", [Execution(backend="sequential"), Execution(backend="loky", jobs=2)], ids=["sequential", "loky"])
def test_results_in_task_order_each_key_run_once_and_stored(tmp_path, execution):
    store = RunStore(tmp_path)
    xs = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3]
    mapped = _map(store, xs, execution=execution, flush_rows=4)
    assert [r["square"] for r in mapped.results()] == [x * x for x in xs]
    assert mapped.counts() == {"tasks": 10, "evaluated": 7, "cached": 0}  # 7 distinct keys, each run once
    assert len(store) == 7 and len(store.parts()) == 2  # parts of at most 4 runs
    if execution.backend == "sequential":
        assert sorted(CALLS) == sorted(set(xs))


def test_a_rerun_reads_every_finished_run_back_and_runs_only_new_keys(tmp_path):
    first = _map(RunStore(tmp_path), [1, 2, 3], execution=Execution(backend="sequential")).results()
    CALLS.clear()
    again = _map(RunStore(tmp_path), [1, 2, 3, 4], execution=Execution(backend="sequential"))
    results = again.results()
    assert CALLS == [4] and again.counts() == {"tasks": 4, "evaluated": 1, "cached": 3}
    assert results[:3] == first and results[3] == {"x": 4.0, "square": 16.0}


def test_runs_finished_before_an_error_are_stored_and_not_run_again(tmp_path):
    store = RunStore(tmp_path)
    tasks, keys = [(x, 3) for x in range(6)], [f"k{x}" for x in range(6)]
    with pytest.raises(RuntimeError, match="stopped at 3"):
        StoreMap(store, square_until, tasks, keys, execution=Execution(backend="sequential"), flush_rows=100, flush_seconds=3600).results()
    assert RunStore(tmp_path).keys() == {"k0", "k1", "k2"}  # written on the way out, although no part was full
    CALLS.clear()
    resumed = StoreMap(RunStore(tmp_path), square_until, [(x, -1) for x in range(6)], keys, execution=Execution(backend="sequential"))
    assert [r["x"] for r in resumed.results()] == [0, 1, 2, 3, 4, 5] and CALLS == [3, 4, 5]


def test_nan_survives_the_store_and_an_unusable_stored_run_is_run_again(tmp_path):
    store = RunStore(tmp_path)
    store.put(pd.DataFrame([{"key": "k1", "x": 1.0, "square": math.nan}, {"key": "k2", "x": 2.0, "square": 4.0}]))
    mapped = _map(store, [1, 2], execution=Execution(backend="sequential"))
    out = mapped.results()
    assert math.isnan(out[0]["square"]) and out[1]["square"] == 4.0 and CALLS == []
    refused = _map(RunStore(tmp_path), [1, 2], execution=Execution(backend="sequential"), load=lambda key, row: None if key == "k1" else row)
    assert refused.results()[0]["square"] == 1.0 and CALLS == [1] and refused.counts()["evaluated"] == 1


def test_without_read_back_stored_runs_are_only_counted(tmp_path):
    _map(RunStore(tmp_path), [1, 2], execution=Execution(backend="sequential")).results()
    mapped = _map(RunStore(tmp_path), [1, 2, 3], execution=Execution(backend="sequential"), read_back=False)
    assert list(mapped) == [(2, {"x": 3.0, "square": 9.0})] and mapped.cached == 2


def test_keep_is_what_the_caller_holds_and_encode_writes_tables(tmp_path):
    def encode(items):
        rows = pd.DataFrame([{"key": k, "square": r["square"]} for k, r in items])
        return rows, {"detail": pd.concat([pd.DataFrame({"key": [k] * 2, "i": [0, 1]}) for k, _ in items], ignore_index=True)}

    store = RunStore(tmp_path, ["detail"])
    mapped = _map(store, [2, 3], execution=Execution(backend="sequential"), encode=encode, keep=lambda key, r: key)
    assert mapped.results() == ["k2", "k3"]
    assert store.table("detail", "k3")["i"].tolist() == [0, 1]


def test_without_a_store_nothing_is_written_and_a_temporary_store_goes_when_collected(tmp_path):
    mapped = _map(None, [1, 1, 2], execution=Execution(backend="sequential"))
    assert [r["x"] for r in mapped.results()] == [1, 1, 2] and CALLS == [1, 2]
    temp = temporary_store(["detail"])
    folder = temp.folder
    assert folder.is_dir()
    del temp
    gc.collect()
    assert not folder.exists()


def test_tasks_and_keys_must_match():
    with pytest.raises(ValueError, match="3 tasks but 2 keys"):
        StoreMap(None, square, [(1,), (2,), (3,)], ["a", "b"])
