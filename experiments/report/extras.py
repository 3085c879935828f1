"""Optional tables of a results folder that newer or richer commands write beside the core files.

``cost_effectiveness.csv`` (net monetary benefit form: one row per policy), ``ceac.csv``,
``frontier.csv``, ``reach.csv``, ``trajectories.csv``, ``effects_ensemble.csv`` (an
ensemble) and ``discovery/boxes.csv`` (scenario discovery). Each is read when present and readable; an
absent one leaves its part of the report out with a sentence saying why, never a crash.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

NMB_COLUMNS = {"policy", "nmb", "nmb_low", "nmb_high", "p_cost_effective", "wtp"}


def table(folder: Path, name: str, needs: set[str] | frozenset[str] = frozenset()) -> pd.DataFrame | None:
    """``folder/name`` as a table when it exists, parses and has the ``needs`` columns; else None."""
    path = folder / name
    if not path.is_file():
        return None
    try:
        frame = pd.read_csv(path)
    except (OSError, ValueError, pd.errors.ParserError):
        return None
    return frame if needs <= set(frame.columns) else None


@dataclass
class Extras:
    """The optional tables found in a results folder (None where absent)."""

    net_benefit: pd.DataFrame | None = None  # one row per policy: incremental cost and researcher-years, NMB, P(cost-effective)
    ceac: pd.DataFrame | None = None
    frontier: pd.DataFrame | None = None
    reach: pd.DataFrame | None = None
    trajectories: pd.DataFrame | None = None
    ensemble: pd.DataFrame | None = None
    discovery: list[str] | None = None

    @property
    def wtp(self) -> float | None:
        """The default willingness to pay per researcher-year the net benefits were computed at."""
        if self.net_benefit is None or self.net_benefit.empty:
            return None
        return float(self.net_benefit["wtp"].iloc[0])


def _discovery(folder: Path) -> list[str] | None:
    """The plain sentences of a scenario discovery run on this folder (``hsr-careers discover``: discovery/boxes.csv)."""
    boxes = table(folder / "discovery", "boxes.csv", {"description"})
    return [str(s) for s in boxes["description"].dropna()] or None if boxes is not None else None


def load_extras(folder: Path) -> Extras:
    """Every optional table of ``folder`` that is present and readable."""
    return Extras(
        net_benefit=table(folder, "cost_effectiveness.csv", NMB_COLUMNS),
        ceac=table(folder, "ceac.csv", {"policy", "wtp", "p_cost_effective"}),
        frontier=table(folder, "frontier.csv", {"policy", "status"}),
        reach=table(folder, "reach.csv"),
        trajectories=table(folder, "trajectories.csv", {"scenario", "measure", "year", "mean", "ci_low", "ci_high"}),
        ensemble=table(folder, "effects_ensemble.csv", {"scenario", "metric", "p_intended_sign", "parameter_share"}),
        discovery=_discovery(folder),
    )
