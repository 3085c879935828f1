"""How the model measures each calibration target: one function per measure, over a ``RunResult``.

Survey measures read the simulated survey (248 respondents, stratified by sector like
the HSR UK survey), so they carry the real instrument's sampling noise. Census-like
measures (HESA) read the career table of researchers active at the horizon. Contract
and gap measures read the event log of the reported horizon.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd

GAP_WINDOW_MONTHS = 2  # "still without a post after 2 months"


def _share(mask: pd.Series, within: pd.Series) -> float:
    n = int(within.sum())
    return float((mask & within).sum()) / n if n else math.nan


def _active(result) -> pd.DataFrame:
    c = result.careers
    return c[c["exit_year"].isna()]


def survey_satisfied_non_permanent(result) -> float:
    """Share 'satisfied' among simulated-survey respondents not on a permanent contract."""
    s = result.survey
    return _share(s["satisfaction"] == "satisfied", s["contract"] == "non_permanent")


def survey_satisfied_permanent(result) -> float:
    """Share 'satisfied' among simulated-survey respondents on a permanent contract."""
    s = result.survey
    return _share(s["satisfaction"] == "satisfied", s["contract"] == "permanent")


def survey_neither_excess_non_permanent(result) -> float:
    """'Neither satisfied nor dissatisfied' share, non-permanent minus permanent respondents."""
    s = result.survey
    neither = s["satisfaction"] == "neither"
    return _share(neither, s["contract"] == "non_permanent") - _share(neither, s["contract"] == "permanent")


def survey_feel_secure(result) -> float:
    """Share of simulated-survey respondents who feel secure (model/survey.py: permanent or 24+ months left)."""
    s = result.survey
    return float(s["feel_secure"].mean()) if len(s) else math.nan


def staff_fixed_term_university(result) -> float:
    """Share on fixed-term contracts among early- and mid-stage university researchers in post at the horizon."""
    a = _active(result)
    staff = (
        (a["entry_sector"] == "university")
        & a["final_stage"].isin(["early", "mid"])
        & a["final_contract"].isin(["fixed_term", "permanent"])
    )
    return _share(a["final_contract"] == "fixed_term", staff)


def staff_non_permanent_early(result) -> float:
    """Share not on a permanent contract (fixed-term or between contracts) among early-career researchers at the horizon."""
    a = _active(result)
    return _share(a["final_contract"] != "permanent", a["final_stage"] == "early")


def staff_disabled(result) -> float:
    """Share who have declared (disclosed) a disability among post-doctoral researchers active at the horizon (HESA counts declarations)."""
    a = _active(result)
    declared = a["disclosed"] if "disclosed" in a else a["disabled"]
    return _share(declared.astype(bool), a["final_stage"] != "doctoral")


def _months(detail: pd.Series) -> pd.Series:
    """Gap length in months from a 'gap_end' detail ('3' or 'reemployed after 3 months'); NaN when the researcher left."""
    return pd.to_numeric(detail.astype(str).str.extract(r"(\d+)", expand=False), errors="coerce")


def _contract_end_gaps(result) -> tuple[int, int, int]:
    """(contract ends, gaps from contract ends, of which still without a post after 2 months), censoring-safe.

    Each gap start is paired with the researcher's next gap end in the log; gaps that
    start with a redundancy (a permanent post ending) are not contract ends.
    """
    ev = result.events
    if ev is None or len(ev) == 0:
        raise ValueError("contract measures need the event log: run with run.log_events = true")
    ev = ev[ev["year"] >= 0]
    cutoff = float(ev["time"].max()) - GAP_WINDOW_MONTHS / 12.0
    red = ev[ev["event"] == "redundant"]
    redundant = set(zip(red["researcher_id"], red["time"].round(6), strict=True))
    gaps = ev[ev["event"].isin(["gap_start", "gap_end"])].reset_index(drop=True)
    gaps = gaps.iloc[np.argsort(gaps["researcher_id"].to_numpy(), kind="stable")].reset_index(drop=True)
    nxt_same = gaps["researcher_id"].shift(-1).eq(gaps["researcher_id"]) & gaps["event"].shift(-1).eq("gap_end")
    nxt_months = _months(gaps["detail"].shift(-1).fillna(""))
    starts = (gaps["event"] == "gap_start") & (gaps["time"] <= cutoff)
    starts &= ~pd.Series([(r, t) in redundant for r, t in zip(gaps["researcher_id"], gaps["time"].round(6), strict=True)], index=gaps.index)
    quick = nxt_same & (nxt_months <= GAP_WINDOW_MONTHS)
    renewed = int(((ev["event"] == "renewed") & (ev["time"] <= cutoff)).sum())
    n_starts = int(starts.sum())
    return renewed + n_starts, n_starts, int((starts & ~quick).sum())


def contract_end_another_post(result) -> float:
    """Share of fixed-term contract ends followed at once by another research post (renewal or new post)."""
    ends, gaps, _ = _contract_end_gaps(result)
    return (ends - gaps) / ends if ends else math.nan


def contract_end_no_post_2m(result) -> float:
    """Share of fixed-term contract ends after which the researcher is still without a research post 2 months later."""
    ends, _, still = _contract_end_gaps(result)
    return still / ends if ends else math.nan


MEASURES: dict[str, Callable] = {
    f.__name__: f
    for f in (
        survey_satisfied_non_permanent,
        survey_satisfied_permanent,
        survey_neither_excess_non_permanent,
        survey_feel_secure,
        staff_fixed_term_university,
        staff_non_permanent_early,
        staff_disabled,
        contract_end_another_post,
        contract_end_no_post_2m,
    )
}
NEEDS_EVENTS = {"contract_end_another_post", "contract_end_no_post_2m"}


def measure(result, names: list[str] | tuple[str, ...]) -> dict[str, float]:
    """Every named measure of one run."""
    return {name: float(MEASURES[name](result)) for name in names}
