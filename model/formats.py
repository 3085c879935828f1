"""How numbers are printed for people: one money format, whole people, shares in % and percentage points.

Every consumer (terminal tables, CSV headers, figures, the report, the docs) prints through
these functions, so a figure reads the same everywhere. Money is shown at three
significant figures with trailing zeros dropped (``£2k``, ``£1.23m``, ``£75k``, ``£950``);
missing or non-finite values print as an em dash. Nothing that computes a result
imports this file, so the run store's source fingerprint leaves it out.
"""

from __future__ import annotations

import math

DASH = "—"
MINUS = "−"
_SCALES = ((1e9, "bn"), (1e6, "m"), (1e3, "k"), (1.0, ""))


def finite(v: float | None) -> bool:
    """True for a real, finite number."""
    return v is not None and isinstance(v, int | float) and math.isfinite(v)


def _sig3(x: float) -> str:
    """``x`` (>= 0) at three significant figures, trailing zeros dropped."""
    if x == 0:
        return "0"
    r = float(f"{x:.3g}")
    digits = max(0, 2 - int(math.floor(math.log10(r))))
    text = f"{r:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _sign(value: float, signed: bool) -> str:
    return MINUS if value < 0 else ("+" if signed and value > 0 else "")


def money(value: float | None, signed: bool = False) -> str:
    """Pounds at three significant figures: ``£805k``, ``+£1.23m``, ``−£40k``, ``£950``."""
    if not finite(value):
        return DASH
    x = abs(float(value))  # type: ignore[arg-type]
    k = next(i for i, (scale, _) in enumerate(_SCALES) if x >= scale or scale == 1.0)
    text = _sig3(x / _SCALES[k][0])
    if float(text) >= 1000 and k > 0:  # rounding carried into the next unit: 999.6k -> 1m
        k -= 1
        text = _sig3(x / _SCALES[k][0])
    if float(text) == 0:
        return "£0"
    return f"{_sign(float(value), signed)}£{text}{_SCALES[k][1]}"  # type: ignore[arg-type]


def people(value: float | None, signed: bool = False) -> str:
    """A count of people or person-years as a whole number with thousands separators."""
    if not finite(value):
        return DASH
    n = int(round(float(value)))  # type: ignore[arg-type]
    return f"{_sign(n, signed)}{abs(n):,}"


def points(value: float | None, signed: bool = True) -> str:
    """A difference of two shares (0-1) in percentage points: ``+1.9 pp``, ``−0.4 pp``."""
    if not finite(value):
        return DASH
    pp = round(100 * float(value), 1)  # type: ignore[arg-type]
    return f"{_sign(pp, signed)}{abs(pp):.1f} pp"


def percent(value: float | None) -> str:
    """A share (0-1) as a percentage: ``61.2%``."""
    if not finite(value):
        return DASH
    return f"{100 * float(value):.1f}%"  # type: ignore[arg-type]


def number(value: float | None, signed: bool = False) -> str:
    """Any other number at three significant figures."""
    if not finite(value):
        return DASH
    v = float(value)  # type: ignore[arg-type]
    return f"{_sign(v, signed)}{_sig3(abs(v))}"


def probability(value: float | None) -> str:
    """A probability as a whole percentage (``83%``), with ``>99%`` and ``<1%`` at the ends."""
    if not finite(value):
        return DASH
    p = 100 * float(value)  # type: ignore[arg-type]
    if 99 < p < 100:
        return ">99%"
    if 0 < p < 1:
        return "<1%"
    return f"{p:.0f}%"
