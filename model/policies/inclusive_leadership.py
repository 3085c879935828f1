"""Inclusive leadership (report: "Build healthy, inclusive cultures"): training and practice that shrink classed and disability penalties."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from model import employers
from model.parameters import ASSUMPTION, param
from model.policies.base import Policy, register

if TYPE_CHECKING:
    from model.career_model import CareerModel


@register
class InclusiveLeadership(Policy):
    """Inclusive-leadership training and practice that shrink classed and disability penalties."""

    policy_type: ClassVar[str] = "inclusive_leadership"
    report_heading: ClassVar[str] = "Build healthy, inclusive cultures"
    type: Literal["inclusive_leadership"] = "inclusive_leadership"
    penalty_reduction: float = param(0.5, 0, 1, unit="proportion", source=ASSUMPTION, doc="Culture the policy works towards in the employers it reaches: share of classed and disability penalties removed (reached gradually, employers.culture_change_rate).", plausible=(0.2, 0.8))
    employer_share: float = param(1.0, 0, 1, unit="proportion of employers", source=ASSUMPTION, doc="Share of employers the policy reaches (the same employers every year).", plausible=(0.2, 1.0))
    cost_per_researcher_year: float = param(100, 0, 1e4, unit="GBP per researcher-year", source=ASSUMPTION, doc="Yearly cost per active researcher in a reached employer (training, leadership time).", plausible=(50, 300))

    def start_of_year(self, model: CareerModel) -> None:  # noqa: D102
        model.employers.raise_inclusion(self.employer_share, self.penalty_reduction)
        alive = model.alive_idx()
        reached = alive[employers.in_reach(model, alive, self.employer_share)]
        model.book(self.policy_type, "inclusive_employer", alive, reached, months=12.0, pounds=self.cost_per_researcher_year)
