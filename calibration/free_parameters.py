"""Free parameters, their priors, and calibration settings (``parameters.yaml``), checked against the declaration."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from calibration.measures import MEASURES
from calibration.solved import SolvedParameter
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
    reps: int = 4
    waves: int = 4
    cutoff: float = 3.0
    candidates: int = 20000  # emulator screening pool per wave (the prior share it keeps estimates the NROY volume)
    confirm_candidates: int = 6
    confirm_reps: int = 10
    seed: int = 20260224

    def run_overrides(self) -> dict[str, object]:
        """``run.*`` overrides applied to every calibration run (events are needed by the contract measures)."""
        return {"run.population": self.population, "run.burn_in_years": self.burn_in_years, "run.years": self.years, "run.log_events": True}


@dataclass(frozen=True)
class Setup:
    """Free parameters, parameters solved from a target, and settings."""

    free: list[FreeParameter]
    settings: Settings = field(default_factory=Settings)
    solved: list[SolvedParameter] = field(default_factory=list)

    def measures(self) -> list[str]:
        """Measures the solved parameters need besides the targets' own."""
        return [sp.via for sp in self.solved]


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
    extra = sorted(set(data) - {"free", "settings", "solved"})
    if extra:
        raise TargetsError(f"{path}: key '{extra[0]}': unknown top-level key; valid: free, settings, solved")
    solved = _solved(path, data.get("solved") or {}, declared, {f.path for f in free})
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
    return Setup(free=free, settings=settings, solved=solved)


def _solved(path: Path, spec: object, declared: dict, free: set[str]) -> list[SolvedParameter]:
    """``solved: {parameter: {target, via, why}}``: each parameter declared, not also free, ``via`` a known measure."""
    if not isinstance(spec, dict):
        raise TargetsError(f"{path}: key 'solved' must map parameter paths to {{target: ..., via: ..., why: ...}}")
    out = []
    for p, s in spec.items():
        if p not in declared:
            raise TargetsError(f"{path}: key 'solved.{p}': unknown parameter path; valid: {', '.join(sorted(declared))}")
        if p in free:
            raise TargetsError(f"{path}: key 'solved.{p}': a parameter is either free or solved, not both")
        if not isinstance(s, dict) or not all(str(s.get(k, "")).strip() for k in ("target", "via", "why")):
            raise TargetsError(f"{path}: key 'solved.{p}': needs 'target' (a target name), 'via' (a measure) and 'why'")
        if s["via"] not in MEASURES:
            raise TargetsError(f"{path}: key 'solved.{p}.via': unknown measure {s['via']!r}; valid: {', '.join(sorted(MEASURES))}")
        row = declared[p]
        out.append(SolvedParameter(p, str(s["target"]), str(s["via"]), float(row["plausible_min"]), float(row["plausible_max"]), str(s["why"]).strip()))
    return out
