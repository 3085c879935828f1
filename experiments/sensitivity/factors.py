"""Sensitivity factors and their ranges, taken from the one parameter declaration.

Nothing here lists parameter names: ``model.config.numeric_parameters(config)`` gives
every variable path with its valid range (``min``/``max``) and its plausible range
(``plausible_min``/``plausible_max``). A scenario's ``sensitivity:`` block (or the
``--factors`` flag) chooses paths and may narrow their ranges; a factor given as
``null`` takes its declared range.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from experiments.errors import InputError, suggest
from model.config import ModelConfig, numeric_parameters

RANGE_KINDS = ("plausible", "valid")
# Groups that describe the observation (the simulated survey), not the system studied.
NOT_FACTORS = ("survey.",)


@dataclass(frozen=True)
class Factor:
    """One varied parameter: its path, the range sampled and whether values are whole numbers."""

    path: str
    low: float
    high: float
    integer: bool = False
    unit: str | None = None

    def value(self, x: float) -> float | int:
        """The value set in the configuration for a sampled ``x`` (whole numbers are rounded)."""
        return int(round(x)) if self.integer else float(x)


def _declared_range(row: dict, kind: str) -> tuple[float, float]:
    if kind == "valid":
        return float(row["min"]), float(row["max"])
    return float(row["plausible_min"]), float(row["plausible_max"])


def _has_plausible(row: dict) -> bool:
    return (row["plausible_min"], row["plausible_max"]) != (row["min"], row["max"])


def default_factor_paths(config: ModelConfig) -> list[str]:
    """Every parameter whose declaration gives a plausible range (survey sampling excluded)."""
    rows = numeric_parameters(config)
    return [p for p, r in rows.items() if _has_plausible(r) and not p.startswith(NOT_FACTORS)]


def resolve_factors(
    config: ModelConfig,
    factors: Mapping[str, Sequence[float] | None] | Sequence[str] | None = None,
    *,
    ranges: str = "plausible",
    source: str = "factors",
) -> list[Factor]:
    """Factors for ``config``: chosen paths (all with a plausible range if none) with their ranges.

    ``factors`` maps a path to ``[low, high]`` (inside the declared valid range) or to
    ``None`` for the declared ``ranges`` (``plausible`` or ``valid``); a plain list of
    paths means ``None`` for each. ``source`` names the file or flag in error messages.
    """
    if ranges not in RANGE_KINDS:
        raise InputError(f"{source}: unknown range kind '{ranges}'{suggest(ranges, RANGE_KINDS)}; valid: {', '.join(RANGE_KINDS)}")
    rows = numeric_parameters(config)
    if factors is None or len(factors) == 0:
        factors = default_factor_paths(config)
    if not isinstance(factors, Mapping):
        factors = dict.fromkeys(factors)
    out: list[Factor] = []
    for path, bounds in factors.items():
        if path not in rows:
            hint = " (policy parameters need that policy in the scenario)" if str(path).startswith("policies.") else ""
            raise InputError(f"{source}: unknown factor '{path}'{suggest(str(path), rows)}{hint}; valid factors: {', '.join(rows)}")
        row = rows[path]
        lo_ok, hi_ok = float(row["min"]), float(row["max"])
        if bounds is None:
            low, high = _declared_range(row, ranges)
        else:
            if (
                isinstance(bounds, str | bytes)
                or len(bounds) != 2
                or not all(isinstance(b, int | float) and not isinstance(b, bool) for b in bounds)
            ):
                raise InputError(f"{source}: factor '{path}' range must be [low, high] numbers or null, got {bounds!r}")
            low, high = float(bounds[0]), float(bounds[1])
            if not (math.isfinite(low) and math.isfinite(high)) or low < lo_ok or high > hi_ok:
                raise InputError(f"{source}: factor '{path}' range [{low:g}, {high:g}] leaves its valid range [{lo_ok:g}, {hi_ok:g}]")
        if not low < high:
            raise InputError(f"{source}: factor '{path}' needs low < high, got [{low:g}, {high:g}]")
        out.append(Factor(path=path, low=low, high=high, integer=bool(row["integer"]), unit=row.get("unit")))
    if len(out) < 2:
        raise InputError(f"{source}: sensitivity analysis needs at least two factors, got {len(out)} ({', '.join(f.path for f in out)})")
    return out


def problem_dict(factors: Sequence[Factor], outputs: Sequence[str] | None = None) -> dict:
    """The SALib problem (``names``, ``bounds``, ``num_vars`` and optionally ``outputs``)."""
    problem: dict = {"names": [f.path for f in factors], "bounds": [[f.low, f.high] for f in factors], "num_vars": len(factors)}
    if outputs:
        problem["outputs"] = list(outputs)
    return problem


def point_values(factors: Sequence[Factor], row: Sequence[float]) -> dict[str, float | int]:
    """One design row as ``{path: value}`` (whole numbers rounded)."""
    return {f.path: f.value(x) for f, x in zip(factors, row, strict=True)}
