"""The output directory of a batch: manifest, design, and the run store holding its runs.

Layout of ``OUT/``::

    manifest.json          experiment, fingerprint, root seed, versions, sessions
    design.parquet         one row per design point
    runs/part-000000.parquet ...    one row per run: run_id, point, rep, seed, design, status, error, metrics
    yearly/part-000000.parquet ...  (optional) one row per run and year

``runs/`` and ``yearly/`` are an ``experiments.store.RunStore`` (each row also carries
the run's store ``key``, which the readers below leave out): parts are atomic, a torn
or corrupted part is set aside and recomputed, and runs stored by an earlier model
source are set aside and recomputed. An exclusive lock (released by the operating
system when the process dies) stops two sessions writing one directory.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from experiments.errors import InputError
from experiments.store import KEY, RunStore


def write_atomic(path: Path, write) -> None:
    """Call ``write(tmp_path)`` then rename onto ``path`` (a reader never sees half a file)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    write(tmp)
    os.replace(tmp, path)


def write_json(path: Path, data: dict) -> None:
    """Atomically write indented JSON."""
    write_atomic(path, lambda tmp: tmp.write_text(json.dumps(data, indent=2, default=str) + "\n"))


class BatchFolder:
    """One batch output directory, opened for writing by a single session; its runs live in ``self.store``."""

    def __init__(self, out: Path) -> None:
        self.out = Path(out)
        self.store: RunStore | None = None
        self._lock = None

    def open(self, manifest: dict[str, Any], design: pd.DataFrame) -> dict[str, Any]:
        """Create or reopen the directory; refuse a different experiment; return the manifest in force."""
        self.out.mkdir(parents=True, exist_ok=True)
        self._take_lock()
        path = self.out / "manifest.json"
        if path.exists():
            old = json.loads(path.read_text())
            if old.get("fingerprint") != manifest["fingerprint"]:
                self.close()
                raise InputError(
                    f"{self.out}: holds results of a different experiment ('{old.get('experiment')}', fingerprint {old.get('fingerprint')}); "
                    f"this one ('{manifest['experiment']}', fingerprint {manifest['fingerprint']}) differs in its design, seeds, scenarios or outputs. "
                    "Use a new --out directory, or delete this one to start again"
                )
            manifest = {**old, "sessions": old.get("sessions", [])}
        else:
            write_atomic(self.out / "design.parquet", lambda tmp: design.to_parquet(tmp, index=False))
            manifest = {**manifest, "sessions": []}
        self.store = RunStore(self.out, ("yearly",))
        return manifest

    def _take_lock(self) -> None:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no lock, one session at a time is the user's job
            return
        from experiments.safe_files import open_lock_file

        handle = open_lock_file(self.out / ".lock", "--out")  # never through a planted link; held for the whole session
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise InputError(f"{self.out}: another batch session is writing this directory; wait for it or use another --out") from None
        self._lock = handle

    def close(self) -> None:
        """Release the lock."""
        if self._lock is not None:
            self._lock.close()
            self._lock = None


def open_dataset(out: str | Path, table: str = "runs") -> ds.Dataset:
    """A lazy pyarrow dataset over a batch's ``runs`` (or ``yearly``) parts, schemas unified."""
    folder = Path(out) / table
    files = sorted(str(p) for p in folder.glob("part-*.parquet"))
    if not files:
        raise InputError(f"{folder}: no results yet (run the batch first)")
    schema = pa.unify_schemas([pq.read_schema(f) for f in files], promote_options="permissive")
    if KEY in schema.names:  # the store's key is bookkeeping, not a result
        schema = schema.remove(schema.get_field_index(KEY))
    return ds.dataset(files, schema=schema, format="parquet")


def load_results(out: str | Path, table: str = "runs") -> pd.DataFrame:
    """A batch's ``runs`` (or ``yearly``) table as a DataFrame, sorted by run (and year)."""
    frame = open_dataset(out, table).to_table().to_pandas()
    keys = ["run_id", "year"] if table == "yearly" else ["run_id"]
    return frame.sort_values(keys, kind="stable").reset_index(drop=True)


def now() -> str:
    """UTC time stamp for manifests."""
    return datetime.now(UTC).isoformat(timespec="seconds")
