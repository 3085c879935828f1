"""The yearly review of every active researcher, as vector operations.

Order within the review: ageing and service; caring onset and end; tacit access;
promotion; satisfaction; exits (retirement, then competing voluntary reasons);
open-ended conversion and redundancy. Each step draws its own vector of uniforms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model import caring as caring_spells
from model import disclosure, employers, managers, pipeline, resilience, sectors, uncertainty
from model.contracts import start_gaps
from model.population import CARING, DISSATISFACTION, DOCTORAL, FIXED, GAP, MID, OTHER_SECTOR, PERMANENT, RETIREMENT

if TYPE_CHECKING:
    from model.career_model import CareerModel

# Ordered-logistic cut points on the latent satisfaction score: 1-2 dissatisfied, 3 neither, 4-5 satisfied.
CUTPOINTS = np.array([-2.0, -1.0, 0.0, 1.5])
INTENT_THRESHOLD = 0.10  # a yearly exit hazard at or above this counts as intending to leave


def _points(latent: np.ndarray) -> np.ndarray:
    """Satisfaction points 1-5: one plus the cut points below each latent score (``1 + searchsorted(CUTPOINTS, latent)``)."""
    points = np.ones(len(latent), dtype=np.int8)
    for cut in CUTPOINTS.tolist():  # four comparisons cost less than a binary search per researcher
        points += latent > cut
    return points


def yearly_review(model: CareerModel, idx: np.ndarray) -> None:
    """Run the review for researchers ``idx`` (all active at the end of the year)."""
    pop, p, fx, rng = model.pop, model.params, model.fx, model.rng
    n = len(idx)
    # Columns read once here and reused while nothing in the review changes them.
    age = pop.age[idx] + 1.0
    pop.age[idx] = age
    pop.years_in_stage[idx] += 1
    contract = pop.contract[idx]  # unchanged until the redundancies at the end
    stage = pop.stage[idx]
    in_post = contract != GAP
    # Service is research employment after the doctorate: a doctoral researcher is a student.
    pop.service_years[idx] += in_post & (stage != DOCTORAL)

    # caring over the life course (onset between 25 and 55; gendered)
    c = p.caring
    caring = pop.caring[idx]
    u = rng.random(n)
    ends = caring & (u < 1.0 / c.mean_years)
    onset_rate = np.where(pop.woman[idx], c.onset_women, c.onset_men)
    starts = ~caring & (age >= 25) & (age <= 55) & (u < onset_rate)
    caring_spells.end_spells(model, idx[ends])
    new_carers = idx[starts]
    pop.caring[new_carers] = True
    first = new_carers[~pop.ever_carer[new_carers]]
    pop.ever_carer[first] = True
    pop.first_caring_year[first] = model.year
    caring_spells.start_spells(model, new_carers, rng)
    load = caring_spells.load(model, idx)  # this year's caring load (spells changed above)
    inclusion = 1.0 - employers.inclusion(model, idx)
    unadjusted, unadjusted_physical, tacit_factor = disclosure.barriers(model, idx)
    protected = pop.protected[idx]
    mentored = pop.mentor[idx] >= 0
    model.network.flush()  # insider-tie counts after this year's departures
    support = pop.manager_support[idx]
    tacit = managers.tacit_access(model, idx, support) * tacit_factor
    pop.tacit[idx] = tacit

    # promotion (early -> mid -> senior; doctoral ends with the studentship)
    pr = p.progression
    base = np.array([0.0, pr.promotion_early, pr.promotion_mid, 0.0])[stage]
    lhr = pr.network_effect * (tacit - 0.5) + pr.mentor_effect * mentored + fx.protected_promotion * protected
    lhr -= caring_spells.promotion_penalty(model, idx, load)
    lhr += pipeline.promotion_shift(model, idx, stage, load)  # part-time work and the senior step
    lhr += managers.promotion_shift(model, idx, support)
    lhr -= p.disability.promotion_penalty * inclusion * unadjusted_physical
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

    # belonging in joint posts, then satisfaction: latent score + logistic noise, cut into 5 points
    sectors.update_belonging(model, idx)
    low = sectors.strain(model, idx)
    now = resilience.current(model, idx)
    s = p.satisfaction
    latent = s.base + resilience.satisfaction_shift(model, idx, now) + s.permanent_effect * (contract == PERMANENT)
    latent -= s.gap_effect * pop.gap_this_year[idx]
    latent += s.mentor_effect * mentored
    latent -= caring_spells.satisfaction_penalty(model, idx, load)
    latent -= p.disability.satisfaction_penalty * inclusion * unadjusted
    latent += fx.protected_satisfaction * protected
    latent -= sectors.identity_cost(model, idx, low)
    latent += rng.logistic(size=n)
    latent = uncertainty.ambivalent(model, idx, latent, contract)
    satisfaction = _points(latent)
    pop.satisfaction[idx] = satisfaction
    pop.gap_this_year[idx] = False

    # exits: retirement first, then competing voluntary reasons in one draw
    ex = p.exits
    retiring = age >= pop.retirement_age[idx]
    # by satisfaction point 1..5: dissatisfied (1-2), neither (3), satisfied (4-5)
    h_dis = np.array([0.0, ex.dissatisfied_rate, ex.dissatisfied_rate, ex.neither_rate, 0.0, 0.0])[satisfaction]
    h_dis = h_dis * resilience.dissatisfaction_exit_multiplier(model, idx, now)
    h_care = caring_spells.exit_hazard(model, idx, load)
    scale = np.where(mentored, ex.mentor_hazard_ratio, 1.0)
    total = (h_dis + h_care + ex.other_sector_rate * sectors.other_sector_multiplier(model, idx, low)) * scale
    pop.intends_to_leave[idx] = total >= INTENT_THRESHOLD
    u = rng.random(n)
    leaving = ~retiring & (u < total)
    reason = np.where(u < h_dis * scale, DISSATISFACTION, np.where(u < (h_dis + h_care) * scale, CARING, OTHER_SECTOR))
    to_other = np.flatnonzero(leaving & (reason == OTHER_SECTOR))
    kept = to_other[sectors.diverted(model, idx[to_other])]  # a research post in another sector instead
    leaving[kept] = False
    groups = [(idx[retiring], RETIREMENT)]
    groups += [(idx[leaving & (reason == code)], code) for code in (DISSATISFACTION, CARING, OTHER_SECTOR)]
    model.exit_groups(groups)
    stay = ~retiring & ~leaving
    moving = stay & in_post  # leaving changes no one's contract
    moving[moving] = sectors.movers(model, idx[moving])
    moving[kept] = True
    sectors.move(model, idx[moving])

    # open-ended contracts after N years' service (policy); redundancy of permanent posts
    rest = idx[stay]
    u = rng.random(len(rest))
    # Doctoral researchers are students, never converted. A converted post keeps its grant's
    # end date: when the grant ends the employer seeks new funding or underwrites (contracts.funding_ends).
    if fx.open_ended_after < float("inf"):  # no service reaches an infinite threshold
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
