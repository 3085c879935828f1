"""Functions with known sensitivity indices, to check the pipeline in place of the model.

They are evaluators like ``ModelEvaluator`` (picklable, ``(values, seed, rep) -> dict``),
so a test runs the very same sampling, engine, run store and analysis code. ``noise_sd``
adds replicate noise drawn from the seed, to exercise the noise share.
"""

from __future__ import annotations

import hashlib
import json
import math

import numpy as np


class Ishigami:
    """Ishigami–Homma function on [-pi, pi]^3: analytic S1 = (0.314, 0.442, 0), ST = (0.558, 0.442, 0.244) for a=7, b=0.1."""

    names = ("x1", "x2", "x3")

    def __init__(self, a: float = 7.0, b: float = 0.1, noise_sd: float = 0.0) -> None:
        self.a, self.b, self.noise_sd = a, b, noise_sd

    def __call__(self, values: dict[str, float], seed: np.random.SeedSequence, rep: int) -> dict[str, float]:
        """``{"y": f(x1, x2, x3) + noise}``."""
        x1, x2, x3 = (values[n] for n in self.names)
        y = math.sin(x1) + self.a * math.sin(x2) ** 2 + self.b * x3**4 * math.sin(x1)
        if self.noise_sd:
            y += self.noise_sd * float(np.random.default_rng(seed).standard_normal())
        return {"y": y}

    def analytic(self) -> dict[str, dict[str, float]]:
        """Known first-order and total indices."""
        a, b, pi = self.a, self.b, math.pi
        v1 = 0.5 * (1 + b * pi**4 / 5) ** 2
        v2 = a**2 / 8
        v13 = b**2 * pi**8 * (1 / 18 - 1 / 50)
        v = v1 + v2 + v13
        return {"S1": {"x1": v1 / v, "x2": v2 / v, "x3": 0.0}, "ST": {"x1": (v1 + v13) / v, "x2": v2 / v, "x3": v13 / v}}

    def output_names(self) -> list[str]:  # noqa: D102
        return ["y"]

    def identity(self) -> str:  # noqa: D102
        return json.dumps(["ishigami", self.a, self.b, self.noise_sd])


class LinearWithDummy:
    """``y = sum(w_i x_i)`` plus noise: a factor of weight 0 is a dummy, so screening must rank it last.

    With ``common_noise=False`` the noise differs from point to point even at the same
    seed (as when random numbers are not common), so elementary effects are noisy.
    """

    def __init__(self, weights: dict[str, float], noise_sd: float = 0.0, common_noise: bool = True) -> None:
        self.weights, self.noise_sd, self.common_noise = dict(weights), noise_sd, common_noise

    def __call__(self, values: dict[str, float], seed: np.random.SeedSequence, rep: int) -> dict[str, float]:
        """``{"y": weighted sum + noise}``."""
        y = sum(w * values[n] for n, w in self.weights.items())
        if self.noise_sd:
            key = [] if self.common_noise else [int(hashlib.sha1(json.dumps(sorted(values.items())).encode()).hexdigest()[:8], 16)]
            rng = np.random.default_rng([*seed.generate_state(2), *key])
            y += self.noise_sd * float(rng.standard_normal())
        return {"y": y}

    def output_names(self) -> list[str]:  # noqa: D102
        return ["y"]

    def identity(self) -> str:  # noqa: D102
        return json.dumps(["linear", sorted(self.weights.items()), self.noise_sd, self.common_noise])
