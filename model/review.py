"""The yearly review of every active researcher, as vector operations.

Stages, in order (each a function below): ageing and service; caring onset and end;
barriers and tacit access; promotion; satisfaction; exits (retirement, then competing
voluntary reasons) and sector moves; open-ended conversion and redundancy. Each
random question has its own decision in the run's streams (step: the year):
``caring_change``, ``care_spell_in_review``, ``promotion``, ``satisfaction_noise``,
``exit``, ``redundancy``, ``redeploy_redundant``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from model import caring as caring_spells
from model import disclosure, employers, managers, pipeline, resilience, sectors, uncertainty
from model.contracts import start_gaps
from model.population import CARING, DISSATISFACTION, DOCTORAL, GAP, MID, OTHER_SECTOR, PERMANENT, RETIREMENT

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


REVIEW_DRAWS = ("caring_change", "promotion", "satisfaction_noise", "exit")  # drawn for everyone reviewed, in one pass
_HALF_ULP = 2.0**-54  # Streams._open's shift into (0, 1)


@dataclass
class _Review:
    """What the stages of one review share: the researchers and the columns read once."""

    idx: np.ndarray
    age: np.ndarray
    contract: np.ndarray  # unchanged until the redundancies at the end
    stage: np.ndarray
    in_post: np.ndarray
    load: np.ndarray | None = None
    inclusion: np.ndarray | None = None
    unadjusted: np.ndarray | None = None
    unadjusted_physical: np.ndarray | None = None
    protected: np.ndarray | None = None
    mentored: np.ndarray | None = None
    support: np.ndarray | None = None
    tacit: np.ndarray | None = None
    satisfaction: np.ndarray | None = None
    stay: np.ndarray | None = None
    u: np.ndarray | None = None  # the review's uniforms, one row per decision in REVIEW_DRAWS


def yearly_review(model: CareerModel, idx: np.ndarray) -> None:
    """Run the review for researchers ``idx`` (all active at the end of the year), stage by stage."""
    r = age_and_service(model, idx)
    caring_changes(model, r)
    barriers_and_tacit(model, r)
    promotion(model, r)
    now, low = satisfaction(model, r)
    exits_and_moves(model, r, now, low)
    contract_changes(model, r)


def age_and_service(model: CareerModel, idx: np.ndarray) -> _Review:
    """A year older and longer in stage; a year's service for those in post after the doctorate."""
    pop = model.pop
    age = pop.age[idx] + 1.0
    pop.age[idx] = age
    pop.years_in_stage[idx] += 1
    contract = pop.contract[idx]
    stage = pop.stage[idx]
    in_post = contract != GAP
    # Service is research employment after the doctorate: a doctoral researcher is a student.
    pop.service_years[idx] += in_post & (stage != DOCTORAL)
    u = model.streams.uniform_rows(REVIEW_DRAWS, idx, model.year)
    return _Review(idx=idx, age=age, contract=contract, stage=stage, in_post=in_post, u=u)


def caring_changes(model: CareerModel, r: _Review) -> None:
    """Caring over the life course: spells end, and start between 25 and 55 (gendered); one uniform each."""
    pop, c, idx = model.pop, model.params.caring, r.idx
    caring = pop.caring[idx]
    u = r.u[0]
    ends = caring & (u < 1.0 / c.mean_years)
    onset_rate = np.where(pop.woman[idx], c.onset_women, c.onset_men)
    starts = ~caring & (r.age >= 25) & (r.age <= 55) & (u < onset_rate)
    caring_spells.end_spells(model, idx[ends])
    new_carers = idx[starts]
    pop.caring[new_carers] = True
    first = new_carers[~pop.ever_carer[new_carers]]
    pop.ever_carer[first] = True
    pop.first_caring_year[first] = model.year
    caring_spells.start_spells(model, new_carers, "care_spell_in_review")


def barriers_and_tacit(model: CareerModel, r: _Review) -> None:
    """This year's caring load, inclusion and disability barriers, mentoring, manager support and tacit access."""
    pop, idx = model.pop, r.idx
    r.load = caring_spells.load(model, idx)  # this year's caring load (spells changed above)
    r.inclusion = 1.0 - employers.inclusion(model, idx)
    r.unadjusted, r.unadjusted_physical, tacit_factor = disclosure.barriers(model, idx)
    r.protected = pop.protected[idx]
    r.mentored = pop.mentor[idx] >= 0
    model.network.flush()  # insider-tie counts after this year's departures
    r.support = pop.manager_support[idx]
    r.tacit = managers.tacit_access(model, idx, r.support) * tacit_factor
    pop.tacit[idx] = r.tacit


