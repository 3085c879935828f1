"""Coverage as a share held at a time: keep holders, end it for the ineligible, top up or trim.

A coverage parameter means the share of the eligible who hold a benefit *now*, as a
reader expects, not a yearly offer to those not yet covered (which would accumulate
towards everyone). Each year the policy calls ``hold_share``: holders who are no
longer eligible lose the benefit, and the eligible holders are topped up (random
newcomers) or trimmed (random holders) to ``round(share × eligible)``.
"""

from __future__ import annotations

import numpy as np


def hold_share(flag: np.ndarray, alive: np.ndarray, eligible: np.ndarray, share: float, rng: np.random.Generator) -> np.ndarray:
    """Set ``flag`` so that ``share`` of ``eligible`` hold it and no other alive row does; return the holders.

    ``flag`` is a population column (modified in place); ``eligible`` a subset of ``alive``.
    """
    ineligible = np.setdiff1d(alive, eligible, assume_unique=True)
    flag[ineligible] = False
    target = int(round(share * len(eligible)))
    holders = eligible[flag[eligible]]
    if len(holders) < target:
        others = eligible[~flag[eligible]]
        flag[rng.choice(others, size=target - len(holders), replace=False)] = True
    elif len(holders) > target:
        flag[rng.choice(holders, size=len(holders) - target, replace=False)] = False
    return eligible[flag[eligible]]
