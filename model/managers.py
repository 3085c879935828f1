"""Line managers as gatekeepers of tacit knowledge and opportunity.

Every doctoral, early and mid-career researcher has a line manager: a more senior
researcher (a higher stage) at the same employer, found at random among them each year
when the old one has gone (left, moved employer, or no longer senior to them). Seniors
manage and are not managed. How much support a researcher gets depends on the manager:

    support = logistic(support_mean + support_sd × skill[manager] + manager_culture[employer])

in (0, 1), with ``skill`` a manager's own standard-normal trait and ``manager_culture`` the
employer's (model/employers.py). Nobody to manage them (no more senior colleague at the
employer) means no support (0). Trained managers (the ``consistent_management`` policy)
give ``(1 − consistency) × support + consistency × standard``: consistent, better support.

Support passes on insider knowledge (``tacit_access``), and shifts renewal/hiring odds
(``renewal_shift``), promotion (``promotion_shift``) and disclosure (model/disclosure.py).
Assignment is vectorised: the alive researchers are sorted by employer and stage, so the
candidates senior to a stage-``s`` researcher are a contiguous block of the employer's
rows, and one uniform per seeker picks within it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model.population import SENIOR

if TYPE_CHECKING:
    from model.career_model import CareerModel

NEUTRAL = 0.5  # support that shifts nothing (seniors, who are not managed)


def assign(model: CareerModel, alive: np.ndarray) -> None:
    """Give every doctoral/early/mid researcher in ``alive`` without a valid manager a new one."""
    pop = model.pop
    m = pop.manager[alive]
    stage = pop.stage[alive]
    employer = pop.employer[alive]
    valid = m >= 0
    mm = np.where(valid, m, 0)
    valid &= pop.alive[mm] & (pop.employer[mm] == employer) & (pop.stage[mm] > stage)
    seekers = alive[~valid & (stage < SENIOR)]
    pop.manager[alive[(stage >= SENIOR)]] = -1
    if len(seekers) == 0:
        return
    n_emp = model.employers.n
    emp = employer.astype(np.int64)
    key = emp * 4 + stage
    sorted_ids = alive[np.argsort(emp * 4 + (3 - stage))]  # by employer, then stage descending
    counts = np.bincount(key, minlength=n_emp * 4).reshape(n_emp, 4)
    start = np.concatenate([[0], np.cumsum(counts.sum(axis=1))[:-1]])
    # senior_to[e, s]: how many at employer e have a stage above s (the first rows of e's block)
    senior_to = np.cumsum(counts[:, ::-1], axis=1)[:, ::-1]
    senior_to = np.concatenate([senior_to[:, 1:], np.zeros((n_emp, 1), dtype=senior_to.dtype)], axis=1)
    e = pop.employer[seekers].astype(np.int64)
    k = senior_to[e, pop.stage[seekers]]
    u = model.streams.uniform("manager", seekers, model.year)  # the manager it lands on depends on who is at the employer
    pick = start[e] + np.minimum((u * k).astype(np.int64), np.maximum(k - 1, 0))
    pop.manager[seekers] = np.where(k > 0, sorted_ids[np.minimum(pick, len(sorted_ids) - 1)], -1)


def support(model: CareerModel, idx: np.ndarray) -> np.ndarray:
    """Support each of ``idx`` gets from their line manager, in (0, 1); seniors neutral, no manager 0."""
    pop, p = model.pop, model.params.managers
    m = pop.manager[idx]
    has = m >= 0
    mm = np.where(has, m, 0)
    raw = p.support_mean + p.support_sd * pop.manager_skill[mm] + model.employers.manager_culture[pop.employer[idx]]
    s = 1.0 / (1.0 + np.exp(-raw))
    c = model.fx.manager_consistency
    if c > 0:
        trained = pop.manager_trained[mm]
        s = np.where(trained, (1.0 - c) * s + c * model.fx.manager_standard, s)
    s = np.where(has, s, 0.0)
    return np.where(pop.stage[idx] >= SENIOR, NEUTRAL, s)


def network_tacit(model: CareerModel, idx: np.ndarray) -> np.ndarray:
    """Tacit-knowledge access through the network alone: insider ties over the reference number."""
    return np.minimum(1.0, model.pop.insider_ties[idx] / model.params.network.tacit_reference_ties)


def tacit_access(model: CareerModel, idx: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Tacit access: what the network gives plus what the line manager passes on (support ``s``), capped at 1."""
    return np.minimum(1.0, network_tacit(model, idx) + model.params.managers.tacit_effect * s)


def renewal_shift(model: CareerModel, idx: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Log-odds added to renewal and hiring by manager support ``s`` (a supportive manager finds and backs the next post)."""
    return model.params.managers.renewal_effect * (s - NEUTRAL)


def promotion_shift(model: CareerModel, idx: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Log hazard ratio added to promotion by manager support ``s``."""
    return model.params.managers.promotion_effect * (s - NEUTRAL)
