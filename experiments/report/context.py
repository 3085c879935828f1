"""The report's words beyond the headline: scenario settings, caveats (assumptions, calibration, omissions, noise), provenance."""

from __future__ import annotations

import csv
import math
import os
import re
from pathlib import Path
from typing import Any

from model.formats import money
from model.parameters import ASSUMPTION, parameter_table
from model.policies import POLICIES

ROOT = Path(__file__).resolve().parents[2]
FIT_TABLE = ROOT / "calibration" / "output" / "fit_table.csv"
LEFT_OUT = (
    "Organisations appear only through sectors, stages and the declared mechanisms, not as individual universities, NHS trusts "
    "or charities with budgets and decisions of their own.",
    "Pay, promotion rounds and the labour market outside HSR are not modelled: leaving for another sector is a yearly hazard.",
    "The funding climate is an index with noise and shocks, not a model of funders' decisions.",
    "A policy changes behaviour only through the mechanisms declared for it; wider effects (on funders, on other fields) are outside.",
    "The simulated survey samples the model the way the HSR UK survey did; it inherits that survey's small size (248).",
)


def _number(x: Any) -> str:
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, int | float):
        return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:g}"
    if isinstance(x, list):
        return ", ".join(str(v).replace("_", " ") for v in x) or "none"
    return str(x).replace("_", " ")


_WORDS = {"nhs": "NHS", "third_sector": "third sector", "working_class": "working class"}


def _plain(text: str) -> str:
    """A declaration's description without code: no list of choices, no parameter paths or snake_case names."""
    text = re.sub(r",? from \[[^\]]*\]", "", text)
    return re.sub(r"\b[a-z]+(?:[._][a-z]+)+\b", lambda m: m.group(0).replace(".", " ").replace("_", " "), text)


def _field_words(cls: type, name: str, value: Any) -> str:
    f = cls.model_fields.get(name)
    doc = _plain((f.description or name.replace("_", " ")).rstrip(".")) if f else name.replace("_", " ")
    extra = f.json_schema_extra if f is not None and isinstance(f.json_schema_extra, dict) else {}
    unit = str(extra.get("unit", ""))
    if unit.startswith("GBP"):
        shown = money(float(value)) + unit[3:]
    elif unit.startswith(("proportion", "probability")) and isinstance(value, int | float) and not isinstance(value, bool):
        rest = unit.removeprefix("proportion").removeprefix("probability").strip()
        shown = f"{100 * float(value):g}%" + (f" {rest}" if rest else "")
    elif isinstance(value, list):
        shown = ", ".join(_WORDS.get(str(v), str(v).replace("_", " ")) for v in value) or "none"
    else:
        shown = f"{_number(value)} {unit}".strip()
    return f"{doc}: {shown}"


def policy_words(resolved: dict[str, Any]) -> list[dict[str, Any]]:
    """Each policy of a resolved scenario in words: name, report heading, start year, settings."""
    out = []
    for p in resolved.get("policies", []):
        cls = POLICIES.get(p.get("type"))
        if cls is None:
            out.append({"name": str(p.get("type")), "heading": "", "settings": [f"{k}: {_number(v)}" for k, v in p.items() if k != "type"]})
            continue
        settings = [_field_words(cls, k, v) for k, v in p.items() if k not in ("type", "start_year")]
        start = p.get("start_year", 0)
        out.append({
            "name": p["type"].replace("_", " ").capitalize(), "heading": cls.report_heading,
            "start": "from the start of the horizon" if start <= 0 else f"from reported year {start}", "settings": settings,
        })  # fmt: skip
    return out


def scenario_words(name: str, resolved: dict[str, Any]) -> dict[str, Any]:
    """A scenario for the settings section: description, policies, shocks, run settings."""
    run = resolved.get("run", {})
    shocks = [
        f"funding shock in year {s.get('year')}: climate cut by {_number(s.get('size'))}, recovering over {_number(s.get('recovery_years'))} years"
        for s in resolved.get("shocks", [])
    ]
    return {
        "name": name, "description": resolved.get("description") or "", "policies": policy_words(resolved), "shocks": shocks,
        "population": _number(run.get("population")),  # money is read against the population actually run
        "run": f"{_number(run.get('population'))} researchers at the start, {run.get('years')} reported years after "
               f"{run.get('burn_in_years')} years of burn-in",
        "files": [os.path.normpath(str(f)) for f in resolved.get("files", [])],
    }  # fmt: skip


