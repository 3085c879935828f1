"""The Solara page: Mesa's run controller around ``LiveModel`` with the policy levers and live charts.

Start it with ``hsr-careers app`` (or ``solara run experiments/app/page.py``). The
sidebar's controls are generated from the policy declaration (``experiments.app.levers``):
each policy is a switch with its settings nested under it (shown only while it is on),
each setting's current value and unit written above its slider. Moving one takes effect
when Reset starts a new run. Mesa's developer controls (play and render intervals,
threads, page tabs) are left out: the page is laid out here rather than by ``SolaraViz``.
The model is created once at import and shared by every browser session until someone
presses Reset.
"""

from __future__ import annotations

import solara
from mesa.visualization.solara_viz import ModelController
from mesa.visualization.utils import update_counter

from experiments.app.levers import Lever, format_value, policy_levers
from experiments.app.live import DEFAULT_POPULATION, DEFAULT_SEED, POPULATION_RANGE, LiveModel, base_scenario, snapshot
from experiments.plots.app import MIN_AT_RISK, contract_mix_figure, exits_figure, retention_figure, stage_mix_figure
from model.formats import money

TITLE = "HSR careers: policy levers"


def _policy_line(policy) -> str:
    cls = type(policy)
    fields = [f for f in cls.model_fields if f not in ("type", "start_year") and isinstance(getattr(policy, f), int | float)]

    def unit(f: str) -> str:
        extra = cls.model_fields[f].json_schema_extra
        return extra.get("unit", "") if isinstance(extra, dict) else ""

    settings = ", ".join(f"{f.replace('_', ' ')} {format_value(getattr(policy, f), unit(f))}" for f in fields)
    return f"{policy.policy_type.replace('_', ' ')} ({settings})"


def summary_lines(model: LiveModel) -> list[str]:
    """The headline numbers of the live run, one line each (also what the browser test reads)."""
    snap = snapshot(model)
    policies = "; ".join(_policy_line(p) for p in snap.policies) or "none (no policy lever switched on)"
    lines = [
        f"Scenario: {snap.scenario} · population: {model.config.run.population:,} · seed: {model.config.run.seed}",
        f"Policies in force: {policies}",
    ]
    if not snap.years_done:
        lines.append(f"Burn-in done ({model.burn_in} years). Press Step for one year or ▶ to play {snap.horizon} years.")
    else:
        last = snap.yearly.iloc[-1]
        active = int(last["active"])
        exits = snap.yearly["exits_total"].sum()
        gap_exits = snap.yearly["exits_funding_gap"].sum()
        lines += [
            f"Reported year: {snap.years_done} of {snap.horizon}",
            f"Active researchers: {active:,}",
            f"On fixed-term contracts: {100 * last['share_fixed_term']:.1f}% of those employed",
            f"In a gap between contracts: {100 * last['active_gap'] / max(active, 1):.1f}%",
            f"Left HSR so far: {int(exits):,} ({int(gap_exits):,} after a funding gap)",
            f"Policy spending so far: {money(float(snap.yearly['policy_spend'].sum()))}",
        ]
        base = snap.baseline
        if base is not None and base.years_done:
            b = base.yearly.iloc[-1]
            lines.append(
                f"Baseline (same seed, no lever moved): {int(b['active']):,} active, {100 * b['share_fixed_term']:.1f}% on fixed-term "
                f"contracts, {int(base.yearly['exits_total'].sum()):,} left so far"
            )
    lines.append("Moved a lever? Press Reset to start a new run with it.")
    return lines


@solara.component
def Summary(model: LiveModel) -> None:
    """The run's headline numbers, updated every step (plain text: Solara's Markdown would fetch a script from a CDN)."""
    update_counter.get()
    with solara.Card("This run"):
        for line in summary_lines(model):
            solara.Text(line, style={"display": "block", "margin-bottom": "4px"})


