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
_LOW32 = np.uint64(0xFFFFFFFF)
_TO_UNIT32 = 1.0 / (1 << 32)
_GENERATOR_DRAW = 1 << 20  # a model-level generator's salt: a draw index no per-researcher draw uses


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
        self._base: dict[str, int] = {}
        self._salt_blocks: dict[tuple[tuple[str, ...], int], np.ndarray] = {}

    def salt(self, decision: str, step: int, draw: int = 0) -> int:
        """The 64-bit salt of one (decision, step, draw) triple."""
        x = self._base.get(decision)
        if x is None:  # the decision's part, once a run (salts are computed thousands of times)
            x = self._base[decision] = _mix64(self.key ^ (_decision_code(decision) << 20))
        # _mix64 twice, written out (this runs thousands of times a run).
        x = (x + (int(step) & 0xFFFFFFFF) * _GOLDEN) & _MASK
        x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
        x = ((x ^ (x >> 31)) + draw + 1) & _MASK
        x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
        return x ^ (x >> 31)

    def uniform(self, decision: str, ids: np.ndarray, step: int, draw: int = 0) -> np.ndarray:
        """One uniform in [0, 1) for each researcher id in ``ids`` (the same id gives the same number)."""
        x = np.asarray(ids, dtype=np.int64).view(np.uint64) * _G  # a view: no copy of the ids
        x += np.uint64(self.salt(decision, step, draw))
        x ^= x >> _S30
        x *= _M1
        x ^= x >> _S27
        x *= _M2
        x ^= x >> _S31
        return (x >> _S11).view(np.int64) * _TO_UNIT  # 53 bits: the signed cast is the faster one

    def uniforms(self, decision: str, ids: np.ndarray, step: int, draws: int) -> np.ndarray:
        """Draws ``0 .. draws-1`` for every id at once, shape ``(len(ids), draws)``: column ``j`` is ``uniform(..., draw=j)``.

        One vector pass instead of ``draws`` calls (a researcher's several meetings in a year).
        """
        return _hash(ids, [self.salt(decision, step, j) for j in range(draws)])

    def uniform_pairs(self, decision: str, ids: np.ndarray, step: int, draws: int) -> tuple[np.ndarray, np.ndarray]:
        """Two uniforms per (id, draw) from one hash, each shape ``(len(ids), draws)``.

        The first is ``uniforms(...)`` itself (the top 53 bits); the second comes from the low
        32 bits, in (0, 1) at 2^-32 resolution (a meeting's partner and whether it becomes a tie).
        """
        bits = _bits(ids, [self.salt(decision, step, j) for j in range(draws)])
        low = (bits & _LOW32).view(np.int64) * _TO_UNIT32 + 0.5 * _TO_UNIT32
        return ((bits >> _S11).view(np.int64) * _TO_UNIT).T, low.T

    def uniform_rows(self, decisions: tuple[str, ...], ids: np.ndarray, step: int) -> np.ndarray:
        """Draw 0 of each of ``decisions`` for the same ``ids`` in one pass: row ``j`` is ``uniform(decisions[j], ids, step)``."""
        return _hash(ids, [self.salt(d, step) for d in decisions]).T

    def batch(self, decisions: tuple[str, ...], ids: np.ndarray, step: int) -> Batch:
        """Draw 0 of several ``decisions`` for distinct ``ids`` at ``step`` in one pass, to read later by id (see ``Batch``)."""
        return Batch(self, decisions, ids, step)

    def batch_salts(self, decisions: tuple[str, ...], step: int) -> np.ndarray:
        """``salt(d, step)`` for each of ``decisions``: computed in numpy for twelve steps at a time (a batch a month)."""
        block, row = divmod(int(step), 12)
        table = self._salt_blocks.get((decisions, block))
        if table is None:
            for d in decisions:
                self.salt(d, 0)  # the decisions' own parts
            bases = np.array([self._base[d] for d in decisions], dtype=np.uint64)
            steps = (np.arange(12 * block, 12 * block + 12, dtype=np.int64) & 0xFFFFFFFF).astype(np.uint64)
            x = bases[None, :] + steps[:, None] * _G
            x = _mix_array(x) + np.uint64(1)  # draw 0
            table = _mix_array(x)
            if len(self._salt_blocks) > 64:
                self._salt_blocks.clear()
            self._salt_blocks[(decisions, block)] = table
        return table[row]

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
        # Philox keyed by the salt: no SeedSequence to build (a few µs instead of ~40).
        return np.random.Generator(np.random.Philox(key=self.salt(decision, step, _GENERATOR_DRAW)))


