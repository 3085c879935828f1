"""Cross-sector networks (report: "strengthen links with third sector organisations"): events linking researchers across sectors."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np

from model import sectors
from model.parameters import ASSUMPTION, param
from model.policies.base import Effects, Policy, register
from model.population import NHS, THIRD, UNIVERSITY

if TYPE_CHECKING:
    from model.career_model import CareerModel


@register
class CrossSectorNetworks(Policy):
    """Cross-sector networks: links between university, NHS and third-sector researchers, and support for joint-post holders."""

    policy_type: ClassVar[str] = "cross_sector"
    report_heading: ClassVar[str] = "Strengthen belonging across sectors"
    type: Literal["cross_sector"] = "cross_sector"
    coverage: float = param(0.2, 0, 1, unit="proportion per year", source=ASSUMPTION, doc="Share of researchers taking part in cross-sector events or networks in a year.", plausible=(0.05, 0.5))
    ties: int = param(2, 0, 20, unit="ties", source=ASSUMPTION, doc="Ties a participant forms with researchers in other sectors.", plausible=(1, 4))
    third_sector_share: float = param(0.4, 0, 1, unit="proportion", source="HSR UK report 2026 (links with third sector)", doc="Share of those ties made with third-sector researchers (where the participant is not in the third sector).", plausible=(0.2, 0.6))
    belonging_support: float = param(0.2, 0, 1, unit="belonging (0-1)", source=ASSUMPTION, doc="Belonging joint-post holders gain from shared structures (added to their belonging target).", plausible=(0.05, 0.4))
    cost_per_participant: float = param(250, 0, 1e5, unit="GBP per participant-year", source=ASSUMPTION, doc="Yearly cost per participant (events, coordination).", plausible=(100, 800))

    def apply_effects(self, fx: Effects) -> None:  # noqa: D102
        fx.belonging_support = max(fx.belonging_support, self.belonging_support)

    def start_of_year(self, model: CareerModel) -> None:  # noqa: D102
        pop, streams, year = model.pop, model.streams, model.year
        alive = model.alive_idx()
        taking_part = alive[streams.uniform("cross_sector_taking_part", alive, year) < self.coverage]
        if len(taking_part) and self.ties:
            a = np.repeat(taking_part, self.ties)
            # Tie j of a participant is draw j (rows: participants; columns: ties).
            u_third = np.column_stack([streams.uniform("cross_sector_third", taking_part, year, draw=j) for j in range(self.ties)]).ravel()
            u_partner = np.column_stack([streams.uniform("cross_sector_partner", taking_part, year, draw=j) for j in range(self.ties)]).ravel()
            own = pop.sector[a]
            third = (u_third < self.third_sector_share) & (own != THIRD)
            want = np.where(third, THIRD, np.where(own == UNIVERSITY, NHS, UNIVERSITY))
            b = np.full(len(a), -1)
            for code in (UNIVERSITY, NHS, THIRD):
                pool = alive[pop.sector[alive] == code]
                where = np.flatnonzero(want == code)
                if len(pool) and len(where):
                    b[where] = pool[(u_partner[where] * len(pool)).astype(np.int64)]  # the partner depends on the pool
            ok = b >= 0
            sectors.link(model, a[ok], b[ok])
        model.book(self.policy_type, "cross_sector_network", alive, taking_part, months=12.0, pounds=self.cost_per_participant)
