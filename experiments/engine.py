"""The one execution engine every multi-run path uses: joblib over loky, Dask or in-process.

``execute(fn, tasks, ...)`` yields ``(index, result)`` as runs finish, in any order.
Each task is a tuple of arguments for ``fn`` (a picklable top-level function such as
``model.run_one``); seeds travel inside the tasks, so results do not depend on the
backend, the number of workers or the completion order.

Tasks are read lazily (at most a few per worker are in flight), so ``tasks`` may be a
large lazy sequence. If a worker process dies (killed, out of memory) the tasks it held
are run again: Dask reschedules them itself; for loky the engine restarts the pool and
resubmits every task that has not yet returned, up to ``retries`` times. An exception
raised *by* ``fn`` is not retried: it propagates (callers that must survive model
errors catch them inside ``fn``).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from joblib import Parallel, delayed, parallel_config

from experiments.errors import InputError

BACKENDS = ("loky", "dask", "sequential")


_WATCHDOG: list[int] = []  # the parent pid a worker's watchdog watches (empty until its first task)


def _watch_parent(parent: int | None = None, poll_seconds: float = 0.5) -> None:
    """In a worker process: exit as soon as the process that started it is gone (e.g. killed with SIGKILL).

    Loky workers otherwise live on for minutes, running tasks nobody will collect; once
    they are gone the resource trackers see their pipes close and exit too.
    """
    if _WATCHDOG:
        return
    parent = os.getppid() if parent is None else parent  # given by the parent: it may be gone before this runs
    _WATCHDOG.append(parent)

    def watch() -> None:
        while True:
            time.sleep(poll_seconds)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="hsr-careers-parent-watchdog", daemon=True).start()


def _worker_init(parent: int) -> None:
    """Loky worker start-up: ignore Ctrl-C (the parent stops the pool; a worker's own KeyboardInterrupt traceback is noise) and watch the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _watch_parent(parent)


def _indexed(fn: Callable, index: int, args: tuple) -> tuple[int, Any]:
    _watch_parent()
    return index, fn(*args)


@contextlib.contextmanager
def dask_client(scheduler: str | None, jobs: int | None):
    """A Dask client: join ``scheduler`` if given, else start a loopback LocalCluster of process workers."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise InputError("--backend dask needs Dask distributed: pip install 'hsr-careers[cluster]'") from exc
    if scheduler:
        _check_reachable(scheduler)
        try:
            client = Client(scheduler, timeout="30s")
        except (OSError, TimeoutError) as exc:
            raise InputError(f"--scheduler: cannot reach the Dask scheduler at '{scheduler}' ({exc})") from exc
        with client:
            yield client
    else:
        workers = jobs if jobs and jobs > 0 else None
        with (
            LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None) as cluster,
            Client(cluster) as client,
        ):
            yield client


def _check_reachable(address: str) -> None:
    """Fail fast, as an input error, when nothing listens at a tcp:// scheduler address."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    if parts.scheme != "tcp" or not parts.hostname or not parts.port:
        return  # other protocols (tls, inproc, ucx): let Dask try
    try:
        socket.create_connection((parts.hostname, parts.port), timeout=10).close()
    except OSError as exc:
        raise InputError(f"--scheduler: cannot reach the Dask scheduler at '{address}' ({exc.strerror or exc})") from None


def _loky_broken() -> tuple[type[BaseException], ...]:
    from joblib.externals.loky.process_executor import BrokenProcessPool

    return (BrokenProcessPool,)


def check_flags(backend: str, jobs: int, scheduler: str | None = None) -> None:
    """Refuse an unknown backend, a bad worker count or a scheduler without Dask (``InputError``) before any work starts."""
    if backend not in BACKENDS:
        raise InputError(f"--backend: unknown backend '{backend}'; valid: {', '.join(BACKENDS)}")
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs == 0 or jobs < -1:
        raise InputError(f"--jobs: must be a positive number of workers or -1 for all cores, not {jobs}")
    if scheduler and backend != "dask":
        raise InputError(f"--scheduler needs --backend dask, got --backend {backend}")


@dataclass(frozen=True)
class Execution:
    """How a command's runs are executed: the one description every long command builds from its flags.

    ``backend``: ``loky`` (processes on this machine), ``dask`` (a Dask cluster: join
    ``scheduler`` if given, else a local one of ``jobs`` workers) or ``sequential`` (in
    this process). ``jobs``: worker processes, ``-1`` = all cores. ``progress``: show a
    progress bar. Results never depend on any of these (seeds travel with the tasks).
    Bad values are refused (``InputError``) when the description is made.
    """

    backend: str = "loky"
    jobs: int = 1
    scheduler: str | None = None
    progress: bool = False

    def __post_init__(self) -> None:
        check_flags(self.backend, self.jobs, self.scheduler)

    def map(self, fn: Callable, tasks: Sequence[tuple]) -> Iterator[tuple[int, Any]]:
        """``execute(fn, tasks)`` under this description: ``(task index, result)`` as each run finishes."""
        return execute(fn, tasks, backend=self.backend, jobs=self.jobs, scheduler=self.scheduler)

    def describe(self) -> dict[str, Any]:
        """The description as plain data, for manifests."""
        return {"backend": self.backend, "jobs": self.jobs, "scheduler": self.scheduler}


def execute(
    fn: Callable,
    tasks: Sequence[tuple],
    *,
    backend: str = "loky",
    jobs: int = 1,
    scheduler: str | None = None,
    retries: int = 3,
) -> Iterator[tuple[int, Any]]:
    """Run ``fn(*task)`` for every task; yield ``(task index, result)`` as each finishes.

    ``backend``: ``loky`` (joblib's process pool on this machine, ``jobs`` workers; ``-1``
    = all cores), ``dask`` (Dask distributed: ``scheduler`` address to join a cluster, else
    a loopback ``LocalCluster`` of ``jobs`` process workers) or ``sequential`` (in this
    process, in order). ``retries``: times a loky pool whose worker died is restarted.
    """
    check_flags(backend, jobs, scheduler)
    if not (backend == "dask" and scheduler):
        jobs = workers(jobs, len(tasks))
    if backend == "sequential" or (backend == "loky" and (jobs == 1 or len(tasks) <= 1)):
        for i in range(len(tasks)):
            yield i, fn(*tasks[i])
        return
    if backend == "dask":
        calls = (delayed(_indexed)(fn, i, tasks[i]) for i in range(len(tasks)))
        with dask_client(scheduler, jobs), parallel_config(backend="dask"):
            yield from Parallel(n_jobs=-1, return_as="generator_unordered")(calls)
        return
    yield from _loky(fn, tasks, jobs, retries)


def workers(jobs: int, n_tasks: int) -> int:
    """Worker processes to start on this machine: ``jobs`` (-1 = all cores), never more than the cores or the tasks."""
    from joblib import cpu_count

    cores = max(1, cpu_count())
    wanted = cores if jobs == -1 else jobs
    # two workers stay two on a one-core machine: asked-for parallelism (and worker isolation) is kept, not oversubscribed
    return max(1, min(wanted, cores, n_tasks), min(wanted, 2, n_tasks))


def loky_workers():
    """The loky worker configuration the engine runs under (workers exit when this process dies).

    joblib keeps one reusable pool per configuration, so another loop run under the same
    configuration reuses the engine's warm workers instead of restarting the pool.
    """
    return parallel_config(backend="loky", initializer=_worker_init, initargs=(os.getpid(),))


def _loky(fn: Callable, tasks: Sequence[tuple], jobs: int, retries: int) -> Iterator[tuple[int, Any]]:
    """Loky with recovery: when a worker dies, restart the pool and resubmit what has not returned."""
    pending = list(range(len(tasks)))
    attempt = 0
    while pending:
        done: set[int] = set()
        calls = (delayed(_indexed)(fn, i, tasks[i]) for i in pending)
        try:
            with loky_workers():  # workers die with us
                for index, result in Parallel(n_jobs=jobs, return_as="generator_unordered")(calls):
                    done.add(index)
                    yield index, result
            return
        except _loky_broken() as exc:
            attempt += 1
            if attempt > retries:
                raise
            pending = [i for i in pending if i not in done]
            print(f"a worker process died ({type(exc).__name__}); restarting the pool for {len(pending)} unfinished runs", file=sys.stderr)
