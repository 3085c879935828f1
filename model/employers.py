"""Employers and their culture: slowly-changing state that policies reach employer by employer.

Researchers work for employers — universities, NHS organisations and third-sector
bodies — in declared numbers per sector with lognormal size weights (a few large
employers, many small). Each employer has a culture held as arrays (one entry per
employer, so culture work is vectorised):

- ``inclusion``: the share of classed and disability penalties its leadership removes
  (inclusive leadership). It moves each year a fraction ``culture_change_rate`` of the
  way towards its *target*: its own baseline, or the level an inclusive-leadership policy
  sets where it reaches that employer. Culture is state that changes slowly, not a switch.
- ``manager_culture``: how supportive line management is there (model/managers.py).

A policy with ``employer_share`` below 1 reaches only that share of employers: each
employer draws a fixed random rank at the start of the run, and a share ``s`` reaches
the employers ranked below ``s``. The sets are nested (a larger share reaches a superset)
and identical across scenarios with the same seed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model.parameters import SECTORS

if TYPE_CHECKING:
    from model.career_model import CareerModel
    from model.parameters import EmployerParams


class Employers:
    """Per-employer arrays: sector, size weight, culture, and the rank that decides policy reach."""

    def __init__(self, params: EmployerParams, rng: np.random.Generator) -> None:
        self.params = params
        counts = [params.count_university, params.count_nhs, params.count_third_sector]
        self.sector = np.repeat(np.arange(len(SECTORS), dtype=np.int8), counts)
        n = len(self.sector)
        self.n = n
        self.weight = rng.lognormal(0.0, params.size_sigma, n)
        # Beta-distributed baseline inclusion with the declared mean and SD.
        m, sd = params.inclusion_mean, params.inclusion_sd
        k = max(m * (1 - m) / max(sd * sd, 1e-9) - 1.0, 1e-3)
        self.baseline_inclusion = rng.beta(max(m * k, 1e-3), max((1 - m) * k, 1e-3), n) if 0 < m < 1 else np.full(n, m)
        self.inclusion = self.baseline_inclusion.copy()
        self.target = self.baseline_inclusion.copy()
        self.manager_culture = rng.normal(0.0, params.manager_culture_sd, n)
        self.rank = rng.random(n)
        self._cum: list[np.ndarray] = []
        self._first: list[int] = []
        start = 0
        for c in counts:
            w = self.weight[start : start + c]
            self._cum.append(np.cumsum(w) / w.sum() if c else np.array([]))
            self._first.append(start)
            start += c

    def draw(self, sector: np.ndarray, u: np.ndarray) -> np.ndarray:
        """Employers for researchers in ``sector`` (codes), chosen by size weight with uniforms ``u``."""
        out = np.full(len(sector), -1, dtype=np.int16)
        for code, cum in enumerate(self._cum):
            where = sector == code
            if where.any() and len(cum):
                out[where] = self._first[code] + np.minimum(np.searchsorted(cum, u[where]), len(cum) - 1)
        return out

    def reached(self, share: float) -> np.ndarray:
        """Employers a policy with ``employer_share = share`` reaches (boolean per employer)."""
        return self.rank < share

    def begin_year(self) -> None:
        """Targets fall back to each employer's own baseline; policies in force raise them."""
        self.target = self.baseline_inclusion.copy()

    def raise_inclusion(self, share: float, level: float) -> None:
        """An inclusive-leadership policy sets the target of the employers it reaches to at least ``level``."""
        mask = self.reached(share)
        self.target[mask] = np.maximum(self.target[mask], level)

    def advance(self) -> None:
        """Culture moves a fraction ``culture_change_rate`` of the way to its target (once a year)."""
        self.inclusion += self.params.culture_change_rate * (self.target - self.inclusion)


def inclusion(model: CareerModel, idx: np.ndarray) -> np.ndarray:
    """Share of classed and disability penalties removed for researchers ``idx``: their employer's culture."""
    return model.employers.inclusion[model.pop.employer[idx]]


def in_reach(model: CareerModel, idx: np.ndarray, share: float) -> np.ndarray:
    """Which researchers ``idx`` work for an employer a policy with ``employer_share = share`` reaches."""
    if share >= 1.0:
        return np.ones(len(idx), dtype=bool)
    return model.employers.reached(share)[model.pop.employer[idx]]
