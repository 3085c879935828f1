"""What an ensemble varies: parameter sets drawn from the calibration's NROY set, plus declared assumptions.

The calibration stores every design point it evaluated, with its implausibility and
whether it is not ruled out yet (``nroy``), in ``calibration/output/design.csv``. An
ensemble draws its K parameter sets **uniformly among the NROY points, without
replacement** (with replacement only when K exceeds their number), with a seeded
generator: NROY is a set of values the survey cannot rule out, not a posterior, so no
point is weighted above another. Optionally, declared assumptions (parameters whose
declared source is "assumption") are varied over their plausible ranges by a seeded
Latin hypercube, one value per set.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import qmc

import calibration
from experiments.errors import InputError, suggest
from model.config import ModelConfig, numeric_parameters

DEFAULT_NROY = Path(calibration.__file__).resolve().parent / "output" / "design.csv"
NOT_PARAMETERS = ("wave", "I_max", "I2_sum", "nroy")
NOT_ASSUMPTIONS = ("survey.", "run.", "policies.")  # observation, run settings and policy choices are not uncertainties


@dataclass(frozen=True)
class Assumption:
    """One declared parameter varied over its plausible range."""

    path: str
    low: float
    high: float
    integer: bool


def load_nroy(path: str | Path = DEFAULT_NROY) -> pd.DataFrame:
    """The NROY points of a calibration design (parameter columns only, original point index kept)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"--nroy: no calibration design at '{path}'; run 'hsr-careers calibrate --publish' or give --nroy DESIGN.csv")
    try:
        design = pd.read_csv(path)
    except (ValueError, pd.errors.ParserError) as exc:
        raise InputError(f"--nroy: '{path}' is not a readable CSV design ({exc})") from None
    if "nroy" not in design.columns:
        raise InputError(
            f"--nroy: '{path}' has no 'nroy' column; expected a calibration design.csv (columns wave, <parameters>, ..., nroy)"
        )
    params = [c for c in design.columns if c not in NOT_PARAMETERS and not c.startswith(("mean:", "I:"))]
    nroy = design.loc[design["nroy"].astype(str).str.lower().isin(("true", "1")), params]
    if nroy.empty:
        raise InputError(f"--nroy: '{path}' has no point marked nroy=True; the calibration ruled out every point")
    return nroy


def _priors() -> dict[str, tuple[float, float]]:
    """The calibration's prior range of each free parameter (``calibration/parameters.yaml``)."""
    from calibration.free_parameters import load_setup

    try:
        return {f.path: (f.low, f.high) for f in load_setup().free}
    except Exception:  # noqa: BLE001 - no readable set-up: the declared ranges still apply
        return {}


def check_nroy(nroy: pd.DataFrame, config: ModelConfig, source: str) -> None:
    """Refuse NROY columns that are not parameters of ``config``, and values that are not numbers inside their prior.

    A point outside the prior the calibration drew from (or outside the parameter's valid
    range, for a parameter it did not vary) was never tested against the survey: it is
    not NROY, whatever its ``nroy`` column says.
    """
    rows = numeric_parameters(config)
    priors = _priors()
    for col in nroy.columns:
        if col not in rows:
            raise InputError(f"--nroy: '{source}' column '{col}' is not a model parameter{suggest(col, rows)}")
        values = pd.to_numeric(nroy[col], errors="coerce")
        bad = ~np.isfinite(values.to_numpy(dtype=float))
        if bad.any():
            i = int(bad.nonzero()[0][0])
            raise InputError(f"--nroy: '{source}' row {nroy.index[i] + 1}, column '{col}': {nroy[col].iloc[i]!r} is not a finite number")
        lo, hi = priors.get(col, (float(rows[col]["min"]), float(rows[col]["max"])))
        which = "the calibration prior" if col in priors else "the valid range"
        out = (values < lo - 1e-12) | (values > hi + 1e-12)
        if out.any():
            i = int(out.to_numpy().nonzero()[0][0])
            raise InputError(f"--nroy: '{source}' row {nroy.index[i] + 1}, column '{col}': {values.iloc[i]:g} is outside "
                             f"{which} [{lo:g}, {hi:g}]; give the design.csv the calibration wrote")  # fmt: skip


def resolve_assumptions(config: ModelConfig, paths: list[str] | None, exclude: set[str]) -> list[Assumption]:
    """Assumptions to vary: ``None`` none, ``[]`` every declared assumption, else the named paths."""
    if paths is None:
        return []
    rows = numeric_parameters(config)
    if not paths:
        paths = [
            p for p, r in rows.items()
            if r["source"] == "assumption" and not p.startswith(NOT_ASSUMPTIONS) and p not in exclude
            and (r["plausible_min"], r["plausible_max"]) != (r["min"], r["max"])
        ]  # fmt: skip
    out = []
    for p in dict.fromkeys(paths):
        if p not in rows:
            raise InputError(f"--vary-assumptions: unknown parameter '{p}'{suggest(p, rows)}; valid: {', '.join(rows)}")
        if p in exclude:
            raise InputError(f"--vary-assumptions: '{p}' is a calibrated parameter, already drawn from the NROY set")
        r = rows[p]
        if p.startswith(NOT_ASSUMPTIONS):
            raise InputError(f"--vary-assumptions: '{p}' is a survey, run or policy setting, not an uncertain assumption")
        if r["source"] != "assumption":
            raise InputError(f"--vary-assumptions: '{p}' has a published source ({str(r['source'])[:80]}), it is not an assumption; "
                             "vary it with sensitivity analysis instead")  # fmt: skip
        lo, hi = float(r["plausible_min"]), float(r["plausible_max"])
        if not lo < hi:
            raise InputError(f"--vary-assumptions: '{p}' has no plausible range to vary over ([{lo:g}, {hi:g}])")
        out.append(Assumption(p, lo, hi, bool(r["integer"])))
    return out


def draw_sets(nroy: pd.DataFrame, k: int, seed: int, assumptions: list[Assumption], config: ModelConfig) -> pd.DataFrame:
    """K parameter sets: column ``nroy_point`` (row of the design) then one column per parameter path."""
    if isinstance(k, bool) or not isinstance(k, int) or k < 2:
        raise InputError(f"--ensemble: needs at least 2 parameter sets to split the variance, got {k!r}")
    rng = np.random.default_rng([seed, 15])
    idx = rng.choice(len(nroy), size=k, replace=k > len(nroy))
    sets = nroy.iloc[idx].reset_index(names="nroy_point")
    rows = numeric_parameters(config)
    for col in nroy.columns:
        if rows.get(col, {}).get("integer"):
            sets[col] = sets[col].round().astype(int)
    if assumptions:
        u = qmc.LatinHypercube(d=len(assumptions), rng=rng).random(k)
        for j, a in enumerate(assumptions):
            v = a.low + u[:, j] * (a.high - a.low)
            sets[a.path] = np.round(v).astype(int) if a.integer else v
    sets.index.name = "set"
    return sets


def set_overrides(sets: pd.DataFrame, s: int) -> dict[str, float]:
    """The parameter values of set ``s`` as ``{path: value}``."""
    row = sets.iloc[s].drop("nroy_point")
    return {p: (int(v) if float(v).is_integer() and isinstance(v, np.integer | int) else float(v)) for p, v in row.items()}
