"""Caring spells with an intensity: who carries the load, and what it costs a career.

Gender changes two things: how often a caring spell starts (``caring.onset_*``) and,
once it has, how heavy it is. A spell is either *primary* (the researcher carries most
of the care) or *shared*, and either *children* or *adults* needing care (adult care
starts more often later in life). Its intensity is

    intensity = (1 if primary else shared_intensity) × (1 if children else adult_intensity)

and every career cost of caring — the renewal (mobility) penalty, the promotion
penalty, the satisfaction cost and the caring exit hazard — is its declared value at
intensity 1 times the spell's intensity, reduced by caring support (``fx.caring_relief``).
Women are more often the primary carer (``primary_share_women`` against
``primary_share_men``), so the same kind of spell costs women's careers more on average.

The functions below return per-researcher log-odds, log hazard ratios, latent points
or yearly hazards; the contract and review code adds them where they apply.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from model.career_model import CareerModel

ADULT_CARE_AGE = 45.0  # from this age, a new spell is adult care with the "older" share


def start_spells(model: CareerModel, idx: np.ndarray, decision: str) -> None:
    """Give researchers ``idx`` (just become carers) a role, a kind and an intensity (draws 0 and 1 of ``decision`` at the year)."""
    if len(idx) == 0:
        return
    pop, c = model.pop, model.params.caring
    u = model.streams.uniforms(decision, idx, model.year, 2).T
    primary = u[0] < np.where(pop.woman[idx], c.primary_share_women, c.primary_share_men)
    adult = u[1] < np.where(pop.age[idx] >= ADULT_CARE_AGE, c.adult_share_older, c.adult_share_younger)
    pop.care_primary[idx] = primary
    pop.care_adult[idx] = adult
    pop.care_intensity[idx] = np.where(primary, 1.0, c.shared_intensity) * np.where(adult, c.adult_intensity, 1.0)
    pop.care_start_year[idx] = model.year
    first = idx[pop.first_care_intensity[idx] < 0]
    pop.first_care_intensity[first] = pop.care_intensity[first]
    pop.first_caring_stage[first] = pop.stage[first]


def end_spells(model: CareerModel, idx: np.ndarray) -> None:
    """Caring spells of ``idx`` end."""
    pop = model.pop
    pop.caring[idx] = False
    pop.care_intensity[idx] = 0.0
    pop.care_primary[idx] = False
    pop.care_adult[idx] = False


def load(model: CareerModel, idx: np.ndarray) -> np.ndarray:
    """Effective caring load of ``idx``: the spell's intensity (0 if not caring) less caring support's relief."""
    return model.pop.care_intensity[idx] * (1.0 - model.fx.caring_relief)


def renewal_penalty(model: CareerModel, idx: np.ndarray) -> np.ndarray:
    """Log-odds taken off renewal and re-employment (cannot move for the next post)."""
    return model.params.caring.mobility_penalty * load(model, idx)


def promotion_penalty(model: CareerModel, idx: np.ndarray, now: np.ndarray | None = None) -> np.ndarray:
    """Log hazard ratio taken off promotion (``now``: ``load(model, idx)`` if already known)."""
    return model.params.caring.promotion_penalty * (load(model, idx) if now is None else now)


def satisfaction_penalty(model: CareerModel, idx: np.ndarray, now: np.ndarray | None = None) -> np.ndarray:
    """Latent satisfaction points lost to caring-work conflict (``now``: the load if already known)."""
    return model.params.caring.satisfaction_penalty * (load(model, idx) if now is None else now)


def exit_hazard(model: CareerModel, idx: np.ndarray, now: np.ndarray | None = None) -> np.ndarray:
    """Yearly hazard of leaving research for caring reasons (``now``: the load if already known)."""
    return model.params.caring.exit_rate * (load(model, idx) if now is None else now)
