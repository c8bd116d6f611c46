"""Working-set proximal Newton for any datafit with Newton weights, in one compiled call.

For datafits without a global curvature bound (Poisson, Gamma, Tweedie, Cox) coordinate
steps ``1 / L_j`` do not exist, and for the logistic loss the bound ``1/4`` is loose. The
outer loop (as in :mod:`._cd`) scores every feature by its KKT violation and keeps a working
set: the support, the unpenalized features and the worst violators. On the working set it
takes proximal Newton steps (Lee, Sun and Saunders 2014; skglm's ``ProxNewton``, Bertrand
et al. 2022; glum's IRLS with inner coordinate descent):

1. Newton weights ``h_i`` at the current scores (``fill_hessian``: diagonal in score
   space, so the model of the datafit is ``g^T X d + d^T X^T diag(h) X d / (2n)``);
2. coordinate descent on that model plus the penalty over the working set (and a Newton
   step on the intercept), warm-started at ``d = 0``, until the model's own KKT violation
   is a fraction of the current one;
3. a backtracking line search on the true objective along ``d`` (Armijo with the
   composite decrease ``g^T X d / n + pen(w + d) - pen(w)``, Tseng and Yun 2009).

The working set is left when its KKT violation is below a fraction of the outer one;
the solve stops when the largest KKT violation over all features (and the intercept's
gradient) is ``<= tol``. Penalties enter only through their scalar prox and
subdifferential, datafits through ``fill_derivatives`` / ``fill_hessian`` / ``datafit_value``:
every separable penalty works with every datafit.
"""

import numpy as np

from ._cd import _full_gradient, _matvec_ws, _select_working_set
from ._colops import REDUCE, col_dot, col_dot_inline, col_weighted_sqnorm, matvec_support
from ._datafit_kernels import datafit_value, fill_derivatives, fill_hessian
from ._numba import jit
from ._penalty_kernels import kkt_scores, penalty_value, prox_box_1d, subdiff_distance, value_1d

# the working set is left when its violation is below this share of the outer one
WS_TOL_RATIO = 0.1
# the Newton model is solved until its violation is below this share of the current one
MODEL_TOL_RATIO = 0.3
MAX_NEWTON_PER_WS = 50
MAX_MODEL_EPOCHS = 50
MAX_LINE_SEARCH = 30
ARMIJO = 1e-4
# relative size of the objective's rounding error (n terms of a few ulp each)
ROUNDING = 1e-13
# a failed line search retries with the model's curvature times DAMPING, MAX_DAMPING times
DAMPING = 4.0
MAX_DAMPING = 6


@jit(fastmath=REDUCE)
def _model_epoch(X, data, indices, indptr, ws, pen, params, pf, lower, upper, lips_ws, w, d,
                 q, hess):
    """One proximal CD sweep on the Newton model over the working set.

    ``q = derivs + h * (X d)`` is the model's gradient in score space; ``d`` holds the
    step of each working-set coordinate. Returns the largest model violation seen (each
    coordinate's, before its update).
    """
    n = q.shape[0]
    worst = 0.0
    for k in range(ws.shape[0]):
        lk = lips_ws[k]
        if lk <= 0.0:
            continue
        j = ws[k]
        old = w[j] + d[k]
        g = col_dot_inline(X, data, indices, indptr, j, q) / n
        viol = subdiff_distance(pen, params, old, g, pf[j], lower[j], upper[j])
        if viol > worst:
            worst = viol
        new = prox_box_1d(pen, params, old - g / lk, 1.0 / lk, pf[j], lower[j], upper[j])
        delta = new - old
        if delta != 0.0:
            d[k] += delta
            if indptr.shape[0] == 1:  # dense
                for i in range(n):
                    q[i] += delta * hess[i] * X[i, j]
            else:
                for t in range(indptr[j], indptr[j + 1]):
                    i = indices[t]
                    q[i] += delta * hess[i] * data[t]
    return worst


