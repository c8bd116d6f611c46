"""Accelerated proximal gradient (FISTA) with backtracking and adaptive restart.

The solver of choice for penalties that are not coordinate-separable: it only needs the
penalty's vector prox (``prox_vec``) and the datafit's per-sample derivative.
"""

import numpy as np

from ._colops import array_max, copy_into, matvec_support, rmatvec
from ._datafit_kernels import datafit_value, fill_derivatives
from ._numba import jit
from ._penalty_kernels import kkt_scores, penalty_value, prox_vec

CHECK_EVERY = 10


@jit
def fista_solve(
    X, data, indices, indptr, y, sw, offset,
    datafit, dparams, dstruct, pen, params, struct, pf, lower, upper,
    w, intercept, fit_intercept, max_iter, tol, lipschitz,
):
    """Minimize ``datafit(Xw + intercept) + penalty(w)``; ``w`` is updated in place.

    ``lipschitz`` is a first guess of the gradient's Lipschitz constant; backtracking
    doubles it whenever the quadratic upper bound fails. Stops when the largest KKT
    violation is ``<= tol``. Returns ``(intercept, n_iter, stop_crit, converged, history)``.
    """
    n = y.shape[0]
    p = w.shape[0]
    L = max(lipschitz, 1e-12)
    z = w.copy()
    z_int = intercept
    w_prev = w.copy()
    scores = np.empty(n)
    derivs = np.empty(n)
    grad = np.empty(p)
    w_new = np.empty(p)
    kkt = np.empty(p)
    history = np.empty(max_iter + 1)
    matvec_support(X, data, indices, indptr, w, intercept, scores)
    scores += offset
    obj = (datafit_value(datafit, dparams, dstruct, y, scores, sw)
           + penalty_value(pen, params, struct, pf, w))
    history[0] = obj
    t = 1.0
    stop_crit = np.inf
    converged = False
    n_iter = 0
    for it in range(max_iter):
        matvec_support(X, data, indices, indptr, z, z_int, scores)
        scores += offset
        fill_derivatives(datafit, dparams, dstruct, y, scores, sw, derivs)
        f_z = datafit_value(datafit, dparams, dstruct, y, scores, sw)
        rmatvec(X, data, indices, indptr, derivs, grad)
        grad /= n
        g_int = derivs.sum() / n if fit_intercept else 0.0
        while True:
            prox_vec(pen, params, struct, pf, lower, upper, z - grad / L, 1.0 / L, w_new)
            int_new = z_int - g_int / L
            matvec_support(X, data, indices, indptr, w_new, int_new, scores)
            scores += offset
            f_new = datafit_value(datafit, dparams, dstruct, y, scores, sw)
            upper_bound = f_z + 0.5 * L * (int_new - z_int) ** 2 + g_int * (int_new - z_int)
            for j in range(p):
                d = w_new[j] - z[j]
                upper_bound += grad[j] * d + 0.5 * L * d * d
            # (``not L <= 1e20`` also ends the search on a NaN step, which never passes)
            if f_new <= upper_bound + 1e-12 * abs(f_new) or not L <= 1e20:
                break
            L *= 2.0
        obj_new = f_new + penalty_value(pen, params, struct, pf, w_new)
        copy_into(w_prev, w)  # (slice copies compile numba's shape-error text)
        int_prev = intercept
        copy_into(w, w_new)
        intercept = int_new
        n_iter = it + 1
        history[n_iter] = obj_new
        if obj_new > obj:
            # adaptive restart (O'Donoghue and Candes): drop the momentum
            t = 1.0
            copy_into(z, w)
            z_int = intercept
        else:
            t_next = 0.5 * (1.0 + np.sqrt(1.0 + 4.0 * t * t))
            beta = (t - 1.0) / t_next
            for j in range(p):
                z[j] = w[j] + beta * (w[j] - w_prev[j])
            z_int = intercept + beta * (intercept - int_prev)
            t = t_next
        obj = obj_new
        if n_iter % CHECK_EVERY == 0 or n_iter == max_iter:
            matvec_support(X, data, indices, indptr, w, intercept, scores)
            scores += offset
            fill_derivatives(datafit, dparams, dstruct, y, scores, sw, derivs)
            rmatvec(X, data, indices, indptr, derivs, grad)
            grad /= n
            kkt_scores(pen, params, struct, pf, lower, upper, w, grad, kkt)
            stop_crit = array_max(kkt) if p > 0 else 0.0
            if fit_intercept:
                stop_crit = max(stop_crit, abs(derivs.sum() / n))
            if stop_crit <= tol:
                converged = True
                break
    return intercept, n_iter, stop_crit, converged, history[: n_iter + 1]
