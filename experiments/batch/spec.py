"""Experiment files: which scenarios, which parameter design, how many replicates, which outputs.

An experiment file is YAML validated like a scenario file (unknown keys, bad paths and
out-of-range values are refused with the file, the key, the value and what is valid)::

    name: bridge_budget_sweep
    scenarios: [../../scenarios/bridge_funding.yaml]   # relative to this file
    overrides: {run.population: 1000}                   # fixed for every run
    factorial:                                          # full factorial over explicit levels
      policies.bridge_funding.max_months: [3, 6, 12]
    sample: {method: lhs, n: 32, factors: {funding.noise_sd: null}}   # null = plausible range
    replicates: 10
    seed: 20260223
    outputs: {metrics: all, yearly: false}

A factorial factor is either a parameter path with a list of values, or a named bundle:
a mapping of level names to ``{path: value, ...}`` (``shocks: [...]`` allowed), which
sets several parameters at once.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from common import safe_yaml
from experiments.errors import InputError, suggest
from model.config import ModelConfig, RunSettings, numeric_parameters, with_overrides

Scalar = bool | int | float | str


class SampleDesign(BaseModel):
    """A sampled design over declared parameter ranges (scipy.stats.qmc)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    method: Literal["lhs", "sobol"] = Field("lhs", description="Latin hypercube ('lhs') or scrambled Sobol ('sobol') points.")
    n: int = Field(ge=1, le=10_000_000, description="Number of sampled points (Sobol: a power of two keeps its balance).")
    factors: dict[str, tuple[float, float] | None] = Field(
        description="Parameter path -> [low, high], or null for the declared plausible range."
    )
    seed: int | None = Field(None, ge=0, description="Seed of the sample (default: the experiment seed).")


class Outputs(BaseModel):
    """What each run keeps."""

    model_config = ConfigDict(extra="forbid")
    metrics: Literal["all"] | list[str] = Field("all", description="Headline metrics to keep per run ('all' or a list of names).")
    yearly: bool = Field(False, description="Also keep each run's yearly table (one row per run and year).")


class BatchSpec(BaseModel):
    """A validated experiment file."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    name: str = Field(min_length=1, description="Short name of the experiment.")
    description: str = Field("", description="What the experiment asks.")
    scenarios: list[str] = Field(
        default_factory=list, description="Scenario files (relative to the experiment file); default: the model defaults."
    )
    base: dict[str, Any] | None = Field(None, description="Inline model configuration used when no scenario files are named.")
    overrides: dict[str, Scalar] = Field(default_factory=dict, description="Parameter path -> value, fixed for every run.")
    factorial: dict[str, list[Scalar] | dict[str, dict[str, Any]]] = Field(
        default_factory=dict, description="Full factorial: path -> levels, or bundle name -> {level: {path: value}}."
    )
    sample: SampleDesign | None = Field(None, description="A sampled design, crossed with the factorial levels.")
    replicates: int = Field(1, ge=1, le=100_000, description="Replicates per design point.")
    seed: int = Field(20260223, ge=0, le=2**63 - 1, description="Root seed: run seeds are SeedSequence(seed, spawn_key=(point, rep)).")
    common_random_numbers: bool = Field(
        False, description="Key seeds by replicate only, so every design point sees the same random streams."
    )
    outputs: Outputs = Field(default_factory=Outputs)
    chunk_size: int = Field(100, ge=1, le=1_000_000, description="Runs per Parquet part file.")
    flush_seconds: float = Field(30.0, gt=0, description="Also write a part at least this often, so a kill loses little work.")


def read_experiment_yaml(path: Path) -> dict[str, Any]:
    """Read an experiment file with the project's strict YAML reader into a mapping, or raise ``InputError``."""
    try:
        parsed = safe_yaml.load_file(path, "experiment file")
    except safe_yaml.YamlError as exc:
        raise InputError(str(exc)) from None
    data = parsed.data if parsed is not None else None
    if not isinstance(data, dict):
        raise InputError(
            f"{path}: the top level must be a mapping with keys {', '.join(BatchSpec.model_fields)}; got {type(data).__name__}"
        )
    return data


_TAGS = {"bool", "int", "float", "str", "list", "dict", "none"}


def _key(loc: tuple) -> str:
    """The key a user wrote, without pydantic's union-member tags (``run.population.bool`` is ``run.population``)."""
    parts = [str(p) for p in loc]
    while len(parts) > 1 and (parts[-1] in _TAGS or "[" in parts[-1]):
        parts.pop()
    return ".".join(parts)


def _shown(value: Any) -> str:
    """A bad value as the user gave it, short: never a whole configuration."""
    if isinstance(value, dict | list):
        return f"a {type(value).__name__} of {len(value)} items"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _best(errors: list[dict]) -> dict:
    """Of a union's errors at one key, the one that says what is expected (a number, before bool or str)."""
    rank = {"float": 0, "int": 1}
    return min(errors, key=lambda e: rank.get(str(e["loc"][-1]), 2))


