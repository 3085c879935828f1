"""Month-resolution processes: contract ends, gap months, new posts.

The model runs one Mesa event per month (``schedule_recurring``); it hands these
functions the researchers whose contract ends that month (``contract_end`` is the
calendar: one vector comparison finds them, in the order their ends were scheduled)
and those in a gap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model import caring, disclosure, employers, managers, resilience
from model.population import DOCTORAL, EARLY, FIXED, FUNDING_GAP, GAP, NO_MONTH, PERMANENT
from model.posts import ESTABLISHMENT

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
    inclusion = 1.0 - employers.inclusion(model, idx)
    base -= p.social_class.renewal_penalty * inclusion * pop.working_class[idx]
    base -= p.disability.renewal_penalty * inclusion * disclosure.unadjusted_physical(model, idx)
    base -= caring.renewal_penalty(model, idx)
    base += managers.renewal_shift(model, idx, pop.manager_support[idx])
    base += fx.protected_renewal * pop.protected[idx]
    base += fx.joint_renewal * pop.joint_post[idx]
    pop.renewal_base[idx] = base


def renewal_shift(model: CareerModel, idx: np.ndarray) -> np.ndarray:
    """Log-odds shift of renewal and re-employment: the yearly part plus mentoring (which can end mid-year)."""
    pop = model.pop
    return pop.renewal_base[idx] + model.params.contracts.mentor_effect * (pop.mentor[idx] >= 0)


def contract_months(model: CareerModel, idx: np.ndarray, stage: np.ndarray) -> np.ndarray:
    """Lengths of the new fixed-term contracts of ``idx`` in whole months (studentships for doctoral)."""
    c = model.params.contracts
    months = np.empty(len(idx))
    doctoral = stage == DOCTORAL
    if doctoral.any():
        u = model.streams.uniform("studentship_length", idx[doctoral], model.month)
        months[doctoral] = np.maximum(12, np.rint(c.doctoral_months + (u - 0.5) * 12))
    if not doctoral.all():
        scale = c.fixed_term_mean_months / c.fixed_term_shape
        months[~doctoral] = np.maximum(3, np.rint(model.streams.gamma("contract_length", idx[~doctoral], model.month, c.fixed_term_shape, scale)))
    return months.astype(np.int32)


def schedule_ends(model: CareerModel, idx: np.ndarray, months: np.ndarray, contract: int = FIXED) -> None:
    """Contracts for ``idx`` that end (for open-ended posts: whose grants end) ``months`` from now, in scheduling order."""
    pop = model.pop
    ends = model.month + months
    pop.contract[idx] = contract
    pop.contract_end[idx] = ends
    model.log(idx, "contract_start", months)
    pop.contract_seq[idx] = model.contract_seq + np.arange(len(idx))
    model.contract_seq += len(idx)


HIRE_GROUPS = ("outside", "doctoral", "woman", "working_class", "disabled", "carer")


def count_first_hires(model: CareerModel) -> None:
    """Count the year's first post-doctoral posts (entrants hired), in total and by group (for displacement).

    Run at the year's end, before the review: the groups are fixed at entry, and caring
    (the one that changes) changes only at entry and in the review, so this counts what
    counting at each hire would, with a fraction of the calls.
    """
    if not model.first_hires:
        return
    idx = np.concatenate(model.first_hires)
    model.first_hires = []
    pop, c = model.pop, model.counts
    c["entrants_hired"] += len(idx)
    c["entrants_hired_outside"] += int(np.count_nonzero(pop.entry_stage[idx] != DOCTORAL))
    c["entrants_hired_doctoral"] += int(np.count_nonzero(pop.entry_stage[idx] == DOCTORAL))
    c["entrants_hired_woman"] += int(np.count_nonzero(pop.woman[idx]))
    c["entrants_hired_working_class"] += int(np.count_nonzero(pop.working_class[idx]))
    c["entrants_hired_disabled"] += int(np.count_nonzero(pop.disabled[idx]))
    c["entrants_hired_carer"] += int(np.count_nonzero(pop.caring[idx]))


def start_post(model: CareerModel, idx: np.ndarray, kind: int, months: np.ndarray | None) -> None:
    """Researchers ``idx`` take posts of ``kind`` (``model.posts`` codes); grant posts run ``months``."""
    if len(idx) == 0:
        return
    pop = model.pop
    first = idx[~pop.ever_in_post[idx]]
    if len(first):
        model.first_hires.append(first)  # counted by group once a year (count_first_hires)
    # A first post or a post after a gap starts a spell of continuous service; a renewal continues it.
    fresh = idx[~pop.ever_in_post[idx] | (pop.contract[idx] == GAP)]
    pop.in_post_since[fresh] = model.month
    pop.paid_to[idx] = -1
    pop.ever_in_post[idx] = True
    pop.gap_months[idx] = 0
    pop.unpaid_months[idx] = 0
    pop.bridged_this_gap[idx] = 0
    pop.hardship_this_gap[idx] = False
    model.posts.hold(idx, kind)
    if kind == ESTABLISHMENT:
        pop.contract[idx] = PERMANENT
        pop.contract_end[idx] = -1
        pop.open_ended[idx] = False
        return
    open_ended = pop.open_ended[idx]  # a post made open-ended by policy stays so while grants come and go
    if not open_ended.any():  # the usual case: skip the empty second call
        schedule_ends(model, idx, months)
        return
    schedule_ends(model, idx[~open_ended], months[~open_ended])
    schedule_ends(model, idx[open_ended], months[open_ended], contract=PERMANENT)


def start_gaps(model: CareerModel, idx: np.ndarray) -> None:
    """Out of contract (and out of post): from next month, search month by month."""
    pop = model.pop
    model.posts.release(idx)
    pop.contract[idx] = GAP
    pop.contract_end[idx] = -1
    pop.gap_months[idx] = 0
    pop.unpaid_months[idx] = 0
    pop.bridged_this_gap[idx] = 0
    pop.hardship_this_gap[idx] = False
    pop.open_ended[idx] = False
    pop.joint_post[idx] = False  # a joint post ends with the post (and its belonging with it, as on a move)
    pop.belonging[idx] = -1.0
    pop.in_post_since[idx] = NO_MONTH
    pop.paid_to[idx] = -1
    pop.gap_before_spell[idx] = pop.gap_this_year[idx]
    pop.gap_this_year[idx] = True
    model.counts["gap_starts"] += len(idx)
    model.counts["gap_people"] += int(np.count_nonzero(pop.last_gap_year[idx] != model.year))
    pop.last_gap_year[idx] = model.year
    model.log(idx, "gap_start")


def offers(model: CareerModel, idx: np.ndarray, logit: float | np.ndarray) -> np.ndarray:
    """Which of ``idx`` get an offer through their own network this month (renewal or re-employment odds)."""
    return model.month_draws.uniform("offer", idx, model.month) < logistic(logit + renewal_shift(model, idx))


def gap_month(model: CareerModel, idx: np.ndarray) -> np.ndarray:
    """End of a gap month: bridge or draw on the safety net, or leave. Returns those still searching."""
    pop, g = model.pop, model.params.gaps
    pop.gap_months[idx] += 1
    pop.gap_months_total[idx] += 1
    bridged = None
    if model.hooked["gap_month"]:  # policies that pay gap months (bridge funding), each offered the months still unpaid
        bridged = np.zeros(len(idx), dtype=bool)
        for p in model.hooked["gap_month"]:
            bridged |= p.gap_month(model, idx, ~bridged)
    if bridged is not None and bridged.any():
        b = idx[bridged]
        pop.bridged_months[b] += 1
        pop.bridged_this_gap[b] += 1
        # A gap every month of which has been paid so far does not count as a gap this year (satisfaction).
        paid_through = b[pop.unpaid_months[b] == 0]
        pop.gap_this_year[paid_through] = pop.gap_before_spell[paid_through]
        unpaid = idx[~bridged]
        pop.gap_this_year[unpaid[pop.last_gap_year[unpaid] == model.year]] = True
    else:
        b, unpaid = idx[:0], idx
    unpaid_months = pop.unpaid_months[unpaid] + 1
    pop.unpaid_months[unpaid] = unpaid_months
    net = np.maximum(0.0, pop.safety_net[unpaid] - 1.0)
    pop.safety_net[unpaid] = net
    broke = net <= 0
    if model.hooked["safety_net_gone"] and broke.any():  # a policy may top up exhausted nets (hardship support), so read them again
        for p in model.hooked["safety_net_gone"]:
            p.safety_net_gone(model, unpaid[broke])
        net = pop.safety_net[unpaid]
        broke = net <= 0
    hazard = g.exit_base_month + g.exit_per_unpaid_month * (unpaid_months - 1)
    hazard = hazard * np.where(broke, g.no_safety_net_multiplier, 1.0)
    hazard *= resilience.gap_exit_multiplier(model, unpaid, net)
    leaving = model.month_draws.uniform("gap_exit", unpaid, model.month) < hazard
    left = unpaid[leaving]
    if len(left):
        model.log(left, "gap_end", "left")
        model.exit(left, FUNDING_GAP)
    return np.concatenate([b, unpaid[~leaving]]) if len(b) else unpaid[~leaving]


MONTH_DECISIONS = ("gap_exit", "offer", *(f"hire_{kind}_{round_}" for round_ in ("offers", "open") for kind in ("establishment", "grant")), "grant_vacancy")


def month(model: CareerModel, in_gap: np.ndarray, due: np.ndarray) -> None:
    """One month of the labour market: gap months, contract (and grant) ends, then matching to funded posts.

    Contract enders leave their posts first (a grant post ends with its grant). Enders
    and gap searchers then get offers through their own networks; ``model.posts``
    fills the vacancies from the offers and then by open competition among those in a
    gap and outside applicants. Enders left without a post enter a gap, except on an open-ended post
    (policy), where the employer redeploys, paying salary no grant covers, or makes
    the post redundant.
    """
    pop = model.pop
    # This month's vacancies: enders leave their posts, then old vacancies age (and lapse)
    # and new grant posts open. Nothing in the gap months below touches posts (people in a
    # gap hold none), so this can come first.
    if len(due):
        doctoral = due[pop.stage[due] == DOCTORAL]
        pop.stage[doctoral] = EARLY
        pop.years_in_stage[doctoral] = 0
        open_ended = pop.open_ended[due]
        model.counts["contract_ends"] += int(np.count_nonzero(~open_ended))
        model.counts["funding_ends"] += int(np.count_nonzero(open_ended))
        model.posts.release(due)
    model.posts.open_and_lapse()
    # The month's questions to those in a gap, those whose contract ends and the month's
    # outside applicants, and the vacancies' random order (vacancies are keyed by their
    # place in the queue as ids -1, -2, …, never a researcher's), drawn in one pass: the
    # same numbers as one call per question.
    vacancies = -1 - np.arange(len(model.posts.vacancy_months))
    model.month_draws = model.streams.batch(MONTH_DECISIONS, np.concatenate([in_gap, due, model.outside_applicants(), vacancies]), model.month)
    searching = gap_month(model, in_gap) if len(in_gap) else in_gap
    # Enders (renewal odds) and searchers (re-employment odds) in one draw: the same
    # uniforms, in the same order, as two draws would give.
    asking = np.concatenate([due, searching])
    logit = np.where(np.arange(len(asking)) < len(due), model.renewal_logit, model.reemploy_logit)
    offered = asking[offers(model, asking, logit)]
    # Open competition is for those already searching: an ender without an offer enters a
    # gap and applies from next month (so renewal_prob keeps its meaning: a post "at once").
    months_searched = pop.gap_months[searching]  # read before matching: taking a post resets the count
    placed = model.posts.match(offered, searching)
    got = pop.among(asking, placed)
    enders, seekers = got[: len(due)], got[len(due) :]
    hired = searching[seekers]
    if len(hired):
        months = months_searched[seekers]
        model.counts["reemployed"] += len(hired)
        model.counts["reemployed_after_2m"] += int(np.count_nonzero(months > 2))
        model.log(hired, "gap_end", months)
    kept = due[enders]
    model.log(kept[~pop.open_ended[kept]], "renewed")
    left = due[~enders]
    _no_post(model, left)


def _no_post(model: CareerModel, idx: np.ndarray) -> None:
    """Enders without a new post: a gap; on an open-ended post, whatever a policy does when funding ends (redeployment), else redundancy."""
    pop = model.pop
    open_ended = idx[pop.open_ended[idx]]
    start_gaps(model, idx[~pop.open_ended[idx]])
    if len(open_ended) == 0:
        return
    kept = model.kept_by_policies("funding_end", open_ended)
    redundant = np.setdiff1d(open_ended, kept, assume_unique=True) if len(kept) else open_ended
    if len(redundant):
        model.log(redundant, "redundant")
        start_gaps(model, redundant)
