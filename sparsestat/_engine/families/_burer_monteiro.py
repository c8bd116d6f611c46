"""Nonnegative Burer-Monteiro solver for (likelihood-adjusted) K-means SDPs.

The problem, over ``B`` blocks of ``n x n`` matrices ``Z_b``::

    min  sum_b < D_b / 2 + c_b J, Z_b >
    s.t. Z_b PSD, Z_b >= 0, tr Z_b = t_b, sum_b Z_b 1 = 1,

with ``D_b[i, j] = ||y_bi - y_bj||^2`` the squared distances between the rows of a
(whitened) design ``Y_b`` and ``J = 1 1^T``. One block with ``t = K`` and ``c = 0`` is
Peng and Wei's K-means SDP; ``K`` blocks with ``t = 1`` and ``Y_k = X Sigma_k^{-1/2}``,
``c_k = log|Sigma_k|`` is the LA-SDP of Zhuang, Chen and Yang (2023).

Each block is factored as ``Z_b = U_b U_b^T`` with ``U_b >= 0`` of shape ``(n, r)`` and
``||U_b||_F^2 = t_b`` (Burer-Monteiro with nonnegativity, as in the authors' "NLR"
solver). The row-sum constraint is handled by an augmented Lagrangian; each subproblem is
solved by projected gradient (spectral step, nonmonotone Armijo search) on the product
of "nonnegative parts of spheres". ``D_b U_b`` is applied through
``q 1^T U + 1 q^T U - 2 Y (Y^T U)`` with ``q_i = ||y_i||^2``: one iteration costs
``O(n p r B)`` and no ``n x n`` matrix is ever formed.
"""

import math
from dataclasses import dataclass

import numpy as np

from .._colops import copy_into_2d
from .._interrupt import run_in_chunks
from .._numba import jit

__all__ = ["BMResult", "solve_la_sdp_bm", "la_sdp_objective", "kmeans_sdp_init"]


@jit
def _al_value_grad(Y, q, c, r, U, ydual, beta, G, v, w):
    """Augmented Lagrangian value at U; gradient written into G (v, w are work arrays)."""
    B, n, p = Y.shape
    R = U.shape[1]
    s1 = np.zeros(R)
    for i in range(n):
        for j in range(R):
            s1[j] += U[i, j]
    # v = sum_b U_b U_b^T 1 - 1
    for i in range(n):
        acc = 0.0
        for j in range(R):
            acc += U[i, j] * s1[j]
        v[i] = acc - 1.0
    val = 0.0
    for i in range(n):
        w[i] = ydual[i] + beta * v[i]
        val += ydual[i] * v[i] + 0.5 * beta * v[i] * v[i]
    T = np.zeros((p, r))
    sq = np.zeros(r)
    sw = np.zeros(r)
    for b in range(B):
        T[:, :] = 0.0
        sq[:] = 0.0
        sw[:] = 0.0
        j0 = b * r
        for i in range(n):
            qi = q[b, i]
            wi = w[i]
            for j in range(r):
                uij = U[i, j0 + j]
                sq[j] += qi * uij
                sw[j] += wi * uij
                for d in range(p):
                    T[d, j] += Y[b, i, d] * uij
        cb = c[b]
        for j in range(r):
            tt = 0.0
            for d in range(p):
                tt += T[d, j] * T[d, j]
            s = s1[j0 + j]
            val += sq[j] * s - tt + cb * s * s
        for i in range(n):
            qi = q[b, i]
            wi = w[i]
            for j in range(r):
                s = s1[j0 + j]
                yt = 0.0
                for d in range(p):
                    yt += Y[b, i, d] * T[d, j]
                G[i, j0 + j] = qi * s + sq[j] - 2.0 * yt + 2.0 * cb * s + wi * s + sw[j]
    return val


@jit
def _project(U, trace, r):
    """Project each column block onto {U >= 0, ||U||_F^2 = t_b} in place."""
    n = U.shape[0]
    B = trace.shape[0]
    for b in range(B):
        j0 = b * r
        nrm = 0.0
        for i in range(n):
            for j in range(j0, j0 + r):
                if U[i, j] < 0.0:
                    U[i, j] = 0.0
                nrm += U[i, j] * U[i, j]
        if nrm == 0.0:
            fill = math.sqrt(trace[b] / (n * r))
            for i in range(n):
                for j in range(j0, j0 + r):
                    U[i, j] = fill
        else:
            scale = math.sqrt(trace[b] / nrm)
            for i in range(n):
                for j in range(j0, j0 + r):
                    U[i, j] *= scale


