"""Compiled per-sample pieces of the datafits whose loss depends on one score ``X w``.

Datafit ``F(w) = (1/n) sum_i sw_i f(y_i, x_i^T w)``. A kernel only needs, per sample,
the loss, its derivative in the score, and a bound on the second derivative
(``CURVATURE``), which gives the coordinate Lipschitz constants
``L_j = CURVATURE * sum_i sw_i x_ij^2 / n``.
"""

import numpy as np

from ._numba import jit

# datafit codes: keep in sync with datafits.py
QUADRATIC = 0
LOGISTIC = 1


@jit
def curvature(code):
    if code == LOGISTIC:
        return 0.25
    return 1.0


@jit(inline="always")
def log1pexp(t):
    # log(1 + exp(t)) without overflow
    if t > 0:
        return t + np.log1p(np.exp(-t))
    return np.log1p(np.exp(t))


@jit(inline="always")
def loss_1d(code, y, score):
    if code == QUADRATIC:
        return 0.5 * (y - score) ** 2
    if code == LOGISTIC:
        return log1pexp(-y * score)
    return np.nan


@jit(inline="always")
def deriv_1d(code, y, score):
    if code == QUADRATIC:
        return score - y
    if code == LOGISTIC:
        t = y * score
        # -y * sigmoid(-t), written to stay finite for large |t|
        if t > 0:
            e = np.exp(-t)
            return -y * e / (1.0 + e)
        return -y / (1.0 + np.exp(t))
    return np.nan


@jit
def datafit_value(code, y, scores, sw, shift=0.0):
    """``(1/n) sum_i sw_i f(y_i, score_i + shift)``."""
    total = 0.0
    for i in range(y.shape[0]):
        total += sw[i] * loss_1d(code, y[i], scores[i] + shift)
    return total / y.shape[0]


@jit
def fill_derivatives(code, y, scores, sw, out):
    """``out_i = sw_i f'(y_i, score_i)``: the gradient in score space (times n)."""
    for i in range(y.shape[0]):
        out[i] = sw[i] * deriv_1d(code, y[i], scores[i])
