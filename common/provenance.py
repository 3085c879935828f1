"""Provenance for manifests (library versions, git commit) and atomic text writes.

Every command that writes results records the same facts the same way; these live at
the bottom layer so ``calibration`` and ``experiments`` can both use them.
"""

from __future__ import annotations

import functools
import os
import platform
import subprocess
import tempfile
from importlib import metadata
from pathlib import Path

LIBRARIES = (
    "hsr-careers", "mesa", "numpy", "pandas", "pyarrow", "pydantic", "networkx", "scipy", "SALib",
    "joblib", "dask", "distributed", "PyYAML", "matplotlib",
)  # fmt: skip


@functools.cache
def versions() -> dict[str, str]:
    """Python, platform and library versions ("not installed" where absent)."""
    out = {"python": platform.python_version(), "platform": platform.platform()}
    for lib in LIBRARIES:
        try:
            out[lib] = metadata.version(lib)
        except metadata.PackageNotFoundError:
            out[lib] = "not installed"
    return out


def git_commit() -> str | None:
    """The checkout's commit, or None outside a git checkout."""
    try:
        res = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=Path(__file__).resolve().parent, capture_output=True, text=True, timeout=10, check=False
        )
        return res.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def atomic_write_text(path: Path, text: str) -> None:
    """Write a text file through a temporary file and a rename, so a kill never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)
