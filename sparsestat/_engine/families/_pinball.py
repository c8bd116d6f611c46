"""The pinball (quantile) datafit and its solver: ADMM with a Gram-CD inner step.

Problem, for a level ``tau`` in (0, 1) and weights ``c_i = sw_i / sum(sw)``::

    min_{w, b}  sum_i c_i rho_tau(y_i - x_i^T w - b) + pen(w),
    rho_tau(r) = max(tau r, (tau - 1) r),

with ``pen`` a separable penalty of ``_penalty_kernels`` (L1 or elastic net). This is
scikit-learn's ``QuantileRegressor`` objective (``alpha ||w||_1``) when ``pen`` is L1.

Why ADMM. The pinball loss is piecewise linear: gradient methods stall on its kinks and
coordinate descent on the exact objective can stop at non-optimal points (it is neither
smooth nor separable). Splitting ``z = y - X w - b`` gives two easy pieces:

* the ``z`` step is the prox of the pinball loss, a per-sample shrinkage (exact);
* the ``(w, b)`` step is a lasso / elastic-net least-squares problem, solved by coordinate
  descent on the centered Gram matrix ``G = X_c^T X_c`` (computed once and shared by every
  level), each coordinate update being the engine's exact scalar ``prox_1d``.

The step size ``sigma`` is adapted by residual balancing and the iterates are
over-relaxed (1.6). Stopping is on a true duality gap: the ADMM multiplier
``lambda = sigma u`` lies in the pinball subdifferential (a box); it is shifted to satisfy
the intercept constraint ``sum(lambda) = 0`` and scaled into the dual feasible set of the
penalty, which gives a lower bound of the optimal value. When some feature is unpenalized
(``alpha = 0`` or a zero penalty factor) no such bound is available and the solver stops
on ADMM's primal and dual residuals instead. The primal value is always evaluated with the
exact intercept given ``w`` (a weighted quantile of ``y - X w``).
"""

import numpy as np

from .. import _penalty_kernels as _pk
from .._colops import canonical_csc, copy_into, matvec_support, rmatvec, split_design
from .._memory import check_memory
from .._numba import jit
from .._sorting import stable_argsort

__all__ = ["Pinball", "pinball_value", "pinball_prox", "solve_pinball", "PinballResult"]

_RELAX = 1.6


@jit
def pinball_sum(r, c, tau):
    """``sum_i c_i rho_tau(r_i)``."""
    acc = 0.0
    for i in range(r.shape[0]):
        ri = r[i]
        if ri >= 0.0:
            acc += c[i] * tau * ri
        else:
            acc += c[i] * (tau - 1.0) * ri
    return acc


@jit
def pinball_prox_vec(v, c, tau, sigma, out):
    """``out_i = argmin_z rho_tau(z) c_i + sigma / 2 (z - v_i)^2`` (exact shrinkage)."""
    for i in range(v.shape[0]):
        hi = c[i] * tau / sigma
        lo = c[i] * (tau - 1.0) / sigma
        vi = v[i]
        if vi > hi:
            out[i] = vi - hi
        elif vi < lo:
            out[i] = vi - lo
        else:
            out[i] = 0.0


@jit
def weighted_quantile(r, c, tau):
    """A minimizer ``b`` of ``sum_i c_i rho_tau(r_i - b)`` (lower weighted quantile)."""
    order = stable_argsort(r)
    total = 0.0
    for i in range(r.shape[0]):
        total += c[i]
    target = tau * total
    acc = 0.0
    for k in range(order.shape[0]):
        acc += c[order[k]]
        if acc >= target * (1.0 - 1e-12):
            return r[order[k]]
    return r[order[order.shape[0] - 1]]


