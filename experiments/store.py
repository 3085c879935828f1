"""The one run store: finished runs on disk, keyed by what a run is a pure function of.

Every long job (replicates of ``run``/``compare``, batch experiments, calibration,
sensitivity analysis) turns (resolved configuration, seed) into a run result. The
store keeps those results so a killed job resumes where it stopped:

* **key** = hash of the resolved configuration (a ``ModelConfig`` or any JSON-able
  description of what is evaluated), the seed's identity (an integer, or a
  ``SeedSequence``'s entropy and spawn key) and ``source_fingerprint()``, one hash of
  the code a result depends on (``model.run``, ``calibration.simulate`` and the
  ``model/`` and ``calibration/`` modules they import; see ``experiments.fingerprint``).
  A changed model therefore never reuses an old entry: its keys simply miss.
* **value** = one row of the ``runs`` table (the run's metrics and any other columns a
  command records) and, where a command needs them, rows of further tables (``yearly``,
  ``careers``, ...), each row carrying the run's ``key``.

Commands do not loop over the store themselves: ``RunStore.map(fn, tasks, keys, ...)``
(``experiments.store_map``) reads finished runs back, runs the rest through the engine
and stores each as it finishes.

Layout of a store folder::

    runs/part-000000.parquet     one row per run: key + columns   (the commit marker)
    <table>/part-000000.parquet  rows of that table, with key     (written first)

Each part is written to a temporary name and renamed, tables first and the ``runs``
part last, so a part is complete or absent whatever kills the process; a table part
whose ``runs`` part never landed is a leftover and is removed. A part that cannot be
read (truncated, corrupted) is named in one warning line, moved to ``corrupt/`` and
its runs are recomputed; it is never used.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

MAIN = "runs"
PART = "part-{:06d}.parquet"
KEY = "key"


@cache
def source_fingerprint() -> str:
    """Hash of the source a stored result depends on: ``run_one``, ``measure_run`` and what they import (``experiments.fingerprint``)."""
    from experiments.fingerprint import source_digest

    return source_digest()


def digest(data: Any) -> str:
    """A stable short hash of JSON-able data (mappings are sorted)."""
    text = json.dumps(data, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def seed_identity(seed: int | np.random.SeedSequence) -> dict[str, Any]:
    """What identifies a seed: an integer, or a ``SeedSequence``'s entropy and spawn key."""
    if isinstance(seed, np.random.SeedSequence):
        return {"entropy": seed.entropy, "spawn_key": list(seed.spawn_key)}
    return {"entropy": int(seed), "spawn_key": []}


def _plain(config: Any) -> Any:
    return config.model_dump(mode="json") if hasattr(config, "model_dump") else config


