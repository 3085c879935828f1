"""The app's controls, derived from the policy declaration (``model.POLICIES``) — never listed by hand.

Each registered policy becomes an on/off switch (``<type>``) followed by one slider per
numeric field (``<type>__<field>``). A slider spans the field's declared *plausible*
range (widened to include the starting value, and never beyond the valid range), so a
decision-maker moves within believable values. Starting values come from the scenario
the app opens: a policy the scenario already has starts switched on with its values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from model.config import ModelConfig, numeric_parameters
from model.policies import POLICIES

SEP = "__"
SLIDER_STEPS = 40  # about this many positions along a float slider


@dataclass(frozen=True)
class Lever:
    """One control: a policy switch or a numeric policy setting."""

    key: str  # keyword argument of the app model
    label: str
    kind: str  # "Checkbox", "SliderInt" or "SliderFloat"
    value: float | int | bool
    policy: str
    field: str | None = None
    min: float | None = None
    max: float | None = None
    step: float | None = None
    name: str = ""  # the setting in plain words, shown above its slider
    unit: str = ""

    def shown(self, value: float | int | None = None) -> str:
        """The setting and its current value with its unit, e.g. ``Most months bridged per gap: 6 months``."""
        return f"{self.name}: {format_value(self.value if value is None else value, self.unit)}"

    def range_text(self) -> tuple[str, str]:
        """The slider's two ends with their unit, e.g. ``('3 months', '12 months')``."""
        return format_value(self.min, self.unit), format_value(self.max, self.unit)


def nice_step(lo: float, hi: float) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about ``SLIDER_STEPS`` positions on [lo, hi]."""
    raw = (hi - lo) / SLIDER_STEPS
    if raw <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def format_value(value: float | int, unit: str | None) -> str:
    """A setting's value with its unit for people: £1.00m per year, 6 months, 0.8 proportion."""
    unit = unit or ""
    if unit.startswith("GBP"):
        from model.formats import money

        return money(float(value)) + unit[3:]
    for share in ("proportion", "probability"):  # a share reads as a percentage: 80%, 50% per year, 100% of employers
        if unit.startswith(share):
            return f"{_num(round(100 * float(value), 6))}%{unit[len(share) :]}"
    return f"{_num(float(value))} {unit}".strip()


def _label(field: str, unit: str | None) -> str:
    text = field.replace("_", " ").capitalize()
    return f"{text} ({unit})" if unit else text


def _num(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:g}"


def _policy_label(policy_type: str) -> str:
    cls = POLICIES[policy_type]
    name = policy_type.replace("_", " ").capitalize()
    return f"{name} — {cls.report_heading}" if cls.report_heading else name


def policy_levers(config: ModelConfig | None = None) -> list[Lever]:
    """Every policy switch and numeric setting, in registry order, starting from ``config``'s policies."""
    config = config or ModelConfig()
    present = {p.policy_type: p for p in config.policies}
    everything = config.model_copy(update={"policies": [present.get(t) or cls() for t, cls in POLICIES.items()]})
    rows = numeric_parameters(everything)
    levers: list[Lever] = []
    for policy_type in POLICIES:
        levers.append(Lever(policy_type, _policy_label(policy_type), "Checkbox", policy_type in present, policy_type))
        prefix = f"policies.{policy_type}."
        for path, row in rows.items():
            if not path.startswith(prefix):
                continue
            field = path[len(prefix) :]
            value = row["value"]
            lo = max(row["min"], min(row["plausible_min"], value))
            hi = min(row["max"], max(row["plausible_max"], value))
            if row["integer"]:
                kind, step, lo, hi, value = "SliderInt", 1, int(lo), int(hi), int(value)
            else:
                kind, step, lo, hi, value = "SliderFloat", nice_step(lo, hi), float(lo), float(hi), float(value)
            label = f"{_label(field, row['unit'])}: {_num(lo)} to {_num(hi)}"
            name = (row.get("doc") or _label(field, None)).rstrip(".")
            levers.append(
                Lever(f"{policy_type}{SEP}{field}", label, kind, value, policy_type, field, lo, hi, step, name, row["unit"] or "")
            )
    return levers


def apply_levers(config: ModelConfig, values: dict[str, Any]) -> ModelConfig:
    """A validated copy of ``config`` with the switched-on policies and their settings from ``values``.

    Keys are lever keys (``bridge_funding``, ``bridge_funding__max_months``); a policy the
    values do not mention keeps the scenario's choice. Unknown keys raise ``KeyError``
    naming the valid ones; out-of-range values raise pydantic's ``ValidationError``.
    """
    valid = {lv.key for lv in policy_levers(config)}
    unknown = sorted(set(values) - valid)
    if unknown:
        raise KeyError(f"unknown control(s) {unknown}; valid controls: {sorted(valid)}")
    present = {p.policy_type: p for p in config.policies}
    policies = []
    for policy_type, cls in POLICIES.items():
        if not values.get(policy_type, policy_type in present):
            continue
        data = present[policy_type].model_dump() if policy_type in present else {}
        for key, value in values.items():
            if key.startswith(policy_type + SEP):
                data[key[len(policy_type) + len(SEP) :]] = value
        policies.append(cls.model_validate(data))
    return ModelConfig.model_validate({**config.model_dump(), "policies": [p.model_dump() for p in policies]})
