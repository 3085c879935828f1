"""Disclosure and adjustments: inclusive leadership raises disclosure; adjustments reach only those who disclose.

A higher prevalence than the UK's gives the tests power (the direction does not depend
on it). Paired runs with common seeds; ``clearly_negative`` needs the mean paired
difference beyond 2.5 standard errors.
"""

import numpy as np
from model_testing import clearly_negative, small_config, with_policies

from model import run_one
from model.career_model import CareerModel

REPS = 8
BASE = {"population.share_disabled": 0.3}


def _mean(result, column: str) -> float:
    return float(result.yearly[column].mean())


def test_inclusive_leadership_raises_disclosure_and_so_adjustments():
    base = with_policies(small_config(population=1200, years=10, **BASE), {"type": "disability_adjustments"})
    inclusive = with_policies(base, {"type": "disability_adjustments"}, {"type": "inclusive_leadership", "penalty_reduction": 0.8})
    seeds = np.random.SeedSequence(31).spawn(REPS)
    r0 = [run_one(base, s) for s in seeds]
    r1 = [run_one(inclusive, s) for s in seeds]
    disclosed = np.array([_mean(a, "share_disabled_disclosed") - _mean(b, "share_disabled_disclosed") for a, b in zip(r0, r1, strict=True)])
    adjusted = np.array([_mean(a, "share_disabled_adjusted") - _mean(b, "share_disabled_adjusted") for a, b in zip(r0, r1, strict=True)])
    assert clearly_negative(disclosed)  # more disclose where leadership is inclusive
    assert clearly_negative(adjusted)  # and so more have adjustments under the same adjustments policy


def test_adjustments_reach_only_those_who_disclose():
    cfg = with_policies(small_config(population=1200, years=8, **BASE), {"type": "disability_adjustments", "coverage": 1.0})
    m = CareerModel(cfg, 5).run()
    pop = m.pop
    n = pop.n
    dis = pop.disabled[:n]
    assert not (pop.adjusted[:n] & ~pop.disclosed[:n]).any()
    assert pop.disclosed[:n][dis].mean() < 0.95  # some never disclose, so never get adjustments
    alive = pop.alive_idx()
    # with full coverage, everyone alive who disclosed before this year has adjustments; the undisclosed have none
    assert pop.adjusted[alive][pop.disclosed[alive]].mean() > 0.8
    assert pop.adjusted[alive][pop.disabled[alive] & ~pop.disclosed[alive]].sum() == 0


def test_undisclosed_neurodivergent_researchers_have_less_tacit_knowledge():
    # Distinct barriers: neurodivergent researchers without adjustments lose tacit access
    # (unwritten rules), physically disabled ones do not. Paired: barrier on vs off.
    on = small_config(population=1200, years=8, **BASE, **{"disability.tacit_barrier": 0.5})
    off = small_config(population=1200, years=8, **BASE, **{"disability.tacit_barrier": 0.0})
    diffs = []
    for s in np.random.SeedSequence(32).spawn(REPS):
        vals = []
        for cfg in (off, on):
            pop = CareerModel(cfg, s).run().pop
            a = pop.alive_idx()
            nd = pop.neurodivergent[a] & ~pop.adjusted[a]
            phys = pop.disabled[a] & ~pop.neurodivergent[a] & ~pop.adjusted[a]
            vals.append(pop.tacit[a][nd].mean() - pop.tacit[a][phys].mean())
        diffs.append(vals[1] - vals[0])
    assert clearly_negative(np.array(diffs))
