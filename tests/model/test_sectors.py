"""Sector moves and belonging: belonging in joint posts changes satisfaction and leaving; cross-sector links change moves.

Paired runs with common seeds; ``clearly_negative`` needs the mean paired difference
beyond 2.5 standard errors.
"""

import numpy as np
from model_testing import clearly_negative, small_config, with_policies

from model.career_model import CareerModel
from model.population import OTHER_SECTOR, THIRD
from model.sectors import cross_ties

REPS = 8


def joint_outcomes(model: CareerModel) -> tuple[float, float]:
    """Among joint-post holders: share satisfied (active at the end), share who left for another sector (ever held one)."""
    pop = model.pop
    n = pop.n
    joint = np.flatnonzero(pop.joint_post[:n])
    alive = joint[pop.alive[joint]]
    satisfied = float((pop.satisfaction[alive] >= 4).mean())
    left = float((~pop.alive[joint] & (pop.exit_reason[joint] == OTHER_SECTOR)).mean())
    return satisfied, left


def test_belonging_in_joint_posts_raises_satisfaction_and_lowers_leaving():
    # Low against high belonging, all else equal (the same joint posts, a visible identity cost).
    posts = {"type": "joint_posts", "coverage": 0.6, "identity_cost": 0.8}
    low = with_policies(small_config(population=1500, years=10, **{"sectors.belonging_start": 0.05, "sectors.belonging_floor": 0.0}), posts)
    high = with_policies(small_config(population=1500, years=10, **{"sectors.belonging_start": 0.9, "sectors.belonging_floor": 0.9}), posts)
    d = np.array([np.subtract(joint_outcomes(CareerModel(high, s).run()), joint_outcomes(CareerModel(low, s).run())) for s in np.random.SeedSequence(41).spawn(REPS)])
    assert clearly_negative(-d[:, 0])  # more satisfied with higher belonging
    assert clearly_negative(d[:, 1])  # fewer leave for another sector


def _moves_and_third_sector_links(model: CareerModel) -> tuple[float, float]:
    pop = model.pop
    moves = sum(row["sector_moves"] for row in model.yearly_rows)
    a = pop.alive_idx()
    third = a[pop.sector[a] == THIRD]
    return float(moves), float(cross_ties(model, third).mean())


def test_cross_sector_networks_raise_links_and_moves():
    base = small_config(population=1500, years=10)
    linked = with_policies(base, {"type": "cross_sector", "coverage": 0.4})
    d = np.array([np.subtract(_moves_and_third_sector_links(CareerModel(linked, s).run()), _moves_and_third_sector_links(CareerModel(base, s).run())) for s in np.random.SeedSequence(42).spawn(REPS)])
    assert clearly_negative(-d[:, 0])  # more moves between sectors
    assert clearly_negative(-d[:, 1])  # third-sector researchers have more ties to other sectors