@jit
def _shift_to_zero_sum(lam, c, tau, out):
    """Closest-shift point ``clip(lam - t, c (tau-1), c tau)`` with zero sum (bisection)."""
    n = lam.shape[0]
    t_lo = np.inf
    t_hi = -np.inf
    for i in range(n):
        a = lam[i] - c[i] * tau
        b = lam[i] - c[i] * (tau - 1.0)
        if a < t_lo:
            t_lo = a
        if b > t_hi:
            t_hi = b
    # s(t) = sum clip(lam - t) is nonincreasing: s(t_lo) >= 0 >= s(t_hi)
    for _ in range(100):
        t = 0.5 * (t_lo + t_hi)
        s = 0.0
        for i in range(n):
            v = lam[i] - t
            hi = c[i] * tau
            lo = c[i] * (tau - 1.0)
            s += min(max(v, lo), hi)
        if s > 0.0:
            t_lo = t
        else:
            t_hi = t
        if t_hi - t_lo <= 1e-15 * (1.0 + abs(t)):
            break
    t = 0.5 * (t_lo + t_hi)
    total = 0.0
    for i in range(n):
        v = lam[i] - t
        out[i] = min(max(v, c[i] * (tau - 1.0)), c[i] * tau)
        total += out[i]
    # remove the last rounding error on a sample that is not at a bound
    for i in range(n):
        v = out[i] - total
        if c[i] * (tau - 1.0) <= v <= c[i] * tau:
            out[i] = v
            break


@jit
def _dual_value(code, params, pf, lam, y, xtl):
    """Dual objective at ``lam`` (zero-sum, in the box), scaled into the penalty's set.

    Returns ``-inf`` when an unpenalized feature has ``x_j^T lam != 0`` (no bound).
    """
    p = xtl.shape[0]
    alpha = params[0]
    l1r = 1.0 if code == _pk.L1 else params[1]
    scale = 1.0
    for j in range(p):
        a = alpha * pf[j] * l1r
        quad = alpha * pf[j] * (1.0 - l1r)
        if quad <= 0.0:
            v = abs(xtl[j])
            if v > a:
                if a <= 0.0:
                    if v > 1e-12:
                        return -np.inf
                else:
                    scale = min(scale, a / v)
    dual = 0.0
    for i in range(lam.shape[0]):
        dual += scale * lam[i] * y[i]
    for j in range(p):
        a = alpha * pf[j] * l1r
        quad = alpha * pf[j] * (1.0 - l1r)
        if quad > 0.0:
            excess = abs(scale * xtl[j]) - a
            if excess > 0.0:
                dual -= excess * excess / (2.0 * quad)
    return dual


@jit
def _design_times(X, data, indices, indptr, w, b, out):
    """``out = X @ w + b``: BLAS for dense designs, the CSC loop otherwise."""
    if indptr.shape[0] == 1 and X.shape[1] > 0:  # dense, with columns for BLAS
        copy_into(out, np.dot(X, w))  # (slice copies compile numba's shape-error text)
        for i in range(out.shape[0]):
            out[i] += b
    else:
        matvec_support(X, data, indices, indptr, w, b, out)


@jit
def _design_t_times(X, data, indices, indptr, v, out):
    """``out = X.T @ v``."""
    if indptr.shape[0] == 1 and X.shape[1] > 0:  # dense, with columns for BLAS
        copy_into(out, np.dot(X.T, v))
    else:
        rmatvec(X, data, indices, indptr, v, out)


