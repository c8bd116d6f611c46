"""Compiled pieces of the datafits, selected by an integer code as penalties are.

Datafit ``F(w) = (1/n) sum_i sw_i f(y_i, s_i)`` of the scores ``s = X w + b + offset``.
Every kernel takes ``(dcode, dparams[, dstruct])``: the code names the datafit, ``dparams``
holds its parameters (Huber's ``delta``, Tweedie's ``power``; empty when none) and
``dstruct`` its integer structure (Cox's time order; empty for separable datafits), as
``Datafit.params_array()`` / ``Datafit.prepare()`` return them. Plain arrays only, so the
kernels stay cacheable.

Two levels:

* scalar (separable datafits, inlined in coordinate loops): ``loss_1d``, ``deriv_1d``,
  ``hess_1d`` (the Newton weight ``f''``; see ``hess_1d`` for Tweedie above power 2) and
  ``curvature`` (``sup_s f''``, the bound behind coordinate Lipschitz constants
  ``L_j = curvature * sum_i sw_i x_ij^2 / n``; ``inf`` when there is none);
* vector (every datafit, including the non-separable Cox): ``datafit_value``,
  ``fill_derivatives`` and ``fill_hessian``.
"""

import numpy as np

from ._cox import cox_derivatives, cox_hessian, cox_value
from ._numba import jit

# datafit codes: keep in sync with datafits.py
QUADRATIC = 0
LOGISTIC = 1
HUBER = 2
SQUARED_HINGE = 3
POISSON = 4
GAMMA = 5
TWEEDIE = 6
# Cox proportional hazards (non-separable): its vector-level branches call _cox.py
COX = 7


@jit
def curvature(dcode, dparams):
    """``sup_s f''(y, s)`` per unit weight (labels in {-1, 1}); ``inf`` when unbounded."""
    if dcode == QUADRATIC or dcode == HUBER:
        return 1.0
    if dcode == LOGISTIC:
        return 0.25
    if dcode == SQUARED_HINGE:
        return 2.0
    return np.inf


@jit(inline="always")
def log1pexp(t):
    # log(1 + exp(t)) without overflow
    if t > 0:
        return t + np.log1p(np.exp(-t))
    return np.log1p(np.exp(t))


@jit(inline="always")
def loss_1d(dcode, dparams, y, score):
    if dcode == QUADRATIC:
        return 0.5 * (y - score) ** 2
    if dcode == LOGISTIC:
        return log1pexp(-y * score)
    if dcode == HUBER:
        r = abs(y - score)
        delta = dparams[0]
        if r <= delta:
            return 0.5 * r * r
        return delta * (r - 0.5 * delta)
    if dcode == SQUARED_HINGE:
        m = 1.0 - y * score
        return m * m if m > 0.0 else 0.0
    if dcode == POISSON:
        # half Poisson deviance up to a constant in the score
        return np.exp(score) - y * score
    if dcode == GAMMA:
        return y * np.exp(-score) + score
    if dcode == TWEEDIE:
        p = dparams[0]
        if p == 1.0:
            return np.exp(score) - y * score
        if p == 2.0:
            return y * np.exp(-score) + score
        return (np.exp((2.0 - p) * score) / (2.0 - p)
                - y * np.exp((1.0 - p) * score) / (1.0 - p))
    return np.nan


@jit(inline="always")
def deriv_1d(dcode, dparams, y, score):
    if dcode == QUADRATIC:
        return score - y
    if dcode == LOGISTIC:
        t = y * score
        # -y * sigmoid(-t), written to stay finite for large |t|
        if t > 0:
            e = np.exp(-t)
            return -y * e / (1.0 + e)
        return -y / (1.0 + np.exp(t))
    if dcode == HUBER:
        r = score - y
        delta = dparams[0]
        return min(max(r, -delta), delta)
    if dcode == SQUARED_HINGE:
        m = 1.0 - y * score
        return -2.0 * y * m if m > 0.0 else 0.0
    if dcode == POISSON:
        return np.exp(score) - y
    if dcode == GAMMA:
        return 1.0 - y * np.exp(-score)
    if dcode == TWEEDIE:
        p = dparams[0]
        return np.exp((2.0 - p) * score) - y * np.exp((1.0 - p) * score)
    return np.nan


