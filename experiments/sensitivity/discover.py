"""Scenario discovery: where in the uncertain inputs does a policy miss its goal? (PRIM, with CART as a cross-check)

Input is the folder of an ensemble (``compare --ensemble``: ``sets.csv`` + ``runs.csv``)
or of a sensitivity analysis (``sensitivity``: ``design.csv``). A goal spec such as
``"effect_retention_10y < 0.02"`` names the *cases of interest*: the points where it
holds (the policy falls short). PRIM (``ema_workbench.analysis.prim``, the maintained
implementation; not written here) peels the input box towards the cases of interest;
on its peeling trajectory we keep, among the boxes restricting at most ``max_dims``
inputs (few restrictions generalise; many fit the noise of a small sample), the one
with the highest coverage whose density is at least ``min_density``, then look for a next box among the remaining points. A CART
tree (``ema_workbench.analysis.cart``, scikit-learn underneath) is fitted to the same
data as a cross-check: its densest leaf should restrict the same inputs.

Coverage = share of all cases of interest inside the box; density = share of the
points inside the box that are cases of interest; mass = share of all points inside.
"""

from __future__ import annotations

import logging
import math
import operator
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from experiments import verified
from experiments.errors import InputError, suggest

MIN_POINTS = 10
WHAT = "RESULTS"
OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
GOAL = re.compile(r"^\s*([A-Za-z_][\w.:]*)\s*(<=|>=|<|>)\s*(\S+)\s*$")


@dataclass(frozen=True)
class Goal:
    """``output op value``: the condition that marks a case of interest (for example the policy falling short)."""

    output: str
    op: str
    value: float

    def holds(self, y: np.ndarray) -> np.ndarray:
        """True where the condition holds (NaN never does)."""
        y = np.asarray(y, dtype=float)
        return np.where(np.isfinite(y), OPS[self.op](y, self.value), False)

    def __str__(self) -> str:
        return f"{self.output} {self.op} {self.value:g}"


def parse_goal(text: str, outputs: list[str]) -> Goal:
    """Parse ``"OUTPUT OP VALUE"`` (OP one of < <= > >=) against the outputs available."""
    m = GOAL.match(text or "")
    if not m:
        raise InputError(f"--goal: '{text}' is not 'OUTPUT OP VALUE' with OP one of {', '.join(OPS)} (e.g. 'effect_retention_10y < 0.02')")
    name, op, raw = m.groups()
    if name not in outputs:
        raise InputError(f"--goal: unknown output '{name}'{suggest(name, outputs)}; valid: {', '.join(outputs)}")
    try:
        value = float(raw)
    except ValueError:
        raise InputError(f"--goal: threshold '{raw}' is not a number") from None
    if not math.isfinite(value):
        raise InputError(f"--goal: threshold must be finite, got '{raw}'")
    return Goal(name, op, value)


def check_measured(data: DiscoveryData, goal: Goal) -> None:
    """Refuse a goal on an output the runs did not measure at every point (NaN is not a case where the goal fails)."""
    y = pd.to_numeric(data.y[goal.output], errors="coerce").to_numpy(dtype=float)
    missing = int((~np.isfinite(y)).sum())
    if missing == len(y):
        raise InputError(f"--goal: '{goal.output}' was never measured in these runs (empty at all {len(y)} points, "
                         "e.g. retention at 10 years after a shorter horizon); choose a measured output")  # fmt: skip
    if missing:
        raise InputError(f"--goal: '{goal.output}' is missing at {missing} of {len(y)} points; choose an output measured at every point")


@dataclass
class DiscoveryData:
    """Uncertain inputs ``x`` (one row per point) and candidate outputs ``y`` (same rows)."""

    x: pd.DataFrame
    y: pd.DataFrame
    source: str


def load_results(folder: str | Path, scenario: str | None = None) -> DiscoveryData:
    """Inputs and outputs from an ensemble or a sensitivity results folder."""
    folder = Path(folder)
    if (folder / "sets.csv").is_file() and (folder / "runs.csv").is_file():
        return _from_ensemble(folder, scenario)
    if (folder / "design.csv").is_file():
        if scenario is not None:
            raise InputError("--scenario applies to ensemble results only; a sensitivity design has one scenario")
        meta = _manifest(folder, "sensitivity")
        path = verified.check_file(folder, "design.csv", meta, WHAT)
        head = verified.read_csv(path, WHAT)
        d = verified.read_csv(path, WHAT, numeric=list(head.columns))
        means = [c for c in d.columns if c.startswith("mean_")]
        x = d.drop(columns=[c for c in ("point", *means) if c in d.columns])
        if x.empty or not means:
            raise InputError(f"RESULTS: '{folder / 'design.csv'}' has no factor or no mean_<output> columns")
        return DiscoveryData(x, d[means].rename(columns=lambda c: c[len("mean_") :]), "sensitivity design")
    raise InputError(f"RESULTS: '{folder}' holds neither an ensemble (sets.csv, runs.csv) nor a sensitivity design (design.csv)")


