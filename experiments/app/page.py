"""The Solara page: policy levers on the left; the run card, effects against the baseline and charts on the right.

Start it with ``hsr-careers app``. The levers are generated from the policy declaration
(``experiments.app.levers``): each policy is a switch with its settings nested under it,
each slider with its current value above it and its two ends below. Run (and the first
visit) runs the levers' scenario and the scenario as opened, replicate by replicate on
the same seeds, in the background; the effects panel and the charts change when that
run finishes. "Save as scenario" writes the levers and run settings as a scenario file.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

import solara

from experiments.app.levers import Lever, policy_levers
from experiments.app.save import save_scenario
from experiments.app.session import (
    DEFAULT_POPULATION,
    DEFAULT_REPLICATES,
    DEFAULT_SEED,
    POPULATION_RANGE,
    REPLICATE_RANGE,
    SEED_RANGE,
    AppSettings,
    PairResult,
    base_scenario,
    run_pair,
)
from experiments.app.words import effect_rows, run_card
from experiments.errors import InputError
from experiments.plots.app import FIGURES

TITLE = "HSR careers: policy levers"
SAVE_DIR_ENV = "HSR_APP_SAVE_DIR"  # where "Save as scenario" writes (set by ``hsr-careers app --save-dir``)
SMALL = {"display": "block", "font-size": "13px", "color": "#444"}
LABEL_STYLE = {"display": "block", "font-size": "14px", "margin-top": "6px"}
READING_COLOURS = {"better": "#1b7837", "worse": "#b2182b", "less spending": "#1b7837", "more spending": "#8c510a"}


def initial_values() -> dict:
    """Starting values of every control: the scenario's run settings (capped for a quick first run) and its policies."""
    _, config, _ = base_scenario()
    run = config.run
    return {
        "population": max(POPULATION_RANGE[0], min(run.population, DEFAULT_POPULATION)),
        "replicates": max(REPLICATE_RANGE[0], min(run.replicates, DEFAULT_REPLICATES)),
        "seed": DEFAULT_SEED,
        **{lv.key: lv.value for lv in policy_levers(config)},
    }


POPULATION = Lever("population", "", "SliderInt", DEFAULT_POPULATION, "", None, *POPULATION_RANGE, name="Researchers at the start", unit="people")  # fmt: skip
REPLICATES = Lever("replicates", "", "SliderInt", DEFAULT_REPLICATES, "", None, *REPLICATE_RANGE, name="Replicates (paired runs of each version)", unit="runs")  # fmt: skip
SEED = Lever("seed", "", "SliderInt", DEFAULT_SEED, "", None, *SEED_RANGE, name="Root seed (another draw of chance)", unit="")


@solara.component
def ValueSlider(lever: Lever, values: solara.Reactive[dict]) -> None:
    """A slider with its setting and current value above the track and its two ends below it."""
    current = values.value.get(lever.key, lever.value)

    def set_value(v, key=lever.key):
        values.value = {**values.value, key: v}

    solara.Text(lever.shown(current), style=LABEL_STYLE, classes=["lever-value"])
    slider = solara.SliderInt if lever.kind == "SliderInt" else solara.SliderFloat
    slider("", value=current, min=lever.min, max=lever.max, step=lever.step, on_value=set_value, thumb_label=False, tick_labels=False)
    low, high = lever.range_text()
    with solara.Row(justify="space-between", style={"margin-top": "-14px"}, classes=["lever-range"]):
        solara.Text(low, style={"font-size": "12px", "color": "#555"})
        solara.Text(high, style={"font-size": "12px", "color": "#555"})


@solara.component
def PolicyLevers(values: solara.Reactive[dict]) -> None:
    """One switch per policy; its settings are nested under it and shown only while it is on."""
    _, config, _ = base_scenario()
    levers = policy_levers(config)
    for lever in levers:
        if lever.kind != "Checkbox":
            continue
        on = bool(values.value.get(lever.key, lever.value))

        def toggle(v, key=lever.key):
            values.value = {**values.value, key: v}

        solara.Checkbox(label=lever.label, value=on, on_value=toggle)
        if on:
            with solara.Column(style={"margin-left": "28px", "margin-top": "-8px", "gap": "0px"}):
                for setting in levers:
                    if setting.policy == lever.policy and setting.kind != "Checkbox":
                        ValueSlider(setting, values)


