"""The policy base class, its hooks and the registry.

A policy is a validated parameter set (pydantic) plus hooks the model calls on every
active policy; the model never names a policy class. A hook a policy does not override
is never called (``Policy.uses``), so an idle hook costs nothing on the monthly path.

Hooks, in the order they run:

- ``apply_effects(fx)`` — each year it is active: adjust the year's shared ``Effects``
  (effect sizes the agents read on their hot paths);
- ``start_of_year(model)`` — each year, after the effects: assign
  people, reset budgets, book per-head costs;
- ``after_mentoring(model)`` — each year, once researchers have found informal mentors
  through their own networks (a formal scheme matches those still without one);
- ``gap_month(model, idx, unpaid)`` — each month, for researchers ``idx`` in a gap:
  return which of them (among ``unpaid``, not yet paid by another policy) this
  policy pays the month for;
- ``safety_net_gone(model, idx)`` — each month, for researchers in an unpaid gap month
  whose safety net has run out (the model reads their nets again afterwards);
- ``funding_end(model, idx)`` — when open-ended posts' funding ends without a new post:
  return the ids of ``idx`` the policy keeps employed (the rest are made redundant);
- ``yearly_review(model, idx)`` — at the end of the yearly review, before redundancies;
- ``redundancy(model, idx)`` — permanent staff facing redundancy: return the ids kept.

Every policy books what it does, in the year it does it, with ``model.book(...)``: who
was eligible, who was reached, months and pounds each (``model/reach.py``); that call
also books the spending. A policy declares in ``adds`` what it adds to the labour
market (salary months, posts, or nothing; see ``model/posts.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from model.parameters import check_known_keys, no_bools

if TYPE_CHECKING:
    from model.career_model import CareerModel

HOOKS = ("apply_effects", "start_of_year", "after_mentoring", "gap_month", "safety_net_gone", "funding_end", "yearly_review", "redundancy")


@dataclass
class Effects:
    """This year's policy effects that agents read on their hot paths (neutral by default)."""

    caring_relief: float = 0.0  # share of caring penalties removed
    protected_promotion: float = 0.0
    protected_renewal: float = 0.0
    protected_satisfaction: float = 0.0
    joint_renewal: float = 0.0
    joint_identity_cost: float = 0.0
    belonging_support: float = 0.0  # added to joint-post holders' belonging target (cross-sector structures)
    manager_consistency: float = 0.0  # weight of the trained standard in a trained manager's support
    manager_standard: float = 0.0  # support a trained manager gives at full consistency


POLICIES: dict[str, type[Policy]] = {}


def register(cls: type[Policy]) -> type[Policy]:
    """Add a policy class to the registry under its ``type`` name."""
    POLICIES[cls.policy_type] = cls
    return cls


class Policy(BaseModel):
    """Base policy: a start year, per-run state, and hooks that do nothing by default."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    policy_type: ClassVar[str] = ""
    report_heading: ClassVar[str] = ""
    # What the policy adds to the labour market: "salary_months" (pays salary but creates no
    # post), "posts" (funds posts others can be hired to) or "nothing". Only posts add jobs:
    # a retention policy that adds none keeps people in research at others' expense.
    adds: ClassVar[str] = "nothing"

    start_year: int = Field(0, ge=-200, le=500, description="First reported year the policy is in force (0 = from the start of the horizon).")
    _budget_left: float = PrivateAttr(0.0)

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data: Any) -> Any:
        return no_bools(cls, check_known_keys(cls, data))

    def active(self, year: int) -> bool:
        """Whether the policy is in force in ``year``."""
        return year >= self.start_year

    @classmethod
    def uses(cls, hook: str) -> bool:
        """Whether this policy overrides ``hook`` (the model calls only those)."""
        return getattr(cls, hook) is not getattr(Policy, hook)

    # ----- hooks (see the module docstring) -------------------------------------------
    def apply_effects(self, fx: Effects) -> None:
        """Adjust this year's effects (called once a year while active)."""

    def start_of_year(self, model: CareerModel) -> None:
        """Yearly bookkeeping: assignments, budgets, per-head costs."""

    def after_mentoring(self, model: CareerModel) -> None:
        """Yearly, after informal mentors are found."""

    def gap_month(self, model: CareerModel, idx: np.ndarray, unpaid: np.ndarray) -> np.ndarray:
        """Which gap months of ``idx`` (a mask over ``idx``, within ``unpaid``) this policy pays."""
        return np.zeros(len(idx), dtype=bool)

    def safety_net_gone(self, model: CareerModel, idx: np.ndarray) -> None:
        """Researchers ``idx`` in an unpaid gap month have run out of safety net."""

    def funding_end(self, model: CareerModel, idx: np.ndarray) -> np.ndarray:
        """Open-ended posts ``idx`` lost their funding and found no new post: the ids kept employed."""
        return idx[:0]

    def yearly_review(self, model: CareerModel, idx: np.ndarray) -> None:
        """End of the yearly review of researchers ``idx`` still in research, before redundancies."""

    def redundancy(self, model: CareerModel, idx: np.ndarray) -> np.ndarray:
        """Permanent staff ``idx`` face redundancy: the ids kept employed."""
        return idx[:0]
