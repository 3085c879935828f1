"""Shared by the browser tests: how Debian's Chromium is found and launched (Playwright, no browser download)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def unavailable(reason: str) -> None:
    """Skip, or fail in CI (.ci/run installs Chromium and npm, so a missing piece there is a failure)."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def chromium() -> str:
    """Path of the system Chromium (``$HSR_CHROMIUM`` overrides)."""
    path = os.environ.get("HSR_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        unavailable("Debian's chromium is not installed (apt-get install chromium)")
    return path
