"""The researcher: a Mesa agent that is a view onto its row of the population columns.

State lives in ``model.pop`` (see ``model/population.py``) so the yearly review and
the monthly processes run as vector operations; the agent gives notebooks, the app
and tests the familiar object interface (``r.stage``, ``r.contract``, ``r.mentor``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from model.parameters import CONTRACTS, EXIT_REASONS, SECTORS, STAGES

if TYPE_CHECKING:
    from model.career_model import CareerModel

_CODED = {"stage": STAGES, "entry_stage": STAGES, "sector": SECTORS, "entry_sector": SECTORS, "contract": CONTRACTS}


class Researcher(mesa.Agent):
    """One HSR researcher; ``researcher_id`` is its row in the population columns."""

    model: CareerModel

    def __init__(self, model: CareerModel, researcher_id: int) -> None:
        super().__init__(model)
        self.researcher_id = researcher_id

    def __getattr__(self, name: str):
        # Only called for names not found normally: read the researcher's column.
        if "model" not in self.__dict__ or name.startswith("_"):
            raise AttributeError(name)
        column = getattr(self.model.pop, name, None)
        if column is None:
            raise AttributeError(f"'Researcher' has no attribute '{name}'")
        value = column[self.researcher_id].item()
        if name in _CODED:
            return _CODED[name][value]
        if name == "exit_reason":
            return EXIT_REASONS[value] if value >= 0 else None
        return value

    @property
    def gender(self) -> str:
        """'woman' or 'man'."""
        return "woman" if self.model.pop.woman[self.researcher_id] else "man"

    @property
    def has_mentor(self) -> bool:
        """Whether the researcher has a mentor now."""
        return bool(self.model.pop.mentor[self.researcher_id] >= 0)
