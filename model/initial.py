"""The initial population: researchers placed in stages, posts and contracts at the start of the burn-in.

The burn-in replaces this population with the model's own steady state, so these
shares and ages only need to be roughly right (they are not calibrated).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model import contracts
from model.population import DOCTORAL, NO_MONTH, PERMANENT
from model.posts import ESTABLISHMENT, GRANT, p_permanent

if TYPE_CHECKING:
    from model.career_model import CareerModel

INITIAL_STAGE_MIX = np.array([0.15, 0.35, 0.30, 0.20])  # doctoral, early, mid, senior
INITIAL_AGE_MIN = np.array([24.0, 28.0, 35.0, 45.0])
INITIAL_AGE_SPAN = np.array([8.0, 10.0, 15.0, 17.0])


def initial_population(model: CareerModel) -> None:
    """Add ``run.population`` researchers: stage, age, service, posts and contract ends, and their first ties."""
    n = model.config.run.population
    ids, year = model.next_ids(n), model.year
    # stage, service, permanent post, time left on a fixed-term contract (the age is an entry draw)
    u = model.streams.uniforms("initial_population", ids, year, 4).T
    stage = np.searchsorted(np.cumsum(INITIAL_STAGE_MIX), u[0], side="right").clip(0, 3).astype(np.int8)
    idx = model.add_researchers(stage, lambda ua: INITIAL_AGE_MIN[stage] + ua * INITIAL_AGE_SPAN[stage])
    pop = model.pop
    pop.service_years[idx] = np.where(stage == DOCTORAL, 0.0, np.floor((pop.age[idx] - 28.0).clip(0) * u[1]))
    pop.ever_in_post[idx] = stage != DOCTORAL
    # Their service so far counts as continuous (the model has no record of earlier breaks).
    pop.in_post_since[idx] = np.where(stage == DOCTORAL, NO_MONTH, model.month - 12 * pop.service_years[idx]).astype(np.int32)
    permanent = u[2] < p_permanent(model, stage, pop.sector[idx])
    # The establishment bounds open-ended posts: any beyond it start on grants.
    perm = idx[permanent][: model.posts.establishment]
    pop.contract[perm] = PERMANENT
    model.posts.hold(perm, ESTABLISHMENT)
    fixed = np.setdiff1d(idx, perm, assume_unique=True)
    length = contracts.contract_months(model, fixed, pop.stage[fixed])
    contracts.schedule_ends(model, fixed, 1 + (u[3][fixed - idx[0]] * length).astype(np.int32))
    grant = fixed[pop.stage[fixed] != DOCTORAL]
    model.posts.hold(grant, GRANT)
    model.posts.funded_grant += len(grant)
    model.network.add(idx, idx)
