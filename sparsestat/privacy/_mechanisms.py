"""Gaussian mechanisms: calibrate the noise standard deviation to (epsilon, delta).

Two calibrations of ``M(u) = f(u) + N(0, sigma^2 I)`` for a statistic ``f`` of L2
sensitivity ``Delta`` (the largest distance between ``f(u)`` and ``f(u')`` over any two
inputs ``u, u'`` of one user):

* ``"gaussian"``: the classical bound ``sigma = Delta sqrt(2 ln(1.25 / delta)) / epsilon``
  (Dwork and Roth 2014, Theorem A.1), proven for ``epsilon < 1`` only.
* ``"analytic_gaussian"``: the smallest ``sigma`` that satisfies the exact condition of
  Balle and Wang (2018, Theorem 8),
  ``Phi(Delta / (2 sigma) - epsilon sigma / Delta)
  - exp(epsilon) Phi(-Delta / (2 sigma) - epsilon sigma / Delta) <= delta``,
  found by a root-find. Valid for every ``epsilon > 0`` and never larger than the
  classical calibration.
"""

import math

import numpy as np
from scipy.optimize import brentq
from scipy.special import log_ndtr, ndtr

__all__ = ["MECHANISMS", "gaussian_delta", "gaussian_sigma", "analytic_gaussian_sigma",
           "calibrate_sigma"]

MECHANISMS = ("gaussian", "analytic_gaussian")


def gaussian_delta(sigma, sensitivity, epsilon):
    """Exact ``delta`` of the Gaussian mechanism with noise ``sigma`` at ``epsilon``.

    The privacy profile of Balle and Wang (2018, Theorem 8); decreasing in ``sigma``.

    Parameters
    ----------
    sigma : float
        Standard deviation of the Gaussian noise (per entry).
    sensitivity : float
        L2 sensitivity ``Delta`` of the released statistic (largest change when one
        user's data changes).
    epsilon : float
        Privacy parameter epsilon, > 0 (``np.inf``: no privacy).

    Returns
    -------
    delta : float
        The smallest delta for which the mechanism is ``(epsilon, delta)``-DP, in
        [0, 1]: 1 for ``sigma <= 0``, 0 for ``epsilon = inf``.

    Examples
    --------
    >>> from sparsestat.privacy import gaussian_delta
    >>> round(gaussian_delta(4.0, 1.0, 0.5), 6)
    0.002709
    """
    if sigma <= 0.0:
        return 1.0
    if not np.isfinite(epsilon):
        return 0.0
    a = sensitivity / (2.0 * sigma)
    b = epsilon * sigma / sensitivity
    # exp(eps) Phi(-a - b) in log space: it never overflows (at most about 1).
    second = math.exp(epsilon + float(log_ndtr(-a - b)))
    return max(float(ndtr(a - b)) - second, 0.0)


def gaussian_sigma(sensitivity, epsilon, delta):
    """Classical calibration ``Delta sqrt(2 ln(1.25 / delta)) / epsilon``.

    Proved for ``epsilon < 1`` (Dwork and Roth, Theorem A.1); larger than the exact
    :func:`analytic_gaussian_sigma`.

    Parameters
    ----------
    sensitivity : float
        L2 sensitivity ``Delta`` of the released statistic (largest change when one
        user's data changes).
    epsilon : float
        Privacy parameter epsilon, > 0 (``np.inf``: no privacy).
    delta : float
        Privacy parameter delta, in (0, 1).

    Returns
    -------
    sigma : float
        Noise standard deviation; 0 when ``epsilon = inf`` or ``sensitivity = 0``.

    Examples
    --------
    >>> from sparsestat.privacy import gaussian_sigma
    >>> round(gaussian_sigma(1.0, 0.5, 1e-5), 4)
    9.6896
    """
    if not np.isfinite(epsilon) or sensitivity == 0.0:
        return 0.0
    return sensitivity * math.sqrt(2.0 * math.log(1.25 / delta)) / epsilon


def analytic_gaussian_sigma(sensitivity, epsilon, delta, *, rtol=1e-12):
    """Smallest ``sigma`` meeting the exact Gaussian-mechanism condition (Balle and Wang).

    Solves ``gaussian_delta(sigma, sensitivity, epsilon) = delta`` for ``sigma`` by a
    bracketed root-find in ``log sigma`` (the profile decreases in ``sigma``).

    Parameters
    ----------
    sensitivity : float
        L2 sensitivity ``Delta`` of the released statistic (largest change when one
        user's data changes).
    epsilon : float
        Privacy parameter epsilon, > 0 (``np.inf``: no privacy).
    delta : float
        Privacy parameter delta, in (0, 1).
    rtol : float, default=1e-12
        Absolute tolerance of the root-find on ``log sigma`` (so a relative tolerance
        on ``sigma``); the result is then nudged up until the condition holds exactly.

    Returns
    -------
    sigma : float
        Noise standard deviation; 0 when ``epsilon = inf`` or ``sensitivity = 0``.

    Examples
    --------
    >>> from sparsestat.privacy import analytic_gaussian_sigma, gaussian_sigma
    >>> sigma = analytic_gaussian_sigma(1.0, 0.5, 1e-5)
    >>> bool(sigma < gaussian_sigma(1.0, 0.5, 1e-5))
    True
    """
    if not np.isfinite(epsilon) or sensitivity == 0.0:
        return 0.0

    def excess(log_sigma):
        return gaussian_delta(math.exp(log_sigma), sensitivity, epsilon) - delta

    # sigma scales with Delta: bracket around the large-epsilon and classical scales
    lo = math.log(sensitivity) - 1.0 - 0.5 * math.log(max(epsilon, 1e-300)) - 5.0
    hi = math.log(sensitivity) + math.log(math.sqrt(2 * math.log(1.25 / delta)) + 1.0) \
        - math.log(min(epsilon, 1.0)) + 1.0
    while excess(lo) <= 0.0:
        lo -= 5.0
    while excess(hi) > 0.0:
        hi += 5.0
    root = brentq(excess, lo, hi, xtol=rtol, rtol=4 * np.finfo(float).eps, maxiter=500)
    sigma = math.exp(root)
    # brentq may stop a hair below the root: step up until the condition holds
    while gaussian_delta(sigma, sensitivity, epsilon) > delta:
        sigma *= 1.0 + 1e-12
    return sigma


def calibrate_sigma(mechanism, sensitivity, epsilon, delta):
    """Noise standard deviation of ``mechanism`` for one release at ``(epsilon, delta)``."""
    if mechanism == "gaussian":
        return gaussian_sigma(sensitivity, epsilon, delta)
    if mechanism == "analytic_gaussian":
        return analytic_gaussian_sigma(sensitivity, epsilon, delta)
    raise ValueError(f"mechanism must be one of {MECHANISMS}, got {mechanism!r}.")