@jit
def _ws_violation(X, data, indices, indptr, ws, pen, params, pf, lower, upper, w, derivs,
                  fit_intercept):
    """Largest KKT violation over the working set (and the intercept's gradient)."""
    n = derivs.shape[0]
    worst = 0.0
    for k in range(ws.shape[0]):
        j = ws[k]
        g = col_dot(X, data, indices, indptr, j, derivs) / n
        viol = subdiff_distance(pen, params, w[j], g, pf[j], lower[j], upper[j])
        if viol > worst:
            worst = viol
    if fit_intercept:
        worst = max(worst, abs(derivs.sum()) / n)
    return worst


@jit
def _ws_penalty(pen, params, pf, ws, w, d, t):
    """``sum_{j in ws} pen(w_j + t d_j)``."""
    total = 0.0
    for k in range(ws.shape[0]):
        j = ws[k]
        total += value_1d(pen, params, w[j] + t * d[k], pf[j])
    return total


@jit
def prox_newton_solve(
    X, data, indices, indptr, y, sw, offset,
    dcode, dparams, dstruct, pen, params, struct, pf, lower, upper,
    w, intercept, fit_intercept, max_iter, tol, ws_start,
):
    """Minimize ``datafit(X w + b + offset) + penalty(w)`` over box bounds, ``w`` in place.

    ``max_iter`` bounds the number of Newton steps (line searches). Stops when the
    largest KKT violation (and the intercept's gradient) is ``<= tol``, or when a line
    search finds no decrease twice in a row (the objective is flat to rounding: then
    ``converged`` says whether the violation reached ``tol``).
    Returns ``(intercept, n_newton, stop_crit, converged, objective_history)``.
    """
    n = y.shape[0]
    p = w.shape[0]
    scores = np.empty(n)
    matvec_support(X, data, indices, indptr, w, intercept, scores)
    scores += offset
    derivs = np.empty(n)
    fill_derivatives(dcode, dparams, dstruct, y, scores, sw, derivs)
    hess = np.empty(n)
    q = np.empty(n)
    xd = np.empty(n)
    trial = np.empty(n)
    grad = np.empty(p)
    kkt = np.empty(p)
    no_shift = np.zeros(p)
    screened = np.zeros(p, dtype=np.bool_)
    history = np.empty(max_iter + 1)
    n_history = 0
    n_newton = 0
    stop_crit = np.inf
    converged = False
    stalls = 0
    f_data = datafit_value(dcode, dparams, dstruct, y, scores, sw)
    obj = f_data + penalty_value(pen, params, struct, pf, w)

    while True:
        _full_gradient(X, data, indices, indptr, derivs, 0.0, no_shift, screened, grad)
        kkt_scores(pen, params, struct, pf, lower, upper, w, grad, kkt)
        stop_crit = kkt.max() if p > 0 else 0.0
        if fit_intercept:
            stop_crit = max(stop_crit, abs(derivs.sum()) / n)
        if n_history < history.shape[0]:
            history[n_history] = obj
            n_history += 1
        converged = stop_crit <= tol
        if converged or n_newton >= max_iter or stalls >= 2:
            break

        n_forced = 0
        for j in range(p):
            if w[j] != 0.0 or pf[j] == 0.0:
                kkt[j] = np.inf
                n_forced += 1
        ws_size = min(p, max(ws_start, 2 * n_forced))
        ws = _select_working_set(kkt, ws_size)
        m = ws.shape[0]
        d = np.zeros(m)
        lips_ws = np.empty(m)
        tol_ws = WS_TOL_RATIO * stop_crit
        crit_ws = stop_crit

        for _ in range(MAX_NEWTON_PER_WS):
            # 1. Newton weights and the model's coordinate constants
            fill_hessian(dcode, dparams, dstruct, y, scores, sw, hess)
            h_sum = hess.sum()
            for k in range(m):
                lips_ws[k] = col_weighted_sqnorm(X, data, indices, indptr, ws[k], hess) / n
            accepted = False
            for attempt in range(MAX_DAMPING):
                if attempt > 0:
                    # the model was too optimistic along its direction (a nonconvex
                    # penalty, or a far point): a stiffer model gives shorter prox steps
                    hess *= DAMPING
                    lips_ws *= DAMPING
                    h_sum *= DAMPING
                # 2. coordinate descent on the model (d = 0 start), intercept by Newton steps
                d[:] = 0.0
                db = 0.0
                q[:] = derivs
                tol_model = MODEL_TOL_RATIO * crit_ws
                for _epoch in range(MAX_MODEL_EPOCHS):
                    worst = _model_epoch(X, data, indices, indptr, ws, pen, params, pf, lower,
                                         upper, lips_ws, w, d, q, hess)
                    if fit_intercept and h_sum > 0.0:
                        q_sum = q.sum()
                        worst = max(worst, abs(q_sum) / n)
                        step_b = -q_sum / h_sum
                        db += step_b
                        for i in range(n):
                            q[i] += step_b * hess[i]
                    if worst <= tol_model:
                        break
                # 3. line search on the true objective
                _matvec_ws(X, data, indices, indptr, ws, d, db, xd)
                slope = 0.0
                for i in range(n):
                    slope += derivs[i] * xd[i]
                pen_now = _ws_penalty(pen, params, pf, ws, w, d, 0.0)
                decrease = slope / n + _ws_penalty(pen, params, pf, ws, w, d, 1.0) - pen_now
                rest = obj - f_data - pen_now  # the penalty outside the working set
                t = 1.0
                f_t = f_data
                pen_t = pen_now
                for _ls in range(MAX_LINE_SEARCH):
                    for i in range(n):
                        trial[i] = scores[i] + t * xd[i]
                    f_t = datafit_value(dcode, dparams, dstruct, y, trial, sw)
                    pen_t = _ws_penalty(pen, params, pf, ws, w, d, t)
                    obj_t = f_t + pen_t + rest
                    if decrease < 0.0:
                        ok = obj_t <= obj + ARMIJO * t * decrease
                    else:
                        ok = obj_t < obj
                    if not ok and t == 1.0 and decrease > -ROUNDING * (1.0 + abs(obj)):
                        # near the solution the predicted decrease is below the rounding of
                        # the objective and Armijo's test only sees noise: the full Newton step
                        # (where proximal Newton converges quadratically) is taken unless the
                        # objective visibly increases
                        ok = obj_t <= obj + ROUNDING * (1.0 + abs(obj))
                    if ok and np.isfinite(obj_t):
                        accepted = True
                        break
                    t *= 0.5
                if accepted:
                    break
            if not accepted:
                stalls += 1
                break
            decreased = obj_t < obj
            for k in range(m):
                if d[k] != 0.0:
                    j = ws[k]
                    v = w[j] + t * d[k]
                    # stay inside the box despite rounding
                    w[j] = min(max(v, lower[j]), upper[j])
            intercept += t * db
            scores[:] = trial
            fill_derivatives(dcode, dparams, dstruct, y, scores, sw, derivs)
            f_data = f_t
            obj = f_t + pen_t + rest
            n_newton += 1
            crit_prev = crit_ws
            crit_ws = _ws_violation(X, data, indices, indptr, ws, pen, params, pf, lower,
                                    upper, w, derivs, fit_intercept)
            # a step taken at the rounding level of the objective is progress only if it
            # lowers the violation; twice no progress in a row ends the solve
            if decreased or crit_ws < crit_prev:
                stalls = 0
            else:
                stalls += 1
            if crit_ws <= tol_ws or n_newton >= max_iter or stalls >= 2:
                break
    return intercept, n_newton, stop_crit, converged, history[:n_history]