@jit
def pinball_admm(X, data, indices, indptr, y, c, tau, code, params, pf, G, xbar,
                 fit_intercept, w, b, u, z, sigma, n_steps, adapt_every):
    """Run ``n_steps`` ADMM iterations for one level; ``w``, ``u``, ``z`` change in place.

    ``u`` is the scaled multiplier (``lambda = sigma u``), ``z`` the split residual.
    Returns ``(b, sigma, primal_residual, dual_residual)``.
    """
    n = y.shape[0]
    p = w.shape[0]
    xb = np.empty(n)
    z_old = np.empty(n)
    t = np.empty(n)
    v = np.empty(n)
    dz = np.empty(n)
    cvec = np.empty(p)
    xtd = np.empty(p)
    Gw = G @ w
    sqrt_diag = np.empty(p)
    for j in range(p):
        sqrt_diag[j] = np.sqrt(max(G[j, j], 0.0))
    y_norm = np.sqrt(np.sum(y * y)) + 1e-300
    inner_tol = 1e-6 * y_norm
    prim_res = np.inf
    dual_res = np.inf
    for it in range(n_steps):
        # (w, b) step: min pen(w) + sigma/2 ||y - z + u - X w - b||^2, CD on the Gram
        t_sum = 0.0
        for i in range(n):
            t[i] = y[i] - z[i] + u[i]
            t_sum += t[i]
        _design_t_times(X, data, indices, indptr, t, cvec)
        if fit_intercept:
            for j in range(p):
                cvec[j] -= xbar[j] * t_sum
        for sweep in range(200):
            max_step = 0.0
            for j in range(p):
                gjj = G[j, j]
                if gjj <= 0.0:
                    new = 0.0
                else:
                    lip = sigma * gjj
                    grad = sigma * (Gw[j] - cvec[j])
                    new = _pk.prox_1d(code, params, w[j] - grad / lip, 1.0 / lip, pf[j])
                delta = new - w[j]
                if delta != 0.0:
                    w[j] = new
                    for k in range(p):
                        Gw[k] += G[k, j] * delta
                    step = abs(delta) * sqrt_diag[j]
                    if step > max_step:
                        max_step = step
            if max_step <= inner_tol:
                break
        if fit_intercept:
            b = t_sum / n
            for j in range(p):
                b -= xbar[j] * w[j]
        _design_times(X, data, indices, indptr, w, b, xb)
        # z step (over-relaxed) and multiplier update
        for i in range(n):
            v[i] = _RELAX * (y[i] - xb[i]) + (1.0 - _RELAX) * z[i] + u[i]
            z_old[i] = z[i]
        pinball_prox_vec(v, c, tau, sigma, z)
        prim_sq = 0.0
        for i in range(n):
            u_new = v[i] - z[i]
            d = y[i] - xb[i] - z[i]
            prim_sq += d * d
            u[i] = u_new
        prim_res = np.sqrt(prim_sq)
        inner_tol = max(1e-3 * prim_res, 1e-14 * y_norm)
        if (it + 1) % adapt_every == 0 or it == n_steps - 1:
            dz_sum = 0.0
            for i in range(n):
                dz[i] = z[i] - z_old[i]
                dz_sum += dz[i]
            _design_t_times(X, data, indices, indptr, dz, xtd)
            dual_sq = 0.0
            for j in range(p):
                d = xtd[j] - (xbar[j] * dz_sum if fit_intercept else 0.0)
                dual_sq += d * d
            dual_res = sigma * np.sqrt(dual_sq)
            if it < n_steps - 1:
                # residual balancing of the step size (the scaled multiplier follows)
                if prim_res > 5.0 * dual_res:
                    sigma *= 2.0
                    for i in range(n):
                        u[i] *= 0.5
                elif dual_res > 5.0 * prim_res:
                    sigma *= 0.5
                    for i in range(n):
                        u[i] *= 2.0
    return b, sigma, prim_res, dual_res


def pinball_value(y, pred, tau, sample_weight=None):
    """Mean (weighted) pinball loss ``sum_i c_i rho_tau(y_i - pred_i)``, ``c = sw / sum(sw)``."""
    r = np.ascontiguousarray(np.asarray(y, dtype=np.float64) - np.asarray(pred, np.float64))
    c = _normalized_weights(sample_weight, r.shape[0])
    return float(pinball_sum(r, c, float(tau)))


def pinball_prox(v, tau, step, sample_weight=None):
    """Prox of ``step * sum_i c_i rho_tau(z_i)`` at ``v`` (``c`` as in :func:`pinball_value`,
    or all ones when ``sample_weight`` is None)."""
    v = np.ascontiguousarray(v, dtype=np.float64)
    c = np.ones(v.shape[0]) if sample_weight is None else np.ascontiguousarray(
        sample_weight, dtype=np.float64)
    out = np.empty_like(v)
    pinball_prox_vec(v, c, float(tau), 1.0 / float(step), out)
    return out