def promotion(model: CareerModel, r: _Review) -> None:
    """Promotion (early -> mid -> senior; doctoral ends with the studentship) for those in post."""
    pop, p, fx, idx = model.pop, model.params, model.fx, r.idx
    pr = p.progression
    base = np.array([0.0, pr.promotion_early, pr.promotion_mid, 0.0])[r.stage]
    lhr = pr.network_effect * (r.tacit - 0.5) + pr.mentor_effect * r.mentored + fx.protected_promotion * r.protected
    lhr -= caring_spells.promotion_penalty(model, idx, r.load)
    lhr += pipeline.promotion_shift(model, idx, r.stage, r.load)  # part-time work and the senior step
    lhr += managers.promotion_shift(model, idx, r.support)
    lhr -= p.disability.promotion_penalty * r.inclusion * r.unadjusted_physical
    lhr -= p.social_class.promotion_penalty * r.inclusion * pop.working_class[idx]
    u = r.u[1]
    promoted = idx[r.in_post & (base > 0) & (u < np.minimum(0.95, base * np.exp(lhr)))]
    if len(promoted):
        pop.stage[promoted] += 1
        pop.years_in_stage[promoted] = 0
        model.network.changed_insider(pop.refresh_insider(promoted))
        model.mentoring.drop(promoted[pop.stage[promoted] == MID])
        model.counts["promotions"] += len(promoted)
        model.log(promoted, "promotion")
        r.mentored = pop.mentor[idx] >= 0


def satisfaction(model: CareerModel, r: _Review) -> tuple[np.ndarray, np.ndarray]:
    """Belonging in joint posts, then satisfaction: latent score + logistic noise, cut into 5 points.

    Returns this year's resilience and joint-post strain (the exit stage reads them).
    """
    pop, p, fx, idx = model.pop, model.params, model.fx, r.idx
    sectors.update_belonging(model, idx)
    low = sectors.strain(model, idx)
    now = resilience.current(model, idx)
    s = p.satisfaction
    latent = s.base + resilience.satisfaction_shift(model, idx, now) + s.permanent_effect * (r.contract == PERMANENT)
    latent -= s.gap_effect * pop.gap_this_year[idx]
    latent += s.mentor_effect * r.mentored
    latent -= caring_spells.satisfaction_penalty(model, idx, r.load)
    latent -= p.disability.satisfaction_penalty * r.inclusion * r.unadjusted
    latent += fx.protected_satisfaction * r.protected
    latent -= sectors.identity_cost(model, idx, low)
    noise = r.u[2] + _HALF_ULP  # Streams.logistic, from the review's uniforms
    latent += np.log(noise / (1.0 - noise))
    latent = uncertainty.ambivalent(model, idx, latent, r.contract)
    r.satisfaction = _points(latent)
    pop.satisfaction[idx] = r.satisfaction
    pop.gap_this_year[idx] = False
    pop.gap_before_spell[idx] = False
    return now, low


def exits_and_moves(model: CareerModel, r: _Review, now: np.ndarray, low: np.ndarray) -> None:
    """Exits (retirement first, then competing voluntary reasons in one draw); moves to another sector's post."""
    pop, ex, idx = model.pop, model.params.exits, r.idx
    retiring = r.age >= pop.retirement_age[idx]
    # by satisfaction point 1..5: dissatisfied (1-2), neither (3), satisfied (4-5)
    h_dis = np.array([0.0, ex.dissatisfied_rate, ex.dissatisfied_rate, ex.neither_rate, 0.0, 0.0])[r.satisfaction]
    h_dis = h_dis * resilience.dissatisfaction_exit_multiplier(model, idx, now)
    h_care = caring_spells.exit_hazard(model, idx, r.load)
    scale = np.where(r.mentored, ex.mentor_hazard_ratio, 1.0)
    total = (h_dis + h_care + ex.other_sector_rate * sectors.other_sector_multiplier(model, idx, low)) * scale
    pop.intends_to_leave[idx] = total >= INTENT_THRESHOLD
    u = r.u[3]
    leaving = ~retiring & (u < total)
    reason = np.where(u < h_dis * scale, DISSATISFACTION, np.where(u < (h_dis + h_care) * scale, CARING, OTHER_SECTOR))
    to_other = np.flatnonzero(leaving & (reason == OTHER_SECTOR))
    kept = to_other[sectors.diverted(model, idx[to_other])]  # a research post in another sector instead
    leaving[kept] = False
    groups = [(idx[retiring], RETIREMENT)]
    groups += [(idx[leaving & (reason == code)], code) for code in (DISSATISFACTION, CARING, OTHER_SECTOR)]
    model.exit_groups(groups)
    r.stay = ~retiring & ~leaving
    moving = r.stay & r.in_post  # leaving changes no one's contract
    moving[moving] = sectors.movers(model, idx[moving])
    moving[kept] = True
    sectors.move(model, idx[moving])


def contract_changes(model: CareerModel, r: _Review) -> None:
    """Policies' end-of-review step (open-ended conversion); redundancy of permanent posts, which a policy may avert (redeployment)."""
    pop = model.pop
    rest = r.idx[r.stay]
    for policy in model.hooked["yearly_review"]:
        policy.yearly_review(model, rest)
    permanent = rest[pop.contract[rest] == PERMANENT]
    redundant = permanent[model.streams.uniform("redundancy", permanent, model.year) < model.redundancy_rate]
    if len(redundant):
        kept = model.kept_by_policies("redundancy", redundant)  # redeployment
        gone = np.setdiff1d(redundant, kept, assume_unique=True) if len(kept) else redundant
        model.log(gone, "redundant")
        start_gaps(model, gone)