def _mix_array(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser on a uint64 array (in place)."""
    x ^= x >> _S30
    x *= _M1
    x ^= x >> _S27
    x *= _M2
    x ^= x >> _S31
    return x


def _bits(ids: np.ndarray, salts: list[int] | np.ndarray) -> np.ndarray:
    """The 64-bit hash of every id under every salt, one row per salt (long contiguous loops; a
    column per salt would make numpy loop over short rows)."""
    x = np.asarray(ids, dtype=np.int64).view(np.uint64)[None, :] * _G
    x = x + np.asarray(salts, dtype=np.uint64)[:, None]
    return _mix_array(x)


def _hash(ids: np.ndarray, salts: list[int] | np.ndarray) -> np.ndarray:
    """``uniform`` of every id under every salt, shape ``(len(ids), len(salts))``, in one vector pass."""
    return ((_bits(ids, salts) >> _S11).view(np.int64) * _TO_UNIT).T


class Batch(Streams):
    """A month's draws of several decisions for a known set of researchers, made in one pass.

    The monthly market asks a few hundred researchers several small questions (leave the
    gap? an offer? hired?); one call per question costs more in overhead than in
    arithmetic. A batch hashes every (decision, id) at once and answers ``uniform`` for
    those decisions at that step by looking the ids up, with exactly the numbers the
    streams give; any other question goes to the streams. So callers use it like
    ``Streams``. Under ``CheckedStreams`` each answer is checked as a draw of its own.
    """

    def __init__(self, streams: Streams, decisions: tuple[str, ...], ids: np.ndarray, step: int) -> None:
        self.streams = streams
        self.key, self._base, self._seed, self._salt_blocks = streams.key, streams._base, streams._seed, streams._salt_blocks
        self.step = int(step)
        self.columns = {d: j for j, d in enumerate(decisions)}
        self._checked = isinstance(streams, CheckedStreams)
        ids = np.sort(np.asarray(ids, dtype=np.int64))
        self.table = _hash(ids, streams.batch_salts(tuple(decisions), step))
        self.ids = np.append(ids, np.iinfo(np.int64).max)  # a sentinel: every search lands inside

    def uniform(self, decision: str, ids: np.ndarray, step: int, draw: int = 0) -> np.ndarray:
        """As ``Streams.uniform``: from the batch when it holds the answer, else from the streams."""
        col = self.columns.get(decision)
        if col is None or draw or step != self.step:
            return self.streams.uniform(decision, ids, step, draw)
        pos = self.ids.searchsorted(ids)
        if not (self.ids[pos] == ids).all():  # an id outside the batch: ask the streams
            return self.streams.uniform(decision, ids, step, draw)
        if self._checked:
            self.streams.check(decision, ids, step, draw)
        return self.table[pos, col]

    def uniforms(self, decision: str, ids: np.ndarray, step: int, draws: int) -> np.ndarray:
        """From the streams (a batch holds single draws only)."""
        return self.streams.uniforms(decision, ids, step, draws)


class CheckedStreams(Streams):
    """``Streams`` that refuses to give one researcher two draws for the same (decision, step, draw).

    Tests run whole models with it: a repeated key would make two decisions share a
    random number without anyone noticing.
    """

    def __init__(self, seed: np.random.SeedSequence) -> None:
        super().__init__(seed)
        self.used: dict[tuple[str, int, int], set[int]] = {}

    def check(self, decision: str, ids: np.ndarray, step: int, draw: int = 0) -> None:
        """Record a draw of ``decision`` for ``ids``; raise ``AssertionError`` on a repeated (decision, step, draw, id)."""
        ids_list = [int(i) for i in np.asarray(ids).ravel()]
        seen = self.used.setdefault((decision, int(step), draw), set())
        again = seen.intersection(ids_list)
        if again or len(set(ids_list)) != len(ids_list):
            raise AssertionError(f"stream {decision!r} step {step} draw {draw} drawn twice for ids {sorted(again)[:5]}")
        seen.update(ids_list)

    def uniform(self, decision: str, ids: np.ndarray, step: int, draw: int = 0) -> np.ndarray:
        """As ``Streams.uniform``; raises ``AssertionError`` on a repeated (decision, step, draw, id)."""
        self.check(decision, ids, step, draw)
        return super().uniform(decision, ids, step, draw)

    def uniform_pairs(self, decision: str, ids: np.ndarray, step: int, draws: int) -> tuple[np.ndarray, np.ndarray]:
        """As ``Streams.uniform_pairs``, checked draw by draw."""
        for j in range(draws):
            self.check(decision, ids, step, j)
        return super().uniform_pairs(decision, ids, step, draws)

    def uniform_rows(self, decisions: tuple[str, ...], ids: np.ndarray, step: int) -> np.ndarray:
        """As ``Streams.uniform_rows``, checked decision by decision."""
        for d in decisions:
            self.check(d, ids, step)
        return super().uniform_rows(decisions, ids, step)

    def uniforms(self, decision: str, ids: np.ndarray, step: int, draws: int) -> np.ndarray:
        """As ``Streams.uniforms``, checked draw by draw."""
        for j in range(draws):
            self.check(decision, ids, step, j)
        return super().uniforms(decision, ids, step, draws)
