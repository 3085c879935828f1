"""Common random numbers by construction: a draw is a function of (run seed, decision, step, researcher id).

Starsim gives each decision its own generator, advanced per time step and indexed by
each agent's permanent slot, so that an agent's draw for a decision does not depend on
who else is present (DESIGN.md §5; Klein et al. on noise-free intervention effects).
We go one step further with a counter-based hash: the uniform for researcher ``i`` in
decision ``d`` at step ``t`` is ``mix(salt(seed, d, t, draw) + i · φ)``, a SplitMix64
finaliser of the id under a salt that is itself a SplitMix64 mix of the run key, the
decision's CRC-32, the step and a draw index. Nothing is consumed, so no other
researcher, no other decision and no change in population order can shift it: a policy
that does not change researcher ``i``'s situation leaves every draw of ``i`` unchanged.

Rules for callers (``docs/ODD.md``, "Random numbers"):

- one decision name per random question (``"renewal"``, ``"gap_exit"``…);
- ``step`` is the month (``model.month``) for monthly processes and the year for yearly ones;
- if one researcher needs two draws for one decision at one step, pass ``draw=0, 1, …``;
- model-level draws whose number does not depend on any policy (the funding climate,
  posts created) use ``generator(decision, step)``.

``CheckedStreams`` (for tests) refuses a second draw for the same researcher,
decision, step and draw index, which would silently correlate two decisions.
"""

from __future__ import annotations

import zlib

import numpy as np
from scipy import special

_MASK = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)
_G = np.uint64(_GOLDEN)
_TO_UNIT = 1.0 / (1 << 53)


def _mix64(x: int) -> int:
    """SplitMix64's finaliser on a Python int (the salt; one call per draw, not per researcher)."""
    x &= _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


_DECISION_CODES: dict[str, int] = {}


def _decision_code(decision: str) -> int:
    code = _DECISION_CODES.get(decision)
    if code is None:
        code = _DECISION_CODES[decision] = zlib.crc32(decision.encode())
    return code


