"""Resilience as an unequal resource: what a researcher can draw on depends on circumstances.

The report's point (theme 7) is that relying on personal resilience is inequitable,
because resilience "depends heavily on individuals' financial security and personal
circumstances". So the resilience a researcher brings to a setback is not a fixed
trait: it is a personal component (``pop.resilience``, standard normal, drawn at entry)
plus what the circumstances give or take away —

    resilience(t) = personal + net_weight × (tanh(safety_net(t) / net_reference_months) − 0.5)
                    − class_weight × working_class

The safety net is the current one: it runs down month by month in an unpaid gap (and
hardship support tops it up), so resilience falls exactly when it is needed. What it
protects against is explicit: the gap-exit hazard (``gap_exit_multiplier``), the
dissatisfaction-exit hazard (``dissatisfaction_exit_multiplier``) and the latent
satisfaction score (``satisfaction_shift``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from model.career_model import CareerModel


def current(model: CareerModel, idx: np.ndarray, safety_net: np.ndarray | None = None) -> np.ndarray:
    """Resilience of ``idx`` now (SD units of the personal component); ``safety_net`` if the caller has read it."""
    pop, r = model.pop, model.params.resilience
    net = pop.safety_net[idx] if safety_net is None else safety_net
    cushion = np.tanh(net / r.net_reference_months) - 0.5
    return pop.resilience[idx] + r.net_weight * cushion - r.class_weight * pop.working_class[idx]


def gap_exit_multiplier(model: CareerModel, idx: np.ndarray, safety_net: np.ndarray | None = None) -> np.ndarray:
    """Hazard ratio on leaving research in an unpaid gap month."""
    return np.exp(-model.params.exits.resilience_effect * current(model, idx, safety_net))


def dissatisfaction_exit_multiplier(model: CareerModel, idx: np.ndarray, now: np.ndarray | None = None) -> np.ndarray:
    """Hazard ratio on leaving research when dissatisfied or neither (``now``: ``current(model, idx)`` if already known)."""
    return np.exp(-model.params.resilience.dissatisfaction_exit_effect * (current(model, idx) if now is None else now))


def satisfaction_shift(model: CareerModel, idx: np.ndarray, now: np.ndarray | None = None) -> np.ndarray:
    """Latent satisfaction points from resilience (``now``: ``current(model, idx)`` if already known)."""
    return model.params.satisfaction.resilience_effect * (current(model, idx) if now is None else now)
