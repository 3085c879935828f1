"""The JSON Schema of scenario files (``hsr-careers schema``), derived from the one parameter declaration."""

from __future__ import annotations

import json
from typing import Any

from experiments.scenarios.load import ScenarioFile

SCHEMA_FILE = "scenario.schema.json"


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema of scenario files, derived from the parameter declaration."""
    schema = ScenarioFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def schema_text() -> str:
    """The JSON Schema as stable, indented text (what ``hsr-careers schema`` prints)."""
    return json.dumps(scenario_schema(), indent=2, sort_keys=False, allow_nan=False) + "\n"
