"""The one execution engine every multi-run path uses: joblib over loky, Dask or in-process.

``execute(fn, tasks, ...)`` yields ``(index, result)`` as runs finish, in any order.
Each task is a tuple of arguments for ``fn`` (a picklable top-level function such as
``model.run_one``); seeds travel inside the tasks, so results do not depend on the
backend, the number of workers or the completion order.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from joblib import Parallel, delayed, parallel_config

from experiments.errors import InputError

BACKENDS = ("loky", "dask", "sequential")


def _indexed(fn: Callable, index: int, args: tuple) -> tuple[int, Any]:
    return index, fn(*args)


@contextlib.contextmanager
def dask_client(scheduler: str | None, jobs: int | None):
    """A Dask client: join ``scheduler`` if given, else start a loopback LocalCluster."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise InputError("--backend dask needs Dask distributed: pip install 'hsr-careers[cluster]'") from exc
    if scheduler:
        with Client(scheduler) as client:
            yield client
    else:
        workers = jobs if jobs and jobs > 0 else None
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None) as cluster, Client(cluster) as client:
            yield client


def execute(
    fn: Callable,
    tasks: Sequence[tuple],
    *,
    backend: str = "loky",
    jobs: int = 1,
    scheduler: str | None = None,
) -> Iterator[tuple[int, Any]]:
    """Run ``fn(*task)`` for every task; yield ``(task index, result)`` as each finishes."""
    if backend not in BACKENDS:
        raise InputError(f"--backend: unknown backend '{backend}'; valid: {', '.join(BACKENDS)}")
    if backend == "sequential" or (backend == "loky" and jobs == 1) or len(tasks) <= 1 and backend != "dask":
        for i, args in enumerate(tasks):
            yield i, fn(*args)
        return
    calls = (delayed(_indexed)(fn, i, args) for i, args in enumerate(tasks))
    if backend == "dask":
        with dask_client(scheduler, jobs), parallel_config(backend="dask"):
            yield from Parallel(n_jobs=-1, return_as="generator_unordered")(calls)
        return
    yield from Parallel(n_jobs=jobs, backend="loky", return_as="generator_unordered")(calls)
