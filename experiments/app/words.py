"""What the app says in words: the run card's sentences and the effects panel's rows.

Labels, number formats and the direction that counts as better come from the one outcome
registry (``model/outcomes.py``), and each policy setting's meaning and unit from its declaration.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from experiments.app.levers import format_value
from experiments.app.session import EFFECTS, PairResult
from model.outcomes import get, label, value


def _better(metric: str) -> int:
    """+1 when higher is better, −1 when lower is (higher where the registry declares neither)."""
    return get(metric).sign or 1


def _policy_name(policy: Any) -> str:
    cls = type(policy)
    name = policy.policy_type.replace("_", " ").capitalize()
    return f"{name} ({cls.report_heading})" if cls.report_heading else name


def setting_sentence(policy: Any, field: str) -> str:
    """One setting as a clause: its declared meaning, then its value with the unit (``... becomes open-ended: 3.5 years of service``)."""
    info = type(policy).model_fields[field]
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    meaning = (info.description or field.replace("_", " ")).split(" (")[0].rstrip(".")
    raw = getattr(policy, field)
    shown = ", ".join(str(v).replace("_", " ") for v in raw) if isinstance(raw, list) else format_value(raw, extra.get("unit", ""))
    return f"{meaning}: {shown}"


def policy_sentences(policies: list[Any]) -> list[str]:
    """Each policy as one sentence: name and heading, when it starts, then every setting."""
    out = []
    for p in policies:
        start = "from the start of the reported years" if p.start_year <= 0 else f"from reported year {p.start_year}"
        fields = [f for f in type(p).model_fields if f not in ("type", "start_year")]
        out.append(f"{_policy_name(p)}, {start}. " + "; ".join(setting_sentence(p, f) for f in fields) + ".")
    return out


def run_card(result: PairResult, scenario_name: str, scenario_file: str | None) -> list[str]:
    """The run card: what was run, in sentences."""
    run = result.config.run
    where = f" (file {Path(scenario_file).name})" if scenario_file else ""  # the name: a full path says nothing more and is long
    lines = [
        f"Scenario opened: {scenario_name}{where}. Each run starts with {run.population:,} researchers, simulates "
        f"{run.burn_in_years} years of burn-in and then {run.years} reported years.",
        f"Both versions ran {result.settings.replicates} times, replicate by replicate on the same random seeds "
        f"(root seed {result.settings.seed}), so each effect below is a paired difference with a 95% interval.",
    ]
    if result.same:
        lines.append("No lever differs from the scenario as opened, so there is nothing to compare yet: switch a policy on or "
                     "move a setting, then press Run.")  # fmt: skip
        return lines
    base = policy_sentences(result.baseline.policies) or ["No policy lever."]
    lines.append("Baseline (the scenario as opened): " + " ".join(base))
    lines.append("With the levers as set: " + (" ".join(policy_sentences(result.config.policies)) or "No policy lever."))
    return lines


@dataclass(frozen=True)
class EffectRow:
    """One outcome of the effects panel."""

    metric: str
    label: str
    baseline: str
    scenario: str
    difference: str
    interval: str
    reading: str  # "better", "worse", "no clear change", "not estimable", "more spending", "less spending"


def effect_rows(result: PairResult) -> list[EffectRow]:
    """The headline outcomes against the baseline: levels, paired difference, 95% interval and a plain reading."""
    e = result.effects
    rows = []
    for m in EFFECTS:
        if m not in e.index:
            continue
        r = e.loc[m]
        d, lo, hi = float(r["difference"]), float(r["ci_low"]), float(r["ci_high"])
        ratio = m.startswith("cost_per_")
        if not (math.isfinite(lo) and math.isfinite(hi)):
            reading = "not estimable" if ratio else "no clear change"
        elif ratio:
            reading = "cost of what is gained"
        elif lo > 0 or hi < 0:
            better = (d > 0) == (_better(m) > 0)
            reading = ("less spending" if d < 0 else "more spending") if m.startswith("policy_cost") else ("better" if better else "worse")
        else:
            reading = "no clear change"
        shown_diff = value(m, d) if ratio else value(m, d, difference=True)
        interval = f"{value(m, lo, difference=not ratio)} to {value(m, hi, difference=not ratio)}" if math.isfinite(lo) else "—"
        rows.append(EffectRow(m, label(m), value(m, float(r["baseline_mean"])), value(m, float(r["scenario_mean"])),
                              shown_diff, interval, reading))  # fmt: skip
    return rows
