"""Uncertainty about the next contract, and the mixed feelings it brings to career satisfaction.

The HSR UK survey found non-permanent respondents more often "neither satisfied nor
dissatisfied", which the report reads as "uncertainty or mixed feelings about career
progression". Here uncertainty is a property of the contract:

    uncertainty = 1 in a gap; exp(−months left / uncertainty_months) on a fixed-term contract; 0 if permanent

and it makes the evaluation ambivalent: the latent satisfaction score (mean and noise
alike) is pulled a share ``ambivalence × uncertainty`` of the way to the middle of the
"neither" band. Both tails shrink — fewer satisfied *and* fewer dissatisfied — so
"neither" rises most where contracts are nearest their end.

A gap a policy is paying for (bridge funding: ``paid_to``, the month its cover can run to)
is not a gap here: it is uncertain like a fixed-term contract ending when the cover ends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model.population import FIXED, GAP

if TYPE_CHECKING:
    from model.career_model import CareerModel

NEITHER_MIDDLE = -0.5  # middle of the "neither" band of the latent score (cut points -1 and 0)


def contract_uncertainty(model: CareerModel, idx: np.ndarray, contract: np.ndarray | None = None) -> np.ndarray:
    """Uncertainty about the next contract for ``idx``, in [0, 1] (``contract``: their contract codes if already read)."""
    pop = model.pop
    contract = pop.contract[idx] if contract is None else contract
    paid = pop.paid_to[idx]
    in_gap = contract == GAP
    covered = in_gap & (paid > model.month)
    end = np.where(covered, paid, pop.contract_end[idx])
    left = np.maximum(0, end - model.month)
    fixed = np.exp(-left / model.params.satisfaction.uncertainty_months)
    return np.where(in_gap & ~covered, 1.0, np.where((contract == FIXED) | covered, fixed, 0.0))


def ambivalent(model: CareerModel, idx: np.ndarray, latent: np.ndarray, contract: np.ndarray | None = None) -> np.ndarray:
    """The latent score (with its noise) pulled towards "neither" by contract uncertainty."""
    w = model.params.satisfaction.ambivalence * contract_uncertainty(model, idx, contract)
    return (1.0 - w) * latent + w * NEITHER_MIDDLE
