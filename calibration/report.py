"""Write calibration outputs: calibrated.yaml (a scenario fragment to ``extends``), tables and a manifest."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from calibration.fit import markdown
from common.provenance import atomic_write_text as atomic_write
from common.provenance import git_commit, versions


def calibrated_yaml(values: dict[str, float], header: str) -> str:
    """A scenario file holding only the calibrated parameters, grouped as scenario files group them."""
    groups: dict[str, dict[str, float]] = {}
    for path, value in values.items():
        group, name = path.split(".", 1)
        groups.setdefault(group, {})[name] = value
    body = {"name": "calibrated", "description": header, **groups}
    comment = "# Written by `hsr-careers calibrate`; scenarios use it with `extends:`. See docs/calibration.md.\n"
    return comment + yaml.safe_dump(body, sort_keys=False, width=120)






def write_manifest(out: Path, info: dict) -> None:
    """manifest.json: what ran, with which inputs, versions, commit and times."""
    atomic_write(
        out / "manifest.json", json.dumps({**info, "versions": versions(), "git_commit": git_commit()}, indent=2, default=str) + "\n"
    )


def write_calibration(out: Path, result, header: str) -> list[Path]:
    """Write calibrated.yaml, fit_table.csv/.md, parameter_table.csv/.md, design.csv and confirm.csv."""
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "calibrated.yaml": calibrated_yaml(result.calibrated, header),
        "fit_table.csv": result.fit.to_csv(index=False),
        "fit_table.md": markdown(
            result.fit, ["target", "observed", "obs_ci_low", "obs_ci_high", "simulated_mean", "simulated_sd", "within_ci", "role"]
        )
        + "\n",
        "parameter_table.csv": result.parameters.to_csv(index=False),
        "parameter_table.md": markdown(result.parameters.drop(columns=["why"])) + "\n",
        "design.csv": result.design.to_csv(index=False),
        "confirm.csv": result.confirm.to_csv(index=False),
    }
    for name, text in files.items():
        atomic_write(out / name, text)
    return [out / n for n in files]
