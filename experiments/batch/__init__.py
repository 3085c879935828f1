"""Batch experiments: experiment files (``spec``), design points (``design``), the output dataset (``dataset``), running (``execute``).

``from experiments.batch import run_batch, load_batch`` is the notebook API (imported lazily).
"""

from __future__ import annotations

from typing import Any

__all__ = ["execute_batch", "load_batch", "load_experiment", "run_batch"]


def __getattr__(name: str) -> Any:
    """The notebook API, imported on first use."""
    if name in __all__:
        from experiments.batch import execute

        return getattr(execute, name)
    raise AttributeError(f"module 'experiments.batch' has no attribute {name!r}")
