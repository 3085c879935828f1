"""The leaky pipeline's mechanisms (model/pipeline.py): part-time work follows the caring load, and each
mechanism on its own lowers women's senior share relative to their early-career share."""

from __future__ import annotations

import numpy as np
from model_testing import clearly_negative, small_config

from calibration.measures import women_senior_to_early_ratio
from model import run_one
from model.career_model import CareerModel
from model.pipeline import update_part_time

OFF = {"pipeline.part_time_base": 0.0, "pipeline.part_time_care": 0.0, "pipeline.senior_gap_women": 0.0}


def test_part_time_chance_is_base_plus_care_times_load():
    cfg = small_config(population=4000, **{"pipeline.part_time_base": 0.2, "pipeline.part_time_care": 0.5})
    model = CareerModel(cfg, seed=3)
    idx = model.alive_idx()
    n = len(idx)
    se = np.sqrt(0.25 / n)  # binomial SE at most; 4 SE leaves a false-alarm chance under 1e-4
    assert abs(update_part_time(model, idx, np.zeros(n)).mean() - 0.2) < 4 * se
    assert abs(update_part_time(model, idx, np.ones(n)).mean() - 0.7) < 4 * se
    assert abs(update_part_time(model, idx, np.full(n, 0.5)).mean() - 0.45) < 4 * se
    # a researcher's draw does not depend on who else is drawn (streams indexed by id)
    both = update_part_time(model, idx, np.full(n, 0.5))
    half = update_part_time(model, idx[::2], np.full(len(idx[::2]), 0.5))
    assert np.array_equal(both[::2], half)


def test_women_work_part_time_more_because_they_carry_more_care():
    # Pooled over three seeds: one seed's gap (about 0.04) is only about 2 SE from zero at 3,000 researchers.
    women_pt, men_pt, women0, men0 = [], [], [], []
    for seed in (5, 6, 7):
        model = CareerModel(small_config(population=3000, years=8, burn_in=10, **{"pipeline.part_time_care": 0.8}), seed=seed)
        model.run()
        pop = model.pop
        alive = model.alive_idx()
        women, men = alive[pop.woman[alive]], alive[~pop.woman[alive]]
        women_pt.append(pop.part_time[women])
        men_pt.append(pop.part_time[men])
        women0.append(pop.part_time[women[pop.care_intensity[women] == 0]])
        men0.append(pop.part_time[men[pop.care_intensity[men] == 0]])
    w, m, w0, m0 = (np.concatenate(x) for x in (women_pt, men_pt, women0, men0))
    gap = w.mean() - m.mean()
    se = np.sqrt(0.25 / len(w) + 0.25 / len(m))  # binomial SE at most
    assert gap > 3 * se, gap  # the default caring load makes women part-time more often
    # and the difference goes with the load: among those with no caring load, no gap beyond noise
    assert abs(w0.mean() - m0.mean()) < 4 * np.sqrt(0.25 / len(w0) + 0.25 / len(m0))


def _ratio(overrides: dict, seeds: range) -> np.ndarray:
    cfg = small_config(population=1500, years=5, burn_in=25, **overrides)
    return np.array([women_senior_to_early_ratio(run_one(cfg, s)) for s in seeds])


def test_part_time_work_slows_promotion():
    # Paired over 6 common seeds: halving part-timers' hours (FTE 1.0 -> 0.5) with many part-timers cuts promotions.
    on = {"pipeline.part_time_base": 0.5, "pipeline.part_time_fte": 0.5}
    full = {"pipeline.part_time_base": 0.5, "pipeline.part_time_fte": 1.0}
    diff = [
        run_one(small_config(population=1200, years=6, burn_in=5, **on), s).yearly["promotions"].sum()
        - run_one(small_config(population=1200, years=6, burn_in=5, **full), s).yearly["promotions"].sum()
        for s in range(6)
    ]
    assert clearly_negative(np.array(diff, dtype=float)), diff


def test_the_senior_step_makes_the_pipeline_leak():
    # Paired over 8 common seeds. The ratio's replicate SD is about 0.07 at 1,500 researchers and the
    # senior-step gap at the top of its range moves it by about 0.2, so 2.5 SE of the paired differences separates them.
    seeds = range(8)
    none = _ratio(OFF, seeds)
    assert abs(none.mean() - 1.0) < 0.12  # no mechanism: women's share barely changes with seniority
    diff = _ratio({**OFF, "pipeline.senior_gap_women": 0.7}, seeds) - none
    assert clearly_negative(diff), diff
