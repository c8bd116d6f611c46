"""Working-set block coordinate descent for the group-L1 penalty, in one compiled call.

Each block ``g`` takes an exact block-prox step (block soft-thresholding) with step
``1 / L_g``, ``L_g = curvature * ||X_g^T diag(sw) X_g||_2 / n`` (the block's Lipschitz
constant). The outer loop scores every group by its optimality violation and keeps a
working set of the violating groups plus the active ones, as the coordinate solver does.
Groups come in ``struct`` (see ``_penalty_kernels.group_norm``), weights in ``params``.
"""

import numpy as np

from ._cd import _select_working_set, update_column
from ._colops import array_max, col_dot, copy_into
from ._datafit_kernels import curvature, datafit_value, deriv_1d, fill_derivatives
from ._interrupt import run_in_chunks
from ._numba import jit
from ._penalty_kernels import GROUP_L1, penalty_value

INNER_TOL_RATIO = 0.3


@jit
def _group_grad(X, data, indices, indptr, struct, g, derivs, n, out):
    n_groups = struct[0]
    start = 2 + n_groups
    m = 0
    for k in range(struct[1 + g], struct[2 + g]):
        j = struct[start + k]
        out[m] = col_dot(X, data, indices, indptr, j, derivs) / n
        m += 1
    return m


@jit
def _group_violation(struct, g, w, grad_g, t, positive):
    """Distance of 0 to the group's subdifferential (plus the normal cone of w >= 0).

    With ``positive``, a zero group is optimal iff ``||(-grad_g)_+|| <= t``, and a zero
    coordinate of a nonzero group iff its gradient is >= 0.
    """
    n_groups = struct[0]
    start = 2 + n_groups
    norm = 0.0
    for k in range(struct[1 + g], struct[2 + g]):
        norm += w[struct[start + k]] ** 2
    norm = np.sqrt(norm)
    m = struct[2 + g] - struct[1 + g]
    if norm == 0.0:
        gn = 0.0
        for q in range(m):
            gq = min(grad_g[q], 0.0) if positive else grad_g[q]
            gn += gq ** 2
        return max(np.sqrt(gn) - t, 0.0)
    acc = 0.0
    q = 0
    for k in range(struct[1 + g], struct[2 + g]):
        wj = w[struct[start + k]]
        if positive and wj == 0.0:
            acc += min(grad_g[q], 0.0) ** 2
        else:
            acc += (grad_g[q] + t * wj / norm) ** 2
        q += 1
    return np.sqrt(acc)


# ``group_cd_solve`` state vector, so that a solve split into calls is the solve of one
# call: paused inside the inner epochs of a working set, epochs so far, the working set's
# size and inner tolerance, the outer stop criterion and the intercept
_ST_PAUSED, _ST_EPOCHS, _ST_WS_SIZE, _ST_TOL_INNER, _ST_CRIT, _ST_INTERCEPT = range(6)


