"""Policies plug in: the model reaches them only through hooks and never names one."""

import ast
from pathlib import Path
from typing import ClassVar, Literal

import numpy as np
from model_testing import small_config

from model.career_model import CareerModel
from model.policies import POLICIES, Policy, register

MODEL = Path(__file__).resolve().parents[2] / "model"


def test_the_model_never_names_a_policy():
    names = {cls.__name__ for cls in POLICIES.values()} | set(POLICIES)
    for path in MODEL.glob("*.py"):  # the model's core: everything but model/policies/
        for node in ast.walk(ast.parse(path.read_text())):
            named = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None
            said = node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None
            assert named not in names and said not in names, f"{path.name} names the policy {named or said!r}"


class GapStipend(Policy):
    """A policy written only against the hooks: £500 for every unpaid gap month (a test of the plug-in)."""

    policy_type: ClassVar[str] = "gap_stipend_for_test"
    type: Literal["gap_stipend_for_test"] = "gap_stipend_for_test"

    def gap_month(self, model, idx, unpaid):  # noqa: D102
        model.book(self.policy_type, "stipend_month", idx[unpaid], idx[unpaid], months=1.0, pounds=500.0)
        return unpaid.copy()


def test_a_new_policy_needs_nothing_in_the_model_but_its_registration():
    register(GapStipend)
    try:
        cfg = small_config(population=400, years=5)
        cfg = cfg.model_copy(update={"policies": [GapStipend()]})  # a scenario file would name it once imported in model/policies
        m = CareerModel(cfg, 3).run()
        months = int(m.pop.bridged_months[: m.pop.n].sum())
        assert months > 50  # the model paid the months the policy paid, as it does bridge funding
        reach = m.reach.table()
        top = reach[(reach["group"] == "all")].iloc[0]
        assert top["policy"] == "gap_stipend_for_test" and top["leakage_people"] == 0
        assert np.isclose(top["spend_gbp"], 500.0 * top["reached_person_months"])
        assert m.spend["gap_stipend_for_test"] > 0
    finally:
        POLICIES.pop(GapStipend.policy_type)
