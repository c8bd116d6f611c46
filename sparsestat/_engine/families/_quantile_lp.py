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

__all__ = ["HIGHS_METHODS", "solve_quantile_lp", "solve_l1_exact", "use_exact_lp"]

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


# --------------------------------------------------------------------------------------
# Exact L1 quantile regression at every shape: one small LP at a time.
#
# scikit-learn's LP above has one row per sample and is solved by HiGHS's dual simplex,
# whose pivots grow with n: about n^2 work (1.4 s at 5000 x 3, 39 s at 20000 x 3).
# Two exact reductions keep every LP HiGHS sees small:
#
# * wide data (p > n): a working set of features. The restricted LP on the columns W
#   gives a multiplier ``lam`` (its equality duals); a feature outside W may stay at zero
#   iff ``|x_j^T lam| <= alpha pf_j`` (dual feasibility), so the most violated features
#   are added until none is: the restricted optimum is then optimal for all p features.
#   Memory O(n |W|) beyond X, work O(n p) per round.
# * tall data (n large): Portnoy & Koenker's (1997, Statistical Science 12, 279-300)
#   preprocessing. A pilot fit on a random subsample of m ~ (p n)^(2/3) samples predicts
#   which residuals are clearly positive or negative; those samples are "globbed": on
#   them rho_tau is linear, so they enter the LP as one linear cost. The reduced
#   objective is a lower bound of the true one (rho_tau(r) >= tau r and >= (tau - 1) r)
#   with equality where the predicted signs hold, so a reduced optimum whose globbed
#   residuals have the predicted signs is a global optimum; wrong signs go back into
#   the LP ("fixups") and the reduced LP is solved again. The pilot is fitted the same
#   way, so the LPs have about (p n)^(2/3) rows: near-linear in n overall.
#
# The LPs are solved by HiGHS's interior point method with crossover (a vertex and exact
# duals): it is linear-ish in the LP's size where the dual simplex is quadratic.
# --------------------------------------------------------------------------------------

#: LPs with at most this many rows are solved directly
_DIRECT_ROWS = 4000
#: Portnoy-Koenker: keep about 0.8 m samples in the reduced LP, at most 0.1 M fixups
_KEEP_FACTOR = 0.8
_MAX_FIXUPS = 0.1


@dataclass
class _LPSolution:
    w: np.ndarray
    b: float
    lam: np.ndarray  # equality duals, in units of the normalized weights c
    ok: bool
    n_lp: int
    message: str


def _direct(X, y, c, tau, apf, fit_intercept):
    """One HiGHS solve of ``sum_i c_i rho(y_i - x_i w - b) + sum_j apf_j |w_j|``."""
    from scipy.optimize import linprog

    n, p = X.shape
    K = n / c.sum()  # costs of order 1 per sample: HiGHS's tolerances are absolute
    Xs = sp.csc_array(X)
    eye = sp.eye_array(n, format="csc")
    blocks = [Xs, -Xs]
    cost = [K * apf, K * apf]
    n_par = 2 * p
    if fit_intercept:
        blocks.append(sp.csc_array(np.ones((n, 1))))
        cost.append(np.zeros(1))
        n_par += 1
    blocks += [eye, -eye]
    cost += [K * c * tau, K * c * (1.0 - tau)]
    bounds = np.zeros((n_par + 2 * n, 2))
    bounds[:, 1] = np.inf
    if fit_intercept:
        bounds[2 * p] = (-np.inf, np.inf)
    res = linprog(np.concatenate(cost), A_eq=sp.hstack(blocks, format="csc"), b_eq=y,
                  bounds=bounds, method="highs-ipm")
    if res.status != 0 or res.x is None:
        return _LPSolution(np.zeros(p), 0.0, np.zeros(n), False, 1,
                           f"Status is {res.status}: {_FAILURE.get(res.status, 'unknown')}"
                           f"\nResult message of linprog:\n{res.message}")
    w = res.x[:p] - res.x[p:2 * p]
    b = float(res.x[2 * p]) if fit_intercept else 0.0
    lam = np.asarray(res.eqlin.marginals, dtype=np.float64) / K
    return _LPSolution(w, b, lam, True, 1, "")


