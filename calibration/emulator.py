"""Gaussian-process emulators of a stochastic model's mean and run-to-run variance, with leave-one-out checks.

For each target, two emulators over the unit cube of the free parameters (scikit-learn's
``GaussianProcessRegressor``; Andrianakis et al. 2015; McCulloch et al. 2022):

- the **mean**: fitted to the replicate means, each with its known noise (the sample
  variance over ``R`` replicates divided by ``R``) on the diagonal, plus a white-noise
  term the data estimate;
- the **run-to-run variance**: fitted to ``log`` of the sample variances, whose sampling
  noise on the log scale is known: ``trigamma((R-1)/2)`` for a normal sample (about
  ``2/(R-1)``), and whose bias (``digamma((R-1)/2) - log((R-1)/2)``) is removed.

Both use an anisotropic squared-exponential kernel (one length scale per parameter),
standardised outputs and a seeded optimiser restart, so a refit on the same data gives
the same emulator (a resumed calibration makes the same choices).

``loo`` gives the leave-one-out diagnostics of a fitted mean emulator in closed form
(Rasmussen & Williams 2006, eq. 5.12): the standardised errors of predicting each
training point from all the others, which should look standard normal.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
from scipy.special import digamma, polygamma
from sklearn.exceptions import ConvergenceWarning
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, ConstantKernel, WhiteKernel

VAR_FLOOR = 1e-8  # a sample variance of 0 (e.g. a share that is 0 in every replicate) is floored before the log


def _kernel(d: int):
    return ConstantKernel(1.0, (1e-3, 1e3)) * RBF(np.full(d, 0.5), (0.03, 30.0)) + WhiteKernel(1e-2, (1e-6, 1.0))


def _gp(d: int, alpha: np.ndarray, seed: int) -> GaussianProcessRegressor:
    return GaussianProcessRegressor(_kernel(d), alpha=alpha, normalize_y=False, n_restarts_optimizer=2, random_state=seed)


def log_var_noise(reps: int) -> float:
    """Variance of log(sample variance) of ``reps`` normal draws: trigamma((R-1)/2)."""
    return float(polygamma(1, (reps - 1) / 2.0)) if reps > 1 else 10.0


@dataclass
class Emulator:
    """Mean and log-variance emulators of one target (outputs standardised by ``centre``/``spread``)."""

    mean_gp: GaussianProcessRegressor
    var_gp: GaussianProcessRegressor | None
    centre: float
    spread: float
    var_centre: float
    var_spread: float
    x: np.ndarray
    y: np.ndarray
    noise: np.ndarray  # known noise variance of each training mean (standardised units)

    def predict(self, u: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """At unit-cube points ``u``: emulated mean, the emulator's variance of that mean, and the run-to-run variance."""
        mu, sd = self.mean_gp.predict(u, return_std=True)
        # return_std includes the fitted white noise; the emulator's uncertainty about the mean excludes it
        white = _white(self.mean_gp)
        em_var = np.maximum(sd**2 - white, 0.0) * self.spread**2
        mean = self.centre + self.spread * mu
        if self.var_gp is None:
            return mean, em_var, np.zeros(len(u))
        lv = self.var_gp.predict(u)
        return mean, em_var, np.exp(self.var_centre + self.var_spread * lv)


def _white(gp: GaussianProcessRegressor) -> float:
    k = gp.kernel_
    return float(k.k2.noise_level) if isinstance(k.k2, WhiteKernel) else 0.0


def fit(u: np.ndarray, means: np.ndarray, variances: np.ndarray, reps: int, seed: int = 0) -> Emulator:
    """Fit the mean and log-variance emulators to per-point replicate means and sample variances (NaN rows dropped)."""
    ok = np.isfinite(means) & np.isfinite(variances)
    x, m, v = u[ok], means[ok], variances[ok]
    if len(x) < 3:
        raise ValueError(f"an emulator needs at least 3 points with a finite measure, got {len(x)}")
    centre, spread = float(m.mean()), float(m.std()) or 1.0
    noise = (v / max(reps, 1)) / spread**2
    y = (m - centre) / spread
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mean_gp = _gp(x.shape[1], noise + 1e-10, seed).fit(x, y)
        var_gp = None
        # log of a sample variance is biased low by digamma(k/2) - log(k/2), k = R - 1 (normal sample): removed
        k = max(reps - 1, 1)
        lv = np.log(np.maximum(v, VAR_FLOOR)) - (digamma(k / 2) - np.log(k / 2))
        vc, vs = float(lv.mean()), float(lv.std()) or 1.0
        if reps > 1:
            var_gp = _gp(x.shape[1], np.full(len(x), log_var_noise(reps) / vs**2), seed).fit(x, (lv - vc) / vs)
    return Emulator(mean_gp, var_gp, centre, spread, vc, vs, x, y, noise)


def loo(em: Emulator) -> dict[str, float]:
    """Leave-one-out diagnostics of the mean emulator (closed form with the fitted hyperparameters).

    ``std_errors``: (y_i − μ_−i) / σ_−i, which are standard normal if the emulator's
    uncertainty is right. Returned summaries: share within ±2 (about 0.95 expected) and
    ±3 (at least 0.99 expected: Pukelsheim), the largest |error|, and the LOO R² (share
    of the variance of the training means the LOO predictions explain).
    """
    K = em.mean_gp.kernel_(em.x) + np.diag(em.noise + 1e-10)
    Kinv = np.linalg.inv(K)
    d = np.diag(Kinv)
    resid = (Kinv @ em.y) / d  # y_i − μ_−i
    z = resid / np.sqrt(1.0 / d)
    total = float(np.sum((em.y - em.y.mean()) ** 2))
    r2 = 1.0 - float(np.sum(resid**2)) / total if total > 0 else math.nan
    return {
        "points": len(z),
        "within_2sd": float(np.mean(np.abs(z) <= 2)),
        "within_3sd": float(np.mean(np.abs(z) <= 3)),
        "max_abs_error_sd": float(np.max(np.abs(z))),
        "loo_r2": r2,
        "std_errors": z,
    }
