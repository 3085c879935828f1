"""Moving between sectors, cross-sector links, and belonging in joint NHS–academic posts.

*Moves.* Researchers in post move between university, NHS and third-sector research posts
at a yearly rate ``move_rate × (1 + link_effect × cross_access)``, and a share
``divert_max × cross_access`` of those who would leave research for another sector find
a research post in another sector instead. ``cross_access = min(1, ties to researchers in
another sector / network.tacit_reference_ties)``: links across sectors open the moves.
A move is a new post (contract drawn as for any new post) at an employer of the new
sector (the new sector chosen in proportion to the sectors' entry shares); the line
manager is found afresh next year; a joint post ends.

*Belonging.* A joint NHS–academic post carries a belonging state in [0, 1] (the report's
"fragmented career identities"). It starts at ``belonging_start`` and each year moves
``belonging_rate`` of the way to ``belonging_floor + (1 − belonging_floor) × balance +
fx.belonging_support``, where ``balance = 2·min(h, u) / (h + u)`` compares ties in the home
sector (``h``) and in universities (``u``): an identity anchored in both communities. The
joint post's identity cost is paid in proportion to ``1 − belonging`` (satisfaction), and
low belonging raises the hazard of leaving for another sector.

The functions touching ties (``ties_by_sector``, ``cross_ties``, ``link``) are the only ones
here that read or change the network; they work on small sets of researchers (movers,
joint-post holders), drawn first by thinning so the yearly cost stays small.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model.population import UNIVERSITY

if TYPE_CHECKING:
    from model.career_model import CareerModel


# ----- the network, through a narrow interface ----------------------------------------
def ties_by_sector(model: CareerModel, idx: np.ndarray) -> np.ndarray:
    """Ties of each of ``idx`` (distinct ids) to active researchers in each sector: an array of shape (len(idx), 3)."""
    if len(idx) == 0:
        return np.zeros((0, 3), dtype=np.int64)
    owner, nbr = model.network.neighbour_pairs(idx)
    return np.bincount(owner * 3 + model.pop.sector[nbr], minlength=3 * len(idx)).reshape(len(idx), 3)


def cross_ties(model: CareerModel, idx: np.ndarray) -> np.ndarray:
    """Number of ties each of ``idx`` has to researchers in another sector."""
    counts = ties_by_sector(model, idx)
    return counts.sum(axis=1) - counts[np.arange(len(idx)), model.pop.sector[idx]]


def link(model: CareerModel, a: np.ndarray, b: np.ndarray) -> None:
    """Form ties (a[k], b[k]) where they do not exist yet."""
    keep = a != b
    if keep.any():
        model.network._add_edges(a[keep], b[keep])


# ----- moves ---------------------------------------------------------------------------
def cross_access(model: CareerModel, idx: np.ndarray) -> np.ndarray:
    """Access to other sectors through ties, in [0, 1]."""
    return np.minimum(1.0, cross_ties(model, idx) / model.params.network.tacit_reference_ties)


def diverted(model: CareerModel, idx: np.ndarray) -> np.ndarray:
    """Which of ``idx`` (about to leave for another sector) take a research post in another sector instead."""
    if len(idx) == 0 or model.params.sectors.divert_max == 0:
        return np.zeros(len(idx), dtype=bool)
    p = model.params.sectors.divert_max * cross_access(model, idx)
    return model.streams.uniform("divert_to_sector", idx, model.year) < p


def movers(model: CareerModel, idx: np.ndarray) -> np.ndarray:
    """Which of ``idx`` (staying, in post) move to another sector's research post this year (thinned draw)."""
    s = model.params.sectors
    top = s.move_rate * (1.0 + s.link_effect)
    out = np.zeros(len(idx), dtype=bool)
    u = model.streams.uniforms("sector_move", idx, model.year, 2)  # a candidate at the top rate; thinned to their own rate
    cand = np.flatnonzero(u[:, 0] < top)
    if len(cand):
        rate = s.move_rate * (1.0 + s.link_effect * cross_access(model, idx[cand]))
        out[cand[u[cand, 1] < rate / top]] = True
    return out


def move(model: CareerModel, idx: np.ndarray) -> None:
    """Researchers ``idx`` move to a research post in another sector (chosen in proportion to the sectors' entry shares).

    Funded posts are pooled across sectors (``model.posts``), so a move swaps one post for
    another: the mover keeps their contract and its end, and the count of posts is unchanged.
    """
    if len(idx) == 0:
        return
    pop = model.pop
    u = model.streams.uniforms("sector_move_to", idx, model.year, 2)  # the sector; the employer in it
    pp = model.params.population
    shares = np.array([pp.share_university, pp.share_nhs, max(0.0, 1.0 - pp.share_university - pp.share_nhs)]) + 1e-9
    weight = np.repeat(shares[None, :], len(idx), axis=0)
    weight[np.arange(len(idx)), pop.sector[idx]] = 0.0
    cum = np.cumsum(weight, axis=1)
    new = (u[:, :1] * cum[:, -1:] >= cum).sum(axis=1).astype(np.int8)
    pop.sector[idx] = new
    pop.employer[idx] = model.employers.draw(new, u[:, 1])
    pop.manager[idx] = -1
    pop.joint_post[idx] = False
    pop.belonging[idx] = -1.0
    # Applied with the departures at the network's next flush (it grows next; no one leaves before).
    model.network.changed_insider(pop.refresh_insider(idx), later=True)
    model.counts["sector_moves"] += len(idx)
    model.log(idx, "sector_move")


# ----- belonging in joint posts ---------------------------------------------------------
def update_belonging(model: CareerModel, idx: np.ndarray) -> None:
    """Yearly belonging of the joint-post holders among ``idx``."""
    pop, s = model.pop, model.params.sectors
    joint = idx[pop.joint_post[idx]]
    if len(joint) == 0:
        return
    fresh = joint[pop.belonging[joint] < 0]
    pop.belonging[fresh] = s.belonging_start
    counts = ties_by_sector(model, joint)
    h = counts[np.arange(len(joint)), pop.sector[joint]]
    u = counts[:, UNIVERSITY]
    balance = np.where(h + u > 0, 2.0 * np.minimum(h, u) / np.maximum(h + u, 1), 0.0)
    target = np.minimum(1.0, s.belonging_floor + (1.0 - s.belonging_floor) * balance + model.fx.belonging_support)
    pop.belonging[joint] += s.belonging_rate * (target - pop.belonging[joint])


def strain(model: CareerModel, idx: np.ndarray) -> np.ndarray:
    """How far each of ``idx`` holds a joint post without belonging: ``joint_post × (1 − belonging)``."""
    pop = model.pop
    return pop.joint_post[idx] * (1.0 - np.clip(pop.belonging[idx], 0.0, 1.0))


def identity_cost(model: CareerModel, idx: np.ndarray, low: np.ndarray | None = None) -> np.ndarray:
    """Latent satisfaction points a joint post's fragmented identity costs (in proportion to 1 − belonging; ``low``: ``strain`` if known)."""
    return model.fx.joint_identity_cost * (strain(model, idx) if low is None else low)


def other_sector_multiplier(model: CareerModel, idx: np.ndarray, low: np.ndarray | None = None) -> np.ndarray:
    """Hazard ratio on leaving for another sector: raised for joint-post holders with low belonging (``low``: ``strain`` if known)."""
    return 1.0 + model.params.sectors.belonging_exit_effect * (strain(model, idx) if low is None else low)
