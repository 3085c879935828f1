"""Read back results files only as hsr-careers wrote them: checked against the manifest, never read silently.

When a command finishes, its manifest records under ``output.checksums`` the size and
SHA-256 of every file it wrote at the top of its folder. Every reader of a results
folder goes through this module, which

* refuses a ``manifest.json`` that is not a JSON object of ours (a string, ``{}``);
* refuses a file whose size or checksum differs from the record (truncated, edited,
  replaced), or that the manifest lists but is gone, naming the file and the difference;
* reads JSON, CSV and Parquet with every parser error turned into one line naming the
  file, and checks the columns a reader needs and that numbers are numbers (no text,
  no infinities) — also for folders from versions that recorded no checksums.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from experiments.errors import InputError

SKIP = {"manifest.json", "report.html"}  # the manifest holds the record; report.html is re-made by ``report``
RERUN = "rerun the command that wrote it"


def file_record(path: Path) -> dict[str, Any]:
    """Size and SHA-256 of one file."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return {"bytes": size, "sha256": digest.hexdigest()}


def checksums(folder: Path, names: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Records of the regular files among ``names`` at the top of ``folder``."""
    out = {}
    for name in sorted(names):
        p = Path(folder) / name
        if name not in SKIP and not name.startswith(".") and stat.S_ISREG(os.lstat(p).st_mode):
            out[name] = file_record(p)
    return out


def manifest(folder: Path, kinds: Iterable[str], what: str) -> dict[str, Any]:
    """The folder's manifest, a JSON object written by one of ``kinds`` (or by an older version without a marker)."""
    path = Path(folder) / "manifest.json"
    data = read_json(path, what)
    if not data:
        raise InputError(f"{what}: {path} is empty ({{}}); {RERUN}")
    marker = data.get("output")
    kinds = tuple(kinds)
    if marker is not None:
        if not isinstance(marker, dict) or marker.get("kind") not in kinds:
            got = marker.get("kind") if isinstance(marker, dict) else marker
            raise InputError(f"{what}: {path} says output.kind {got!r}; expected one of {', '.join(kinds)}")
        if not isinstance(marker.get("checksums", {}), dict):
            raise InputError(f"{what}: {path}: output.checksums is {type(marker['checksums']).__name__}, not a mapping; {RERUN}")
    return data


def check_file(folder: Path, name: str, meta: dict[str, Any], what: str, *, required: bool = True) -> Path | None:
    """``folder/name`` if present and as recorded in the manifest ``meta``; None if absent and not ``required``."""
    path = Path(folder) / name
    marker = meta.get("output") if isinstance(meta.get("output"), dict) else {}
    record = (marker.get("checksums") or {}).get(name)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        if record is not None or required:
            listed = " (the manifest lists it)" if record is not None else ""
            raise InputError(f"{what}: {path} is missing{listed}; {RERUN}") from None
        return None
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{what}: {path} is not a regular file; {RERUN}")
    if record is None:
        return path
    if not isinstance(record, dict):
        raise InputError(f"{what}: manifest.json: output.checksums.{name} is not a record; {RERUN}")
    if st.st_size != record.get("bytes"):
        raise InputError(f"{what}: {path} has {st.st_size} bytes, its manifest records {record.get('bytes')} "
                         f"(truncated or changed since hsr-careers wrote it); {RERUN}")  # fmt: skip
    if file_record(path)["sha256"] != record.get("sha256"):
        raise InputError(f"{what}: {path} does not match the checksum in its manifest (changed since hsr-careers wrote it); {RERUN}")
    return path


def read_json(path: Path, what: str) -> dict[str, Any]:
    """A JSON object from ``path``; anything else is one clear error."""
    try:
        data = json.loads(Path(path).read_bytes().decode("utf-8"))
    except FileNotFoundError:
        raise InputError(f"{what}: {path} is missing; {RERUN}") from None
    except UnicodeDecodeError:
        raise InputError(f"{what}: {path} is not UTF-8 text; {RERUN}") from None
    except ValueError as exc:
        raise InputError(f"{what}: {path} is not valid JSON ({str(exc).splitlines()[0][:120]}); {RERUN}") from None
    except OSError as exc:
        raise InputError(f"{what}: cannot read {path} ({exc.strerror or exc})") from None
    except RecursionError:
        raise InputError(f"{what}: {path} nests too deeply; {RERUN}") from None
    if not isinstance(data, dict):
        raise InputError(f"{what}: {path} holds a JSON {type(data).__name__}, not an object; {RERUN}")
    return data


def _check_frame(frame: pd.DataFrame, path: Path, what: str, columns: Iterable[str], numeric: Iterable[str]) -> pd.DataFrame:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"{what}: {path} has no column '{missing[0]}'; {RERUN}")
    for col in numeric:
        if col not in frame.columns:
            continue
        values = pd.to_numeric(frame[col], errors="coerce")
        bad = values.isna() & frame[col].notna()
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0])
            raise InputError(f"{what}: {path}: column '{col}' holds {str(frame[col].iloc[row])[:40]!r} in row {row + 1}, not a number")
        inf = values.map(lambda v: isinstance(v, float) and math.isinf(v))
        if inf.any():
            row = int(inf.to_numpy().nonzero()[0][0])
            raise InputError(f"{what}: {path}: column '{col}' holds an infinite value in row {row + 1}; {RERUN}")
        frame[col] = values
    return frame


def read_csv(path: Path, what: str, columns: Iterable[str] = (), numeric: Iterable[str] = ()) -> pd.DataFrame:
    """A CSV table with ``columns`` present and ``numeric`` columns holding numbers (NaN allowed, not text or inf)."""
    try:
        frame = pd.read_csv(path, encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{what}: {path} is missing; {RERUN}") from None
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError, OSError) as exc:
        raise InputError(f"{what}: {path} is not a readable CSV table ({str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__}); {RERUN}") from None
    return _check_frame(frame, path, what, columns, numeric)


def read_parquet(path: Path, what: str, columns: Iterable[str] = (), numeric: Iterable[str] = (), **kw: Any) -> pd.DataFrame:
    """A Parquet table, checked like ``read_csv``."""
    import pyarrow as pa

    try:
        frame = pd.read_parquet(path, **kw)
    except FileNotFoundError:
        raise InputError(f"{what}: {path} is missing; {RERUN}") from None
    except (pa.ArrowException, OSError, ValueError, TypeError) as exc:
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise InputError(f"{what}: {path} is not a readable Parquet table ({reason}); {RERUN}") from None
    return _check_frame(frame, path, what, columns, numeric)


def finite(value: Any, where: str, what: str) -> float:
    """``value`` as a float, refusing text and infinities (None and NaN stay NaN)."""
    if value is None:
        return math.nan
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"{what}: {where} is {str(value)[:40]!r}, not a number; {RERUN}")
    if math.isinf(value):
        raise InputError(f"{what}: {where} is infinite; {RERUN}")
    return float(value)
