"""Reach: whom each policy could reach, whom it did reach, and what it spent on each group.

Every policy books what it does through ``model.book(...)`` (``model/career_model.py``):
at each decision it names the researchers *eligible* and those *reached* (a subset), the
person-months of benefit each reached researcher gets and the pounds spent on each, plus
any overhead spent on nobody in particular (a scheme's running cost). The same call books
the spending, so what a policy spends and whom it spent it on can never disagree.

At the end of a run ``ReachLedger.table()`` sums the reported horizon (years >= 0) into one
row per policy × benefit × group value:

- ``eligible_people`` / ``reached_people``: distinct researchers who were eligible / were
  reached while in that group (a researcher reached as early-career and again as mid-career
  counts once in each stage row, once in the ``all`` row);
- ``eligible_decisions`` / ``reached_decisions``: researcher-decisions (a researcher eligible at
  ten monthly decisions counts ten times); their ratio is the share of the eligible a policy
  reached at its decisions, the figure a ``coverage`` setting declares;
- ``reached_person_months``: months of benefit (a bridged month is 1; a benefit held for a
  year is 12; a hardship grant is its months of living costs);
- ``spend_gbp``: pounds spent on the group's members (``overhead_gbp``, in the ``all`` row,
  is spent on no one in particular);
- ``leakage_people``: researchers reached who were not among the eligible of the same
  decision (must be zero: a policy that reaches people its rules exclude is a defect).

Groups are read at the time of each decision: gender, working-class background, disability,
caring, stage, sector, and safety net (``none``: no family or savings cushion at entry).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from model.parameters import SECTORS, STAGES
from model.population import sorted_distinct

if TYPE_CHECKING:
    from model.population import Population

REACH_COLUMNS = [
    "policy", "benefit", "group", "value", "eligible_people", "reached_people", "eligible_decisions", "reached_decisions",
    "reached_person_months", "spend_gbp", "overhead_gbp", "leakage_people",
]  # fmt: skip

# group name -> (labels by code, bit shift, bit mask) in the packed group code of a researcher
GROUPS: dict[str, tuple[tuple[str, ...], int, int]] = {
    "all": (("all",), 0, 0),
    "gender": (("man", "woman"), 0, 1),
    "working_class": (("no", "yes"), 1, 1),
    "disabled": (("no", "yes"), 2, 1),
    "carer": (("no", "yes"), 3, 1),
    "stage": (tuple(STAGES), 4, 3),
    "sector": (tuple(SECTORS), 6, 3),
    "safety_net": (("some", "none"), 8, 1),
}


def group_codes(pop: Population, ids: np.ndarray) -> np.ndarray:
    """Every group of researchers ``ids`` now, packed into one integer each (decoded by ``GROUPS``' shifts and masks)."""
    code = pop.woman[ids].astype(np.int16)
    code |= pop.working_class[ids].astype(np.int16) << 1
    code |= pop.disabled[ids].astype(np.int16) << 2
    code |= pop.caring[ids].astype(np.int16) << 3
    code |= pop.stage[ids].astype(np.int16) << 4
    code |= pop.sector[ids].astype(np.int16) << 6
    code |= (pop.entry_safety_net[ids] <= 0).astype(np.int16) << 8
    return code


class _Records:
    """Chunks of (ids, packed group codes, months, pounds) for one policy benefit."""

    def __init__(self) -> None:
        self.ids: list[np.ndarray] = []
        self.codes: list[np.ndarray] = []
        self.months: list[np.ndarray] = []
        self.pounds: list[np.ndarray] = []

    def add(self, pop: Population, ids: np.ndarray, months: np.ndarray | None = None, pounds: np.ndarray | None = None) -> None:
        if len(ids) == 0:
            return
        self.ids.append(np.asarray(ids, dtype=np.int64).copy())
        self.codes.append(group_codes(pop, ids))
        if months is not None:
            self.months.append(months)
        if pounds is not None:
            self.pounds.append(pounds)

    def joined(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        if not self.ids:
            empty = np.zeros(0)
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int16), empty, empty
        months = np.concatenate(self.months) if self.months else np.zeros(0)
        pounds = np.concatenate(self.pounds) if self.pounds else np.zeros(0)
        return np.concatenate(self.ids), np.concatenate(self.codes), months, pounds


def _distinct(ids: np.ndarray, codes: np.ndarray, n_values: int) -> np.ndarray:
    """Distinct researchers per group value: counts of distinct (id, code) pairs by code."""
    if len(ids) == 0:
        return np.zeros(n_values, dtype=np.int64)
    pairs = sorted_distinct(ids * 16 + codes)
    return np.bincount(pairs % 16, minlength=n_values)


class ReachLedger:
    """Eligible and reached researchers, months and pounds, per policy and benefit (the reported horizon only)."""

    def __init__(self, pop: Population) -> None:
        self.pop = pop
        self._eligible: dict[tuple[str, str], _Records] = {}
        self._reached: dict[tuple[str, str], _Records] = {}
        self.overhead: dict[tuple[str, str], float] = {}
        self.leakage: dict[tuple[str, str], set[int]] = {}

    def book(
        self, policy: str, benefit: str, eligible: np.ndarray, reached: np.ndarray, months: np.ndarray, pounds: np.ndarray, overhead: float
    ) -> None:
        """Record one decision of ``policy`` (see the module docstring)."""
        key = (policy, benefit)
        if key not in self._eligible:
            self._eligible[key], self._reached[key] = _Records(), _Records()
            self.overhead[key] = 0.0
            self.leakage[key] = set()
        self._eligible[key].add(self.pop, eligible)
        self._reached[key].add(self.pop, reached, months, pounds)
        self.overhead[key] += overhead
        if len(reached):
            outside = reached[~self.pop.among(reached, eligible)]
            self.leakage[key].update(outside.tolist())

    def keys(self) -> list[tuple[str, str]]:
        """The (policy, benefit) pairs booked so far, in booking order."""
        return list(self._eligible)

    def table(self) -> pd.DataFrame:
        """One row per policy × benefit × group value (``REACH_COLUMNS``), totals over the reported horizon."""
        rows = []
        for key in self._eligible:
            e_ids, e_codes, _, _ = self._eligible[key].joined()
            r_ids, r_codes, months, pounds = self._reached[key].joined()
            leak = np.fromiter(self.leakage[key], dtype=np.int64, count=len(self.leakage[key]))
            # Distinct (researcher, packed groups) pairs first: each group's distinct people are read from far fewer rows.
            e_pairs, r_pairs = sorted_distinct((e_ids << 9) | e_codes), sorted_distinct((r_ids << 9) | r_codes)
            e_uid, e_ucode, r_uid, r_ucode = e_pairs >> 9, e_pairs & 511, r_pairs >> 9, r_pairs & 511
            for name, (labels, shift, mask) in GROUPS.items():
                k = len(labels)
                e_g, r_g = (e_codes >> shift) & mask, (r_codes >> shift) & mask
                eligible = _distinct(e_uid, (e_ucode >> shift) & mask, k)
                reached = _distinct(r_uid, (r_ucode >> shift) & mask, k)
                e_dec, r_dec = np.bincount(e_g, minlength=k), np.bincount(r_g, minlength=k)
                r_months = np.bincount(r_g, weights=months, minlength=k) if len(r_ids) else np.zeros(k)
                r_pounds = np.bincount(r_g, weights=pounds, minlength=k) if len(r_ids) else np.zeros(k)
                leaked = self._leak_by_value(r_ids, r_g, leak, k)
                for v, label in enumerate(labels):
                    overhead = self.overhead[key] if name == "all" else 0.0
                    people = (int(eligible[v]), int(reached[v]), int(e_dec[v]), int(r_dec[v]))
                    counts = (*people, float(r_months[v]), float(r_pounds[v]), overhead, int(leaked[v]))
                    rows.append((*key, name, label, *counts))
        return pd.DataFrame(rows, columns=REACH_COLUMNS)

    @staticmethod
    def _leak_by_value(ids: np.ndarray, codes: np.ndarray, leak: np.ndarray, k: int) -> np.ndarray:
        if len(leak) == 0 or len(ids) == 0:
            return np.zeros(k, dtype=np.int64)
        hit = np.isin(ids, leak)
        return _distinct(ids[hit], codes[hit], k)
