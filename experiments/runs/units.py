"""How money and people are printed: money at three significant figures in £, £k, £m or £bn; people whole.

One place for both the terminal tables and the report, so a figure reads the same
everywhere. Missing or non-finite values print as an em dash.
"""

from __future__ import annotations

import math

DASH = "—"
_SCALES = ((1e9, "bn"), (1e6, "m"), (1e3, "k"), (1.0, ""))


def _sig3(x: float) -> str:
    """``x`` (>= 0) at three significant figures, without trailing zeros beyond them."""
    if x == 0:
        return "0"
    r = float(f"{x:.3g}")
    digits = max(0, 2 - int(math.floor(math.log10(r))))
    return f"{r:.{digits}f}"


def money(value: float | None, signed: bool = False) -> str:
    """Pounds at three significant figures: ``£805k``, ``+£1.23m``, ``−£40.0k``, ``£950``."""
    if value is None or not math.isfinite(value):
        return DASH
    sign = "−" if value < 0 else ("+" if signed and value > 0 else "")
    x = abs(value)
    k = next(i for i, (scale, _) in enumerate(_SCALES) if x >= scale or scale == 1.0)
    text = _sig3(x / _SCALES[k][0])
    if float(text) >= 1000 and k > 0:  # rounding carried into the next unit: 999.6k -> 1.00m
        k -= 1
        text = _sig3(x / _SCALES[k][0])
    return f"{sign}£{text}{_SCALES[k][1]}"


def people(value: float | None, signed: bool = False) -> str:
    """A count of people or person-years as a whole number with thousands separators."""
    if value is None or not math.isfinite(value):
        return DASH
    n = int(round(value))
    if n < 0:
        return f"−{abs(n):,}"
    return f"+{n:,}" if signed and n > 0 else f"{n:,}"
