"""Simplex-constrained weights for quantile aggregation, and isotonic rows.

* :func:`project_simplex`: Euclidean projection on ``{x >= 0, sum x = 1}`` (sort-based,
  exact, O(d log d)).
* :func:`isotonic_rows`: pool-adjacent-violators on every row of a matrix, so that
  quantiles predicted at increasing levels never cross.
* :func:`fit_simplex_weights`: the aggregation weights of Fakoor et al. (JMLR 2023) by
  accelerated projected gradient (FISTA) on the mean pinball loss over levels.

Weights model. ``W`` has shape ``(K, G, S)``; every row ``W[k, g]`` lies on the simplex.
The aggregate at sample ``i`` and level ``l`` is::

    q_il = sum_k pi_ik sum_s W[k, group_l, s] F[i, l or 0, s]

with ``F`` the base models' (out-of-fold) predictions arranged per level, ``pi`` a
partition of unity over ``K`` local components (``K = 1``, ``pi = 1`` for global weights)
and ``group_l`` the weight group of level ``l`` (one group for "coarse" weights, one per
level for "medium" and "fine"). A convex combination of simplex points is on the
simplex, so local weights stay on the simplex for every ``x``, and the problem is convex.

The pinball loss is not differentiable at zero; FISTA runs on its Huber smoothing with
half-width ``mu`` (uniform error at most ``mu / 2``), decreasing ``mu`` by continuation.
"""

import numpy as np

from .._interrupt import run_in_chunks
from .._numba import jit
from .._sorting import stable_argsort
from ..solvers import magnitude_unit

__all__ = ["project_simplex", "isotonic_rows", "fit_simplex_weights"]


@jit
def project_simplex_1d(v, out):
    """Euclidean projection of ``v`` on the probability simplex, written to ``out``."""
    d = v.shape[0]
    u = v[stable_argsort(-v)]  # decreasing
    cumsum = 0.0
    theta = 0.0
    for j in range(d):
        cumsum += u[j]
        t = (cumsum - 1.0) / (j + 1)
        if u[j] - t > 0.0:
            theta = t
    for j in range(d):
        out[j] = max(v[j] - theta, 0.0)


@jit
def isotonic_rows(Q):
    """Replace every row of ``Q`` (in place) by its nondecreasing L2 projection (PAV)."""
    n, L = Q.shape
    level = np.empty(L)
    weight = np.empty(L)
    start = np.empty(L, dtype=np.int64)
    for i in range(n):
        m = 0
        for j in range(L):
            level[m] = Q[i, j]
            weight[m] = 1.0
            start[m] = j
            m += 1
            while m > 1 and level[m - 2] > level[m - 1]:
                tot = weight[m - 2] + weight[m - 1]
                level[m - 2] = (weight[m - 2] * level[m - 2] + weight[m - 1] * level[m - 1]) / tot
                weight[m - 2] = tot
                m -= 1
        for b in range(m):
            end = start[b + 1] if b + 1 < m else L
            for j in range(start[b], end):
                Q[i, j] = level[b]


@jit
def _aggregate(F, pi, group, W, Q):
    n, Lf, S = F.shape
    K = pi.shape[1]
    L = group.shape[0]
    for i in range(n):
        for l in range(L):
            lf = l if Lf > 1 else 0
            g = group[l]
            acc = 0.0
            for k in range(K):
                pik = pi[i, k]
                if pik == 0.0:
                    continue
                inner = 0.0
                for s in range(S):
                    inner += W[k, g, s] * F[i, lf, s]
                acc += pik * inner
            Q[i, l] = acc


@jit
def _smooth_loss_grad(F, pi, group, taus, y, W, mu, Q, grad):
    """Mean Huber-smoothed pinball loss and its gradient in ``W`` (written to ``grad``)."""
    n, Lf, S = F.shape
    K = pi.shape[1]
    L = group.shape[0]
    _aggregate(F, pi, group, W, Q)
    grad[:] = 0.0
    total = 0.0
    scale = 1.0 / (n * L)
    for i in range(n):
        for l in range(L):
            tau = taus[l]
            r = y[i] - Q[i, l]
            if r >= tau * mu:
                total += tau * r - 0.5 * tau * tau * mu
                d = tau
            elif r <= (tau - 1.0) * mu:
                total += (tau - 1.0) * r - 0.5 * (tau - 1.0) * (tau - 1.0) * mu
                d = tau - 1.0
            else:
                total += 0.5 * r * r / mu
                d = r / mu
            # d loss / d q = -d
            lf = l if Lf > 1 else 0
            g = group[l]
            for k in range(K):
                coef = -d * pi[i, k] * scale
                if coef == 0.0:
                    continue
                for s in range(S):
                    grad[k, g, s] += coef * F[i, lf, s]
    return total * scale


