"""Coverage as a share held at a time: keep holders, end it for the ineligible, top up or trim.

A coverage parameter means the share of the eligible who hold a benefit *now*, as a
reader expects, not a yearly offer to those not yet covered (which would accumulate
towards everyone). Each year the policy calls ``hold_share``: holders who are no
longer eligible lose the benefit, and the eligible holders are topped up (random
newcomers) or trimmed (random holders) to ``round(share × eligible)``. Who is added
or dropped is decided by each researcher's own key in the run's streams (the
smallest keys), so a researcher's turn does not depend on who else is eligible.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from model.streams import Streams


def hold_share(flag: np.ndarray, alive: np.ndarray, eligible: np.ndarray, share: float, streams: Streams, decision: str, year: int) -> np.ndarray:
    """Set ``flag`` so that ``share`` of ``eligible`` hold it and no other alive row does; return the holders.

    ``flag`` is a population column (modified in place); ``eligible`` a subset of ``alive``.
    Newcomers and trimmed holders are the ones with the smallest keys of ``decision`` at
    ``year`` (draw 0 to add, draw 1 to trim).
    """
    ineligible = np.setdiff1d(alive, eligible, assume_unique=True)
    flag[ineligible] = False
    target = int(round(share * len(eligible)))
    holders = eligible[flag[eligible]]
    if len(holders) < target:
        others = eligible[~flag[eligible]]
        flag[streams.choose(decision, others, target - len(holders), year)] = True
    elif len(holders) > target:
        flag[streams.choose(decision, holders, len(holders) - target, year, draw=1)] = False
    return eligible[flag[eligible]]
