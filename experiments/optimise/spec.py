"""Optimisation spec files: the baseline, the policies that may be switched on, their ranges, objectives, budget.

::

    name: mix_under_30m
    baseline: ../../scenarios/baseline.yaml     # relative to this file
    budget_per_year: 30000000                    # GBP a year: mean yearly policy spend must stay within it
    objectives: [researcher_years, equity_gap_carer_10y]   # extra researcher-years up; named equity gaps narrowed
    policies:                                    # each may be on or off; listed settings are searched
      bridge_funding: {max_months: [3, 12], yearly_budget: null}   # null = declared plausible range
      caring_support: {penalty_reduction: null}
      open_ended_contracts: {}                   # on/off only, declared settings
    trials: 60
    population_size: 12                          # NSGA-II population (also the batch evaluated at once)
    reps: 3                                      # paired replicates per trial (baseline and mix share seeds)
    ensemble: 0                                  # K >= 2: evaluate every trial at the same K NROY parameter sets
    seed: 20260301
    run: {population: 1000, years: 10}           # run-setting overrides for every trial
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from experiments.errors import InputError, suggest
from experiments.optimise.study import Variable
from experiments.runs.ensemble_stats import intended_sign
from experiments.runs.metric_tasks import metrics_of
from experiments.scenarios.load import load_scenario
from experiments.scenarios.yaml_io import read_yaml
from model.config import ModelConfig, with_overrides
from model.parameters import field_row
from model.policies import POLICIES

RUN_KEYS = ("population", "years", "burn_in_years")


class OptimiseSpec(BaseModel):
    """A validated optimisation spec."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$", description="Short name (letters, digits, _ . -).")
    description: str = ""
    baseline: str = Field(description="Baseline scenario file, relative to the spec file.")
    budget_per_year: float = Field(gt=0, description="Yearly budget in GBP: a mix's mean yearly policy spend must not exceed it.")
    objectives: list[str] = Field(min_length=1, description="Effects to improve: researcher_years (up) and equity gaps (narrowed).")
    policies: dict[str, dict[str, tuple[float, float] | None]] = Field(
        min_length=1, description="Policy type -> {setting: [low, high] | null}."
    )
    trials: int = Field(40, ge=2, le=100_000)
    population_size: int = Field(10, ge=2, le=10_000)
    reps: int = Field(3, ge=2, le=1000, description="Paired replicates per trial (per parameter set with 'ensemble').")
    ensemble: int = Field(
        0, ge=0, le=10_000, description="0: the calibrated point; K >= 2: every trial at the same K NROY sets (a robust choice)."
    )
    seed: int = Field(20260301, ge=0, le=2**63 - 1)
    run: dict[str, int] = Field(default_factory=dict, description="Overrides of run.population / run.years / run.burn_in_years.")


def _explain(exc: ValidationError, origin: str) -> InputError:
    err = next((e for e in exc.errors() if e["type"] == "extra_forbidden"), exc.errors()[0])
    key = ".".join(str(p) for p in err["loc"])
    if err["type"] == "extra_forbidden" and len(err["loc"]) == 1:
        valid = list(OptimiseSpec.model_fields)
        return InputError(f"{origin}: unknown key '{key}'{suggest(key, valid)}; valid keys: {', '.join(valid)}")
    return InputError(f"{origin}: key '{key}': {err['msg']}, got {err.get('input')!r}")


def objective_metric(name: str, metrics: list[str]) -> str:
    """The metric optimised for an objective name: researcher-years are discounted when the model reports it."""
    return "researcher_years_pv" if name == "researcher_years" and "researcher_years_pv" in metrics else name