class RunStore:
    """Finished runs under ``folder``: ``runs`` rows and optional ``tables``, keyed by ``key(config, seed)``."""

    def __init__(self, folder: str | Path, tables: Sequence[str] = ()) -> None:
        self.folder = Path(folder)
        self.tables = tuple(tables)
        self.source = source_fingerprint()
        self._where: dict[str, Path] = {}  # key -> runs part holding it
        self._next = 0
        self._scan()

    # -- keys -------------------------------------------------------------------------
    def key(self, config: Any, seed: int | np.random.SeedSequence) -> str:
        """The key of one run: resolved configuration + seed identity + source fingerprint."""
        return digest({"config": _plain(config), "seed": seed_identity(seed), "source": self.source})

    def __contains__(self, key: str) -> bool:
        return key in self._where

    def __len__(self) -> int:
        return len(self._where)

    def keys(self) -> set[str]:
        """Keys of every run stored."""
        return set(self._where)

    # -- opening ----------------------------------------------------------------------
    def _dirs(self) -> list[Path]:
        return [self.folder / name for name in (MAIN, *self.tables)]

    def _scan(self) -> None:
        """Index the runs parts; drop temporary files and orphan table parts; set aside unreadable parts."""
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        _own_dir(self.folder, 0o700)  # a new store is private: no one else can plant a link inside it
        for d in self._dirs():
            _own_dir(d, 0o777)
            for tmp in d.glob(".*.tmp"):
                tmp.unlink()
        runs = sorted((self.folder / MAIN).glob("part-*.parquet"))
        names = {p.name for p in runs}
        for table in self.tables:
            for p in (self.folder / table).glob("part-*.parquet"):
                if p.name not in names:
                    p.unlink()
        numbers = [int(p.stem.split("-")[1]) for p in runs]
        self._next = max(numbers, default=-1) + 1
        for part in runs:
            try:
                for t in self.tables:
                    if (self.folder / t / part.name).exists():
                        pq.read_metadata(self.folder / t / part.name)
                keys = pq.read_table(part, columns=[KEY]).column(KEY).to_pylist()
            except (pa.ArrowException, OSError, KeyError) as exc:
                self._set_aside(part, exc)
                continue
            for k in keys:
                self._where[k] = part

    def _set_aside(self, part: Path, exc: BaseException) -> None:
        """Move an unreadable part (and its table parts) to ``corrupt/``, with one warning line."""
        target = self.folder / "corrupt"
        moved = 0
        for d in self._dirs():
            p = d / part.name
            if p.exists():
                (target / d.name).mkdir(parents=True, exist_ok=True)
                os.replace(p, target / d.name / p.name)
                moved += 1
        for k in [k for k, p in self._where.items() if p == part]:
            del self._where[k]
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"warning: {part}: unreadable stored runs ({reason}); set aside in {target} and recomputed", file=sys.stderr)

    def keep_only(self, valid: Iterable[str], why: str) -> int:
        """Move every part holding a key outside ``valid`` to ``stale/`` (one warning line); return the runs moved."""
        valid = set(valid)
        stale = sorted({p for k, p in self._where.items() if k not in valid})
        if not stale:
            return 0
        target = self.folder / "stale"
        moved = [k for k, p in self._where.items() if p in stale]
        for part in stale:
            for d in self._dirs():
                if (d / part.name).exists():
                    (target / d.name).mkdir(parents=True, exist_ok=True)
                    os.replace(d / part.name, target / d.name / part.name)
        for k in moved:
            del self._where[k]
        print(f"warning: {self.folder}: {len(moved)} stored runs set aside in {target} and recomputed ({why})", file=sys.stderr)
        return len(moved)

    # -- reading ----------------------------------------------------------------------
    def rows(self, keys: Iterable[str], columns: Sequence[str] | None = None) -> dict[str, dict[str, Any]]:
        """The ``runs`` row (or its ``columns``) of each stored key, without the key, as plain Python values."""
        wanted: dict[Path, set[str]] = {}
        for k in keys:
            if k in self._where:
                wanted.setdefault(self._where[k], set()).add(k)
        out: dict[str, dict[str, Any]] = {}
        for part, ks in wanted.items():
            try:
                records = pq.read_table(part, columns=None if columns is None else [KEY, *columns]).to_pylist()
            except (pa.ArrowException, OSError) as exc:
                self._set_aside(part, exc)
                continue
            for rec in records:
                k = rec.pop(KEY)
                if k in ks:
                    out[k] = rec
        return out

    def table(self, name: str, key: str) -> pd.DataFrame | None:
        """The rows of table ``name`` for one run (without the key), or None if missing or unreadable (then set aside)."""
        part = self._where.get(key)
        if part is None:
            return None
        path = self.folder / name / part.name
        try:
            frame = pq.read_table(path, filters=[(KEY, "=", key)]).to_pandas()
        except (pa.ArrowException, OSError) as exc:
            self._set_aside(part, exc)
            return None
        return frame.drop(columns=KEY).reset_index(drop=True)

    # -- writing ----------------------------------------------------------------------
    def drop(self, keys: Iterable[str]) -> None:
        """Remove the runs ``keys`` from their parts (tables rewritten first, then the runs part), so they are run again."""
        gone = set(keys) & set(self._where)
        for part in sorted({self._where[k] for k in gone}):
            for d in [*self._dirs()[1:], self._dirs()[0]]:
                path = d / part.name
                if path.exists():
                    table = pq.read_table(path)
                    keep = table.filter(pc.invert(pc.is_in(table.column(KEY), pa.array(sorted(gone)))))
                    _write_atomic(path, keep)
        for k in gone:
            del self._where[k]

    def put(self, rows: pd.DataFrame, tables: Mapping[str, pd.DataFrame | None] | None = None) -> Path:
        """Store one part: ``rows`` (with a ``key`` column) and table frames (with ``key``), atomically; return the runs part."""
        name = PART.format(self._next)
        self._next += 1
        for table, frame in (tables or {}).items():
            if frame is not None and len(frame):
                _write_atomic(self.folder / table / name, frame)
        path = self.folder / MAIN / name
        _write_atomic(path, rows)
        for k in rows[KEY]:
            self._where[k] = path
        return path

    def table_path(self, name: str, key: str) -> Path | None:
        """The part file of table ``name`` holding run ``key`` (None if the run is not stored)."""
        part = self._where.get(key)
        return None if part is None else self.folder / name / part.name

    def stream_table(self, name: str, keys: Sequence[str], path: Path, fmt: str = "parquet") -> int:
        """Write table ``name`` of runs ``keys`` (in that order, without ``key``) to ``path``, one run at a time; return rows.

        The rows never sit in memory together: Parquet goes through one ``ParquetWriter``
        (schemas of the parts unified, pandas metadata of the first kept, so the file reads
        back as ``pd.concat`` of the runs' frames would), CSV is appended part by part.
        """
        paths = [p for p in (self.table_path(name, k) for k in keys) if p is not None and p.exists()]
        rows = 0
        if fmt == "csv":
            for i, p in enumerate(paths):
                frame = pd.read_parquet(p).drop(columns=KEY)
                frame.to_csv(path, index=False, mode="w" if i == 0 else "a", header=i == 0)
                rows += len(frame)
            return rows
        schemas = [pq.read_schema(p) for p in paths]
        bare = [s.remove(s.get_field_index(KEY)).remove_metadata() for s in schemas]
        schema = pa.unify_schemas(bare, promote_options="permissive").with_metadata(schemas[0].metadata)
        with pq.ParquetWriter(path, schema) as writer:
            for p in paths:
                table = pq.read_table(p).drop_columns([KEY])
                writer.write_table(table.select(schema.names).cast(schema))
                rows += table.num_rows
        return rows

    def parts(self) -> list[Path]:
        """The ``runs`` parts, in order."""
        return sorted((self.folder / MAIN).glob("part-*.parquet"))

    # -- running ----------------------------------------------------------------------
    def map(self, fn: Any, tasks: Sequence[tuple], keys: Sequence[str], **options: Any) -> Any:
        """``fn(*task)`` for every task: stored runs read back, the rest run through the engine and stored as they finish.

        Returns an ``experiments.store_map.StoreMap`` (iterate it for ``(task index,
        result)``); ``options`` are its ``execution``, ``encode``, ``load``, ``keep``,
        ``read_back``, ``flush_rows``, ``flush_seconds`` and ``label``.
        """
        from experiments.store_map import StoreMap

        return StoreMap(self, fn, tasks, keys, **options)


def _own_dir(path: Path, mode: int) -> None:
    """Create folder ``path`` (``mode``, less the umask), or check an existing one is our own folder and not a link."""
    from experiments.safe_files import check_own

    try:
        os.mkdir(path, mode)
    except FileExistsError:
        check_own(path, "run store", folder=True)


def _write_atomic(path: Path, frame: pd.DataFrame | pa.Table) -> None:
    """Write ``frame`` to a new temporary file beside ``path`` (``O_EXCL``, never through a link), then rename.

    A reader never sees half a file; a full disk leaves no temporary file behind.
    """
    from experiments.safe_files import CLOEXEC, NOFOLLOW

    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW | CLOEXEC, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(frame, pa.Table):
                pq.write_table(frame, handle)
            else:
                frame.to_parquet(handle, index=False)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
