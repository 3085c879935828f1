"""CareerModel: researchers moving through contracts, gaps and stages under a funding climate.

Time is in years (``model.time``); one ``step()`` is one simulated year. A recurring
Mesa event fires mid-month, every month: it processes that month's gap months and the
contract ends due that month (DESIGN.md §3: a contract end is an event at a month,
found by one vector comparison on the ``contract_end`` column, not a check of every agent in Python). At each whole year ``step()`` runs the yearly
review, grows the network, records the year and starts the next one (funding climate,
entry cohort, policies, mentoring).

Years are numbered from the start of the reported horizon: the burn-in runs years
``-burn_in_years .. -1`` and is not reported.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable

import mesa
import numpy as np
from mesa.time import Schedule
from scipy import special

from model import caring as caring_spells
from model import contracts, disclosure, managers
from model.agents import add_agents, remove_agents
from model.config import ModelConfig
from model.employers import Employers
from model.funding import FundingClimate
from model.initial import initial_population
from model.mentoring import Mentoring
from model.network import SocialNetwork
from model.observe import EventLog, record_year
from model.policies import HOOKS, Effects, Policy
from model.population import DOCTORAL, EARLY, GAP, NHS, THIRD, UNIVERSITY, Population
from model.posts import Posts
from model.reach import ReachLedger
from model.review import yearly_review
from model.streams import Streams


def child_seeds(ss: np.random.SeedSequence, n: int) -> list[np.random.SeedSequence]:
    """The ``n`` children ``ss.spawn(n)`` gives on a fresh object, without mutating ``ss``."""
    return [np.random.SeedSequence(ss.entropy, spawn_key=(*ss.spawn_key, i), pool_size=ss.pool_size) for i in range(n)]


def _logit(p: float) -> float:
    p = min(max(p, 1e-12), 1 - 1e-12)
    return float(np.log(p / (1 - p)))


class CareerModel(mesa.Model):
    """The HSR career model. ``CareerModel(config, seed).run()`` simulates burn-in and horizon."""

    def __init__(self, config: ModelConfig, seed: int | np.random.SeedSequence = 0, streams: type[Streams] = Streams) -> None:
        ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
        # Children are derived, not spawned: spawn() mutates the caller's object, so a
        # reused SeedSequence would give a different run (and break common random numbers).
        agent_ss, streams_ss = child_seeds(ss, 2)
        # Mesa's own generator (model.random, model.rng) serves Mesa's internals only.
        super().__init__(rng=np.random.default_rng(agent_ss))
        # Every random decision of the model: keyed by (seed, decision, step, draw) and
        # indexed by researcher id (model/streams.py; docs/ODD.md, "Random numbers"), so a
        # researcher's draws are the same in every scenario that shares the seed.
        self.streams = streams(streams_ss)
        self.month_draws: Streams = self.streams  # the month's batch of market draws (contracts.month)
        self.config = self.params = config
        self.burn_in = config.run.burn_in_years
        self.horizon = config.run.years
        self.end_time = float(self.burn_in + self.horizon)
        capacity = int(config.run.population * (1.2 + 1.5 * config.population.entry_rate * (self.burn_in + self.horizon)))
        self.pop = Population(capacity)
        self.funding = FundingClimate(config.funding, config.shocks, self.streams)
        self.employers = Employers(config.employers, self.streams.generator("employers", 0))
        self.network = SocialNetwork(config.network, self.pop, self.streams)
        self.mentoring = Mentoring(self.network, config.network, self.streams)
        self.policies = [p.model_copy(deep=True) for p in config.policies]
        self.posts = Posts(self, contracts.start_post)
        # Researcher id -> its agent (None: not in research); an array, so cohorts go in and out in one step.
        self.agents_by_id: np.ndarray = np.full(self.pop.capacity, None, dtype=object)
        self.fx = Effects()
        self.year = -self.burn_in - 1
        self.month = 0
        self.contract_seq = 0  # contract ends scheduled so far (their processing order within a month)
        self.climate = 1.0
        self.spend: Counter[str] = Counter()
        self.reach = ReachLedger(self.pop)  # whom each policy reached, and what it spent on them
        self.counts: Counter[str] = Counter()
        self.yearly_rows: list[dict] = []
        self.events = EventLog(self) if config.run.log_events else None
        self.researcher_years = 0  # every simulated year, burn-in included (for benchmarks)
        self.first_hires: list[np.ndarray] = []  # this year's first post-doctoral hires (contracts.count_first_hires)
        self._tie_later: list[np.ndarray] = []  # hired entrants whose first ties form at the review
        self.hooked: dict[str, list[Policy]] = {h: [] for h in HOOKS}  # this year's active policies, by the hooks they use
        self._salary = np.array([getattr(config.gaps, f"salary_{s}") for s in ("doctoral", "early", "mid", "senior")])
        self._start_year(initial=True)
        self.schedule_recurring(self._month_event, Schedule(interval=1.0 / 12.0, start=0.5 / 12.0))

    # ----- helpers the processes and policies call ---------------------------------
    def salary_months(self, stage: np.ndarray) -> np.ndarray:
        """Monthly employer cost (GBP) for researchers at ``stage`` codes."""
        return self._salary[stage]

    def add_spend(self, policy: str, pounds: float) -> None:
        """Book policy spending in the current year."""
        self.spend[policy] += pounds

    def book(
        self,
        policy: str,
        benefit: str,
        eligible: np.ndarray,
        reached: np.ndarray,
        months: float | np.ndarray = 0.0,
        pounds: float | np.ndarray = 0.0,
        overhead: float = 0.0,
    ) -> None:
        """One decision of ``policy``: who was ``eligible``, who was ``reached``, months and pounds each, overhead.

        Books the spending (``pounds`` per reached researcher, a scalar or one each, plus
        ``overhead``) in the current year and, in the reported horizon, the reach
        (``model/reach.py``), so spending and whom it reached are one record.
        """
        n = len(reached)
        if np.ndim(pounds):
            each = np.asarray(pounds, dtype=float)
            total = float(each.sum())
        else:
            each = np.full(n, float(pounds))
            total = float(pounds) * n
        self.add_spend(policy, total + overhead if overhead else total)
        if self.year >= 0:
            months_each = np.asarray(months, dtype=float) if np.ndim(months) else np.full(n, float(months))
            self.reach.book(policy, benefit, eligible, reached, months_each, each, overhead)

    def kept_by_policies(self, hook: str, idx: np.ndarray) -> np.ndarray:
        """Ids of ``idx`` the active policies keep employed through ``hook`` (``funding_end`` or ``redundancy``), each offered the rest in turn."""
        kept = []
        for p in self.hooked[hook]:
            got = getattr(p, hook)(self, idx)
            if len(got):
                kept.append(got)
                idx = np.setdiff1d(idx, got, assume_unique=True)
        return np.concatenate(kept) if kept else idx[:0]

    def log(self, idx: np.ndarray, event: str, detail: object = "") -> None:
        """Append to the event log (when kept)."""
        if self.events is not None and len(idx):
            self.events.add(idx, event, detail)

    def alive_idx(self) -> np.ndarray:
        """Ids of active researchers."""
        return self.pop.alive_idx()

    # ----- entry and exit -----------------------------------------------------------
    # The entry draws of a researcher: one decision ("entry"), one draw per attribute, in
    # one pass for a cohort (docs/ODD.md 4.3). Ids are allocated in the same order in every
    # scenario (entry counts never depend on a policy), so an id is the same person everywhere.
    ENTRY_DRAWS = (
        "woman", "working_class", "disabled", "sector", "no_safety_net", "caring", "neurodivergent", "disclosed",
        "adjusted", "safety_net", "manager_skill", "resilience", "retirement_age", "employer", "age",
    )  # fmt: skip
    _E = {name: j for j, name in enumerate(ENTRY_DRAWS)}

    def add_researchers(self, stage: np.ndarray, age_of: Callable[[np.ndarray], np.ndarray], activate: bool = True) -> np.ndarray:
        """New rows of researchers (``age_of`` maps each one's age uniform to an age); with ``activate=False`` they are applicants, not yet in research."""
        p, pop = self.params, self.pop
        k = len(stage)
        idx = pop.allocate(k)
        pp, e = p.population, self._E
        u = self.streams.uniforms("entry", idx, self.year, len(self.ENTRY_DRAWS)).T
        u_open = u + 2.0**-54  # in (0, 1), for logs and the normal quantile
        pop.woman[idx] = u[e["woman"]] < pp.share_women
        pop.working_class[idx] = wc = u[e["working_class"]] < pp.share_working_class
        pop.disabled[idx] = u[e["disabled"]] < pp.share_disabled
        disclosure.at_entry(self, idx, u[[e["neurodivergent"], e["disclosed"], e["adjusted"]]])
        us = u[e["sector"]]
        sector = np.where(us < pp.share_university, UNIVERSITY, np.where(us < pp.share_university + pp.share_nhs, NHS, THIRD))
        no_net = u[e["no_safety_net"]] < pp.share_no_safety_net * np.where(wc, 2.0, 1.0)
        mean_net = pp.safety_net_mean_months * np.where(wc, p.social_class.safety_net_factor, 1.0)
        pop.safety_net[idx] = np.where(no_net, 0.0, -np.log(u_open[e["safety_net"]]) * mean_net)
        pop.entry_safety_net[idx] = pop.safety_net[idx]
        pop.manager_skill[idx] = special.ndtri(u_open[e["manager_skill"]])
        pop.resilience[idx] = special.ndtri(u_open[e["resilience"]])  # the personal part; model/resilience.py adds circumstances
        pop.age[idx] = age_of(u_open[e["age"]])
        ex = p.exits
        pop.retirement_age[idx] = ex.retirement_age_min + u[e["retirement_age"]] * (ex.retirement_age_max - ex.retirement_age_min)
        caring = u[e["caring"]] < np.where(pop.woman[idx], p.caring.at_entry_women, p.caring.at_entry_men)
        pop.caring[idx] = pop.ever_carer[idx] = caring
        pop.first_caring_year[idx[caring]] = self.year
        pop.stage[idx] = stage
        caring_spells.start_spells(self, idx[caring], "care_spell_at_entry")
        pop.stage[idx] = pop.entry_stage[idx] = stage
        pop.sector[idx] = pop.entry_sector[idx] = sector
        pop.employer[idx] = self.employers.draw(sector, u[e["employer"]])
        pop.entry_year[idx] = self.year
        pop.refresh_insider(idx)
        if activate:
            self._activate(idx)
        return idx

    def _activate(self, idx: np.ndarray) -> None:
        self.pop.alive[idx] = True
        add_agents(self, idx)
        self.log(idx, "entry")

    def _enter_cohort(self) -> None:
        """The year's doctoral studentships (funded apart from research posts; they scale with the climate)."""
        pop_p = self.params.population
        expected = pop_p.entry_rate * pop_p.entry_share_doctoral * self.config.run.population * self.climate
        # The count depends on the climate only (never on a policy), so it is a model-level draw.
        k = int(expected) + int(self.streams.generator("doctoral_entrants", self.year).random() < expected - int(expected))
        if k == 0:
            return
        pool = self.alive_idx()
        stage = np.full(k, DOCTORAL, dtype=np.int8)
        idx = self.add_researchers(stage, lambda u: 23.0 - 4.0 * np.log(u))  # 23 + exponential, mean 4
        contracts.schedule_ends(self, idx, contracts.contract_months(self, idx, stage))
        self.network.add(idx, pool)
        self.counts["entrants"] += k

    def _draw_applicants(self) -> np.ndarray:
        """This year's early-career applicants from outside UK HSR, drawn at once: rows not yet in research.

        Twelve monthly Poisson counts, one cohort of rows (one call instead of twelve:
        creating rows costs the same for 5 people as for 500); month ``m`` of the year
        reads its slice through ``outside_applicants``.
        """
        expected = self.params.posts.outside_applicant_rate * self.config.run.population / 12.0
        counts = self.streams.generator("outside_applicants", self.year).poisson(expected, 12)  # never depends on a policy
        self._applicant_bounds = np.concatenate([[0], np.cumsum(counts)])
        k = int(self._applicant_bounds[-1])
        if k == 0:
            return np.zeros(0, dtype=np.int64)
        return self.add_researchers(np.full(k, EARLY, dtype=np.int8), lambda u: 27.0 - 4.0 * np.log(u), activate=False)

    def next_ids(self, k: int) -> np.ndarray:
        """The ids the next ``k`` new rows will get (for draws made before the rows exist)."""
        return np.arange(self.pop.n, self.pop.n + k)

    def outside_applicants(self) -> np.ndarray:
        """This month's outside applicants (drawn with the year), scored like everyone."""
        m = min(11, max(0, self.month - self._year_start_month))
        return self._applicants[self._applicant_bounds[m] : self._applicant_bounds[m + 1]]

    def activate_entrants(self, idx: np.ndarray) -> None:
        """Outside applicants ``idx`` were hired: they enter research now (their first ties form by the year's review)."""
        self.pop.entry_year[idx] = self.year
        self._activate(idx)
        self._tie_later.append(idx)
        self.counts["entrants"] += len(idx)

    def _tie_entrants(self) -> None:
        """The year's hired entrants still in research meet people and form their first ties, as a cohort.

        Nothing before the review reads a newcomer's ties (tacit knowledge, mentors and
        the renewal shift are yearly), so forming them once a year, with the researchers
        in post then, gives the review the same network at a twelfth of the calls.
        """
        if not self._tie_later:
            return
        idx = np.concatenate(self._tie_later)
        self._tie_later = []
        idx = idx[self.pop.alive[idx]]
        alive = self.pop.alive.copy()
        alive[idx] = False  # newcomers meet the researchers already there, as the doctoral cohort does
        self.network.add(idx, np.flatnonzero(alive[: self.pop.n]))

    def exit(self, idx: np.ndarray, reason: int) -> None:
        """Researchers ``idx`` leave research for ``reason`` (an EXIT_REASONS code)."""
        self.exit_groups([(idx, reason)])

    def exit_groups(self, groups: list[tuple[np.ndarray, int]]) -> None:
        """Groups ``(ids, reason)`` leave research: the same as ``exit`` for each group in turn, with the bookkeeping done once."""
        groups = [(g, r) for g, r in groups if len(g)]
        if not groups:
            return
        pop = self.pop
        idx = groups[0][0] if len(groups) == 1 else np.concatenate([g for g, _ in groups])
        pop.alive[idx] = False
        pop.exit_year[idx] = self.year
        for g, r in groups:
            pop.exit_reason[g] = r
            self.counts[f"exit_{r}"] += len(g)
            self.log(g, "exit", r)
        self.posts.release(idx)  # in group order, as group by group (vacancies queue in that order)
        self.mentoring.drop(idx)
        if (pop.informal_mentees[idx] > 0).any() or (pop.formal_mentees[idx] > 0).any():
            # Their mentees (anyone with a mentor is active: leavers' mentoring ended above).
            leaving = np.zeros(pop.n + 1, dtype=bool)  # the extra slot answers mentor == -1
            leaving[idx] = True
            self.mentoring.drop(self.mentoring.mentees_of(leaving))
        self.network.remove(idx)
        remove_agents(self, idx)

    # ----- the month and the year ---------------------------------------------------
    def _month_event(self) -> None:
        self.month = int(self.time * 12)
        pop = self.pop
        n = pop.n
        alive = pop.alive[:n]
        in_gap = np.flatnonzero((pop.contract[:n] == GAP) & alive)
        # Person-months in research and in post (flows, for researcher-years).
        in_research = int(np.count_nonzero(alive))
        self.counts["researcher_months"] += in_research
        self.counts["employed_months"] += in_research - len(in_gap)
        due = np.flatnonzero(pop.contract_end[:n] == self.month)
        due = due[pop.alive[due]]
        due = due[np.argsort(pop.contract_seq[due], kind="stable")]
        contracts.month(self, in_gap, due)

    def _start_year(self, initial: bool = False) -> None:
        self.year += 1
        self.network.year = self.year
        self.month = self._year_start_month = round(self.time * 12)  # contracts that start at the boundary count from here
        self.climate = self.funding.advance(self.year)
        c = self.params.contracts
        shift = c.climate_effect * (self.climate - 1.0)
        self.renewal_logit = _logit(c.renewal_prob) + shift
        self.reemploy_logit = _logit(self.params.gaps.reemploy_month) + shift
        self.redundancy_rate = c.redundancy_rate * (1.0 + 3.0 * max(0.0, 1.0 - self.climate))
        self.counts = Counter()
        self.spend = Counter()
        self.posts.start_year(self.climate)
        if initial:
            initial_population(self)
        else:
            self._enter_cohort()
        self.fx = Effects()
        active = [p for p in self.policies if p.active(self.year)]
        for p in active:
            p.apply_effects(self.fx)
        self.employers.begin_year()
        for p in active:
            p.start_of_year(self)
        self.employers.advance()
        self.hooked = {h: [p for p in active if p.uses(h)] for h in HOOKS}
        alive = self.alive_idx()
        self.mentoring.assign_informal(alive)
        for p in self.hooked["after_mentoring"]:  # a formal scheme matches those informal networks left without a mentor
            p.after_mentoring(self)
        managers.assign(self, alive)
        self.pop.manager_support[alive] = managers.support(self, alive)
        disclosure.update(self, alive)
        self._applicants = self._draw_applicants()
        contracts.refresh_renewal_base(self, np.concatenate([alive, self._applicants]))

    def step(self) -> None:
        """End of a simulated year: reviews, network growth, record; then start the next year."""
        self._tie_entrants()
        contracts.count_first_hires(self)
        alive = self.alive_idx()
        self.researcher_years += len(alive)
        yearly_review(self, alive)
        alive = self.alive_idx()
        self.network.grow(alive, self.params.network.new_ties_per_year)
        if self.year >= 0:
            self.yearly_rows.append(record_year(self, alive))  # growing ties changes no one's state
        if self.time < self.end_time - 1e-9:
            self._start_year()
        else:
            self.running = False  # the horizon is reached (interactive runners stop here)

    def run(self) -> CareerModel:
        """Simulate the burn-in and the reported horizon."""
        # Many small long-lived objects (agents, graph dicts): the cyclic collector's
        # repeated passes over them cost time and free nothing until the run ends.
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            self.run_until(self.end_time)
        finally:
            if was_enabled:
                gc.enable()
        return self

    def close(self) -> None:
        """Free the finished run at once: drop the agents and break every model reference cycle.

        Agents refer to the model and Mesa's model refers to itself (its step schedule,
        scenario and wrapped step method), so without this a finished run would wait for
        the cyclic garbage collector, which then runs during the *next* run and charges it
        for the whole of this one. After ``close()`` the population columns, yearly rows
        and network stay readable; agents, Mesa's event list and stepping are gone.
        """
        self._all_agents._agents.clear()
        self._agents_by_type.clear()
        self.agents_by_id.fill(None)
        self._event_generators.clear()
        self._event_list.clear()
        self._default_schedule = None
        if self.events is not None:
            self.events.model = None  # the log stays readable (its frame needs no model)
        self.events = None
        for name in ("step", "_user_step", "_scenario"):
            self.__dict__.pop(name, None)
