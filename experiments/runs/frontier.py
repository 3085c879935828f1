"""The efficiency frontier across compared options: dominance and extended dominance.

Options are points (mean extra discounted cost, mean extra discounted employed
researcher-years) against the baseline, which is itself the point (0, 0). An option is
**dominated** when another costs no more and gives no fewer years, and is strictly better
on one of the two. Among the rest, sorted by effect, an option is **extendedly dominated**
when its incremental cost-effectiveness ratio (ICER) against the next cheaper option
exceeds that of the next more effective one: a mix of its two neighbours would give more
years for the same money (Drummond et al., *Methods for the Economic Evaluation of Health
Care Programmes*, 4th ed., ch. 4). What remains is the **frontier**; each frontier option
carries its ICER against the previous one (empty for the first). Options at the same point
share a status.
"""

from __future__ import annotations

import math

import pandas as pd

FRONTIER, DOMINATED, EXTENDED = "frontier", "dominated", "extendedly dominated"
FRONTIER_COLUMNS = ["policy", "status", "icer_on_frontier"]


def _dominated(p: tuple[float, float], points: list[tuple[float, float]]) -> bool:
    cost, years = p
    return any(c <= cost and y >= years and (c < cost or y > years) for c, y in points)


def efficiency_frontier(options: dict[str, tuple[float, float]]) -> pd.DataFrame:
    """Status and ICER on the frontier of every option ``name -> (cost, effect)`` (finite values only)."""
    points = sorted({v for v in options.values() if all(math.isfinite(x) for x in v)}, key=lambda p: (p[1], p[0]))
    status = {p: DOMINATED for p in points if _dominated(p, points)}
    rest = [p for p in points if p not in status]  # sorted by effect, so also by cost (none dominated)
    changed = True
    while changed:
        changed = False
        icers = [(rest[i][0] - rest[i - 1][0]) / (rest[i][1] - rest[i - 1][1]) for i in range(1, len(rest))]
        for i in range(len(icers) - 1):
            if icers[i] > icers[i + 1]:  # rest[i + 1] costs more per year than the option beyond it
                status[rest[i + 1]] = EXTENDED
                rest.pop(i + 1)
                changed = True
                break
    icer = {p: math.nan for p in rest}
    for prev, cur in zip(rest, rest[1:], strict=False):
        icer[cur] = (cur[0] - prev[0]) / (cur[1] - prev[1])
    rows = []
    for name, p in options.items():
        if p not in icer and p not in status:
            rows.append((name, "not on the plane (no finite mean)", math.nan))
        else:
            rows.append((name, status.get(p, FRONTIER), icer.get(p, math.nan)))
    return pd.DataFrame(rows, columns=FRONTIER_COLUMNS)
