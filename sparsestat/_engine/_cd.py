"""Working-set proximal coordinate descent with Anderson acceleration, in one compiled call.

The outer loop scores every feature by its optimality violation, keeps a working set of
the worst ones (and every feature already in the support), and runs cyclic proximal
coordinate epochs on it until its violation drops below a fraction of the outer one.
Datafits enter through the per-sample derivative (``_datafit_kernels``), penalties through
their scalar prox (``_penalty_kernels``): neither needs to know about the solver.
"""

import numpy as np

from ._anderson import anderson_extrapolate
from ._colops import (
    REDUCE, array_max, array_min, col_dot, col_dot_inline, column_weighted_sqnorms,
    matvec_support, rmatvec,
)
from ._datafit_kernels import QUADRATIC, curvature, datafit_value, deriv_1d, fill_derivatives
from ._gap import enet_duality_gap, gap_safe_screen, unpenalized_slack
from ._numba import jit
from ._penalty_kernels import (
    ELASTIC_NET, L1,
    kkt_scores, penalty_value, prox_box_1d, subdiff_distance, value_1d,
)

INNER_TOL_RATIO = 0.1
# The inner check (a gradient pass over the working set, about half an epoch) runs after
# epochs 1, 11, 21, ... of a working set; from a warm start (path alphas) after epochs
# 1, 2, 3, 4, 6, 8, 11, 14, ... of a small one (then every INNER_CHECK_EVERY): those need
# 2-5 epochs, where a fixed period of 10 ran 11.
INNER_CHECK_EVERY = 10
# From a warm start, a working set is left on the KKT ratio alone (INNER_TOL_RATIO) only
# after its epochs cost this share of an outer pass (a full gradient over X): a small
# working set is cheap to solve further, and stopping it after one epoch cost one outer
# pass per epoch on the first alphas of a path (bench path row: 4-5 passes for 3-4
# epochs). Before that it is left only once it meets the outer target itself.
INNER_MIN_WORK = 0.25
# Early checks run where a check reads at most 1 / INNER_CHEAP_CHECK of X's nonzeros.
INNER_CHEAP_CHECK = 20
# The first working set holds at least this share of the features: an inner epoch then
# costs about 2 % of a full gradient pass, and wide problems (p = 50000) need fewer outer
# iterations (each a full pass over X) to grow the working set to the support.
WS_MIN_SHARE = 50


@jit(inline="always")
def update_column(X, data, indices, indptr, j, delta, datafit, dparams, y, sw, scores, derivs,
                  lazy=False):
    """Add ``delta * X[:, j]`` to the scores and refresh the touched derivatives.

    ``lazy`` (quadratic datafit, unit weights): only the derivatives ``scores - y`` are
    updated, one array instead of two per nonzero; :func:`_sync_scores` rebuilds the
    scores where they are read.
    """
    if lazy:
        if indptr.shape[0] == 1:  # dense
            for i in range(X.shape[0]):
                derivs[i] += delta * X[i, j]
        else:
            for k in range(indptr[j], indptr[j + 1]):
                derivs[indices[k]] += delta * data[k]
    elif datafit == QUADRATIC:
        # derivatives are linear in the scores: a vectorizable axpy
        if indptr.shape[0] == 1:  # dense
            for i in range(X.shape[0]):
                step = delta * X[i, j]
                scores[i] += step
                derivs[i] += sw[i] * step
        else:
            for k in range(indptr[j], indptr[j + 1]):
                i = indices[k]
                step = delta * data[k]
                scores[i] += step
                derivs[i] += sw[i] * step
    elif indptr.shape[0] == 1:  # dense
        for i in range(X.shape[0]):
            scores[i] += delta * X[i, j]
            derivs[i] = sw[i] * deriv_1d(datafit, dparams, y[i], scores[i])
    else:
        for k in range(indptr[j], indptr[j + 1]):
            i = indices[k]
            scores[i] += delta * data[k]
            derivs[i] = sw[i] * deriv_1d(datafit, dparams, y[i], scores[i])


