"""``hsr-careers validate``: every problem in a scenario file at once, and warnings for implausible values.

Loading a scenario (``experiments.scenarios.load.load_scenario``) stops at the first problem,
which is right before a run. Checking a file, a user wants them all: this module
collects every unknown key, wrong kind and out-of-range value of the file, then (if
there are none) the checks across keys. A value inside its valid range but outside the
plausible range declared beside it (``model/parameters.py``) is a warning, not an error:
the file is valid, but its numbers are beyond what the declaration calls believable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from experiments.errors import InputError
from experiments.scenarios.checks import _item_class, data_loc, explain_error
from experiments.scenarios.load import Scenario, ScenarioFile, _chain, _merge, load_scenario
from experiments.scenarios.yaml_io import YamlDoc, dotted, where
from model.config import numeric_parameters


@dataclass
class Report:
    """What checking one file found."""

    path: Path
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    scenario: Scenario | None = None


def _merged(docs: list[YamlDoc]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for doc in docs:
        merged = _merge(merged, doc.data)
    own = docs[-1].data
    merged.update({"name": own.get("name"), "description": own.get("description"), "extends": own.get("extends")})
    return merged


def _known_only(data: Any, cls: type[BaseModel]) -> Any:
    """``data`` without the keys ``cls`` does not declare (at every level), so one typo does not hide other errors."""
    if not isinstance(data, dict):
        return data
    out = {}
    for key, value in data.items():
        if key not in cls.model_fields:
            continue
        ann = cls.model_fields[key].annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            value = _known_only(value, ann)
        elif key in ("policies", "shocks") and isinstance(value, list):
            value = [_known_only(item, _item_class(key, item)) if _item_class(key, item) else item for item in value]
        out[key] = value
    return out


def validate_file(path: str | Path) -> Report:
    """Every error in ``path`` (and its extends chain), or the loaded scenario and its plausibility warnings."""
    report = Report(Path(path))
    problems: list[InputError] = []
    try:
        docs = _chain(report.path, problems)
    except InputError as exc:  # the file cannot be read or parsed at all: one message
        report.errors.append(str(exc))
        return report
    messages = [str(p) for p in problems]
    merged = _merged(docs)
    try:
        ScenarioFile.model_validate(_known_only(merged, ScenarioFile))  # unknown keys are reported; check the rest
    except ValidationError as exc:
        for err in exc.errors():
            if err["type"] == "extra_forbidden":
                continue  # already named, with a suggestion, by the key check
            key = dotted(data_loc(merged, err["loc"]))
            if key and any(f"'{key}'" in m or f"'{key}." in m or f"'{key}[" in m for m in messages):
                continue  # the key check already explained this value
            messages.append(str(explain_error(err, ScenarioFile, merged, docs[::-1])))
    if not messages:
        try:
            report.scenario = load_scenario(report.path)
        except InputError as exc:
            messages.append(str(exc))
    report.errors = sorted(dict.fromkeys(messages), key=_file_line)
    if report.scenario is not None:
        report.warnings = plausibility_warnings(report.scenario, docs)
    return report


def _file_line(message: str) -> tuple[str, int]:
    """Sort key: the ``file:line`` a message starts with (messages without a line first in their file)."""
    head = message.split(": ", 1)[0]
    path, _, line = head.rpartition(":")
    return (path, int(line)) if line.isdigit() else (head, 0)


def plausibility_warnings(scenario: Scenario, docs: list[YamlDoc]) -> list[str]:
    """Values set in the files that lie outside their declared plausible range (inside the valid one)."""
    warnings = []
    for path, row in numeric_parameters(scenario.config).items():
        lo, hi, value = row.get("plausible_min"), row.get("plausible_max"), row.get("value")
        if lo is None or hi is None or value is None or lo <= value <= hi:
            continue
        at = _where_set(path, docs)
        if at is None:
            continue  # a declared default, not something this file says
        warnings.append(
            f"{at}: key '{path}' = {value} is valid (range {row['min']} to {row['max']}) but outside the plausible range "
            f"{lo} to {hi} declared for it (source: {row.get('source', '?')}); check it is meant"
        )
    return warnings


def _where_set(path: str, docs: list[YamlDoc]) -> str | None:
    """``file:line`` of the file in the chain (nearest first) that sets parameter ``path``, or None."""
    parts = path.split(".")
    for doc in reversed(docs):
        if parts[0] == "policies":
            for i, item in enumerate(doc.data.get("policies") or []):
                if isinstance(item, dict) and item.get("type") == parts[1] and parts[2] in item:
                    return where(doc.path, doc.line(("policies", i, parts[2])))
        elif isinstance(doc.data.get(parts[0]), dict) and parts[1] in doc.data[parts[0]]:
            return where(doc.path, doc.line((parts[0], parts[1])))
    return None
