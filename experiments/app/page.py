"""The Solara page: Mesa's ``SolaraViz`` around ``LiveModel`` with the policy levers and live charts.

Start it with ``hsr-careers app`` (or ``solara run experiments/app/page.py``). The
sidebar's controls are generated from the policy declaration (``experiments.app.levers``);
moving one takes effect when Reset starts a new run. The model here is created once at
import and shared by every browser session until someone presses Reset.
"""

from __future__ import annotations

import solara
from mesa.visualization import SolaraViz
from mesa.visualization.utils import update_counter

from experiments.app.levers import policy_levers
from experiments.app.live import DEFAULT_POPULATION, DEFAULT_SEED, POPULATION_RANGE, LiveModel, base_scenario, snapshot
from experiments.plots.app import contract_mix_figure, exits_figure, retention_figure, stage_mix_figure

TITLE = "HSR careers: policy levers"


def _money(pounds: float) -> str:
    if pounds >= 1e6:
        return f"£{pounds / 1e6:.2f}m"
    if pounds >= 1e3:
        return f"£{pounds / 1e3:.0f}k"
    return f"£{pounds:.0f}"


def _number(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:g}"


def _policy_line(policy) -> str:
    fields = [f for f in type(policy).model_fields if f not in ("type", "start_year") and isinstance(getattr(policy, f), int | float)]
    settings = ", ".join(f"{f.replace('_', ' ')} {_number(getattr(policy, f))}" for f in fields)
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
            f"Policy spending so far: {_money(float(snap.yearly['policy_spend'].sum()))}",
        ]
    lines.append("Moved a lever? Press Reset to start a new run with it.")
    return lines


@solara.component
def Summary(model: LiveModel) -> None:
    """The run's headline numbers, updated every step (plain text: Solara's Markdown would fetch a script from a CDN)."""
    update_counter.get()
    with solara.Card("This run"):
        for line in summary_lines(model):
            solara.Text(line, style={"display": "block", "margin-bottom": "4px"})


def _chart(make):
    @solara.component
    def Chart(model: LiveModel) -> None:
        update_counter.get()
        solara.FigureMatplotlib(make(snapshot(model)), format="png")

    Chart.__name__ = make.__name__.replace("_figure", "").title().replace("_", "")
    return Chart


def model_params() -> dict:
    """SolaraViz controls: population and seed, then every policy lever from the declaration."""
    _, config = base_scenario()
    lo, hi, step = POPULATION_RANGE
    params: dict = {
        "population": {
            "type": "SliderInt",
            "value": DEFAULT_POPULATION,
            "min": lo,
            "max": hi,
            "step": step,
            "label": "Researchers (people)",
        },
        "seed": {
            "type": "SliderInt",
            "value": DEFAULT_SEED,
            "min": 1,
            "max": 100,
            "step": 1,
            "label": "Random seed (another draw of chance)",
        },
    }
    params.update({lv.key: lv.as_user_param() for lv in policy_levers(config)})
    return params


COMPONENTS = [
    (Summary, 0),
    (_chart(contract_mix_figure), 0),
    (_chart(stage_mix_figure), 0),
    (_chart(retention_figure), 0),
    (_chart(exits_figure), 0),
]

model = LiveModel()
page = SolaraViz(model, components=COMPONENTS, model_params=model_params(), name=TITLE, play_interval=300)
