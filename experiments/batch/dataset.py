"""The output directory of a batch: manifest, design, and a partitioned Parquet dataset.

Layout of ``OUT/``::

    manifest.json          experiment, fingerprint, root seed, versions, sessions
    design.parquet         one row per design point
    runs/part-000000.parquet ...    one row per run: run_id, point, rep, seed, design, status, error, metrics
    yearly/part-000000.parquet ...  (optional) one row per run and year

Each part is written to a temporary name and renamed into place, so a part is either
complete or absent, whatever kills the process. The ``runs`` part is written last: it
is what marks its runs finished; a ``yearly`` part without its ``runs`` part is a
leftover of a killed session and is removed on resume. An exclusive lock (released by
the operating system when the process dies) stops two sessions writing one directory.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from experiments.errors import InputError

PART = "part-{:06d}.parquet"


def fingerprint(resolved: dict[str, Any]) -> str:
    """A stable hash of everything that determines the results (experiment and resolved scenarios)."""
    text = json.dumps(resolved, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]




def code_hash() -> str:
    """A hash of the model's source files: a resumed batch warns when the model changed in between."""
    import model

    digest = hashlib.sha256()
    for f in sorted(Path(model.__file__).parent.glob("*.py")):
        digest.update(f.name.encode() + f.read_bytes())
    return digest.hexdigest()[:16]




def write_atomic(path: Path, write) -> None:
    """Call ``write(tmp_path)`` then rename onto ``path`` (a reader never sees half a file)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    write(tmp)
    os.replace(tmp, path)


def write_json(path: Path, data: dict) -> None:
    """Atomically write indented JSON."""
    write_atomic(path, lambda tmp: tmp.write_text(json.dumps(data, indent=2, default=str) + "\n"))


class BatchStore:
    """One batch output directory, opened for writing by a single session."""

    def __init__(self, out: Path) -> None:
        self.out = Path(out)
        self.runs_dir = self.out / "runs"
        self.yearly_dir = self.out / "yearly"
        self._lock = None

    # -- session ---------------------------------------------------------------------
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
        self._clean()
        return manifest

    def _take_lock(self) -> None:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no lock, one session at a time is the user's job
            return
        handle = open(self.out / ".lock", "w")  # noqa: SIM115 - held for the whole session
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

    def _clean(self) -> None:
        """Remove temporary files and yearly parts whose runs part never landed."""
        for d in (self.runs_dir, self.yearly_dir):
            d.mkdir(exist_ok=True)
            for tmp in d.glob(".*.tmp"):
                tmp.unlink()
        runs = {p.name for p in self.runs_dir.glob("part-*.parquet")}
        for p in self.yearly_dir.glob("part-*.parquet"):
            if p.name not in runs:
                p.unlink()

    # -- what is done ----------------------------------------------------------------------
    def parts(self) -> list[Path]:
        """The finished runs parts, in order."""
        return sorted(self.runs_dir.glob("part-*.parquet"))

    def finished(self, retry_failed: bool = False) -> np.ndarray:
        """Run ids already recorded (with ``retry_failed``: failed runs are first removed from their parts)."""
        ids = []
        for part in self.parts():
            table = pq.read_table(part, columns=["run_id", "status"])
            if retry_failed and "failed" in table.column("status").to_pylist():
                self._drop_failed(part)
                table = pq.read_table(part, columns=["run_id", "status"])
            ids.append(table.column("run_id").to_numpy())
        return np.concatenate(ids) if ids else np.empty(0, dtype="int64")

    def _drop_failed(self, part: Path) -> None:
        runs = pq.read_table(part)
        keep = runs.filter(pa.compute.not_equal(runs.column("status"), "failed"))
        yearly = self.yearly_dir / part.name
        if yearly.exists():
            ids = pa.array(keep.column("run_id").to_numpy())
            ytab = pq.read_table(yearly)
            write_atomic(yearly, lambda tmp: pq.write_table(ytab.filter(pa.compute.is_in(ytab.column("run_id"), ids)), tmp))
        write_atomic(part, lambda tmp: pq.write_table(keep, tmp))

    def next_part(self) -> int:
        """Number of the next part to write."""
        parts = self.parts()
        return int(parts[-1].stem.split("-")[1]) + 1 if parts else 0

    # -- writing ---------------------------------------------------------------------------
    def write_part(self, number: int, runs: pd.DataFrame, yearly: pd.DataFrame | None) -> None:
        """Write one part: yearly first, then runs (the commit marker)."""
        name = PART.format(number)
        if yearly is not None and len(yearly):
            write_atomic(self.yearly_dir / name, lambda tmp: yearly.to_parquet(tmp, index=False))
        write_atomic(self.runs_dir / name, lambda tmp: runs.to_parquet(tmp, index=False))


def open_dataset(out: str | Path, table: str = "runs") -> ds.Dataset:
    """A lazy pyarrow dataset over a batch's ``runs`` (or ``yearly``) parts, schemas unified."""
    folder = Path(out) / table
    files = sorted(str(p) for p in folder.glob("part-*.parquet"))
    if not files:
        raise InputError(f"{folder}: no results yet (run the batch first)")
    schema = pa.unify_schemas([pq.read_schema(f) for f in files], promote_options="permissive")
    return ds.dataset(files, schema=schema, format="parquet")


def load_results(out: str | Path, table: str = "runs") -> pd.DataFrame:
    """A batch's ``runs`` (or ``yearly``) table as a DataFrame, sorted by run (and year)."""
    frame = open_dataset(out, table).to_table().to_pandas()
    keys = ["run_id", "year"] if table == "yearly" else ["run_id"]
    return frame.sort_values(keys, kind="stable").reset_index(drop=True)


def now() -> str:
    """UTC time stamp for manifests."""
    return datetime.now(UTC).isoformat(timespec="seconds")
