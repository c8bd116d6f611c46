"""Duality gap of the quadratic datafit with L1 / elastic-net penalties."""

import numpy as np

from ._numba import jit
from ._penalty_kernels import ELASTIC_NET


@jit
def enet_duality_gap(pen, params, pf, w, grad, residual_sq, residual_dot_y, positive):
    """Gap of ``1/(2n)||y - Xw||^2 + sum_j pf_j alpha (l1 |w_j| + (1 - l1) w_j^2 / 2)``.

    Everything is in the 1/n scale: ``grad = -X^T R / n``, ``residual_sq = ||R||^2 / n``,
    ``residual_dot_y = R^T y / n`` with ``R = y - X w`` (sample weights folded in).
    The dual point is the residual rescaled into the dual feasible set, as in
    scikit-learn's coordinate descent, extended to per-feature penalty factors.
    """
    alpha = params[0]
    l1_ratio = params[1] if pen == ELASTIC_NET else 1.0
    dual_norm = 0.0
    l1_term = 0.0
    l2_term = 0.0
    for j in range(w.shape[0]):
        a_j = alpha * l1_ratio * pf[j]
        b_j = alpha * (1.0 - l1_ratio) * pf[j]
        xta = -grad[j] - b_j * w[j]
        if a_j > 0.0:
            ratio = (xta if positive else abs(xta)) / a_j
            if ratio > dual_norm:
                dual_norm = ratio
        l1_term += a_j * abs(w[j])
        l2_term += b_j * w[j] * w[j]
    const = 1.0 / dual_norm if dual_norm > 1.0 else 1.0
    gap = (
        0.5 * residual_sq * (1.0 + const * const)
        + l1_term
        - const * residual_dot_y
        + 0.5 * (1.0 + const * const) * l2_term
    )
    return max(gap, 0.0) if np.isfinite(gap) else np.inf


@jit
def unpenalized_slack(pf, grad, lips):
    """Objective decrease still available on the unpenalized coordinates.

    The dual point above ignores features with ``pf_j == 0`` (their dual constraint is an
    equality), so the gap alone can look converged while such a coordinate is far from
    its optimum. One coordinate step would gain ``grad_j^2 / (2 L_j)``: add that.
    """
    slack = 0.0
    for j in range(pf.shape[0]):
        if pf[j] == 0.0 and lips[j] > 0.0:
            slack += 0.5 * grad[j] * grad[j] / lips[j]
    return slack
