"""Researcher agents created and removed in bulk, registered with Mesa as ``Agent.__init__`` does.

Mesa registers an agent one call at a time (``Agent.__init__`` → ``register_agent``,
which emits an ``AGENT_ADDED`` signal and formats a log message per agent). The model
adds hundreds of researchers at once, so these functions do the same registration for
a whole cohort: the agent's ``model``, ``unique_id`` (from the model's counter) and
``pos``, and its place in ``model.agents`` and ``model.agents_by_type``. When anything
listens for Mesa's agent signals, or a data registry tracks researchers, they fall back
to Mesa's own per-agent calls so every signal is still sent.

The bulk path writes Mesa's private registries (``Model._all_agents``,
``Model._agents_by_type``, ``mesa.agentset._HardKeyAgentSet``), which Mesa does not
promise to keep: pyproject.toml pins Mesa to the 3.5 series, and
``tests/model/test_agents_mesa_internals.py`` fails if those internals change or the
bulk path stops matching Mesa's own registration.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

import numpy as np
from mesa.agentset import _HardKeyAgentSet
from mesa.model import ModelSignals

from model.researcher import Researcher

if TYPE_CHECKING:
    from model.career_model import CareerModel


def _observed(model: CareerModel, signal: ModelSignals) -> bool:
    return bool(Researcher._datasets) or model._has_subscribers("agents", signal)


def _by_id(model: CareerModel, ids: np.ndarray) -> np.ndarray:
    """``model.agents_by_id``, grown to hold ``ids`` if needed."""
    table = model.agents_by_id
    top = int(ids.max()) + 1
    if top > len(table):
        grown = np.full(max(top, 2 * len(table)), None, dtype=object)
        grown[: len(table)] = table
        model.agents_by_id = table = grown
    return table


def add_agents(model: CareerModel, ids: np.ndarray) -> None:
    """One registered ``Researcher`` per id in ``ids`` (kept in ``model.agents_by_id``)."""
    if len(ids) == 0:
        return
    table = _by_id(model, ids)
    rows = ids
    ids = ids.tolist()
    if _observed(model, ModelSignals.AGENT_ADDED):
        table[rows] = np.fromiter((Researcher(model, i) for i in ids), dtype=object, count=len(ids))
        return
    first = model.agent_id_counter
    new = object.__new__
    agents = []
    # A cohort is thousands of long-lived objects: the cyclic collector's passes over
    # them (triggered by the allocations themselves) would cost more than creating them.
    paused = gc.isenabled()
    gc.disable()
    try:
        for k, i in enumerate(ids):
            # Attributes set one by one, as Agent.__init__ does, so they live inline in the
            # object (a replaced __dict__ would be a second object to allocate and free).
            a = new(Researcher)
            a.model = model
            a.unique_id = first + k
            a.pos = None
            a.researcher_id = i
            agents.append(a)
    finally:
        if paused:
            gc.enable()
    model.agent_id_counter = first + len(agents)
    cohort = dict.fromkeys(agents)  # one key set for both of Mesa's registries
    model._all_agents._agents.update(cohort)
    by_type = model._agents_by_type.get(Researcher)
    if by_type is None:
        model._agents_by_type[Researcher] = _HardKeyAgentSet(agents, random=model.random)
    else:
        by_type._agents.update(cohort)
    table[rows] = np.fromiter(agents, dtype=object, count=len(agents))  # fromiter: no probing of the objects


def remove_agents(model: CareerModel, ids: np.ndarray) -> None:
    """Deregister the agents of researchers ``ids`` (as ``Agent.remove`` does)."""
    table = model.agents_by_id
    agents = table[ids].tolist()
    table[ids] = None
    if _observed(model, ModelSignals.AGENT_REMOVED):
        for a in agents:
            a.remove()
        return
    everyone = model._all_agents._agents
    of_type = model._agents_by_type[Researcher]._agents
    for a in agents:
        del everyone[a]
        del of_type[a]
