"""The short terminal answer of a comparison: the ranked decision table and where the report and tables are.

At most about 40 lines whatever the number of policies (up to ~25): the long tables stay in
the files (``effects.csv``, ``decision.csv``, ``decision.xlsx``) and the page.
"""

from __future__ import annotations

from pathlib import Path

from experiments.report.build import REPORT_NAME, load
from experiments.report.decision import decision_rows
from experiments.report.exports import DECISION_CSV, WORKBOOK
from experiments.report.extras import load_extras

SHOWN = ("cost", "years", "cohort", "nmb", "p_ce")
HEADERS = {"cost": "cost a year", "years": "extra employed yrs", "cohort": "10-y retention", "nmb": "net benefit", "p_ce": "P(c-e)"}


def decision_text(folder: str | Path) -> str:
    """The ranked table of the comparison in ``folder`` as terminal lines, then where to read more."""
    res = load(folder)
    extras = load_extras(res.folder)
    rows, sort_words = decision_rows(res.effects, res.scenarios, res.policies, res.horizon, extras)  # type: ignore[arg-type]
    cols = [c for c in SHOWN if any(r.cells[c].text != "—" for r in rows)]
    name_w = max([len(r.title) for r in rows] + [6]) + 2
    widths = {c: max([len(HEADERS[c])] + [len(r.cells[c].text) for r in rows]) + 2 for c in cols}
    lines = [f"Options against {res.baseline.replace('_', ' ')} ({res.reps} paired replicates, {res.horizon} years; money discounted)",
             "   " + "policy".ljust(name_w) + "".join(HEADERS[c].rjust(widths[c]) for c in cols)]  # fmt: skip
    what_if_started = False
    for i, r in enumerate(rows, start=1):
        if r.what_if and not what_if_started:
            lines.append("what if (no policy lever):")
            what_if_started = True
        rank = "  " if r.what_if else f"{i:>2}"
        lines.append(f"{rank} " + r.title.ljust(name_w) + "".join(r.cells[c].text.rjust(widths[c]) for c in cols))
    tables = [res.folder / n for n in (DECISION_CSV, WORKBOOK, "effects.csv", "effects_ensemble.csv") if (res.folder / n).is_file()]
    lines += [sort_words, f"report: {res.folder / REPORT_NAME}", "tables: " + ", ".join(str(t) for t in tables)]
    return "\n".join(lines)
