"""The leaky pipeline: why women's share falls from early career to senior.

Two mechanisms the HSR UK report names ("gendered care giving responsibilities",
"gender and disability biases"; its call to normalise flexible career pathways):

1. **Part-time work slows promotion.** Each year a researcher works part-time with
   chance ``pipeline.part_time_base`` plus ``pipeline.part_time_care`` × caring load
   (``model/caring.py``: 1 for a primary childcare spell). Promotion criteria count
   output, which accrues with hours, so the promotion hazard is multiplied by the FTE
   (``pipeline.part_time_fte`` for part-timers). Women carry more of the caring load, so
   they work part-time more often (HESA 2007/08: 42.4% of women and 23.1% of men
   academics part-time) and are promoted later; nothing here depends on gender itself.
2. **The senior step weighs the applicant.** Promotion to senior posts rests on grant
   leadership, esteem and sponsorship by senior networks, where a woman's record is
   assessed lower than the same record of a man: Witteman et al. (2019, Lancet 393:531)
   found women's grant success lower when reviewers assessed the applicant rather than the
   science. ``pipeline.senior_gap_women`` is that gap as a log hazard ratio on the mid to
   senior step only.

Draws use the counter-based streams (``model/streams.py``): decision ``"part_time"``,
step = the year, indexed by researcher id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model.population import MID
from model.streams import Streams

if TYPE_CHECKING:
    from model.career_model import CareerModel


def streams(model: CareerModel) -> Streams:
    """The run's streams (``model.streams`` once every draw uses them; until then one keyed from the run's generator)."""
    s = model.__dict__.get("streams") or model.__dict__.get("_pipeline_streams")
    if s is None:
        s = model.__dict__["_pipeline_streams"] = Streams(np.random.SeedSequence(int(model.rng.integers(2**63))))
    return s


def update_part_time(model: CareerModel, idx: np.ndarray, load: np.ndarray) -> np.ndarray:
    """Who of ``idx`` works part-time this year (``load``: this year's caring load); stored and returned."""
    p = model.params.pipeline
    chance = np.minimum(1.0, p.part_time_base + p.part_time_care * np.minimum(load, 1.0))
    part = streams(model).uniform("part_time", idx, model.year) < chance
    model.pop.part_time[idx] = part
    return part


def promotion_shift(model: CareerModel, idx: np.ndarray, stage: np.ndarray, load: np.ndarray) -> np.ndarray:
    """Log hazard ratio added to promotion: log FTE for part-timers, and the senior-step gap for women."""
    p = model.params.pipeline
    part = update_part_time(model, idx, load)
    shift = np.where(part, np.log(p.part_time_fte), 0.0)
    return shift - p.senior_gap_women * (model.pop.woman[idx] & (stage == MID))