def load_spec(path: str | Path) -> tuple[OptimiseSpec, ModelConfig, list[Variable], list[str]]:
    """Read and check a spec: the spec, the baseline config (run overrides applied), the variables and the directions."""
    path = Path(path)
    doc = read_yaml(path)
    origin = str(path)
    try:
        spec = OptimiseSpec.model_validate(doc.data)
    except ValidationError as exc:
        raise _explain(exc, origin) from None
    base_path = (path.parent / spec.baseline).resolve()
    if not base_path.is_file():
        raise InputError(f"{origin}: key 'baseline': no scenario file '{spec.baseline}' (relative to the spec file)")
    try:
        base = load_scenario(base_path).config
    except InputError as exc:  # name the spec and its key first: the user gave the path here
        raise InputError(f"{origin}: key 'baseline': '{spec.baseline}' is not a usable scenario file ({str(exc)[:300]})") from None
    for k in spec.run:
        if k not in RUN_KEYS:
            raise InputError(f"{origin}: key 'run.{k}': not a run setting to override{suggest(k, RUN_KEYS)}; valid: {', '.join(RUN_KEYS)}")
    try:
        base = with_overrides(base, {f"run.{k}": v for k, v in spec.run.items()} | {"run.log_events": False})
    except ValueError as exc:
        raise InputError(f"{origin}: key 'run': {exc.errors()[0]['msg'] if hasattr(exc, 'errors') else exc}") from None
    if base.policies:
        raise InputError(
            f"{origin}: key 'baseline': the baseline has policies ({', '.join(p.policy_type for p in base.policies)}); use a policy-free baseline"
        )
    variables: list[Variable] = []
    for ptype, settings in spec.policies.items():
        if ptype not in POLICIES:
            raise InputError(f"{origin}: key 'policies.{ptype}': unknown policy{suggest(ptype, POLICIES)}; valid: {', '.join(POLICIES)}")
        cls = POLICIES[ptype]
        variables.append(Variable(f"{ptype}.on", "switch"))
        numeric = [n for n, f in cls.model_fields.items() if f.annotation in (int, float) and n != "start_year"]
        for name, bounds in settings.items():
            if name not in numeric:
                raise InputError(
                    f"{origin}: key 'policies.{ptype}.{name}': not a numeric setting of {ptype}{suggest(name, numeric)}; valid: {', '.join(numeric)}"
                )
            row = field_row(f"policies.{ptype}.{name}", cls, name)
            lo, hi = (float(row["plausible_min"]), float(row["plausible_max"])) if bounds is None else (float(bounds[0]), float(bounds[1]))
            if not (math.isfinite(lo) and math.isfinite(hi)) or lo < row["min"] or hi > row["max"] or not lo < hi:
                raise InputError(
                    f"{origin}: key 'policies.{ptype}.{name}': range [{lo:g}, {hi:g}] must have low < high inside the declared valid range [{row['min']:g}, {row['max']:g}]"
                )
            variables.append(Variable(f"{ptype}.{name}", "int" if row["integer"] else "float", lo, hi))
    small = with_overrides(base, {"run.population": 60, "run.years": 2, "run.burn_in_years": 0})
    metrics = list(metrics_of(small, np.random.SeedSequence(0)))  # names of the metrics this model reports
    if spec.ensemble == 1:
        raise InputError(f"{origin}: key 'ensemble': 0 (the calibrated point) or at least 2 parameter sets, got 1")
    directions = []
    for i, name in enumerate(spec.objectives):
        valid = [m for m in metrics if intended_sign(m) and m not in ("policy_cost",)]
        if name not in metrics or not intended_sign(name):
            raise InputError(
                f"{origin}: key 'objectives[{i}]': '{name}' is not an effect to optimise{suggest(name, valid)}; valid: {', '.join(valid)}"
            )
        horizon = next((int(h) for h in (name.rsplit("_", 1)[-1][:-1],) if name.endswith("y") and h.isdigit()), 0)
        if horizon > base.run.years:
            raise InputError(f"{origin}: key 'objectives[{i}]': '{name}' needs run.years of at least {horizon}, got {base.run.years}")
        directions.append("maximize" if intended_sign(name) > 0 else "minimize")
    return spec, base, variables, directions


def mix_config(base: ModelConfig, params: dict[str, Any]) -> ModelConfig:
    """The baseline with the switched-on policies at the trial's settings (other settings at their declared values)."""
    policies: dict[str, dict[str, Any]] = {}
    for key, value in params.items():
        ptype, name = key.rsplit(".", 1)
        policies.setdefault(ptype, {})[name] = value
    chosen = [{"type": p, **{k: v for k, v in s.items() if k != "on"}} for p, s in policies.items() if s.get("on")]
    return ModelConfig.model_validate({**base.model_dump(), "policies": chosen})
