"""Every chart of the report, drawn once: the same PNG bytes are embedded in the page and saved in ``figures/``.

The report layer computes the rows each chart needs (from the results on disk) and hands
them to ``experiments.plots``; one colour per scenario (``plots.palette``) is shared by
every chart, so the page and the files agree in colours and labels.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from pathlib import Path

import matplotlib.pyplot as plt

from experiments.plots import comparison as cmp
from experiments.plots.ceac import ceac_figure
from experiments.plots.cost_effectiveness import ce_plane_figure, plane_rows
from experiments.plots.effects import effects_figure
from experiments.plots.palette import nice, scenario_colours
from experiments.plots.reach import reach_figure, reach_rows
from experiments.plots.scenarios import retention_by_group_figure, stage_mix_figure
from experiments.plots.timeline import timeline_figure
from experiments.report.decision import is_what_if
from experiments.report.extras import Extras
from experiments.report.results import Results
from model.outcomes import RETENTION_MEANING

DPI = 100
NO_CURVES = "Not drawn: this results folder keeps no retention curves (an ensemble keeps metrics only)."


@dataclass
class Figure:
    """One chart of the page: its file name in ``figures/``, title, caption, PNG bytes (or why it is missing)."""

    key: str
    title: str
    caption: str
    png: bytes | None = None
    missing: str = ""

    @property
    def src(self) -> str | None:
        """The PNG as a data URI for the self-contained page."""
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii") if self.png else None

    @property
    def file(self) -> str:
        """Its file name in ``figures/``."""
        return f"{self.key}.png"


def png_bytes(fig: plt.Figure) -> bytes:
    """A figure as PNG bytes (and closed); no software stamp, so the bytes depend only on the picture."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def names_and_colours(res: Results) -> tuple[dict[str, str], dict[str, str]]:
    """Display names (what-ifs marked) and one colour per scenario."""
    what_if = {n for n in res.policies if is_what_if(res.scenarios.get(n, {"policies": [1]}))}
    names = {n: nice(n) + (" (what if)" if n in what_if else "") for n in res.summaries}
    return names, scenario_colours(list(res.summaries), res.baseline, what_if)


