"""Scenario files: load, resolve ``extends`` chains, validate against the one parameter declaration.

A scenario file is YAML with ``name``, ``description``, optional ``extends`` (a shipped
scenario by name, e.g. ``baseline``, or a path relative to the file; chains allowed,
cycles refused), parameter groups as overrides,
``policies``, ``shocks``, ``run`` and an optional ``sensitivity`` block. Mappings merge
key by key down the chain; lists (``policies``, ``shocks``) are replaced as a whole.

``load_scenario(path).config`` is the ``ModelConfig`` that ``model.run_one`` takes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from experiments.errors import InputError, suggest
from experiments.names import check_name
from experiments.scenarios.checks import check_keys, explain
from experiments.scenarios.yaml_io import YamlDoc, read_yaml, where
from model.config import MAX_RESEARCHER_YEARS, ModelConfig, numeric_parameters

MAX_TOTAL_RESEARCHER_YEARS = 4 * MAX_RESEARCHER_YEARS  # all replicates of a run or comparison, held in memory together
SHIPPED = Path(__file__).resolve().parents[2] / "scenarios"  # the project's scenarios, which ``extends`` can name


class SensitivityBlock(BaseModel):
    """Which uncertain parameters a sensitivity analysis of this scenario varies, and how."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    method: Literal["morris", "sobol"] = Field("morris", description="SALib method: 'morris' screening or 'sobol' variance decomposition.")
    factors: dict[str, tuple[float, float] | None] | None = Field(
        None,
        description="Parameter paths (e.g. contracts.renewal_prob, policies.bridge_funding.max_months) to vary; "
        "[low, high] narrows the range, null uses the declared plausible range. Omit to vary every numeric parameter.",
    )
    outputs: list[str] | None = Field(None, description="Headline metrics to analyse (default: retention_10y and the equity gaps).")
    N: int | None = Field(None, ge=1, le=1_000_000, description="Base sample size (Sobol: a power of two) or Morris trajectories.")
    reps: int = Field(2, ge=1, le=10_000, description="Replicates averaged at each design point (common random numbers).")
    baseline: str | None = Field(
        None,
        description="Baseline for policy effects (scenario minus baseline): a shipped scenario by name (e.g. baseline) "
        "or a file relative to this file.",
    )

    @field_validator("N", "reps", "factors", mode="before")
    @classmethod
    def _no_booleans(cls, value: Any) -> Any:
        """YAML reads on/off/yes/no as booleans; pydantic would take them as 1 and 0. A number is declared here."""
        bounds = list(value.values()) if isinstance(value, dict) else [value]
        for v in bounds:
            items = v if isinstance(v, list | tuple) else [v]
            if any(isinstance(x, bool) for x in items):
                raise ValueError("a boolean is not a number here (YAML reads on/off/yes/no/true/false as booleans)")
        return value


class ScenarioFile(ModelConfig):
    """The keys a scenario file may hold: the model configuration plus name, description, extends, sensitivity."""

    model_config = ConfigDict(title="hsr-careers scenario")
    name: str | None = Field(None, description="Short name used in tables and figures (default: the file name).")
    description: str | None = Field(None, description="The report heading this scenario tests and what its numbers mean in the real world.")
    extends: str | None = Field(
        None,
        description="Scenario this one builds on: a shipped scenario by name (e.g. baseline) or a file path relative to this file; "
        "its keys are overridden here.",
    )
    sensitivity: SensitivityBlock | None = Field(None, description="Settings for `hsr-careers sensitivity`.")


