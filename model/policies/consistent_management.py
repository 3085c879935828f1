"""Consistent management (report's next steps: "consistent, equitable management"): line-manager training and standards."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from model import employers
from model.parameters import ASSUMPTION, param
from model.policies.base import Effects, Policy, register
from model.population import MID

if TYPE_CHECKING:
    from model.career_model import CareerModel


@register
class ConsistentManagement(Policy):
    """Line-manager training and standards, so support no longer depends on which manager one has."""

    policy_type: ClassVar[str] = "consistent_management"
    report_heading: ClassVar[str] = "Build healthy, inclusive cultures"
    type: Literal["consistent_management"] = "consistent_management"
    coverage: float = param(0.5, 0, 1, unit="proportion per year", source=ASSUMPTION, doc="Chance each year that an untrained mid/senior researcher in a reached employer is trained.", plausible=(0.2, 1.0))
    consistency: float = param(0.7, 0, 1, unit="proportion", source=ASSUMPTION, doc="How far training pulls a manager's support to the standard (1: every trained manager gives the standard).", plausible=(0.4, 0.9))
    standard: float = param(0.8, 0, 1, unit="support (0-1)", source=ASSUMPTION, doc="Support a trained manager gives at full consistency.", plausible=(0.6, 0.9))
    employer_share: float = param(1.0, 0, 1, unit="proportion of employers", source=ASSUMPTION, doc="Share of employers taking part.", plausible=(0.2, 1.0))
    training_cost: float = param(1500, 0, 1e5, unit="GBP per manager trained", source=ASSUMPTION, doc="One-off cost of training a manager.", plausible=(500, 4000))
    cost_per_report_year: float = param(300, 0, 1e5, unit="GBP per managed researcher-year", source=ASSUMPTION, doc="Yearly cost of a trained manager's time per researcher they manage (regular career conversations).", plausible=(100, 1000))

    def apply_effects(self, fx: Effects) -> None:  # noqa: D102
        fx.manager_consistency = max(fx.manager_consistency, self.consistency)
        fx.manager_standard = max(fx.manager_standard, self.standard)

    def start_of_year(self, model: CareerModel) -> None:  # noqa: D102
        pop = model.pop
        alive = model.alive_idx()
        can = alive[(pop.stage[alive] >= MID) & ~pop.manager_trained[alive] & employers.in_reach(model, alive, self.employer_share)]
        trained = can[model.streams.uniform("manager_training", can, model.year) < self.coverage]
        pop.manager_trained[trained] = True
        managed = alive[pop.manager[alive] >= 0]
        with_trained = managed[pop.manager_trained[pop.manager[managed]]]
        model.book(self.policy_type, "manager_trained", can, trained, pounds=self.training_cost)
        model.book(self.policy_type, "trained_manager", managed, with_trained, months=12.0, pounds=self.cost_per_report_year)
