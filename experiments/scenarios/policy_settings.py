"""Each policy's settings as rows, read from the registry (``model.POLICIES``) and each class's declared fields.

One reader for everything that describes policies to people: the policy reference
(``docs/policies.md``), the commented files ``hsr-careers new`` writes and their
examples. Nothing here lists a policy or a setting by name, so a new policy, a renamed
setting or policies split across files are picked up as declared.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from model.policies import POLICIES

COMMON = ("type",)  # the discriminator, written once per entry, not a setting


@dataclass(frozen=True)
class Setting:
    """One declared policy setting: what it holds, its default, unit, ranges and meaning."""

    name: str
    kind: str  # "number", "whole number", "one of", "list from", "yes/no", "text"
    default: Any
    unit: str
    meaning: str
    source: str
    low: float | None = None
    high: float | None = None
    plausible: tuple[float, float] | None = None
    choices: tuple[str, ...] = ()

    @property
    def valid(self) -> str:
        """The valid values in words: ``1 to 36``, ``one of a, b``, ``any of a, b (at least one)``."""
        if self.kind in ("number", "whole number"):
            return f"{num(self.low)} to {num(self.high)}" if self.low is not None and self.high is not None else "any"
        if self.kind == "one of":
            return "one of " + ", ".join(self.choices)
        if self.kind == "list from":
            return "any of " + ", ".join(self.choices)
        return self.kind

    @property
    def plausible_text(self) -> str:
        """The plausible range in words (the sensitivity analysis's bounds), or '—' where none is declared."""
        if self.plausible is None:
            return "—"
        return f"{num(self.plausible[0])} to {num(self.plausible[1])}"


def num(x: Any) -> str:
    """A number as people write it in a table: 1,000,000 not 1e6; 0.8 not 0.80."""
    if isinstance(x, bool) or x is None:
        return str(x)
    if isinstance(x, float) and x.is_integer():
        x = int(x)
    if isinstance(x, int):
        return f"{x:,}"
    return f"{x:g}"


def _choices(annotation: Any) -> tuple[str, ...]:
    if typing.get_origin(annotation) is Literal:
        return tuple(str(a) for a in typing.get_args(annotation))
    return ()


def _strip_optional(annotation: Any) -> Any:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def settings(cls: type[BaseModel]) -> list[Setting]:
    """The declared settings of a policy class, in declaration order (``start_year`` last, as every policy has it)."""
    rows = []
    for name, info in cls.model_fields.items():
        if name in COMMON:
            continue
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        default = info.get_default(call_default_factory=True)
        annotation = _strip_optional(info.annotation)
        lo = next((m.ge for m in info.metadata if hasattr(m, "ge")), None)
        hi = next((m.le for m in info.metadata if hasattr(m, "le")), None)
        plausible = tuple(extra["plausible"]) if "plausible" in extra else None
        common = {"name": name, "default": default, "unit": str(extra.get("unit", "")), "meaning": (info.description or "").strip(),
                  "source": str(extra.get("source", "assumption"))}  # fmt: skip
        if annotation is bool:
            rows.append(Setting(kind="yes/no", **common))
        elif annotation in (int, float):
            kind = "whole number" if annotation is int else "number"
            rows.append(Setting(kind=kind, low=lo, high=hi, plausible=plausible, **common))
        elif _choices(annotation):
            rows.append(Setting(kind="one of", choices=_choices(annotation), **common))
        elif typing.get_origin(annotation) is list and typing.get_args(annotation) and _choices(typing.get_args(annotation)[0]):
            rows.append(Setting(kind="list from", choices=_choices(typing.get_args(annotation)[0]), **common))
        else:
            rows.append(Setting(kind="text", **common))
    rows.sort(key=lambda s: s.name == "start_year")
    return rows


def cost_settings(cls: type[BaseModel]) -> list[Setting]:
    """The settings that are money (their unit is in pounds): what the policy spends."""
    return [s for s in settings(cls) if s.unit.startswith("GBP")]


def summary(cls: type) -> str:
    """What the policy does, in plain words: its docstring as one paragraph."""
    return " ".join((cls.__doc__ or "").split())


def yaml_value(value: Any) -> str:
    """A default as YAML writes it on one line: ``[early, mid]``, ``1000000``, ``0.8``, ``true``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(yaml_value(v) for v in value) + "]"
    if isinstance(value, float) and value.is_integer() and abs(value) >= 1000:
        return str(int(value))
    if isinstance(value, str):
        import yaml

        return value if yaml.safe_load(value) == value else repr(value)  # quote what YAML would read as another type
    return str(value)


def policy_types() -> list[str]:
    """Every registered policy type, in registry order."""
    return list(POLICIES)
