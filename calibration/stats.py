"""Small statistics for calibration: Wilson intervals and the history-matching implausibility."""

from __future__ import annotations

import math

Z95 = 1.959963984540054


def wilson(p: float, n: float, z: float = Z95) -> tuple[float, float]:
    """95% Wilson score interval of a proportion ``p`` observed in ``n`` trials."""
    if n <= 0:
        raise ValueError(f"n must be positive, got {n}")
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def implausibility(
    observed: float, sim_mean: float, sim_var: float, reps: int, obs_var: float, disc_sd: float, bound: str = "two_sided"
) -> float:
    """|z - E[f(x)]| / sqrt(V_obs + V_discrepancy + V_replicates / R) (Craig et al. 1997; Andrianakis et al. 2015).

    ``sim_var / reps`` is the uncertainty of the replicate mean; a one-sided target
    (``upper``/``lower`` bound) is implausible only on the wrong side.
    """
    if not math.isfinite(sim_mean):
        return math.inf
    var = obs_var + disc_sd**2 + (sim_var / reps if reps > 0 and math.isfinite(sim_var) else 0.0)
    diff = sim_mean - observed
    if bound == "upper":
        diff = max(0.0, diff)
    elif bound == "lower":
        diff = min(0.0, diff)
    return abs(diff) / math.sqrt(var) if var > 0 else (0.0 if diff == 0 else math.inf)