def _chart(make, caption: str = ""):
    @solara.component
    def Chart(model: LiveModel) -> None:
        update_counter.get()
        with solara.Card(margin=0, style={"padding": "4px"}):
            solara.FigureMatplotlib(make(snapshot(model)), format="png")
            if caption:
                solara.Text(caption, style={"display": "block", "font-size": "12px", "color": "#555"})

    Chart.__name__ = make.__name__.replace("_figure", "").title().replace("_", "")
    return Chart


LABEL_STYLE = {"display": "block", "font-size": "13px", "margin-top": "6px", "line-height": "1.25"}


@solara.component
def ValueSlider(lever: Lever, params: solara.Reactive[dict]) -> None:
    """A slider with its setting and current value (with unit) written above the track, never squeezing it."""
    current = params.value.get(lever.key, lever.value)

    def set_value(v, key=lever.key):
        params.value = {**params.value, key: v}

    solara.Text(lever.shown(current), style=LABEL_STYLE, classes=["lever-value"])
    slider = solara.SliderInt if lever.kind == "SliderInt" else solara.SliderFloat
    slider("", value=current, min=lever.min, max=lever.max, step=lever.step, on_value=set_value, thumb_label=False,
           tick_labels=False)  # fmt: skip


@solara.component
def PolicyLevers(params: solara.Reactive[dict]) -> None:
    """One switch per policy; its settings are nested under it and shown only while it is on."""
    _, config = base_scenario()
    levers = policy_levers(config)
    for lever in levers:
        if lever.kind != "Checkbox":
            continue
        on = bool(params.value.get(lever.key, lever.value))

        def toggle(v, key=lever.key):
            params.value = {**params.value, key: v}

        solara.Checkbox(label=lever.label, value=on, on_value=toggle)
        if on:
            with solara.Column(style={"margin-left": "28px", "margin-top": "-8px", "gap": "0px"}):
                for setting in levers:
                    if setting.policy == lever.policy and setting.kind != "Checkbox":
                        ValueSlider(setting, params)


def initial_params() -> dict:
    """Starting values of every control: population, seed and the levers from the scenario."""
    _, config = base_scenario()
    return {"population": DEFAULT_POPULATION, "seed": DEFAULT_SEED, **{lv.key: lv.value for lv in policy_levers(config)}}


POPULATION = Lever("population", "", "SliderInt", DEFAULT_POPULATION, "", None, *POPULATION_RANGE, name="Researchers at the start", unit="people")
SEED = Lever("seed", "", "SliderInt", DEFAULT_SEED, "", None, 1, 100, 1, name="Random seed (another draw of chance)", unit="")
COMPONENTS = [
    _chart(contract_mix_figure),
    _chart(stage_mix_figure),
    _chart(retention_figure, f"Retention curves stop where fewer than {MIN_AT_RISK} people remain at risk (further right they rest on a "
                             "handful of people). Dashed lines: the baseline run with the same seed and no lever moved."),
    _chart(exits_figure),
]

model = LiveModel()


@solara.component
def Page() -> None:
    """The app: run controls, population and seed, the policy levers, then the summary and the charts."""
    current = solara.use_reactive(model)
    params = solara.use_reactive(initial_params())
    play_interval = solara.use_reactive(300)
    render_interval = solara.use_reactive(1)
    threads = solara.use_reactive(False)
    solara.Title(TITLE)
    with solara.AppBar():
        solara.AppBarTitle(TITLE)
    with solara.Sidebar(), solara.Column():
        with solara.Card("Run"):
            ModelController(current, model_parameters=params, play_interval=play_interval, render_interval=render_interval,
                            use_threads=threads)  # fmt: skip
            solara.Text("Reset starts a new run with the levers below; Step simulates one year; ▶ plays to the horizon.",
                        style={"display": "block", "font-size": "12px", "color": "#555"})  # fmt: skip
        with solara.Card("Population and chance"):
            ValueSlider(POPULATION, params)
            ValueSlider(SEED, params)
        with solara.Card("Policy levers"):
            PolicyLevers(params)
    with solara.Column():
        Summary(current.value)
        with solara.ColumnsResponsive(12, large=6):
            for chart in COMPONENTS:
                chart(current.value)


page = Page
