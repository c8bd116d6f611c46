"""Block coordinate descent for the multi-task (row-wise L2,1) elastic net.

Minimizes, for ``Y`` of shape ``(n, T)`` and ``W`` of shape ``(p, T)``::

    1 / (2 n) ||Y - C W||_F^2 + l1 sum_j ||W_j||_2 + l2 / 2 ||W||_F^2

where ``C`` is the (implicitly) centered and row-scaled design: column ``j`` is
``c_j = X_j - xm_j s`` with ``s = sqrt(sample_weight)`` (ones without weights). Dense
designs arrive already centered and scaled (``xm = 0``); sparse designs stay sparse and
the centering is carried by a rank-one correction of the residual, ``R = Rt + s q^T``,
so a coordinate update touches only the nonzeros of its column.

Each row ``W_j`` takes an exact block-prox step (block soft-thresholding with step
``1 / ||c_j||^2``). An outer loop computes the duality gap on every feature (one
``C^T R`` pass) and keeps a working set of the rows that are nonzero plus the worst
violators of the optimality conditions, like the single-task solver. The gap is
scikit-learn's (``enet_coordinate_descent_multi_task``) so ``tol`` means the same.
"""

import numpy as np

from ._anderson import anderson_extrapolate
from ._cd import _select_working_set
from ._colops import REDUCE, col_dot_inline, design_entries, split_design
from ._interrupt import run_in_chunks
from ._numba import jit

INNER_TOL_RATIO = 0.3
ANDERSON_SIZE = 5


@jit(fastmath=REDUCE)
def _row_grad(X, data, indices, indptr, j, RT, xm, xs, sR, q, out):
    """``out[t] = c_j^T R[:, t]`` with ``R = Rt + s q^T``."""
    for t in range(RT.shape[0]):
        out[t] = col_dot_inline(X, data, indices, indptr, j, RT[t]) + xs[j] * q[t] \
            - xm[j] * sR[t]


@jit(fastmath=REDUCE)
def _row_update(X, data, indices, indptr, j, d, RT, xm, xs, ss, sR, q):
    """``R -= c_j d^T`` (``Rt``, ``q`` and ``s^T R`` kept in step)."""
    T = RT.shape[0]
    if indptr.shape[0] == 1:  # dense
        for t in range(T):
            dt = d[t]
            if dt != 0.0:
                for i in range(X.shape[0]):
                    RT[t, i] -= X[i, j] * dt
    else:
        for k in range(indptr[j], indptr[j + 1]):
            i = indices[k]
            v = data[k]
            for t in range(T):
                RT[t, i] -= v * d[t]
    if xm[j] != 0.0:
        for t in range(T):
            q[t] += xm[j] * d[t]
    for t in range(T):
        sR[t] -= (xs[j] - xm[j] * ss) * d[t]


@jit(fastmath=REDUCE)
def _rebase(RT, s, q, sR):
    """Fold the rank-one correction into ``Rt`` and recompute ``s^T R`` exactly."""
    for t in range(RT.shape[0]):
        if q[t] != 0.0:
            for i in range(RT.shape[1]):
                RT[t, i] += s[i] * q[t]
            q[t] = 0.0
        acc = 0.0
        for i in range(RT.shape[1]):
            acc += s[i] * RT[t, i]
        sR[t] = acc


@jit(fastmath=REDUCE)
def _gap_and_grads(X, data, indices, indptr, RT, YT, W, xm, xs, s, sR, q, l1n, l2n, grads):
    """scikit-learn's multi-task duality gap (in units of ``n`` times the objective).

    Fills ``grads[j] = c_j^T R``.
    """
    _rebase(RT, s, q, sR)
    p, T = W.shape
    dual_norm = 0.0
    w_norm2 = 0.0
    w21 = 0.0
    for j in range(p):
        _row_grad(X, data, indices, indptr, j, RT, xm, xs, sR, q, grads[j])
        acc = 0.0
        wn = 0.0
        for t in range(T):
            a = grads[j, t] - l2n * W[j, t]
            acc += a * a
            wn += W[j, t] * W[j, t]
        dual_norm = max(dual_norm, np.sqrt(acc))
        w_norm2 += wn
        w21 += np.sqrt(wn)
    r_norm2 = 0.0
    ry = 0.0
    for t in range(T):
        for i in range(RT.shape[1]):
            r_norm2 += RT[t, i] * RT[t, i]
            ry += RT[t, i] * YT[t, i]
    if dual_norm > l1n:
        const = l1n / dual_norm
        gap = 0.5 * (r_norm2 + r_norm2 * const * const)
    else:
        const = 1.0
        gap = r_norm2
    gap += l1n * w21 - const * ry + 0.5 * l2n * (1.0 + const * const) * w_norm2
    return gap