class Streams:
    """The run's random decisions, keyed by (seed, decision, step, draw) and indexed by researcher id."""

    def __init__(self, seed: np.random.SeedSequence) -> None:
        # The key is derived from the seed's entropy and spawn key, never by consuming it.
        self.key = int(seed.generate_state(2, np.uint64)[0])
        self._seed = seed

    def salt(self, decision: str, step: int, draw: int = 0) -> int:
        """The 64-bit salt of one (decision, step, draw) triple."""
        x = _mix64(self.key ^ (_decision_code(decision) << 20))
        x = _mix64(x + (int(step) & 0xFFFFFFFF) * _GOLDEN)
        return _mix64(x + draw + 1)

    def uniform(self, decision: str, ids: np.ndarray, step: int, draw: int = 0) -> np.ndarray:
        """One uniform in [0, 1) for each researcher id in ``ids`` (the same id gives the same number)."""
        x = np.asarray(ids).astype(np.uint64) * _G
        x += np.uint64(self.salt(decision, step, draw))
        x ^= x >> _S30
        x *= _M1
        x ^= x >> _S27
        x *= _M2
        x ^= x >> _S31
        return (x >> _S11) * _TO_UNIT

    def uniforms(self, decision: str, ids: np.ndarray, step: int, draws: int) -> np.ndarray:
        """Draws ``0 .. draws-1`` for every id at once, shape ``(len(ids), draws)``: column ``j`` is ``uniform(..., draw=j)``.

        One vector pass instead of ``draws`` calls (a researcher's several meetings in a year).
        """
        salts = np.array([self.salt(decision, step, j) for j in range(draws)], dtype=np.uint64)
        x = np.asarray(ids).astype(np.uint64)[:, None] * _G
        x = x + salts[None, :]
        x ^= x >> _S30
        x *= _M1
        x ^= x >> _S27
        x *= _M2
        x ^= x >> _S31
        return (x >> _S11) * _TO_UNIT

    # ----- other distributions, by inversion of the same uniforms ---------------------
    def _open(self, decision: str, ids: np.ndarray, step: int, draw: int) -> np.ndarray:
        """Uniforms in (0, 1): safe for logs and inverse CDFs."""
        return self.uniform(decision, ids, step, draw) + 0.5 * _TO_UNIT

    def normal(self, decision: str, ids: np.ndarray, step: int, draw: int = 0) -> np.ndarray:
        """Standard normal draws (inverse CDF)."""
        return special.ndtri(self._open(decision, ids, step, draw))

    def exponential(self, decision: str, ids: np.ndarray, step: int, draw: int = 0) -> np.ndarray:
        """Unit-mean exponential draws."""
        return -np.log(self._open(decision, ids, step, draw))

    def logistic(self, decision: str, ids: np.ndarray, step: int, draw: int = 0) -> np.ndarray:
        """Standard logistic draws."""
        u = self._open(decision, ids, step, draw)
        return np.log(u / (1.0 - u))

    def gamma(self, decision: str, ids: np.ndarray, step: int, shape: float, scale: float, draw: int = 0) -> np.ndarray:
        """Gamma(shape, scale) draws (inverse regularised incomplete gamma)."""
        return special.gammaincinv(shape, self._open(decision, ids, step, draw)) * scale

    def bernoulli(self, decision: str, ids: np.ndarray, step: int, p: float | np.ndarray, draw: int = 0) -> np.ndarray:
        """True with probability ``p`` (a scalar or one per id)."""
        return self.uniform(decision, ids, step, draw) < p

    # ----- orders and samples -------------------------------------------------------
    def order(self, decision: str, ids: np.ndarray, step: int, draw: int = 0) -> np.ndarray:
        """``ids`` in a random order that depends on each id's own key only (so shared members keep their relative order)."""
        ids = np.asarray(ids)
        return ids[np.argsort(self.uniform(decision, ids, step, draw), kind="stable")]

    def choose(self, decision: str, ids: np.ndarray, k: int, step: int, draw: int = 0) -> np.ndarray:
        """``k`` distinct members of ``ids`` drawn uniformly (the ``k`` smallest keys), in random order."""
        return self.order(decision, ids, step, draw)[: max(0, int(k))]

    def weighted_keys(self, decision: str, ids: np.ndarray, log_weight: np.ndarray, step: int, draw: int = 0) -> np.ndarray:
        """Efraimidis–Spirakis keys: taking the largest ``k`` samples without replacement with weights ``exp(log_weight)``."""
        return np.log(self._open(decision, ids, step, draw)) * np.exp(-np.asarray(log_weight, dtype=float))

    def generator(self, decision: str, step: int) -> np.random.Generator:
        """A numpy generator for model-level draws of one decision at one step (counts, climate noise)."""
        return np.random.default_rng([self.key, _decision_code(decision), int(step) & 0xFFFFFFFF])


class CheckedStreams(Streams):
    """``Streams`` that refuses to give one researcher two draws for the same (decision, step, draw).

    Tests run whole models with it: a repeated key would make two decisions share a
    random number without anyone noticing.
    """

    def __init__(self, seed: np.random.SeedSequence) -> None:
        super().__init__(seed)
        self.used: dict[tuple[str, int, int], set[int]] = {}

    def uniform(self, decision: str, ids: np.ndarray, step: int, draw: int = 0) -> np.ndarray:
        """As ``Streams.uniform``; raises ``AssertionError`` on a repeated (decision, step, draw, id)."""
        ids_list = [int(i) for i in np.asarray(ids).ravel()]
        seen = self.used.setdefault((decision, int(step), draw), set())
        again = seen.intersection(ids_list)
        if again or len(set(ids_list)) != len(ids_list):
            raise AssertionError(f"stream {decision!r} step {step} draw {draw} drawn twice for ids {sorted(again)[:5]}")
        seen.update(ids_list)
        return super().uniform(decision, ids, step, draw)

    def uniforms(self, decision: str, ids: np.ndarray, step: int, draws: int) -> np.ndarray:
        """As ``Streams.uniforms``, checked draw by draw."""
        cols = [self.uniform(decision, ids, step, draw=j) for j in range(draws)]
        return np.column_stack(cols) if cols else np.zeros((len(np.asarray(ids)), 0))
