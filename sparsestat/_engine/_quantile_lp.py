"""L1-penalized quantile regression as a linear program, solved by scipy's HiGHS.

The exact LP of scikit-learn's ``QuantileRegressor`` (Koenker's formulation): with
``w = w+ - w-``, ``b = b+ - b-`` and residual parts ``u, v >= 0``::

    min  alpha S sum_j pf_j (w+_j + w-_j) + sum_i sw_i (tau u_i + (1 - tau) v_i)
    s.t. X (w+ - w-) + (b+ - b-) + u - v = y,   all variables >= 0

(``S = sum_i sw_i``), i.e. ``1 / S sum_i sw_i rho_tau(r_i) + alpha ||pf * w||_1``.
Samples of zero weight are dropped, as scikit-learn does. Dense and sparse ``X``.
"""

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

__all__ = ["HIGHS_METHODS", "solve_quantile_lp"]

HIGHS_METHODS = ("highs", "highs-ds", "highs-ipm")

_FAILURE = {
    1: "Iteration limit reached.",
    2: "Problem appears to be infeasible.",
    3: "Problem appears to be unbounded.",
    4: "Numerical difficulties encountered.",
}


@dataclass
class QuantileLPResult:
    coef: np.ndarray  # (n_levels, p)
    intercept: np.ndarray  # (n_levels,)
    n_iter: np.ndarray
    converged: np.ndarray
    objective: np.ndarray
    messages: list


def solve_quantile_lp(X, y, taus, alpha, *, sample_weight=None, fit_intercept=True,
                      penalty_factor=None, method="highs", options=None):
    """Solve the LP once per level in ``taus``; returns a :class:`QuantileLPResult`."""
    from scipy.optimize import linprog

    n, p = X.shape
    sw = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    pf = np.ones(p) if penalty_factor is None else np.asarray(penalty_factor, dtype=np.float64)
    keep = np.flatnonzero(sw)
    if keep.size < n:
        X, y, sw = X[keep], y[keep], sw[keep]
    m = keep.size
    S = sw.sum()
    Xc = sp.csc_array(X)
    eye = sp.eye_array(m, format="csc")
    blocks = [Xc, -Xc]
    pen = alpha * S * pf
    if fit_intercept:
        ones = sp.csc_array(np.ones((m, 1)))
        blocks = [Xc, ones, -Xc, -ones]
        pen = np.concatenate([pen, [0.0]])
    A_eq = sp.hstack(blocks + [eye, -eye], format="csc")
    n_par = pen.size
    coef = np.empty((len(taus), p))
    intercept = np.zeros(len(taus))
    n_iter = np.empty(len(taus), dtype=int)
    converged = np.empty(len(taus), dtype=bool)
    objective = np.empty(len(taus))
    messages = []
    for k, tau in enumerate(taus):
        c = np.concatenate([pen, pen, sw * tau, sw * (1.0 - tau)])
        res = linprog(c=c, A_eq=A_eq, b_eq=np.asarray(y, dtype=np.float64), method=method,
                      options=options)
        converged[k] = bool(res.success)
        n_iter[k] = int(getattr(res, "nit", 0) or 0)
        if res.x is None:
            x = np.zeros(c.size)
        else:
            x = res.x
        params = x[:n_par] - x[n_par:2 * n_par]
        coef[k] = params[:p]
        if fit_intercept:
            intercept[k] = params[p]
        objective[k] = float(c @ x) / S if res.x is not None else np.nan
        messages.append(f"Status is {res.status}: {_FAILURE.get(res.status, 'unknown reason')}"
                        f"\nResult message of linprog:\n{res.message}")
    return QuantileLPResult(coef, intercept, n_iter, converged, objective, messages)
