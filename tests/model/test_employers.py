"""Employers and culture: culture changes slowly, and a policy reaching a share of employers acts there.

Outcome: the class gap in leaving research (share of working-class researchers who left
for a reason other than retirement, minus the share of others), in the employers an
inclusive-leadership policy reaches and in those it does not, paired against the
baseline with common seeds (the reached employers are the same in both arms: each
employer's rank is drawn from its own stream). Stronger-than-default classed penalties
give the test power; the direction does not depend on their size.
"""

import numpy as np
from model_testing import clearly_negative, small_config, with_policies

from model.career_model import CareerModel
from model.population import RETIREMENT

REPS = 10
SHARE = 0.5


def class_gap_by_reach(model: CareerModel) -> tuple[float, float]:
    """Class gap in leaving research (working class minus others): (reached employers, others)."""
    pop = model.pop
    n = pop.n
    ever = np.flatnonzero(pop.alive[:n] | (pop.exit_year[:n] >= 0))
    left = ~pop.alive[ever] & (pop.exit_reason[ever] != RETIREMENT)
    wc = pop.working_class[ever]
    reached = model.employers.reached(SHARE)[pop.employer[ever]]
    out = []
    for where in (reached, ~reached):
        out.append(left[where & wc].mean() - left[where & ~wc].mean())
    return out[0], out[1]


def _run(cfg, seed) -> CareerModel:
    return CareerModel(cfg, seed).run()


def test_inclusive_leadership_reaching_half_the_employers_acts_there():
    base = small_config(
        population=1500,
        years=12,
        **{"population.share_working_class": 0.4, "social_class.renewal_penalty": 1.5, "social_class.promotion_penalty": 1.5},
    )
    policy = with_policies(base, {"type": "inclusive_leadership", "employer_share": SHARE, "penalty_reduction": 0.9})
    seeds = np.random.SeedSequence(8).spawn(REPS)
    d = np.array([np.subtract(class_gap_by_reach(_run(policy, s)), class_gap_by_reach(_run(base, s))) for s in seeds])
    assert clearly_negative(d[:, 0])  # the class gap narrows where the policy reaches
    assert clearly_negative(d[:, 0] - d[:, 1])  # and more there than elsewhere


def test_culture_changes_slowly():
    cfg = with_policies(small_config(population=300, years=10), {"type": "inclusive_leadership", "employer_share": SHARE, "penalty_reduction": 0.8})
    m = CareerModel(cfg, 1)
    reached = m.employers.reached(SHARE)
    levels = []
    while m.running and m.year < 9:
        m.step()
        if m.year >= 0:
            levels.append(m.employers.inclusion[reached].mean())
    start = m.employers.baseline_inclusion[reached].mean()
    # After the first year culture has moved less than half-way; it keeps rising year on year
    # and is most of the way there after ten years (culture_change_rate 0.2 a year).
    assert levels[0] - start < 0.5 * (0.8 - start)
    assert np.all(np.diff(levels) > 0)
    assert levels[-1] - start > 0.8 * (0.8 - start)
    assert np.allclose(m.employers.inclusion[~reached], m.employers.baseline_inclusion[~reached])
