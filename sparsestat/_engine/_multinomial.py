"""Multinomial (softmax) logistic regression with a separable penalty, by FISTA.

The coefficients form a ``(n_classes, n_features)`` matrix ``W`` (class-major, so rows are
contiguous); the loss of sample ``i``
is ``logsumexp(s_i) - s_i[y_i]`` with scores ``s_i = x_i^T W + b``. Every entry of ``W``
gets the penalty's scalar prox (so any separable penalty works, nonconvex included); the
intercepts are unpenalized. The solve runs in compiled calls of about
``_interrupt.CHUNK_SECONDS`` each (so that Ctrl-C is acted on), each resuming exactly
where the last stopped, over dense or CSC designs through ``_colops``.
"""

import numpy as np

from ._colops import copy_into, copy_into_2d, matvec_support, rmatvec
from ._interrupt import run_in_chunks
from ._numba import jit
from ._penalty_kernels import kkt_scores, penalty_value, prox_box_1d

CHECK_EVERY = 10


@jit
def _softmax_loss(X, data, indices, indptr, y_idx, sw, W, b, scores, probs):
    """Weighted mean loss; fills scores (n, K) and probabilities (n, K)."""
    n = y_idx.shape[0]
    K = W.shape[0]
    for k in range(K):
        matvec_support(X, data, indices, indptr, W[k], b[k], scores[k])
    total = 0.0
    for i in range(n):
        m = scores[0, i]
        for k in range(1, K):
            if scores[k, i] > m:
                m = scores[k, i]
        acc = 0.0
        for k in range(K):
            probs[k, i] = np.exp(scores[k, i] - m)
            acc += probs[k, i]
        for k in range(K):
            probs[k, i] /= acc
        total += sw[i] * (m + np.log(acc) - scores[y_idx[i], i])
    return total / n


@jit
def _softmax_grad(X, data, indices, indptr, y_idx, sw, probs, resid, grad, grad_b):
    n = y_idx.shape[0]
    K = probs.shape[0]
    for k in range(K):
        for i in range(n):
            resid[k, i] = sw[i] * (probs[k, i] - (1.0 if y_idx[i] == k else 0.0))
        rmatvec(X, data, indices, indptr, resid[k], grad[k])
        grad_b[k] = 0.0
        for i in range(n):
            grad_b[k] += resid[k, i]
    grad /= n
    grad_b /= n


@jit
def _pen_total(pen, params, struct, pf, W):
    total = 0.0
    for k in range(W.shape[0]):
        total += penalty_value(pen, params, struct, pf, W[k])
    return total


# ``multinomial_solve`` state vector: the step's curvature L (doubled by backtracking),
# FISTA's t, the last objective and the iterations done, so that a solve resumes exactly
_ST_L, _ST_T, _ST_OBJ, _ST_IT = 0, 1, 2, 3


