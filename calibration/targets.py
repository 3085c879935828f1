"""Calibration targets: load and validate ``targets.yaml`` (value, n, source, measure, bounds).

Errors raise ``TargetsError`` naming the file, the key, the bad value and the valid
choices; the command line turns it into exit code 2.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from calibration.measures import MEASURES
from calibration.stats import wilson
from common import safe_yaml

BOUNDS = ("two_sided", "upper", "lower")
ROLES = ("fit", "report")
REQUIRED = ("value", "n", "population", "year", "source", "measure")
OPTIONAL = ("n_note", "bound", "tolerance", "tolerance_note", "discrepancy_sd", "role", "note")
DEFAULT_TARGETS = Path(__file__).with_name("targets.yaml")


class TargetsError(ValueError):
    """A targets file that cannot be used; the message names file, key, value and valid choices."""


@dataclass(frozen=True)
class Target:
    """One observed proportion and how the model measures it."""

    name: str
    value: float
    n: float
    population: str
    year: int
    source: str
    measure: str
    bound: str = "two_sided"
    tolerance: float = 0.0
    discrepancy_sd: float = 0.02
    role: str = "fit"
    note: str = ""
    n_note: str = ""
    tolerance_note: str = ""

    @property
    def ci(self) -> tuple[float, float]:
        """95% Wilson interval of the observed proportion (0 or 1 on the open side of a bound)."""
        lo, hi = wilson(self.value, self.n)
        if self.bound == "upper":
            return 0.0, hi
        if self.bound == "lower":
            return lo, 1.0
        return lo, hi

    @property
    def accept(self) -> tuple[float, float]:
        """The interval a simulated mean must fall in: Wilson interval widened by the tolerance."""
        lo, hi = self.ci
        return max(0.0, lo - self.tolerance), min(1.0, hi + self.tolerance)

    @property
    def obs_var(self) -> float:
        """Binomial sampling variance of the observed proportion."""
        return self.value * (1.0 - self.value) / self.n


def _number(path: Path, key: str, raw: object, lo: float, hi: float, *, lo_open: bool = False) -> float:
    ok = isinstance(raw, int | float) and not isinstance(raw, bool) and math.isfinite(raw)
    ok = ok and (raw > lo if lo_open else raw >= lo) and raw <= hi
    if not ok:
        span = f"({lo}, {hi}]" if lo_open else f"[{lo}, {hi}]"
        raise TargetsError(f"{path}: key '{key}': value {raw!r} must be a number in {span}")
    return float(raw)


def _text(path: Path, key: str, raw: object) -> str:
    if not isinstance(raw, str | int) or isinstance(raw, bool) or not str(raw).strip():
        raise TargetsError(f"{path}: key '{key}': a non-empty text is required, got {raw!r}")
    return str(raw).strip()


def _choice(path: Path, key: str, raw: object, valid: tuple[str, ...] | list[str]) -> str:
    if raw not in valid:
        raise TargetsError(f"{path}: key '{key}': unknown value {raw!r}; valid: {', '.join(valid)}")
    return str(raw)


def parse_target(path: Path, name: str, spec: object) -> Target:
    """Validate one target entry."""
    at = f"targets.{name}"
    if not isinstance(spec, dict):
        raise TargetsError(f"{path}: key '{at}': expected a mapping of {', '.join(REQUIRED)}, got {spec!r}")
    unknown = sorted(set(spec) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise TargetsError(f"{path}: key '{at}.{unknown[0]}': unknown field; valid: {', '.join(REQUIRED + OPTIONAL)}")
    missing = [k for k in REQUIRED if k not in spec or spec[k] is None]
    if missing:
        raise TargetsError(f"{path}: key '{at}.{missing[0]}' is missing; every target needs {', '.join(REQUIRED)}")
    return Target(
        name=name,
        value=_number(path, f"{at}.value", spec["value"], 0.0, 1.0),
        n=_number(path, f"{at}.n", spec["n"], 0.0, 1e9, lo_open=True),
        population=_text(path, f"{at}.population", spec["population"]),
        year=int(_number(path, f"{at}.year", spec["year"], 1900, 2100)),
        source=_text(path, f"{at}.source", spec["source"]),
        measure=_choice(path, f"{at}.measure", spec["measure"], sorted(MEASURES)),
        bound=_choice(path, f"{at}.bound", spec.get("bound", "two_sided"), BOUNDS),
        tolerance=_number(path, f"{at}.tolerance", spec.get("tolerance", 0.0), 0.0, 0.5),
        discrepancy_sd=_number(path, f"{at}.discrepancy_sd", spec.get("discrepancy_sd", 0.02), 0.0, 0.5),
        role=_choice(path, f"{at}.role", spec.get("role", "fit"), ROLES),
        note=str(spec.get("note") or "").strip(),
        n_note=str(spec.get("n_note") or "").strip(),
        tolerance_note=str(spec.get("tolerance_note") or "").strip(),
    )


def load_targets(path: str | Path = DEFAULT_TARGETS) -> list[Target]:
    """Read and validate a targets file; raise ``TargetsError`` on any problem."""
    path = Path(path)
    if not path.exists():
        raise TargetsError(f"{path}: targets file not found")
    try:
        parsed = safe_yaml.load_file(path, "targets file")  # duplicated targets, tags, aliases, special files refused
    except safe_yaml.YamlError as exc:
        raise TargetsError(str(exc)) from None
    data = parsed.data if parsed is not None else None
    if not isinstance(data, dict) or not isinstance(data.get("targets"), dict) or not data["targets"]:
        raise TargetsError(f"{path}: key 'targets' must be a non-empty mapping of target name to its fields")
    extra = sorted(set(data) - {"targets"})
    if extra:
        raise TargetsError(f"{path}: key '{extra[0]}': unknown top-level key; valid: targets")
    targets = [parse_target(path, str(name), spec) for name, spec in data["targets"].items()]
    if not any(t.role == "fit" for t in targets):
        raise TargetsError(f"{path}: key 'targets': at least one target needs role 'fit'")
    return targets