@jit(fastmath=REDUCE)
def _primal(RT, s, q, W, ws, l1n, l2n):
    """``n`` times the objective; the rows outside ``ws`` are zero."""
    T = RT.shape[0]
    r2 = 0.0
    for t in range(T):
        for i in range(RT.shape[1]):
            r = RT[t, i] + s[i] * q[t]
            r2 += r * r
    pen = 0.0
    for j in ws:
        wn = 0.0
        for t in range(T):
            wn += W[j, t] * W[j, t]
        pen += l1n * np.sqrt(wn) + 0.5 * l2n * wn
    return 0.5 * r2 + pen


@jit(fastmath=REDUCE)
def _violation(g, w, l1n, l2n):
    """Distance of ``0`` to the subdifferential of row ``j`` (unnormalized units)."""
    T = w.shape[0]
    wn = 0.0
    for t in range(T):
        wn += w[t] * w[t]
    wn = np.sqrt(wn)
    acc = 0.0
    if wn == 0.0:
        for t in range(T):
            acc += g[t] * g[t]
        return max(np.sqrt(acc) - l1n, 0.0)
    for t in range(T):
        a = g[t] - l2n * w[t] - l1n * w[t] / wn
        acc += a * a
    return np.sqrt(acc)


@jit(fastmath=REDUCE)
def multitask_bcd(X, data, indices, indptr, YT, W, xm, s, l1n, l2n, max_epochs, tol_abs,
                  ws_start, seed):
    """Solve in place in ``W`` (shape ``(p, T)``); ``YT`` is the target, transposed.

    ``l1n``, ``l2n`` and ``tol_abs`` are in unnormalized units (times ``n``), as in
    scikit-learn's kernel. Returns ``(n_epochs, gap, converged)``.
    """
    T, n = YT.shape
    p = W.shape[0]
    xs = np.empty(p)
    lips = np.empty(p)
    ss = 0.0
    for i in range(n):
        ss += s[i] * s[i]
    for j in range(p):
        xs[j] = col_dot_inline(X, data, indices, indptr, j, s)
        nrm = 0.0
        if indptr.shape[0] == 1:  # dense
            for i in range(n):
                nrm += X[i, j] * X[i, j]
        else:
            for k in range(indptr[j], indptr[j + 1]):
                nrm += data[k] * data[k]
        lips[j] = nrm - 2.0 * xm[j] * xs[j] + xm[j] * xm[j] * ss
    RT = YT.copy()
    q = np.zeros(T)
    sR = np.zeros(T)
    for j in range(p):
        nz = False
        for t in range(T):
            if W[j, t] != 0.0:
                nz = True
        if nz:
            _row_update(X, data, indices, indptr, j, W[j], RT, xm, xs, ss, sR, q)
    grads = np.empty((p, T))
    g = np.empty(T)
    d = np.empty(T)
    score = np.empty(p)
    if seed >= 0:
        np.random.seed(seed)
    n_epochs = 0
    gap = np.inf
    converged = False
    while True:
        gap = _gap_and_grads(X, data, indices, indptr, RT, YT, W, xm, xs, s, sR, q, l1n,
                             l2n, grads)
        if gap <= tol_abs:
            converged = True
            break
        if n_epochs >= max_epochs:
            break
        n_active = 0
        viol_max = 0.0
        for j in range(p):
            v = _violation(grads[j], W[j], l1n, l2n)
            viol_max = max(viol_max, v)
            score[j] = v
            for t in range(T):
                if W[j, t] != 0.0:
                    score[j] = np.inf
                    n_active += 1
                    break
        ws_size = min(p, max(ws_start, 2 * n_active))
        ws = _select_working_set(score, ws_size)
        tol_inner = INNER_TOL_RATIO * viol_max
        # Anderson extrapolation of the working-set rows (Bertrand and Massias, 2021),
        # kept only when it lowers the objective: every nonzero row is in ws
        m = ws_size * T
        buffer = np.empty((ANDERSON_SIZE + 1, m))
        extrapolated = np.empty(m)
        visit = ws.copy()  # ws keeps its order: it indexes the Anderson buffer
        for epoch in range(max_epochs - n_epochs):
            if seed >= 0:
                np.random.shuffle(visit)
            inner = 0.0
            for j in visit:
                L = lips[j]
                if L <= 0.0:
                    continue
                _row_grad(X, data, indices, indptr, j, RT, xm, xs, sR, q, g)
                inner = max(inner, _violation(g, W[j], l1n, l2n))
                nz = 0.0
                for t in range(T):
                    g[t] = W[j, t] + g[t] / L
                    nz += g[t] * g[t]
                nz = np.sqrt(nz)
                shrink = 0.0
                if nz > 0.0:
                    shrink = max(1.0 - l1n / (L * nz), 0.0) * L / (L + l2n)
                changed = False
                for t in range(T):
                    d[t] = shrink * g[t] - W[j, t]
                    if d[t] != 0.0:
                        changed = True
                if changed:
                    for t in range(T):
                        W[j, t] += d[t]
                    _row_update(X, data, indices, indptr, j, d, RT, xm, xs, ss, sR, q)
            n_epochs += 1
            if inner <= tol_inner or n_epochs >= max_epochs:
                break
            slot = epoch % (ANDERSON_SIZE + 1)
            for k in range(ws_size):
                for t in range(T):
                    buffer[slot, k * T + t] = W[ws[k], t]
            if slot == ANDERSON_SIZE and anderson_extrapolate(buffer, extrapolated):
                obj_cur = _primal(RT, s, q, W, ws, l1n, l2n)
                for k in range(ws_size):
                    j = ws[k]
                    for t in range(T):
                        d[t] = extrapolated[k * T + t] - W[j, t]
                        W[j, t] += d[t]
                    _row_update(X, data, indices, indptr, j, d, RT, xm, xs, ss, sR, q)
                if _primal(RT, s, q, W, ws, l1n, l2n) > obj_cur:  # undo
                    for k in range(ws_size):
                        j = ws[k]
                        for t in range(T):
                            d[t] = buffer[slot, k * T + t] - W[j, t]
                            W[j, t] += d[t]
                        _row_update(X, data, indices, indptr, j, d, RT, xm, xs, ss, sR, q)
    return n_epochs, gap, converged


