"""Design points from SALib's ``ProblemSpec``: Morris trajectories or Saltelli/Sobol' samples.

``N`` is the number of Morris trajectories or the number of Sobol' base samples (a
power of two). Both designs are built point by point from a seeded sequence, so the
first half of a design of size ``N`` is the design of size ``N/2``: the convergence
check analyses that half and the whole from the same evaluations.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from SALib import ProblemSpec

from experiments.errors import InputError
from experiments.sensitivity.factors import Factor, problem_dict

METHODS = ("morris", "sobol")
MORRIS_LEVELS = 4


def check_size(method: str, n: int, source: str = "-N") -> None:
    """Refuse an unknown method, or a size SALib cannot use (Sobol' needs a power of two)."""
    if method not in METHODS:
        raise InputError(f"--method: unknown method '{method}'; valid: {', '.join(METHODS)}")
    if isinstance(n, bool) or not isinstance(n, int) or n < 2:
        raise InputError(f"{source}: N must be a whole number of at least 2, got {n!r}")
    if method == "sobol" and n & (n - 1):
        lower = 1 << (n.bit_length() - 1)
        raise InputError(
            f"{source}: Sobol' analysis needs N a power of two (its convergence properties hold only then), got {n}; use {lower} or {lower * 2}"
        )


def rows_per_unit(method: str, k: int, second_order: bool = False) -> int:
    """Design rows per trajectory (Morris, ``k + 1``) or per base sample (Sobol', ``k + 2`` or ``2k + 2``)."""
    if method == "morris":
        return k + 1
    return 2 * k + 2 if second_order else k + 2


def design_size(method: str, k: int, n: int, second_order: bool = False) -> int:
    """Number of design points (each evaluated ``reps`` times)."""
    return n * rows_per_unit(method, k, second_order)


def make_spec(factors: Sequence[Factor], outputs: Sequence[str] | None = None) -> ProblemSpec:
    """A SALib ``ProblemSpec`` for these factors (and output names)."""
    return ProblemSpec(problem_dict(factors, outputs))


def make_design(method: str, factors: Sequence[Factor], n: int, *, seed: int, second_order: bool = False) -> np.ndarray:
    """The design matrix (rows = points, columns = factors, in factor units)."""
    check_size(method, n)
    spec = make_spec(factors)
    seed = int(seed) % 2**32
    if method == "morris":
        spec.sample_morris(n, num_levels=MORRIS_LEVELS, seed=seed)
    else:
        spec.sample_sobol(n, calc_second_order=second_order, scramble=True, seed=seed)
    return np.asarray(spec.samples, dtype=float)
