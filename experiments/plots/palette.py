"""One colour per scenario, the same in every chart of a results folder (page and ``figures/`` alike).

The baseline is black; policies take the palette in their order; "what if" scenarios
(shocks, no policy) are drawn in greys so they never read as options.
"""

from __future__ import annotations

PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"]
BASELINE = "black"
WHAT_IF = ["#7f7f7f", "#a0a0a0", "#5f5f5f"]


def scenario_colours(names: list[str], baseline: str | None, what_if: set[str] | frozenset[str] = frozenset()) -> dict[str, str]:
    """Colour of each scenario: baseline black, policies from the palette in order, what-ifs grey."""
    colours: dict[str, str] = {}
    i = j = 0
    for name in names:
        if name == baseline:
            colours[name] = BASELINE
        elif name in what_if:
            colours[name] = WHAT_IF[j % len(WHAT_IF)]
            j += 1
        else:
            colours[name] = PALETTE[i % len(PALETTE)]
            i += 1
    return colours


def nice(name: str) -> str:
    """A scenario name for people: ``bridge_funding`` → ``Bridge funding``."""
    text = name.replace("_", " ")
    return text[:1].upper() + text[1:]