# ``_bm_al_solve`` state vector, so that a solve split into calls is the solve of one call:
# outer round, inner steps so far, spectral step, last infeasibility and cost, penalty,
# and, when paused inside a subproblem, its step index, value, gradient scale and tolerance
(_ST_OUTER, _ST_INNER_TOTAL, _ST_STEP, _ST_PREV_FEAS, _ST_PREV_OBJ, _ST_BETA, _ST_PAUSED,
 _ST_IT, _ST_VAL, _ST_GSCALE, _ST_INNER_TOL, _ST_FEAS, _ST_STARTED) = range(13)


def _bm_state(beta):
    """The state of a fresh solve with initial penalty ``beta``."""
    state = np.zeros(13)
    state[[_ST_STEP, _ST_PREV_FEAS, _ST_PREV_OBJ, _ST_BETA, _ST_FEAS]] = (
        -1.0, np.inf, np.inf, beta, np.inf)
    return state


@jit
def _bm_al_solve(Y, q, c, trace, r, U, ydual, G, hist, state, beta_max, tol, max_outer,
                 max_inner, budget):
    """Augmented Lagrangian + spectral projected gradient; U and ydual updated in place.

    Runs at most ``budget`` projected-gradient steps, then saves where it is in
    ``state`` (see ``_bm_state``), ``G`` (the gradient at U) and ``hist`` (the
    nonmonotone search's last values), so that calls in turn take exactly the steps of
    one call. Returns ``(n_steps, finished, n_outer, n_inner_total, converged,
    feasibility)``: the steps of this call, whether the solve is over, and where it
    stands; feasibility is ``max_i |(sum_b Z_b 1)_i - 1|`` at the returned point.
    """
    n, R = U.shape
    Gn = np.empty((n, R))
    Un = np.empty((n, R))
    v = np.empty(n)
    w = np.empty(n)
    if state[_ST_STARTED] == 0.0:
        _project(U, trace, r)
        state[_ST_STARTED] = 1.0
    total_trace = 0.0
    for b in range(trace.shape[0]):
        total_trace += trace[b]
    unorm = math.sqrt(total_trace)
    k = int(state[_ST_OUTER])
    n_inner_total = int(state[_ST_INNER_TOTAL])
    step = state[_ST_STEP]
    prev_feas = state[_ST_PREV_FEAS]
    prev_obj = state[_ST_PREV_OBJ]
    beta = state[_ST_BETA]
    feas = state[_ST_FEAS]
    resume = state[_ST_PAUSED] != 0.0
    converged = False
    used = 0
    while k < max_outer:
        if resume:
            it0 = int(state[_ST_IT])
            val = state[_ST_VAL]
            gscale = state[_ST_GSCALE]
            inner_tol = state[_ST_INNER_TOL]
            resume = False
        else:
            it0 = 0
            val = _al_value_grad(Y, q, c, r, U, ydual, beta, G, v, w)
            if step <= 0.0:
                gn = math.sqrt(np.sum(G * G))
                step = 0.1 * unorm / max(gn, 1e-300)
            hist[:] = -np.inf
            hist[0] = val
            gscale = math.sqrt(np.sum(G * G)) / unorm
            inner_tol = (max(tol, min(1e-2, 0.1 * prev_feas)) if prev_feas < np.inf
                         else 1e-2)
        inner_ok = False
        for it in range(it0, max_inner):
            if used >= budget:
                state[_ST_OUTER] = k
                state[_ST_INNER_TOTAL] = n_inner_total
                state[_ST_STEP] = step
                state[_ST_PREV_FEAS] = prev_feas
                state[_ST_PREV_OBJ] = prev_obj
                state[_ST_BETA] = beta
                state[_ST_FEAS] = feas
                state[_ST_PAUSED] = 1.0
                state[_ST_IT] = it
                state[_ST_VAL] = val
                state[_ST_GSCALE] = gscale
                state[_ST_INNER_TOL] = inner_tol
                return used, False, k + 1, n_inner_total, False, feas
            used += 1
            n_inner_total += 1
            ref = np.max(hist)
            t = step
            accepted = False
            for _ in range(60):
                for i in range(n):
                    for j in range(R):
                        Un[i, j] = U[i, j] - t * G[i, j]
                _project(Un, trace, r)
                gd = 0.0
                dd = 0.0
                for i in range(n):
                    for j in range(R):
                        d = Un[i, j] - U[i, j]
                        gd += G[i, j] * d
                        dd += d * d
                if dd == 0.0:
                    accepted = True
                    valn = val
                    copy_into_2d(Gn, G)  # (slice copies compile numba's shape-error text)
                    break
                valn = _al_value_grad(Y, q, c, r, Un, ydual, beta, Gn, v, w)
                if valn <= ref + 1e-4 * gd:
                    accepted = True
                    break
                t *= 0.5
            if not accepted:
                # no decrease possible at machine precision: the subproblem is solved
                inner_ok = True
                break
            # spectral (Barzilai-Borwein) step for the next iteration
            sy = 0.0
            ss = 0.0
            for i in range(n):
                for j in range(R):
                    s = Un[i, j] - U[i, j]
                    ss += s * s
                    sy += s * (Gn[i, j] - G[i, j])
            if sy > 0.0:
                step = ss / sy
            else:
                step = 2.0 * t
            step = min(max(step, 1e-12 * t), 1e12 * t)
            copy_into_2d(U, Un)
            copy_into_2d(G, Gn)
            val = valn
            hist[(it + 1) % hist.shape[0]] = val
            # stationarity: the projected-gradient step per unit step length
            if math.sqrt(ss) <= inner_tol * unorm * min(1.0, t * gscale):
                inner_ok = True
                break
        # dual update with the residual at the current point
        val = _al_value_grad(Y, q, c, r, U, ydual, beta, G, v, w)
        feas = 0.0
        pen = 0.0
        for i in range(n):
            if abs(v[i]) > feas:
                feas = abs(v[i])
            pen += ydual[i] * v[i] + 0.5 * beta * v[i] * v[i]
        obj = val - pen
        # converged: feasible, and either the subproblem is solved to tol or the cost has
        # stopped moving between multiplier updates (first-order methods crawl near
        # degenerate, rank-deficient solutions long after the value has settled)
        stalled = abs(obj - prev_obj) <= tol * max(1.0, abs(obj))
        if feas <= tol and ((inner_ok and inner_tol <= tol * 1.0000001) or stalled):
            converged = True
            break
        prev_obj = obj
        for i in range(n):
            ydual[i] += beta * v[i]
        if feas > 0.25 * prev_feas and beta < beta_max:
            beta *= 2.0
        prev_feas = feas
        k += 1
    n_outer = k + 1 if converged else max(max_outer, 1)
    return used, True, n_outer, n_inner_total, converged, feas


