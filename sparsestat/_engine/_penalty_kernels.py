"""Compiled scalar pieces of every penalty, dispatched on an integer code.

A penalty reaches a kernel as ``(code, params, struct)``: ``params`` a float64 array of
its parameters and ``struct`` an int64 array for structure (group pointers...). Kernels
compiled over plain arrays load from numba's cache in milliseconds, where a jitclass per
penalty would recompile in every process.

Adding a separable penalty means: a code below, a branch in :func:`value_1d`,
:func:`prox_1d` and :func:`subdiff_interval`, and a small class in ``penalties.py``.
Per-feature ``pf`` (penalty factor) multiplies the whole penalty of feature ``j``;
``pf == 0`` leaves the feature unpenalized. Box bounds ``[lower_j, upper_j]`` are applied
by the solvers around these functions (exact for convex one-dimensional problems).
"""

import numpy as np

from ._numba import jit

# penalty codes: keep in sync with penalties.py
L1 = 0
ELASTIC_NET = 1


@jit
def soft_threshold(v, threshold):
    if v > threshold:
        return v - threshold
    if v < -threshold:
        return v + threshold
    return 0.0


@jit
def value_1d(code, params, w, pf):
    """Penalty of one coefficient."""
    if pf == 0.0 or w == 0.0:
        return 0.0
    alpha = params[0]
    if code == L1:
        return pf * alpha * abs(w)
    if code == ELASTIC_NET:
        l1_ratio = params[1]
        return pf * alpha * (l1_ratio * abs(w) + 0.5 * (1.0 - l1_ratio) * w * w)
    return np.nan


@jit
def prox_1d(code, params, v, step, pf):
    """``argmin_x (x - v)**2 / (2 step) + pen(x)``, exact for every ``step > 0``."""
    if pf == 0.0:
        return v
    alpha = params[0]
    if code == L1:
        return soft_threshold(v, step * pf * alpha)
    if code == ELASTIC_NET:
        l1_ratio = params[1]
        return soft_threshold(v, step * pf * alpha * l1_ratio) / (
            1.0 + step * pf * alpha * (1.0 - l1_ratio)
        )
    return np.nan


@jit
def subdiff_interval(code, params, w, pf):
    """Return ``(a, b)``: the (Clarke) subdifferential of the penalty at ``w`` is [a, b]."""
    if pf == 0.0:
        return 0.0, 0.0
    alpha = params[0]
    if code == L1:
        if w == 0.0:
            return -pf * alpha, pf * alpha
        g = pf * alpha * np.sign(w)
        return g, g
    if code == ELASTIC_NET:
        l1 = pf * alpha * params[1]
        l2 = pf * alpha * (1.0 - params[1])
        if w == 0.0:
            return -l1, l1
        g = l1 * np.sign(w) + l2 * w
        return g, g
    return np.nan, np.nan


@jit
def subdiff_distance(code, params, w, grad, pf, lower, upper):
    """Distance of ``-grad`` to the subdifferential of ``pen + box indicator`` at ``w``.

    Zero exactly when coordinate ``j`` satisfies its first-order optimality condition.
    """
    a, b = subdiff_interval(code, params, w, pf)
    if w <= lower:
        a = -np.inf
    if w >= upper:
        b = np.inf
    target = -grad
    if target < a:
        return a - target
    if target > b:
        return target - b
    return 0.0


@jit
def prox_box_1d(code, params, v, step, pf, lower, upper):
    """Prox of ``pen + indicator[lower, upper]``: clipping is exact for convex penalties."""
    x = prox_1d(code, params, v, step, pf)
    if x < lower:
        return lower
    if x > upper:
        return upper
    return x


@jit
def penalty_value(code, params, struct, pf, w):
    """Sum of the penalty over all coefficients."""
    total = 0.0
    for j in range(w.shape[0]):
        total += value_1d(code, params, w[j], pf[j])
    return total


@jit
def prox_vec(code, params, struct, pf, lower, upper, v, step, out):
    """Vector prox used by the proximal-gradient solver (separable penalties)."""
    for j in range(v.shape[0]):
        out[j] = prox_box_1d(code, params, v[j], step, pf[j], lower[j], upper[j])


@jit
def kkt_scores(code, params, struct, pf, lower, upper, w, grad, out):
    """Per-coordinate optimality violation (``subdiff_distance``)."""
    for j in range(w.shape[0]):
        out[j] = subdiff_distance(code, params, w[j], grad[j], pf[j], lower[j], upper[j])
