"""Hardship support (report: "support for those without financial safety nets"): grants when a gap has used up one's savings."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np

from model.parameters import ASSUMPTION, param
from model.policies.base import Policy, register

if TYPE_CHECKING:
    from model.career_model import CareerModel


@register
class HardshipSupport(Policy):
    """Hardship grants for researchers in a gap whose safety net has run out."""

    policy_type: ClassVar[str] = "hardship_support"
    report_heading: ClassVar[str] = "Tackle inequalities structurally"
    type: Literal["hardship_support"] = "hardship_support"
    months: float = param(3, 0.5, 24, unit="months", source=ASSUMPTION, doc="Months of living costs a grant covers (once per gap).", plausible=(1, 6))
    monthly_amount: float = param(1500, 0, 1e5, unit="GBP per month", source=ASSUMPTION, doc="Grant per month covered.", plausible=(1000, 2500))
    yearly_budget: float = param(300_000, 0, 1e9, unit="GBP per year", source=ASSUMPTION, doc="Hardship budget per year.", plausible=(5e4, 1e6))

    def start_of_year(self, model: CareerModel) -> None:  # noqa: D102
        self._budget_left = self.yearly_budget

    def safety_net_gone(self, model: CareerModel, idx: np.ndarray) -> None:
        """One grant per gap to those of ``idx`` not yet helped, in random order while the budget lasts."""
        pop = model.pop
        cost = self.months * self.monthly_amount
        need = idx[~pop.hardship_this_gap[idx]]
        affordable = int(self._budget_left // cost) if cost > 0 else len(need)
        helped = model.streams.order("hardship_order", need, model.month)[:affordable]
        pop.safety_net[helped] += self.months
        pop.hardship_this_gap[helped] = True
        self._budget_left -= cost * len(helped)
        model.book(self.policy_type, "hardship_grant", need, helped, months=self.months, pounds=cost)
