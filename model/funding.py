"""The funding climate: an index around 1.0 with noise, random shocks and scheduled shocks.

The index multiplies post creation (entry cohort size) and shifts the log-odds of
renewal and re-employment. A shock cuts the index by ``size`` and recovers linearly
over ``recovery_years``; shocks add up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from model.parameters import FundingParams, no_bool_for_number

if TYPE_CHECKING:
    from model.streams import Streams


class Shock(BaseModel):
    """A funding shock a scenario schedules: in reported ``year``, cut the index by ``size``."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    year: int = Field(ge=-200, le=500, description="Reported year the shock hits (0 = first year of the horizon).")
    size: float = Field(gt=0, le=0.95, description="Cut to the funding index (0.25 = a 25% cut).")
    recovery_years: float = Field(3, ge=0, le=50, description="Years to recover linearly to the trend.")

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool(cls, value: Any, info: ValidationInfo) -> Any:
        return no_bool_for_number(cls, value, info)


class FundingClimate:
    """Yearly funding index: AR(1) noise around 1, minus the remaining depth of every shock."""

    def __init__(self, params: FundingParams, shocks: list[Shock], streams: Streams) -> None:
        self.params = params
        self.scheduled: dict[int, list[Shock]] = {}
        for s in shocks:
            self.scheduled.setdefault(s.year, []).append(s)
        self.streams = streams  # the climate's draws for a year come from its own model-level stream ("climate", year)
        self.deviation = 0.0
        self.active_shocks: list[tuple[int, float, float]] = []  # (start year, size, recovery years)
        self.index = 1.0

    def _depth(self, year: int) -> float:
        depth = 0.0
        for start, size, recovery in self.active_shocks:
            elapsed = year - start
            if recovery <= 0:
                remaining = 1.0 if elapsed == 0 else 0.0
            else:
                remaining = max(0.0, 1.0 - elapsed / recovery)
            depth += size * remaining
        return depth

    def advance(self, year: int) -> float:
        """Move to ``year`` and return its index (never below 0.05)."""
        p = self.params
        rng = self.streams.generator("climate", year)
        self.deviation = p.persistence * self.deviation + p.noise_sd * float(rng.standard_normal())
        u, draw = rng.random(2)
        if u < p.shock_rate:
            size = min(0.9, -p.shock_size * float(np.log1p(-draw)))  # exponential with mean shock_size
            self.active_shocks.append((year, size, p.shock_recovery_years))
        for s in self.scheduled.get(year, ()):
            self.active_shocks.append((year, s.size, s.recovery_years))
        depth = self._depth(year)
        self.active_shocks = [s for s in self.active_shocks if year - s[0] <= s[2]]
        self.index = max(0.05, 1.0 + self.deviation - depth)
        return self.index
