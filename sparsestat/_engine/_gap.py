"""Duality gap of the quadratic datafit with L1 / elastic-net penalties."""

import numpy as np

from ._numba import jit
from ._penalty_kernels import ELASTIC_NET


@jit
def enet_duality_gap(pen, params, pf, w, grad, residual_sq, residual_dot_y, positive):
    """Gap of ``1/(2n)||y - Xw||^2 + sum_j pf_j alpha (l1 |w_j| + (1 - l1) w_j^2 / 2)``.

    Everything is in the 1/n scale: ``grad = -X^T R / n``, ``residual_sq = ||R||^2 / n``,
    ``residual_dot_y = R^T y / n`` with ``R = y - X w`` (sample weights folded in).

    With an L1 part (``l1 > 0``) the dual point is the residual rescaled into the dual
    feasible set, as in scikit-learn's coordinate descent, extended to per-feature
    penalty factors. Without one (ridge, ``l1 = 0``) no rescaling makes that point
    feasible (the constraint ``x_j^T theta = b_j w_j`` is an equality), and counting no
    feature would give a gap of exactly 0 at ``w = 0``: the ridge dual is used instead,
    ``D(theta) = theta^T y - n ||theta||^2 / 2 - sum_j (x_j^T theta)_+^2 / (2 b_j)``
    at ``theta = R / n`` (scikit-learn's "formulation B"; ``(.)_+`` only with positivity),
    a valid bound for every ``w``. Unpenalized features (``pf_j = 0`` or ``alpha = 0``)
    have an equality constraint in both: the callers add :func:`unpenalized_slack`.
    """
    alpha = params[0]
    l1_ratio = params[1] if pen == ELASTIC_NET else 1.0
    l1_term = 0.0
    l2_term = 0.0
    if l1_ratio == 0.0:
        conj = 0.0
        for j in range(w.shape[0]):
            b_j = alpha * pf[j]
            if b_j > 0.0:
                v = -grad[j]
                if positive and v < 0.0:
                    v = 0.0
                conj += v * v / (2.0 * b_j)
                l2_term += b_j * w[j] * w[j]
        gap = residual_sq + 0.5 * l2_term - residual_dot_y + conj
        return max(gap, 0.0) if np.isfinite(gap) else np.inf
    dual_norm = 0.0
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
def unpenalized_slack(params, pf, w, grad, lips, positive):
    """Objective decrease still available on the unpenalized coordinates.

    The dual point of :func:`enet_duality_gap` ignores features with no penalty at all
    (``pf_j == 0`` or ``alpha == 0``: their dual constraint is an equality), so the gap
    alone can look converged while such a coordinate is far from its optimum. One exact
    (projected, with positivity) coordinate step would gain ``-(g d + L_j d^2 / 2)``:
    add that.
    """
    slack = 0.0
    for j in range(pf.shape[0]):
        if (pf[j] == 0.0 or params[0] == 0.0) and lips[j] > 0.0:
            d = -grad[j] / lips[j]
            if positive and w[j] + d < 0.0:
                d = -w[j]
            slack -= grad[j] * d + 0.5 * lips[j] * d * d
    return slack


@jit
def gap_safe_screen(alpha, pf, grad, lips, gap, positive, w, screened):
    """Mark features whose Lasso coefficient is provably zero (Gap Safe rule).

    Ndiaye, Fercoq, Gramfort, Salmon (2017): with a duality gap ``gap`` (1/n scale) and
    the rescaled residual as dual point, feature ``j`` can be removed when
    ``|x_j^T theta| + ||x_j|| sqrt(2 gap) < alpha pf_j`` in the problem's own units,
    i.e. ``|grad_j| const + sqrt(2 L_j gap) < alpha pf_j`` with ``L_j = ||x_j||^2 / n``.
    Screened features stay out of every later gradient pass. Returns the count removed.
    """
    dual_norm = 0.0
    for j in range(grad.shape[0]):
        xta = -grad[j]
        ratio = (xta if positive else abs(xta)) / (alpha * pf[j])
        if ratio > dual_norm:
            dual_norm = ratio
    const = 1.0 / dual_norm if dual_norm > 1.0 else 1.0
    radius = np.sqrt(2.0 * gap)
    removed = 0
    for j in range(grad.shape[0]):
        if screened[j] or w[j] != 0.0:
            continue
        xta = -grad[j]
        corr = (xta if positive else abs(xta)) * const
        if corr + radius * np.sqrt(lips[j]) < alpha * pf[j]:
            screened[j] = True
            removed += 1
    return removed
