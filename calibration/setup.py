"""Free parameters, their priors, and calibration settings (``parameters.yaml``), checked against the declaration."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from calibration.targets import TargetsError
from model.config import ModelConfig, numeric_parameters

DEFAULT_SETUP = Path(__file__).with_name("parameters.yaml")


@dataclass(frozen=True)
class FreeParameter:
    """A calibrated parameter: path, prior range (uniform) and why it is free."""

    path: str
    low: float
    high: float
    default: float
    why: str
    integer: bool = False


@dataclass(frozen=True)
class Settings:
    """How large each run is and how the history matching proceeds."""

    population: int = 1500
    burn_in_years: int = 15
    years: int = 5
    reps: int = 3
    waves: int = 2
    cutoff: float = 3.0
    confirm_candidates: int = 6
    confirm_reps: int = 10
    seed: int = 20260224

    def run_overrides(self) -> dict[str, object]:
        """``run.*`` overrides applied to every calibration run (events are needed by the contract measures)."""
        return {"run.population": self.population, "run.burn_in_years": self.burn_in_years, "run.years": self.years, "run.log_events": True}


@dataclass(frozen=True)
class Setup:
    """Free parameters plus settings."""

    free: list[FreeParameter]
    settings: Settings = field(default_factory=Settings)


def load_setup(path: str | Path = DEFAULT_SETUP, config: ModelConfig | None = None) -> Setup:
    """Read ``parameters.yaml``; every path must be a numeric parameter of ``config`` and every prior inside its valid range."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise TargetsError(f"{path}: cannot read calibration set-up: {exc}") from None
    declared = numeric_parameters(config or ModelConfig())
    free_spec = data.get("free") or {}
    if not isinstance(free_spec, dict) or not free_spec:
        raise TargetsError(f"{path}: key 'free' must map parameter paths to {{why: ..., prior: [low, high]}}")
    free = []
    for p, spec in free_spec.items():
        if p not in declared:
            raise TargetsError(f"{path}: key 'free.{p}': unknown parameter path; valid: {', '.join(sorted(declared))}")
        spec = spec or {}
        row = declared[p]
        lo, hi = spec.get("prior", [row["plausible_min"], row["plausible_max"]])
        if not (row["min"] <= lo < hi <= row["max"]):
            raise TargetsError(f"{path}: key 'free.{p}.prior': [{lo}, {hi}] must satisfy {row['min']} <= low < high <= {row['max']}")
        if not str(spec.get("why", "")).strip():
            raise TargetsError(f"{path}: key 'free.{p}.why': say why this parameter is calibrated")
        free.append(FreeParameter(p, float(lo), float(hi), float(row["default"]), str(spec["why"]).strip(), bool(row["integer"])))
    raw = data.get("settings") or {}
    valid = Settings.__dataclass_fields__
    for key in raw:
        if key not in valid:
            raise TargetsError(f"{path}: key 'settings.{key}': unknown setting; valid: {', '.join(valid)}")
    try:
        settings = Settings(**{k: type(getattr(Settings, k))(v) for k, v in raw.items()})
    except (TypeError, ValueError) as exc:
        raise TargetsError(f"{path}: key 'settings': {exc}") from None
    return Setup(free=free, settings=settings)