def _band(X, rows, fit_intercept):
    """Portnoy-Koenker's scale of the pilot prediction at each sample:
    ``sqrt(x_i^T (X_s^T X_s)^-1 x_i)`` over the subsample ``rows`` (intercept included)."""
    Xs = X[rows]
    Xs = Xs.toarray() if sp.issparse(Xs) else np.asarray(Xs)
    if fit_intercept:
        Xs = np.hstack([Xs, np.ones((Xs.shape[0], 1))])
    gram = Xs.T @ Xs
    gram[np.diag_indices_from(gram)] += 1e-10 * max(np.trace(gram), 1e-300)
    try:
        L = np.linalg.cholesky(gram)
    except np.linalg.LinAlgError:
        return np.ones(X.shape[0])
    Linv = np.linalg.inv(L).T  # (x^T Linv)^2 summed = x^T gram^-1 x
    n = X.shape[0]
    band = np.empty(n)
    step = max(1, 2 ** 22 // max(1, Linv.shape[0]))  # bounded temporaries
    for start in range(0, n, step):
        block = X[start:start + step]
        block = block.toarray() if sp.issparse(block) else np.asarray(block)
        T = block @ Linv[:X.shape[1]]
        if fit_intercept:
            T += Linv[-1]
        band[start:start + step] = np.sqrt(np.einsum("ij,ij->i", T, T))
    return np.maximum(band, 1e-12 * max(band.max(), 1e-300))


def _glob(X, y, c, mask):
    """The samples in ``mask`` as one pseudo-sample: weighted means of x and y, total weight.

    ``sum_i c_i rho(r_i) >= C rho(sum_i c_i r_i / C)`` (rho is convex and positively
    homogeneous), with equality when the ``r_i`` share a sign.
    """
    cm = c[mask]
    C = float(cm.sum())
    xg = np.asarray(X[mask].T @ cm).ravel() / C
    return xg, float(cm @ y[mask]) / C, C


def _solve(X, y, c, tau, apf, fit_intercept, rng):
    """Exact solution of the weighted L1 problem on the rows of ``X``; preprocessing
    when there are many rows (the pilot fit recursively)."""
    n, p = X.shape
    k = p + int(fit_intercept)
    m = int(np.ceil((k * n) ** (2.0 / 3.0)))
    if n <= _DIRECT_ROWS or m >= n // 2:
        return _direct(X, y, c, tau, apf, fit_intercept)
    n_lp = 0
    while m < n // 2:
        sub = np.sort(rng.choice(n, size=m, replace=False))
        pilot = _solve(X[sub], y[sub], c[sub], tau, apf * (c[sub].sum() / c.sum()),
                       fit_intercept, rng)
        n_lp += pilot.n_lp
        if not pilot.ok:
            m *= 2
            continue
        r = y - np.asarray(X @ pilot.w).ravel() - pilot.b
        M = _KEEP_FACTOR * m
        # thresholds on r / band at the levels tau -+ M / (2 n) (weighted ranks)
        t = r / _band(X, sub, fit_intercept)
        order = np.argsort(t, kind="stable")
        cum = np.cumsum(c[order]) / c.sum()
        lo = order[min(np.searchsorted(cum, max(tau - M / (2 * n), 0.0)), n - 1)]
        hi = order[min(np.searchsorted(cum, min(tau + M / (2 * n), 1.0)), n - 1)]
        neg = t < t[lo]  # predicted r < 0
        pos = t > t[hi]  # predicted r > 0
        restart = False
        while True:
            keep = np.flatnonzero(~(neg | pos))
            Xr, yr, cr = X[keep], y[keep], c[keep]
            globs = [_glob(X, y, c, mask) for mask in (neg, pos) if mask.any()]
            if globs:
                extra = np.array([g[0] for g in globs])
                Xr = sp.vstack([Xr, sp.csr_matrix(extra)], format="csr") \
                    if sp.issparse(X) else np.vstack([Xr, extra])
                yr = np.concatenate([yr, [g[1] for g in globs]])
                cr = np.concatenate([cr, [g[2] for g in globs]])
            # directly: the pseudo-samples' weights would defeat another subsample
            sol = _direct(Xr, yr, cr, tau, apf, fit_intercept)
            n_lp += sol.n_lp
            if not sol.ok:
                restart = True
                break
            r = y - np.asarray(X @ sol.w).ravel() - sol.b
            tol = 1e-12 * (np.abs(y).max() + 1e-300)
            bad = (neg & (r > tol)) | (pos & (r < -tol))
            n_bad = int(bad.sum())
            if n_bad == 0:
                lam = np.zeros(n)
                lam[keep] = sol.lam[:keep.size]
                for j, mask in enumerate(m_ for m_ in (neg, pos) if m_.any()):
                    # the glob's multiplier, shared in proportion to the weights
                    lam[mask] = c[mask] * (sol.lam[keep.size + j] / globs[j][2])
                return _LPSolution(sol.w, sol.b, lam, True, n_lp, "")
            if n_bad > _MAX_FIXUPS * M:
                restart = True
                break
            neg &= ~bad
            pos &= ~bad
        if restart:
            m *= 2
    sol = _direct(X, y, c, tau, apf, fit_intercept)
    sol.n_lp += n_lp
    return sol


def _solve_wide(X, y, c, tau, apf, fit_intercept, rng, start):
    """Working set of features for ``p > n``; ``start``: features to begin with."""
    n, p = X.shape
    batch = max(2 * n, 20)
    W = np.unique(np.asarray(start, dtype=np.int64))
    in_W = np.zeros(p, dtype=bool)
    in_W[W] = True
    n_lp = 0
    while True:
        sol = _solve(X[:, W], y, c, tau, apf[W], fit_intercept, rng)
        n_lp += sol.n_lp
        if not sol.ok:
            sol.n_lp = n_lp
            return sol, W
        corr = np.abs(np.asarray(X.T @ sol.lam).ravel())
        # HiGHS's dual feasibility tolerance is 1e-7 on costs of order one per sample
        excess = corr - apf - 1e-7 * (apf + c.max())
        excess[in_W] = -np.inf
        viol = np.flatnonzero(excess > 0)
        if viol.size == 0:
            w = np.zeros(p)
            w[W] = sol.w
            return _LPSolution(w, sol.b, sol.lam, True, n_lp, ""), W
        if viol.size > batch:
            viol = viol[np.argpartition(-excess[viol], batch)[:batch]]
        W = np.sort(np.concatenate([W, viol]))
        in_W[viol] = True


#: ``solver="auto"`` takes the exact LP path for the L1 problem above this many samples
TALL_SAMPLES = 20000


def use_exact_lp(n, p, fit_intercept=True):
    """Whether :func:`solve_l1_exact` beats ADMM on an ``n x p`` L1 problem: wide data,
    or tall data where the preprocessing's subsample is under half the samples."""
    k = p + int(fit_intercept)
    return p > n or (n > TALL_SAMPLES and (k * n) ** (2.0 / 3.0) < n / 2)


def lp_memory(n, p, nnz=None):
    """Bytes of scipy's and HiGHS's copies of an LP with ``n`` rows (generous: sparse
    arrays of ``[X, -X, 1, I, -I]`` in scipy and HiGHS, each entry 8 + 8 bytes)."""
    nnz = n * p if nnz is None else nnz
    return int(16 * 3 * (2 * nnz + 3 * n) + 8 * 10 * (2 * p + 2 * n))


def solve_l1_exact(X, y, taus, alpha, *, sample_weight=None, fit_intercept=True,
                   penalty_factor=None, random_state=0):
    """Exact L1 quantile regression at every shape (see the comment above).

    Minimizes ``sum_i c_i rho_tau(y_i - x_i^T w - b) + alpha sum_j pf_j |w_j|`` with
    ``c = sample_weight / sum(sample_weight)`` for each level, and returns a
    ``PinballResult`` (``n_iter``: the number of LPs solved; ``gap``: relative duality
    gap of the LP's multiplier, a certificate computed on the full problem).
    """
    from .._memory import check_memory
    from ._pinball import PinballResult, _dual_bound, _normalized_weights, _objective
    from ._pinball import pinball_sum, weighted_quantile
    from ..penalties import L1

    taus = np.atleast_1d(np.asarray(taus, dtype=np.float64))
    y = np.ascontiguousarray(y, dtype=np.float64)
    if sample_weight is not None and np.any(np.asarray(sample_weight) == 0):
        keep = np.flatnonzero(np.asarray(sample_weight) != 0)
        X, y = X[keep], y[keep]
        sample_weight = np.asarray(sample_weight)[keep]
    n, p = X.shape
    c = _normalized_weights(sample_weight, n)
    pf = np.ones(p) if penalty_factor is None else np.ascontiguousarray(
        np.broadcast_to(np.asarray(penalty_factor, dtype=np.float64), (p,)))
    wide = p > n
    if sp.issparse(X):
        X = sp.csc_matrix(X, dtype=np.float64, copy=True) if wide else \
            sp.csr_matrix(X, dtype=np.float64, copy=True)
        X.sum_duplicates()
    else:
        X = np.asarray(X, dtype=np.float64)
    # what is allocated beyond X: the LPs (at most about (p n)^(2/3) rows when tall,
    # n rows and a few n columns when wide), the pilot's band (n x (p + 1) by blocks)
    # and vectors of length n and p
    rows = n if n <= _DIRECT_ROWS else min(n, int(4 * ((p + 1) * n) ** (2 / 3)))
    cols = min(p, 4 * n + 40) if wide else p
    need = lp_memory(rows, cols) + 8 * 16 * (n + p)
    check_memory(need, f"exact L1 quantile regression on {n} x {p}")
    apf = alpha * pf
    rng = np.random.default_rng(random_state)
    penalty = L1(alpha)
    L = taus.shape[0]
    coefs = np.zeros((L, p))
    intercepts = np.zeros(L)
    n_iters = np.zeros(L, dtype=np.int64)
    gaps = np.full(L, np.inf)
    converged = np.zeros(L, dtype=bool)
    objectives = np.zeros(L)
    messages = [""] * L
    start = None
    for level in np.argsort(taus):
        tau = float(taus[level])
        if wide:
            if start is None or start.size == 0:
                # the features most correlated with the null model's multiplier
                r0 = y - (weighted_quantile(y, c, tau) if fit_intercept else 0.0)
                lam0 = np.where(r0 > 0, c * tau, c * (tau - 1.0))
                lam0 -= lam0.mean() if fit_intercept else 0.0
                corr = np.abs(np.asarray(X.T @ lam0).ravel()) - apf
                k = min(p, max(n, 10))
                start = np.argpartition(-corr, k - 1)[:k]
            sol, W = _solve_wide(X, y, c, tau, apf, fit_intercept, rng, start)
            start = W[np.abs(sol.w[W]) > 0] if sol.ok else None
        else:
            sol = _solve(X, y, c, tau, apf, fit_intercept, rng)
        n_iters[level] = sol.n_lp
        messages[level] = sol.message
        if not sol.ok:
            coefs[level] = np.nan
            objectives[level] = np.nan
            continue
        # the exact best intercept given w (a weighted quantile): never worse than the LP's
        value, b, _ = _objective(X, y, c, tau, penalty, pf, sol.w, fit_intercept)
        dual = _dual_bound(X, y, c, tau, penalty, pf, sol.lam, fit_intercept)
        if not np.isfinite(dual):
            # an unpenalized feature: no scaled bound, but the LP's multiplier is feasible
            # within HiGHS's tolerances, so its dual value is the certificate
            dual = float(y @ sol.lam)
        null = float(pinball_sum(y - (weighted_quantile(y, c, tau) if fit_intercept
                                      else 0.0), c, tau))
        scale = null if null > 0 else 1.0
        coefs[level] = sol.w
        intercepts[level] = b
        gaps[level] = max(value - dual, 0.0) / scale if np.isfinite(dual) else np.inf
        converged[level] = True
        objectives[level] = value
    result = PinballResult(coefs, intercepts, n_iters, gaps, converged, objectives)
    result.messages = messages
    return result