def _normalized_weights(sample_weight, n):
    if sample_weight is None:
        return np.full(n, 1.0 / n)
    c = np.ascontiguousarray(sample_weight, dtype=np.float64)
    return c / c.sum()


class Pinball:
    """The pinball (quantile) datafit ``sum_i c_i rho_tau(y_i - s_i)`` with ``sum c = 1``.

    A small picklable object like the other datafits; it is not smooth, so it is served by
    :func:`solve_pinball` (ADMM) rather than by the CD / FISTA solvers.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat._engine.families._pinball import Pinball
    >>> Pinball(0.9).value(np.array([1.0, 2.0]), np.array([0.0, 3.0]))
    0.5
    """

    def __init__(self, tau=0.5):
        self.tau = tau

    def value(self, y, scores, sample_weight=None):
        return pinball_value(y, scores, self.tau, sample_weight)

    def prox(self, v, step, sample_weight=None):
        return pinball_prox(v, self.tau, step, sample_weight)

    def __repr__(self):
        return f"Pinball(tau={self.tau!r})"

    def __eq__(self, other):
        return type(self) is type(other) and self.tau == other.tau

    def __hash__(self):
        return hash(("Pinball", self.tau))


class PinballResult:
    """What :func:`solve_pinball` returns, one row per level."""

    def __init__(self, coef, intercept, n_iter, gap, converged, objective):
        self.coef = coef
        self.intercept = intercept
        self.n_iter = n_iter
        self.gap = gap
        self.converged = converged
        self.objective = objective

    def __repr__(self):
        return (f"PinballResult(levels={self.coef.shape[0]}, n_iter={self.n_iter.tolist()}, "
                f"converged={self.converged.tolist()})")


def _objective(X, y, c, tau, penalty, pf, w, fit_intercept):
    """Objective at ``w`` with the exact best intercept; returns ``(value, b, residual)``."""
    r = np.ascontiguousarray(y - np.asarray(X @ w).ravel())
    b = float(weighted_quantile(r, c, tau)) if fit_intercept else 0.0
    r -= b
    return float(pinball_sum(r, c, tau)) + penalty.value(w, penalty_factor=pf), b, r


def _dual_bound(X, y, c, tau, penalty, pf, lam, fit_intercept):
    """Dual value at ``lam`` made feasible (box, zero sum, penalty's dual set)."""
    lam = np.ascontiguousarray(lam, dtype=np.float64)
    feasible = np.empty_like(lam)
    in_box = np.all(lam <= c * tau) and np.all(lam >= c * (tau - 1.0))
    if in_box and (not fit_intercept or abs(lam.sum()) <= 1e-13 * np.abs(lam).sum()):
        feasible[:] = lam  # already feasible (e.g. an exact vertex multiplier)
    elif fit_intercept:
        _shift_to_zero_sum(lam, c, tau, feasible)
    else:
        np.clip(lam, c * (tau - 1.0), c * tau, out=feasible)
    xtl = np.ascontiguousarray(np.asarray(X.T @ feasible).ravel())
    return float(_dual_value(penalty.code, penalty.params_array(), pf, feasible, y, xtl))


