"""Protected research time (report: "Build healthy, inclusive cultures") for early and mid-career researchers in post."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from model.parameters import ASSUMPTION, param
from model.policies.base import Effects, Policy, register
from model.policies.coverage import hold_share
from model.population import EARLY, GAP, MID

if TYPE_CHECKING:
    from model.career_model import CareerModel


@register
class ProtectedTime(Policy):
    """Protected research time for early and mid-career researchers."""

    policy_type: ClassVar[str] = "protected_time"
    report_heading: ClassVar[str] = "Build healthy, inclusive cultures"
    adds: ClassVar[str] = "salary_months"
    type: Literal["protected_time"] = "protected_time"
    coverage: float = param(0.5, 0, 1, unit="proportion", source=ASSUMPTION, doc="Share of early and mid-career researchers in post who hold protected time at a time (it ends on promotion to senior).", plausible=(0.2, 1.0))
    share_of_time: float = param(0.2, 0, 1, unit="proportion of a week", source=ASSUMPTION, doc="Protected share of working time (costed at salary).", plausible=(0.1, 0.4))
    promotion_effect: float = param(0.3, 0, 3, unit="log hazard ratio", source=ASSUMPTION, doc="Promotion gain from protected time.", plausible=(0.1, 0.6))
    renewal_effect: float = param(0.3, 0, 3, unit="log-odds", source="Petersen et al. 2012 (rationale)", doc="Renewal gain (a steadier publication record).", plausible=(0.1, 0.6))
    satisfaction_effect: float = param(0.3, 0, 3, unit="latent points", source=ASSUMPTION, doc="Satisfaction gain from protected time.", plausible=(0.1, 0.6))

    def apply_effects(self, fx: Effects) -> None:  # noqa: D102
        fx.protected_promotion = max(fx.protected_promotion, self.promotion_effect)
        fx.protected_renewal = max(fx.protected_renewal, self.renewal_effect)
        fx.protected_satisfaction = max(fx.protected_satisfaction, self.satisfaction_effect)

    def start_of_year(self, model: CareerModel) -> None:  # noqa: D102
        # Held by coverage of early/mid researchers in post at a time; it ends on promotion
        # to senior or in a gap (nothing to buy out), and every holder is costed each year.
        pop = model.pop
        alive = model.alive_idx()
        eligible = alive[((pop.stage[alive] == EARLY) | (pop.stage[alive] == MID)) & (pop.contract[alive] != GAP)]
        covered = hold_share(pop.protected, alive, eligible, self.coverage, model.streams, "protected_time", model.year)
        pounds = self.share_of_time * 12 * model.salary_months(pop.stage[covered])
        model.book(self.policy_type, "protected_time", eligible, covered, months=12.0, pounds=pounds)