def report_figures(res: Results, extras: Extras) -> list[Figure]:
    """Every chart of the report for ``res``, drawn once."""
    names, colours = names_and_colours(res)
    figs: list[Figure] = []

    def add(key: str, title: str, caption: str, draw, missing: str = "") -> None:  # noqa: ANN001 (a zero-argument drawing function)
        fig = draw() if not missing else None
        if fig is None and not missing:
            missing = "Not drawn: the results hold no outcome this chart shows."
        figs.append(Figure(key, title, caption, png_bytes(fig) if fig is not None else None, missing if fig is None else ""))

    if res.kind == "compare":
        add("effects", "Effects of each policy",
            "Scenario minus baseline, paired by seed, with 95% intervals; filled markers: the interval excludes zero. Each outcome has its "
            "own panel; outcomes of one family (retention, equity gaps, contracts) share a scale; the better side of zero is shaded.",
            lambda: effects_figure(res.effects, names=names))  # fmt: skip
        traj = extras.trajectories
        add("timeline", "Over calendar time",
            "Researchers in HSR, employed researcher-years each year and the cumulative discounted policy cost, by scenario, "
            "with the 95% interval of the mean over replicates.",
            lambda: timeline_figure(traj, colours, res.baseline, names),  # type: ignore[arg-type]
            missing="" if traj is not None else "Not drawn: this results folder has no trajectories.csv (made by compare from this version on).")  # fmt: skip
        plane = _plane(res, extras)
        add("cost_effectiveness", "Cost-effectiveness plane",
            "Each policy's extra discounted cost against its extra discounted employed researcher-years, with 95% intervals; "
            "the dashed line is the default willingness to pay (below it: cost-effective at that threshold).",
            lambda: ce_plane_figure(plane, colours, extras.wtp, names),  # type: ignore[arg-type]
            missing="" if plane is not None and len(plane) else "Not drawn: no policy cost or researcher-years effects in this folder.")  # fmt: skip
        add("ceac", "Cost-effectiveness acceptability curves",
            "The probability that each policy's net monetary benefit is positive, at each willingness to pay per employed researcher-year.",
            lambda: ceac_figure(extras.ceac, extras.wtp, colours=colours, names=names),  # type: ignore[arg-type]
            missing="" if extras.ceac is not None else "Not drawn: this results folder has no ceac.csv (acceptability curves).")  # fmt: skip
        reach = reach_rows(extras.reach) if extras.reach is not None else None
        add("reach", "Whom each policy reached",
            "People each policy reached over the horizon, by group.",
            lambda: reach_figure(reach, colours, names),  # type: ignore[arg-type]
            missing="" if reach is not None else "Not drawn: this results folder has no readable reach.csv (whom each policy reached).")  # fmt: skip
        add("retention", "Retention of new entrants by scenario",
            f"Kaplan–Meier retention with 95% bands; the baseline in bold black. {RETENTION_MEANING}.",
            lambda: cmp.retention_compare_figure(res.retention, res.baseline, horizon=res.horizon, colours=colours),
            missing="" if len(res.retention) else NO_CURVES)  # fmt: skip
    base_ret = res.retention[res.retention["scenario"] == res.baseline]
    add("retention_by_group", f"Retention by group ({nice(res.baseline)})", f"Curves stop where fewer than {cmp.MIN_AT_RISK} researchers remain at risk.",
        lambda: retention_by_group_figure(cmp.cut_retention(base_ret), f"{nice(res.baseline)}: retention in HSR by group (95% bands)"),
        missing="" if len(base_ret) else NO_CURVES)  # fmt: skip
    base = res.baseline if res.kind == "compare" else None
    add("equity_gaps", "Equity gaps", "Advantaged minus disadvantaged retention 10 years after entry; above zero, the disadvantaged group leaves more.",
        lambda: cmp.equity_gaps_figure(res.summaries, base))  # fmt: skip
    add("exits", "Exits by reason", "Mean over replicates of everyone who left HSR during the horizon.", lambda: cmp.exits_figure(res.summaries, base))
    if res.kind == "run" and res.yearly is not None:
        add("stage_mix", "Career-stage mix", "Mean number of active researchers by stage each year.",
            lambda: stage_mix_figure(res.yearly, f"{nice(res.baseline)}: career-stage mix over time"))  # fmt: skip
    return figs


def _plane(res: Results, extras: Extras):  # noqa: ANN202 (a DataFrame or None)
    """Plane rows from the net-benefit table when present (its researcher-years are employed ones), else from the effects."""
    nb = extras.net_benefit
    if nb is not None and {"inc_cost_pv", "inc_employed_years_pv"} <= set(nb.columns):
        rows = nb.rename(columns={"policy": "scenario", "inc_employed_years_pv": "x", "inc_cost_pv": "y"})
        for axis, col in (("x", "inc_employed_years_pv"), ("y", "inc_cost_pv")):
            for end in ("low", "high"):
                rows[f"{axis}_{end}"] = nb.get(f"{col}_{end}", float("nan"))
        return rows[["scenario", "x", "x_low", "x_high", "y", "y_low", "y_high"]]
    policies = [p for p in res.policies if not is_what_if(res.scenarios.get(p, {"policies": [1]}))]
    return plane_rows(res.effects, policies) if res.effects is not None else None


def save_figures(figs: list[Figure], folder: Path) -> None:
    """Write each drawn chart to ``folder/figures/<key>.png`` (the bytes the page embeds)."""
    out = folder / "figures"
    out.mkdir(parents=True, exist_ok=True)
    for f in figs:
        if f.png:
            (out / f.file).write_bytes(f.png)
