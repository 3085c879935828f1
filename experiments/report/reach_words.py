"""Whom each policy reached, in plain sentences, from ``reach.csv`` rows (``experiments/runs/reach_table.py``).

"Bridge funding reached 312 researchers in a gap between contracts, paying their salary
(of 540 eligible over 30 years), of them 41% without a family safety net, 30% working-class,
12% disabled or neurodivergent and 9% carers; it spent £690k of its £1m a year."

Figures are means per replicate over the reported horizon; a policy this module has no
phrase for is still described (with its benefit's name). Leakage (people reached who
were not eligible) is said whenever it is not zero.
"""

from __future__ import annotations

import math

import pandas as pd

from model import formats

# (policy, benefit) -> who was reached and how, said after "reached N researchers"
PHRASES: dict[tuple[str, str], str] = {
    ("bridge_funding", "bridged_month"): "in a gap between contracts, paying their salary",
    ("open_ended_contracts", "conversion"): "on fixed-term contracts, making them open-ended",
    ("open_ended_contracts", "redeployment"): "whose funding ended, redeploying them",
    ("fair_mentoring", "formal_mentor"): "without an informal mentor, with a formal one",
    ("disability_adjustments", "adjustments"): "who had disclosed a disability or neurodivergence, funding their adjustments",
    ("caring_support", "caring_support"): "with caring duties",
    ("hardship_support", "hardship_grant"): "in a gap whose savings had run out, with a grant",
    ("protected_time", "protected_time"): "with protected research time",
    ("inclusive_leadership", "inclusive_employer"): "in the employers it works with",
    ("consistent_management", "manager_trained"): "as line managers, training them",
    ("consistent_management", "trained_manager"): "with a trained line manager",
    ("joint_posts", "joint_post"): "in NHS or third-sector posts, with a joint NHS–academic post",
    ("cross_sector", "cross_sector_network"): "through cross-sector events and networks",
}
NAMES = {"bridge_funding": "Bridge funding", "open_ended_contracts": "Open-ended contracts", "fair_mentoring": "Fair mentoring",
         "disability_adjustments": "Disability adjustments", "caring_support": "Caring support", "hardship_support": "Hardship support",
         "protected_time": "Protected time", "inclusive_leadership": "Inclusive leadership",
         "consistent_management": "Consistent management", "joint_posts": "Joint posts", "cross_sector": "Cross-sector networks"}  # fmt: skip
# group, value, words: the groups the HSR UK report names, said as shares of those reached
NAMED_GROUPS = (
    ("safety_net", "none", "without a family safety net"),
    ("working_class", "yes", "working-class"),
    ("disabled", "yes", "disabled or neurodivergent"),
    ("carer", "yes", "carers"),
)


def _list(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def sentence(rows: pd.DataFrame) -> str:
    """One sentence for one policy benefit (its ``reach.csv`` rows of one scenario)."""
    get = rows.set_index(["group", "value"])
    top = get.loc[("all", "all")]
    policy, benefit = rows["policy"].iloc[0], rows["benefit"].iloc[0]
    name = NAMES.get(policy, policy.replace("_", " ").capitalize())
    phrase = PHRASES.get((policy, benefit), f"({benefit.replace('_', ' ')})")
    reached, eligible = float(top["reached_people"]), float(top["eligible_people"])
    text = f"{name} reached {reached:,.0f} researchers {phrase}"
    if eligible > reached:
        years = int(top["years"]) if "years" in top and pd.notna(top["years"]) else None
        over = f" over {years} years" if years else ""
        text += f" (of {eligible:,.0f} eligible{over})"
    shares = []
    for group, value, words in NAMED_GROUPS:
        if reached <= 0 or (group, value) not in get.index:
            continue
        if float(get.loc[(group, value), "eligible_people"]) >= eligible > 0:
            continue  # the policy is for this group alone: "100% carers" says nothing
        shares.append(f"{float(get.loc[(group, value), 'reached_people']) / reached:.0%} {words}")
    if shares:
        text += ", of them " + _list(shares)
    per_year = float(top["spend_gbp_per_year"]) + float(top["overhead_gbp_per_year"])
    budget = float(top["budget_gbp_per_year"]) if "budget_gbp_per_year" in top else math.nan
    if per_year > 0:
        text += f"; it spent {formats.money(per_year)} of its {formats.money(budget)} a year" if math.isfinite(budget) else f"; it spent {formats.money(per_year)} a year"
    elif math.isfinite(budget):
        text += f"; it spent nothing of its {formats.money(budget)} a year"
    leak = float(top["leakage_people"])
    if leak > 0:
        text += f"; {leak:,.0f} of those reached were not eligible (a defect)"
    return text + "."


def reach_sentences(reach: pd.DataFrame, scenario: str | None = None) -> list[str]:
    """Plain sentences, one per policy benefit, of ``reach.csv`` rows (of ``scenario`` when given), in table order."""
    if scenario is not None and "scenario" in reach.columns:
        reach = reach[reach["scenario"] == scenario]
    keys = ["scenario", "policy", "benefit"] if "scenario" in reach.columns else ["policy", "benefit"]
    out = []
    for _, rows in reach.groupby(keys, sort=False):
        out.append(sentence(rows))
    return out
