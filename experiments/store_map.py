"""The one store-backed map: tasks -> results, finished runs read from the run store, the rest run and stored.

Every long command (``run``, ``compare``, ensembles, ``batch``, ``sensitivity``,
``calibrate``, ``optimise``) evaluates a list of tasks, each with a store key (what the
result is a pure function of). ``RunStore.map(fn, tasks, keys, ...)`` is that loop,
written once:

1. keys already in the store are read back (``load(key, row)``; ``None`` = unusable,
   run again), unless the caller only needs to know they are there (``read_back=False``);
2. the rest, each distinct key once, go through the engine under the command's
   ``Execution`` (sequential, loky, a local or an external Dask cluster);
3. each finished run is written to the store (``encode`` turns finished runs into the
   ``runs`` rows and table frames of one part) in parts of ``flush_rows`` runs or
   ``flush_seconds`` seconds, and whatever has finished is written when the command is
   interrupted, so a rerun resumes where it stopped.

Iterating yields ``(task index, result)``: stored results first, then runs as they
finish; tasks sharing a key share the result. ``cached`` and ``evaluated`` count
distinct keys read back and run. With ``store=None`` nothing is read or written (a
notebook call without an output folder).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

import pandas as pd
from tqdm.auto import tqdm

from experiments.engine import Execution


class Store(Protocol):
    """What the map needs of a store (``experiments.store.RunStore``, which imports this module, not the reverse)."""

    def __contains__(self, key: str) -> bool: ...  # noqa: D105

    def rows(self, keys: Iterable[str], columns: Sequence[str] | None = None) -> dict[str, dict[str, Any]]: ...  # noqa: D102

    def put(self, rows: pd.DataFrame, tables: Mapping[str, pd.DataFrame | None] | None = None) -> Path: ...  # noqa: D102


Encode = Callable[[list[tuple[str, Any]]], tuple[pd.DataFrame, Mapping[str, pd.DataFrame | None]]]


def plain_row(key: str, row: dict[str, Any]) -> dict[str, Any]:
    """A stored ``runs`` row as a result: the row itself, ``None`` (missing in Parquet) read as NaN."""
    return {k: (math.nan if v is None else v) for k, v in row.items()}


def row_per_run(items: list[tuple[str, dict[str, Any]]]) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """Encode results that are flat ``{column: value}`` mappings as one ``runs`` row each (no tables)."""
    return pd.DataFrame([{"key": key, **result} for key, result in items]), {}


class _Subset(Sequence):
    """The tasks at ``indices``, read lazily (a batch's tasks are a lazy sequence too)."""

    def __init__(self, tasks: Sequence[tuple], indices: list[int]) -> None:
        self.tasks, self.indices = tasks, indices

    def __len__(self) -> int:
        return len(self.indices)

    def __getitem__(self, j: int) -> tuple:  # type: ignore[override]
        return self.tasks[self.indices[j]]


class StoreMap:
    """``fn(*task)`` for every task through ``store`` and the engine; iterate for ``(task index, result)``."""

    def __init__(
        self,
        store: Store | None,
        fn: Callable,
        tasks: Sequence[tuple],
        keys: Sequence[str],
        *,
        execution: Execution | None = None,
        encode: Encode = row_per_run,
        load: Callable[[str, dict[str, Any]], Any] = plain_row,
        keep: Callable[[str, Any], Any] | None = None,
        read_back: bool = True,
        flush_rows: int = 1,
        flush_seconds: float = math.inf,
        label: str | None = "runs",
    ) -> None:
        if len(keys) != len(tasks):
            raise ValueError(f"{len(tasks)} tasks but {len(keys)} keys")
        self.store, self.fn, self.tasks, self.keys = store, fn, tasks, keys
        self.execution = execution or Execution()
        self.encode, self.keep, self.read_back = encode, keep, read_back
        self.flush_rows, self.flush_seconds, self.label = max(1, flush_rows), flush_seconds, label
        self.hits = self._read(load)
        first: dict[str, int] = {}
        self._shared: dict[str, list[int]] = {}  # key -> further task indices with that key (rare)
        for i, key in enumerate(keys):
            if key in first:
                self._shared.setdefault(key, []).append(i)
            else:
                first[key] = i
        self.todo = [i for key, i in first.items() if key not in self.hits]
        self.distinct = len(first)
        self.cached = len(self.hits)
        self.evaluated = 0

    def _read(self, load: Callable[[str, dict[str, Any]], Any]) -> dict[str, Any]:
        """Stored results by key (``None`` values when not read back)."""
        if self.store is None:
            return {}
        present = {k for k in self.keys if k in self.store}
        if not self.read_back:
            return dict.fromkeys(present)
        hits = {}
        for key, row in self.store.rows(present).items():  # an unreadable part is set aside here: its runs are run again
            value = load(key, row)
            if value is not None:
                hits[key] = value
        return hits

    def _indices(self, key: str, first: int) -> list[int]:
        return [first, *self._shared.get(key, ())]

    def __iter__(self) -> Iterator[tuple[int, Any]]:
        if self.read_back and self.hits:
            for i, key in enumerate(self.keys):
                if key in self.hits:
                    yield i, self.hits[key]
        if not self.todo:
            return
        buffer: list[tuple[str, Any]] = []
        last = time.monotonic()

        def flush() -> None:
            nonlocal buffer, last
            if self.store is not None and buffer:
                rows, tables = self.encode(buffer)
                self.store.put(rows, tables)
            buffer, last = [], time.monotonic()

        show = self.execution.progress and self.label is not None
        bar = tqdm(total=self.distinct, initial=self.cached, desc=self.label, unit="run", disable=not show, leave=False, dynamic_ncols=True)
        try:
            for j, result in self.execution.map(self.fn, _Subset(self.tasks, self.todo)):
                index = self.todo[j]
                key = self.keys[index]
                buffer.append((key, result))
                self.evaluated += 1
                if len(buffer) >= self.flush_rows or time.monotonic() - last >= self.flush_seconds:
                    flush()
                bar.update()
                kept = result if self.keep is None else self.keep(key, result)
                for i in self._indices(key, index):
                    yield i, kept
        finally:
            flush()  # keep every finished run, even when interrupted
            bar.close()

    def results(self) -> list[Any]:
        """Every task's result, in task order."""
        out: list[Any] = [None] * len(self.keys)
        for i, result in self:
            out[i] = result
        return out

    def counts(self) -> dict[str, int]:
        """``{"tasks", "evaluated", "cached"}``: tasks asked for, distinct runs run now and read back."""
        return {"tasks": len(self.keys), "evaluated": self.evaluated, "cached": self.cached}