def _table(rows: list, header: list[str]) -> str:
    head = "".join(f"<th style='text-align:left;padding:4px 10px'>{html.escape(h)}</th>" for h in header)
    body = ""
    for r in rows:
        colour = READING_COLOURS.get(r.reading, "#333")
        cells = [r.label, r.baseline, r.scenario, r.difference, r.interval]
        body += "<tr style='border-top:1px solid #e0e0e0'>" + f"<td style='padding:4px 10px'>{html.escape(cells[0])}</td>"
        body += "".join(f"<td style='padding:4px 10px;white-space:nowrap'>{html.escape(c)}</td>" for c in cells[1:])
        body += f"<td style='padding:4px 10px;color:{colour};font-weight:600;white-space:nowrap'>{html.escape(r.reading)}</td></tr>"
    return f"<table class='effects' style='border-collapse:collapse;font-size:14px;width:100%'><tr>{head}</tr>{body}</table>"


@solara.component
def Effects(result: PairResult) -> None:
    """Headline outcomes against the baseline with 95% intervals of the paired differences."""
    with solara.Card("Effects against the baseline"):
        if result.same:
            solara.Text("No lever differs from the scenario as opened: switch a policy on or move a setting, then press Run.", style=SMALL)
            return
        header = ["outcome", "baseline", "with the levers", "difference", "95% interval", "reading"]
        solara.HTML(tag="div", unsafe_innerHTML=_table(effect_rows(result), header))
        solara.Text(f"Differences are means over {result.settings.replicates} paired replicates (same seeds); 'no clear change' "
                    "means the 95% interval includes zero.", style=SMALL)  # fmt: skip


@solara.component
def RunCard(result: PairResult) -> None:
    """What was run, in sentences."""
    name, _, path = base_scenario()
    with solara.Card("This run"):
        for line in run_card(result, name, str(path) if path else None):
            solara.Text(line, style={"display": "block", "margin-bottom": "6px", "font-size": "15px"}, classes=["run-card"])


@solara.component
def SaveScenario(values: solara.Reactive[dict]) -> None:
    """A name, a button, and where the file went (or why it was refused)."""
    name = solara.use_reactive("my_scenario")
    message = solara.use_reactive("")

    def save():
        folder = Path(os.environ.get(SAVE_DIR_ENV) or Path.cwd())
        try:
            path = save_scenario(name.value, AppSettings.of(values.value), folder)
            message.value = f"Saved {path}. Check it: hsr-careers validate {path} — reproduce the numbers: hsr-careers run {path} --out DIR"
        except (InputError, ValueError) as exc:
            message.value = f"Not saved: {exc}"

    with solara.Card("Save as scenario"):
        solara.InputText("Scenario name", value=name)
        solara.Button("Save as scenario", on_click=save, color="primary")
        if message.value:
            solara.Text(message.value, style=SMALL, classes=["save-message"])


def _chart(make):
    @solara.component
    def Chart(result: PairResult) -> None:
        with solara.Card(margin=0, style={"padding": "4px", "margin-bottom": "12px"}):
            solara.FigureMatplotlib(make(result), format="png")

    return Chart


CHARTS = [_chart(f) for f in FIGURES]


@solara.component
def Page() -> None:
    """The app: run settings and levers in the sidebar; run card, effects, save and charts in the main column."""
    values = solara.use_reactive(initial_values())
    asked = solara.use_reactive(AppSettings.of(initial_values()))
    progress = solara.use_reactive("")

    def compute() -> PairResult | None:
        settings = asked.value

        def report(done: int, total: int) -> bool:
            progress.value = f"Running: {done} of {total} runs done"
            return asked.value == settings  # stop when a newer run has been asked for

        return run_pair(settings, report)

    task = solara.lab.use_task(compute, dependencies=[asked.value], raise_error=False)
    current = AppSettings.of(values.value)
    solara.Title(TITLE)
    with solara.AppBar():
        solara.AppBarTitle(TITLE)
    with solara.Sidebar(), solara.Column():
        with solara.Card("Run"):
            solara.Button("Run", on_click=lambda: asked.set(current), color="primary", disabled=task.pending and current == asked.value)
            if task.pending:
                solara.Text(progress.value or "Running…", style=SMALL, classes=["run-status"])
            elif current != asked.value:
                solara.Text("Settings changed since the last run: press Run to see their effects.", style=SMALL, classes=["run-status"])
            else:
                solara.Text("Results below are for these settings.", style=SMALL, classes=["run-status"])
        with solara.Card("Population and chance"):
            for lever in (POPULATION, REPLICATES, SEED):
                ValueSlider(lever, values)
        with solara.Card("Policy levers"):
            PolicyLevers(values)
    with solara.Column(style={"max-width": "920px"}):
        if task.error:
            solara.Error(f"The run failed: {task.exception}")
        result = task.latest  # the last finished run stays on screen while a newer one runs
        if result is None:
            solara.Text("Running the first comparison…" if task.pending else "", style=SMALL)
            return
        RunCard(result)
        Effects(result)
        SaveScenario(values)
        for chart in CHARTS:
            chart(result)


page = Page
