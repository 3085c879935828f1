"""Work too large to hold is refused before it starts: one memory budget for designs, budgets and records.

A design (batch points, sensitivity points × replicates, calibration runs) is held in
memory as Python rows and dictionaries before and while it runs. Each number held
that way costs about ``BYTES_PER_VALUE`` bytes (measured with ``tracemalloc`` on
CPython 3.12: 47 bytes per float in a dict of metrics, 53 per column of a design row;
rounded up). A command whose design would need more than ``MEMORY_LIMIT`` is refused at
once, saying how much it would need, instead of allocating until the machine swaps.
The size of one run is limited separately (``model.config.MAX_RESEARCHER_YEARS``).
"""

from __future__ import annotations

MEMORY_LIMIT = 2 * 1024**3  # bytes: design tables and per-run records of one command
BYTES_PER_VALUE = 64


def human(nbytes: float) -> str:
    """``3.2 GB``-style size (powers of 1024, shown with the usual unit names)."""
    size = float(nbytes)
    for unit in ("bytes", "KB", "MB", "GB", "TB", "PB"):
        if size < 1024 or unit == "PB":
            return f"{size:,.0f} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024
    return f"{size:,.1f} PB"  # pragma: no cover


def too_large(values: float, what: str) -> str | None:
    """A message if holding ``values`` numbers (rows × columns) would exceed the budget, else None."""
    need = values * BYTES_PER_VALUE
    if need <= MEMORY_LIMIT:
        return None
    return f"{what} would need about {human(need)} of memory, more than the {human(MEMORY_LIMIT)} allowed; make it smaller"