@dataclass
class BMResult:
    """Output of :func:`solve_la_sdp_bm`.

    ``U`` has shape ``(n, B, r)``: ``Z_b = U[:, b] @ U[:, b].T``.
    """

    U: np.ndarray
    dual: np.ndarray
    objective: float
    feasibility: float
    n_iter: int
    n_inner: int
    converged: bool

    def memberships(self):
        """``(Z_b 1)_i`` for every block, shape ``(n, B)``."""
        return np.einsum("nbr,br->nb", self.U, self.U.sum(axis=0))


def la_sdp_objective(Ys, cs, U):
    """``sum_b <D_b / 2 + c_b J, U_b U_b^T>`` without forming ``D_b``.

    ``Ys`` has shape ``(B, n, p)``, ``cs`` shape ``(B,)``, ``U`` shape ``(n, B, r)``.
    """
    total = 0.0
    for b in range(Ys.shape[0]):
        Yb = Ys[b] - Ys[b].mean(axis=0)
        Ub = U[:, b, :]
        qb = np.einsum("ij,ij->i", Yb, Yb)
        s1 = Ub.sum(axis=0)
        total += float(np.dot(qb @ Ub, s1) - np.sum((Yb.T @ Ub) ** 2)
                       + cs[b] * np.dot(s1, s1))
    return total


