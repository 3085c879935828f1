"""Analytic special case: a constant yearly exit hazard gives a geometric retention curve."""

import numpy as np
from model_testing import small_config

from model import retention_curves, run_one

H = 0.12


def _constant_hazard_config():
    # Switch off every exit route but 'other_sector' at rate H: contracts always renew (and posts are plentiful),
    # no redundancy, no caring or dissatisfaction exits, mentoring does not change the
    # hazard, nobody reaches retirement within the horizon, and leaving for another sector is
    # never diverted into a research post there.
    return small_config(
        population=1500,
        years=16,
        burn_in=2,
        **{
            "contracts.renewal_prob": 1.0,
            "contracts.redundancy_rate": 0.0,
            "contracts.mentor_effect": 0.0,
            "contracts.network_effect": 0.0,
            "social_class.renewal_penalty": 0.0,
            "disability.renewal_penalty": 0.0,
            "caring.mobility_penalty": 0.0,
            "caring.exit_rate": 0.0,
            "exits.other_sector_rate": H,
            "sectors.divert_max": 0.0,  # no other-sector exit turns into a move within research
            "exits.dissatisfied_rate": 0.0,
            "exits.neither_rate": 0.0,
            "exits.mentor_hazard_ratio": 1.0,
            "exits.retirement_age_min": 90.0,
            "exits.retirement_age_max": 90.0,
            "population.entry_rate": 0.15,
            "funding.shock_rate": 0.0,
            "posts.grant_envelope": 1e9,  # posts never bind: every offer finds a vacancy
        },
    )


def test_constant_hazard_gives_geometric_retention():
    cfg = _constant_hazard_config()
    careers = [run_one(cfg, seed, rep=i).careers for i, seed in enumerate((101, 102, 103))]
    pooled = np.concatenate([c["exit_reason"].dropna().unique() for c in careers])
    assert set(pooled) == {"other_sector"}
    # Pool the three replicates into one KM curve (rep ids kept apart by relabelling).
    import pandas as pd

    all_careers = pd.concat(careers, ignore_index=True)
    all_careers["rep"] = 0
    curve = retention_curves(all_careers, cfg.run.years).query("group == 'all'").set_index("years_since_entry")
    t = np.arange(1, 11)
    expected = (1 - H) ** t
    observed = curve.loc[t, "retained"].to_numpy()
    # Greenwood half-width / 1.96 is the KM standard error. About 225 entrants a year for
    # 16 years in 3 replicates (~10,000 careers) make it ~0.005 at t=5; 4 SEs keeps a
    # false failure rate below 1e-4 per point while a hazard off by 0.01 (0.11 or 0.13)
    # moves S(5) by ~0.03, which this test would catch.
    se = (curve.loc[t, "ci_high"] - curve.loc[t, "retained"]).to_numpy() / 1.96
    assert np.all(np.abs(observed - expected) <= 4 * se + 1e-9), (observed, expected, se)
    assert np.all(se < 0.012)
