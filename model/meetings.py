"""Who meets whom: the random meetings from which ties form, drawn from the run's streams.

Every draw is keyed by the researcher who meets (``model/streams.py``), so a
researcher's meetings in a year — how many, the uniform that picks each partner, and
the uniform that decides whether a meeting becomes a tie — are the same in every
scenario. Which *person* a partner uniform lands on depends on the pool (the list of
researchers active then): a policy that changes who is in research moves the partner
of a given uniform. Homophily is applied in ``SocialNetwork`` (``accept``).

Decisions (step: the year): ``meet_at_entry`` and ``meet_at_entry_accept`` (a
newcomer's ``4 × ties_at_entry`` meetings, draw ``j`` for meeting ``j``),
``meet_count``, ``meet_partner`` and ``meet_accept`` (the year's meetings),
``joint_post_ties`` (the insiders a new joint post links to).
"""

from __future__ import annotations

import math

import numpy as np

from model.streams import Streams


def _on(pool: np.ndarray, u: np.ndarray) -> np.ndarray:
    """The member of ``pool`` a uniform ``u`` lands on."""
    return pool[np.minimum((u * len(pool)).astype(np.int64), len(pool) - 1)]


def at_entry(streams: Streams, new: np.ndarray, pool: np.ndarray, meetings: int, step: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each of ``new`` meets ``meetings`` members of ``pool``: (who, whom, acceptance uniforms), newcomer by newcomer."""
    a = np.repeat(new, meetings)
    b = _on(pool, streams.uniforms("meet_at_entry", new, step, meetings).ravel())
    return a, b, streams.uniforms("meet_at_entry_accept", new, step, meetings).ravel()


def poisson_counts(u: np.ndarray, mean: float) -> np.ndarray:
    """Poisson(``mean``) counts by inversion of uniforms ``u`` (so one uniform per researcher gives their count)."""
    if mean <= 0:
        return np.zeros(len(u), dtype=np.int64)
    top = int(mean + 12 * math.sqrt(mean) + 12)
    k = np.arange(top + 1)
    pmf = np.exp(k * math.log(mean) - mean - np.array([math.lgamma(i + 1) for i in k]))
    cdf = np.cumsum(pmf)
    return np.minimum(np.searchsorted(cdf, u, side="right"), top)


def yearly(streams: Streams, alive: np.ndarray, rate: float, step: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The year's meetings: each of ``alive`` starts Poisson(``rate``) meetings with random members of ``alive``.

    About ``rate × len(alive)`` meetings in all, as many random pairs would give, but
    each researcher's count and partner uniforms are their own draws.
    """
    counts = poisson_counts(streams.uniform("meet_count", alive, step), rate)
    most = int(counts.max(initial=0))
    if most == 0:
        return alive[:0], alive[:0], np.zeros(0)
    meets = np.flatnonzero(counts)
    who, n = alive[meets], counts[meets]
    taken = np.arange(most)[None, :] < n[:, None]
    b = _on(alive, streams.uniforms("meet_partner", who, step, most)[taken])
    return np.repeat(who, n), b, streams.uniforms("meet_accept", who, step, most)[taken]


def distinct_draws(u: np.ndarray, n: int, k: int) -> np.ndarray:
    """Per row of uniforms ``u`` (shape rows × 2k), ``k`` distinct positions in ``range(n)`` in random order (rows × k).

    Floyd's algorithm, one step for every row at once, on columns ``0..k-1``; columns
    ``k..2k-1`` put each row's sample in random order.
    """
    rows = len(u)
    out = np.empty((rows, k), dtype=np.int64)
    for j, top in enumerate(range(n - k, n)):
        r = np.minimum((u[:, j] * (top + 1)).astype(np.int64), top)
        taken = (out[:, :j] == r[:, None]).any(axis=1)
        out[:, j] = np.where(taken, top, r)
    return np.take_along_axis(out, u[:, k : 2 * k].argsort(axis=1), axis=1)


def joint_post_partners(streams: Streams, holders: np.ndarray, insiders: np.ndarray, k: int, step: int) -> np.ndarray:
    """``k`` distinct insiders for each new joint-post holder (rows × k)."""
    return insiders[distinct_draws(streams.uniforms("joint_post_ties", holders, step, 2 * k), len(insiders), k)]