@jit
def multinomial_solve(
    X, data, indices, indptr, y_idx, sw, pen, params, struct, pf, lower, upper,
    W, b, Z, zb, state, fit_intercept, max_iter, tol, budget,
):
    """Minimize ``(1/n) sum_i sw_i softmax_loss_i(X W + b) + sum_k penalty(W[:, k])``.

    ``W`` (C-ordered, ``(K, p)``) and ``b`` (``(K,)``) are updated in place, as are FISTA's
    extrapolated point ``Z, zb`` and ``state`` (``_ST_*``; a fresh solve has ``Z = W``,
    ``zb = b``, ``state = [lipschitz, 1, nan, 0]``). Runs at most ``budget`` iterations,
    so a solve split into several calls takes exactly the steps of one call. Stops when
    the largest KKT violation is ``<= tol``. Returns ``(n_iter, stop_crit, converged,
    history)``: iterations so far, and the objectives of this call's iterations (the
    start's first when ``n_iter`` was 0).
    """
    n = y_idx.shape[0]
    K, p = W.shape
    L = max(state[_ST_L], 1e-12)
    scores = np.empty((K, n))
    probs = np.empty((K, n))
    resid = np.empty((K, n))
    grad = np.empty((K, p))
    grad_b = np.empty(K)
    W_prev = W.copy()
    W_new = np.empty((K, p))
    b_new = np.empty(K)
    kkt = np.empty(p)
    done = int(state[_ST_IT])
    last = min(max_iter, done + budget)
    history = np.empty(last - done + 1)
    n_hist = 0
    if done == 0:
        obj = (_softmax_loss(X, data, indices, indptr, y_idx, sw, W, b, scores, probs)
               + _pen_total(pen, params, struct, pf, W))
        history[0] = obj
        n_hist = 1
    else:
        obj = state[_ST_OBJ]
    t = state[_ST_T]
    stop_crit = np.inf
    converged = False
    n_iter = done
    for it in range(done, last):
        f_z = _softmax_loss(X, data, indices, indptr, y_idx, sw, Z, zb, scores, probs)
        _softmax_grad(X, data, indices, indptr, y_idx, sw, probs, resid, grad, grad_b)
        while True:
            for k in range(K):
                for j in range(p):
                    W_new[k, j] = prox_box_1d(pen, params, Z[k, j] - grad[k, j] / L, 1.0 / L,
                                              pf[j], lower[j], upper[j])
                b_new[k] = zb[k] - grad_b[k] / L if fit_intercept else zb[k]
            f_new = _softmax_loss(X, data, indices, indptr, y_idx, sw, W_new, b_new, scores,
                                  probs)
            bound = f_z
            for k in range(K):
                d = b_new[k] - zb[k]
                bound += grad_b[k] * d + 0.5 * L * d * d
                for j in range(p):
                    d = W_new[k, j] - Z[k, j]
                    bound += grad[k, j] * d + 0.5 * L * d * d
            if f_new <= bound + 1e-12 * abs(f_new) or L > 1e20:
                break
            L *= 2.0
        obj_new = f_new + _pen_total(pen, params, struct, pf, W_new)
        copy_into_2d(W_prev, W)  # (slice copies compile numba's shape-error text)
        b_prev = b.copy()
        copy_into_2d(W, W_new)
        copy_into(b, b_new)
        n_iter = it + 1
        history[n_hist] = obj_new
        n_hist += 1
        if obj_new > obj:
            t = 1.0
            copy_into_2d(Z, W)
            copy_into(zb, b)
        else:
            t_next = 0.5 * (1.0 + np.sqrt(1.0 + 4.0 * t * t))
            beta = (t - 1.0) / t_next
            for k in range(K):
                zb[k] = b[k] + beta * (b[k] - b_prev[k])
                for j in range(p):
                    Z[k, j] = W[k, j] + beta * (W[k, j] - W_prev[k, j])
            t = t_next
        obj = obj_new
        if n_iter % CHECK_EVERY == 0 or n_iter == max_iter:
            _softmax_loss(X, data, indices, indptr, y_idx, sw, W, b, scores, probs)
            _softmax_grad(X, data, indices, indptr, y_idx, sw, probs, resid, grad, grad_b)
            stop_crit = 0.0
            for k in range(K):
                kkt_scores(pen, params, struct, pf, lower, upper, W[k], grad[k], kkt)
                for j in range(p):
                    if kkt[j] > stop_crit:
                        stop_crit = kkt[j]
                if fit_intercept and abs(grad_b[k]) > stop_crit:
                    stop_crit = abs(grad_b[k])
            if stop_crit <= tol:
                converged = True
                break
    state[_ST_L] = L
    state[_ST_T] = t
    state[_ST_OBJ] = obj
    state[_ST_IT] = n_iter
    return n_iter, stop_crit, converged, history[:n_hist]


def solve_multinomial(X, y_idx, n_classes, penalty, *, sample_weight=None, fit_intercept=True,
                      penalty_factor=None, lower=None, upper=None, coef_init=None,
                      intercept_init=None, max_iter=1000, tol=1e-4):
    """Python entry point: returns ``(W (K, p), b (K,), n_iter, stop_crit, converged, hist)``.

    ``y_idx`` holds class indices in ``0 .. n_classes - 1``; ``tol`` is a KKT violation.
    """
    from ._colops import design_entries, split_design
    from .solvers import _bounds, _lipschitz_estimate, _penalty_factor

    n, p = X.shape
    sw = np.ones(n) if sample_weight is None else np.ascontiguousarray(sample_weight,
                                                                        dtype=np.float64)
    pf = _penalty_factor(p, penalty_factor)
    lo, hi = _bounds(p, lower, upper)
    W = np.zeros((n_classes, p)) if coef_init is None else np.array(coef_init, dtype=np.float64)
    b = np.zeros(n_classes) if intercept_init is None else np.array(intercept_init,
                                                                     dtype=np.float64)
    # the softmax Hessian is bounded by I / 2
    L = _lipschitz_estimate(X, sw, 0.5, n)
    if fit_intercept:
        L = max(L, 0.5 * sw.max())
    design = split_design(X)
    y_idx = np.ascontiguousarray(y_idx, dtype=np.int64)
    args = (penalty.code, penalty.params_array(), penalty.struct_array(), pf, lo, hi)
    # bounded kernel calls, each resuming exactly where the last stopped (_interrupt.py)
    Z, zb = W.copy(), b.copy()
    state = np.array([L, 1.0, np.nan, 0.0])
    out = {"crit": np.inf, "converged": False, "hist": []}

    def step(budget):
        before = int(state[_ST_IT])
        n_iter, crit, converged, hist = multinomial_solve(
            *design, y_idx, sw, *args, W, b, Z, zb, state, bool(fit_intercept),
            int(max_iter), float(tol), int(budget))
        out.update(crit=crit, converged=converged)
        out["hist"].append(hist)
        return n_iter - before, bool(converged)

    # an iteration: two or more loss and gradient passes over the design per class
    n_iter = run_in_chunks(step, int(max_iter), 2 * n_classes * (
        design_entries(design)), resumable=True)
    hist = np.concatenate(out["hist"])
    return W, b, int(n_iter), float(out["crit"]), bool(out["converged"]), hist
