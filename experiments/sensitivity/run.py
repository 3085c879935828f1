"""From a scenario file to a sensitivity analysis: settings, factors, baseline, files.

Settings come from, in order of precedence: the arguments (CLI flags), the scenario's
``sensitivity:`` block, then defaults. Factor paths and ranges always come from the
one parameter declaration (``model.config.numeric_parameters``), chosen or narrowed by
the block or ``--factors``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from common.provenance import git_commit, versions
from experiments.engine import Execution
from experiments.errors import InputError
from experiments.out_folder import claim
from experiments.scenarios.load import load_scenario
from experiments.sensitivity.evaluate import EFFECT, ModelEvaluator
from experiments.sensitivity.factors import Factor, resolve_factors
from experiments.sensitivity.pipeline import SensitivityResult, analyse_design, write_results
from model.config import ModelConfig, with_overrides

DEFAULT_N = {"morris": 20, "sobol": 256}
DEFAULT_REPS = 2
LEVEL_OUTPUTS = (
    "retention_10y",
    "equity_gap_carer_10y",
    "equity_gap_disabled_10y",
    "equity_gap_working_class_10y",
    "equity_gap_gender_10y",
)


def load(path: Path | str) -> Any:
    """A scenario (``.name``, ``.config``, ``.sensitivity``, ``.path``) via the project's scenario loader."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: scenario file not found")
    return load_scenario(path)


def _block_get(block: Any, key: str) -> Any:
    if block is None:
        return None
    if isinstance(block, dict):
        return block.get(key)
    return getattr(block, key, None)


def _baseline_path(scenario: Any, given: str | Path | None) -> Path | None:
    if given is None:
        return None
    p = Path(given)
    if not p.is_absolute() and not p.exists():
        p = Path(scenario.path).parent / p
    return p




def run_sensitivity(
    scenario_path: Path | str,
    *,
    method: str | None = None,
    n: int | None = None,
    reps: int | None = None,
    outputs: list[str] | None = None,
    factors: list[str] | None = None,
    baseline: Path | str | None = None,
    ranges: str = "plausible",
    second_order: bool = False,
    run_overrides: dict[str, Any] | None = None,
    out_dir: Path | str | None = None,
    execution: Execution | None = None,
    force: bool = False,
) -> SensitivityResult:
    """Analyse one scenario (and its policy effect against a baseline) and write the files to ``out_dir``.

    ``run_overrides`` sets run settings on both scenario and baseline (e.g.
    ``{"run.population": 1000, "run.years": 15}``) to make the analysis cheaper. ``out_dir``
    follows ``experiments.out_folder``; ``force`` replaces other hsr-careers results there.
    """
    started = datetime.now(UTC).isoformat(timespec="seconds")
    scenario = load(scenario_path)
    block = getattr(scenario, "sensitivity", None)
    source = f"{scenario.path} (sensitivity)" if block is not None else "--factors"
    method = method or _block_get(block, "method") or "morris"
    n = n if n is not None else (_block_get(block, "N") or DEFAULT_N.get(method, 20))
    reps = reps if reps is not None else (_block_get(block, "reps") or DEFAULT_REPS)
    base_path = _baseline_path(scenario, baseline if baseline is not None else _block_get(block, "baseline"))
    try:
        config = with_overrides(scenario.config, run_overrides or {})
        base = load(base_path) if base_path is not None else None
        base_config = with_overrides(base.config, run_overrides or {}) if base is not None else None
    except KeyError as exc:
        raise InputError(f"run settings: {exc.args[0]}") from exc
    except ValueError as exc:
        raise InputError(f"run settings: {exc}") from exc
    if factors:
        chosen, source = dict.fromkeys(factors), "--factors"
    else:
        chosen = _block_get(block, "factors")
    resolved = resolve_factors(config, chosen, ranges=ranges, source=source)
    dropped: dict[str, str] = {}
    if not chosen:
        resolved, dropped = drop_conflicting(config, resolved)
    evaluator = ModelEvaluator(config, base_config)
    if not outputs:  # the block names metrics; with a baseline each is analysed as a level and as a policy effect
        metrics = list(_block_get(block, "outputs") or LEVEL_OUTPUTS)
        outputs = metrics + ([EFFECT + o for o in metrics if not o.startswith(EFFECT)] if base_config else [])
    out = Path(out_dir) if out_dir is not None else Path("results") / f"sensitivity_{scenario.name}_{method}"
    settings = {
        "evaluator": evaluator.identity(), "seed": config.run.seed, "method": method, "reps": int(reps), "outputs": list(outputs),
        "factors": [(f.path, f.low, f.high) for f in resolved], "second_order": second_order,
    }  # fmt: skip - N may grow: a larger design reuses the points of a smaller one
    with claim(out, "sensitivity", settings, force=force) as held:
        result = analyse_design(
            evaluator, resolved, method=method, n=int(n), reps=int(reps), outputs=outputs, seed=config.run.seed,
            second_order=second_order, cache_dir=out / "cache", execution=execution,
        )  # fmt: skip
        manifest = {
            "output": held.marker,
            "scenario": {"name": scenario.name, "file": str(scenario_path), "config": config.model_dump(mode="json")},
            "baseline": None if base is None else {"name": base.name, "file": str(base_path), "config": base_config.model_dump(mode="json")},
            "factor_source": source if (factors or chosen) else "declaration (every parameter with a plausible range)",
            "ranges": ranges,
            "factors_dropped_from_default": dropped,
            "second_order": second_order,
            "seeds": {"root": config.run.seed, "replicates": "numpy SeedSequence(root).spawn(reps); replicate r of every point shares a seed"},
            "design_seed": config.run.seed % 2**32,
            **(execution or Execution()).describe(),
            "versions": versions(),
            "git_commit": git_commit(),
            "started": started,
        }
        write_results(result, out, manifest)
    result.stats["out_dir"] = str(out)
    return result


def _message(exc: ValueError) -> str:
    errors = getattr(exc, "errors", None)
    return str(errors()[0]["msg"]) if callable(errors) else str(exc)


def drop_conflicting(config: ModelConfig, factors: list[Factor]) -> tuple[list[Factor], dict[str, str]]:
    """Keep factors in declaration order unless, with those kept, all-lowest or all-highest values break a model rule.

    Used only for the default factor set (every parameter with a plausible range),
    whose ranges were declared one at a time (e.g. two sector shares that may not sum
    above 1). Returns the kept factors and, for each dropped one, the rule it broke.
    """
    kept: list[Factor] = []
    dropped: dict[str, str] = {}
    for f in factors:
        trial = [*kept, f]
        for pick in ("low", "high"):
            try:
                with_overrides(config, {g.path: g.value(getattr(g, pick)) for g in trial})
            except ValueError as exc:
                dropped[f.path] = _message(exc)
                break
        else:
            kept.append(f)
    return kept, dropped
