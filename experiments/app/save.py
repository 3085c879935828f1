""" "Save as scenario": the app's levers and run settings as a scenario file that ``validate`` accepts and ``run`` reproduces.

The file builds on the scenario the app opened (a shipped one by name, another by a
path relative to the saved file), lists the switched-on policies with every setting,
and sets ``run.population``, ``run.replicates`` and ``run.seed`` to the app's: the app
runs replicate ``i`` from the seed ``hsr-careers run`` gives replicate ``i``, so ``run``
on the saved file gives the app's numbers.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from experiments.app.session import AppSettings, base_scenario
from experiments.errors import InputError
from experiments.names import check_name


def _extends(opened: Path | None, target: Path) -> str | None:
    from experiments.scenarios.load import shipped_scenarios

    if opened is None:
        return None
    if shipped_scenarios().get(opened.stem) == opened:
        return opened.stem
    return os.path.relpath(opened, target.resolve().parent)


def scenario_yaml(name: str, settings: AppSettings, target: Path) -> str:
    """The scenario file's text for ``settings``, to be written at ``target``."""
    opened_name, _, opened = base_scenario()
    config = settings.config()
    policies = [p.model_dump(mode="json") for p in config.policies]
    switched = ", ".join(p["type"] for p in policies) or "no policy lever"
    data: dict = {
        "name": name,
        "description": f"Saved from the app: {switched} on the {opened_name} scenario, {settings.population:,} researchers "
        f"at the start, {settings.replicates} paired replicates from seed {settings.seed}.",
    }
    extends = _extends(opened, target)
    if extends is not None:
        data["extends"] = extends
    else:  # the declared defaults: write the horizon too, so the file says everything it runs
        data["run"] = {"years": config.run.years, "burn_in_years": config.run.burn_in_years}
    data["policies"] = policies
    data["run"] = {**data.get("run", {}), "population": settings.population, "replicates": settings.replicates, "seed": settings.seed}
    header = "# Saved by the hsr-careers app. Check: hsr-careers validate FILE; reproduce: hsr-careers run FILE --out DIR\n"
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def save_scenario(name: str, settings: AppSettings, folder: Path) -> Path:
    """Write ``folder/name.yaml`` (never replacing a file), check that it loads to the app's configuration, return its path."""
    from experiments.scenarios.load import load_scenario

    name = check_name(name.strip(), "Save as scenario", key="name")
    if not folder.is_dir():
        raise InputError(f"Save as scenario: folder '{folder}' does not exist")
    target = folder / f"{name}.yaml"
    if target.exists():
        raise InputError(f"Save as scenario: '{target}' already exists; choose another name")
    tmp = folder / f".{name}.yaml.tmp"
    tmp.write_text(scenario_yaml(name, settings, target), encoding="utf-8")
    try:
        loaded = load_scenario(tmp).config
        if loaded != settings.config():
            raise InputError(f"Save as scenario: '{target}' would not reproduce the app's settings")
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
    return target