@jit
def group_cd_solve(
    X, data, indices, indptr, y, sw, offset, datafit, dparams, dstruct, params, struct, lips,
    w, scores_io, derivs_io, ws_buf, state, fit_intercept, max_epochs, tol, ws_start,
    positive, budget,
):
    """Minimize ``datafit(X w + b) + alpha sum_g weight_g ||w_g||`` in place in ``w``.

    ``lips`` holds the block Lipschitz constants; ``positive`` adds ``w >= 0`` (the prox
    then shrinks the positive part of the gradient step). Stops when the largest group
    violation (and the intercept's gradient) is ``<= tol``. Runs at most ``budget``
    epochs, then saves where it is in ``state`` (``_ST_*``; a fresh solve: zeros and the
    starting intercept at ``_ST_INTERCEPT``), ``scores_io = X w + b`` and ``derivs_io``
    (the datafit's derivatives, both ``(n,)``) and ``ws_buf`` (the working set, ``(n_groups,)``
    int64), so that calls in turn make exactly the updates of one call.
    Returns ``(intercept, n_epochs, stop_crit, converged, objective_history, n_done,
    finished)``: epochs so far and in this call, and whether the solve is over.
    """
    n = y.shape[0]
    n_groups = struct[0]
    start = 2 + n_groups
    max_size = 0
    for g in range(n_groups):
        max_size = max(max_size, struct[2 + g] - struct[1 + g])
    curv = curvature(datafit, dparams)
    lips_intercept = curv * sw.sum() / n
    paused = state[_ST_PAUSED] != 0.0
    intercept = state[_ST_INTERCEPT]
    n_epochs = int(state[_ST_EPOCHS])
    # work on local copies: with the carried arrays themselves the epoch loop ran 7 %
    # slower (measured), the copies cost O(n) per call
    scores = np.empty(n)
    derivs = np.empty(n)
    if paused:
        copy_into(scores, scores_io)  # (slice copies compile numba's shape-error text)
        copy_into(derivs, derivs_io)
    else:
        scores[:] = intercept
        for j in range(w.shape[0]):
            if w[j] != 0.0:
                if indptr.shape[0] == 1:  # dense
                    for i in range(n):
                        scores[i] += w[j] * X[i, j]
                else:
                    for k in range(indptr[j], indptr[j + 1]):
                        scores[indices[k]] += w[j] * data[k]
        scores += offset
        fill_derivatives(datafit, dparams, dstruct, y, scores, sw, derivs)
    grad_g = np.empty(max(max_size, 1))
    old_g = np.empty(max(max_size, 1))
    viol = np.empty(n_groups)
    history = np.empty(min(max_epochs - n_epochs, budget) + 1)
    n_hist = 0
    stop_crit = state[_ST_CRIT]
    converged = False
    alpha = params[0]
    used = 0
    while True:
        if paused:
            ws_size = int(state[_ST_WS_SIZE])
            tol_inner = state[_ST_TOL_INNER]
            paused = False
        else:
            if fit_intercept:
                for _ in range(3 if datafit != 0 else 1):
                    delta = -derivs.sum() / n / lips_intercept
                    if delta != 0.0:
                        intercept += delta
                        for i in range(n):
                            scores[i] += delta
                            derivs[i] = sw[i] * deriv_1d(datafit, dparams, y[i], scores[i])
            for g in range(n_groups):
                _group_grad(X, data, indices, indptr, struct, g, derivs, n, grad_g)
                viol[g] = _group_violation(struct, g, w, grad_g, alpha * params[1 + g],
                                           positive)
            stop_crit = array_max(viol) if n_groups > 0 else 0.0
            if fit_intercept:
                stop_crit = max(stop_crit, abs(derivs.sum() / n))
            history[n_hist] = datafit_value(datafit, dparams, dstruct, y, scores, sw) + penalty_value(
                GROUP_L1, params, struct, np.ones(w.shape[0]), w)
            n_hist += 1
            converged = stop_crit <= tol
            if converged or n_epochs >= max_epochs:
                break
            # working set: active groups, then the worst violators
            n_active = 0
            for g in range(n_groups):
                active = False
                for k in range(struct[1 + g], struct[2 + g]):
                    if w[struct[start + k]] != 0.0:
                        active = True
                        break
                if active or params[1 + g] == 0.0:
                    viol[g] = np.inf
                    n_active += 1
            ws_size = min(n_groups, max(ws_start, 2 * n_active))
            # the ws_size largest, in increasing order (np.sort + np.argsort compiled two
            # sorts: about 2 s of a first fit); ties go to the lowest index
            ws_sel = _select_working_set(viol, ws_size)
            for k in range(ws_size):
                ws_buf[k] = ws_sel[k]
            tol_inner = INNER_TOL_RATIO * stop_crit
        ws = ws_buf[:ws_size].copy()
        for epoch in range(max_epochs - n_epochs):
            if used >= budget:
                state[_ST_PAUSED] = 1.0
                state[_ST_EPOCHS] = n_epochs
                state[_ST_WS_SIZE] = ws_size
                state[_ST_TOL_INNER] = tol_inner
                state[_ST_CRIT] = stop_crit
                state[_ST_INTERCEPT] = intercept
                copy_into(scores_io, scores)
                copy_into(derivs_io, derivs)
                return intercept, n_epochs, stop_crit, False, history[:n_hist], used, False
            used += 1
            inner = 0.0
            for g in ws:
                if lips[g] <= 0.0:
                    continue
                m = _group_grad(X, data, indices, indptr, struct, g, derivs, n, grad_g)
                t = alpha * params[1 + g]
                d = _group_violation(struct, g, w, grad_g, t, positive)
                if d > inner:
                    inner = d
                norm = 0.0
                q = 0
                for k in range(struct[1 + g], struct[2 + g]):
                    j = struct[start + k]
                    old_g[q] = w[j]
                    grad_g[q] = w[j] - grad_g[q] / lips[g]
                    if positive and grad_g[q] < 0.0:
                        grad_g[q] = 0.0  # prox of t||.|| + [w >= 0]: shrink the positive part
                    norm += grad_g[q] ** 2
                    q += 1
                norm = np.sqrt(norm)
                shrink = max(1.0 - t / lips[g] / norm, 0.0) if norm > 0.0 else 0.0
                q = 0
                for k in range(struct[1 + g], struct[2 + g]):
                    j = struct[start + k]
                    new = shrink * grad_g[q]
                    if new != old_g[q]:
                        w[j] = new
                        update_column(X, data, indices, indptr, j, new - old_g[q], datafit,
                                      dparams, y, sw, scores, derivs)
                    q += 1
                _ = m
            if fit_intercept:
                delta = -derivs.sum() / n / lips_intercept
                if delta != 0.0:
                    intercept += delta
                    for i in range(n):
                        scores[i] += delta
                        derivs[i] = sw[i] * deriv_1d(datafit, dparams, y[i], scores[i])
            n_epochs += 1
            if inner <= tol_inner or n_epochs >= max_epochs:
                break
    state[_ST_PAUSED] = 0.0
    state[_ST_EPOCHS] = n_epochs
    state[_ST_CRIT] = stop_crit
    state[_ST_INTERCEPT] = intercept
    return intercept, n_epochs, stop_crit, converged, history[:n_hist], used, True


