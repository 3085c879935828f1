"""Policy levers: small registered classes, one per file, one per report recommendation.

``base.py`` holds the ``Policy`` class, its hooks (the only way the model reaches a
policy) and the registry. Each policy file defines one class decorated with
``@register``; importing it below is its registration, and then a scenario can name it
by ``type``. See ``docs/architecture.md``, "How to add a policy".
"""

# ruff: noqa: I001  (registration order is the order of the schema and the docs, not alphabetical)
from typing import Annotated, Union

from pydantic import Field

from model.policies.base import HOOKS, POLICIES, Effects, Policy, register

# Registration: one import per policy (the order is the order of the schema and the docs).
from model.policies.bridge_funding import BridgeFunding
from model.policies.open_ended_contracts import OpenEndedContracts
from model.policies.fair_mentoring import FairMentoring
from model.policies.disability_adjustments import DisabilityAdjustments
from model.policies.caring_support import CaringSupport
from model.policies.hardship_support import HardshipSupport
from model.policies.protected_time import ProtectedTime
from model.policies.inclusive_leadership import InclusiveLeadership
from model.policies.joint_posts import JointPosts
from model.policies.consistent_management import ConsistentManagement
from model.policies.cross_sector import CrossSectorNetworks

PolicySpec = Annotated[
    Union[tuple(POLICIES.values())],  # type: ignore[valid-type]  # noqa: UP007
    Field(discriminator="type"),
]

__all__ = [
    "HOOKS", "POLICIES", "BridgeFunding", "CaringSupport", "ConsistentManagement", "CrossSectorNetworks",
    "DisabilityAdjustments", "Effects", "FairMentoring", "HardshipSupport", "InclusiveLeadership", "JointPosts",
    "OpenEndedContracts", "Policy", "PolicySpec", "ProtectedTime", "register",
]  # fmt: skip
