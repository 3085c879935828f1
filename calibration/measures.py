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


def survey_secure_position(result) -> float:
    """Share of simulated-survey respondents in a secure position (permanent, or enough months left): solves ``survey.secure_share``."""
    s = result.survey
    return float(s["secure_position"].mean()) if len(s) else math.nan


def survey_feel_secure(result) -> float:
    """Share of simulated-survey respondents who feel secure (model/survey.py: permanent or 24+ months left)."""
    s = result.survey
    return float(s["feel_secure"].mean()) if len(s) else math.nan


def _sector(a: pd.DataFrame) -> pd.Series:
    """The sector researchers are in now (the entry sector in tables written before the current one was kept)."""
    return a["final_sector"] if "final_sector" in a else a["entry_sector"]


def staff_fixed_term_university(result) -> float:
    """Share on fixed-term contracts among early- and mid-stage researchers in post in a university (now) at the horizon."""
    a = _active(result)
    staff = (
        (_sector(a) == "university")
        & a["final_stage"].isin(["early", "mid"])
        & a["final_contract"].isin(["fixed_term", "permanent"])
    )
    return _share(a["final_contract"] == "fixed_term", staff)


def staff_non_permanent_early(result) -> float:
    """Share not on a permanent contract (fixed-term or between contracts) among early-career researchers at the horizon."""
    a = _active(result)
    return _share(a["final_contract"] != "permanent", a["final_stage"] == "early")


def staff_fixed_term_university_45plus(result) -> float:
    """Share fixed-term among early- and mid-stage university researchers in post aged 45 or more at the horizon (CROS: research staff by age)."""
    a = _active(result)
    staff = (_sector(a) == "university") & a["final_stage"].isin(["early", "mid"]) & a["final_contract"].isin(["fixed_term", "permanent"])
    return _share(a["final_contract"] == "fixed_term", staff & (a["final_age"] >= 45))


def staff_fixed_term_senior_university(result) -> float:
    """Share fixed-term among senior university researchers in post at the horizon."""
    a = _active(result)
    staff = (_sector(a) == "university") & (a["final_stage"] == "senior") & a["final_contract"].isin(["fixed_term", "permanent"])
    return _share(a["final_contract"] == "fixed_term", staff)


def _women(a: pd.DataFrame, stage: str) -> float:
    return _share(a["gender"] == "woman", a["final_stage"] == stage)


def women_share_early(result) -> float:
    """Share of women among early-career (post-doctoral) researchers active at the horizon."""
    return _women(_active(result), "early")


def women_share_senior(result) -> float:
    """Share of women among senior researchers active at the horizon."""
    return _women(_active(result), "senior")


def women_senior_to_early_ratio(result) -> float:
    """Women's share among senior researchers over their share among early-career researchers (1 = no leak)."""
    a = _active(result)
    early = _women(a, "early")
    return _women(a, "senior") / early if early and early == early else math.nan


def women_share_drop(result) -> float:
    """Women's share among early-career researchers minus their share among seniors (positive: the pipeline leaks)."""
    a = _active(result)
    return _women(a, "early") - _women(a, "senior")


def leave_rate_drop(result) -> float:
    """Yearly leaving rate of early-career researchers minus that of seniors (retirement excluded)."""
    return leave_rate_early(result) - leave_rate_senior(result)


def _part_time(result, woman: bool) -> float:
    a = _active(result)
    post_doc = a["final_stage"] != "doctoral"
    return _share(a["part_time"].astype(bool), post_doc & ((a["gender"] == "woman") == woman))


def part_time_women(result) -> float:
    """Share working part-time among women post-doctoral researchers active at the horizon."""
    return _part_time(result, True)


def part_time_men(result) -> float:
    """Share working part-time among men post-doctoral researchers active at the horizon."""
    return _part_time(result, False)


def _leave_rate(result, stages: tuple[str, ...], retirement: bool) -> float:
    """Yearly leavers per researcher over the reported years, among researchers whose last stage is in ``stages``.

    Leavers are exits in years 0..H-1 (stage at exit); the denominator is the mean number
    active at each stage at the year-ends (the yearly table).
    """
    c, y = result.careers, result.yearly
    gone = c[c["exit_year"].notna() & c["final_stage"].isin(stages)]
    if not retirement:
        gone = gone[gone["exit_reason"] != "retirement"]
    at_risk = sum(float(y[f"active_{s}"].mean()) + len(c[c["exit_year"].notna() & (c["final_stage"] == s)]) / max(1, len(y)) / 2 for s in stages)
    years = max(1, len(y))
    return len(gone) / years / at_risk if at_risk else math.nan


def leave_rate_postdoc(result) -> float:
    """Yearly share of post-doctoral researchers (early, mid, senior) who leave UK HSR research, retirement included."""
    return _leave_rate(result, ("early", "mid", "senior"), retirement=True)


