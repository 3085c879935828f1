"""Common random numbers by construction (DESIGN.md §5; docs/ODD.md, "Random numbers").

(a) A policy that does nothing gives a run identical to the baseline in every table.
(b) Researchers keep their own draws across scenarios: nothing differs before the
    policy first acts; a history that depends only on a researcher's own draws (caring)
    is identical while they are in research in both runs; most researchers' whole
    histories are untouched by a small policy.
(c) A whole run with every policy draws no (decision, step, draw, id) twice.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from model_testing import small_config, with_policies

from model import run_one
from model.career_model import CareerModel
from model.policies import POLICIES, BridgeFunding
from model.streams import CheckedStreams
from model.survey import sample_survey

SEED = 31


def _same_tables(base, other) -> None:
    """Every table of ``other`` equals ``base``'s; the policy's own spending column may be added, all zero."""
    extra = [c for c in other.yearly.columns if c not in base.yearly.columns]
    assert all(c.startswith("spend_") for c in extra), extra
    assert (other.yearly[extra] == 0).all().all()
    pd.testing.assert_frame_equal(base.yearly, other.yearly[base.yearly.columns])
    pd.testing.assert_frame_equal(base.careers, other.careers)
    pd.testing.assert_frame_equal(base.survey, other.survey)
    pd.testing.assert_frame_equal(base.events, other.events)
    pd.testing.assert_series_equal(pd.Series(base.metrics()), pd.Series(other.metrics()))


@pytest.fixture(scope="module")
def baseline():
    return run_one(small_config(population=400, years=8, burn_in=3), SEED)


def test_a_bridge_with_no_budget_gives_the_baseline_run(baseline):
    cfg = with_policies(small_config(population=400, years=8, burn_in=3), {"type": "bridge_funding", "yearly_budget": 0, "min_service_years": 0})
    _same_tables(baseline, run_one(cfg, SEED))


def test_a_policy_starting_after_the_horizon_gives_the_baseline_run(baseline):
    cfg = small_config(population=400, years=8, burn_in=3)
    # Validation refuses a start year after the horizon (it would never act), so build it past validation.
    late = cfg.model_copy(update={"policies": [BridgeFunding(start_year=50, yearly_budget=5e6, min_service_years=0)]})
    assert late.policies[0].start_year > late.run.years
    _same_tables(baseline, run_one(late, SEED))


def _histories(events: pd.DataFrame) -> dict[int, list[tuple]]:
    return {int(i): list(zip(g["time"], g["event"], g["detail"].astype(str), strict=True)) for i, g in events.groupby("researcher_id", sort=False)}


@pytest.fixture(scope="module")
def paired_runs():
    """Baseline and bridge funding from year 3 (of 8), both at one seed."""
    cfg = small_config(population=600, years=8, burn_in=3)
    policy = with_policies(cfg, {"type": "bridge_funding", "start_year": 3, "yearly_budget": 300_000})
    return run_one(cfg, SEED), run_one(policy, SEED), 3


def test_b_nothing_differs_before_the_policy_first_acts(paired_runs):
    base, pol, start = paired_runs
    assert pol.yearly["spend_bridge_funding"].iloc[start] > 0  # it does act from its start year
    before_b = base.events[base.events["year"] < start].reset_index(drop=True)
    before_p = pol.events[pol.events["year"] < start].reset_index(drop=True)
    pd.testing.assert_frame_equal(before_b, before_p)
    pd.testing.assert_frame_equal(base.yearly.iloc[:start], pol.yearly.iloc[:start][base.yearly.columns])
    # The first year any researcher's record differs is no earlier than the start year.
    hb, hp = _histories(base.events), _histories(pol.events)
    first = []
    for i in set(hb) | set(hp):
        a, b = hb.get(i, []), hp.get(i, [])
        k = next((j for j, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
        if a != b:
            first.append(min(e[0] for e in (a[k : k + 1] + b[k : k + 1])))
    assert first, "the policy changed no one's history"
    burn_in = 3
    assert min(first) >= burn_in + start  # event times count from the start of the burn-in


def test_b_caring_histories_are_a_researchers_own_draws(paired_runs):
    base, pol, _ = paired_runs
    never = 10**6

    def years(careers: pd.DataFrame, col: str) -> pd.Series:
        return careers.set_index("researcher_id")[col].astype("Float64").fillna(never)

    both = years(base.careers, "entry_year").index.intersection(years(pol.careers, "entry_year").index)
    entry_b, entry_p = years(base.careers, "entry_year")[both], years(pol.careers, "entry_year")[both]
    first_b, first_p = years(base.careers, "first_caring_year")[both], years(pol.careers, "first_caring_year")[both]
    until = np.minimum(years(base.careers, "exit_year")[both], years(pol.careers, "exit_year")[both])
    # Caring starts and ends with the researcher's own uniforms, their age and their own
    # caring state. Whoever entered research in the same year in both runs and is in both
    # through their first caring year (in either run) starts caring that same year in both.
    # (An exit year may end before that year's review, where caring starts: a gap exit.)
    started = np.minimum(first_b, first_p)
    comparable = (entry_b == entry_p) & ((started < until) | (started == never))  # never a carer in either run: equal
    assert comparable.sum() > 400
    assert ((first_b < never) & comparable).sum() > 20  # carers among them, not only never-carers
    assert (first_b[comparable] == first_p[comparable]).all()


def test_b_most_researchers_never_bridged_keep_their_whole_history(paired_runs):
    base, pol, _ = paired_runs
    hb, hp = _histories(base.events), _histories(pol.events)
    bridged = set(pol.careers.loc[pol.careers["bridged_months"] > 0, "researcher_id"].astype(int))
    untouched = [i for i in hb if i not in bridged and i in hp]
    same = np.mean([hb[i] == hp[i] for i in untouched])
    # Bridging a few dozen people for five years moves posts and the network for some
    # others (fewer vacancies; partners drawn from a changed pool), but with per-researcher
    # streams most never-bridged careers are untouched. With one shared generator (before
    # common random numbers by construction) about 35% were identical at this size over
    # seeds 31-33, mostly those who left before the start year; with the streams 75-83%.
    assert same > 0.6, same


def test_c_a_whole_run_with_every_policy_never_reuses_a_draw():
    policies = [{"type": name} for name in POLICIES]
    cfg = with_policies(small_config(population=300, years=5, burn_in=2), *policies)
    model = CareerModel(cfg, SEED, streams=CheckedStreams).run()
    sample_survey(model)
    decisions = {d for d, _, _ in model.streams.used}
    # Every family of decisions was exercised (so the check saw them all).
    for name in ("offer", "gap_exit", "promotion", "exit", "caring_change", "meet_partner", "bridge_order", "formal_slot", "survey_sample", "hire_grant_open"):
        assert name in decisions, name
