"""A disk cache of evaluated runs: one small JSON file per (parameter point, seed), written atomically.

A killed calibration loses at most the runs in flight; rerunning the same command
finds every finished run here and evaluates only the rest. Keys include a
fingerprint of the base configuration and of the model and measure source code, so
a changed model never reuses stale results.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import calibration.measures
import model
from model.config import ModelConfig


def source_fingerprint() -> str:
    """Hash of the model package and the measure definitions (what a cached value depends on besides inputs)."""
    h = hashlib.sha256()
    files = sorted(Path(model.__file__).parent.glob("*.py")) + [Path(calibration.measures.__file__)]
    for f in files:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def config_fingerprint(config: ModelConfig) -> str:
    """Hash of the resolved base configuration plus the source fingerprint."""
    return hashlib.sha256((config.model_dump_json() + source_fingerprint()).encode()).hexdigest()[:16]


class RunCache:
    """Measures of finished runs, keyed by (configuration fingerprint, overrides, seed)."""

    def __init__(self, directory: str | Path | None, fingerprint: str) -> None:
        self.dir = Path(directory) if directory is not None else None
        self.fingerprint = fingerprint
        if self.dir is not None:
            self.dir.mkdir(parents=True, exist_ok=True)

    def key(self, overrides: dict[str, float], seed: int) -> str:
        """Stable key of one run."""
        payload = json.dumps({"c": self.fingerprint, "o": sorted(overrides.items()), "s": seed}, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:24]

    def get(self, overrides: dict[str, float], seed: int) -> dict[str, float] | None:
        """Cached measures, or None."""
        if self.dir is None:
            return None
        f = self.dir / f"{self.key(overrides, seed)}.json"
        try:
            return json.loads(f.read_text())["measures"]
        except (OSError, ValueError, KeyError):
            return None

    def put(self, overrides: dict[str, float], seed: int, measures: dict[str, float]) -> None:
        """Store one run's measures atomically (temporary file, then rename)."""
        if self.dir is None:
            return
        f = self.dir / f"{self.key(overrides, seed)}.json"
        fd, tmp = tempfile.mkstemp(dir=self.dir, suffix=".tmp")
        with os.fdopen(fd, "w") as fh:
            json.dump({"overrides": overrides, "seed": seed, "measures": measures}, fh)
        os.replace(tmp, f)
