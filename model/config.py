"""The model configuration: parameter groups, policies, scheduled shocks and run settings.

``ModelConfig`` is what ``run_one(config, seed)`` takes and what a scenario file
resolves to. Its JSON Schema is the scenario schema.
"""

from __future__ import annotations

from pydantic import Field

from model.funding import Shock
from model.parameters import ASSUMPTION, ModelParams, ParamGroup, param
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
    log_events: bool = Field(True, description="Keep the event log (contract ends, gaps, promotions, exits).")


class ModelConfig(ModelParams):
    """Everything a single run needs, apart from its seed."""

    policies: list[PolicySpec] = Field(default_factory=list, description="Policy levers in force (each with a start year).")
    shocks: list[Shock] = Field(default_factory=list, description="Scheduled funding shocks.")
    run: RunSettings = Field(default_factory=RunSettings)

    def researcher_years(self) -> int:
        """Rough size of one run, to refuse absurd work before it starts."""
        return self.run.population * (self.run.years + self.run.burn_in_years)
