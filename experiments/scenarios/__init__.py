"""Scenario files: loading and ``extends`` chains (``load``), YAML reading with line numbers (``yaml_io``), key checks (``checks``), the JSON Schema (``schema``)."""
