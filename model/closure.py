"""How the labour market closes: a declared structural assumption (DESIGN.md §9).

Three closures, selected by two declared parameters (both 0 by default):

- **0, an endless queue** (the default, and the model before this choice was declared):
  every vacancy is open to anyone searching, and outside applicants are always there, so
  a researcher kept in research takes a post someone else would have had.
- **above 0, roles that need experience**: that share of the employer establishment is
  roles only an experienced (mid-career or senior) researcher can fill, such as leading
  a team or a programme of grants. Outside applicants and early-career researchers
  cannot take them; a role with no experienced candidate stays vacant until one comes.
  Experienced researchers are then not interchangeable with new entrants, and losing
  one can lose the post's work ("talent loss" in the HSR UK report).

- **``posts.grant_lead_elasticity`` above 0, grant income that depends on the senior
  workforce**: grants are won by experienced researchers who lead bids, so the year's
  grant income is the envelope × climate × (experienced researchers in research now /
  their number after the first year) to that power. Keeping an experienced researcher
  then brings money for posts, not only a claim on one.

Each establishment post is labelled when it is filled: while fewer experienced roles are
held than ``experience_roles × establishment``, a vacancy is an experienced role.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model.population import MID

if TYPE_CHECKING:
    from model.career_model import CareerModel
    from model.posts import Posts


def experienced_vacancies(posts: Posts, est_slots: int) -> int:
    """How many of ``est_slots`` establishment vacancies are roles that need experience."""
    target = int(round(posts.model.params.posts.experience_roles * posts.establishment))
    return max(0, min(est_slots, target - posts.filled_experienced))


def pick_establishment(posts: Posts, candidates: np.ndarray, weight: np.ndarray, est_slots: int, draw) -> np.ndarray:
    """Positions in ``candidates`` given establishment posts: experienced roles to experienced candidates first, then open ones.

    ``draw(kind, ids, log_weight, k)`` is the scored draw without replacement (positions in
    ``ids``; ``kind`` names the decision: "establishment", or "experienced" for the roles
    that need experience); experienced roles nobody can fill stay vacant. The chosen for an
    experienced role are labelled.
    """
    model: CareerModel = posts.model
    k_exp = experienced_vacancies(posts, est_slots)
    if k_exp == 0:
        return draw("establishment", candidates, weight, est_slots)
    pop = model.pop
    experienced = pop.alive[candidates] & (pop.stage[candidates] >= MID)
    w_exp = np.where(experienced, weight, -np.inf)
    first = draw("experienced", candidates, w_exp, k_exp)
    rest = np.ones(len(candidates), dtype=bool)
    rest[first] = False
    others = np.flatnonzero(rest)
    second = others[draw("establishment", candidates[others], weight[others], est_slots - k_exp)]
    pop.experienced_role[candidates[first]] = True
    posts.filled_experienced += len(first)
    return np.concatenate([first, second])


def release(posts: Posts, held: np.ndarray) -> None:
    """Holders ``held`` leave their posts: experienced roles among them become vacant again."""
    pop = posts.model.pop
    was = held[pop.experienced_role[held]]
    if len(was):
        posts.filled_experienced -= len(was)
        pop.experienced_role[was] = False


def grant_factor(posts: Posts) -> float:
    """This year's grant income relative to the envelope, from the experienced workforce (1 under the default closure)."""
    e = posts.model.params.posts.grant_lead_elasticity
    if e == 0:
        return 1.0
    pop = posts.model.pop
    n = pop.n
    leads = int(np.count_nonzero(pop.alive[:n] & (pop.stage[:n] >= MID)))
    ref = posts.__dict__.get("lead_reference")
    if ref is None:  # the first year with researchers sets the reference (before it, nobody is there)
        if leads == 0:
            return 1.0
        ref = posts.__dict__["lead_reference"] = leads
    return (leads / ref) ** e