def _manifest(folder: Path, kind: str) -> dict:
    """The folder's manifest if it has one (checked to be of ``kind``); {} for a folder without one."""
    return verified.manifest(folder, (kind,), WHAT) if (folder / "manifest.json").exists() else {}


def _from_ensemble(folder: Path, scenario: str | None) -> DiscoveryData:
    meta = _manifest(folder, "ensemble")
    sets_path = verified.check_file(folder, "sets.csv", meta, WHAT)
    runs_path = verified.check_file(folder, "runs.csv", meta, WHAT)
    sets = verified.read_csv(sets_path, WHAT, ("set",))
    sets = verified.read_csv(sets_path, WHAT, ("set",), numeric=list(sets.columns)).set_index("set")
    runs = verified.read_csv(runs_path, WHAT, ("set", "scenario", "rep"))
    runs = verified.read_csv(runs_path, WHAT, ("set", "scenario", "rep"), numeric=[c for c in runs.columns if c != "scenario"])
    if runs.empty or runs[["set", "rep"]].isna().any().any():
        raise InputError(f"{WHAT}: {runs_path} has no runs or a run without set or rep; rerun the ensemble")
    runs["scenario"] = runs["scenario"].astype(str)
    unknown = sorted(set(runs["set"].astype(int)) - set(sets.index.astype(int)))
    if unknown or runs.duplicated(["set", "scenario", "rep"]).any():
        raise InputError(f"{WHAT}: {runs_path} contradicts {sets_path.name} (set {unknown[:1] or 'duplicated'}); rerun the ensemble")
    names = list(dict.fromkeys(runs["scenario"]))
    baseline, policies = names[0], names[1:]
    if scenario is None:
        if len(policies) != 1:
            raise InputError(f"--scenario: the ensemble has {len(policies)} policies; choose one of {', '.join(policies)}")
        scenario = policies[0]
    if scenario not in policies:
        raise InputError(f"--scenario: unknown policy '{scenario}'{suggest(scenario, policies)}; valid: {', '.join(policies)}")
    metrics = [c for c in runs.columns if c not in ("set", "scenario", "rep")]
    b = runs[runs["scenario"] == baseline].set_index(["set", "rep"]).sort_index()[metrics]
    s = runs[runs["scenario"] == scenario].set_index(["set", "rep"]).sort_index()[metrics]
    if not s.index.isin(b.index).all() or not sets.index.isin(s.index.get_level_values("set")).all():
        raise InputError(f"{WHAT}: {runs_path}: the runs of '{scenario}' and '{baseline}' do not pair up by set and rep; rerun the ensemble")
    effect = (s - b.loc[s.index]).groupby("set").mean().add_prefix("effect_")
    y = pd.concat([effect, b.groupby("set").mean().add_prefix("baseline_"), s.groupby("set").mean()], axis=1).loc[sets.index]
    x = sets.drop(columns=["nroy_point"], errors="ignore")
    x = x.loc[:, x.nunique() > 1]
    return DiscoveryData(x.reset_index(drop=True), y.reset_index(drop=True), f"ensemble ({scenario} vs {baseline})")


@dataclass
class Discovery:
    """PRIM boxes, their limits and trajectories, and the CART cross-check."""

    goal: Goal
    n_points: int
    n_cases: int
    boxes: pd.DataFrame
    limits: pd.DataFrame
    trajectories: list[pd.DataFrame]
    ranges: pd.DataFrame
    cart: pd.DataFrame
    sentences: list[str] = field(default_factory=list)