class MultiTaskProblem:
    """One-time layout work (centering, weights) shared by every alpha of a path.

    ``X``: dense ndarray or sparse matrix, float32 / float64; ``Y``: ``(n, T)``.
    Nothing the caller passed is modified.
    """

    def __init__(self, X, Y, *, sample_weight=None, fit_intercept=True):
        import scipy.sparse as sp

        n, p = X.shape
        Y = np.asarray(Y, dtype=np.float64)
        self.n_samples, self.n_features, self.n_tasks = n, p, Y.shape[1]
        sw = None if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        s = np.ones(n) if sw is None else np.sqrt(sw)
        w = np.ones(n) if sw is None else sw
        if fit_intercept:
            self.x_mean = np.asarray(w @ X).ravel() / w.sum()
            self.y_mean = (w @ Y) / w.sum()
        else:
            self.x_mean = np.zeros(p)
            self.y_mean = np.zeros(self.n_tasks)
        Yc = (Y - self.y_mean) * s[:, None]
        if sp.issparse(X):
            Xs = sp.csc_matrix(X) if sw is None else sp.csc_matrix(sp.diags(s) @ X)
            self.xm = self.x_mean.astype(np.float64)
        else:
            Xs = np.asarray(X)
            if fit_intercept:
                Xs = Xs - self.x_mean.astype(Xs.dtype, copy=False)
            if sw is not None:
                Xs = Xs * s[:, None].astype(Xs.dtype, copy=False)
            self.xm = np.zeros(p)
        self.design = split_design(Xs)
        self.s = np.ascontiguousarray(s)
        self.YT = np.ascontiguousarray(Yc.T)
        #: scikit-learn's scale of ``tol``: ``||Y||_F^2`` of the centered (scaled) target
        self.y_norm2 = float(np.sum(Yc ** 2))

    def run(self, alpha, l1_ratio, W, max_iter, tol, ws_start=50, random_seed=None):
        """Solve at one ``alpha`` from ``W`` (``(p, T)`` float64, updated in place).

        Returns ``(n_epochs, dual_gap, converged)``; the gap is divided by ``n`` as
        scikit-learn reports ``dual_gap_``.
        """
        n = self.n_samples
        l1n = alpha * l1_ratio * n
        l2n = alpha * (1.0 - l1_ratio) * n
        out = {}

        def step(budget):  # bounded calls, warm-started in turn (Ctrl-C, _interrupt.py)
            n_done, gap, converged = multitask_bcd(
                *self.design, self.YT, W, self.xm, self.s, float(l1n), float(l2n),
                int(budget), float(tol * self.y_norm2), int(ws_start),
                -1 if random_seed is None else int(random_seed))
            out.update(gap=gap, converged=converged)
            return n_done, bool(converged)

        work = design_entries(self.design) * self.n_tasks
        n_epochs = run_in_chunks(step, int(max_iter), work)
        return int(n_epochs), float(out["gap"]) / n, bool(out["converged"])

    def intercept(self, W):
        """Intercept of every task for coefficients ``W`` (``(p, T)``)."""
        return self.y_mean - self.x_mean @ W


def alpha_max_multitask(X, Y, *, sample_weight=None, fit_intercept=True, l1_ratio=1.0):
    """Smallest ``alpha`` zeroing every row: ``max_j ||c_j^T Y_c|| / (n l1_ratio)``."""
    import scipy.sparse as sp

    n = X.shape[0]
    Y = np.asarray(Y, dtype=np.float64)
    w = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    Yc = Y - (w @ Y) / w.sum() if fit_intercept else Y
    # sum_i w_i x_ij (y_i - ybar): the x-mean term vanishes against a centered Yc
    corr = X.T @ (w[:, None] * Yc)
    corr = corr.toarray() if sp.issparse(corr) else np.asarray(corr)
    return float(np.max(np.sqrt(np.sum(corr ** 2, axis=1)))) / (n * l1_ratio)
