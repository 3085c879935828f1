"""The execution engine: same results on every backend, survives a killed worker, refuses bad flags."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from experiments.engine import execute
from experiments.errors import InputError


def square(x: int) -> int:
    return x * x


def die_once(x: int, marker: str) -> int:
    """SIGKILL the worker process the first time task 3 runs (a worker killed mid-batch)."""
    if x == 3 and not os.path.exists(marker):
        Path(marker).write_text("killed")
        os.kill(os.getpid(), signal.SIGKILL)
    return x * x


def boom(x: int) -> int:
    raise ValueError(f"bad {x}")


@pytest.mark.parametrize("backend,jobs", [("sequential", 1), ("loky", 1), ("loky", 2)])
def test_every_task_once_whatever_the_backend(backend, jobs):
    out = list(execute(square, [(i,) for i in range(20)], backend=backend, jobs=jobs))
    assert sorted(i for i, _ in out) == list(range(20))
    assert all(r == i * i for i, r in out)


def test_loky_survives_a_killed_worker(tmp_path, capsys):
    marker = str(tmp_path / "killed")
    out = dict(execute(die_once, [(i, marker) for i in range(12)], backend="loky", jobs=2))
    assert os.path.exists(marker), "the worker was never killed: the test did not test anything"
    assert out == {i: i * i for i in range(12)}
    assert "worker process died" in capsys.readouterr().err


def test_model_errors_propagate_not_retried():
    with pytest.raises(ValueError, match="bad"):
        list(execute(boom, [(1,), (2,)], backend="loky", jobs=2))


@pytest.mark.parametrize("kwargs", [{"backend": "spark"}, {"jobs": 0}, {"jobs": -3}])
def test_bad_flags_are_input_errors(kwargs):
    with pytest.raises(InputError):
        list(execute(square, [(1,)], **kwargs))
