"""Bridge funding (report: "Fix funding gaps"): salary between contracts, up to a cap, from a yearly budget.

Eligible in a gap month: researchers at one of ``stages`` with ``min_service_years`` of
service, and (``post_phd``) PhD completers waiting for their first post-doctoral post
whatever their service — the post-PhD transition the report names as high-risk. A paid
month is a paid month: it does not count as a gap for satisfaction (``model/contracts.py``)
and, while the cover can last (``paid_to``), the researcher is as uncertain as on a
contract ending then (``model/uncertainty.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np
from pydantic import Field

from model.parameters import ASSUMPTION, STAGES, param
from model.policies.base import Policy, register
from model.population import DOCTORAL

if TYPE_CHECKING:
    from model.career_model import CareerModel


@register
class BridgeFunding(Policy):
    """Pay salary between contracts for eligible researchers, up to a cap and a yearly budget."""

    policy_type: ClassVar[str] = "bridge_funding"
    report_heading: ClassVar[str] = "Fix funding gaps"
    adds: ClassVar[str] = "salary_months"
    type: Literal["bridge_funding"] = "bridge_funding"
    max_months: int = param(6, 1, 36, unit="months", source=ASSUMPTION, doc="Most months bridged per gap.", plausible=(3, 12))
    stages: list[Literal["doctoral", "early", "mid", "senior"]] = Field(default_factory=lambda: ["early"], min_length=1, description=f"Eligible career stages, from {list(STAGES)}.")
    min_service_years: float = param(2, 0, 40, unit="years", source=ASSUMPTION, doc="Years of research service needed to be eligible.", plausible=(0, 4))
    yearly_budget: float = param(1_000_000, 0, 1e9, unit="GBP per year", source=ASSUMPTION, doc="Bridge budget per year, first come first served.", plausible=(2e5, 3e6))
    post_phd: bool = Field(True, description="PhD completers waiting for their first post-doctoral post are eligible whatever their service (the report's high-risk post-PhD transition).")

    def start_of_year(self, model: CareerModel) -> None:  # noqa: D102
        self._budget_left = self.yearly_budget

    def eligible(self, model: CareerModel, idx: np.ndarray) -> np.ndarray:
        """Which of ``idx`` (in a gap) the rules make eligible this month: stage and service, or post-PhD; under the months cap."""
        pop = model.pop
        stage_ok = np.zeros(len(STAGES), dtype=bool)  # a lookup by stage code (np.isin costs ~10 µs a month here)
        stage_ok[[STAGES.index(s) for s in self.stages]] = True
        ok = stage_ok[pop.stage[idx]] & (pop.service_years[idx] >= self.min_service_years)
        if self.post_phd:  # finished the studentship (no longer doctoral), never yet in a post-doctoral post
            ok |= (pop.stage[idx] != DOCTORAL) & ~pop.ever_in_post[idx]
        return ok & (pop.bridged_this_gap[idx] < self.max_months)

    def gap_month(self, model: CareerModel, idx: np.ndarray, unpaid: np.ndarray) -> np.ndarray:
        """Pay the eligible in random order (first come, first served) until the budget runs out."""
        pop = model.pop
        eligible = unpaid & self.eligible(model, idx)
        covered = np.zeros(len(idx), dtype=bool)
        where = np.flatnonzero(eligible)
        if len(where) == 0:
            return covered
        where = where[np.argsort(model.streams.uniform("bridge_order", idx[where], model.month), kind="stable")]  # first come, first served
        cost = model.salary_months(pop.stage[idx[where]])
        paid = where[np.cumsum(cost) <= self._budget_left]
        covered[paid] = True
        pounds = model.salary_months(pop.stage[idx[paid]])
        self._budget_left -= float(pounds.sum())
        # The cover can run to the cap: the months left after this one (bridged_this_gap counts this one next).
        pop.paid_to[idx[paid]] = model.month + self.max_months - 1 - pop.bridged_this_gap[idx[paid]]
        model.book(self.policy_type, "bridged_month", idx[eligible], idx[paid], months=1.0, pounds=pounds)
        return covered
