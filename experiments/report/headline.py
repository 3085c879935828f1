"""The plain-language summary: one sentence per policy scenario (or per run), built from the effects table.

"Bridge funding, about £1.00m a year: about 12 more researchers in HSR after 30 years
[3 to 21]; costs £35.1k per extra researcher-year [£20.0k to £90.2k]; narrows the carers'
gap by 1.2 points [0.3 to 2.1]." An effect whose 95% interval includes zero is said as
"no clear change", never as a number that looks like a finding.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from experiments.report.metrics import money, people


def _row(effects: pd.DataFrame, scenario: str, metric_id: str) -> dict[str, float] | None:
    sub = effects[(effects["scenario"] == scenario) & (effects["metric"] == metric_id)]
    if sub.empty:
        return None
    r = sub.iloc[0]
    return {"d": float(r["difference"]), "lo": float(r["ci_low"]), "hi": float(r["ci_high"])}


def _clear(r: dict[str, float] | None) -> bool:
    return r is not None and math.isfinite(r["lo"]) and math.isfinite(r["hi"]) and (r["lo"] > 0 or r["hi"] < 0)


def _first(effects: pd.DataFrame, scenario: str, *ids: str) -> tuple[str | None, dict[str, float] | None]:
    for m in ids:
        r = _row(effects, scenario, m)
        if r is not None:
            return m, r
    return None, None


def scenario_title(name: str) -> str:
    """``bridge_funding`` → ``Bridge funding``."""
    text = name.replace("_", " ")
    return text[:1].upper() + text[1:]


def policy_sentence(effects: pd.DataFrame, scenario: str, horizon: int) -> str:
    """The headline sentence of one policy scenario against the baseline."""
    parts = [scenario_title(scenario)]
    _, cost = _first(effects, scenario, "policy_cost")
    if cost is not None and math.isfinite(cost["d"]) and cost["d"] != 0:
        parts[0] += f", about {money(cost['d'] / horizon)} a year"
    clauses = []
    r = _row(effects, scenario, "active_final")
    if r is not None:
        n = round(r["d"])
        interval = f" [{people(r['lo'], signed=True)} to {people(r['hi'], signed=True)}]"
        if _clear(r):
            more = f"about {abs(n):,} {'more' if n > 0 else 'fewer'}"
            clauses.append(f"{more} researchers in HSR after {horizon} years{interval}")
        else:
            clauses.append(f"no clear change in the number of researchers in HSR after {horizon} years ({people(r['d'], signed=True)}{interval})")
    m, ratio = _first(effects, scenario, "cost_per_additional_researcher_year_pv", "cost_per_additional_researcher_year")
    if cost is not None and cost["d"] > 0 and ratio is not None:
        if math.isfinite(ratio["d"]) and math.isfinite(ratio["lo"]) and math.isfinite(ratio["hi"]) and ratio["d"] > 0:
            pv = " (discounted)" if m and m.endswith("_pv") else ""
            clauses.append(f"costs {money(ratio['d'])} per extra researcher-year{pv} [{money(ratio['lo'])} to {money(ratio['hi'])}]")
        else:
            clauses.append("cost per extra researcher-year not estimable (the change in researcher-years is not distinguishable from zero)")
    elif cost is not None and cost["d"] == 0:
        clauses.append("no policy spending")
    gap = _row(effects, scenario, "equity_gap_carer_10y")
    if gap is not None:
        if _clear(gap):
            verb = "narrows" if gap["d"] < 0 else "widens"
            lo, hi = sorted((abs(100 * gap["lo"]), abs(100 * gap["hi"])))
            clauses.append(f"{verb} the carers' gap in 10-year retention by {abs(100 * gap['d']):.1f} points [{lo:.1f} to {hi:.1f}]")
        else:
            clauses.append("no clear change in the carers' gap")
    return f"{parts[0]}: " + "; ".join(clauses) + "."


def run_sentence(name: str, summary: dict[str, Any], horizon: int, reps: int) -> str:
    """The headline sentence of one scenario run on its own (levels, not effects)."""
    def pct(key: str) -> str:
        s = summary.get(key)
        if not s or not math.isfinite(s["mean"]):
            return "—"
        interval = f" [{100 * s['ci_low']:.1f} to {100 * s['ci_high']:.1f}]" if math.isfinite(s["ci_low"]) else ""
        return f"{100 * s['mean']:.1f}%{interval}"

    gap = summary.get("equity_gap_carer_10y", {}).get("mean", math.nan)
    cost = summary.get("policy_cost", {}).get("mean", math.nan)
    spend = f"; policy spending {money(cost / horizon)} a year" if math.isfinite(cost) and cost > 0 else ""
    gap_text = f"; carers' gap in 10-year retention {100 * gap:.1f} points" if math.isfinite(gap) else ""
    return (
        f"{scenario_title(name)} ({reps} replicates, {horizon} years): {pct('retention_10y')} of new entrants still in HSR "
        f"10 years after entry{gap_text}; {pct('share_fixed_term')} of those in post on fixed-term contracts{spend}."
    )