@jit(fastmath=REDUCE)
def _cd_epoch(X, data, indices, indptr, visit, datafit, dparams, pen, params, pf, lower, upper,
              lips, xsw, screened, y, sw, w, scores, derivs, shift, center, derivs_sum, sw_sum,
              lazy):
    """One proximal coordinate sweep over ``visit``. Returns ``(shift, derivs_sum)``.

    A separate kernel (not inlined into :func:`cd_solve`) compiled with reassociation so
    the inlined dense dot products vectorize; on sparse columns with few nonzeros a call
    per coordinate would cost more than the column.
    """
    n = y.shape[0]
    dense = indptr.shape[0] == 1
    for j in visit:
        if lips[j] == 0.0 or screened[j]:
            continue
        old = w[j]
        if dense:
            g = col_dot_inline(X, data, indices, indptr, j, derivs)
        else:
            # written out: the inlined col_dot_inline made a sparse epoch 4x slower on
            # columns with a few nonzeros (numba's inlined body; 255 vs 61 us for 2000
            # columns of 2 nonzeros)
            g = 0.0
            for k in range(indptr[j], indptr[j + 1]):
                g += data[k] * derivs[indices[k]]
        g = (g + shift * xsw[j]) / n
        new = prox_box_1d(pen, params, old - g / lips[j], 1.0 / lips[j], pf[j], lower[j],
                          upper[j])
        if new != old:
            w[j] = new
            update_column(X, data, indices, indptr, j, new - old, datafit, dparams, y, sw,
                          scores, derivs, lazy)
            if center:
                derivs_sum += (new - old) * xsw[j]
                shift = -derivs_sum / sw_sum
    return shift, derivs_sum


@jit(fastmath=REDUCE)
def _full_gradient(X, data, indices, indptr, derivs, shift, xsw, screened, grad):
    """``grad_j = (X[:, j]^T derivs + shift * xsw_j) / n``, zero for screened features."""
    n = derivs.shape[0]
    for j in range(grad.shape[0]):
        if screened[j]:
            grad[j] = 0.0
            continue
        grad[j] = (col_dot_inline(X, data, indices, indptr, j, derivs) + shift * xsw[j]) / n


@jit
def _sync_scores(y, derivs, scores):
    """``scores = y + derivs`` (quadratic datafit, unit weights: see update_column)."""
    for i in range(y.shape[0]):
        scores[i] = y[i] + derivs[i]


@jit
def _update_intercept(datafit, dparams, y, sw, scores, derivs, intercept, lips_intercept):
    """One exact (quadratic) or majorized (other datafits) step on the intercept."""
    n = y.shape[0]
    delta = -derivs.sum() / n / lips_intercept
    if delta != 0.0:
        for i in range(n):
            scores[i] += delta
            derivs[i] = sw[i] * deriv_1d(datafit, dparams, y[i], scores[i])
    return intercept + delta


@jit
def _objective(datafit, dparams, dstruct, pen, params, struct, pf, y, sw, scores, shift, w):
    return (datafit_value(datafit, dparams, dstruct, y, scores, sw, shift)
            + penalty_value(pen, params, struct, pf, w))


@jit
def _kth_smallest(values, k):
    """``np.partition(values, k)[k]`` in expected O(p): quickselect on a copy.

    Written out because numba's ``np.partition`` costs about 4 s of compilation.
    """
    a = values.copy()
    lo, hi = 0, a.shape[0] - 1
    while lo < hi:
        mid = (lo + hi) // 2
        x, y, z = a[lo], a[mid], a[hi]
        pivot = max(min(x, y), min(max(x, y), z))  # median of three
        i, j = lo, hi
        while i <= j:
            while a[i] < pivot:
                i += 1
            while a[j] > pivot:
                j -= 1
            if i <= j:
                a[i], a[j] = a[j], a[i]
                i += 1
                j -= 1
        if k <= j:
            hi = j
        elif k >= i:
            lo = i
        else:
            break
    return a[k]