@jit
def _project_all(V, out):
    K, G, S = V.shape
    for k in range(K):
        for g in range(G):
            project_simplex_1d(V[k, g], out[k, g])


@jit
def fista_simplex(F, pi, group, taus, y, W, Yk, mu, state, max_iter, tol, budget):
    """FISTA with backtracking on the smoothed loss, rows of ``W`` on the simplex.

    ``W`` and the extrapolated point ``Yk`` are updated in place, as is ``state`` =
    ``[step, t, iterations done]`` (a fresh solve: ``Yk = W``, ``state = [step, 1, 0]``).
    Runs at most ``budget`` of the ``max_iter`` iterations, so calls in turn take exactly
    the steps of one call. Returns ``(n_iter, converged)``, iterations so far.
    """
    n, Lf, S = F.shape
    L = group.shape[0]
    Q = np.empty((n, L))
    grad = np.empty_like(W)
    W_new = np.empty_like(W)
    V = np.empty_like(W)
    step = state[0]
    t = state[1]
    done = int(state[2])
    converged = False
    n_iter = done
    for it in range(done, min(max_iter, done + budget)):
        n_iter = it + 1
        f_y = _smooth_loss_grad(F, pi, group, taus, y, Yk, mu, Q, grad)
        step *= 1.5
        for _ in range(60):
            for idx in np.ndindex(W.shape):
                V[idx] = Yk[idx] - step * grad[idx]
            _project_all(V, W_new)
            diff_sq = 0.0
            lin = 0.0
            for idx in np.ndindex(W.shape):
                dlt = W_new[idx] - Yk[idx]
                diff_sq += dlt * dlt
                lin += grad[idx] * dlt
            f_new = _smooth_loss_grad(F, pi, group, taus, y, W_new, mu, Q, V)
            if f_new <= f_y + lin + 0.5 * diff_sq / step + 1e-15 * abs(f_y):
                break
            step *= 0.5
        change = 0.0
        for idx in np.ndindex(W.shape):
            change = max(change, abs(W_new[idx] - W[idx]))
        t_new = 0.5 * (1.0 + np.sqrt(1.0 + 4.0 * t * t))
        mom = (t - 1.0) / t_new
        for idx in np.ndindex(W.shape):
            Yk[idx] = W_new[idx] + mom * (W_new[idx] - W[idx])
            W[idx] = W_new[idx]
        t = t_new
        if change <= tol:
            converged = True
            break
    state[0] = step
    state[1] = t
    state[2] = n_iter
    return n_iter, converged


@jit
def mean_pinball(Q, y, taus):
    """Exact mean pinball loss of predictions ``Q`` (n, L) at levels ``taus``."""
    n, L = Q.shape
    total = 0.0
    for i in range(n):
        for l in range(L):
            r = y[i] - Q[i, l]
            total += taus[l] * r if r >= 0.0 else (taus[l] - 1.0) * r
    return total / (n * L)


def project_simplex(v):
    """Euclidean projection of each row of ``v`` (1-D or 2-D) on the probability simplex.

    Examples
    --------
    >>> from sparsestat._engine.families._simplex import project_simplex
    >>> project_simplex([0.5, 0.5, 1.0])
    array([0.16666667, 0.16666667, 0.66666667])
    """
    v = np.asarray(v, dtype=np.float64)
    rows = np.ascontiguousarray(np.atleast_2d(v))
    out = np.empty_like(rows)
    for i in range(rows.shape[0]):
        project_simplex_1d(rows[i], out[i])
    return out.reshape(v.shape)


