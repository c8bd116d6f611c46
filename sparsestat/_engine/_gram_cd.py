"""Coordinate descent on the quadratic datafit in Gram form.

``F(w) = yy / 2 - b^T w + w^T G w / 2`` with ``G = X^T X / n`` and ``b = X^T y / n``.
An update costs O(p) whatever n is, which wins when n >> p, and it is the only form the
local-privacy estimator sees (it never has X). Features whose prox stays at zero cost
O(1), so an epoch over an inactive feature set is cheap.
"""

import numpy as np

from ._anderson import anderson_extrapolate
from ._colops import array_max
from ._gap import enet_duality_gap, unpenalized_slack
from ._numba import jit
from ._penalty_kernels import ELASTIC_NET, kkt_scores, penalty_value, prox_box_1d


@jit(fastmath={"reassoc", "contract"})
def _gram_objective(pen, params, struct, pf, G, b, yy, w):
    quad = 0.0
    for j in range(w.shape[0]):
        if w[j] != 0.0:
            acc = 0.0
            for i in range(w.shape[0]):
                acc += G[j, i] * w[i]
            quad += w[j] * (0.5 * acc - b[j])
    return 0.5 * yy + quad + penalty_value(pen, params, struct, pf, w)


@jit
def _gram_gradient(G, b, w, grad):
    for j in range(w.shape[0]):
        grad[j] = -b[j]
    for i in range(w.shape[0]):
        if w[i] != 0.0:
            for j in range(w.shape[0]):
                grad[j] += G[i, j] * w[i]


def gram_rounding(n_terms, p):
    """``gram_eps`` of :func:`gram_cd_solve` and :func:`~._path.ws_gram_path` for a Gram
    matrix whose entries are sums of ``n_terms`` products (Higham's ``gamma``, with the
    ``p``-term sums of ``G w`` and a factor 2 of margin)."""
    return 2.0 * (n_terms + p + 8) * np.finfo(np.float64).eps


@jit
def gram_value_error(w, gnorm, yy, gram_eps):
    """Rounding bounds of :func:`_gram_gradient`'s values at ``w``.

    With ``|fl(G)_jk - G_jk| <= gram_eps * gnorm_j gnorm_k`` (``gnorm_j`` the norm of the
    column as multiplied, over sqrt(n); ``gram_eps`` Higham's ``gamma`` of the longest
    sum, with the downdates of a fold Gram counted) and ``a = sum_j |w_j| gnorm_j``:
    ``|error of grad_j| <= gram_eps * gnorm_j (a + sqrt(yy))`` and
    ``|error of ||R||^2 / n|``, ``|error of R^T y / n| <= 2 gram_eps (sqrt(yy) + a)^2``
    (by Cauchy-Schwarz ``|G_jk| <= gnorm_j gnorm_k``, ``|b_j| <= gnorm_j sqrt(yy)``).
    Returns ``(error of rr, error of grad_j / gnorm_j)``.
    """
    a = 0.0
    for j in range(w.shape[0]):
        a += abs(w[j]) * gnorm[j]
    sy = np.sqrt(yy)
    return 2.0 * gram_eps * (sy + a) * (sy + a), gram_eps * (a + sy)


@jit
def gram_gap_error(pen, params, pf, w, grad, rr, lips, gnorm, e_rr, e_g):
    """How far :func:`enet_duality_gap` + :func:`unpenalized_slack` at Gram values can
    be from their values at the exact ones (``e_rr``, ``e_g`` of :func:`gram_value_error`).

    The gap is ``(1 + c^2) rr0 / 2 - c rr1 + l1 + (1 + c^2) l2 / 2`` with the dual
    scaling ``c = min(1, 1 / dual_norm)`` (1-Lipschitz in ``dual_norm``, which moves by
    at most ``delta = max_j e_g gnorm_j / a_j``); so it moves by at most
    ``2 e_rr + (rr0 + |rr1| + l2) delta``. The unpenalized slack ``sum g_j^2 / (2 L_j)``
    moves by ``(|g_j| dg_j + dg_j^2) / L_j``. The ridge gap (no L1 part, see
    :func:`enet_duality_gap`) ``rr0 - rr1 + l2 / 2 + sum_j g_j^2 / (2 b_j)`` moves by at
    most ``2 e_rr + sum_j (|g_j| dg_j + dg_j^2 / 2) / b_j``.
    """
    alpha = params[0]
    l1_ratio = params[1] if pen == ELASTIC_NET else 1.0
    delta = 0.0
    l2 = 0.0
    slack = 0.0
    for j in range(w.shape[0]):
        a_j = alpha * l1_ratio * pf[j]
        dg = e_g * gnorm[j]
        if l1_ratio == 0.0 and alpha * pf[j] > 0.0:
            slack += (abs(grad[j]) * dg + 0.5 * dg * dg) / (alpha * pf[j])
        elif a_j > 0.0:
            if dg / a_j > delta:
                delta = dg / a_j
            l2 += alpha * (1.0 - l1_ratio) * pf[j] * w[j] * w[j]
        elif lips[j] > 0.0:
            slack += (abs(grad[j]) * dg + dg * dg) / lips[j]
    return 2.0 * e_rr + (abs(rr[0]) + abs(rr[1]) + l2) * delta + slack