@jit
def _select_working_set(kkt, ws_size):
    """Sorted indices of the ``ws_size`` largest scores, in O(p) (no full argsort)."""
    p = kkt.shape[0]
    ws = np.empty(min(ws_size, p), dtype=np.int64)
    if ws_size >= p:
        for j in range(p):
            ws[j] = j
        return ws
    threshold = _kth_smallest(kkt, p - ws_size)
    # every score above the threshold, then the first ties, in one increasing pass
    # (no np.sort / np.arange: each costs its own compilation)
    ties = ws_size
    for j in range(p):
        if kkt[j] > threshold:
            ties -= 1
    k = 0
    for j in range(p):
        if kkt[j] > threshold or (kkt[j] == threshold and ties > 0):
            if kkt[j] == threshold:
                ties -= 1
            ws[k] = j
            k += 1
    return ws


@jit
def _matvec_ws(X, data, indices, indptr, ws, values, offset, out):
    """``out = X[:, ws] @ values + offset``."""
    out[:] = offset
    for k in range(ws.shape[0]):
        v = values[k]
        if v == 0.0:
            continue
        j = ws[k]
        if indptr.shape[0] == 1:  # dense
            for i in range(X.shape[0]):
                out[i] += v * X[i, j]
        else:
            for q in range(indptr[j], indptr[j + 1]):
                out[indices[q]] += v * data[q]


@jit
def _ws_objective(datafit, dparams, dstruct, pen, params, pf, y, sw, scores, shift, ws, values):
    """Objective when every nonzero coefficient is in the working set."""
    total = datafit_value(datafit, dparams, dstruct, y, scores, sw, shift)
    for k in range(ws.shape[0]):
        total += value_1d(pen, params, values[k], pf[ws[k]])
    return total


@jit
def coordinate_constants(X, data, indices, indptr, sw, datafit, dparams, fit_intercept):
    """Coordinate Lipschitz constants and ``X[:, j]^T sw`` (one pass over X).

    With implicit centering (quadratic datafit + intercept) the constants are those of
    the centered columns. Computed once per design and reused along a path.
    """
    n = sw.shape[0]
    p = X.shape[1] if indptr.shape[0] == 1 else indptr.shape[0] - 1
    curv = curvature(datafit, dparams)
    sw_sum = sw.sum()
    center = fit_intercept and datafit == QUADRATIC
    lips = np.empty(p)
    xsw = np.zeros(p)
    column_weighted_sqnorms(X, data, indices, indptr, sw, lips)
    if center:
        rmatvec(X, data, indices, indptr, sw, xsw)
    for j in range(p):
        lips[j] = max(curv * (lips[j] - xsw[j] * xsw[j] / sw_sum), 0.0) / n
    return lips, xsw


