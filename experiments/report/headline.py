"""The plain-language summary: one sentence per policy built from what changed, or per run from its levels.

For a policy, the sentence lists the registry's headline outcomes whose 95% interval
excludes zero, the largest change relative to the baseline first, in plain words:
"Bridge funding (about £622k a year, discounted): exits after a funding gap: down 287
[−340 to −235]; the class gap narrows by 2.6 pp [...]". "No clear change" is said only
when no headline outcome changed clearly. When fewer entrants are hired, the sentence
says why (posts are fixed, so keeping researchers means hiring fewer newcomers); where a
cost per researcher-year is not given, ``ratio_words`` says why in words.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from experiments.plots.palette import nice
from experiments.report.decision import clear, effect, interval
from model import formats, outcomes

scenario_title = nice  # one way to name a scenario for people


def _size(e: dict[str, float]) -> float:
    """How large a change is, to order the clauses: relative to the baseline level, else in its own units."""
    base = abs(e["base"]) if math.isfinite(e["base"]) else 0.0
    return abs(e["d"]) / base if base > 1e-9 else abs(e["d"])


def clause(metric: str, e: dict[str, float]) -> str:
    """One clear effect in words: ``the class gap narrows by 2.6 pp [1.1 to 4.0]``, ``entrants hired down by 277 [...]``."""
    o = outcomes.get(metric)
    size = o.format(abs(e["d"]), difference=True).lstrip("+")
    if o.family == "gap":
        name = outcomes.GAP_WORDS[metric.removeprefix("equity_gap_").removesuffix("_10y")][0]
        return f"the {name} {'narrows' if e['d'] < 0 else 'widens'} by {size} {interval(metric, e)}"
    return f"{o.label}: {'up' if e['d'] > 0 else 'down'} {size} {interval(metric, e)}"


def policy_sentence(effects: pd.DataFrame, scenario: str, horizon: int, ratio_note: str | None = None) -> str:
    """The summary sentence of one scenario against the baseline."""
    cost = effect(effects, scenario, "policy_cost_pv")
    head = nice(scenario)
    if cost is not None and math.isfinite(cost["d"]) and cost["d"] != 0:
        head += f" (about {formats.money(cost['d'] / horizon)} a year, discounted)"
    present = set(effects.loc[effects["scenario"] == scenario, "metric"])
    changed = [(m, e) for m in outcomes.headlines() if m in present and clear(e := effect(effects, scenario, m))]
    changed.sort(key=lambda me: -_size(me[1]))  # type: ignore[arg-type]
    clauses = [clause(m, e) for m, e in changed]  # type: ignore[arg-type]
    if not clauses:
        clauses = ["no clear change in any headline outcome (every 95% interval includes zero)"]
    hires = effect(effects, scenario, "entrants_hired")
    if clear(hires) and hires["d"] < 0:  # type: ignore[index]
        clauses.append("posts are fixed, so keeping researchers in post means fewer entrants are hired into them")
    if ratio_note:
        clauses.append(ratio_note)
    return f"{head}: " + "; ".join(clauses) + "."


def ratio_words(effects: pd.DataFrame, scenario: str, note: str | None = None) -> str | None:
    """Why a cost per researcher-year is not given, in words (None when it is given or there is no spending)."""
    cost = effect(effects, scenario, "policy_cost_pv")
    if cost is None or cost["d"] == 0:
        return None
    ratio = effect(effects, scenario, "cost_per_additional_researcher_year")
    if ratio is not None and math.isfinite(ratio["lo"]) and math.isfinite(ratio["hi"]):
        return None
    return note or ("no cost per extra researcher-year: the change in researcher-years is not distinguishable from zero, "
                    "so any ratio would be unbounded")  # fmt: skip


def run_sentence(name: str, summary: dict[str, Any], horizon: int, reps: int) -> str:
    """The headline sentence of one scenario run on its own (levels, not effects)."""

    def level(key: str) -> str:
        s = summary.get(key)
        if not s or not formats.finite(s.get("mean")):
            return formats.DASH
        lo, hi = s.get("ci_low"), s.get("ci_high")
        spread = f" [{outcomes.value(key, lo)} to {outcomes.value(key, hi)}]" if formats.finite(lo) and formats.finite(hi) else ""
        return outcomes.value(key, s["mean"]) + spread

    gap = summary.get("equity_gap_carer_10y", {}).get("mean", math.nan)
    cost = summary.get("policy_cost_pv", summary.get("policy_cost", {})).get("mean", math.nan)
    spend = f"; policy spending about {formats.money(cost / horizon)} a year, discounted" if formats.finite(cost) and cost > 0 else ""
    gap_text = f"; carers' gap in 10-year retention {formats.points(gap)}" if formats.finite(gap) else ""
    return (
        f"{nice(name)} ({reps} replicates, {horizon} years): {level('retention_10y')} of new entrants still in HSR "
        f"10 years after entry{gap_text}; {level('share_fixed_term')} of those in post on fixed-term contracts{spend}."
    )
