"""Line managers: consistent, better manager support raises renewal and promotion, at a cost.

Paired runs with common seeds: the consistent-management policy (every eligible manager
trained in the first year, support pulled to a high standard) against the baseline.
``clearly_negative`` needs the mean paired difference beyond 2.5 standard errors.
"""

import numpy as np
from model_testing import clearly_negative, small_config, with_policies

from model import run_one
from model.career_model import CareerModel

REPS = 8


def renewal_share(result) -> float:
    """Share of fixed-term contract ends followed at once by another post (reported years)."""
    ev = result.events
    renewed = int(((ev["event"] == "renewed") & (ev["year"] >= 0)).sum())  # the yearly counts cover reported years only
    ends = int(result.yearly["contract_ends"].sum())
    return renewed / ends


def promotions(result) -> float:
    """Promotions per researcher-year."""
    return float(result.yearly["promotions"].sum() / result.yearly["active"].sum())


def test_consistent_manager_support_raises_renewal_and_promotion():
    base = small_config(population=1200, years=10)
    trained = with_policies(base, {"type": "consistent_management", "coverage": 1.0, "consistency": 0.9, "standard": 0.9})
    seeds = np.random.SeedSequence(21).spawn(REPS)
    r0 = [run_one(base, s) for s in seeds]
    r1 = [run_one(trained, s) for s in seeds]
    assert clearly_negative(np.array([renewal_share(a) - renewal_share(b) for a, b in zip(r0, r1, strict=True)]))
    assert clearly_negative(np.array([promotions(a) - promotions(b) for a, b in zip(r0, r1, strict=True)]))
    assert all(r["yearly"]["spend_consistent_management"].gt(0).all() for r in ({"yearly": b.yearly} for b in r1))


def test_managers_are_senior_colleagues_at_the_same_employer():
    m = CareerModel(small_config(population=800, years=4), 2)
    m.step()  # the next year's assignment has run
    pop = m.pop
    a = pop.alive_idx()
    has = a[pop.manager[a] >= 0]
    mgr = pop.manager[has]
    assert len(has) > 0.6 * len(a)
    assert (pop.employer[mgr] == pop.employer[has]).all() and (pop.stage[mgr] > pop.stage[has]).all() and pop.alive[mgr].all()
