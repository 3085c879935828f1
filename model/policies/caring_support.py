"""Caring support (report: "Tackle inequalities structurally"): caring-friendly policies for every researcher with caring duties."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from model.parameters import ASSUMPTION, param
from model.policies.base import Effects, Policy, register

if TYPE_CHECKING:
    from model.career_model import CareerModel


@register
class CaringSupport(Policy):
    """Caring-friendly policies: flexible hours, paid leave, no-travel options, cover funds."""

    policy_type: ClassVar[str] = "caring_support"
    report_heading: ClassVar[str] = "Tackle inequalities structurally"
    type: Literal["caring_support"] = "caring_support"
    penalty_reduction: float = param(0.6, 0, 1, unit="proportion", source=ASSUMPTION, doc="Share of every caring penalty (promotion, mobility, satisfaction, exit) removed.", plausible=(0.3, 0.9))
    cost_per_carer_year: float = param(2000, 0, 1e5, unit="GBP per carer-year", source=ASSUMPTION, doc="Yearly cost per researcher with caring duties.", plausible=(1000, 5000))

    def apply_effects(self, fx: Effects) -> None:  # noqa: D102
        fx.caring_relief = max(fx.caring_relief, self.penalty_reduction)

    def start_of_year(self, model: CareerModel) -> None:  # noqa: D102
        alive = model.alive_idx()
        carers = alive[model.pop.caring[alive]]
        model.book(self.policy_type, "caring_support", carers, carers, months=12.0, pounds=self.cost_per_carer_year)