def block_lipschitz(X, sw, datafit, groups):
    """``curvature * ||X_g^T diag(sw) X_g||_2 / n`` for every group (small dense eigh)."""
    import scipy.sparse as sp

    n = X.shape[0]
    curv = datafit.curvature_bound()
    out = np.empty(len(groups))
    for g, idx in enumerate(groups):
        Xg = X[:, idx]
        Xg = Xg.toarray() if sp.issparse(Xg) else np.asarray(Xg, dtype=np.float64)
        if Xg.shape[1] == 1:
            out[g] = float(sw @ Xg[:, 0] ** 2)
        else:
            out[g] = float(np.linalg.eigvalsh((Xg * sw[:, None]).T @ Xg)[-1])
    return curv * out / n


def solve_group(X, y, datafit, penalty, *, sample_weight=None, fit_intercept=True,
                coef_init=None, intercept_init=0.0, max_iter=1000, tol=1e-4, ws_start=10,
                positive=False, offset=None):
    """Python entry point of the block solver; returns a :class:`SolverResult`.

    A dense least-squares problem with an intercept is centered once (the intercept then
    drops out); otherwise the intercept takes exact (quadratic) or majorized steps.
    Block steps need the datafit's curvature bound: a datafit without one (Poisson,
    Gamma, Tweedie) is refused with a ValueError (``solve(..., solver="fista")`` serves
    the group penalty there).
    """
    import scipy.sparse as sp

    from ._colops import design_entries, split_design
    from .datafits import Quadratic
    from .solvers import SolverResult, _target_scale, _unscale

    if not (datafit.is_separable and np.isfinite(datafit.curvature_bound())):
        raise ValueError(
            f"Block coordinate descent for {type(penalty).__name__} needs a separable "
            f"datafit with a curvature bound; {datafit!r} has none: use "
            "solve(..., solver='fista').")
    if offset is not None:
        shifted = datafit.shift_target(y, offset)
        if shifted is not None:
            y, offset = shifted, None
    s = _target_scale(np.asarray(y), datafit, penalty)
    if s != 1.0:  # an extreme |y|: solve in its units (see solvers.solve); tol is a KKT bound
        # (only the quadratic datafit is rescaled, and it took any offset into y above)
        return _unscale(solve_group(
            X, np.asarray(y, dtype=np.float64) / s, datafit, penalty.scaled(s),
            sample_weight=sample_weight, fit_intercept=fit_intercept,
            coef_init=None if coef_init is None else np.asarray(coef_init) / s,
            intercept_init=intercept_init / s, max_iter=max_iter, tol=tol / s,
            ws_start=ws_start, positive=positive), s, penalty)
    n, p = X.shape
    sw = np.ones(n) if sample_weight is None else np.ascontiguousarray(sample_weight,
                                                                        dtype=np.float64)
    y, dstruct = datafit.prepare(y, sw)
    offset = np.zeros(n) if offset is None else np.ascontiguousarray(offset, dtype=np.float64)
    w = np.zeros(p) if coef_init is None else np.array(coef_init, dtype=np.float64)
    center = datafit.code == Quadratic.code and fit_intercept and not sp.issparse(X)
    x_mean = y_mean = None
    if center:
        x_mean = (sw @ X) / sw.sum()
        y_mean = float(sw @ y) / sw.sum()
        X = np.asfortranarray(X - x_mean.astype(X.dtype, copy=False))
        y = y - y_mean
    lips = block_lipschitz(X, sw, datafit, penalty.group_list(p))
    design = split_design(X)
    params, struct = penalty.params_array(), penalty.struct_array()
    dparams = datafit.params_array()
    # bounded kernel calls, each resuming exactly where the last stopped (Ctrl-C)
    scores, derivs = np.empty(n), np.empty(n)
    ws_buf = np.zeros(max(int(struct[0]), 1), dtype=np.int64)
    kstate = np.zeros(6)
    kstate[_ST_INTERCEPT] = float(intercept_init)
    state = {"hist": []}

    def step(budget):
        b0, _, crit, converged, hist, n_done, finished = group_cd_solve(
            *design, y, sw, offset, datafit.code, dparams, dstruct, params, struct, lips, w,
            scores, derivs, ws_buf,
            kstate, bool(fit_intercept and not center), int(max_iter), float(tol),
            int(ws_start), bool(positive), int(budget))
        state["hist"].append(hist)
        state.update(b0=b0, crit=crit, converged=converged)
        return n_done, bool(finished)

    # an epoch: a pass over the working set's columns (the whole design at most)
    n_epochs = run_in_chunks(step, int(max_iter), design_entries(design),
                             resumable=True)
    b0, crit, converged = state["b0"], state["crit"], state["converged"]
    hist = np.concatenate(state["hist"])
    if center:
        b0 = y_mean - float(x_mean @ w)
    return SolverResult(coef=w, intercept=float(b0), n_iter=int(n_epochs),
                        stop_crit=float(crit), converged=bool(converged), solver="bcd",
                        objective=np.asarray(hist))