@dataclass
class Scenario:
    """A resolved scenario: ``config`` is what ``run_one(config, seed)`` takes."""

    name: str
    description: str
    config: ModelConfig
    path: Path
    sensitivity: SensitivityBlock | None = None
    chain: list[Path] = field(default_factory=list)

    def resolved(self, config: ModelConfig | None = None) -> dict[str, Any]:
        """The fully resolved scenario as plain data (for manifests); ``config`` replaces it after overrides."""
        cfg = config if config is not None else self.config
        return {"name": self.name, "description": self.description, "files": [str(p) for p in self.chain], **cfg.model_dump(mode="json")}


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for key, value in over.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def _chain(path: Path, problems: list[InputError] | None = None) -> list[YamlDoc]:
    """The files of an extends chain, root first, each key-checked (into ``problems`` if given, else the first raises)."""
    docs: list[YamlDoc] = []
    seen: list[Path] = []
    current = path
    while True:
        real = current.resolve()
        if real in seen:
            loop = " -> ".join(str(p) for p in [*docs_paths(docs), current])
            raise InputError(f"{where(docs[-1].path, docs[-1].line(('extends',)))}: key 'extends' makes a cycle: {loop}")
        seen.append(real)
        if docs:  # a parent: errors say which child's 'extends' led here
            child = where(docs[-1].path, docs[-1].line(("extends",)))
            try:
                doc = read_yaml(current)
                check_keys(doc.data, ScenarioFile, doc)
            except InputError as exc:
                raise InputError(f"{child}: key 'extends': '{docs[-1].data['extends']}' is not a usable scenario file: {exc}") from None
        else:
            doc = read_yaml(current)
            check_keys(doc.data, ScenarioFile, doc, problems=problems)
        docs.append(doc)
        parent = doc.data.get("extends")
        if parent is None:
            break
        current = _parent_file(doc, current, parent)
    return docs[::-1]


def shipped_scenarios() -> dict[str, Path]:
    """The scenarios shipped in the project's ``scenarios/`` folder, by name (file stem)."""
    if not SHIPPED.is_dir():
        return {}
    return {p.stem: p for p in sorted(SHIPPED.glob("*.yaml"))}


def _parent_file(doc: YamlDoc, current: Path, parent: object) -> Path:
    """The file ``extends: parent`` names: a shipped scenario by name (``baseline``), or a path relative to ``current``."""
    at = where(doc.path, doc.line(("extends",)))
    if not isinstance(parent, str) or not parent.strip():
        raise InputError(f"{at}: key 'extends' must be a shipped scenario name (e.g. baseline) or a relative file path, got {parent!r}")
    shipped = shipped_scenarios()
    names = ", ".join(shipped) or "none found"
    if not any(sep in parent for sep in "/\\") and not Path(parent).suffix:
        if parent not in shipped:
            raise InputError(
                f"{at}: key 'extends': no shipped scenario named '{parent}'{suggest(parent, shipped)}; shipped scenarios: {names}"
            )
        return shipped[parent]
    nxt = current.parent / parent
    if nxt.suffix.lower() not in (".yaml", ".yml"):
        raise InputError(
            f"{at}: key 'extends' must name a scenario file ending in .yaml or .yml, or a shipped scenario by name, got '{parent}'"
        )
    if not nxt.exists():
        hint = f" (to build on the shipped one, write extends: {Path(parent).stem})" if Path(parent).stem in shipped else ""
        raise InputError(f"{at}: key 'extends': file '{parent}' not found (looked for {nxt}){hint}; shipped scenarios by name: {names}")
    return nxt


def docs_paths(docs: list[YamlDoc]) -> list[Path]:
    """Paths of parsed documents, in order."""
    return [d.path for d in docs]


def check_size(config: ModelConfig, origin: str) -> None:
    """Refuse a population and horizon too large to fit in memory, before any work starts."""
    size = config.researcher_years()
    if size > MAX_RESEARCHER_YEARS:
        r = config.run
        raise InputError(
            f"{origin}: run.population × (run.years + run.burn_in_years) = {r.population:,} × {r.years + r.burn_in_years} = {size:,} researcher-years "
            f"per replicate, more than the {MAX_RESEARCHER_YEARS:,} that fit in memory; reduce run.population or run.years"
        )


def check_total(config: ModelConfig, scenarios: int, origin: str) -> None:
    """Refuse replicates × scenarios whose tables, all held in memory together, would not fit."""
    total = config.researcher_years() * config.run.replicates * scenarios
    if total > MAX_TOTAL_RESEARCHER_YEARS:
        raise InputError(
            f"{origin}: {config.run.replicates:,} replicates × {scenarios} scenario(s) × {config.researcher_years():,} researcher-years = {total:,}, "
            f"more than the {MAX_TOTAL_RESEARCHER_YEARS:,} whose tables fit in memory together; use fewer replicates or a smaller run "
            "(or hsr-careers batch, which streams results to disk)"
        )