def _vertex(XS, y, c, tau, alpha, pfS, Z, fit_intercept):
    """The vertex interpolating the samples ``Z`` on the support columns ``XS``.

    Returns ``(wS, b, lam, violation, value)`` (``violation``: position in ``Z`` of the
    multiplier furthest outside its box, or -1) or None when the system is singular.
    """
    n, s = XS.shape
    k = Z.size
    A = XS[Z]
    if fit_intercept:
        A = np.hstack([A, np.ones((k, 1))])
    try:
        theta = np.linalg.solve(A, y[Z])
    except np.linalg.LinAlgError:
        return None
    wS = theta[:s]
    b = float(theta[-1]) if fit_intercept else 0.0
    r = np.ascontiguousarray(y - XS @ wS - b)
    r[Z] = 0.0
    value = float(pinball_sum(r, c, tau)) + alpha * float(pfS @ np.abs(wS))
    lam = np.where(r > 0, c * tau, c * (tau - 1.0))
    lam[Z] = 0.0
    rhs = alpha * pfS * np.sign(wS) - XS.T @ lam
    if fit_intercept:
        rhs = np.append(rhs, -lam.sum())
    try:
        lam[Z] = np.linalg.solve(A.T, rhs)
    except np.linalg.LinAlgError:
        return None
    lz, cz = lam[Z], c[Z]
    excess = np.maximum(lz - cz * tau, cz * (tau - 1.0) - lz) / cz
    worst = int(np.argmax(excess))
    return wS, b, lam, (worst if excess[worst] > 1e-9 else -1), value


def _polish(X, y, c, tau, penalty, pf, w, score, fit_intercept, best=np.inf, n_pivots=3,
            n_candidates=6):
    """Vertex polish for L1: interpolate the ``|S| + 1`` best-ranked samples exactly.

    A solution of the (linear-programming) L1 problem interpolates as many samples as
    it has free parameters. Solving that square system from the ADMM support gives a
    vertex, and the KKT conditions on the interpolated samples give its multiplier. When
    a multiplier leaves its box the vertex is not optimal: a few greedy exchanges of that
    sample with the next-ranked ones (simplex-like pivots) usually finish the job.
    ``score`` ranks the samples (smallest first). Pivots are only tried when the first
    vertex is within 1e-6 (relative) of ``best``, the best objective known so far.
    Returns ``(w, b, value, lam)`` or None.
    """
    n, p = X.shape
    # coefficients that ADMM leaves at rounding level belong to the zero set
    S = np.flatnonzero(np.abs(w) > 1e-9 * np.abs(w).max()) if np.any(w) else np.flatnonzero(w)
    k = S.size + int(fit_intercept)
    if k == 0 or k >= n:
        return None
    XS = X[:, S]
    XS = np.ascontiguousarray(XS.toarray() if hasattr(XS, "toarray") else XS)
    pfS = pf[S]
    alpha = float(penalty.params_array()[0])
    ranking = np.argsort(score, kind="stable")
    Z = ranking[:k].copy()
    found = _vertex(XS, y, c, tau, alpha, pfS, Z, fit_intercept)
    if found is None:
        return None
    if found[4] > best + 1e-6 * abs(best):
        n_pivots = 0
    for _ in range(n_pivots):
        if found[3] < 0:
            break
        leave = found[3]
        in_Z = set(Z.tolist())
        pool = [i for i in ranking[k:k + 3 * n_candidates] if i not in in_Z][:n_candidates]
        improved = None
        for cand in pool:
            Z2 = Z.copy()
            Z2[leave] = cand
            trial = _vertex(XS, y, c, tau, alpha, pfS, Z2, fit_intercept)
            if trial is not None and trial[4] < found[4] - 1e-15 * abs(found[4]):
                if improved is None or trial[4] < improved[1][4]:
                    improved = (Z2, trial)
        if improved is None:
            break
        Z, found = improved
    w2 = np.zeros(p)
    w2[S] = found[0]
    return w2, found[1], found[4], found[2]


def _lp_crossover(X, y, c, tau, alpha, pf, fit_intercept):
    """The L1 problem solved exactly as small linear programs (``_quantile_lp``'s
    working set / Portnoy-Koenker preprocessing on HiGHS); ``w`` or None on failure."""
    from ._quantile_lp import solve_l1_exact

    res = solve_l1_exact(X, y, [tau], alpha, sample_weight=c, fit_intercept=fit_intercept,
                         penalty_factor=pf)
    return res.coef[0] if res.converged[0] else None


