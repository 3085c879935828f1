"""The yearly review of every active researcher, as vector operations.

Order within the review: ageing and service; caring onset and end; tacit access;
promotion; satisfaction; exits (retirement, then competing voluntary reasons);
open-ended conversion and redundancy. Each step draws its own vector of uniforms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model.contracts import start_gaps
from model.population import CARING, DISSATISFACTION, DOCTORAL, EARLY, FIXED, GAP, MID, OTHER_SECTOR, PERMANENT, RETIREMENT

if TYPE_CHECKING:
    from model.career_model import CareerModel

# Ordered-logistic cut points on the latent satisfaction score: 1-2 dissatisfied, 3 neither, 4-5 satisfied.
CUTPOINTS = np.array([-2.0, -1.0, 0.0, 1.5])
INTENT_THRESHOLD = 0.10  # a yearly exit hazard at or above this counts as intending to leave


def yearly_review(model: CareerModel, idx: np.ndarray) -> None:
    """Run the review for researchers ``idx`` (all active at the end of the year)."""
    pop, p, fx, rng = model.pop, model.params, model.fx, model.rng
    n = len(idx)
    pop.age[idx] += 1.0
    pop.years_in_stage[idx] += 1
    in_post = pop.contract[idx] != GAP
    # Service is research employment after the doctorate: a doctoral researcher is a student.
    pop.service_years[idx] += in_post & (pop.stage[idx] != DOCTORAL)

    # caring over the life course (onset between 25 and 55; gendered)
    c = p.caring
    caring = pop.caring[idx]
    u = rng.random(n)
    ends = caring & (u < 1.0 / c.mean_years)
    onset_rate = np.where(pop.woman[idx], c.onset_women, c.onset_men)
    age = pop.age[idx]
    starts = ~caring & (age >= 25) & (age <= 55) & (u < onset_rate)
    pop.caring[idx[ends]] = False
    new_carers = idx[starts]
    pop.caring[new_carers] = True
    first = new_carers[~pop.ever_carer[new_carers]]
    pop.ever_carer[first] = True
    pop.first_caring_year[first] = model.year

    caring = pop.caring[idx]
    relief = 1.0 - fx.caring_relief
    inclusion = 1.0 - fx.inclusion
    unadjusted = pop.disabled[idx] & ~pop.adjusted[idx]
    mentored = pop.mentor[idx] >= 0
    model.network.flush()  # insider-tie counts after this year's departures
    tacit = np.minimum(1.0, pop.insider_ties[idx] / p.network.tacit_reference_ties)
    pop.tacit[idx] = tacit

    # promotion (early -> mid -> senior; doctoral ends with the studentship)
    pr = p.progression
    stage = pop.stage[idx]
    base = np.where(stage == EARLY, pr.promotion_early, np.where(stage == MID, pr.promotion_mid, 0.0))
    lhr = pr.network_effect * (tacit - 0.5) + pr.mentor_effect * mentored + fx.protected_promotion * pop.protected[idx]
    lhr -= c.promotion_penalty * relief * caring
    lhr -= p.disability.promotion_penalty * inclusion * unadjusted
    lhr -= p.social_class.promotion_penalty * inclusion * pop.working_class[idx]
    promoted = idx[in_post & (base > 0) & (rng.random(n) < np.minimum(0.95, base * np.exp(lhr)))]
    if len(promoted):
        pop.stage[promoted] += 1
        pop.years_in_stage[promoted] = 0
        model.network.changed_insider(pop.refresh_insider(promoted))
        model.mentoring.drop(promoted[pop.stage[promoted] == MID])
        model.counts["promotions"] += len(promoted)
        model.log(promoted, "promotion")
        mentored = pop.mentor[idx] >= 0

    # satisfaction: latent score + logistic noise, cut into 5 points
    s = p.satisfaction
    contract = pop.contract[idx]
    latent = s.base + s.resilience_effect * pop.resilience[idx] + s.permanent_effect * (contract == PERMANENT)
    latent -= s.gap_effect * pop.gap_this_year[idx]
    latent += s.mentor_effect * mentored
    latent -= c.satisfaction_penalty * relief * caring
    latent -= p.disability.satisfaction_penalty * inclusion * unadjusted
    latent += fx.protected_satisfaction * pop.protected[idx]
    latent -= fx.joint_identity_cost * pop.joint_post[idx]
    latent += rng.logistic(size=n)
    satisfaction = (1 + np.searchsorted(CUTPOINTS, latent)).astype(np.int8)
    pop.satisfaction[idx] = satisfaction
    pop.gap_this_year[idx] = False

    # exits: retirement first, then competing voluntary reasons in one draw
    ex = p.exits
    retiring = pop.age[idx] >= pop.retirement_age[idx]
    h_dis = np.where(satisfaction <= 2, ex.dissatisfied_rate, np.where(satisfaction == 3, ex.neither_rate, 0.0))
    h_care = c.exit_rate * relief * caring
    scale = np.where(mentored, ex.mentor_hazard_ratio, 1.0)
    total = (h_dis + h_care + ex.other_sector_rate) * scale
    pop.intends_to_leave[idx] = total >= INTENT_THRESHOLD
    u = rng.random(n)
    leaving = ~retiring & (u < total)
    reason = np.where(u < h_dis * scale, DISSATISFACTION, np.where(u < (h_dis + h_care) * scale, CARING, OTHER_SECTOR))
    model.exit(idx[retiring], RETIREMENT)
    for code in (DISSATISFACTION, CARING, OTHER_SECTOR):
        model.exit(idx[leaving & (reason == code)], code)
    stay = ~retiring & ~leaving

    # open-ended contracts after N years' service (policy); redundancy of permanent posts
    rest = idx[stay]
    u = rng.random(len(rest))
    # Doctoral researchers are students, never converted. A converted post keeps its grant's
    # end date: when the grant ends the employer seeks new funding or underwrites (contracts.funding_ends).
    convert = rest[(pop.contract[rest] == FIXED) & (pop.stage[rest] != DOCTORAL) & (pop.service_years[rest] >= fx.open_ended_after)]
    if len(convert):
        pop.contract[convert] = PERMANENT
        pop.open_ended[convert] = True  # the grant's end date stays: contracts.month handles it
        model.log(convert, "open_ended")
    redundant = rest[(pop.contract[rest] == PERMANENT) & (u < model.redundancy_rate)]
    if len(redundant):
        redeployed = rng.random(len(redundant)) < fx.redeploy_prob
        kept = redundant[redeployed]
        if len(kept):
            cost = fx.redeploy_months * model.salary_months(pop.stage[kept]).sum()
            model.add_spend("open_ended_contracts", float(cost))
            model.log(kept, "redeployed")
        model.log(redundant[~redeployed], "redundant")
        start_gaps(model, redundant[~redeployed])
