"""Finishing touches on a solution: a coordinatewise-optimality certificate and a Newton polish.

``coordinatewise_move`` checks the exact one-dimensional problem of every coordinate at
its own step ``1 / L_j``. For nonconvex penalties this is stronger than the first-order
(Clarke) condition the solvers stop on: with a small column norm (``L_j gamma < 1`` for
MCP) a zero can be Clarke-stationary and still not be the coordinate's minimizer (the
exact prox jumps to a large value). The solvers' stopping rule cannot see ``L_j``, so the
estimators call this after a solve and re-solve from the improved point when it finds a
move (the objective strictly decreases, so the loop ends).

``newton_polish`` solves the first-order conditions restricted to a fixed support in one
(quadratic datafit, piecewise-quadratic penalty) or a few Newton steps, accepted only when
the signs and the objective say the support was right.

Both take the model's ``offset`` (a known part of the linear predictor, as in
``solve(..., offset=)``): it enters every score given to the datafit's methods, which own
what a score means.
"""

import numpy as np
import scipy.sparse as sp

from . import _penalty_kernels as _pk
from ._colops import column_weighted_sqnorms, rmatvec, split_design
from ._numba import jit
from .datafits import Quadratic

__all__ = ["coordinatewise_move", "newton_polish"]


def _linear_predictor(X, w, intercept, offset):
    """``X w + intercept (+ offset)`` as float64."""
    scores = np.asarray(X @ w, dtype=np.float64).ravel() + intercept
    return scores if offset is None else scores + offset


def _scores_and_grad(X, y, datafit, w, intercept, sw, fit_intercept, offset=None):
    n = X.shape[0]
    scores = _linear_predictor(X, w, intercept, offset)
    quadratic = datafit.code == Quadratic.code
    if quadratic and fit_intercept:
        # the intercept is re-optimized with every coordinate move (implicit centering)
        scores += float(sw @ (y - scores)) / sw.sum()
    raw = datafit.raw_gradient(y, scores, sw)
    grad = np.asarray(X.T @ raw).ravel() / n
    return scores, grad


def column_stats(X, sw):
    """``(sum_i sw_i x_ij^2, sum_i sw_i x_ij)`` for every column, dense or sparse, no copy."""
    p = X.shape[1]
    sq, mean = np.empty(p), np.empty(p)
    if sp.issparse(X) and X.format != "csc":
        X = X.tocsc()
    design, sw = split_design(X), np.ascontiguousarray(sw, dtype=np.float64)
    column_weighted_sqnorms(*design, sw, sq)
    rmatvec(*design, sw, mean)
    return sq, mean


def _lipschitz(X, sw, datafit, fit_intercept, stats=None, y=None, scores=None):
    """Coordinate constants: the datafit's curvature bound times the column norms.

    A datafit without a bound gets the local curvature at ``scores`` instead (Newton
    weights): a model, not an upper bound, so the caller verifies its predictions.
    """
    n = X.shape[0]
    curv = datafit.curvature_bound()
    if not np.isfinite(curv):
        sq, _ = column_stats(X, datafit.raw_hessian(y, scores, sw))
        return np.maximum(sq, 0.0) / n
    sq, mean = column_stats(X, sw) if stats is None else stats
    if datafit.code == Quadratic.code and fit_intercept:
        sq = sq - mean ** 2 / sw.sum()
    return curv * np.maximum(sq, 0.0) / n


@jit
def _best_move(code, params, pf, lower, upper, w, grad, lips, threshold):
    """Largest model decrease over single-coordinate exact prox moves that change a sign."""
    best_j = -1
    best_x = 0.0
    best_dec = threshold
    for j in range(w.shape[0]):
        if lips[j] <= 0.0:
            continue
        step = 1.0 / lips[j]
        x = _pk.prox_box_1d(code, params, w[j] - grad[j] * step, step, pf[j], lower[j],
                            upper[j])
        d = x - w[j]
        if d == 0.0 or np.sign(x) == np.sign(w[j]):
            # refinements within a sign pattern are the solver's business (its tol);
            # only entering, leaving or flipping coordinates are what it cannot see
            continue
        dec = -(grad[j] * d + 0.5 * lips[j] * d * d
                + _pk.value_1d(code, params, x, pf[j])
                - _pk.value_1d(code, params, w[j], pf[j]))
        if dec > best_dec:
            best_dec = dec
            best_j = j
            best_x = x
    return best_j, best_x, best_dec


