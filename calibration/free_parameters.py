"""Free parameters, their priors, and calibration settings (``parameters.yaml``), checked against the declaration."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from calibration.targets import TargetsError
from common import safe_yaml
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
        parsed = safe_yaml.load_file(path, "calibration set-up")
    except safe_yaml.YamlError as exc:
        raise TargetsError(str(exc)) from None
    data = (parsed.data if parsed is not None else None) or {}
    if not isinstance(data, dict):
        raise TargetsError(f"{path}: the top level must be a mapping with keys 'free' and 'settings'")
    declared = numeric_parameters(config or ModelConfig())
    free_spec = data.get("free") or {}
    if not isinstance(free_spec, dict) or not free_spec:
        raise TargetsError(f"{path}: key 'free' must map parameter paths to {{why: ..., prior: [low, high]}}")
    free = []
    for p, spec in free_spec.items():
        if p not in declared:
            raise TargetsError(f"{path}: key 'free.{p}': unknown parameter path; valid: {', '.join(sorted(declared))}")
        spec = spec or {}
        if not isinstance(spec, dict):
            raise TargetsError(f"{path}: key 'free.{p}': expected a mapping with 'why' and 'prior', got {spec!r:.60}")
        row = declared[p]
        prior = spec.get("prior", [row["plausible_min"], row["plausible_max"]])
        if not isinstance(prior, list) or len(prior) != 2 or any(isinstance(v, bool) or not isinstance(v, int | float) for v in prior):
            raise TargetsError(f"{path}: key 'free.{p}.prior': expected [low, high] numbers, got {prior!r:.60}")
        lo, hi = prior
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
    for key, value in raw.items():
        want = type(getattr(Settings, key))
        whole = want is int and isinstance(value, float) and not value.is_integer()
        if isinstance(value, bool) or not isinstance(value, int | float) or whole or value != value or value < 0:
            kind = "a whole number" if want is int else "a number"
            raise TargetsError(f"{path}: key 'settings.{key}': must be {kind} of at least 0, got {value!r}")
    settings = Settings(**{k: type(getattr(Settings, k))(v) for k, v in raw.items()})
    return Setup(free=free, settings=settings)