def _check_sensitivity(block: SensitivityBlock, config: ModelConfig, doc: YamlDoc, base_dir: Path) -> SensitivityBlock:
    valid = numeric_parameters(config)
    for path, rng in (block.factors or {}).items():
        at = where(doc.path, doc.line(("sensitivity", "factors", path)))
        if path not in valid:
            raise InputError(f"{at}: unknown factor 'sensitivity.factors.{path}'{suggest(path, valid)}; valid factors: {', '.join(valid)}")
        if rng is not None:
            lo, hi = rng
            row = valid[path]
            if not lo < hi or (row["min"] is not None and lo < row["min"]) or (row["max"] is not None and hi > row["max"]):
                raise InputError(f"{at}: factor '{path}' range [{lo}, {hi}] must satisfy {row['min']} <= low < high <= {row['max']}")
    if block.baseline is not None:
        shipped = shipped_scenarios()
        by_name = not Path(block.baseline).suffix and not any(sep in block.baseline for sep in "/\\")
        target = shipped.get(block.baseline, base_dir / block.baseline) if by_name else base_dir / block.baseline
        if not target.is_file():
            raise InputError(
                f"{where(doc.path, doc.line(('sensitivity', 'baseline')))}: key 'sensitivity.baseline': file '{block.baseline}' not found; "
                f"name a shipped scenario ({', '.join(shipped)}) or a file relative to this one"
            )
        block = block.model_copy(update={"baseline": str(target)})
    return block


def load_scenario(path: str | Path) -> Scenario:
    """Read, resolve and validate a scenario file; raise ``InputError`` naming file, key and line on any problem."""
    path = Path(path)
    docs = _chain(path)
    merged: dict[str, Any] = {}
    for doc in docs:
        merged = _merge(merged, doc.data)
    own = docs[-1].data
    merged.update({"name": own.get("name"), "description": own.get("description"), "extends": own.get("extends")})
    sens_doc = next((d for d in reversed(docs) if "sensitivity" in d.data), docs[-1])
    try:
        parsed = ScenarioFile.model_validate(merged)
    except ValidationError as exc:
        raise explain(exc, ScenarioFile, merged, docs[::-1]) from None
    config = ModelConfig.model_validate({k: getattr(parsed, k) for k in ModelConfig.model_fields})
    check_size(config, str(path))
    sensitivity = _check_sensitivity(parsed.sensitivity, config, sens_doc, sens_doc.path.parent) if parsed.sensitivity else None
    name = check_name(parsed.name, where(docs[-1].path, docs[-1].line(("name",)))) if parsed.name is not None else path.stem
    return Scenario(
        name=name, description=(parsed.description or "").strip(), config=config, path=path, sensitivity=sensitivity, chain=docs_paths(docs)
    )


def apply_run_overrides(config: ModelConfig, origin: str, **values: int | None) -> ModelConfig:
    """``config`` with ``run.<key>`` set for every non-None value (e.g. from CLI flags), validated."""
    run = config.run.model_dump()
    for key, value in values.items():
        if value is None:
            continue
        if isinstance(value, float) and not math.isfinite(value):
            raise InputError(f"--{key}: must be a finite number, got {value}")
        run[key] = value
    try:
        new = config.model_copy(update={"run": type(config.run).model_validate(run)})
    except ValidationError as exc:
        err = exc.errors()[0]
        flag = {"replicates": "reps"}.get(str(err["loc"][0]), str(err["loc"][0]).replace("_", "-"))
        raise InputError(f"--{flag}: {err['msg']}, got {err.get('input')!r}") from None
    try:
        ModelConfig.model_validate(new.model_dump())  # rules across groups, e.g. a policy start within the new horizon
    except ValidationError as exc:
        msg = exc.errors()[0]["msg"].removeprefix("Value error, ")
        flags = ", ".join(f"--{k.replace('_', '-')} {v}" for k, v in values.items() if v is not None)
        raise InputError(f"{origin} with {flags}: {msg}") from None
    check_size(new, origin)
    return new
