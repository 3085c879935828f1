"""Researcher state as columns (struct of arrays), indexed by researcher id.

The yearly review and the monthly contract/gap processes run as vector operations
over these columns (DESIGN.md §6: vector draws at model level when many agents need
them); each ``Researcher`` Mesa agent is a view onto its row. Rows are never reused:
row ``i`` is researcher ``i`` for the whole run, so the career table is read straight
from the columns at the end.
"""

from __future__ import annotations

import numpy as np

from model.parameters import CONTRACTS, EXIT_REASONS, SECTORS, STAGES

DOCTORAL, EARLY, MID, SENIOR = range(4)
UNIVERSITY, NHS, THIRD = range(3)
PERMANENT, FIXED, GAP = range(3)
FUNDING_GAP, DISSATISFACTION, CARING, OTHER_SECTOR, RETIREMENT = range(5)
assert STAGES[MID] == "mid" and SECTORS[NHS] == "nhs" and CONTRACTS[GAP] == "gap" and EXIT_REASONS[CARING] == "caring"

NO_YEAR = -32768  # sentinel for "no year" in int16 year columns
NO_MONTH = -(2**31)  # sentinel for "no month" in int32 month columns that may hold months before the start

# name -> (dtype, fill value)
COLUMNS: dict[str, tuple[type, object]] = {
    # identity
    "alive": (np.bool_, False),
    "woman": (np.bool_, False),
    "working_class": (np.bool_, False),
    "disabled": (np.bool_, False),
    "neurodivergent": (np.bool_, False),  # among the disabled: neurodivergent (else physical / long-term condition)
    "disclosed": (np.bool_, False),
    "adjusted": (np.bool_, False),  # adjustments in place (only ever for the disclosed)
    "adjusted_by_policy": (np.bool_, False),
    "safety_net": (np.float64, 0.0),  # months of living costs left now (runs down in unpaid gap months)
    "entry_safety_net": (np.float32, 0.0),  # months of cushion at entry
    "resilience": (np.float64, 0.0),
    "age": (np.float64, 0.0),
    "retirement_age": (np.float64, 0.0),
    # caring
    "caring": (np.bool_, False),
    "ever_carer": (np.bool_, False),
    "first_caring_year": (np.int16, NO_YEAR),
    "care_intensity": (np.float64, 0.0),  # load of the current spell (0 = not caring); see model/caring.py
    "care_primary": (np.bool_, False),
    "care_adult": (np.bool_, False),  # care of adults (else children)
    "care_start_year": (np.int16, NO_YEAR),  # onset of the current spell
    "first_care_intensity": (np.float32, -1.0),  # intensity of the first spell (-1 = never a carer)
    "first_caring_stage": (np.int8, -1),  # stage at the first spell's onset
    # career
    "stage": (np.int8, 0),
    "years_in_stage": (np.int16, 0),
    "sector": (np.int8, 0),
    "employer": (np.int16, -1),  # index into model.employers (same sector)
    "joint_post": (np.bool_, False),
    "belonging": (np.float64, -1.0),  # belonging in a joint post, 0-1 (-1: none yet); model/sectors.py
    "protected": (np.bool_, False),
    "contract": (np.int8, FIXED),
    "contract_end": (np.int32, -1),  # month index the fixed-term contract (or an open-ended post's grant) ends
    "contract_seq": (np.int64, 0),  # when that end was scheduled (contract ends are processed in this order)
    "open_ended": (np.bool_, False),  # made open-ended by policy: employed on while its grant funding comes and goes
    "post": (np.int8, 0),  # post held: model.posts NO_POST, GRANT, ESTABLISHMENT or UNDERWRITTEN
    "ever_in_post": (np.bool_, False),  # has held a post-doctoral research post (a first hire makes an entrant hired)
    "service_years": (np.float64, 0.0),
    "in_post_since": (np.int32, NO_MONTH),  # month the current continuous spell in post began; a gap breaks it
    "gap_months": (np.int16, 0),
    "unpaid_months": (np.int16, 0),
    "bridged_this_gap": (np.int16, 0),
    "hardship_this_gap": (np.bool_, False),
    "gap_this_year": (np.bool_, False),  # a gap started this year (and not every month of it since was paid by a policy)
    "gap_before_spell": (np.bool_, False),  # gap_this_year as it was when the current gap began
    "paid_to": (np.int32, -1),  # month up to which a policy has undertaken to pay this gap (bridge funding); -1 none
    "last_gap_year": (np.int16, NO_YEAR),  # year of the latest gap start (counts people, not gaps)
    "gap_months_total": (np.int32, 0),
    "bridged_months": (np.int32, 0),
    # social
    "mentor": (np.int32, -1),
    "mentor_formal": (np.bool_, False),
    "had_mentor": (np.bool_, False),
    "informal_mentees": (np.int16, 0),
    "formal_mentees": (np.int16, 0),
    "manager": (np.int32, -1),  # line manager's id (-1 none); model/managers.py
    "manager_skill": (np.float64, 0.0),  # this researcher's own quality as a line manager (standard normal)
    "manager_trained": (np.bool_, False),  # trained to a consistent standard (consistent_management policy)
    "manager_support": (np.float64, 0.0),  # support from the line manager this year, in (0, 1)
    "insider": (np.bool_, False),
    "insider_ties": (np.int32, 0),
    "tacit": (np.float64, 0.0),
    "renewal_base": (np.float64, 0.0),  # this year's renewal log-odds shift, apart from mentoring
    "part_time": (np.bool_, False),  # working part-time this year (model/pipeline.py)
    "experienced_role": (np.bool_, False),  # holds an open-ended post that needs experience (model/closure.py)
    # outcomes
    "satisfaction": (np.int8, 3),
    "intends_to_leave": (np.bool_, False),
    "entry_year": (np.int16, 0),
    "entry_stage": (np.int8, 0),
    "entry_sector": (np.int8, 0),
    "exit_year": (np.int16, NO_YEAR),
    "exit_reason": (np.int8, -1),
}


