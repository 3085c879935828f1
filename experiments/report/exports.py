"""Spreadsheet exports of a comparison: a wide CSV and an ``.xlsx`` workbook, one row per policy.

``decision.csv`` is the ranked decision table with numbers (not formatted text) under
headers that carry the label and the unit; ``effects_wide.csv`` has every effect of
every policy on one row. ``decision.xlsx`` (openpyxl) holds one sheet per table:
Decision, Effects, and Cost-effectiveness, Acceptability, Reach where the folder has them.
Shares are exported in percentage points (changes), money in pounds.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import pandas as pd

from experiments.plots.palette import nice
from experiments.report.decision import COLUMNS, DecisionRow
from experiments.report.extras import Extras
from model import outcomes

DECISION_CSV, EFFECTS_CSV, WORKBOOK = "decision.csv", "effects_wide.csv", "decision.xlsx"


def _header(column: str, names: dict[str, str] | None = None) -> str:
    header, unit = COLUMNS[column]
    header = (names or {}).get(column, header)
    return f"{header} ({unit})" if unit else header


def decision_frame(rows: list[DecisionRow], names: dict[str, str] | None = None) -> pd.DataFrame:
    """The decision table as numbers: numeric columns carry the value the page sorts by; word columns carry the words."""
    out = []
    for rank, r in enumerate(rows, start=1):
        rec: dict[str, object] = {"Rank": rank if not r.what_if else None, "Policy": r.title, "Kind": "what if" if r.what_if else "policy"}
        for key, cell in r.cells.items():
            if key in ("gaps", "sure"):
                rec[_header(key)] = cell.text
            elif key == "displaced":
                rec["Change in entrants hired (people)"] = cell.number
                rec["Who is displaced"] = cell.text
            elif key == "cohort":
                rec[_header(key, names)] = 100 * cell.number if math.isfinite(cell.number) else math.nan
            elif key == "p_ce":
                rec["Probability cost-effective (0-1)"] = cell.number
            else:
                rec[_header(key)] = cell.number
        out.append(rec)
    frame = pd.DataFrame(out)
    frame["Rank"] = frame["Rank"].astype("Int64")  # whole ranks; empty for a what-if
    return frame


def effects_wide(effects: pd.DataFrame) -> pd.DataFrame:
    """Every effect of every scenario on one row: change, 95% low and high, in the unit named in the header."""
    rows: dict[str, dict[str, object]] = {}
    for r in effects.itertuples():
        o = outcomes.get(r.metric)
        ratio = o.kind == outcomes.MONEY_RATIO
        unit, k = o.display_unit(difference=not ratio), o.scale
        row = rows.setdefault(r.scenario, {"Policy": nice(r.scenario)})
        row[f"{o.label} ({unit})"] = k * r.difference
        row[f"{o.label}, 95% low ({unit})"] = k * r.ci_low
        row[f"{o.label}, 95% high ({unit})"] = k * r.ci_high
    return pd.DataFrame(list(rows.values()))


def _labelled(frame: pd.DataFrame) -> pd.DataFrame:
    """An optional table with readable headers (ids kept where no label is declared)."""
    return frame.rename(columns={c: c.replace("_", " ") for c in frame.columns})


def write_exports(folder: Path, rows: list[DecisionRow], effects: pd.DataFrame, extras: Extras) -> list[Path]:
    """Write the wide CSVs and the workbook into ``folder`` (each atomically); returns their paths."""
    cohort = "10-year retention, fixed cohort" if "cohort_retention_10y" in set(effects["metric"]) else "10-year retention, entrants"
    decision, wide = decision_frame(rows, {"cohort": cohort}), effects_wide(effects)
    sheets = {"Decision": decision, "Effects": wide}
    for title, frame in (("Cost-effectiveness", extras.net_benefit), ("Acceptability", extras.ceac), ("Reach", extras.reach)):
        if frame is not None:
            sheets[title] = _labelled(frame)
    paths = []
    for name, frame in ((DECISION_CSV, decision), (EFFECTS_CSV, wide)):
        tmp = folder / f".{name}.tmp{os.getpid()}"
        frame.to_csv(tmp, index=False)
        os.replace(tmp, folder / name)
        paths.append(folder / name)
    tmp = folder / f".{WORKBOOK}.tmp{os.getpid()}"
    with pd.ExcelWriter(tmp, engine="openpyxl") as xl:
        for title, frame in sheets.items():
            frame.to_excel(xl, sheet_name=title, index=False)
            sheet = xl.sheets[title]
            for col in sheet.columns:  # wide enough to read the header
                sheet.column_dimensions[col[0].column_letter].width = min(max(len(str(col[0].value)) * 0.9, 10), 60)
            sheet.freeze_panes = "B2"
    os.replace(tmp, folder / WORKBOOK)
    paths.append(folder / WORKBOOK)
    return paths
