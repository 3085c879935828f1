"""Policy levers: small registered classes, one per report recommendation.

A policy is a validated parameter set (pydantic) plus a few hooks the model calls:

- ``apply_effects(fx)`` each year it is active: adjust the year's shared ``Effects``;
- ``start_of_year(model)`` each year it is active: assign people, reset budgets,
  book per-head costs;
- ``cover(model, idx, candidates)`` (bridge funding) and ``top_up(model, idx)``
  (hardship support) during gap months, on vectors of researcher ids.

Every policy books what it spends, in the year it is spent, with
``model.add_spend(self.type, pounds)``, and declares in ``adds`` what it adds to the
labour market (salary months, posts, or nothing; see ``model/posts.py``).
Register a new policy with ``@register`` and YAML can name it by ``type``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, Union

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from model import employers, mentoring_scheme
from model.coverage import hold_share
from model.parameters import ASSUMPTION, STAGES, check_known_keys, no_bools, param
from model.population import EARLY, GAP, MID, NHS, THIRD, UNIVERSITY

if TYPE_CHECKING:
    from model.career_model import CareerModel

PRIORITY_GROUPS: tuple[str, ...] = ("working_class", "disabled", "carer", "women", "nhs", "third_sector")


@dataclass
class Effects:
    """This year's policy effects that agents read on their hot paths (neutral by default)."""

    caring_relief: float = 0.0  # share of caring penalties removed
    open_ended_after: float = float("inf")  # years of service before a fixed-term post becomes open-ended
    redeploy_prob: float = 0.0
    redeploy_months: float = 0.0
    protected_promotion: float = 0.0
    protected_renewal: float = 0.0
    protected_satisfaction: float = 0.0
    joint_renewal: float = 0.0
    joint_identity_cost: float = 0.0
    belonging_support: float = 0.0  # added to joint-post holders' belonging target (cross-sector structures)
    manager_consistency: float = 0.0  # weight of the trained standard in a trained manager's support
    manager_standard: float = 0.0  # support a trained manager gives at full consistency


POLICIES: dict[str, type[Policy]] = {}


def register(cls: type[Policy]) -> type[Policy]:
    """Add a policy class to the registry under its ``type`` name."""
    POLICIES[cls.policy_type] = cls
    return cls


class Policy(BaseModel):
    """Base policy: a start year and a cost ledger; hooks do nothing by default."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    policy_type: ClassVar[str] = ""
    report_heading: ClassVar[str] = ""
    # What the policy adds to the labour market: "salary_months" (pays salary but creates no
    # post), "posts" (funds posts others can be hired to) or "nothing". Only posts add jobs:
    # a retention policy that adds none keeps people in research at others' expense.
    adds: ClassVar[str] = "nothing"

    start_year: int = Field(0, ge=-200, le=500, description="First reported year the policy is in force (0 = from the start of the horizon).")
    _budget_left: float = PrivateAttr(0.0)

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data: Any) -> Any:
        return no_bools(cls, check_known_keys(cls, data))

    def active(self, year: int) -> bool:
        """Whether the policy is in force in ``year``."""
        return year >= self.start_year

    def apply_effects(self, fx: Effects) -> None:
        """Adjust this year's effects (called once a year while active)."""

    def start_of_year(self, model: CareerModel) -> None:
        """Yearly bookkeeping: assignments, budgets, per-head costs."""