@jit(inline="always")
def hess_1d(dcode, dparams, y, score):
    """Newton weight: ``f''(y, score)``, with one exception.

    Tweedie above power 2 is not convex in the score where ``mu > (p-1) y / (p-2)``
    (``mu = exp(score)``); there the weight is the expected information ``mu^(2-p)``
    (Fisher scoring, as IRLS does), so that a Newton model stays a descent model.
    """
    if dcode == QUADRATIC:
        return 1.0
    if dcode == LOGISTIC:
        t = abs(y * score)
        e = np.exp(-t)
        return y * y * e / ((1.0 + e) * (1.0 + e))
    if dcode == HUBER:
        return 1.0 if abs(y - score) <= dparams[0] else 0.0
    if dcode == SQUARED_HINGE:
        return 2.0 * y * y if 1.0 - y * score > 0.0 else 0.0
    if dcode == POISSON:
        return np.exp(score)
    if dcode == GAMMA:
        return y * np.exp(-score)
    if dcode == TWEEDIE:
        p = dparams[0]
        h = ((p - 1.0) * y * np.exp((1.0 - p) * score)
             + (2.0 - p) * np.exp((2.0 - p) * score))
        if h > 0.0:
            return h
        return np.exp((2.0 - p) * score)
    return np.nan


@jit
def datafit_value(dcode, dparams, dstruct, y, scores, sw, shift=0.0):
    """``(1/n) sum_i sw_i f(y_i, score_i + shift)``."""
    if dcode == COX:
        # y: event indicators, dstruct: time order and tie groups (Cox.prepare); a shift
        # of every score cancels in the partial likelihood
        return cox_value(y, dstruct, scores, sw, dparams[0] != 0.0)
    total = 0.0
    for i in range(y.shape[0]):
        total += sw[i] * loss_1d(dcode, dparams, y[i], scores[i] + shift)
    return total / y.shape[0]


@jit
def fill_derivatives(dcode, dparams, dstruct, y, scores, sw, out):
    """``out_i = d/ds_i (n F)``; for a separable datafit ``sw_i f'(y_i, score_i)``."""
    if dcode == COX:
        cox_derivatives(y, dstruct, scores, sw, dparams[0] != 0.0, out)
        return
    for i in range(y.shape[0]):
        out[i] = sw[i] * deriv_1d(dcode, dparams, y[i], scores[i])


@jit
def fill_hessian(dcode, dparams, dstruct, y, scores, sw, out):
    """Diagonal Newton weights in score space: ``out_i = sw_i hess_1d(y_i, score_i)``."""
    if dcode == COX:
        cox_hessian(y, dstruct, scores, sw, dparams[0] != 0.0, out)
        return
    for i in range(y.shape[0]):
        out[i] = sw[i] * hess_1d(dcode, dparams, y[i], scores[i])


@jit(inline="always")
def one_pass_newton_parts(dcode):
    """Whether :func:`value_with_newton_parts` computes the value, derivatives and
    Newton weights in one pass (cheaper than the three kernels), for the logistic
    datafit; a Newton solver of another datafit calls them only as it needs them."""
    return dcode == LOGISTIC


@jit
def value_with_newton_parts(dcode, dparams, dstruct, y, scores, sw, derivs, hess):
    """:func:`datafit_value` (returned), with :func:`fill_derivatives` into ``derivs``
    and :func:`fill_hessian` into ``hess``.

    Logistic in one pass: all three need only ``e = exp(-|y s|)`` (one exp and one log1p
    per sample, where the three kernels take three exps and a log1p), bitwise their
    formulas (``loss_1d``, ``deriv_1d``, ``hess_1d``) summed in the same order. Along a
    path most alphas are certified at the warm start: this pass and the scores' product
    are then the whole cost of the alpha.
    """
    if dcode != LOGISTIC:
        fill_derivatives(dcode, dparams, dstruct, y, scores, sw, derivs)
        fill_hessian(dcode, dparams, dstruct, y, scores, sw, hess)
        return datafit_value(dcode, dparams, dstruct, y, scores, sw)
    n = y.shape[0]
    total = 0.0
    for i in range(n):
        yi = y[i]
        t = yi * scores[i]
        if t > 0.0:
            e = np.exp(-t)
            f = np.log1p(e)
            g = -yi * e / (1.0 + e)
        else:
            e = np.exp(t)
            m = -t
            f = m + np.log1p(e) if m > 0.0 else np.log1p(e)
            g = -yi / (1.0 + e)
        total += sw[i] * f
        derivs[i] = sw[i] * g
        hess[i] = sw[i] * (yi * yi * e / ((1.0 + e) * (1.0 + e)))
    return total / n
