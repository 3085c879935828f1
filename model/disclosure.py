"""Disability, neurodivergence and disclosure: adjustments reach only those who disclose.

Disabled or neurodivergent researchers (``pop.disabled``) are either physically disabled
/ with a long-term condition, or neurodivergent (``pop.neurodivergent``), and the two
meet different barriers (the report's workshop and phase-two plan treat them apart):

- *physical disability / long-term condition* without adjustments: the declared renewal
  and promotion penalties (access, workload, working environment);
- *neurodivergence* without adjustments: less of the tacit, unwritten knowledge that
  circulates informally (``tacit_barrier``: a share of tacit access lost), which then
  costs renewal and promotion through the network effects;
- both, without adjustments: the satisfaction cost.

Adjustments are only for those who have *disclosed*. Some disclose at entry
(``disclosure_at_entry``); each year an undisclosed researcher discloses with probability
``logistic(logit(disclosure_rate) + culture_effect·inclusion[employer] +
manager_effect·(manager support − 0.5))``: an inclusive culture and a supportive line
manager make disclosure safer. On disclosure the employer puts adjustments in place with
probability ``adjustment_coverage``; the disability-adjustments policy offers them to the
disclosed who still lack them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model import employers

if TYPE_CHECKING:
    from model.career_model import CareerModel


def _logit(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return float(np.log(p / (1 - p)))


def at_entry(model: CareerModel, idx: np.ndarray, u: np.ndarray) -> None:
    """Type, disclosure and adjustments of entrants ``idx`` (``u``: three rows of uniforms)."""
    pop, d = model.pop, model.params.disability
    dis = pop.disabled[idx]
    pop.neurodivergent[idx] = dis & (u[0] < d.share_neurodivergent)
    pop.disclosed[idx] = dis & (u[1] < d.disclosure_at_entry)
    pop.adjusted[idx] = pop.disclosed[idx] & (u[2] < d.adjustment_coverage)


def update(model: CareerModel, alive: np.ndarray) -> None:
    """Yearly disclosure by the undisclosed, with adjustments put in place for some who disclose."""
    pop, d = model.pop, model.params.disability
    hidden = alive[pop.disabled[alive] & ~pop.disclosed[alive]]
    if len(hidden) == 0:
        return
    x = _logit(d.disclosure_rate) + d.disclosure_culture_effect * employers.inclusion(model, hidden)
    x = x + d.disclosure_manager_effect * (pop.manager_support[hidden] - 0.5)
    u = model.streams.uniforms("disclosure", hidden, model.year, 2).T  # discloses; adjustment put in place
    discloses = u[0] < 1.0 / (1.0 + np.exp(-x))
    now = hidden[discloses]
    pop.disclosed[now] = True
    pop.adjusted[now] = u[1][discloses] < d.adjustment_coverage
    model.log(now, "disclosed")


def unadjusted_physical(model: CareerModel, idx: np.ndarray) -> np.ndarray:
    """Physically disabled (not neurodivergent) researchers of ``idx`` working without adjustments."""
    pop = model.pop
    return pop.disabled[idx] & ~pop.neurodivergent[idx] & ~pop.adjusted[idx]


def unadjusted(model: CareerModel, idx: np.ndarray) -> np.ndarray:
    """Disabled or neurodivergent researchers of ``idx`` working without adjustments."""
    pop = model.pop
    return pop.disabled[idx] & ~pop.adjusted[idx]


def barriers(model: CareerModel, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``unadjusted``, ``unadjusted_physical`` and ``tacit_factor`` of ``idx`` at once (each column read once)."""
    pop = model.pop
    dis, nd, adj = pop.disabled[idx], pop.neurodivergent[idx], pop.adjusted[idx]
    unadj = dis & ~adj
    return unadj, unadj & ~nd, 1.0 - model.params.disability.tacit_barrier * (nd & ~adj)


def tacit_factor(model: CareerModel, idx: np.ndarray) -> np.ndarray:
    """Multiplier on tacit access: neurodivergent researchers without adjustments lose ``tacit_barrier`` of it."""
    pop = model.pop
    nd = pop.neurodivergent[idx] & ~pop.adjusted[idx]
    return 1.0 - model.params.disability.tacit_barrier * nd
