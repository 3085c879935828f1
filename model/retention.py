"""Kaplan–Meier retention curves by group, censored at the horizon, with bands across replicates.

A researcher who enters in reported year ``e`` and leaves during year ``x`` stays
``x - e + 1`` years (an event at that time); one still active at the horizon ``H`` is
censored after ``H - e`` years. Only entrants within the horizon count (``entry_year
>= 0``), so every career is observed from its start.

``carer:yes`` means caring at entry. Grouping by *ever* caring would bias carers'
retention upwards (immortal time: those who stay longer have longer to become carers).

Entrants' retention compares different people when a policy changes who enters. Two
cohorts no policy changes are measured beside it (``fixed_cohort_retention``): the
**year-0 cohort** (everyone in HSR when the reported years, and the policies, start:
entered before year 0, not yet left) and **doctoral entrants** (PhD students entering
during the reported years; their intake is funded apart from research posts).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.parameters import SECTORS
from model.population import DOCTORAL, NO_YEAR

GROUP_COLUMNS = {
    "gender": ("gender", {"woman": "woman", "man": "man"}),
    "carer": ("carer_at_entry", {"yes": True, "no": False}),
    "disabled": ("disabled", {"yes": True, "no": False}),
    "working_class": ("working_class", {"yes": True, "no": False}),
}
HEADLINE_YEARS = (5, 10)  # years after entry at which retention is reported
EQUITY_GAPS = {  # name: (advantaged group, disadvantaged group); gap = advantaged − disadvantaged retention at 10 years
    "carer": ("carer:no", "carer:yes"),
    "disabled": ("disabled:no", "disabled:yes"),
    "working_class": ("working_class:no", "working_class:yes"),
    "gender": ("gender:man", "gender:woman"),
}
RETENTION_COLUMNS = ["group", "years_since_entry", "retained", "ci_low", "ci_high", "n_at_risk"]


def _durations(careers: pd.DataFrame, horizon: int) -> pd.DataFrame:
    c = careers[careers["entry_year"] >= 0].copy()
    exited = c["exit_year"].notna()
    c["event"] = exited
    c["time"] = np.where(exited, c["exit_year"].fillna(0) - c["entry_year"] + 1, horizon - c["entry_year"])
    c["carer_at_entry"] = c["first_caring_year"].notna() & (c["first_caring_year"] == c["entry_year"])
    return c


def kaplan_meier(time: np.ndarray, event: np.ndarray, horizon: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """KM survival at t = 0..horizon, its Greenwood variance, and the number at risk."""
    time = np.asarray(time, dtype=int)
    event = np.asarray(event, dtype=bool)
    size = horizon + 2
    ends = np.bincount(np.clip(time, 0, horizon + 1), minlength=size)
    deaths = np.bincount(np.clip(time[event], 0, horizon + 1), minlength=size)
    at_risk = ends[::-1].cumsum()[::-1]  # n with time >= t
    with np.errstate(divide="ignore", invalid="ignore"):
        hazard = np.where(at_risk > 0, deaths / at_risk, 0.0)
        green = np.where((at_risk > deaths) & (at_risk > 0), deaths / (at_risk * (at_risk - deaths)), 0.0)
    hazard[0] = green[0] = 0.0
    surv = np.cumprod(1.0 - hazard)[: horizon + 1]
    var = surv**2 * np.cumsum(green)[: horizon + 1]
    return surv, var, at_risk[: horizon + 1]


def survival_by_group(cols: dict[str, np.ndarray], horizon: int) -> dict[str, np.ndarray]:
    """Kaplan–Meier survival at t = 0..horizon per group, from career columns (``model.observe.career_columns``).

    The numpy path of ``retention_curves`` for one replicate: the same groups in the
    same order (empty groups left out) and the same values.
    """
    entry = cols["entry_year"].astype(np.int64)
    sel = entry >= 0
    entry = entry[sel]
    exit_year = cols["exit_year"][sel].astype(np.int64)
    exited = exit_year != NO_YEAR
    time = np.where(exited, np.where(exited, exit_year, 0) - entry + 1, horizon - entry)
    first_caring = cols["first_caring_year"][sel]
    woman = cols["woman"][sel]
    carer = (first_caring != NO_YEAR) & (first_caring == entry)
    disabled = cols["disabled"][sel]
    working_class = cols["working_class"][sel]
    masks = {"all": np.ones(len(entry), dtype=bool), "gender:woman": woman, "gender:man": ~woman}
    for name, flag in (("carer", carer), ("disabled", disabled), ("working_class", working_class)):
        masks[f"{name}:yes"] = flag
        masks[f"{name}:no"] = ~flag
    sector = cols["entry_sector"][sel]
    for code in sorted(np.unique(sector).tolist(), key=lambda c: SECTORS[c]):
        masks[f"sector:{SECTORS[code]}"] = sector == code
    return {g: kaplan_meier(time[m], exited[m], horizon)[0] for g, m in masks.items() if m.any()}


def fixed_cohort_retention(entry_year: np.ndarray, exit_year: np.ndarray, entry_stage: np.ndarray, horizon: int, years: int) -> dict[str, float]:
    """Retention ``years`` on of the two cohorts no policy changes (NaN when the horizon is shorter).

    ``cohort``: share of the researchers in HSR at the start of year 0 (``entry_year < 0``,
    every one observed from year 0, so a plain share) with no exit in years ``0..years-1``.
    ``doctoral``: Kaplan–Meier retention ``years`` after entry of doctoral entrants in the
    reported years (entry stage doctoral, ``entry_year >= 0``; censored at the horizon).
    Columns as ``model.observe.career_columns`` keeps them (``exit_year`` = ``NO_YEAR`` if none).
    """
    entry_year, exit_year = np.asarray(entry_year, np.int64), np.asarray(exit_year, np.int64)
    exited = exit_year != NO_YEAR
    out = {"cohort": np.nan, "doctoral": np.nan}
    if years > horizon:
        return out
    cohort = entry_year < 0
    if cohort.any():
        out["cohort"] = float(np.mean(~exited[cohort] | (exit_year[cohort] >= years)))
    doc = (entry_year >= 0) & (np.asarray(entry_stage) == DOCTORAL)
    if doc.any():
        time = np.where(exited[doc], exit_year[doc] - entry_year[doc] + 1, horizon - entry_year[doc])
        out["doctoral"] = float(kaplan_meier(time, exited[doc], horizon)[0][years])
    return out


def _group_masks(c: pd.DataFrame) -> dict[str, pd.Series]:
    masks = {"all": pd.Series(True, index=c.index)}
    for name, (col, values) in GROUP_COLUMNS.items():
        for label, value in values.items():
            masks[f"{name}:{label}"] = c[col] == value
    for sector in sorted(c["entry_sector"].dropna().unique()):
        masks[f"sector:{sector}"] = c["entry_sector"] == sector
    return masks


def retention_by_rep(careers: pd.DataFrame, horizon: int) -> pd.DataFrame:
    """KM curve per replicate and group: ``rep, group, years_since_entry, retained, variance, n_at_risk``."""
    c = _durations(careers, horizon)
    if "rep" not in c:
        c["rep"] = 0
    frames = []
    t = np.arange(horizon + 1)
    for rep, sub in c.groupby("rep", sort=True):
        for group, mask in _group_masks(sub).items():
            s = sub[mask]
            if s.empty:
                continue
            surv, var, risk = kaplan_meier(s["time"].to_numpy(), s["event"].to_numpy(), horizon)
            frames.append(
                pd.DataFrame({"rep": rep, "group": group, "years_since_entry": t, "retained": surv, "variance": var, "n_at_risk": risk})
            )
    return (
        pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["rep", *RETENTION_COLUMNS[:3], "variance", "n_at_risk"])
    )


def retention_curves(careers: pd.DataFrame, horizon: int) -> pd.DataFrame:
    """Retention by group with 95% bands.

    With several replicates the band is the t-interval of the replicate mean (the
    uncertainty of the expected curve); with one replicate it is Greenwood's interval.
    """
    return curves_from_reps(retention_by_rep(careers, horizon))


def curves_from_reps(per_rep: pd.DataFrame) -> pd.DataFrame:
    """``retention_curves`` from per-replicate curves (``retention_by_rep`` rows, replicates in order)."""
    if per_rep.empty:
        return pd.DataFrame(columns=RETENTION_COLUMNS)
    g = per_rep.groupby(["group", "years_since_entry"], sort=False)
    out = g.agg(
        retained=("retained", "mean"),
        sd=("retained", "std"),
        reps=("retained", "size"),
        var=("variance", "mean"),
        n_at_risk=("n_at_risk", "sum"),
    ).reset_index()
    multi = out["reps"] > 1
    from scipy import stats  # here, not at import: scipy.stats costs every worker process ~0.2 s to start

    tq = stats.t.ppf(0.975, np.maximum(out["reps"] - 1, 1))
    half = np.where(multi, tq * out["sd"].fillna(0) / np.sqrt(out["reps"]), 1.96 * np.sqrt(out["var"]))
    out["ci_low"] = np.clip(out["retained"] - half, 0, 1)
    out["ci_high"] = np.clip(out["retained"] + half, 0, 1)
    return out[RETENTION_COLUMNS]
