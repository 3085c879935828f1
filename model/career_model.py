"""CareerModel: researchers moving through contracts, gaps and stages under a funding climate.

Time is in years (``model.time``); one ``step()`` is one simulated year. Contract ends
and gap months are Mesa events at month resolution in between (at mid-month, so they
never tie with the year boundary). At each whole year the model runs the yearly review
of every researcher, grows the network, records the year and starts the next one
(funding climate, policies, entry cohort, mentoring).

Years are numbered from the start of the reported horizon: the burn-in runs years
``-burn_in_years .. -1`` and is not reported.
"""

from __future__ import annotations

import random
from collections import Counter

import mesa
import numpy as np

from model.config import ModelConfig
from model.funding import FundingClimate
from model.network import Mentoring, SocialNetwork
from model.parameters import CONTRACTS, EXIT_REASONS, SECTORS, STAGES
from model.policies import BridgeFunding, Effects, HardshipSupport
from model.researcher import Researcher, logit

# Initial population only; the burn-in replaces it with the model's own steady state.
INITIAL_STAGE_MIX = {"doctoral": 0.15, "early": 0.35, "mid": 0.30, "senior": 0.20}
INITIAL_AGE = {"doctoral": (24, 8), "early": (28, 10), "mid": (35, 15), "senior": (45, 17)}  # (min, span)

CAREER_COLUMNS = (
    "researcher_id", "entry_year", "entry_stage", "entry_sector", "gender", "working_class",
    "disabled", "ever_carer", "first_caring_year", "exit_year", "exit_reason", "final_stage",
    "final_contract", "gap_months_total", "bridged_months", "had_mentor",
)  # fmt: skip