def discover(
    data: DiscoveryData,
    goal: Goal,
    *,
    max_boxes: int = 2,
    min_density: float = 0.8,
    mass_min: float = 0.05,
    peel_alpha: float = 0.05,
    max_dims: int = 3,
) -> Discovery:
    """Run PRIM (up to ``max_boxes`` boxes, each restricting at most ``max_dims`` inputs) and CART where ``goal`` holds."""
    with warnings.catch_warnings():  # the workbench warns about optional parallel back ends it does not need here
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import cart, prim

    logging.getLogger("EMA").setLevel(logging.WARNING)
    y = goal.holds(data.y[goal.output].to_numpy())
    x = data.x.astype(float).reset_index(drop=True)
    n_cases = int(y.sum())
    if len(y) < MIN_POINTS:
        raise InputError(
            f"RESULTS: {len(y)} points are too few for scenario discovery (at least {MIN_POINTS}); run a larger ensemble or design"
        )
    if n_cases == 0 or n_cases == len(y):
        raise InputError(
            f"--goal: '{goal}' holds at {n_cases} of {len(y)} points; discovery needs some points where it holds and some where it does not"
        )
    ranges = pd.DataFrame({"low": x.min(), "high": x.max()})
    p = prim.Prim(x, y, peel_alpha=peel_alpha, mass_min=mass_min)
    box_rows, limit_rows, trajectories, sentences = [], [], [], []
    for b in range(1, max_boxes + 1):
        box = p.find_box()
        if box is None:
            break
        traj = box.peeling_trajectory.copy()
        small = traj[traj["res_dim"] <= max_dims]
        ok = small[small["density"] >= min_density]
        i = (
            int(ok.sort_values(["coverage", "density"], ascending=False, kind="stable").index[0])
            if len(ok)
            else int(small["density"].idxmax())
        )
        if float(traj.loc[i, "coverage"]) == 0:  # nothing of interest left outside earlier boxes
            break
        box.select(i)
        traj["selected"] = traj.index == i
        trajectories.append(traj)
        lims = box.box_lims[i]
        restricted = [c for c in x.columns if not np.allclose(lims[c].to_numpy(dtype=float), p.box_init[c].to_numpy(dtype=float))]
        qp = box.p_values[i] if i < len(box.p_values) else {}
        for c in restricted:
            lo, hi = float(lims[c].iloc[0]), float(lims[c].iloc[1])
            q = qp.get(c, [math.nan, math.nan])
            limit_rows.append({"box": b, "dimension": c, "low": lo, "high": hi, "range_low": ranges.loc[c, "low"],
                               "range_high": ranges.loc[c, "high"], "qp_low": _qp(q[0]), "qp_high": _qp(q[1])})  # fmt: skip
        st = traj.loc[i]
        sentence = describe(b, goal, restricted, lims, ranges, float(st["coverage"]), float(st["density"]))
        sentences.append(sentence)
        box_rows.append({"box": b, "coverage": float(st["coverage"]), "density": float(st["density"]), "mass": float(st["mass"]),
                         "n_points": int(st["n"]), "res_dim": len(restricted), "restricted": "; ".join(restricted),
                         "description": sentence})  # fmt: skip
        if float(st["density"]) < min_density:
            break
    c = cart.CART(x, y, mass_min=max(mass_min, 2 / len(y)))  # at least two points a leaf
    c.build_tree()
    cart_rows = []
    for j, (lims, st) in enumerate(zip(c.boxes, c.stats, strict=True), start=1):
        restricted = [col for col in x.columns if not np.allclose(lims[col].to_numpy(dtype=float), ranges.loc[col].to_numpy(dtype=float))]
        cart_rows.append({"leaf": j, "coverage": st["coverage"], "density": st["density"], "mass": st["mass"],
                          "restricted": "; ".join(restricted),
                          "limits": "; ".join(f"{col} in [{lims[col].iloc[0]:.4g}, {lims[col].iloc[1]:.4g}]" for col in restricted)})  # fmt: skip
    return Discovery(goal, len(y), n_cases, pd.DataFrame(box_rows), pd.DataFrame(limit_rows), trajectories, ranges,
                     pd.DataFrame(cart_rows), sentences)  # fmt: skip


def _qp(v: float) -> float:
    return math.nan if v is None or v == -1 else float(v)


def describe(b: int, goal: Goal, restricted: list[str], lims: pd.DataFrame, ranges: pd.DataFrame, coverage: float, density: float) -> str:
    """A plain sentence: 'Box 1 (...): <goal> holds when A is below x and B is between y and z.'"""
    parts = []
    for c in restricted:
        lo, hi = float(lims[c].iloc[0]), float(lims[c].iloc[1])
        lo_cut, hi_cut = lo > ranges.loc[c, "low"] + 1e-12, hi < ranges.loc[c, "high"] - 1e-12
        if lo_cut and hi_cut:
            parts.append(f"{c} is between {lo:.3g} and {hi:.3g}")
        elif lo_cut:
            parts.append(f"{c} is above {lo:.3g}")
        else:
            parts.append(f"{c} is below {hi:.3g}")
    where = " and ".join(parts) if parts else "anywhere (no input restricted)"
    return (f"Box {b} (covers {coverage:.0%} of the cases, {density:.0%} of its points are cases): "
            f"{goal} when {where}.")  # fmt: skip


def cart_agreement(d: Discovery) -> dict[str, object]:
    """Does CART's densest leaf restrict the same inputs as PRIM's first box?"""
    if d.boxes.empty or d.cart.empty:
        return {"agrees": False}
    prim_dims = set(d.boxes.iloc[0]["restricted"].split("; ")) - {""}
    leaf = d.cart.sort_values(["density", "coverage"], ascending=False).iloc[0]
    cart_dims = set(str(leaf["restricted"]).split("; ")) - {""}
    union = prim_dims | cart_dims
    return {"cart_leaf": int(leaf["leaf"]), "cart_density": float(leaf["density"]), "cart_coverage": float(leaf["coverage"]),
            "shared_dimensions": sorted(prim_dims & cart_dims), "jaccard": len(prim_dims & cart_dims) / len(union) if union else 1.0,
            "agrees": bool(prim_dims & cart_dims)}  # fmt: skip