@register
class BridgeFunding(Policy):
    """Pay salary between contracts for eligible researchers, up to a cap and a yearly budget."""

    policy_type: ClassVar[str] = "bridge_funding"
    report_heading: ClassVar[str] = "Fix funding gaps"
    adds: ClassVar[str] = "salary_months"
    type: Literal["bridge_funding"] = "bridge_funding"
    max_months: int = param(6, 1, 36, unit="months", source=ASSUMPTION, doc="Most months bridged per gap.", plausible=(3, 12))
    stages: list[Literal["doctoral", "early", "mid", "senior"]] = Field(default_factory=lambda: ["early"], min_length=1, description=f"Eligible career stages, from {list(STAGES)}.")
    min_service_years: float = param(2, 0, 40, unit="years", source=ASSUMPTION, doc="Years of research service needed to be eligible.", plausible=(0, 4))
    yearly_budget: float = param(1_000_000, 0, 1e9, unit="GBP per year", source=ASSUMPTION, doc="Bridge budget per year, first come first served.", plausible=(2e5, 3e6))

    def start_of_year(self, model: CareerModel) -> None:  # noqa: D102
        self._budget_left = self.yearly_budget

    def cover(self, model: CareerModel, idx: np.ndarray, candidates: np.ndarray) -> np.ndarray:
        """Which gap months of ``idx`` this policy pays: eligible, under the cap, in random order until the budget runs out."""
        pop = model.pop
        stage_ok = np.zeros(len(STAGES), dtype=bool)  # a lookup by stage code (np.isin costs ~10 µs a month here)
        stage_ok[[STAGES.index(s) for s in self.stages]] = True
        eligible = candidates & stage_ok[pop.stage[idx]] & (pop.service_years[idx] >= self.min_service_years)
        eligible &= pop.bridged_this_gap[idx] < self.max_months
        covered = np.zeros(len(idx), dtype=bool)
        where = np.flatnonzero(eligible)
        if len(where) == 0:
            return covered
        where = where[np.argsort(model.streams.uniform("bridge_order", idx[where], model.month), kind="stable")]  # first come, first served
        cost = model.salary_months(pop.stage[idx[where]])
        paid = where[np.cumsum(cost) <= self._budget_left]
        covered[paid] = True
        spent = float(model.salary_months(pop.stage[idx[paid]]).sum())
        self._budget_left -= spent
        model.add_spend(self.policy_type, spent)
        return covered


@register
class OpenEndedContracts(Policy):
    """Move fixed-term researchers onto open-ended contracts after N years; redeploy at funding end."""

    policy_type: ClassVar[str] = "open_ended_contracts"
    report_heading: ClassVar[str] = "Make HSR careers stable"
    adds: ClassVar[str] = "salary_months"
    type: Literal["open_ended_contracts"] = "open_ended_contracts"
    after_years: float = param(4, 0, 40, unit="years of service", source="Fixed-Term Employees Regulations 2002 (4-year rule)", doc="Continuous service after which a fixed-term post becomes open-ended.", plausible=(2, 6))
    redeploy_prob: float = param(0.8, 0, 1, unit="probability", source=ASSUMPTION, doc="Chance an open-ended researcher whose funding ends is redeployed rather than made redundant.", plausible=(0.5, 0.95))
    redeploy_months: float = param(3, 0, 24, unit="months of salary", source=ASSUMPTION, doc="Salary months the employer pays while redeploying.", plausible=(1, 6))

    def apply_effects(self, fx: Effects) -> None:  # noqa: D102
        fx.open_ended_after = min(fx.open_ended_after, self.after_years)
        fx.redeploy_prob = max(fx.redeploy_prob, self.redeploy_prob)
        fx.redeploy_months = max(fx.redeploy_months, self.redeploy_months)


@register
class FairMentoring(Policy):
    """A formal mentoring scheme with coverage, priority groups and incentivised mentor capacity."""

    policy_type: ClassVar[str] = "fair_mentoring"
    report_heading: ClassVar[str] = "Make mentoring fair and accessible"
    type: Literal["fair_mentoring"] = "fair_mentoring"
    coverage: float = param(0.8, 0, 1, unit="proportion", source=ASSUMPTION, doc="Share of doctoral and early-career researchers with a formal mentor at a time (as far as mentor places allow).", plausible=(0.4, 1.0))
    priority_groups: list[Literal["working_class", "disabled", "carer", "women", "nhs", "third_sector"]] = Field(default_factory=lambda: ["working_class", "disabled", "nhs"], description=f"Groups matched first, from {list(PRIORITY_GROUPS)}.")
    extra_capacity: int = param(2, 0, 20, unit="mentees", source=ASSUMPTION, doc="Formal mentees a volunteering mid/senior mentor takes on top of informal ones.", plausible=(1, 4))
    incentive_per_mentee_year: float = param(600, 0, 1e5, unit="GBP per mentee-year", source=ASSUMPTION, doc="Incentive paid to mentors (time allowance); it buys mentor places (see half_participation_incentive).", plausible=(200, 1500))
    half_participation_incentive: float = param(300, 0, 1e5, unit="GBP per mentee-year", source=ASSUMPTION, doc="Incentive at which half of mid/senior researchers volunteer formal places each year (participation = incentive / (incentive + this)).", plausible=(100, 1500))
    running_cost_per_year: float = param(20_000, 0, 1e7, unit="GBP per year", source=ASSUMPTION, doc="Scheme running cost (coordination, matching, training) per year.", plausible=(5_000, 60_000))

    def start_of_year(self, model: CareerModel) -> None:  # noqa: D102
        share = mentoring_scheme.participation(self.incentive_per_mentee_year, self.half_participation_incentive)
        matched = mentoring_scheme.assign_formal(model, self.coverage, self.priority_groups, self.extra_capacity, share)
        model.add_spend(self.policy_type, matched * self.incentive_per_mentee_year + self.running_cost_per_year)