@jit
def _gram_gap(pen, params, pf, b, yy, w, grad, diag, gap_mode, rr):
    """Duality gap (plus the unpenalized slack) read from ``G``; ``rr`` gets
    ``(||R||^2 / n, R^T y / n)``: ``yy - 2 b^T w + w^T G w`` with ``G w = grad + b``."""
    wb = 0.0
    wg = 0.0
    for j in range(w.shape[0]):
        wb += w[j] * b[j]
        wg += w[j] * grad[j]
    rr[0] = yy - wb + wg
    rr[1] = yy - wb
    positive = gap_mode == 2
    return (enet_duality_gap(pen, params, pf, w, grad, rr[0], rr[1], positive)
            + unpenalized_slack(params, pf, w, grad, diag, positive))


@jit(specialize={"pen": ELASTIC_NET})  # Lasso, ElasticNet: their branches only
def gram_cd_solve(
    G, b, yy, pen, params, struct, pf, lower, upper, w,
    max_epochs, tol, gap_mode, y_scale, anderson_size, gram_eps,
):
    """Minimize ``yy/2 - b^T w + w^T G w / 2 + penalty(w)`` over box bounds, in place.

    ``G`` must be symmetric (rows are read as columns). ``gap_mode`` and ``tol`` mean
    what they mean in :func:`cd_solve`; the gap needs ``yy = ||y||^2 / n``.

    The gap read from ``G`` (``||R||^2 / n = yy - 2 b^T w + w^T G w``, and a gradient
    carried along the moves) cancels where the fit nearly interpolates or columns are
    nearly collinear, so it can sit far below the gap of the data ``G`` was formed from.
    A solve is reported converged only on a freshly computed gradient, and with
    ``gram_eps > 0`` (``G`` formed from data, see :func:`gram_rounding`; ``G`` positive
    semidefinite) only if the gap plus its rounding bound (:func:`gram_gap_error`) meets
    the target. Where the bound alone exceeds a quarter of the target, ``G`` cannot
    certify this problem at this tol: the solve stops there, not converged and
    ``certified = False``, and a caller that holds ``X`` goes on with a fresh residual.

    Returns ``(n_epochs, stop_crit, converged, objective_history, certified)``;
    ``certified`` is False only for that stop.
    """
    p = w.shape[0]
    grad = np.empty(p)
    _gram_gradient(G, b, w, grad)
    kkt = np.empty(p)
    history = np.empty(max_epochs + 1)
    buffer = np.empty((max(anderson_size, 1) + 1, p))
    extrapolated = np.empty(p)
    n_epochs = 0
    stop_crit = np.inf
    converged = False
    small_moves = True  # no epoch yet: a start that passes the check is optimal
    diag = np.empty(p)  # (np.diag compiles one more numba function)
    gnorm = np.empty(p)  # column norms over sqrt(n): G's rounding scale
    for j in range(p):
        diag[j] = G[j, j]
        gnorm[j] = np.sqrt(max(G[j, j], 0.0))
    rr = np.empty(2)
    certified = True
    target = tol * y_scale
    while True:
        history[n_epochs] = _gram_objective(pen, params, struct, pf, G, b, yy, w)
        if gap_mode > 0:
            stop_crit = _gram_gap(pen, params, pf, b, yy, w, grad, diag, gap_mode, rr)
            # scikit-learn checks its gap only once the largest coordinate move of an
            # epoch is below tol times the largest coefficient: checking every epoch (it
            # costs O(p) here) would stop earlier at the same gap, and give visibly
            # different coefficients from scikit-learn's at the same tol
            converged = stop_crit <= target and small_moves
            if converged:
                # the carried gradient has drifted over the moves: certify on a fresh one
                _gram_gradient(G, b, w, grad)
                stop_crit = _gram_gap(pen, params, pf, b, yy, w, grad, diag, gap_mode,
                                      rr)
                if gram_eps > 0.0 and stop_crit <= target:
                    e_rr, e_g = gram_value_error(w, gnorm, yy, gram_eps)
                    bound = gram_gap_error(pen, params, pf, w, grad, rr, diag, gnorm, e_rr,
                                           e_g)
                    stop_crit += bound  # an upper bound of the gap on the data
                    if bound > 0.25 * target:
                        certified = False
                        converged = False
                        break
                converged = stop_crit <= target
        else:
            kkt_scores(pen, params, struct, pf, lower, upper, w, grad, kkt)
            stop_crit = array_max(kkt) if p > 0 else 0.0
            converged = stop_crit <= tol
        if converged or n_epochs >= max_epochs:
            break

        max_move = 0.0
        max_coef = 0.0
        for j in range(p):
            if G[j, j] <= 0.0:
                continue
            old = w[j]
            new = prox_box_1d(pen, params, old - grad[j] / G[j, j], 1.0 / G[j, j], pf[j],
                              lower[j], upper[j])
            if new != old:
                delta = new - old
                w[j] = new
                max_move = max(max_move, abs(delta))
                for i in range(p):
                    grad[i] += G[j, i] * delta
            max_coef = max(max_coef, abs(new))
        small_moves = max_coef == 0.0 or max_move <= tol * max_coef
        n_epochs += 1

        if anderson_size > 0:
            slot = (n_epochs - 1) % (anderson_size + 1)
            for j in range(p):  # (a row copy compiles numba's shape-error text)
                buffer[slot, j] = w[j]
            if slot == anderson_size and anderson_extrapolate(buffer, extrapolated):
                inside = True
                for j in range(p):
                    if extrapolated[j] < lower[j] or extrapolated[j] > upper[j]:
                        inside = False
                if inside:
                    obj_acc = _gram_objective(pen, params, struct, pf, G, b, yy, extrapolated)
                    obj_cur = _gram_objective(pen, params, struct, pf, G, b, yy, w)
                    if obj_acc < obj_cur:
                        for j in range(p):  # (a slice copy compiles numba's shape-error text)
                            w[j] = extrapolated[j]
                        _gram_gradient(G, b, w, grad)
    # a start proven optimal counts as one epoch (see cd_solve)
    return max(n_epochs, 1), stop_crit, converged, history[: n_epochs + 1], certified


