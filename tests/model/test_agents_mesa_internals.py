"""model/agents.py registers cohorts through Mesa internals: this fails when those internals change.

The bulk path (``add_agents``/``remove_agents``) writes Mesa's registries directly
(``Model._all_agents._agents``, ``Model._agents_by_type``, ``agent_id_counter``,
``mesa.agentset._HardKeyAgentSet``) instead of calling ``Agent.__init__`` per agent.
pyproject.toml pins Mesa to the minor series this was written against; these tests
check that the bulk path leaves a model exactly as Mesa's own per-agent calls do, so
a Mesa upgrade that changes the internals is caught here rather than in results.
"""

from __future__ import annotations

import mesa
import numpy as np
from mesa.agentset import _HardKeyAgentSet
from model_testing import small_config

from model import agents
from model.career_model import CareerModel
from model.researcher import Researcher


def _fresh(n: int = 50) -> CareerModel:
    return CareerModel(small_config(population=n, years=1, burn_in=0), 3)


def test_the_private_names_the_bulk_path_uses_exist():
    m = _fresh()
    assert isinstance(m._all_agents, _HardKeyAgentSet) and isinstance(m._all_agents._agents, dict)
    assert isinstance(m._agents_by_type, dict) and isinstance(m._agents_by_type[Researcher], _HardKeyAgentSet)
    assert isinstance(m.agent_id_counter, int)
    assert callable(m._has_subscribers)
    assert hasattr(mesa.model.ModelSignals, "AGENT_ADDED") and hasattr(mesa.model.ModelSignals, "AGENT_REMOVED")
    assert hasattr(Researcher, "_datasets")


def test_bulk_registration_equals_mesas_own():
    bulk, own = _fresh(), _fresh()
    ids = np.arange(bulk.pop.n, bulk.pop.n + 7)
    counter = bulk.agent_id_counter
    agents.add_agents(bulk, ids)
    made = [Researcher(own, int(i)) for i in ids]  # Mesa's Agent.__init__ → register_agent
    assert bulk.agent_id_counter == own.agent_id_counter == counter + 7
    new_bulk = [bulk.agents_by_id[i] for i in ids]
    assert [a.unique_id for a in new_bulk] == [a.unique_id for a in made]
    assert [a.researcher_id for a in new_bulk] == [a.researcher_id for a in made]
    for m in (bulk, own):
        assert len(m.agents) == len(m.agents_by_type[Researcher])
    assert len(bulk.agents) == len(own.agents)
    assert all(a in bulk.agents for a in new_bulk) and all(a in bulk.agents_by_type[Researcher] for a in new_bulk)
    # Removal: the bulk path and Mesa's Agent.remove leave the same registries.
    agents.remove_agents(bulk, ids[:3])
    for a in made[:3]:
        a.remove()
    assert len(bulk.agents) == len(own.agents) and len(bulk.agents_by_type[Researcher]) == len(own.agents_by_type[Researcher])
    assert not any(a in bulk.agents for a in new_bulk[:3])
    # Mesa's own removal still works on an agent the bulk path registered.
    new_bulk[3].remove()
    assert new_bulk[3] not in bulk.agents and new_bulk[3] not in bulk.agents_by_type[Researcher]