def assumption_rows(resolved: dict[str, Any]) -> tuple[int, int, list[dict[str, Any]]]:
    """How many declared model parameters are assumptions, of how many; and the policies' own assumed settings."""
    table = parameter_table()
    n_assumed = sum(1 for r in table if r["source"] == ASSUMPTION)
    policy_rows = []
    for p in resolved.get("policies", []):
        cls = POLICIES.get(p.get("type"))
        if cls is None:
            continue
        for name, f in cls.model_fields.items():
            extra = f.json_schema_extra if isinstance(f.json_schema_extra, dict) else {}
            if extra.get("source") == ASSUMPTION and name in p:
                setting, shown = _field_words(cls, name, p[name]).rsplit(": ", 1)
                row = {"policy": p["type"].replace("_", " "), "setting": setting, "value": shown}
                if row not in policy_rows:  # the same policy at the same setting in several scenarios: listed once
                    policy_rows.append(row)
    return n_assumed, len(table), policy_rows


def calibration_status(resolved: dict[str, Any]) -> dict[str, Any]:
    """Whether the scenario extends the calibrated parameter set, and the shipped calibration's fit."""
    files = [str(f) for f in resolved.get("files", [])]
    calibrated = any(Path(f).name == "calibrated.yaml" for f in files)
    fit: list[dict[str, Any]] = []
    if calibrated and FIT_TABLE.is_file():
        with FIT_TABLE.open(encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                fit.append({
                    "target": r["target"].replace("_", " "), "observed": f"{100 * float(r['observed']):.1f}%",
                    "interval": f"{100 * float(r['obs_ci_low']):.1f}–{100 * float(r['obs_ci_high']):.1f}%",
                    "simulated": f"{100 * float(r['simulated_mean']):.1f}%", "within": str(r.get("accepted", r.get("within_ci"))) == "True",
                    "role": r.get("role", "fit"),
                })  # fmt: skip
    fitted = [r for r in fit if r["role"] == "fit"]
    within = sum(1 for r in fitted if r["within"])
    checks = [r for r in fit if r["role"] != "fit"]
    check_words = f" and {sum(1 for r in checks if r['within'])} of {len(checks)} reported checks" if checks else ""
    if not calibrated:
        text = "Not calibrated: this scenario uses the declared defaults, not the calibrated parameter set."
    elif fit:
        text = (f"Calibrated by history matching to {len(fitted)} survey and administrative proportions; "
                f"{within} of {len(fitted)} fitted targets{check_words} lie within their acceptance intervals (calibration/output/fit_table.csv).")  # fmt: skip
    else:
        text = "Extends the calibrated parameter set (calibration/calibrated.yaml); its fit table is not available here."
    return {"calibrated": calibrated, "text": text, "fit": fit}


def noise_words(summaries: dict[str, dict[str, Any]], baseline: str, reps: int) -> str:
    """How noisy the numbers are: replicate count and the half-width of the baseline's retention interval."""
    s = summaries.get(baseline, {}).get("retention_10y", {})
    lo, hi = s.get("ci_low", math.nan), s.get("ci_high", math.nan)
    half = f" The baseline's 10-year retention is known to ±{50 * (hi - lo):.1f} points (95% interval of the mean)." if math.isfinite(lo) else ""
    return (
        f"Every number is a mean over {reps} replicate runs with different random draws; intervals are 95% t-intervals of the "
        f"mean (of paired differences for effects: replicate i of every scenario shares its seed, so chance largely cancels).{half} "
        "Effects whose interval includes zero are reported as no clear change. More replicates (--reps) narrow the intervals."
    )


def provenance(manifest: dict[str, Any]) -> list[tuple[str, str]]:
    """Rows of the provenance table: command, commit, versions, seeds, times."""
    seeds = manifest.get("seeds", {})
    versions = manifest.get("versions", {})
    rows = [
        ("command", " ".join(manifest.get("command") or []) or "(Python API)"),
        ("git commit", str(manifest.get("git_commit") or "unknown")),
        ("versions", ", ".join(f"{k} {v}" for k, v in versions.items() if k not in ("platform",))),
        ("root seed", f"{seeds.get('root')} — {seeds.get('scheme', '')}"),
        ("started / finished (UTC)", f"{manifest.get('started', '?')} / {manifest.get('finished', '?')}"),
        ("platform", str(manifest.get("platform", versions.get("platform", "")))),
    ]
    return rows