@register
class DisabilityAdjustments(Policy):
    """Put workplace adjustments in place for disabled and neurodivergent researchers who have disclosed."""

    policy_type: ClassVar[str] = "disability_adjustments"
    report_heading: ClassVar[str] = "Tackle inequalities structurally"
    type: Literal["disability_adjustments"] = "disability_adjustments"
    coverage: float = param(0.9, 0, 1, unit="proportion", source=ASSUMPTION, doc="Share of researchers who have disclosed a disability or neurodivergence with adjustments in place at a time (those adjusted without the policy count).", plausible=(0.5, 1.0))
    cost_per_person_year: float = param(1500, 0, 1e5, unit="GBP per person-year", source=ASSUMPTION, doc="Yearly cost of adjustments for one person.", plausible=(500, 4000))

    def start_of_year(self, model: CareerModel) -> None:  # noqa: D102
        pop = model.pop
        alive = model.alive_idx()
        # Adjustments reach only those who disclose; coverage is the share of them adjusted at a time.
        disclosed = alive[pop.disclosed[alive]]
        already = disclosed[pop.adjusted[disclosed] & ~pop.adjusted_by_policy[disclosed]]
        pool = np.setdiff1d(disclosed, already, assume_unique=True)
        needed = max(0, int(round(self.coverage * len(disclosed))) - len(already))
        funded = hold_share(pop.adjusted_by_policy, alive, pool, needed / len(pool) if len(pool) else 0.0, model.streams, "adjustments_funded", model.year)
        pop.adjusted[pool] = pop.adjusted_by_policy[pool]
        model.add_spend(self.policy_type, len(funded) * self.cost_per_person_year)


@register
class CaringSupport(Policy):
    """Caring-friendly policies: flexible hours, paid leave, no-travel options, cover funds."""

    policy_type: ClassVar[str] = "caring_support"
    report_heading: ClassVar[str] = "Tackle inequalities structurally"
    type: Literal["caring_support"] = "caring_support"
    penalty_reduction: float = param(0.6, 0, 1, unit="proportion", source=ASSUMPTION, doc="Share of every caring penalty (promotion, mobility, satisfaction, exit) removed.", plausible=(0.3, 0.9))
    cost_per_carer_year: float = param(2000, 0, 1e5, unit="GBP per carer-year", source=ASSUMPTION, doc="Yearly cost per researcher with caring duties.", plausible=(1000, 5000))

    def apply_effects(self, fx: Effects) -> None:  # noqa: D102
        fx.caring_relief = max(fx.caring_relief, self.penalty_reduction)

    def start_of_year(self, model: CareerModel) -> None:  # noqa: D102
        alive = model.alive_idx()
        carers = int(np.count_nonzero(model.pop.caring[alive]))
        model.add_spend(self.policy_type, carers * self.cost_per_carer_year)


