"""Cost-effectiveness as funders read it: incremental cost and employed years, net benefit, acceptability.

Per policy, from paired replicates (replicate ``i`` of the policy and of the baseline share
a seed): ``c_i`` = extra discounted policy cost (``policy_cost_pv``), ``e_i`` = extra
discounted **employed** researcher-years (``employed_years_pv``: years in a paid post; not
``researcher_years_pv``, which also counts months in a gap and doctoral study). Their
means carry 95% t-intervals; the pairs ``(c_i, e_i)`` are the joint distribution (the
points of the cost-effectiveness plane).

* **Net monetary benefit** at a willingness to pay ``w`` per employed year (declared in
  ``experiments.runs.willingness_to_pay``): ``NMB_i = w e_i - c_i``; mean and 95% t-interval.
  Positive = worth its cost at ``w``.
* **Probability of being cost-effective** at ``w``: the share of paired replicates with
  ``NMB_i > 0``, i.e. of single realisations of HSR (at this population size and these
  parameter values) in which the policy pays its way. Over ``w`` it is the acceptability
  curve. It reflects run-to-run variation, not parameter uncertainty (for that, run an
  ensemble).
* **ICER** = mean ``c`` / mean ``e`` with Fieller's interval, only when the 95% interval of
  ``e`` excludes zero and both means are positive (a negative ratio means one option
  dominates the other, and is said so); otherwise ``ratio_note`` says in words why there
  is no ratio.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from experiments.runs.fieller import fieller_interval
from experiments.runs.outputs import t_interval
from experiments.runs.willingness_to_pay import WTP, WillingnessToPay
from model.formats import money, people

COST, EFFECT = "policy_cost_pv", "employed_years_pv"
CE_COLUMNS = [
    "policy", "inc_cost_pv", "inc_cost_pv_low", "inc_cost_pv_high",
    "inc_employed_years_pv", "inc_employed_years_pv_low", "inc_employed_years_pv_high",
    "icer", "fieller_low", "fieller_high", "ratio_note", "wtp", "nmb", "nmb_low", "nmb_high", "p_cost_effective",
]  # fmt: skip
CEAC_COLUMNS = ["policy", "wtp", "p_cost_effective"]


def paired_increments(base: pd.DataFrame, scen: pd.DataFrame) -> pd.DataFrame:
    """Per replicate (index shared with ``base``): extra discounted cost ``cost`` and extra employed years ``years``."""
    common = base.index.intersection(scen.index)
    d = pd.DataFrame({"cost": scen.loc[common, COST] - base.loc[common, COST], "years": scen.loc[common, EFFECT] - base.loc[common, EFFECT]})
    return d.dropna()


def ratio_note(d: pd.DataFrame, years_ci: tuple[float, float], fieller: tuple[float, float] | None) -> str:
    """Plain words on the ratio: what its interval is, or why there is none (then read the net benefit)."""
    cost, years = float(d["cost"].mean()), float(d["years"].mean())
    if len(d) and not d["cost"].any():
        return "no ratio: the policy spends nothing, so there is no cost per employed researcher-year"
    if len(d) < 2:
        return "no ratio: fewer than 2 paired replicates, so the uncertainty of the extra employed years is unknown"
    if fieller is None:
        return (
            f"no ratio: the 95% interval of extra employed researcher-years ({people(years_ci[0], signed=True)} to "
            f"{people(years_ci[1], signed=True)}) includes zero, so cost divided by it could take any size or sign; "
            "read the net monetary benefit instead"
        )
    if years < 0 < cost:
        return "dominated by the baseline: fewer employed researcher-years at extra cost (a negative ratio has no meaning here)"
    if cost <= 0 < years:
        return "dominates the baseline: more employed researcher-years at no extra cost"
    return f"Fieller 95% interval {money(fieller[0])} to {money(fieller[1])} per extra employed researcher-year"


def policy_row(base: pd.DataFrame, scen: pd.DataFrame, name: str, wtp: WillingnessToPay = WTP) -> dict:
    """One row of ``cost_effectiveness.csv`` for policy ``name`` against ``base`` (per-replicate metrics)."""
    d = paired_increments(base, scen)
    cost = t_interval(d["cost"].tolist())[:3]
    years = t_interval(d["years"].tolist())[:3]
    nmb_i = wtp.per_employed_year * d["years"] - d["cost"]
    nmb = t_interval(nmb_i.tolist())[:3]
    fieller = fieller_interval(d["cost"].to_numpy(), d["years"].to_numpy()) if d["cost"].any() else None
    note = ratio_note(d, years[1:], fieller)
    meaningful = fieller is not None and cost[0] > 0 < years[0]  # a negative ratio (dominance) is not a price
    icer = cost[0] / years[0] if meaningful else math.nan
    low, high = fieller if meaningful else (math.nan, math.nan)
    p = float(np.mean(nmb_i > 0)) if len(d) else math.nan
    return dict(zip(CE_COLUMNS, (name, *cost, *years, icer, low, high, note, wtp.per_employed_year, *nmb, p), strict=True))


def acceptability(base: pd.DataFrame, scen: pd.DataFrame, name: str, wtp: WillingnessToPay = WTP) -> pd.DataFrame:
    """The acceptability curve of ``name``: share of paired replicates with positive net benefit at each threshold."""
    d = paired_increments(base, scen)
    w = wtp.thresholds()
    nmb = np.outer(w, d["years"].to_numpy()) - d["cost"].to_numpy()[None, :]
    p = (nmb > 0).mean(axis=1) if len(d) else np.full(len(w), math.nan)
    return pd.DataFrame({"policy": name, "wtp": w, "p_cost_effective": p}, columns=CEAC_COLUMNS)