class CareerModel(mesa.Model):
    """The HSR career model. ``CareerModel(config, seed).run()`` simulates burn-in and horizon."""

    def __init__(self, config: ModelConfig, seed: int | np.random.SeedSequence = 0) -> None:
        ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
        agent_ss, climate_ss, network_ss = ss.spawn(3)
        super().__init__(rng=int(agent_ss.generate_state(1)[0]))
        self.config = config
        self.params = config
        self.burn_in = config.run.burn_in_years
        self.horizon = config.run.years
        self.end_time = float(self.burn_in + self.horizon)
        # Separate streams keep the climate and the network identical across scenarios
        # that share a seed (common random numbers), whatever the policies change.
        self.funding = FundingClimate(config.funding, config.shocks, random.Random(int(climate_ss.generate_state(1)[0])))
        self.network = SocialNetwork(config.network, random.Random(int(network_ss.generate_state(1)[0])))
        self.mentoring = Mentoring(self.network, config.network, self.network.random)
        self.policies = [p.model_copy(deep=True) for p in config.policies]
        self.fx = Effects()
        self.year = -self.burn_in - 1
        self.climate = 1.0
        self.spend: Counter[str] = Counter()
        self.counts: Counter[str] = Counter()
        self.career_rows: list[tuple] = []
        self.yearly_rows: list[dict] = []
        self.events: list[tuple] = [] if config.run.log_events else None  # type: ignore[assignment]
        self._bridges: list[BridgeFunding] = []
        self._hardship: list[HardshipSupport] = []
        self._start_year(initial=True)

    # ----- helpers agents call ------------------------------------------------------
    def salary_month(self, stage: str) -> float:
        """Monthly employer cost of a researcher at ``stage`` (GBP)."""
        return getattr(self.params.gaps, f"salary_{stage}")

    def p_permanent(self, stage: str, sector: str) -> float:
        """Chance a new post at this stage and sector is permanent."""
        c = self.params.contracts
        if stage == "doctoral":
            return 0.0
        base = getattr(c, f"p_permanent_{stage}")
        if sector == "nhs":
            base += c.nhs_permanent_boost
        elif sector == "third_sector":
            base += c.third_sector_permanent_boost
        return min(1.0, base)

    def draw_contract_months(self, stage: str) -> int:
        """Length of a new fixed-term contract in whole months (at least 3)."""
        c = self.params.contracts
        if stage == "doctoral":
            return max(12, round(c.doctoral_months + (self.random.random() - 0.5) * 12))
        shape = c.fixed_term_shape
        return max(3, round(self.random.gammavariate(shape, c.fixed_term_mean_months / shape)))

    def add_spend(self, policy: str, pounds: float) -> None:
        """Book policy spending in the current year."""
        self.spend[policy] += pounds

    def bridge_month(self, agent: Researcher) -> bool:
        """Whether a bridge-funding policy pays this gap month."""
        return any(b.cover_gap_month(self, agent) for b in self._bridges)

    def hardship_top_up(self, agent: Researcher) -> None:
        """Let hardship support top up an exhausted safety net."""
        for h in self._hardship:
            if h.top_up_safety_net(self, agent):
                return

    def count_contract_end(self) -> None:  # noqa: D102
        self.counts["contract_ends"] += 1

    def count_gap_start(self) -> None:  # noqa: D102
        self.counts["gap_starts"] += 1

    def count_promotion(self) -> None:  # noqa: D102
        self.counts["promotions"] += 1

    def count_reemployed(self, months: int) -> None:  # noqa: D102
        self.counts["reemployed"] += 1
        if months > 2:
            self.counts["reemployed_after_2m"] += 1

    def log(self, agent: Researcher, event: str, detail: str = "") -> None:
        """Append to the event log (when kept)."""
        if self.events is not None:
            self.events.append((self.time, self.year, agent.unique_id, event, detail))

    # ----- entry and exit -----------------------------------------------------------
    def _new_researcher(self, stage: str, age: float, sector: str | None = None) -> Researcher:
        pop = self.params.population
        if sector is None:
            u = self.random.random()
            sector = "university" if u < pop.share_university else "nhs" if u < pop.share_university + pop.share_nhs else "third_sector"
        return Researcher(self, stage=stage, sector=sector, age=age, entry_year=self.year)

    def _enter_cohort(self) -> None:
        pop = self.params.population
        expected = pop.entry_rate * self.config.run.population * self.climate
        n = int(expected) + (self.random.random() < expected - int(expected))
        pool = list(self.agents)
        ties = self.params.network.ties_at_entry
        for _ in range(n):
            if self.random.random() < pop.entry_share_doctoral:
                a = self._new_researcher("doctoral", 23 + self.random.expovariate(1 / 4))
                a._schedule_contract_end(self.draw_contract_months("doctoral"))
            else:
                a = self._new_researcher("early", 27 + self.random.expovariate(1 / 4))
                a.start_post()
            self.network.add(a, pool, ties)
            self.log(a, "entry", a.stage)
        self.counts["entrants"] += n

    def _initial_population(self) -> None:
        n = self.config.run.population
        stages = list(INITIAL_STAGE_MIX)
        weights = list(INITIAL_STAGE_MIX.values())
        people = []
        for _ in range(n):
            stage = self.random.choices(stages, weights)[0]
            lo, span = INITIAL_AGE[stage]
            a = self._new_researcher(stage, lo + self.random.random() * span)
            a.service_years = float(int((a.age - 24) * self.random.random()))
            if stage == "doctoral" or self.random.random() >= self.p_permanent(stage, a.sector):
                length = self.draw_contract_months(stage)
                a._schedule_contract_end(1 + int(self.random.random() * length))
            else:
                a.contract = "permanent"
            people.append(a)
        ties = self.params.network.ties_at_entry
        for a in people:
            self.network.add(a, people, ties)

    def exit(self, agent: Researcher, reason: str) -> None:
        """Remove a researcher, recording the career row."""
        agent.exit_year = self.year
        agent.exit_reason = reason
        self.counts[f"exits_{reason}"] += 1
        self.log(agent, "exit", reason)
        if agent._contract_event is not None:
            agent._contract_event.cancel()
        agent.drop_mentor()
        for mentee in list(agent.mentees):
            mentee.drop_mentor()
        if self.year >= 0:
            self.career_rows.append(self._career_row(agent))
        self.network.remove(agent)
        agent.remove()

    def _career_row(self, a: Researcher) -> tuple:
        return (
            a.unique_id, a.entry_year, a.entry_stage, a.entry_sector, a.gender, a.working_class,
            a.disabled, a.ever_carer, a.first_caring_year, a.exit_year, a.exit_reason, a.stage,
            a.contract, a.gap_months_total, a.bridged_months, a.had_mentor,
        )  # fmt: skip

    # ----- the year -----------------------------------------------------------------
    def _start_year(self, initial: bool = False) -> None:
        self.year += 1
        self.climate = self.funding.advance(self.year)
        c = self.params.contracts
        shift = c.climate_effect * (self.climate - 1.0)
        self.renewal_logit = logit(c.renewal_prob) + shift
        self.reemploy_logit = logit(self.params.gaps.reemploy_month) + shift
        self.redundancy_rate = c.redundancy_rate * (1.0 + 3.0 * max(0.0, 1.0 - self.climate))
        self.counts = Counter()
        self.spend = Counter()
        if initial:
            self._initial_population()
        else:
            self._enter_cohort()
        self.fx = Effects()
        active = [p for p in self.policies if p.active(self.year)]
        for p in active:
            p.apply_effects(self.fx)
        for p in active:
            p.start_of_year(self)
        self._bridges = [p for p in active if isinstance(p, BridgeFunding)]
        self._hardship = [p for p in active if isinstance(p, HardshipSupport)]
        self.mentoring.assign_informal(list(self.agents))

    def step(self) -> None:
        """End of a simulated year: reviews, network growth, record; then start the next year."""
        self.agents.shuffle_do("yearly_review")
        self.network.grow(list(self.agents), self.params.network.new_ties_per_year)
        if self.year >= 0:
            self._record_year()
        if self.time < self.end_time - 1e-9:
            self._start_year()

    def run(self) -> CareerModel:
        """Simulate the burn-in and the reported horizon."""
        self.run_until(self.end_time)
        return self

    # ----- observation --------------------------------------------------------------
    def _record_year(self) -> None:
        tally: Counter = Counter()
        sat = Counter()
        carers = mentored = 0
        for a in self.agents:
            tally[a.stage] += 1
            tally[a.sector] += 1
            tally[a.contract] += 1
            sat[a.satisfaction] += 1
            sat[(a.contract == "permanent", a.satisfaction >= 4)] += 1
            carers += a.caring
            mentored += a.mentor is not None
        active = len(self.agents)
        employed = tally["permanent"] + tally["fixed_term"]
        per = 1.0 / active if active else 0.0
        row = {"year": self.year, "funding_climate": self.climate, "active": active, "entrants": self.counts["entrants"]}
        for r in EXIT_REASONS:
            row[f"exits_{r}"] = self.counts[f"exits_{r}"]
        row["exits_total"] = sum(row[f"exits_{r}"] for r in EXIT_REASONS)
        for key in (*STAGES, *SECTORS, *CONTRACTS):
            row[f"active_{key}"] = tally[key]
        row["share_fixed_term"] = tally["fixed_term"] / employed if employed else 0.0
        row["sat_satisfied"] = (sat[4] + sat[5]) * per
        row["sat_neither"] = sat[3] * per
        row["sat_dissatisfied"] = (sat[1] + sat[2]) * per
        for label, perm in (("permanent", True), ("non_permanent", False)):
            n = sat[(perm, True)] + sat[(perm, False)]
            row[f"sat_satisfied_{label}"] = sat[(perm, True)] / n if n else float("nan")
        row["share_carers"] = carers * per
        row["share_mentored"] = mentored * per
        for key in ("contract_ends", "gap_starts", "reemployed", "reemployed_after_2m", "promotions"):
            row[key] = self.counts[key]
        row["gap_incidence"] = self.counts["gap_starts"] * per
        for p in self.policies:
            row[f"spend_{p.policy_type}"] = self.spend[p.policy_type]
        row["policy_spend"] = float(sum(self.spend.values()))
        self.yearly_rows.append(row)

    def active_career_rows(self) -> list[tuple]:
        """Career rows of everyone still active (censored at the horizon)."""
        return [self._career_row(a) for a in self.agents]
