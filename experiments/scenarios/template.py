"""A commented scenario file to start from: what ``hsr-careers new`` writes and ``docs/policies.md`` shows.

The text builds on the shipped baseline by name (``extends: baseline``), lists each
chosen policy with every setting at its declared default and a comment giving the unit,
the valid and plausible range and the meaning, and shows the baseline's run settings
commented out. Everything comes from the declarations (``policy_settings``).
"""

from __future__ import annotations

import textwrap

from experiments.errors import InputError, suggest
from experiments.scenarios.policy_settings import Setting, settings, summary, yaml_value
from model.policies import POLICIES

WIDTH = 100


def check_policy_types(types: list[str]) -> list[str]:
    """``types`` if every one is registered and none repeats; else ``InputError`` with the valid types."""
    for t in types:
        if t not in POLICIES:
            raise InputError(f"--policy: unknown policy type '{t}'{suggest(t, POLICIES)}; valid types: {', '.join(POLICIES)}")
    repeated = sorted({t for t in types if types.count(t) > 1})
    if repeated:
        raise InputError(f"--policy: '{repeated[0]}' given twice; a scenario holds each policy at most once")
    return types


def _comment(s: Setting) -> str:
    unit = f"{s.unit}; " if s.unit and s.kind in ("number", "whole number") else ""
    valid = f"valid {s.valid}" + (f", plausible {s.plausible_text}" if s.plausible else "")
    return f"{unit}{valid}. {s.meaning}"


def policy_entry(policy_type: str, indent: str = "  ") -> list[str]:
    """The lines of one ``policies:`` entry: the type, then every setting at its default with a comment."""
    cls = POLICIES[policy_type]
    heading = f" ({cls.report_heading})" if cls.report_heading else ""
    lines = [f"{indent}# {line}" for line in textwrap.wrap(f"{policy_type}{heading}: {summary(cls)}", WIDTH - len(indent) - 2)]
    lines.append(f"{indent}- type: {policy_type}")
    rows = settings(cls)
    width = max(len(f"{s.name}: {yaml_value(s.default)}") for s in rows)
    for s in rows:
        setting = f"{s.name}: {yaml_value(s.default)}"
        lines.append(f"{indent}  {setting.ljust(width)}  # {_comment(s)}")
    return lines


def scenario_text(name: str, policy_types: list[str], schema: str | None = None, show_run: bool = True) -> str:
    """A commented scenario file named ``name`` with ``policy_types`` at their declared defaults, building on the baseline.

    ``schema`` is the path of the JSON Schema for editors (a first-line comment); ``show_run``
    adds the baseline's run settings, commented out.
    """
    from experiments.scenarios.load import load_scenario, shipped_scenarios

    check_policy_types(policy_types)
    lines = [f"# yaml-language-server: $schema={schema}"] if schema else []
    headings = sorted({POLICIES[t].report_heading for t in policy_types if POLICIES[t].report_heading})
    what = ("; ".join(headings) + ". ") if headings else "No policy lever yet: add one under policies. "
    lines += [
        "# A scenario started with `hsr-careers new`. Check it with `hsr-careers validate` on this file, then run it.",
        "# Every policy and setting is described in docs/policies.md.",
        f"name: {name}",
        "description: >-",
        *[
            f"  {line}"
            for line in textwrap.wrap(
                what + "Edit this to say what the scenario tests and what its numbers mean in the real world.", WIDTH - 2
            )
        ],  # fmt: skip
        "extends: baseline   # the shipped baseline, by name; a file path relative to this file works too",
    ]
    if policy_types:
        lines.append("policies:")
        for t in policy_types:
            lines += policy_entry(t)
    else:
        lines += ["policies: []      # e.g. [{type: bridge_funding, max_months: 6}]; types: " + ", ".join(POLICIES)]
    baseline = shipped_scenarios().get("baseline")
    if show_run and baseline is not None:
        run = load_scenario(baseline).config.run
        lines += [
            "# Run settings come from the baseline; uncomment a line to change one (population and replicates set the run time).",
            "# run:",
            *[f"#   {key}: {yaml_value(value)}" for key, value in run.model_dump().items()],
        ]
    return "\n".join(lines) + "\n"