@register
class HardshipSupport(Policy):
    """Hardship grants for researchers in a gap whose safety net has run out."""

    policy_type: ClassVar[str] = "hardship_support"
    report_heading: ClassVar[str] = "Tackle inequalities structurally"
    type: Literal["hardship_support"] = "hardship_support"
    months: float = param(3, 0.5, 24, unit="months", source=ASSUMPTION, doc="Months of living costs a grant covers (once per gap).", plausible=(1, 6))
    monthly_amount: float = param(1500, 0, 1e5, unit="GBP per month", source=ASSUMPTION, doc="Grant per month covered.", plausible=(1000, 2500))
    yearly_budget: float = param(300_000, 0, 1e9, unit="GBP per year", source=ASSUMPTION, doc="Hardship budget per year.", plausible=(5e4, 1e6))

    def start_of_year(self, model: CareerModel) -> None:  # noqa: D102
        self._budget_left = self.yearly_budget

    def top_up(self, model: CareerModel, idx: np.ndarray) -> None:
        """One grant per gap to those of ``idx`` (safety net gone) not yet helped, while the budget lasts."""
        pop = model.pop
        cost = self.months * self.monthly_amount
        need = idx[~pop.hardship_this_gap[idx]]
        affordable = int(self._budget_left // cost) if cost > 0 else len(need)
        helped = model.streams.order("hardship_order", need, model.month)[:affordable]
        pop.safety_net[helped] += self.months
        pop.hardship_this_gap[helped] = True
        self._budget_left -= cost * len(helped)
        model.add_spend(self.policy_type, cost * len(helped))


@register
class ProtectedTime(Policy):
    """Protected research time for early and mid-career researchers."""

    policy_type: ClassVar[str] = "protected_time"
    report_heading: ClassVar[str] = "Build healthy, inclusive cultures"
    adds: ClassVar[str] = "salary_months"
    type: Literal["protected_time"] = "protected_time"
    coverage: float = param(0.5, 0, 1, unit="proportion", source=ASSUMPTION, doc="Share of early and mid-career researchers in post who hold protected time at a time (it ends on promotion to senior).", plausible=(0.2, 1.0))
    share_of_time: float = param(0.2, 0, 1, unit="proportion of a week", source=ASSUMPTION, doc="Protected share of working time (costed at salary).", plausible=(0.1, 0.4))
    promotion_effect: float = param(0.3, 0, 3, unit="log hazard ratio", source=ASSUMPTION, doc="Promotion gain from protected time.", plausible=(0.1, 0.6))
    renewal_effect: float = param(0.3, 0, 3, unit="log-odds", source="Petersen et al. 2012 (rationale)", doc="Renewal gain (a steadier publication record).", plausible=(0.1, 0.6))
    satisfaction_effect: float = param(0.3, 0, 3, unit="latent points", source=ASSUMPTION, doc="Satisfaction gain from protected time.", plausible=(0.1, 0.6))

    def apply_effects(self, fx: Effects) -> None:  # noqa: D102
        fx.protected_promotion = max(fx.protected_promotion, self.promotion_effect)
        fx.protected_renewal = max(fx.protected_renewal, self.renewal_effect)
        fx.protected_satisfaction = max(fx.protected_satisfaction, self.satisfaction_effect)

    def start_of_year(self, model: CareerModel) -> None:  # noqa: D102
        # Held by coverage of early/mid researchers in post at a time; it ends on promotion
        # to senior or in a gap (nothing to buy out), and every holder is costed each year.
        pop = model.pop
        alive = model.alive_idx()
        eligible = alive[((pop.stage[alive] == EARLY) | (pop.stage[alive] == MID)) & (pop.contract[alive] != GAP)]
        covered = hold_share(pop.protected, alive, eligible, self.coverage, model.streams, "protected_time", model.year)
        model.add_spend(self.policy_type, float(self.share_of_time * 12 * model.salary_months(pop.stage[covered]).sum()))


@register
class InclusiveLeadership(Policy):
    """Inclusive-leadership training and practice that shrink classed and disability penalties."""

    policy_type: ClassVar[str] = "inclusive_leadership"
    report_heading: ClassVar[str] = "Build healthy, inclusive cultures"
    type: Literal["inclusive_leadership"] = "inclusive_leadership"
    penalty_reduction: float = param(0.5, 0, 1, unit="proportion", source=ASSUMPTION, doc="Culture the policy works towards in the employers it reaches: share of classed and disability penalties removed (reached gradually, employers.culture_change_rate).", plausible=(0.2, 0.8))
    employer_share: float = param(1.0, 0, 1, unit="proportion of employers", source=ASSUMPTION, doc="Share of employers the policy reaches (the same employers every year).", plausible=(0.2, 1.0))
    cost_per_researcher_year: float = param(100, 0, 1e4, unit="GBP per researcher-year", source=ASSUMPTION, doc="Yearly cost per active researcher in a reached employer (training, leadership time).", plausible=(50, 300))

    def start_of_year(self, model: CareerModel) -> None:  # noqa: D102
        model.employers.raise_inclusion(self.employer_share, self.penalty_reduction)
        alive = model.alive_idx()
        reached = int(np.count_nonzero(employers.in_reach(model, alive, self.employer_share)))
        model.add_spend(self.policy_type, reached * self.cost_per_researcher_year)


@register
class JointPosts(Policy):
    """Joint NHS–academic posts with cross-sector networks."""

    policy_type: ClassVar[str] = "joint_posts"
    report_heading: ClassVar[str] = "Strengthen belonging across sectors"
    type: Literal["joint_posts"] = "joint_posts"
    share: float = param(0.3, 0, 1, unit="proportion", source=ASSUMPTION, doc="Share of NHS and third-sector researchers (early and later) holding a joint post at a time.", plausible=(0.1, 0.6))
    cross_sector_ties: int = param(2, 0, 20, unit="ties", source=ASSUMPTION, doc="Ties to university researchers a joint post brings.", plausible=(1, 4))
    renewal_effect: float = param(0.4, 0, 3, unit="log-odds", source=ASSUMPTION, doc="Renewal gain of a joint post (two employers, two funding routes).", plausible=(0.1, 0.8))
    identity_cost: float = param(0.15, 0, 3, unit="latent points", source="HSR UK report 2026 (fragmented identities)", doc="Satisfaction cost of a fragmented career identity at no belonging (paid in proportion to 1 - belonging).", plausible=(0.0, 0.6))
    cost_per_post_year: float = param(3000, 0, 1e5, unit="GBP per post-year", source=ASSUMPTION, doc="Yearly coordination cost of one joint post.", plausible=(1000, 8000))

    def apply_effects(self, fx: Effects) -> None:  # noqa: D102
        fx.joint_renewal = max(fx.joint_renewal, self.renewal_effect)
        fx.joint_identity_cost = max(fx.joint_identity_cost, self.identity_cost)

    def start_of_year(self, model: CareerModel) -> None:  # noqa: D102
        pop = model.pop
        alive = model.alive_idx()
        eligible = alive[(pop.sector[alive] != UNIVERSITY) & (pop.stage[alive] >= EARLY)]
        previous = eligible[pop.joint_post[eligible]]
        holders = hold_share(pop.joint_post, alive, eligible, self.share, model.streams, "joint_post", model.year)
        model.network.add_cross_sector_ties(np.setdiff1d(holders, previous, assume_unique=True), self.cross_sector_ties, alive)
        model.add_spend(self.policy_type, len(holders) * self.cost_per_post_year)


@register
class ConsistentManagement(Policy):
    """Line-manager training and standards, so support no longer depends on which manager one has."""

    policy_type: ClassVar[str] = "consistent_management"
    report_heading: ClassVar[str] = "Build healthy, inclusive cultures"
    type: Literal["consistent_management"] = "consistent_management"
    coverage: float = param(0.5, 0, 1, unit="proportion per year", source=ASSUMPTION, doc="Chance each year that an untrained mid/senior researcher in a reached employer is trained.", plausible=(0.2, 1.0))
    consistency: float = param(0.7, 0, 1, unit="proportion", source=ASSUMPTION, doc="How far training pulls a manager's support to the standard (1: every trained manager gives the standard).", plausible=(0.4, 0.9))
    standard: float = param(0.8, 0, 1, unit="support (0-1)", source=ASSUMPTION, doc="Support a trained manager gives at full consistency.", plausible=(0.6, 0.9))
    employer_share: float = param(1.0, 0, 1, unit="proportion of employers", source=ASSUMPTION, doc="Share of employers taking part.", plausible=(0.2, 1.0))
    training_cost: float = param(1500, 0, 1e5, unit="GBP per manager trained", source=ASSUMPTION, doc="One-off cost of training a manager.", plausible=(500, 4000))
    cost_per_report_year: float = param(300, 0, 1e5, unit="GBP per managed researcher-year", source=ASSUMPTION, doc="Yearly cost of a trained manager's time per researcher they manage (regular career conversations).", plausible=(100, 1000))

    def apply_effects(self, fx: Effects) -> None:  # noqa: D102
        fx.manager_consistency = max(fx.manager_consistency, self.consistency)
        fx.manager_standard = max(fx.manager_standard, self.standard)

    def start_of_year(self, model: CareerModel) -> None:  # noqa: D102
        pop = model.pop
        alive = model.alive_idx()
        can = alive[(pop.stage[alive] >= MID) & ~pop.manager_trained[alive] & employers.in_reach(model, alive, self.employer_share)]
        trained = can[model.streams.uniform("manager_training", can, model.year) < self.coverage]
        pop.manager_trained[trained] = True
        managed = alive[pop.manager[alive] >= 0]
        reports = int(np.count_nonzero(pop.manager_trained[pop.manager[managed]]))
        model.add_spend(self.policy_type, len(trained) * self.training_cost + reports * self.cost_per_report_year)


@register
class CrossSectorNetworks(Policy):
    """Cross-sector networks: links between university, NHS and third-sector researchers, and support for joint-post holders."""

    policy_type: ClassVar[str] = "cross_sector"
    report_heading: ClassVar[str] = "Strengthen belonging across sectors"
    type: Literal["cross_sector"] = "cross_sector"
    coverage: float = param(0.2, 0, 1, unit="proportion per year", source=ASSUMPTION, doc="Share of researchers taking part in cross-sector events or networks in a year.", plausible=(0.05, 0.5))
    ties: int = param(2, 0, 20, unit="ties", source=ASSUMPTION, doc="Ties a participant forms with researchers in other sectors.", plausible=(1, 4))
    third_sector_share: float = param(0.4, 0, 1, unit="proportion", source="HSR UK report 2026 (links with third sector)", doc="Share of those ties made with third-sector researchers (where the participant is not in the third sector).", plausible=(0.2, 0.6))
    belonging_support: float = param(0.2, 0, 1, unit="belonging (0-1)", source=ASSUMPTION, doc="Belonging joint-post holders gain from shared structures (added to their belonging target).", plausible=(0.05, 0.4))
    cost_per_participant: float = param(250, 0, 1e5, unit="GBP per participant-year", source=ASSUMPTION, doc="Yearly cost per participant (events, coordination).", plausible=(100, 800))

    def apply_effects(self, fx: Effects) -> None:  # noqa: D102
        fx.belonging_support = max(fx.belonging_support, self.belonging_support)

    def start_of_year(self, model: CareerModel) -> None:  # noqa: D102
        from model import sectors

        pop, streams, year = model.pop, model.streams, model.year
        alive = model.alive_idx()
        taking_part = alive[streams.uniform("cross_sector_taking_part", alive, year) < self.coverage]
        if len(taking_part) and self.ties:
            a = np.repeat(taking_part, self.ties)
            # Tie j of a participant is draw j (rows: participants; columns: ties).
            u_third = np.column_stack([streams.uniform("cross_sector_third", taking_part, year, draw=j) for j in range(self.ties)]).ravel()
            u_partner = np.column_stack([streams.uniform("cross_sector_partner", taking_part, year, draw=j) for j in range(self.ties)]).ravel()
            own = pop.sector[a]
            third = (u_third < self.third_sector_share) & (own != THIRD)
            want = np.where(third, THIRD, np.where(own == UNIVERSITY, NHS, UNIVERSITY))
            b = np.full(len(a), -1)
            for code in (UNIVERSITY, NHS, THIRD):
                pool = alive[pop.sector[alive] == code]
                where = np.flatnonzero(want == code)
                if len(pool) and len(where):
                    b[where] = pool[(u_partner[where] * len(pool)).astype(np.int64)]  # the partner depends on the pool
            ok = b >= 0
            sectors.link(model, a[ok], b[ok])
        model.add_spend(self.policy_type, len(taking_part) * self.cost_per_participant)


PolicySpec = Annotated[
    Union[tuple(POLICIES.values())],  # type: ignore[valid-type]  # noqa: UP007
    Field(discriminator="type"),
]
