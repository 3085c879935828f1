"""Joint NHS–academic posts (report: "Strengthen belonging across sectors")."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np

from model.parameters import ASSUMPTION, param
from model.policies.base import Effects, Policy, register
from model.policies.coverage import hold_share
from model.population import EARLY, GAP, UNIVERSITY

if TYPE_CHECKING:
    from model.career_model import CareerModel


@register
class JointPosts(Policy):
    """Joint NHS–academic posts with cross-sector networks."""

    policy_type: ClassVar[str] = "joint_posts"
    report_heading: ClassVar[str] = "Strengthen belonging across sectors"
    type: Literal["joint_posts"] = "joint_posts"
    coverage: float = param(0.3, 0, 1, unit="proportion", source=ASSUMPTION, doc="Share of NHS and third-sector researchers in post (early and later) holding a joint post at a time.", plausible=(0.1, 0.6))
    cross_sector_ties: int = param(2, 0, 20, unit="ties", source=ASSUMPTION, doc="Ties to university researchers a joint post brings.", plausible=(1, 4))
    renewal_effect: float = param(0.4, 0, 3, unit="log-odds", source=ASSUMPTION, doc="Renewal gain of a joint post (two employers, two funding routes).", plausible=(0.1, 0.8))
    identity_cost: float = param(0.15, 0, 3, unit="latent points", source="HSR UK report 2026 (fragmented identities)", doc="Satisfaction cost of a fragmented career identity at no belonging (paid in proportion to 1 - belonging).", plausible=(0.0, 0.6))
    cost_per_post_year: float = param(3000, 0, 1e5, unit="GBP per post-year", source=ASSUMPTION, doc="Yearly coordination cost of one joint post.", plausible=(1000, 8000))

    def apply_effects(self, fx: Effects) -> None:  # noqa: D102
        fx.joint_renewal = max(fx.joint_renewal, self.renewal_effect)
        fx.joint_identity_cost = max(fx.joint_identity_cost, self.identity_cost)

    def start_of_year(self, model: CareerModel) -> None:  # noqa: D102
        pop = model.pop
        alive = model.alive_idx()
        # A joint post is a post: only researchers in post hold one (a gap ends it: contracts.start_gaps).
        eligible = alive[(pop.sector[alive] != UNIVERSITY) & (pop.stage[alive] >= EARLY) & (pop.contract[alive] != GAP)]
        previous = eligible[pop.joint_post[eligible]]
        holders = hold_share(pop.joint_post, alive, eligible, self.coverage, model.streams, "joint_post", model.year)
        model.network.add_cross_sector_ties(np.setdiff1d(holders, previous, assume_unique=True), self.cross_sector_ties, alive)
        model.book(self.policy_type, "joint_post", eligible, holders, months=12.0, pounds=self.cost_per_post_year)