def kmeans_sdp_init(labels, n_blocks, rank, rng, noise=0.05, per_block=True):
    """A nonnegative factor close to the block matrix of ``labels``.

    With ``per_block`` (LA-SDP), block ``k`` starts at ``1_{G_k} / sqrt(|G_k|)`` in its first
    column; otherwise (K-means SDP, one block of rank ``rank``) cluster ``k`` fills column
    ``k``. Small positive noise fills the rest so every direction can move.
    """
    labels = np.asarray(labels)
    n = labels.shape[0]
    U = noise * rng.random((n, n_blocks if per_block else 1, rank)) / math.sqrt(n * rank)
    for k in range(n_blocks):
        members = labels == k
        size = max(int(members.sum()), 1)
        if per_block:
            U[members, k, 0] += 1.0 / math.sqrt(size)
        else:
            U[members, 0, k % rank] += 1.0 / math.sqrt(size)
    return U


def solve_la_sdp_bm(Ys, cs, traces, rank, *, U0=None, dual0=None, beta=1.0, tol=1e-6,
                    max_iter=300, max_inner=2000, beta_max=1e3, rng=None):
    """Solve the (LA-)SDP by the nonnegative Burer-Monteiro augmented Lagrangian.

    Parameters
    ----------
    Ys : ndarray of shape (B, n, p)
        Whitened designs, one per block (``X`` itself for the K-means SDP).
    cs : ndarray of shape (B,)
        Coefficients of ``J`` per block (``log|Sigma_b|``); a common shift is irrelevant.
    traces : ndarray of shape (B,)
        ``tr Z_b`` per block (``1`` for LA-SDP, ``K`` for the K-means SDP).
    rank : int
        Columns per block factor.
    U0 : ndarray of shape (n, B, rank), default=None
        Warm start (projected onto the constraint set). Random nonnegative otherwise.
    dual0 : ndarray of shape (n,), default=None
        Warm start for the multipliers of the row-sum constraint (unscaled units).
    beta : float, default=1.0
        Initial augmented-Lagrangian penalty, on costs scaled to mean distance one; it
        doubles (up to ``beta_max``) whenever the infeasibility shrinks less than 4x.
    tol : float, default=1e-6
        Feasibility ``max_i |(sum_b Z_b 1)_i - 1|`` and relative step size at the end.
    max_iter, max_inner : int
        Outer (multiplier) and inner (projected-gradient) iteration caps.
    beta_max : float, default=1e3
    rng : numpy Generator, default=None

    Returns
    -------
    result : BMResult
    """
    Ys = np.asarray(Ys, dtype=np.float64)
    B, n, p = Ys.shape
    cs = np.asarray(cs, dtype=np.float64)
    traces = np.asarray(traces, dtype=np.float64)
    Yc = Ys - Ys.mean(axis=1, keepdims=True)
    q = np.einsum("bij,bij->bi", Yc, Yc)
    # Scale costs so that the mean pairwise squared distance is about one: the penalty
    # ``beta`` and the tolerances then mean the same on every data set.
    scale = float(2.0 * q.mean())
    if not np.isfinite(scale) or scale <= 0.0:
        scale = 1.0
    Ysc = np.ascontiguousarray(Yc / math.sqrt(scale))
    qsc = np.ascontiguousarray(q / scale)
    csc = (cs - cs.mean()) / scale
    if U0 is None:
        rng = np.random.default_rng(0) if rng is None else rng
        U = rng.random((n, B, rank))
    else:
        U = np.array(U0, dtype=np.float64, copy=True)
    U = np.ascontiguousarray(U.reshape(n, B * rank))
    dual = np.zeros(n) if dual0 is None else np.array(dual0, dtype=np.float64) / scale
    # bounded kernel calls, each resuming exactly where the last stopped (Ctrl-C)
    G = np.empty_like(U)
    hist = np.full(5, -np.inf)
    state = _bm_state(float(beta))
    out = {}

    def step(budget):
        used, finished, *result = _bm_al_solve(
            Ysc, qsc, csc, traces, int(rank), U, dual, G, hist, state, float(beta_max),
            float(tol), int(max_iter), int(max_inner), int(budget))
        out["result"] = result
        return used, bool(finished)

    # a projected-gradient step evaluates the augmented Lagrangian a few times
    run_in_chunks(step, int(max_iter) * int(max_inner) + 1, 3 * Ysc.size * U.shape[1],
                  resumable=True)
    n_outer, n_inner, converged, feas = out["result"]
    U = U.reshape(n, B, rank)
    return BMResult(U=U, dual=dual * scale, objective=la_sdp_objective(Ys, cs, U),
                    feasibility=float(feas), n_iter=int(n_outer), n_inner=int(n_inner),
                    converged=bool(converged))
