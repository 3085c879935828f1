"""Retention of the cohorts no policy changes: the year-0 cohort and doctoral entrants."""

import math

import numpy as np
from model_testing import small_config, with_policies

from model import run_one
from model.population import DOCTORAL, EARLY, NO_YEAR
from model.retention import fixed_cohort_retention
from model.run import cohort_metrics


def test_year0_cohort_is_a_plain_share_of_those_in_hsr_at_year_0():
    # Four in HSR at year 0 (entered before it): one leaves in year 3, one in year 10 (after
    # the tenth year), one in year 9 (within it), one never. Retained at 10 years: 2 of 4.
    entry = np.array([-5, -1, -3, -2, 0, 4])
    exits = np.array([3, 10, 9, NO_YEAR, NO_YEAR, NO_YEAR])
    stage = np.array([EARLY, EARLY, EARLY, EARLY, EARLY, EARLY])
    r = fixed_cohort_retention(entry, exits, stage, horizon=20, years=10)
    assert r["cohort"] == 0.5 and math.isnan(r["doctoral"])  # no doctoral entrants in the reported years
    assert math.isnan(fixed_cohort_retention(entry, exits, stage, horizon=8, years=10)["cohort"])  # horizon too short


def test_doctoral_retention_is_kaplan_meier_over_doctoral_entrants_only():
    # Doctoral entrants at year 0: of 4, one leaves during year 2 (3 years in), none of the others:
    # retention at 10 years = 3/4. The early-career entrant who leaves at once is not one of them.
    entry = np.array([0, 0, 0, 0, 0, -3])
    exits = np.array([2, NO_YEAR, NO_YEAR, NO_YEAR, 0, NO_YEAR])
    stage = np.array([DOCTORAL, DOCTORAL, DOCTORAL, DOCTORAL, EARLY, DOCTORAL])
    r = fixed_cohort_retention(entry, exits, stage, horizon=12, years=10)
    assert r["doctoral"] == 0.75 and r["cohort"] == 1.0


def test_both_paths_agree_and_the_cohort_is_the_same_people_under_a_policy():
    cfg = small_config(population=400, years=10)
    res = run_one(cfg, 5)
    from_cols = cohort_metrics(res)
    careers = res.careers
    res.career_cols = None  # the table path (a result read back from a store)
    assert cohort_metrics(res) == from_cols and res.careers is careers
    assert 0 < from_cols["cohort_retention_10y"] < 1 and 0 <= from_cols["doctoral_retention_10y"] <= 1
    # The year-0 cohort is fixed before any policy starts: the same researchers under a policy.
    policy = with_policies(cfg, {"type": "bridge_funding"})
    base_ids = set(res.careers.loc[res.careers["entry_year"] < 0, "researcher_id"])
    pol = run_one(policy, 5).careers
    assert set(pol.loc[pol["entry_year"] < 0, "researcher_id"]) == base_ids and len(base_ids) > 100
