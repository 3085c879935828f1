"""The willingness to pay for one more employed researcher-year: declared once, with its source and range.

Net monetary benefit and the acceptability curve need a value a funder puts on one more
year of a researcher in a paid post. The default is what one such year costs a funder
to buy directly, a research post's full economic cost (fEC): the model's employer cost
of an early-career researcher (``gaps.salary_early``, £4,200 a month = £50,400 a year)
plus a UK university's estates and indirect costs per research FTE in a non-laboratory
subject (£4,918 and £59,486 a year; University of Huddersfield fEC guidance, the rates
every university computes by the TRAC method), £114,804, rounded to £115,000. The
plausible range runs from the salary alone (£50,000: a funder paying no overheads, as
charities do) to £150,000 (a senior post's salary with the same overheads). The
acceptability curve spans £0 to £250,000.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict

from model.parameters import param

SOURCE = "fEC research post"


class WillingnessToPay(BaseModel):
    """The declared value of one more employed researcher-year and the thresholds of the acceptability curve."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    per_employed_year: float = param(
        115_000, 0, 1e7, unit="GBP per employed researcher-year", source=SOURCE, plausible=(50_000, 150_000),
        doc="What a funder will pay for one more researcher-year in a paid post: a research post's full economic cost.",
    )  # fmt: skip
    curve_max: float = param(250_000, 0, 1e7, unit="GBP per employed researcher-year", source=SOURCE, doc="Highest threshold on the acceptability curve.")
    curve_step: float = param(5_000, 1, 1e6, unit="GBP per employed researcher-year", source=SOURCE, doc="Spacing of the curve's thresholds.")

    def thresholds(self) -> np.ndarray:
        """The acceptability curve's thresholds: 0 to ``curve_max`` by ``curve_step``, with the default and the range's ends."""
        plausible = type(self).model_fields["per_employed_year"].json_schema_extra["plausible"]  # type: ignore[index]
        grid = np.arange(0.0, self.curve_max + self.curve_step / 2, self.curve_step)
        return np.unique(np.concatenate([grid, [self.per_employed_year, *plausible]]))


WTP = WillingnessToPay()


def plausible_range() -> tuple[float, float]:
    """The declared plausible range of the willingness to pay."""
    low, high = WillingnessToPay.model_fields["per_employed_year"].json_schema_extra["plausible"]  # type: ignore[index]
    return float(low), float(high)
