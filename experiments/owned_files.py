"""Which entries of a results folder hsr-careers wrote, so reruns and ``--force`` touch only those.

A results folder's ``manifest.json`` lists, under ``output.files``, the top-level names
the command wrote there. A rerun or ``--force`` replaces or removes only those names;
anything else in the folder (a user's ``my_notes.txt``, the ``discovery/`` folder that
``discover`` writes inside an ensemble folder) is the user's or another command's and
stays. A manifest that has no list (an interrupted in-place command's first manifest, or
a folder from an earlier version) owns only the names its kind is known to write.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
_FIG = ("figures", "report.html", MANIFEST)
KIND_FILES: dict[str, frozenset[str]] = {  # what each kind writes at the top level of its folder
    "run": frozenset({"yearly.parquet", "yearly.csv", "careers.parquet", "careers.csv", "retention.csv", "survey.csv", "summary.json", *_FIG}),
    "compare": frozenset({"effects.csv", "retention.csv", "cost_effectiveness.csv", "summary.json", *_FIG}),
    "batch": frozenset({"design.parquet", "runs", "yearly", "corrupt", "stale", ".lock", MANIFEST}),
    "sensitivity": frozenset({"cache", "indices.csv", "indices_second_order.csv", "noise.csv", "convergence.csv", "design.csv", *_FIG}),
    "calibration": frozenset({"cache", "calibrated.yaml", "fit_table.csv", "fit_table.md", "parameter_table.csv",
                              "parameter_table.md", "design.csv", "confirm.csv", *_FIG}),  # fmt: skip
    "calibration_check": frozenset({"fit_table.csv", *_FIG}),
    "ensemble": frozenset({"effects_ensemble.csv", "pairwise.csv", "convergence.csv", "sets.csv", "runs.csv", *_FIG}),
    "discovery": frozenset({"boxes.csv", "box_limits.csv", "trajectory.csv", "cart_leaves.csv", *_FIG}),
    "optimise": frozenset({"study.log", "study.log.lock", "store", "pareto.csv", "trials.csv", *_FIG}),
}


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The folder's manifest as a mapping, or None when it is missing, not ours to read, or not a JSON object."""
    path = Path(folder) / MANIFEST
    try:
        st = os.lstat(path)
        if not _regular(st.st_mode) or st.st_size > 50_000_000:
            return None
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _regular(mode: int) -> bool:
    import stat

    return stat.S_ISREG(mode)


def _ours_by_name(name: str) -> bool:
    """Temporary and lock names our own writers leave (``.name.1234.tmp``, ``.name.lock``)."""
    return name.startswith(".") and (name.endswith(".tmp") or ".tmp" in name or name.endswith(".lock"))


def owned(folder: Path, kind: str | None) -> set[str]:
    """Top-level names of ``folder`` that hsr-careers wrote (from ``output.files``, else what ``kind`` writes)."""
    manifest = read_manifest(folder) or {}
    marker = manifest.get("output")
    files = marker.get("files") if isinstance(marker, dict) else None
    names = set(KIND_FILES.get(kind or "", ())) | {MANIFEST}
    if isinstance(files, list) and all(isinstance(f, str) for f in files):
        names = set(files) | {MANIFEST}
    try:
        present = set(os.listdir(folder))
    except OSError:
        return set()
    return {n for n in present if n in names or _ours_by_name(n)}


def foreign(folder: Path, kind: str | None) -> set[str]:
    """Top-level names of ``folder`` that hsr-careers did not write (they are never touched)."""
    try:
        present = set(os.listdir(folder))
    except OSError:
        return set()
    return present - owned(folder, kind)


def record(folder: Path, names: set[str]) -> None:
    """Add ``output.files`` (sorted ``names``, with the manifest) and their ``output.checksums`` to the manifest, atomically."""
    from experiments.safe_files import write_text
    from experiments.verified import checksums

    manifest = read_manifest(folder)
    if manifest is None or not isinstance(manifest.get("output"), dict):
        return
    manifest["output"]["files"] = sorted(names | {MANIFEST})
    manifest["output"]["checksums"] = checksums(folder, names)
    write_text(Path(folder) / MANIFEST, json.dumps(manifest, indent=2, default=str) + "\n", "manifest")