def leave_rate_early(result) -> float:
    """Yearly share of early-career researchers who leave research (retirement excluded)."""
    return _leave_rate(result, ("early",), retirement=False)


def leave_rate_senior(result) -> float:
    """Yearly share of senior researchers who leave research (retirement excluded)."""
    return _leave_rate(result, ("senior",), retirement=False)


def leavers_retired_share(result) -> float:
    """Share of post-doctoral leavers in the reported years who retired."""
    c = result.careers
    gone = c[c["exit_year"].notna() & (c["final_stage"] != "doctoral")]
    return _share(gone["exit_reason"] == "retirement", pd.Series(True, index=gone.index))


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
    ev = _without_studentship_ends(ev, result.careers)
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


def _studentship_end_rows(ev: pd.DataFrame, careers: pd.DataFrame) -> np.ndarray:
    """Row positions of studentship ends: a doctoral entrant's first renewal or gap start (the end of the studentship)."""
    doctoral = careers.loc[careers["entry_stage"] == "doctoral", "researcher_id"].to_numpy()
    ends = ev[ev["event"].isin(["renewed", "gap_start"]) & ev["researcher_id"].isin(doctoral)]
    first = ends.reset_index().drop_duplicates("researcher_id", keep="first")
    return first["index"].to_numpy()


def _without_studentship_ends(ev: pd.DataFrame, careers: pd.DataFrame) -> pd.DataFrame:
    """The event log without the ends of doctoral studentships (not research contracts: the 1997 sample was contract staff).

    A studentship ending in a gap keeps its gap_end (the pairing then skips it: its gap_start is gone)."""
    drop = _studentship_end_rows(ev, careers)
    return ev.drop(index=drop) if len(drop) else ev


def contract_end_another_post(result) -> float:
    """Share of fixed-term contract ends followed at once by another research post (renewal or new post)."""
    ends, gaps, _ = _contract_end_gaps(result)
    return (ends - gaps) / ends if ends else math.nan


def contract_end_no_post_2m(result) -> float:
    """Share of fixed-term contract ends after which the researcher is still without a research post 2 months later."""
    ends, _, still = _contract_end_gaps(result)
    return still / ends if ends else math.nan


def new_contracts_12m_or_less(result) -> float:
    """Share of new post-doctoral fixed-term contracts (reported years) of 12 months or less.

    Contract starts from the event log, without doctoral studentships (a doctoral entrant's
    first contract) and without an employer's redeployment months (not a research contract).
    With funded posts a new contract runs for what is left of its grant, so this is an output.
    """
    ev = result.events
    c = result.careers
    doctoral = c.loc[c["entry_stage"] == "doctoral", "researcher_id"].to_numpy()
    starts = ev[ev["event"] == "contract_start"]
    first_doc = starts[starts["researcher_id"].isin(doctoral)].reset_index().drop_duplicates("researcher_id", keep="first")["index"]
    starts = starts.drop(index=first_doc)
    red = ev[ev["event"] == "redeployed"]
    redeployed = set(zip(red["researcher_id"], red["time"].round(6), strict=True))
    keep = [(r, t) not in redeployed for r, t in zip(starts["researcher_id"], starts["time"].round(6), strict=True)]
    starts = starts[np.array(keep, dtype=bool) & (starts["year"] >= 0).to_numpy()]
    months = pd.to_numeric(starts["detail"], errors="coerce")
    return float((months <= 12).mean()) if len(months) else math.nan


def gap_months_mean(result) -> float:
    """Mean length in months of gaps that ended in a new post in the reported years."""
    ev = result.events
    ends = ev[(ev["event"] == "gap_end") & (ev["year"] >= 0)]
    months = pd.to_numeric(ends["detail"], errors="coerce").dropna()
    return float(months.mean()) if len(months) else math.nan


MEASURES: dict[str, Callable] = {
    f.__name__: f
    for f in (
        survey_satisfied_non_permanent,
        survey_satisfied_permanent,
        survey_neither_excess_non_permanent,
        survey_feel_secure,
        survey_secure_position,
        staff_fixed_term_university,
        staff_fixed_term_university_45plus,
        staff_fixed_term_senior_university,
        staff_non_permanent_early,
        staff_disabled,
        women_share_early,
        women_share_senior,
        women_senior_to_early_ratio,
        women_share_drop,
        leave_rate_drop,
        part_time_women,
        part_time_men,
        leave_rate_postdoc,
        leave_rate_early,
        leave_rate_senior,
        leavers_retired_share,
        contract_end_another_post,
        contract_end_no_post_2m,
        new_contracts_12m_or_less,
        gap_months_mean,
    )
}
NEEDS_EVENTS = {"contract_end_another_post", "contract_end_no_post_2m", "new_contracts_12m_or_less", "gap_months_mean"}


def measure(result, names: list[str] | tuple[str, ...]) -> dict[str, float]:
    """Every named measure of one run."""
    return {name: float(MEASURES[name](result)) for name in names}