def solve_pinball(X, y, quantiles, penalty, *, sample_weight=None, fit_intercept=True,
                  penalty_factor=None, coef_init=None, max_iter=5000, tol=1e-6,
                  check_every=25, stall_checks=40, crossover=True):
    """Penalized linear quantile regression at one or several levels.

    Minimizes, for each level ``tau``, ``sum_i c_i rho_tau(y_i - x_i^T w - b) + pen(w)``
    with ``c = sample_weight / sum(sample_weight)`` (scikit-learn's ``QuantileRegressor``
    objective for the L1 penalty). The Gram matrix is formed once and shared by the
    levels, which are solved in increasing order, each warm-started at the previous one.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features) or scipy.sparse matrix
    y : ndarray of shape (n_samples,)
    quantiles : array-like of shape (n_levels,)
        Levels in (0, 1).
    penalty : Penalty
        A separable penalty of the engine (``L1`` or ``ElasticNet``).
    sample_weight : ndarray of shape (n_samples,), default=None
    fit_intercept : bool, default=True
    penalty_factor : ndarray of shape (n_features,), default=None
    coef_init : ndarray of shape (n_levels, n_features), default=None
    max_iter : int, default=5000
        ADMM iterations per level.
    tol : float, default=1e-6
        Target duality gap, relative to the objective of the best constant (or zero,
        without intercept) prediction.
    check_every : int, default=25
        ADMM iterations between duality-gap evaluations (and vertex polishing).
    stall_checks : int, default=40
        Also stop when the best objective has not decreased (by more than 1e-9
        relative) over this many consecutive checks: on degenerate data (ties in ``y``)
        ADMM can stagnate near, and the multiplier may not certify, the optimum.
        ``converged`` is then False and ``gap`` reports the last duality gap, unless
        ``crossover`` applies.
    crossover : bool, default=True
        When an L1 (linear-programming) problem stops without a certificate (stagnation
        or ``max_iter``), finish with an exact LP solve (small HiGHS LPs, near-linear in
        n): optimal on the degenerate problems where ADMM is slow.

    Returns
    -------
    result : PinballResult
        ``coef`` (n_levels, n_features), ``intercept``, ``n_iter``, ``gap`` (relative),
        ``converged``, ``objective`` (n_levels,) arrays.
    """
    import scipy.sparse as sp

    quantiles = np.atleast_1d(np.asarray(quantiles, dtype=np.float64))
    y = np.ascontiguousarray(y, dtype=np.float64)
    if sample_weight is not None and np.any(np.asarray(sample_weight) == 0):
        # zero-weight samples do not enter the objective: drop them once
        keep = np.flatnonzero(np.asarray(sample_weight) != 0)
        X, y = X[keep], y[keep]
        sample_weight = np.asarray(sample_weight)[keep]
    n, p = X.shape
    c = _normalized_weights(sample_weight, n)
    pf = np.ones(p) if penalty_factor is None else np.ascontiguousarray(
        np.broadcast_to(np.asarray(penalty_factor, dtype=np.float64), (p,)))
    # the ADMM works with the dense p x p Gram matrix (and up to two temporaries of its
    # size): refuse up front what cannot fit instead of a MemoryError after the copy
    check_memory(3 * 8 * p * p, f"the pinball solver's p x p Gram matrix (p = {p})",
                 "It needs O(p^2) memory: reduce the number of features.")
    if sp.issparse(X):
        X = canonical_csc(X, dtype=np.float64)
        xbar = np.asarray(X.mean(axis=0)).ravel() if fit_intercept else np.zeros(p)
        G = np.asarray((X.T @ X).toarray(), dtype=np.float64) - n * np.outer(xbar, xbar)
    else:
        X = np.asfortranarray(X, dtype=np.float64)
        if fit_intercept:
            xbar = X.mean(axis=0)
            Xc = X - xbar
            G = Xc.T @ Xc
        else:
            xbar = np.zeros(p)
            G = X.T @ X
    G = np.ascontiguousarray(G)
    design = split_design(X)
    params = penalty.params_array()
    alpha = float(params[0])
    can_polish = penalty.code == _pk.L1 or alpha == 0.0 or float(params[1]) == 1.0
    L = quantiles.shape[0]
    coefs = np.zeros((L, p))
    intercepts = np.zeros(L)
    n_iters = np.zeros(L, dtype=np.int64)
    gaps = np.zeros(L)
    converged = np.zeros(L, dtype=bool)
    objectives = np.zeros(L)
    spread = float(np.mean(np.abs(y - np.median(y)))) if fit_intercept else float(
        np.mean(np.abs(y)))
    sigma0 = 1.0 / (n * max(spread, 1e-12))
    w = np.zeros(p)
    for level in np.argsort(quantiles):
        tau = float(quantiles[level])
        if coef_init is not None:
            w = np.array(coef_init[level], dtype=np.float64)
        null = float(pinball_sum(y - (weighted_quantile(y, c, tau) if fit_intercept else 0.0),
                                 c, tau))
        scale = null if null > 0 else 1.0
        best, b, r = _objective(X, y, c, tau, penalty, pf, w, fit_intercept)
        best_w, best_b = w.copy(), b
        u = np.zeros(n)
        z = np.ascontiguousarray(r.copy())
        sigma = sigma0
        done = 0
        gap = np.inf
        stalled = 0
        while done < max_iter:
            previous = best
            steps = int(min(check_every, max_iter - done))
            b, sigma, _, _ = pinball_admm(
                *design, y, c, tau, penalty.code, params, pf, G, xbar, bool(fit_intercept),
                w, float(b), u, z, float(sigma), steps, 10)
            done += steps
            value, b_opt, r = _objective(X, y, c, tau, penalty, pf, w, fit_intercept)
            if value < best:
                best, best_w, best_b = value, w.copy(), b_opt
            dual = _dual_bound(X, y, c, tau, penalty, pf, sigma * u, fit_intercept)
            if can_polish:
                # two rankings of the interpolated samples: smallest residuals, and
                # multipliers deepest inside the pinball subdifferential
                lam = sigma * u
                depth = np.minimum(c * tau - lam, lam - c * (tau - 1.0)) / c
                for score in (np.abs(r), -depth):
                    polished = _polish(X, y, c, tau, penalty, pf, w, score, fit_intercept, best)
                    if polished is None:
                        continue
                    w2, b2, value2, lam2 = polished
                    if value2 < best:
                        best, best_w, best_b = value2, w2, b2
                    dual = max(dual, _dual_bound(X, y, c, tau, penalty, pf, lam2,
                                                 fit_intercept))
                    if best - dual <= tol * scale:
                        break  # certified: the second ranking is not needed
            gap = max(best - dual, 0.0) / scale if np.isfinite(dual) else np.inf
            if gap <= tol or null == 0.0:
                converged[level] = True
                break
            # degenerate problems (ties in y, collinear X) can defeat the certificate:
            # accept a best objective that has not moved for `stall_checks` checks
            stalled = stalled + 1 if previous - best <= 1e-9 * scale else 0
            if stalled >= stall_checks:
                break
        if not converged[level] and can_polish and crossover:
            # stagnation or max_iter on a (degenerate) linear program: exact LP solve
            exact = _lp_crossover(X, y, c, tau, alpha, pf, fit_intercept)
            if exact is not None:
                value, b_x, _ = _objective(X, y, c, tau, penalty, pf, exact, fit_intercept)
                if value <= best:
                    best, best_w, best_b = value, exact, b_x
                gap = 0.0
                converged[level] = True
        # otherwise an uncertified stop is reported by ``converged`` and ``gap``
        w = best_w.copy()
        coefs[level] = best_w
        intercepts[level] = best_b
        n_iters[level] = done
        gaps[level] = gap
        objectives[level] = best
    return PinballResult(coefs, intercepts, n_iters, gaps, converged, objectives)