def coordinatewise_move(X, y, datafit, penalty, w, intercept, sw, pf, lower, upper,
                        fit_intercept, rel_tol=1e-10, stats=None, offset=None):
    """The best single-coordinate move of ``w`` by an exact prox step, or None.

    Only moves that change the coordinate's sign pattern (enter, leave, flip) count:
    the solver's tolerance governs refinements of nonzero coefficients. Each move is
    scored by the decrease of the datafit's quadratic model along the coordinate (exact
    for least squares, an upper bound for a datafit with a curvature bound, so a
    predicted decrease is a real one; for a datafit without one the model uses the local
    curvature and the decrease is checked on the true objective) plus the penalty
    change. ``stats`` reuses :func:`column_stats` of ``X``; ``offset`` (None or shape
    ``(n_samples,)``) is added to every score. Returns
    ``(j, new_value, decrease)`` for the largest decrease
    above ``rel_tol * (1 + |objective|)``, else None.
    """
    n, p = X.shape
    sw = np.ones(n) if sw is None else sw
    scores, grad = _scores_and_grad(X, y, datafit, w, intercept, sw, fit_intercept, offset)
    lips = _lipschitz(X, sw, datafit, fit_intercept, stats, y, scores)
    obj = datafit.value(y, scores, sw) + penalty.value(w, penalty_factor=pf)
    j, x, dec = _best_move(penalty.code, penalty.params_array(),
                           np.ascontiguousarray(pf, dtype=np.float64),
                           np.ascontiguousarray(lower, dtype=np.float64),
                           np.ascontiguousarray(upper, dtype=np.float64),
                           np.ascontiguousarray(w, dtype=np.float64), grad, lips,
                           rel_tol * (1.0 + abs(obj)))
    if j < 0:
        return None
    if not np.isfinite(datafit.curvature_bound()):
        col = X[:, [j]]
        col = np.asarray(col.toarray() if sp.issparse(col) else col, dtype=np.float64).ravel()
        w_new = np.array(w, dtype=np.float64)
        w_new[j] = x
        true_obj = (datafit.value(y, scores + (x - w[j]) * col, sw)
                    + penalty.value(w_new, penalty_factor=pf))
        if not true_obj < obj - rel_tol * (1.0 + abs(obj)):
            return None
        dec = obj - true_obj
    return int(j), float(x), float(dec)


def _pen_derivs(code, params, w, pf):
    """First and second derivatives of a separable penalty at nonzero ``w``."""
    a = pf * params[0]
    u = np.abs(w)
    s = np.sign(w)
    if code == _pk.L1:
        return a * s, np.zeros_like(w)
    if code == _pk.ELASTIC_NET:
        l1, l2 = a * params[1], a * (1 - params[1])
        return l1 * s + l2 * w, np.full_like(w, 0.0) + l2
    if code == _pk.MCP:
        g = params[1]
        inner = u <= g * a
        return np.where(inner, (a - u / g) * s, 0.0), np.where(inner, -1.0 / g, 0.0)
    if code == _pk.SCAD:
        g = params[1]
        mid = (u > a) & (u <= g * a)
        d1 = np.where(u <= a, a, np.where(mid, (g * a - u) / (g - 1), 0.0)) * s
        return d1, np.where(mid, -1.0 / (g - 1), 0.0)
    if code == _pk.L0:
        return 2 * pf * params[1] * w, 2 * pf * params[1] + 0 * w
    return None, None


def newton_polish(X, y, datafit, penalty, w, intercept, sw, pf, fit_intercept,
                  max_steps=5, max_support=2000, offset=None):
    """Newton steps on the stationarity equations restricted to the support of ``w``.

    Returns ``(w, intercept, accepted)``; the new point is accepted only if every
    coefficient keeps its sign and region and the objective does not increase. For the
    quadratic datafit and a piecewise-quadratic penalty one step is exact. ``offset``
    (None or shape ``(n_samples,)``) is added to every score.
    """
    support = np.flatnonzero(w)
    n = X.shape[0]
    sw = np.ones(n) if sw is None else sw
    if support.size == 0 or support.size > min(max_support, n):
        return w, intercept, False
    code, params = penalty.code, penalty.params_array()
    d1, _ = _pen_derivs(code, params, w[support], pf[support])
    if d1 is None:
        return w, intercept, False
    Xa = X[:, support]
    Xa = Xa.toarray() if sp.issparse(Xa) else np.asarray(Xa, dtype=np.float64)

    def objective(wa, b):
        s = _linear_predictor(Xa, wa, b, offset)
        full = w.copy()
        full[support] = wa
        return datafit.value(y, s, sw) + penalty.value(full, penalty_factor=pf)

    wa, b = w[support].astype(np.float64).copy(), float(intercept)
    obj0 = objective(wa, b)
    for _ in range(max_steps):
        scores = _linear_predictor(Xa, wa, b, offset)
        raw = datafit.raw_gradient(y, scores, sw)
        hw = datafit.raw_hessian(y, scores, sw)
        d1, d2 = _pen_derivs(code, params, wa, pf[support])
        g = Xa.T @ raw / n + d1
        H = (Xa * hw[:, None]).T @ Xa / n + np.diag(d2)
        if fit_intercept:
            g = np.append(g, raw.sum() / n)
            col = Xa.T @ hw / n
            H = np.block([[H, col[:, None]], [col[None, :], np.array([[hw.sum() / n]])]])
        try:
            step = np.linalg.solve(H, g)
        except np.linalg.LinAlgError:
            return w, intercept, False
        new_wa = wa - step[: support.size]
        new_b = b - step[support.size] if fit_intercept else b
        if np.any(np.sign(new_wa) != np.sign(wa)):
            return w, intercept, False
        wa, b = new_wa, new_b
        if np.linalg.norm(step) <= 1e-12 * (1 + np.linalg.norm(wa)):
            break
    # the region of a piecewise penalty must not change (its derivative formula changes)
    d1_new, d2_new = _pen_derivs(code, params, wa, pf[support])
    _, d2_old = _pen_derivs(code, params, w[support], pf[support])
    if not np.array_equal(d2_new, d2_old):
        return w, intercept, False
    if objective(wa, b) > obj0 + 1e-14 * abs(obj0):
        return w, intercept, False
    out = w.copy()
    out[support] = wa
    return out, b, True
