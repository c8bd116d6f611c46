"""Greedy Gauss-Southwell-Lipschitz coordinate descent on the Gram form, O(log p) bookkeeping.

Nutini, Laradji and Schmidt (2017): pick the coordinate whose exact prox step moves the
most in the metric of its own curvature, ``j = argmax_j sqrt(L_j) |prox_j - w_j|`` (their
GSL-r rule, with ``L_j = G_jj``), instead of sweeping all coordinates. The scores live in
a max-tree (tournament tree): updating coordinate ``j`` changes the gradient only where
``G[j, i] != 0``, and each touched score is refreshed in O(log p), so there is never an
O(p) rescan. With a sparse Gram matrix (nearly orthogonal sparse columns, one-hot blocks)
an update costs O(nnz(G_j) log p), independent of p; with a dense Gram it costs
O(p log p), where cyclic Gram CD (O(p) per update) is the better choice.

``G`` arrives as CSR arrays (rows are columns: ``G`` is symmetric).
"""

import numpy as np

from ._interrupt import run_in_chunks
from ._numba import jit
from ._penalty_kernels import kkt_scores, penalty_value, prox_box_1d


@jit
def _tree_set(val, arg, size, j, score):
    k = size + j
    val[k] = score
    k //= 2
    while k >= 1:
        left = 2 * k
        if val[left] >= val[left + 1]:
            val[k] = val[left]
            arg[k] = arg[left]
        else:
            val[k] = val[left + 1]
            arg[k] = arg[left + 1]
        k //= 2


@jit
def _gsl_score(pen, params, pf, lower, upper, wj, gj, ljj):
    if ljj <= 0.0:
        return 0.0, wj
    x = prox_box_1d(pen, params, wj - gj / ljj, 1.0 / ljj, pf, lower, upper)
    return np.sqrt(ljj) * abs(x - wj), x


@jit
def greedy_gram_solve(
    data, indices, indptr, diag, b, yy, pen, params, struct, pf, lower, upper, w, grad,
    move_tol, max_updates, tol,
):
    """Minimize ``yy/2 - b^T w + w^T G w / 2 + penalty(w)`` by greedy GSL-r updates.

    Stops when no coordinate's curvature-weighted move ``L_j |d_j|`` exceeds ``tol`` (then
    reports the largest KKT violation) or after ``max_updates`` single-coordinate updates.
    ``grad`` (``G w - b``, updated in place) and ``move_tol`` carry over between calls: a
    fresh solve passes ``move_tol < 0`` (``grad`` is then computed here and the threshold
    starts at ``tol``), a resumed one what the last call returned, so that several calls
    make exactly the updates of one (the selection tree is a function of ``w, grad``).
    Returns ``(n_updates, stop_crit, converged, objective, move_tol)``.
    """
    p = w.shape[0]
    if move_tol < 0.0:
        grad[:] = -b
        for j in range(p):
            if w[j] != 0.0:
                for k in range(indptr[j], indptr[j + 1]):
                    grad[indices[k]] += data[k] * w[j]
        move_tol = tol
    size = 1
    while size < max(p, 1):
        size *= 2
    val = np.full(2 * size, -1.0)
    arg = np.zeros(2 * size, dtype=np.int64)
    for j in range(p):
        arg[size + j] = j
        s, _ = _gsl_score(pen, params, pf[j], lower[j], upper[j], w[j], grad[j], diag[j])
        val[size + j] = s
    for k in range(size - 1, 0, -1):
        left = 2 * k
        if val[left] >= val[left + 1]:
            val[k] = val[left]
            arg[k] = arg[left]
        else:
            val[k] = val[left + 1]
            arg[k] = arg[left + 1]
    sqrt_lmax = np.sqrt(max(diag.max(), 1e-300)) if p > 0 else 1.0
    n_updates = 0
    kkt = np.empty(p)
    # A small move does not imply a small KKT violation (a ridge part or a prox at the
    # edge of its threshold shrinks the move): check the KKT conditions whenever the
    # moves fall below the threshold, and tighten it until they hold.
    while n_updates < max_updates:
        if p == 0:
            break
        if val[1] * sqrt_lmax <= move_tol:
            kkt_scores(pen, params, struct, pf, lower, upper, w, grad, kkt)
            if kkt.max() <= tol or move_tol < 1e-300:
                break
            move_tol *= 0.1
            continue
        j = arg[1]
        _, x = _gsl_score(pen, params, pf[j], lower[j], upper[j], w[j], grad[j], diag[j])
        d = x - w[j]
        w[j] = x
        n_updates += 1
        for k in range(indptr[j], indptr[j + 1]):
            i = indices[k]
            grad[i] += data[k] * d
            s, _ = _gsl_score(pen, params, pf[i], lower[i], upper[i], w[i], grad[i], diag[i])
            _tree_set(val, arg, size, i, s)
        # j's own score changed with w_j even where G_jj is not stored
        s, _ = _gsl_score(pen, params, pf[j], lower[j], upper[j], w[j], grad[j], diag[j])
        _tree_set(val, arg, size, j, s)
    kkt_scores(pen, params, struct, pf, lower, upper, w, grad, kkt)
    stop_crit = kkt.max() if p > 0 else 0.0
    quad = 0.0
    for j in range(p):
        quad += w[j] * (0.5 * (grad[j] + b[j]) - b[j])
    objective = 0.5 * yy + quad + penalty_value(pen, params, struct, pf, w)
    return n_updates, stop_crit, stop_crit <= tol, objective, move_tol


