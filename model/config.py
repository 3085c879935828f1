"""The model configuration: parameter groups, policies, scheduled shocks and run settings.

``ModelConfig`` is what ``run_one(config, seed)`` takes and what a scenario file
resolves to. Its JSON Schema is the scenario schema.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from model.funding import Shock
from model.parameters import ASSUMPTION, ModelParams, ParamGroup, field_row, param
from model.policies import PolicySpec

# Work refused before it starts: researcher-years beyond this would not fit in memory
# on a 24 GiB machine once the career and event tables are built.
MAX_RESEARCHER_YEARS = 50_000_000


class RunSettings(ParamGroup):
    """How long, how big and how many replicates."""

    years: int = param(30, 1, 200, unit="years", source=ASSUMPTION, doc="Reported horizon after the burn-in.")
    burn_in_years: int = param(15, 0, 200, unit="years", source=ASSUMPTION, doc="Years simulated first and discarded so the population settles.")
    population: int = param(4000, 10, 1_000_000, unit="researchers", source=ASSUMPTION, doc="Initial (and steady-state scale of the) active population: UK HSR is a few thousand researchers.")
    replicates: int = param(20, 1, 100_000, unit="runs", source=ASSUMPTION, doc="Replicates per scenario (seeds spawned from the root seed).")
    seed: int = Field(20260223, ge=0, le=2**63 - 1, description="Root seed; replicate i uses SeedSequence(seed).spawn(...)[i].")
    # Off unless asked for: only calibration's contract measures and notebook readers of
    # RunResult.events use it, and keeping it costs every bulk run (it draws no random numbers).
    log_events: bool = Field(False, description="Keep the event log (contract ends, gaps, promotions, exits) for RunResult.events; calibration turns it on.")


class ModelConfig(ModelParams):
    """Everything a single run needs, apart from its seed."""

    policies: list[PolicySpec] = Field(default_factory=list, description="Policy levers in force (each with a start year).")
    shocks: list[Shock] = Field(default_factory=list, description="Scheduled funding shocks.")
    run: RunSettings = Field(default_factory=RunSettings)

    @model_validator(mode="after")
    def _policies_act(self) -> ModelConfig:
        """A policy listed twice would double its budget; a start or shock at or after the horizon would never act."""
        first: dict[str, int] = {}
        for i, p in enumerate(self.policies):
            if p.policy_type in first:
                raise ValueError(
                    f"policy '{p.policy_type}' is listed twice (policies[{first[p.policy_type]}] and policies[{i}]); "
                    "two copies would each spend their budget: give it once"
                )
            first[p.policy_type] = i
            if p.start_year >= self.run.years:
                raise ValueError(
                    f"policies[{i}].start_year = {p.start_year} for '{p.policy_type}' is at or after the end of the "
                    f"{self.run.years}-year horizon (run.years), so it would never act; use a start year below {self.run.years}"
                )
        for i, s in enumerate(self.shocks):
            if s.year >= self.run.years:
                raise ValueError(
                    f"shocks[{i}].year = {s.year} is at or after the end of the {self.run.years}-year horizon (run.years), "
                    f"so the shock would never happen; use a year below {self.run.years}"
                )
        return self

    def researcher_years(self) -> int:
        """Rough size of one run, to refuse absurd work before it starts."""
        return self.run.population * (self.run.years + self.run.burn_in_years)


def _field_row(path: str, cls: type, name: str, current: object) -> dict:
    return {"path": path, "value": current, **field_row(path, cls, name)}


def numeric_parameters(config: ModelConfig) -> dict[str, dict]:
    """Every numeric parameter a design can vary, keyed by path, with its declared ranges.

    Paths are ``group.name`` (e.g. ``contracts.renewal_prob``) and, for policies in
    ``config``, ``policies.<type>.<field>`` (e.g. ``policies.bridge_funding.max_months``).
    Derived from the one declaration: this is the list calibration and sensitivity use.
    """
    rows: dict[str, dict] = {}
    for group, field in ModelParams.model_fields.items():
        cls = field.annotation
        obj = getattr(config, group)
        for name in cls.model_fields:
            if cls.model_fields[name].annotation in (int, float):
                path = f"{group}.{name}"
                rows[path] = _field_row(path, cls, name, getattr(obj, name))
    for policy in config.policies:
        cls = type(policy)
        for name, f in cls.model_fields.items():
            if f.annotation in (int, float) and name != "start_year":
                path = f"policies.{policy.policy_type}.{name}"
                rows.setdefault(path, _field_row(path, cls, name, getattr(policy, name)))
    return rows


def with_overrides(config: ModelConfig, overrides: dict[str, object]) -> ModelConfig:
    """A validated copy of ``config`` with values set by path (see ``numeric_parameters``).

    ``run.*`` paths are accepted too. Unknown paths raise ``KeyError`` naming the valid
    ones; out-of-range values raise pydantic's ``ValidationError``.
    """
    data = config.model_dump()
    for path, value in overrides.items():
        parts = path.split(".")
        if parts[0] == "policies" and len(parts) == 3:
            matches = [p for p in data["policies"] if p["type"] == parts[1]]
            if not matches or parts[2] not in matches[0]:
                raise KeyError(f"unknown parameter path '{path}'; policies in this configuration: {sorted({p['type'] for p in data['policies']})}")
            for p in matches:
                p[parts[2]] = value
            continue
        if len(parts) != 2 or parts[0] not in data or not isinstance(data[parts[0]], dict) or parts[1] not in data[parts[0]]:
            valid = sorted(numeric_parameters(config)) + [f"run.{k}" for k in RunSettings.model_fields]
            raise KeyError(f"unknown parameter path '{path}'; valid paths include: {', '.join(valid)}")
        data[parts[0]][parts[1]] = value
    return ModelConfig.model_validate(data)