@jit(specialize={"datafit": QUADRATIC, "pen": ELASTIC_NET})  # Lasso, ElasticNet: their branches only
def cd_solve(
    X, data, indices, indptr, y, sw, offset,
    datafit, dparams, dstruct, pen, params, struct, pf, lower, upper,
    w, intercept, fit_intercept, lips, xsw,
    max_epochs, tol, gap_mode, y_scale, ws_start, anderson_size, random_seed, ws_max,
    grad, grad_flags,
):
    """Minimize ``datafit(Xw + intercept) + penalty(w)`` over box bounds, in place in ``w``.

    ``gap_mode``: 0 stops on the largest KKT violation ``<= tol``; 1 (2 with positivity)
    stops on the quadratic / elastic-net duality gap ``<= tol * y_scale``.
    ``random_seed >= 0`` visits the working set in a random order each epoch.
    ``lips`` and ``xsw`` come from :func:`coordinate_constants`. When a working set
    would exceed ``ws_max`` features the kernel returns unconverged before its budget is
    spent: the caller switches to Gram CD there (``solvers.gram_switch_size``).
    ``grad`` (length p) is the gradient buffer. ``grad_flags`` bit 1: it holds the full
    gradient at the start point on entry (a path's previous alpha ends at this very
    point, so its last gradient pass is reused instead of repeated); bit 2: leave the
    full gradient at the returned point in it (screened entries filled in); bit 4: as
    bit 1, at a cold start (``w = 0``: the caller's pass also gave ``alpha_max``), which
    does not count as a warm start for the inner checks. Bits 1 and 4 only where the
    gradient does not depend on the penalty's alpha (no separate intercept step).

    With the quadratic datafit and an intercept, the intercept is kept at its optimum
    for the current ``w`` after every coordinate update ("implicit centering": exact CD
    on the centered problem without ever centering a sparse ``X``). ``scores`` then hold
    ``X w`` without the intercept and ``derivs`` the matching raw derivatives; coordinate
    gradients add ``intercept * X[:, j]^T sw``, an O(1) correction.

    Returns ``(intercept, n_epochs, stop_crit, converged, objective_history)``.
    """
    n = y.shape[0]
    p = w.shape[0]
    curv = curvature(datafit, dparams)
    sw_sum = sw.sum()
    center = fit_intercept and datafit == QUADRATIC
    lips_intercept = curv * sw_sum / n
    y_mean = 0.0
    if fit_intercept:
        for i in range(n):
            y_mean += sw[i] * y[i]
        y_mean /= sw_sum
    if random_seed >= 0:
        np.random.seed(random_seed)

    scores = np.empty(n)
    matvec_support(X, data, indices, indptr, w, 0.0 if center else intercept, scores)
    scores += offset
    derivs = np.empty(n)
    fill_derivatives(datafit, dparams, dstruct, y, scores, sw, derivs)
    derivs_sum = derivs.sum()
    lazy = datafit == QUADRATIC and array_min(sw) == 1.0 and array_max(sw) == 1.0
    if center:
        intercept = -derivs_sum / sw_sum
    shift = intercept if center else 0.0
    # the gradient is alpha-free unless a majorized intercept step moves first
    reuse_grad = (grad_flags & 5) != 0 and not (fit_intercept and not center)
    # warm start (a path's previous alpha, a nonzero start point): see the inner checks
    warm = (grad_flags & 1) != 0
    for j in range(p):
        if w[j] != 0.0:
            warm = True
            break
    kkt = np.empty(p)
    # Gap Safe screening needs a valid dual point: plain L1, every feature penalized
    screened = np.zeros(p, dtype=np.bool_)
    can_screen = gap_mode > 0 and pen == L1 and p > 0 and params[0] > 0.0
    can_screen = can_screen and array_min(pf) > 0.0
    history = np.empty(max_epochs + 1)
    n_history = 0
    n_epochs = 0
    stop_crit = np.inf
    converged = False
    capped = False

    while True:
        if lazy:
            _sync_scores(y, derivs, scores)
        if center:
            # refresh the running sum, which drifts by rounding over many updates
            derivs_sum = derivs.sum()
            intercept = -derivs_sum / sw_sum
            shift = intercept
        if fit_intercept and not center:
            intercept = _update_intercept(datafit, dparams, y, sw, scores, derivs, intercept,
                                          lips_intercept)
        if reuse_grad:
            reuse_grad = False
        else:
            _full_gradient(X, data, indices, indptr, derivs, shift, xsw, screened, grad)
        kkt_scores(pen, params, struct, pf, lower, upper, w, grad, kkt)
        max_kkt = array_max(kkt) if p > 0 else 0.0
        history[n_history] = _objective(datafit, dparams, dstruct, pen, params, struct, pf, y,
                                        sw, scores, shift, w)
        n_history += 1
        if gap_mode > 0:
            residual_sq = 0.0
            residual_dot_y = 0.0
            for i in range(n):
                r = y[i] - scores[i] - shift
                residual_sq += sw[i] * r * r
                residual_dot_y += sw[i] * r * (y[i] - y_mean)
            stop_crit = enet_duality_gap(pen, params, pf, w, grad, residual_sq / n,
                                         residual_dot_y / n, gap_mode == 2)
            if can_screen and not (stop_crit <= tol * y_scale):
                gap_safe_screen(params[0], pf, grad, lips, stop_crit, gap_mode == 2, w,
                                screened)
            stop_crit += unpenalized_slack(params, pf, w, grad, lips, gap_mode == 2)
            converged = stop_crit <= tol * y_scale
        else:
            stop_crit = max_kkt
            if fit_intercept and not center:
                # the intercept's own optimality: its step above is only majorized
                stop_crit = max(stop_crit, abs(derivs.sum()) / n)
            converged = stop_crit <= tol
        # stopping before any epoch is safe only because the check above covers every
        # coefficient and the intercept
        if converged or n_epochs >= max_epochs:
            break

        # working set: the support and unpenalized features, then the worst violators
        n_forced = 0
        for j in range(p):
            if w[j] != 0.0 or pf[j] == 0.0:
                kkt[j] = np.inf
                n_forced += 1
            elif screened[j]:
                kkt[j] = -1.0
        ws_size = min(p, max(ws_start, p // WS_MIN_SHARE, 2 * n_forced))
        if ws_size > ws_max:
            capped = True
            break
        ws = _select_working_set(kkt, ws_size)
        visit = ws.copy()
        # (in KKT mode stop_crit also holds the intercept's violation)
        tol_inner = INNER_TOL_RATIO * (max_kkt if gap_mode > 0 else stop_crit)
        # epochs of this working set that cost INNER_MIN_WORK outer passes (nonzeros read)
        work_ws = 0.0
        work_all = 0.0
        if indptr.shape[0] == 1:
            work_ws = float(ws_size)
            work_all = float(p)
        else:
            for k in range(ws_size):
                work_ws += indptr[ws[k] + 1] - indptr[ws[k]]
            work_all = float(indptr[p])
        # Both only from a warm start: a cold single fit keeps the fixed schedule (with
        # them: dense /20 39 epochs instead of 33, sparse /100 221 instead of 200), and
        # early checks only where a check (about half an epoch) is cheap against an
        # outer pass (sparse /100's 7780-column sets: 93 checks instead of 30, +14 %)
        min_epochs = INNER_MIN_WORK * work_all / max(work_ws, 1.0) if warm else 0.0
        early_checks = warm and work_ws * INNER_CHEAP_CHECK <= work_all
        next_check = 1
        if gap_mode > 0:
            # working-set copies for the inner duality-gap check
            grad_ws = np.zeros(ws_size)
            coef_ws = np.empty(ws_size)
            pf_ws = np.empty(ws_size)
            lips_ws = np.empty(ws_size)
            for k in range(ws_size):
                pf_ws[k] = pf[ws[k]]
                lips_ws[k] = lips[ws[k]]

        if anderson_size > 0:
            buffer = np.empty((anderson_size + 1, ws_size + 1))
            extrapolated = np.empty(ws_size + 1)
            scores_acc = np.empty(n)
            w_ws = np.empty(ws_size)
        for epoch in range(max_epochs - n_epochs):
            if random_seed >= 0:
                np.random.shuffle(visit)
            shift, derivs_sum = _cd_epoch(
                X, data, indices, indptr, visit, datafit, dparams, pen, params, pf, lower, upper,
                lips, xsw, screened, y, sw, w, scores, derivs, shift, center, derivs_sum, sw_sum,
                lazy)
            if center:
                intercept = shift
            if fit_intercept and not center:
                intercept = _update_intercept(datafit, dparams, y, sw, scores, derivs,
                                              intercept, lips_intercept)
            n_epochs += 1

            if anderson_size > 0:
                slot = epoch % (anderson_size + 1)
                for k in range(ws_size):
                    buffer[slot, k] = w[ws[k]]
                buffer[slot, ws_size] = intercept
                if slot == anderson_size and anderson_extrapolate(buffer, extrapolated):
                    inside = True
                    for k in range(ws_size):
                        j = ws[k]
                        if extrapolated[k] < lower[j] or extrapolated[k] > upper[j]:
                            inside = False
                    if inside:
                        # every nonzero coefficient is in the working set: O(|ws|) work
                        int_acc = extrapolated[ws_size] if fit_intercept else intercept
                        if center:
                            _matvec_ws(X, data, indices, indptr, ws, extrapolated, 0.0,
                                       scores_acc)
                            sum_acc = 0.0
                            for i in range(n):
                                sum_acc += sw[i] * (scores_acc[i] - y[i])
                            int_acc = -sum_acc / sw_sum
                            shift_acc = int_acc
                        else:
                            _matvec_ws(X, data, indices, indptr, ws, extrapolated, int_acc,
                                       scores_acc)
                            scores_acc += offset
                            shift_acc = 0.0
                        for k in range(ws_size):
                            w_ws[k] = w[ws[k]]
                        if lazy:
                            _sync_scores(y, derivs, scores)
                        obj_acc = _ws_objective(datafit, dparams, dstruct, pen, params, pf, y,
                                                sw, scores_acc, shift_acc, ws, extrapolated)
                        obj_cur = _ws_objective(datafit, dparams, dstruct, pen, params, pf, y,
                                                sw, scores, shift, ws, w_ws)
                        if obj_acc < obj_cur:
                            for k in range(ws_size):
                                w[ws[k]] = extrapolated[k]
                            intercept = int_acc
                            shift = shift_acc
                            for i in range(n):  # (a slice copy compiles numba's shape-error text)
                                scores[i] = scores_acc[i]
                            fill_derivatives(datafit, dparams, dstruct, y, scores, sw, derivs)
                            derivs_sum = derivs.sum()

            if ws_max <= p:
                # the next working set (twice the support) would pass ws_max: stop now,
                # not after solving this one, so that the switch wastes few passes
                nnz_ws = 0
                for k in range(ws_size):
                    if w[ws[k]] != 0.0:
                        nnz_ws += 1
                if 2 * nnz_ws > ws_max:
                    capped = True
                    break
            if epoch + 1 >= next_check or n_epochs >= max_epochs:
                next_check = epoch + 1 + (min(INNER_CHECK_EVERY, 1 + (epoch + 1) // 4)
                                          if early_checks else INNER_CHECK_EVERY)
                inner_crit = 0.0
                for k in range(ws_size):
                    j = ws[k]
                    if screened[j]:
                        continue
                    if indptr.shape[0] == 1:  # dense: a call per column costs little
                        g = col_dot(X, data, indices, indptr, j, derivs)
                    else:
                        # written out: a col_dot call costs ~140 ns, several times a
                        # column of a few nonzeros (this check ran 3 epochs' worth)
                        g = 0.0
                        for q in range(indptr[j], indptr[j + 1]):
                            g += data[q] * derivs[indices[q]]
                    g = (g + shift * xsw[j]) / n
                    if gap_mode > 0:
                        grad_ws[k] = g
                    d = subdiff_distance(pen, params, w[j], g, pf[j], lower[j], upper[j])
                    if d > inner_crit:
                        inner_crit = d
                if fit_intercept and not center:
                    inner_crit = max(inner_crit, abs(derivs.sum()) / n)
                if inner_crit <= tol_inner and epoch + 1 >= min_epochs:
                    break
                if gap_mode == 0 and inner_crit <= INNER_TOL_RATIO * tol:
                    break  # a tenth of the outer target: further epochs cannot help it
                if gap_mode > 0:
                    # Stop as soon as the working-set problem meets the *outer* target:
                    # the KKT ratio alone over-solves the last working set by orders of
                    # magnitude. The outer loop still checks the gap on all features.
                    if lazy:
                        _sync_scores(y, derivs, scores)
                    residual_sq = 0.0
                    residual_dot_y = 0.0
                    for i in range(n):
                        r = y[i] - scores[i] - shift
                        residual_sq += sw[i] * r * r
                        residual_dot_y += sw[i] * r * (y[i] - y_mean)
                    for k in range(ws_size):
                        coef_ws[k] = w[ws[k]]
                    gap_ws = enet_duality_gap(pen, params, pf_ws, coef_ws, grad_ws,
                                              residual_sq / n, residual_dot_y / n,
                                              gap_mode == 2)
                    gap_ws += unpenalized_slack(params, pf_ws, coef_ws, grad_ws, lips_ws,
                                                gap_mode == 2)
                    if gap_ws <= tol * y_scale:
                        break
            if n_epochs >= max_epochs:
                break
        if capped:
            break

    if (grad_flags & 2) != 0:
        for j in range(p):
            if screened[j]:
                grad[j] = (col_dot(X, data, indices, indptr, j, derivs) + shift * xsw[j]) / n
    # A start proven optimal counts as one epoch (scikit-learn's n_iter_ >= 1): the
    # certificate is a full pass, and an epoch from a KKT point moves no coordinate.
    # (a capped call reports the epochs it ran, 0 included: its caller goes on)
    return (intercept, n_epochs if capped else max(n_epochs, 1), stop_crit, converged,
            history[:n_history])
