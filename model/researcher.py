"""The researcher: identity, caring, career, social ties and outcomes.

Month-resolution processes (contract end, each gap month) are Mesa events scheduled
on the model; the yearly review runs once a simulated year through
``model.agents.shuffle_do("yearly_review")``. Draws use ``self.random`` (stdlib) for
speed, as DESIGN.md §6 asks.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import mesa

if TYPE_CHECKING:
    from model.career_model import CareerModel

NEXT_STAGE = {"early": "mid", "mid": "senior"}
MONTH = 1.0 / 12.0


def logistic(x: float) -> float:
    """Numerically safe logistic function."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def logit(p: float) -> float:
    """Log-odds, clamped so probabilities of 0 and 1 stay finite and exact after logistic()."""
    p = min(max(p, 1e-12), 1 - 1e-12)
    return math.log(p / (1 - p))


class Researcher(mesa.Agent):
    """One HSR researcher. Attribute names follow DESIGN.md §3."""

    model: CareerModel

    def __init__(self, model: CareerModel, *, stage: str, sector: str, age: float, entry_year: int) -> None:
        super().__init__(model)
        p = model.params
        rnd = self.random
        # identity
        self.woman = rnd.random() < p.population.share_women
        self.working_class = rnd.random() < p.population.share_working_class
        self.disabled = rnd.random() < p.population.share_disabled
        self.adjusted = self.disabled and rnd.random() < p.disability.adjustment_coverage
        self.adjusted_by_policy = False
        no_net = p.population.share_no_safety_net * (2.0 if self.working_class else 1.0)
        mean_net = p.population.safety_net_mean_months * (p.social_class.safety_net_factor if self.working_class else 1.0)
        self.safety_net = 0.0 if rnd.random() < no_net or mean_net <= 0 else rnd.expovariate(1.0 / mean_net)
        self.resilience = rnd.gauss(0.0, 1.0)
        self.age = age
        ex = p.exits
        self.retirement_age = ex.retirement_age_min + rnd.random() * (ex.retirement_age_max - ex.retirement_age_min)
        # caring
        self.caring = rnd.random() < (p.caring.at_entry_women if self.woman else p.caring.at_entry_men)
        self.ever_carer = self.caring
        self.first_caring_year: int | None = entry_year if self.caring else None
        # career
        self.stage = stage
        self.years_in_stage = 0
        self.sector = sector
        self.joint_post = False
        self.protected = False
        self.contract = "fixed_term"
        self.contract_end = math.inf
        self._contract_event = None
        self.service_years = 0.0
        self.gap_months = 0  # current gap
        self.gap_months_total = 0
        self.unpaid_months = 0  # current gap
        self.bridged_months = 0
        self.bridged_this_gap = 0
        self.hardship_this_gap = False
        self.gap_this_year = False
        # social
        self.mentor: Researcher | None = None
        self.mentor_formal = False
        self.had_mentor = False
        self.informal_mentees = 0
        self.formal_mentees = 0
        self.mentees: list[Researcher] = []
        self.tacit = 0.0
        # outcomes
        self.satisfaction = 3
        self.intends_to_leave = False
        self.entry_year = entry_year
        self.entry_stage = stage
        self.entry_sector = sector
        self.exit_year: int | None = None
        self.exit_reason: str | None = None

    # ----- groups -------------------------------------------------------------------
    @property
    def gender(self) -> str:
        """'woman' or 'man' (the survey's two largest categories; see ODD)."""
        return "woman" if self.woman else "man"

    @property
    def unadjusted(self) -> bool:
        """Disabled and working without adjustments."""
        return self.disabled and not self.adjusted

    def in_group(self, group: str) -> bool:
        """Membership of a priority group named in a policy."""
        if group == "carer":
            return self.caring
        if group == "women":
            return self.woman
        if group in ("nhs", "third_sector"):
            return self.sector == group
        return bool(getattr(self, group))

    # ----- mentoring ----------------------------------------------------------------
    def set_mentor(self, mentor: Researcher, *, formal: bool) -> None:
        """Start a mentoring relationship."""
        self.mentor = mentor
        self.mentor_formal = formal
        self.had_mentor = True
        mentor.mentees.append(self)
        if formal:
            mentor.formal_mentees += 1
        else:
            mentor.informal_mentees += 1

    def drop_mentor(self) -> None:
        """End the mentoring relationship (promotion, or either side leaving)."""
        m = self.mentor
        if m is None:
            return
        if self.mentor_formal:
            m.formal_mentees -= 1
        else:
            m.informal_mentees -= 1
        m.mentees.remove(self)
        self.mentor = None
        self.mentor_formal = False

    # ----- contracts (month resolution) --------------------------------------------
    def start_post(self) -> None:
        """Take a new post: permanent by sector/stage chance, else fixed-term with a drawn length."""
        m = self.model
        self.gap_months = self.unpaid_months = self.bridged_this_gap = 0
        self.hardship_this_gap = False
        if self.random.random() < m.p_permanent(self.stage, self.sector):
            self.contract = "permanent"
            self.contract_end = math.inf
            return
        self.contract = "fixed_term"
        months = m.draw_contract_months(self.stage)
        self._schedule_contract_end(months)

    def _schedule_contract_end(self, months: int) -> None:
        # Events fall mid-month so they never tie with the year boundary at whole years.
        m = self.model
        now_month = math.floor(m.time * 12 + 1e-9)
        self.contract_end = (now_month + months + 0.5) / 12.0
        self._contract_event = m.schedule_event(self.on_contract_end, at=self.contract_end)

    def on_contract_end(self) -> None:
        """A fixed-term contract ends: renewal/new post, or a gap."""
        if self.exit_year is not None or self.contract != "fixed_term":
            return
        m = self.model
        if self.stage == "doctoral":  # the studentship ends: post-PhD from here on
            self.stage = "early"
            self.years_in_stage = 0
        m.count_contract_end()
        if self.random.random() < logistic(m.renewal_logit + self.renewal_shift()):
            m.log(self, "renewed")
            self.start_post()
        else:
            self.start_gap()

    def renewal_shift(self) -> float:
        """Log-odds shift of renewal and re-employment for this researcher."""
        p = self.model.params
        fx = self.model.fx
        shift = p.contracts.network_effect * (self.tacit - 0.5)
        if self.mentor is not None:
            shift += p.contracts.mentor_effect
        if self.working_class:
            shift -= p.social_class.renewal_penalty * (1.0 - fx.inclusion)
        if self.disabled and not self.adjusted:
            shift -= p.disability.renewal_penalty * (1.0 - fx.inclusion)
        if self.caring:
            shift -= p.caring.mobility_penalty * (1.0 - fx.caring_relief)
        if self.protected:
            shift += fx.protected_renewal
        if self.joint_post:
            shift += fx.joint_renewal
        return shift

    def start_gap(self) -> None:
        """Out of contract: search month by month."""
        m = self.model
        self.contract = "gap"
        self.contract_end = math.inf
        self.gap_months = self.unpaid_months = self.bridged_this_gap = 0
        self.hardship_this_gap = False
        self.gap_this_year = True
        m.count_gap_start()
        m.log(self, "gap_start")
        m.schedule_event(self.on_gap_month, after=MONTH)

    def on_gap_month(self) -> None:
        """End of a gap month: re-employment, else bridge/safety net/leave."""
        if self.exit_year is not None or self.contract != "gap":
            return
        m = self.model
        g = m.params.gaps
        self.gap_months += 1
        self.gap_months_total += 1
        if m.bridge_month(self):
            self.bridged_months += 1
            self.bridged_this_gap += 1
        else:
            self.unpaid_months += 1
            if self.safety_net > 0:
                self.safety_net = max(0.0, self.safety_net - 1.0)
            if self.safety_net <= 0:
                m.hardship_top_up(self)
            hazard = g.exit_base_month + g.exit_per_unpaid_month * (self.unpaid_months - 1)
            if self.safety_net <= 0:
                hazard *= g.no_safety_net_multiplier
            hazard *= math.exp(-m.params.exits.resilience_effect * self.resilience)
            if self.random.random() < hazard:
                m.log(self, "gap_end", "left")
                m.exit(self, "funding_gap")
                return
        if self.random.random() < logistic(m.reemploy_logit + self.renewal_shift()):
            m.log(self, "gap_end", f"reemployed after {self.gap_months} months")
            m.count_reemployed(self.gap_months)
            self.start_post()
        else:
            m.schedule_event(self.on_gap_month, after=MONTH)

    # ----- yearly review -----------------------------------------------------------
    def yearly_review(self) -> None:
        """Once a year: age, caring, tacit access, promotion, satisfaction, exits, conversion."""
        m = self.model
        p = m.params
        fx = m.fx
        rnd = self.random
        self.age += 1.0
        self.years_in_stage += 1
        in_post = self.contract != "gap"
        if in_post:
            self.service_years += 1.0
        # caring over the life course
        c = p.caring
        if self.caring:
            if rnd.random() < 1.0 / c.mean_years:
                self.caring = False
        elif 25 <= self.age <= 55 and rnd.random() < (c.onset_women if self.woman else c.onset_men):
            self.caring = True
            if not self.ever_carer:
                self.ever_carer = True
                self.first_caring_year = m.year
        relief = 1.0 - fx.caring_relief
        unadjusted = self.disabled and not self.adjusted
        inclusion = 1.0 - fx.inclusion
        self.tacit = m.network.tacit_access(self)
        # promotion
        nxt = NEXT_STAGE.get(self.stage)
        if nxt is not None and in_post:
            base = p.progression.promotion_early if self.stage == "early" else p.progression.promotion_mid
            lhr = p.progression.network_effect * (self.tacit - 0.5)
            if self.mentor is not None:
                lhr += p.progression.mentor_effect
            if self.protected:
                lhr += fx.protected_promotion
            if self.caring:
                lhr -= c.promotion_penalty * relief
            if unadjusted:
                lhr -= p.disability.promotion_penalty * inclusion
            if self.working_class:
                lhr -= p.social_class.promotion_penalty * inclusion
            if rnd.random() < min(0.95, base * math.exp(lhr)):
                self.stage = nxt
                self.years_in_stage = 0
                if nxt == "mid":
                    self.drop_mentor()
                m.count_promotion()
        # satisfaction: ordered logistic on a latent score, cut points -2, -1, 0, 1.5
        s = p.satisfaction
        latent = s.base + s.resilience_effect * self.resilience
        if self.contract == "permanent":
            latent += s.permanent_effect
        if self.gap_this_year:
            latent -= s.gap_effect
        if self.mentor is not None:
            latent += s.mentor_effect
        if self.caring:
            latent -= c.satisfaction_penalty * relief
        if unadjusted:
            latent -= p.disability.satisfaction_penalty * inclusion
        if self.protected:
            latent += fx.protected_satisfaction
        if self.joint_post:
            latent -= fx.joint_identity_cost
        u = rnd.random()
        latent += math.log(u / (1.0 - u)) if 0.0 < u < 1.0 else 0.0
        self.satisfaction = 1 if latent < -2.0 else 2 if latent < -1.0 else 3 if latent < 0.0 else 4 if latent < 1.5 else 5
        self.gap_this_year = False
        # exits: retirement, then competing voluntary reasons
        if self.age >= self.retirement_age:
            m.exit(self, "retirement")
            return
        ex = p.exits
        h_dis = ex.dissatisfied_rate if self.satisfaction <= 2 else ex.neither_rate if self.satisfaction == 3 else 0.0
        h_care = c.exit_rate * relief if self.caring else 0.0
        scale = ex.mentor_hazard_ratio if self.mentor is not None else 1.0
        total = (h_dis + h_care + ex.other_sector_rate) * scale
        self.intends_to_leave = total >= 0.1
        u = rnd.random()
        if u < total:
            if u < h_dis * scale:
                reason = "dissatisfaction"
            elif u < (h_dis + h_care) * scale:
                reason = "caring"
            else:
                reason = "other_sector"
            m.exit(self, reason)
            return
        # open-ended contracts after N years' service (policy), and redundancy of permanent posts
        if self.contract == "fixed_term" and self.service_years >= fx.open_ended_after:
            self.contract = "permanent"
            self.contract_end = math.inf
            if self._contract_event is not None:
                self._contract_event.cancel()
            m.log(self, "open_ended")
        elif self.contract == "permanent" and rnd.random() < m.redundancy_rate:
            if rnd.random() < fx.redeploy_prob:
                m.add_spend("open_ended_contracts", fx.redeploy_months * m.salary_month(self.stage))
                m.log(self, "redeployed")
            else:
                m.log(self, "redundant")
                self.start_gap()
