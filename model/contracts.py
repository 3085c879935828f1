"""Month-resolution processes: contract ends, gap months, new posts.

The model runs one Mesa event per month (``schedule_recurring``); it hands these
functions the researchers whose contract ends that month (from a calendar keyed by
month, so nobody is checked who has nothing due) and those in a gap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model.population import DOCTORAL, EARLY, FIXED, FUNDING_GAP, GAP, PERMANENT

if TYPE_CHECKING:
    from model.career_model import CareerModel


def logistic(x: np.ndarray) -> np.ndarray:
    """Elementwise logistic function, safe for large |x|."""
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def refresh_renewal_base(model: CareerModel, idx: np.ndarray) -> None:
    """Recompute the yearly part of the renewal shift (network, penalties, policies) for ``idx``.

    Everything in it changes only at the year boundary (review, policies), so it is
    computed once a year rather than at every contract end and gap month.
    """
    pop, p, fx = model.pop, model.params, model.fx
    base = p.contracts.network_effect * (pop.tacit[idx] - 0.5)
    inclusion = 1.0 - fx.inclusion
    base -= p.social_class.renewal_penalty * inclusion * pop.working_class[idx]
    base -= p.disability.renewal_penalty * inclusion * (pop.disabled[idx] & ~pop.adjusted[idx])
    base -= p.caring.mobility_penalty * (1.0 - fx.caring_relief) * pop.caring[idx]
    base += fx.protected_renewal * pop.protected[idx]
    base += fx.joint_renewal * pop.joint_post[idx]
    pop.renewal_base[idx] = base


def renewal_shift(model: CareerModel, idx: np.ndarray) -> np.ndarray:
    """Log-odds shift of renewal and re-employment: the yearly part plus mentoring (which can end mid-year)."""
    pop = model.pop
    return pop.renewal_base[idx] + model.params.contracts.mentor_effect * (pop.mentor[idx] >= 0)


def p_permanent(model: CareerModel, stage: np.ndarray, sector: np.ndarray) -> np.ndarray:
    """Chance a new post is permanent, by stage (none for doctoral) and sector."""
    c = model.params.contracts
    by_stage = np.array([0.0, c.p_permanent_early, c.p_permanent_mid, c.p_permanent_senior])
    boost = np.array([0.0, c.nhs_permanent_boost, c.third_sector_permanent_boost])
    p = by_stage[stage] + boost[sector]
    p[stage == DOCTORAL] = 0.0
    return np.minimum(1.0, p)


def contract_months(model: CareerModel, stage: np.ndarray) -> np.ndarray:
    """Lengths of new fixed-term contracts in whole months (studentships for doctoral)."""
    c = model.params.contracts
    rng = model.rng
    months = np.maximum(3, np.rint(rng.gamma(c.fixed_term_shape, c.fixed_term_mean_months / c.fixed_term_shape, len(stage))))
    doctoral = stage == DOCTORAL
    if doctoral.any():
        months[doctoral] = np.maximum(12, np.rint(c.doctoral_months + (rng.random(int(doctoral.sum())) - 0.5) * 12))
    return months.astype(np.int32)


def schedule_ends(model: CareerModel, idx: np.ndarray, months: np.ndarray, contract: int = FIXED) -> None:
    """Put fixed-term contract ends (or, for open-ended posts, grant ends) on the calendar ``months`` from now."""
    pop = model.pop
    ends = model.month + months
    pop.contract[idx] = contract
    pop.contract_end[idx] = ends
    model.log(idx, "contract_start", months)
    calendar = model.calendar
    for i, e in zip(idx.tolist(), ends.tolist(), strict=True):
        calendar.setdefault(e, []).append(i)


def start_posts(model: CareerModel, idx: np.ndarray) -> None:
    """New posts: permanent by stage/sector chance, else fixed-term with a drawn length."""
    if len(idx) == 0:
        return
    pop = model.pop
    model.counts["entrants_hired"] += int(np.count_nonzero(~pop.ever_in_post[idx]))
    pop.ever_in_post[idx] = True
    pop.gap_months[idx] = 0
    pop.unpaid_months[idx] = 0
    pop.bridged_this_gap[idx] = 0
    pop.hardship_this_gap[idx] = False
    permanent = model.rng.random(len(idx)) < p_permanent(model, pop.stage[idx], pop.sector[idx])
    perm = idx[permanent]
    pop.contract[perm] = PERMANENT
    pop.contract_end[perm] = -1
    fixed = idx[~permanent]
    schedule_ends(model, fixed, contract_months(model, pop.stage[fixed]))


def start_gaps(model: CareerModel, idx: np.ndarray) -> None:
    """Out of contract: from next month, search month by month."""
    pop = model.pop
    pop.contract[idx] = GAP
    pop.contract_end[idx] = -1
    pop.gap_months[idx] = 0
    pop.unpaid_months[idx] = 0
    pop.bridged_this_gap[idx] = 0
    pop.hardship_this_gap[idx] = False
    pop.open_ended[idx] = False
    pop.gap_this_year[idx] = True
    model.counts["gap_starts"] += len(idx)
    model.counts["gap_people"] += int(np.count_nonzero(pop.last_gap_year[idx] != model.year))
    pop.last_gap_year[idx] = model.year
    model.log(idx, "gap_start")


def funding_ends(model: CareerModel, idx: np.ndarray) -> None:
    """The grant behind an open-ended post ends: new grant funding, else the employer underwrites or makes redundant.

    New funding comes with the chance a fixed-term contract is renewed. Otherwise the
    employer redeploys (``redeploy_prob``), paying ``redeploy_months`` of salary that no
    grant covers (booked to ``open_ended_contracts``) before the next grant-funded post
    starts; or the post is made redundant and the researcher enters a gap.
    """
    pop, fx, rng = model.pop, model.fx, model.rng
    model.counts["funding_ends"] += len(idx)
    funded = rng.random(len(idx)) < logistic(model.renewal_logit + renewal_shift(model, idx))
    rest = idx[~funded]
    redeployed = rest[rng.random(len(rest)) < fx.redeploy_prob]
    redundant = np.setdiff1d(rest, redeployed, assume_unique=True)
    if len(redeployed):
        model.add_spend("open_ended_contracts", float(fx.redeploy_months * model.salary_months(pop.stage[redeployed]).sum()))
        model.counts["underwritten"] += len(redeployed)
        model.log(redeployed, "redeployed")
    keep = np.concatenate([idx[funded], redeployed])
    schedule_ends(model, keep, contract_months(model, pop.stage[keep]), contract=PERMANENT)
    if len(redundant):
        model.log(redundant, "redundant")
        start_gaps(model, redundant)


def contract_ends(model: CareerModel, idx: np.ndarray) -> None:
    """Fixed-term contracts end: renewal or a new post at once, else a gap. Studentships end the doctoral stage."""
    pop = model.pop
    open_ended = pop.open_ended[idx]
    if open_ended.any():
        funding_ends(model, idx[open_ended])
        idx = idx[~open_ended]
    doctoral = idx[pop.stage[idx] == DOCTORAL]
    pop.stage[doctoral] = EARLY
    pop.years_in_stage[doctoral] = 0
    model.counts["contract_ends"] += len(idx)
    renewed = model.rng.random(len(idx)) < logistic(model.renewal_logit + renewal_shift(model, idx))
    model.log(idx[renewed], "renewed")
    start_posts(model, idx[renewed])
    start_gaps(model, idx[~renewed])


def gap_month(model: CareerModel, idx: np.ndarray) -> None:
    """End of a gap month: bridge or draw on the safety net; leave; or find a post."""
    pop, g, rng = model.pop, model.params.gaps, model.rng
    pop.gap_months[idx] += 1
    pop.gap_months_total[idx] += 1
    bridged = model.bridge_months(idx)
    if bridged.any():
        b = idx[bridged]
        pop.bridged_months[b] += 1
        pop.bridged_this_gap[b] += 1
        unpaid = idx[~bridged]
    else:
        b, unpaid = idx[:0], idx
    pop.unpaid_months[unpaid] += 1
    pop.safety_net[unpaid] = np.maximum(0.0, pop.safety_net[unpaid] - 1.0)
    broke = unpaid[pop.safety_net[unpaid] <= 0]
    if len(broke):
        model.hardship_top_up(broke)
    hazard = g.exit_base_month + g.exit_per_unpaid_month * (pop.unpaid_months[unpaid] - 1)
    hazard = hazard * np.where(pop.safety_net[unpaid] <= 0, g.no_safety_net_multiplier, 1.0)
    hazard *= np.exp(-model.params.exits.resilience_effect * pop.resilience[unpaid])
    leaving = rng.random(len(unpaid)) < hazard
    left = unpaid[leaving]
    if len(left):
        model.log(left, "gap_end", "left")
        model.exit(left, FUNDING_GAP)
    searching = np.concatenate([b, unpaid[~leaving]]) if len(b) else unpaid[~leaving]
    found = rng.random(len(searching)) < logistic(model.reemploy_logit + renewal_shift(model, searching))
    hired = searching[found]
    if len(hired):
        months = pop.gap_months[hired]
        model.counts["reemployed"] += len(hired)
        model.counts["reemployed_after_2m"] += int(np.count_nonzero(months > 2))
        model.log(hired, "gap_end", months)
        start_posts(model, hired)