def fit_simplex_weights(F, y, taus, group, n_groups, pi=None, W0=None, max_iter=500,
                        tol=1e-7, mu_levels=(1e-1, 1e-2, 1e-3)):
    """Fit simplex weights minimizing the mean pinball loss of the aggregate.

    Parameters
    ----------
    F : ndarray of shape (n_samples, n_levels or 1, n_sources)
        Base predictions per level (or one shared block of sources for every level).
    y : ndarray of shape (n_samples,)
    taus : ndarray of shape (n_levels,)
    group : ndarray of shape (n_levels,) of int
        Weight group of each level, in ``range(n_groups)``.
    n_groups : int
    pi : ndarray of shape (n_samples, n_components), default=None
        Partition of unity over local components (rows sum to one); None: global.
    W0 : ndarray of shape (n_components, n_groups, n_sources), default=None
        Start (uniform weights when None).
    max_iter : int, default=500
        FISTA iterations per smoothing level.
    tol : float, default=1e-7
        Stop a smoothing level when no weight moves more than this.
    mu_levels : tuple of float, default=(1e-1, 1e-2, 1e-3)
        Smoothing half-widths, relative to the mean absolute deviation of ``y``.

    Returns
    -------
    W : ndarray of shape (n_components, n_groups, n_sources)
    info : dict
        ``loss`` (exact mean pinball loss of the aggregate), ``n_iter``, ``converged``.
    """
    F = np.ascontiguousarray(F, dtype=np.float64)
    y = np.ascontiguousarray(y, dtype=np.float64)
    taus = np.ascontiguousarray(taus, dtype=np.float64)
    group = np.ascontiguousarray(group, dtype=np.int64)
    n, _, S = F.shape
    pi = np.ones((n, 1)) if pi is None else np.ascontiguousarray(pi, dtype=np.float64)
    K = pi.shape[1]
    W = np.full((K, n_groups, S), 1.0 / S) if W0 is None else np.array(W0, dtype=np.float64)
    # the weights do not depend on the units of (F, y): solve where both are of order one
    # (squares of 1e154 overflow), and report the loss in the caller's units
    unit = magnitude_unit(np.r_[np.abs(y).max(initial=0.0), np.abs(F).max(initial=0.0)])
    if unit != 1.0:
        W, info = fit_simplex_weights(F / unit, y / unit, taus, group, n_groups, pi=pi,
                                      W0=W, max_iter=max_iter, tol=tol,
                                      mu_levels=mu_levels)
        info["loss"] *= unit
        return W, info
    spread = float(np.mean(np.abs(y - np.median(y)))) or 1.0
    # a safe first step: 1 / (upper bound of the gradient's Lipschitz constant)
    row_sq = float(np.einsum("ils,ils->", F, F)) * (taus.shape[0] / F.shape[1])
    n_iter = 0
    converged = True
    for rel in mu_levels:
        mu = rel * spread
        step = mu * n * taus.shape[0] / max(row_sq, 1e-300)
        # bounded kernel calls, each resuming exactly where the last stopped (Ctrl-C)
        Yk, state, out = W.copy(), np.array([step, 1.0, 0.0]), [False]

        def run(budget, mu=mu, Yk=Yk, state=state, out=out):
            before = int(state[2])
            it, ok = fista_simplex(F, pi, group, taus, y, W, Yk, mu, state, int(max_iter),
                                   float(tol), int(budget))
            out[0] = ok
            return it - before, bool(ok)

        n_iter += run_in_chunks(run, int(max_iter), F.size * taus.shape[0],
                                resumable=True)
        converged = out[0]
    Q = np.empty((n, taus.shape[0]))
    _aggregate(F, pi, group, W, Q)
    return W, {"loss": float(mean_pinball(Q, y, taus)), "n_iter": n_iter,
               "converged": bool(converged)}


def aggregate(F, W, group, pi=None):
    """The aggregate ``q_il`` for weights ``W`` (see the module docstring)."""
    F = np.ascontiguousarray(F, dtype=np.float64)
    n = F.shape[0]
    pi = np.ones((n, 1)) if pi is None else np.ascontiguousarray(pi, dtype=np.float64)
    group = np.ascontiguousarray(group, dtype=np.int64)
    Q = np.empty((n, group.shape[0]))
    _aggregate(F, pi, group, np.ascontiguousarray(W, dtype=np.float64), Q)
    return Q
