"""Funded posts and who fills them: grant-funded fixed-term posts, an employer establishment, and matching.

Research posts exist because money pays for them (DESIGN.md §9):

- **Grant posts** (fixed-term). Each year the grant envelope (``posts.grant_envelope``,
  £ a year for UK HSR at the reference population of 4,000, scaled in proportion to
  ``run.population``) times the funding climate buys post-months at
  ``posts.grant_post_monthly_cost``; that is split into posts of drawn lengths (the
  fixed-term contract length distribution), released as vacancies month by month. A
  post ends when its grant ends (the holder's contract end). A holder who leaves early
  leaves a vacancy for the grant's remaining months. A vacancy nobody fills within
  ``posts.vacancy_wait_months`` lapses (the money is returned).
- **Establishment posts** (open-ended): ``posts.establishment_share`` × population,
  funded by employers whatever the climate; a holder leaving (exit, redundancy) leaves
  a vacancy.
- **Underwritten posts**: months an employer pays with no grant behind them
  (``open_ended_contracts`` redeployment); they are employer money, not the envelope.

**Matching, each month.** Vacancies are filled in two rounds, establishment vacancies
first, each by a scored draw without replacement (Efraimidis–Spirakis: weight
``exp(hiring_score)``; for establishment posts also × the declared chance that a new
post at that stage and sector is permanent):

1. *Offers through one's own network*: researchers whose contract ends this month get
   an offer with ``contracts.renewal_prob`` and those in a gap with
   ``gaps.reemploy_month`` (both on the log-odds scale shifted by the climate and
   ``hiring_score``). Offers exceeding the vacancies are rationed by the draw.
2. *Open competition*: vacancies left go to everyone searching — researchers in a gap
   (an ender without an offer enters a gap and applies from next month), and this
   month's outside applicants
   (``posts.outside_applicant_rate``; early-career people from other fields, abroad or
   clinical posts). An outside applicant who is not hired never enters the model.

So posts bound employment: keeping a researcher in research without adding a post
(bridge funding) leaves fewer vacancies for others.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

import numpy as np

from model import closure
from model.population import DOCTORAL, sorted_distinct

if TYPE_CHECKING:
    from collections.abc import Callable

    from model.career_model import CareerModel
    from model.streams import Streams

REFERENCE_POPULATION = 4000  # run.population the envelope and establishment are stated for
NO_POST, GRANT, ESTABLISHMENT, UNDERWRITTEN = range(4)
_HALF_ULP = 2.0**-54  # Streams._open's shift into (0, 1)


def hiring_score(model: CareerModel, idx: np.ndarray) -> np.ndarray:
    """Log-odds score of each candidate ``idx`` for a vacancy: higher = more likely to be chosen.

    Network (tacit knowledge), classed, disability and caring penalties and policy
    effects come from the yearly ``renewal_base``; a mentor adds ``contracts.mentor_effect``;
    outside applicants (rows not yet active) add ``posts.outsider_effect``. Other
    mechanisms add their terms here.
    """
    pop, p = model.pop, model.params
    score = pop.renewal_base[idx] + p.contracts.mentor_effect * (pop.mentor[idx] >= 0)
    score += p.posts.outsider_effect * ~pop.alive[idx]
    return score


def _p_permanent_table(model: CareerModel) -> np.ndarray:
    """Stage x sector chance a new post is permanent, computed once a run (the parameters do not change during it)."""
    table = model.__dict__.get("_p_permanent")
    if table is None:
        c = model.params.contracts
        by_stage = np.array([0.0, c.p_permanent_early, c.p_permanent_mid, c.p_permanent_senior])
        boost = np.array([0.0, c.nhs_permanent_boost, c.third_sector_permanent_boost])
        table = np.minimum(1.0, by_stage[:, None] + boost[None, :])
        table[DOCTORAL] = 0.0
        model.__dict__["_p_permanent"] = table
    return table


def p_permanent(model: CareerModel, stage: np.ndarray, sector: np.ndarray) -> np.ndarray:
    """Chance a new post is permanent, by stage (none for doctoral) and sector."""
    return _p_permanent_table(model)[stage, sector]


def log_p_permanent(model: CareerModel, stage: np.ndarray, sector: np.ndarray) -> np.ndarray:
    """``log(p_permanent)`` (-inf where it is 0), from a table logged once a run (matching runs it every month)."""
    table = model.__dict__.get("_log_p_permanent")
    if table is None:
        with np.errstate(divide="ignore"):
            table = model.__dict__["_log_p_permanent"] = np.log(_p_permanent_table(model))
    return table[stage, sector]


def scored_draw(streams: Streams, decision: str, ids: np.ndarray, log_weight: np.ndarray, k: int, step: int) -> np.ndarray:
    """Positions of ``k`` of ``ids`` drawn without replacement with probability ∝ exp(log_weight) (Efraimidis–Spirakis).

    Each candidate's key comes from their own uniform (``Streams.weighted_keys``), so
    whether a candidate beats another does not depend on who else applies.
    """
    n = len(log_weight)
    if k <= 0 or n == 0:
        return np.zeros(0, dtype=np.int64)
    if k >= n:
        return np.flatnonzero(np.isfinite(log_weight))
    # log(u ** (1 / w)); a -inf weight gives a -inf key (never drawn). The uniforms are in
    # (0, 1), so no log(0); finite weights are log-odds, far from exp's overflow.
    # Efraimidis–Spirakis keys log(u) / w in log form (log w − log(−log u), the Gumbel-top-k
    # trick): the same order as ``Streams.weighted_keys`` with no overflow for extreme weights.
    keys = log_weight - np.log(-np.log(streams.uniform(decision, ids, step) + _HALF_ULP))
    top = np.argpartition(-keys, k - 1)[:k]
    return top[np.isfinite(keys[top])]


class Posts:
    """The post ledger: funded grant posts (filled + vacant), the establishment and underwritten posts."""

    def __init__(self, model: CareerModel, start_post: Callable[[CareerModel, np.ndarray, int, np.ndarray | None], None]) -> None:
        self.model = weakref.proxy(model)  # no reference cycle: a finished run is freed without the collector
        self.streams = model.streams
        self._start_post = start_post  # contracts.start_post (passed in: contracts imports this module, not the reverse)
        p = model.params.posts
        self.scale = model.config.run.population / REFERENCE_POPULATION
        self.establishment = int(round(p.establishment_share * model.config.run.population))
        self.funded_grant = 0  # grant posts with money behind them: filled + vacant
        self.vacancy_months = np.zeros(0, dtype=np.int32)  # funded months of each vacant grant post
        self.vacancy_age = np.zeros(0, dtype=np.int32)  # months each has been vacant
        self.filled = np.zeros(4, dtype=np.int64)  # researchers holding each kind of post
        self.filled_experienced = 0  # establishment posts held as roles that need experience (model/closure.py)
        self.monthly_new = 0.0
        self._created: list[np.ndarray] = []  # lengths of the grant posts created in each month of the year
        self._vacancy_keys: np.ndarray | None = None  # this month's random order of the vacancies
        self.counts_hired = 0

    # ----- bookkeeping --------------------------------------------------------------
    def start_year(self, climate: float) -> None:
        """This year's grant income: expected new grant posts per month."""
        p = self.model.params.posts
        c = self.model.params.contracts
        post_months = p.grant_envelope * self.scale * climate * closure.grant_factor(self) / p.grant_post_monthly_cost
        self.monthly_new = post_months / c.fixed_term_mean_months / 12.0
        # Grant income does not depend on any policy: the year's new posts (a Poisson count
        # each month) and their lengths come from a model-level stream of the year, so every
        # scenario that shares the seed creates the same posts of the same lengths.
        created = self.streams.generator("posts_created", self.model.year)
        counts = created.poisson(self.monthly_new, 12)
        months = np.maximum(3, np.rint(created.gamma(c.fixed_term_shape, c.fixed_term_mean_months / c.fixed_term_shape, int(counts.sum()))))
        self._created = np.split(months.astype(np.int32), np.cumsum(counts)[:-1])

    def hold(self, idx: np.ndarray, kind: int) -> None:
        """Researchers ``idx`` take posts of ``kind`` (their previous post, if any, must be released first)."""
        self.model.pop.post[idx] = kind
        self.filled[kind] += len(idx)

    def release(self, idx: np.ndarray) -> None:
        """Researchers ``idx`` leave their posts; a grant post with months left becomes a vacancy."""
        pop, month = self.model.pop, self.model.month
        kind = pop.post[idx]
        held = idx[kind != NO_POST]
        if len(held) == 0:
            return
        self.filled -= np.bincount(pop.post[held], minlength=4)
        closure.release(self, held)
        grant = held[pop.post[held] == GRANT]
        left = pop.contract_end[grant] - month
        ended = left <= 0
        self.funded_grant -= int(np.count_nonzero(ended))
        self._add_vacancies(left[~ended].astype(np.int32))
        pop.post[held] = NO_POST

    def _add_vacancies(self, months: np.ndarray) -> None:
        self.vacancy_months = np.concatenate([self.vacancy_months, months])
        self.vacancy_age = np.concatenate([self.vacancy_age, np.zeros(len(months), dtype=np.int32)])

    def open_and_lapse(self) -> None:
        """This month's new grant posts become vacancies; vacancies older than the wait lapse."""
        model = self.model
        self.vacancy_age += 1
        lapse = self.vacancy_age > model.params.posts.vacancy_wait_months
        if lapse.any():
            self.funded_grant -= int(np.count_nonzero(lapse))
            model.counts["vacancies_lapsed"] += int(np.count_nonzero(lapse))
            self.vacancy_months, self.vacancy_age = self.vacancy_months[~lapse], self.vacancy_age[~lapse]
        months = self._created[min(11, max(0, model.month - model._year_start_month))]
        k = len(months)
        if k:
            self._add_vacancies(months)
            self.funded_grant += k
            model.counts["grant_posts_created"] += k

    def establishment_vacancies(self) -> int:
        """Open-ended posts without a holder."""
        return max(0, self.establishment - int(self.filled[ESTABLISHMENT]))

    def funded(self) -> int:
        """All funded posts: grant posts (filled + vacant), the establishment, and underwritten posts in use."""
        return self.funded_grant + self.establishment + int(self.filled[UNDERWRITTEN])

    # ----- matching -----------------------------------------------------------------
    def _fill(self, candidates: np.ndarray, est_slots: int, grant_slots: int, round_: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Scored draws for establishment then grant vacancies; returns (to establishment, to grants, grant vacancy positions).

        ``round_`` ("offers" or "open") names the decisions, so a candidate in both rounds draws afresh in the second.
        """
        model = self.model
        month = model.month
        if len(candidates) == 0:
            return candidates[:0], candidates[:0], np.zeros(0, dtype=np.int64)
        score = hiring_score(model, candidates)
        pop = model.pop
        est_w = score + log_p_permanent(model, pop.stage[candidates], pop.sector[candidates])
        draws = model.month_draws  # the month's batch (contracts.month): the same numbers as model.streams
        pick = closure.pick_establishment(
            self, candidates, est_w, est_slots, lambda kind, ids, w, k: scored_draw(draws, f"hire_{kind}_{round_}", ids, w, k, month)
        )
        to_est = candidates[pick]
        left = np.ones(len(candidates), dtype=bool)
        left[pick] = False
        rest = np.flatnonzero(left)
        pick2 = scored_draw(draws, f"hire_grant_{round_}", candidates[rest], score[rest], grant_slots, month)
        to_grant = candidates[rest[pick2]]
        # Which vacancies (of which lengths) the hires take: the month's random order of the
        # vacancies (keys by position in the queue, drawn once a month), the first to the hires in turn.
        which = np.zeros(0, np.int64)
        if len(to_grant):
            if self._vacancy_keys is None:  # vacancies are keyed by place in the queue, as ids -1, -2, … (contracts.month)
                self._vacancy_keys = draws.uniform("grant_vacancy", -1 - np.arange(len(self.vacancy_months)), month)
            which = np.argsort(self._vacancy_keys, kind="stable")[: len(to_grant)]
        return to_est, to_grant, which

    def _place(self, to_est: np.ndarray, to_grant: np.ndarray, which: np.ndarray) -> None:
        model = self.model
        months = self.vacancy_months[which]
        keep = np.ones(len(self.vacancy_months), dtype=bool)
        keep[which] = False
        self.vacancy_months, self.vacancy_age = self.vacancy_months[keep], self.vacancy_age[keep]
        if self._vacancy_keys is not None:
            self._vacancy_keys = self._vacancy_keys[keep]  # the rest keep their keys for the second round
        self._start_post(model, to_est, ESTABLISHMENT, None)
        self._start_post(model, to_grant, GRANT, months)

    def match(self, offered: np.ndarray, available: np.ndarray) -> np.ndarray:
        """Fill this month's vacancies (opened by ``open_and_lapse``): ``offered`` first, then open competition among ``available`` and outside applicants.

        Returns the insiders placed (outside applicants hired are activated as entrants).
        """
        model = self.model
        self._vacancy_keys = None  # drawn at the month's first grant hire
        placed = []
        # Round 1: offers through one's own network, rationed by the scored draw.
        est, grant, which = self._fill(offered, self.establishment_vacancies(), len(self.vacancy_months), "offers")
        self._place(est, grant, which)
        placed += [est, grant]
        # Round 2: open competition for what is left, with this month's outside applicants.
        est_left, grant_left = self.establishment_vacancies(), len(self.vacancy_months)
        applicants = model.outside_applicants()
        if est_left + grant_left > 0:
            got = np.concatenate(placed)
            searchers = sorted_distinct(np.concatenate([offered, available]))
            pool = np.concatenate([searchers[~model.pop.among(searchers, got)], applicants])
            est, grant, which = self._fill(pool, est_left, grant_left, "open")
            hired = np.concatenate([est, grant])
            outsiders = hired[~model.pop.alive[hired]]
            if len(outsiders):
                model.activate_entrants(outsiders)
            self._place(est, grant, which)
            placed += [est, grant]
        placed_all = np.concatenate(placed) if placed else offered[:0]
        return placed_all[~model.pop.among(placed_all, applicants)] if len(applicants) else placed_all
