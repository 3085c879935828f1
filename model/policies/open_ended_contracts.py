"""Open-ended contracts (report: "Make HSR careers stable"): conversion after N years' service, redeployment when funding ends."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np
from pydantic import PrivateAttr

from model.contracts import schedule_ends
from model.parameters import ASSUMPTION, param
from model.policies.base import Policy, register
from model.population import DOCTORAL, FIXED, NO_MONTH, PERMANENT
from model.posts import UNDERWRITTEN

if TYPE_CHECKING:
    from model.career_model import CareerModel


@register
class OpenEndedContracts(Policy):
    """Move fixed-term researchers onto open-ended contracts after N years; redeploy at funding end."""

    policy_type: ClassVar[str] = "open_ended_contracts"
    report_heading: ClassVar[str] = "Make HSR careers stable"
    adds: ClassVar[str] = "salary_months"
    type: Literal["open_ended_contracts"] = "open_ended_contracts"
    after_years: float = param(4, 0, 40, unit="years of service", source="Fixed-Term Employees Regulations 2002 (4-year rule)", doc="Continuous service after which a fixed-term post becomes open-ended.", plausible=(2, 6))
    redeploy_prob: float = param(0.8, 0, 1, unit="probability", source=ASSUMPTION, doc="Chance an open-ended researcher whose funding ends is redeployed rather than made redundant.", plausible=(0.5, 0.95))
    redeploy_months: float = param(3, 0, 24, unit="months of salary", source=ASSUMPTION, doc="Salary months the employer pays while redeploying.", plausible=(1, 6))
    _spell_end: dict[int, int] = PrivateAttr(default_factory=dict)  # researcher -> month their redeployment spell ends

    def yearly_review(self, model: CareerModel, idx: np.ndarray) -> None:
        """Convert fixed-term post-doctoral researchers with ``after_years`` of continuous service (to the end of this year).

        Doctoral researchers are students, never converted. A converted post keeps its grant's
        end date: when the grant ends the employer seeks new funding or redeploys (``funding_end``).
        """
        pop = model.pop
        since = pop.in_post_since[idx].astype(np.int64)
        continuous = np.where(since != NO_MONTH, (model.month + 1 - since) / 12.0, 0.0)  # months in post since the last gap
        convert = idx[(pop.contract[idx] == FIXED) & (pop.stage[idx] != DOCTORAL) & (continuous >= self.after_years - 1e-9)]
        if len(convert):
            pop.contract[convert] = PERMANENT
            pop.open_ended[convert] = True  # the grant's end date stays: contracts.month handles it
            model.log(convert, "open_ended")
        model.book(self.policy_type, "conversion", convert, convert)

    def funding_end(self, model: CareerModel, idx: np.ndarray) -> np.ndarray:
        """Redeploy ``redeploy_prob`` of them once, paying up to ``redeploy_months`` of salary on an underwritten post.

        Redeployment is once per funding end: one whose redeployment spell itself ends without
        a new post is not redeployed again (the post is made redundant).
        """
        pop, month = model.pop, model.month
        spells = self._spell_end
        ending_spell = np.array([spells.get(int(i)) == month for i in idx], dtype=bool)
        for gone in [i for i, end in spells.items() if end <= month]:
            del spells[gone]
        eligible = idx[~ending_spell]
        redeployed = eligible[model.streams.uniform("redeploy_at_funding_end", eligible, month) < self.redeploy_prob]
        months = max(1, int(round(self.redeploy_months)))
        spells.update((int(i), month + months) for i in redeployed)
        if len(redeployed):
            model.counts["underwritten"] += len(redeployed)
            model.log(redeployed, "redeployed")
            model.posts.hold(redeployed, UNDERWRITTEN)
            schedule_ends(model, redeployed, np.full(len(redeployed), months, dtype=np.int32), contract=PERMANENT)
        model.book(self.policy_type, "redeployment", eligible, redeployed, months=months, pounds=months * model.salary_months(pop.stage[redeployed]))
        return redeployed

    def redundancy(self, model: CareerModel, idx: np.ndarray) -> np.ndarray:
        """Redeploy ``redeploy_prob`` of the open-ended staff facing redundancy, at ``redeploy_months`` of salary."""
        pop = model.pop
        kept = idx[model.streams.uniform("redeploy_redundant", idx, model.year) < self.redeploy_prob]
        if len(kept):
            model.log(kept, "redeployed")
        pounds = self.redeploy_months * model.salary_months(pop.stage[kept])
        model.book(self.policy_type, "redeployment", idx, kept, months=self.redeploy_months, pounds=pounds)
        return kept
