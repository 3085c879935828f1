"""Disability adjustments (report: "Tackle inequalities structurally"): adjustments in place for a share of those who disclosed."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np

from model.parameters import ASSUMPTION, param
from model.policies.base import Policy, register
from model.policies.coverage import hold_share

if TYPE_CHECKING:
    from model.career_model import CareerModel


@register
class DisabilityAdjustments(Policy):
    """Put workplace adjustments in place for disabled and neurodivergent researchers who have disclosed."""

    policy_type: ClassVar[str] = "disability_adjustments"
    report_heading: ClassVar[str] = "Tackle inequalities structurally"
    type: Literal["disability_adjustments"] = "disability_adjustments"
    coverage: float = param(0.9, 0, 1, unit="proportion", source=ASSUMPTION, doc="Share of researchers who have disclosed a disability or neurodivergence with adjustments in place at a time (those adjusted without the policy count).", plausible=(0.5, 1.0))
    cost_per_person_year: float = param(1500, 0, 1e5, unit="GBP per person-year", source=ASSUMPTION, doc="Yearly cost of adjustments for one person.", plausible=(500, 4000))

    def start_of_year(self, model: CareerModel) -> None:  # noqa: D102
        pop = model.pop
        alive = model.alive_idx()
        # Adjustments reach only those who disclose; coverage is the share of them adjusted at a time.
        disclosed = alive[pop.disclosed[alive]]
        already = disclosed[pop.adjusted[disclosed] & ~pop.adjusted_by_policy[disclosed]]
        pool = np.setdiff1d(disclosed, already, assume_unique=True)
        needed = max(0, int(round(self.coverage * len(disclosed))) - len(already))
        funded = hold_share(pop.adjusted_by_policy, alive, pool, needed / len(pool) if len(pool) else 0.0, model.streams, "adjustments_funded", model.year)
        pop.adjusted[pool] = pop.adjusted_by_policy[pool]
        # Eligible: the disclosed without adjustments from their employer (those already adjusted count towards coverage).
        model.book(self.policy_type, "adjustments", pool, funded, months=12.0, pounds=self.cost_per_person_year)