def sorted_distinct(ids: np.ndarray) -> np.ndarray:
    """``np.unique(ids)`` by a sort (numpy's hash-based unique is about ten times slower on a few thousand ids, measured)."""
    ordered = np.sort(ids)
    keep = np.empty(len(ordered), dtype=bool)
    keep[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


class Population:
    """Growable columns of researcher state; ``n`` rows are in use."""

    def __init__(self, capacity: int) -> None:
        self.n = 0
        self.capacity = max(16, capacity)
        for name, (dtype, fill) in COLUMNS.items():
            setattr(self, name, np.full(self.capacity, fill, dtype=dtype))

    def allocate(self, k: int) -> np.ndarray:
        """Reserve ``k`` new rows (with default values) and return their indices."""
        if self.n + k > self.capacity:
            new_cap = max(self.n + k, 2 * self.capacity)
            for name, (dtype, fill) in COLUMNS.items():
                old = getattr(self, name)
                grown = np.full(new_cap, fill, dtype=dtype)
                grown[: self.n] = old[: self.n]
                setattr(self, name, grown)
            self.capacity = new_cap
        idx = np.arange(self.n, self.n + k)
        self.n += k
        return idx

    def among(self, idx: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """Which of researchers ``idx`` are in ``ids``: ``np.isin(idx, ids)`` through a scratch mask.

        The monthly market asks this of a few dozen ids at a time, where ``np.isin``'s
        sorting costs far more than marking and unmarking rows.
        """
        mark = self.__dict__.get("_mark")
        if mark is None or len(mark) < self.capacity:
            mark = self.__dict__["_mark"] = np.zeros(self.capacity, dtype=bool)
        mark[ids] = True
        found = mark[idx]
        mark[ids] = False
        return found

    def alive_idx(self) -> np.ndarray:
        """Indices of researchers still in research."""
        return np.flatnonzero(self.alive[: self.n])

    def refresh_insider(self, idx: np.ndarray) -> np.ndarray:
        """Recompute the insider flag (mid/senior in a university); return rows whose flag changed."""
        now = (self.sector[idx] == UNIVERSITY) & (self.stage[idx] >= MID)
        changed = idx[now != self.insider[idx]]
        self.insider[idx] = now
        return changed