def _explain(exc: ValidationError, origin: str) -> InputError:
    errors = exc.errors()
    err = next((e for e in errors if e["type"] == "extra_forbidden"), None)  # a misspelt key explains a missing one
    if err is None:
        first = _key(errors[0]["loc"])
        err = _best([e for e in errors if _key(e["loc"]) == first])
    key = _key(err["loc"])
    if err["type"] == "extra_forbidden":
        parent: type[BaseModel] = BatchSpec
        for part in err["loc"][:-1]:
            ann = parent.model_fields.get(str(part))
            options = (ann.annotation, *get_args(ann.annotation)) if ann else ()
            parent = next((t for t in options if isinstance(t, type) and issubclass(t, BaseModel)), parent)
        valid = list(parent.model_fields)
        name = str(err["loc"][-1])
        return InputError(f"{origin}: unknown key '{key}'{suggest(name, valid)}; valid keys: {', '.join(valid)}")
    return InputError(f"{origin}: key '{key}': {err['msg']}, got {_shown(err.get('input'))}")


def parse_spec(data: dict[str, Any], origin: str) -> BatchSpec:
    """Validate the structure of an experiment mapping (parameter paths are checked by ``check_paths``)."""
    try:
        return BatchSpec.model_validate(data)
    except ValidationError as exc:
        raise _explain(exc, origin) from None


def _override(config: ModelConfig, values: dict[str, Any], origin: str, key: str) -> ModelConfig:
    """``with_overrides`` with a ``shocks`` key allowed; errors become ``InputError`` naming ``key``."""
    values = dict(values)
    shocks = values.pop("shocks", None)
    try:
        new = with_overrides(config, values)
        if shocks is not None:
            new = ModelConfig.model_validate({**new.model_dump(), "shocks": shocks})
        return new
    except KeyError as exc:
        named = re.search(r"unknown parameter path '([^']*)'", str(exc.args[0]) if exc.args else "")
        path = named.group(1) if named else next(iter(values), "")
        valid = list(numeric_parameters(config)) + [f"run.{k}" for k in RunSettings.model_fields]
        raise InputError(
            f"{origin}: key '{key}': unknown parameter path '{path}'{suggest(path, valid)}; {exc.args[0].split('; ', 1)[-1]}"
        ) from None
    except ValidationError as exc:
        err = exc.errors()[0]
        where = _key(err["loc"])
        at = f"{where}: " if where else ""
        value = err.get("input")
        got = "" if isinstance(value, dict | list) else f", got {_shown(value)}"  # a rule across keys names its own values
        raise InputError(f"{origin}: key '{key}': {at}{err['msg'].removeprefix('Value error, ')}{got}") from None


def check_paths(spec: BatchSpec, configs: dict[str, ModelConfig], origin: str) -> dict[str, tuple[float, float, bool]]:
    """Check every path and level against each scenario; return sampled factors' (low, high, integer)."""
    ranges: dict[str, tuple[float, float, bool]] = {}
    for name, config in configs.items():
        at = f"{origin} (scenario '{name}')" if len(configs) > 1 else origin
        base = _override(config, spec.overrides, at, "overrides") if spec.overrides else config
        for factor, levels in spec.factorial.items():
            if isinstance(levels, list):
                if not levels:
                    raise InputError(f"{at}: key 'factorial.{factor}' needs at least one value")
                for value in levels:
                    _override(base, {factor: value}, at, f"factorial.{factor}")
            else:
                if not levels:
                    raise InputError(f"{at}: key 'factorial.{factor}' needs at least one named level")
                for level, values in levels.items():
                    _override(base, values, at, f"factorial.{factor}.{level}")
        if spec.sample:
            valid = numeric_parameters(base)
            for path, bounds in spec.sample.factors.items():
                key = f"sample.factors.{path}"
                if path not in valid:
                    raise InputError(
                        f"{at}: key '{key}': unknown parameter path '{path}'{suggest(path, valid)}; valid paths: {', '.join(valid)}"
                    )
                row = valid[path]
                lo, hi = bounds if bounds is not None else (row["plausible_min"], row["plausible_max"])
                if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi) or lo < row["min"] or hi > row["max"]:
                    raise InputError(f"{at}: key '{key}': range [{lo}, {hi}] must satisfy {row['min']} <= low < high <= {row['max']}")
                ranges[path] = (float(lo), float(hi), bool(row["integer"]))
    if spec.sample:
        clash = set(spec.sample.factors) & (set(spec.factorial) | set(spec.overrides))
        if clash:
            raise InputError(f"{origin}: parameter(s) {sorted(clash)} are both sampled and set elsewhere; set each parameter in one place")
    clash = set(spec.factorial) & set(spec.overrides)
    if clash:
        raise InputError(f"{origin}: parameter(s) {sorted(clash)} are both in 'factorial' and 'overrides'; set each parameter in one place")
    return ranges