def solve_greedy_gram(G, b, penalty, *, yy=0.0, penalty_factor=None, lower=None, upper=None,
                      coef_init=None, max_updates=None, tol=1e-4):
    """Greedy GSL coordinate descent on ``w^T G w / 2 - b^T w + penalty(w)``.

    ``G`` is a dense array or a scipy.sparse matrix (kept sparse: that is where greedy
    selection pays). ``tol`` is a KKT violation. ``max_updates`` defaults to ``1000 p``.

    Returns ``(w, n_updates, stop_crit, converged, objective)``.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat._engine import L1
    >>> from sparsestat._engine._greedy_cd import solve_greedy_gram
    >>> w, n_up, crit, ok, obj = solve_greedy_gram(np.eye(3), np.array([2.0, 0.5, -3.0]),
    ...                                            L1(alpha=1.0))
    >>> w, n_up
    (array([ 1.,  0., -2.]), 2)
    """
    import scipy.sparse as sp

    from .solvers import _bounds, _penalty_factor

    G = sp.csr_matrix(G, dtype=np.float64)
    G.sum_duplicates()
    G.sort_indices()
    b = np.ascontiguousarray(b, dtype=np.float64)
    p = b.shape[0]
    pf = _penalty_factor(p, penalty_factor)
    lo, hi = _bounds(p, lower, upper)
    w = np.zeros(p) if coef_init is None else np.array(coef_init, dtype=np.float64)
    diag = np.ascontiguousarray(G.diagonal(), dtype=np.float64)
    if max_updates is None:
        max_updates = 1000 * max(p, 1)
    args = (G.data, G.indices.astype(np.int64), G.indptr.astype(np.int64), diag, b,
            float(yy), penalty.code, penalty.params_array(), penalty.struct_array(), pf, lo,
            hi, w)
    # bounded kernel calls of ``budget * p`` updates, each resuming exactly where the last
    # stopped (the gradient and the move threshold carry over), so that Ctrl-C is seen
    unit = max(p, 1)
    max_updates = int(max_updates)
    grad = np.empty(p)
    out = {"n_up": 0, "move_tol": -1.0}

    def step(budget):
        todo = min(budget * unit, max_updates - out["n_up"])
        n_up, crit, ok, obj, move_tol = greedy_gram_solve(*args, grad, out["move_tol"],
                                                          todo, float(tol))
        out.update(n_up=out["n_up"] + n_up, crit=crit, ok=ok, obj=obj, move_tol=move_tol)
        # stopped on its own (small moves and KKT met) only when it left updates unused:
        # a call that used all of them may report ok while one call would go on moving
        return budget, bool(n_up < todo or out["n_up"] >= max_updates)

    # p updates: each column of G once, each entry with a selection-tree update (log p)
    work = (G.nnz + unit) * max(1.0, np.log2(unit))
    run_in_chunks(step, -(-max_updates // unit), work, resumable=True)
    return w, int(out["n_up"]), float(out["crit"]), bool(out["ok"]), float(out["obj"])


def solve_greedy(X, y, datafit, penalty, *, sample_weight=None, fit_intercept=True,
                 penalty_factor=None, lower=None, upper=None, coef_init=None, max_iter=1000,
                 tol=1e-4):
    """Greedy GSL coordinate descent on the Gram form of a least-squares problem.

    The entry point of ``solve(..., solver="greedy")``: forms ``G = X^T diag(sw) X / n``
    (of the centered design with an intercept; sparse ``X`` only without one, since
    centering would make ``G`` dense) and runs :func:`solve_greedy_gram` for at most
    ``max_iter * n_features`` updates. ``tol`` is a KKT violation. Returns a
    :class:`~sparsestat._engine.solvers.SolverResult` with ``solver="greedy"``.
    """
    import scipy.sparse as sp

    from .datafits import Quadratic
    from .solvers import SolverResult

    if datafit.code != Quadratic.code:
        raise ValueError("solver='greedy' needs the quadratic datafit.")
    if not penalty.is_separable:
        raise ValueError(f"solver='greedy' needs a separable penalty, not "
                         f"{type(penalty).__name__}.")
    n, p = X.shape
    w = np.ones(n) if sample_weight is None else sample_weight
    y_mean = float(w @ y) / w.sum() if fit_intercept else 0.0
    if sp.issparse(X):
        if fit_intercept:
            raise ValueError("solver='greedy' on sparse X needs fit_intercept=False "
                             "(centering would make the Gram matrix dense); center y "
                             "and pass fit_intercept=False, or use solver='cd'.")
        x_mean = np.zeros(p)
        G = (X.T @ sp.diags(w) @ X).tocsr() / n
        b = np.asarray(X.T @ (w * y)).ravel() / n
    else:
        x_mean = (w @ X) / w.sum() if fit_intercept else np.zeros(p)
        Xc = np.asarray(X, dtype=np.float64) - x_mean
        G = Xc.T @ (Xc * w[:, None]) / n
        b = Xc.T @ (w * (y - y_mean)) / n
    yc = y - y_mean
    coef, n_up, crit, ok, obj = solve_greedy_gram(
        G, b, penalty, yy=float(w @ yc ** 2) / n, penalty_factor=penalty_factor,
        lower=lower, upper=upper, coef_init=coef_init,
        max_updates=int(max_iter) * max(p, 1), tol=tol)
    return SolverResult(coef=coef, intercept=y_mean - float(x_mean @ coef), n_iter=n_up,
                        stop_crit=crit, converged=ok, solver="greedy",
                        objective=np.array([obj]))