class WorkingSetGram:
    """Gram matrix of a working set of columns of a tall dense design, grown by blocks.

    ``G = X_W^T diag(sw) X_W / n`` over the features ``W`` in the order they were added,
    and ``b = X^T diag(sw) y / n``, ``yy = y^T diag(sw) y / n`` over every feature. Forming
    the full ``X^T X`` (BLAS syrk, ``n p^2 / 2`` multiply-adds) costs about ``p / 28``
    passes over ``X``; the block of a working set of ``k`` features costs ``(k / p)^2``
    of that, and a new block of ``m`` features only its ``n k m + n m^2 / 2``. Features
    outside ``W`` are seen through the full gradient, one pass over ``X``
    (:meth:`gradient`). Plain numpy (BLAS) around the compiled :func:`gram_cd_solve`.
    ``b``, when given, is that ``X^T diag(sw) y / n`` (a caller's, see :func:`solve`'s
    ``xy``): one pass over ``X`` less.
    """

    def __init__(self, X, y, sw, weighted, capacity, b=None):
        n, p = X.shape
        self.X, self.n = X, n
        self.sqrt_sw = np.sqrt(sw) if weighted else None
        self.ys = y * self.sqrt_sw if weighted else y
        if b is None:
            b = np.ascontiguousarray(X.T @ (sw * y), dtype=np.float64) / n
        self.b = b
        self.yy = float(sw @ y ** 2) / n
        self.features = np.empty(0, dtype=np.intp)
        self.in_ws = np.zeros(p, dtype=np.bool_)
        self.G = np.empty((0, 0))
        # the working set's (weighted) columns side by side, for BLAS: room for
        # ``capacity`` columns (the largest working set expected), doubled when full
        self.capacity = max(1, min(p, capacity))
        self._cols = np.empty((n, 0), order="F")

    def add(self, new):
        """Append the features ``new`` (not yet in the working set) and their Gram block."""
        k, m = self.features.shape[0], new.shape[0]
        if m == 0:
            return
        cols = self._cols
        if k + m > cols.shape[1]:
            cap = min(self.in_ws.shape[0], max(2 * cols.shape[1], k + m, self.capacity))
            cols = np.empty((self.n, cap), order="F")
            cols[:, :k] = self._cols[:, :k]
            self._cols = cols
        for i in range(m):  # column by column: X[:, new] would copy them twice
            if self.sqrt_sw is None:
                cols[:, k + i] = self.X[:, new[i]]
            else:
                np.multiply(self.X[:, new[i]], self.sqrt_sw, out=cols[:, k + i])
        old, block = cols[:, :k], cols[:, k:k + m]
        G = np.empty((k + m, k + m))
        G[:k, :k] = self.G
        cross = (old.T @ block) / self.n
        G[:k, k:] = cross
        G[k:, :k] = cross.T
        G[k:, k:] = (block.T @ block) / self.n  # syrk
        self.G = G
        self.features = np.concatenate([self.features, new])
        self.in_ws[new] = True

    def gradient(self, w_ws):
        """``-X^T diag(sw) (y - X_W w_W) / n`` over every feature (one pass over ``X``)."""
        k = self.features.shape[0]
        resid = self.ys - self._cols[:, :k] @ w_ws if k else self.ys.copy()
        if self.sqrt_sw is not None:
            resid *= self.sqrt_sw
        return -(self.X.T @ resid) / self.n
