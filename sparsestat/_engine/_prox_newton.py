"""Working-set proximal Newton for any datafit with Newton weights, in one compiled call.

For datafits without a global curvature bound (Poisson, Gamma, Tweedie, Cox) coordinate
steps ``1 / L_j`` do not exist, and for the logistic loss the bound ``1/4`` is loose. The
outer loop (as in :mod:`._cd`) scores every feature by its KKT violation and keeps a working
set: the support, the unpenalized features and the worst violators. On the working set it
takes proximal Newton steps (Lee, Sun and Saunders 2014; skglm's ``ProxNewton``, Bertrand
et al. 2022; glum's IRLS with inner coordinate descent):

1. Newton weights ``h_i`` at the current scores (``fill_hessian``: diagonal in score
   space, so the model of the datafit is ``g^T X d + d^T X^T diag(h) X d / (2n)``);
2. coordinate descent on that model plus the penalty over the working set (and a Newton
   step on the intercept), warm-started at ``d = 0``, until the model's own KKT violation
   is a fraction of the current one;
3. a backtracking line search on the true objective along ``d`` (Armijo with the
   composite decrease ``g^T X d / n + pen(w + d) - pen(w)``, Tseng and Yun 2009).

The working set is left when its KKT violation is below a fraction of the outer one;
the solve stops when the largest KKT violation over all features (and the intercept's
gradient) is ``<= tol``. A working set that holds every violator, few next to the
support (a warm start), is solved to ``tol`` at once (the strong rules' premise: the
features left out stay out). Along a path (the gradient carried from the previous alpha,
:func:`prox_newton_carry`) the full passes skip the zero coordinates that a
Cauchy-Schwarz bound certifies. Penalties
enter only through their scalar prox and subdifferential, datafits through
``fill_derivatives`` / ``fill_hessian`` / ``datafit_value``: every separable penalty
works with every datafit.
"""

import numpy as np

from ._anderson import anderson_extrapolate
from ._cd import _matvec_ws, _select_working_set
from ._colops import REDUCE, col_dot_inline, col_weighted_sqnorm, matvec_support
from ._cox import cox_event_groups, cox_newton_parts
from ._datafit_kernels import (
    COX, datafit_value, fill_derivatives, fill_hessian, one_pass_newton_parts,
    value_with_newton_parts,
)
from ._numba import jit
from ._penalty_kernels import (
    kkt_scores, penalty_value, prox_box_1d, subdiff_distance, subdiff_interval, value_1d,
)

# the working set is left when its violation is below this share of the outer one
WS_TOL_RATIO = 0.1
# the Newton model is solved until its violation is below this share of the current one
MODEL_TOL_RATIO = 0.3
MAX_NEWTON_PER_WS = 50
# an ill-conditioned model (p > n, small alpha) needs hundreds of CD epochs; a Newton step
# on a model solved only halfway converges linearly (measured on Poisson 60 x 200: with a
# cap of 50 epochs, 1000 Newton steps (50000 epochs) left a KKT violation of 2.4e-9; with
# 1000, 24 steps (7000 epochs) reached 4.7e-13). Well-conditioned models stop in a few.
MAX_MODEL_EPOCHS = 1000
MAX_LINE_SEARCH = 30
ARMIJO = 1e-4
# relative size of the objective's rounding error (n terms of a few ulp each)
ROUNDING = 1e-13
# a failed line search retries with the model's curvature times DAMPING, MAX_DAMPING times
DAMPING = 4.0
MAX_DAMPING = 6
# the model's CD iterates are extrapolated (Anderson) from this many epochs' differences:
# on an ill-conditioned model (p > n, small alpha) plain CD needs more than
# MAX_MODEL_EPOCHS, the Newton steps are then inexact and the outer convergence linear
# (1 % per step): the KKT violation crawled below 1e-9 long after the objective was flat
ANDERSON_MODEL = 5
# Cox: the exact Hessian (diagonal minus a low-rank part, _cox.cox_newton_parts) is used
# when its per-column group sums (working set x event groups) fit in this many floats
EXACT_COX_MAX = 1 << 24


@jit
def _lowrank(A2, B2, G2, sra, sda, srb, sdb, efron):
    """Cox's low-rank Hessian part between two vectors given their group sums."""
    total = 0.0
    if efron:
        for e in range(A2.shape[0]):
            total += (A2[e] * sra[e] * srb[e] - B2[e] * (sra[e] * sdb[e] + sda[e] * srb[e])
                      + G2[e] * sda[e] * sdb[e])
    else:
        for e in range(A2.shape[0]):
            total += A2[e] * sra[e] * srb[e]
    return total


@jit
def _cox_sums_column(X, data, indices, indptr, j, ew, risk_of, event_of, sr, sd, efron):
    """``SR_g(x_j)``, ``SD_g(x_j)`` over the event groups (see ``cox_newton_parts``)."""
    sr[:] = 0.0
    sd[:] = 0.0
    if indptr.shape[0] == 1:  # dense
        for i in range(X.shape[0]):
            v = ew[i] * X[i, j]
            if risk_of[i] >= 0:
                sr[risk_of[i]] += v
            if efron and event_of[i] >= 0:
                sd[event_of[i]] += v
    else:
        for t in range(indptr[j], indptr[j + 1]):
            i = indices[t]
            v = ew[i] * data[t]
            if risk_of[i] >= 0:
                sr[risk_of[i]] += v
            if efron and event_of[i] >= 0:
                sd[event_of[i]] += v
    # sample i is at risk in event groups 0 .. risk_of[i]: reverse cumulative sum
    for e in range(sr.shape[0] - 2, -1, -1):
        sr[e] += sr[e + 1]


@jit
def _cox_sums_vector(z, ew, risk_of, event_of, sr, sd, efron):
    """``SR_g(z)``, ``SD_g(z)`` of a score-space vector."""
    sr[:] = 0.0
    sd[:] = 0.0
    for i in range(z.shape[0]):
        v = ew[i] * z[i]
        if risk_of[i] >= 0:
            sr[risk_of[i]] += v
        if efron and event_of[i] >= 0:
            sd[event_of[i]] += v
    for e in range(sr.shape[0] - 2, -1, -1):
        sr[e] += sr[e + 1]


@jit(fastmath=REDUCE)
def _model_epoch(X, data, indices, indptr, ws, pen, params, pf, lower, upper, lips_ws, w, d,
                 q, hess, exact, A2, B2, G2, SRx, SDx, SRz, SDz, efron, hx, off):
    """One proximal CD sweep on the Newton model over the working set.

    ``q = derivs + h * (X d)`` is the model's gradient in score space; ``d`` holds the
    step of each working-set coordinate. With ``exact`` (Cox) the model's Hessian is
    ``diag(h)`` minus the low-rank part, carried by the group sums ``SRz, SDz`` of
    ``X d`` and ``SRx, SDx`` of each column. A sparse design with ``hx`` non-empty
    takes ``h_i X[i, j]`` of the k-th working-set column from ``hx[off[k]:off[k + 1]]``
    (:func:`_weighted_columns`). Returns the largest model violation seen (each
    coordinate's, before its update).
    """
    n = q.shape[0]
    worst = 0.0
    for k in range(ws.shape[0]):
        lk = lips_ws[k]
        if lk <= 0.0:
            continue
        j = ws[k]
        old = w[j] + d[k]
        g = col_dot_inline(X, data, indices, indptr, j, q)
        if exact:
            g -= _lowrank(A2, B2, G2, SRx[k], SDx[k], SRz, SDz, efron)
        g /= n
        viol = subdiff_distance(pen, params, old, g, pf[j], lower[j], upper[j])
        if viol > worst:
            worst = viol
        new = prox_box_1d(pen, params, old - g / lk, 1.0 / lk, pf[j], lower[j], upper[j])
        delta = new - old
        if delta != 0.0:
            d[k] += delta
            if indptr.shape[0] == 1:  # dense
                for i in range(n):
                    q[i] += delta * hess[i] * X[i, j]
            elif hx.shape[0] > 0:
                # h_i x_ij stored contiguously: one scattered access per nonzero, not two
                base = off[k] - indptr[j]
                for t in range(indptr[j], indptr[j + 1]):
                    q[indices[t]] += delta * hx[base + t]
            else:
                for t in range(indptr[j], indptr[j + 1]):
                    i = indices[t]
                    q[i] += delta * hess[i] * data[t]
            if exact:
                srx = SRx[k]
                for e in range(SRz.shape[0]):
                    SRz[e] += delta * srx[e]
                if efron:
                    sdx = SDx[k]
                    for e in range(SDz.shape[0]):
                        SDz[e] += delta * sdx[e]
    return worst


@jit(fastmath=REDUCE)
def _weighted_columns(data, indices, indptr, ws, hess, off, hx, lips_ws):
    """``hx[off[k] + t] = h_i x_ij`` over the nonzeros of each working-set column ``j``
    (sparse design) and ``lips_ws[k] = sum_i h_i x_ij^2``, in the one pass over those
    columns that the Newton weights need anyway (``h`` is gathered at scattered rows:
    the model's CD then reads it in order)."""
    for k in range(ws.shape[0]):
        j = ws[k]
        base = off[k] - indptr[j]
        acc = 0.0
        for t in range(indptr[j], indptr[j + 1]):
            v = hess[indices[t]] * data[t]
            hx[base + t] = v
            acc += v * data[t]
        lips_ws[k] = acc


@jit
def _model_value(derivs, hess, z, exact, A2, B2, G2, SRz, SDz, efron):
    """``(g^T z + z^T H z / 2) / n`` of the model at the score-space step ``z``."""
    lin = 0.0
    quad = 0.0
    for i in range(z.shape[0]):
        lin += derivs[i] * z[i]
        quad += hess[i] * z[i] * z[i]
    if exact:
        quad -= _lowrank(A2, B2, G2, SRz, SDz, SRz, SDz, efron)
    return (lin + 0.5 * quad) / z.shape[0]


@jit(fastmath=REDUCE)
def _ws_violation(X, data, indices, indptr, ws, pen, params, pf, lower, upper, w, derivs,
                  fit_intercept, grad):
    """Largest KKT violation over the working set (and the intercept's gradient).

    The working set's gradient is written to ``grad[ws]``: the outer loop's next full
    pass (at the same ``w``) then skips those columns (a saturated working set, e.g. a
    sparse design at a small alpha, holds every feature: the whole pass).
    """
    n = derivs.shape[0]
    worst = 0.0
    for k in range(ws.shape[0]):
        j = ws[k]
        g = col_dot_inline(X, data, indices, indptr, j, derivs) / n
        grad[j] = g
        viol = subdiff_distance(pen, params, w[j], g, pf[j], lower[j], upper[j])
        if viol > worst:
            worst = viol
    if fit_intercept:
        worst = max(worst, abs(derivs.sum()) / n)
    return worst


@jit(inline="always")
def _margin(pen, params, wj, gj, pfj, lo, hi):
    """Distance of ``-g_j`` to the edge of the subdifferential at ``w_j`` (negative or
    zero when coordinate ``j`` violates its optimality condition)."""
    a, b = subdiff_interval(pen, params, wj, pfj)
    margin = np.inf
    if wj > lo:
        margin = -gj - a
    if wj < hi:
        margin = min(margin, b + gj)
    return margin


@jit(fastmath=REDUCE)
def _gradient_outside(X, data, indices, indptr, derivs, grad, state, screen, pen, params, pf,
                      lower, upper, w):
    """``grad_j = X[:, j]^T derivs / n`` for every feature whose stored value is not at
    the current ``derivs`` (see :func:`carry_buffers`), unless ``screen`` and its
    optimality is certified without it.

    The stored ``g_j`` was exact when the path length of ``derivs`` was ``dref_j``; since
    then ``|g_j - stored| <= ||x_j|| / n * (D - dref_j)`` (Cauchy-Schwarz along each
    change of ``derivs``). A zero coordinate whose stored gradient is farther than that
    from violating its optimality condition cannot violate it now: it is skipped (its
    KKT score from the stored value is 0, as the exact one). Along a path most features
    far from entering are skipped for several alphas in a row.
    """
    n = derivs.shape[0]
    p = grad.shape[0]
    dist = state[1]
    if not screen:
        # its own loop: with the screening test in it, a single sparse fit's passes ran
        # 15 % slower
        for j in range(p):
            if state[3 + j] != dist:
                grad[j] = col_dot_inline(X, data, indices, indptr, j, derivs) / n
                state[3 + j] = dist
        return
    for j in range(p):
        dref = state[3 + j]
        if dref == dist:
            continue
        if w[j] == 0.0:
            cn = state[3 + p + j]
            bound = cn * (dist - dref)
            # rounding of the stored and the skipped dot products: 1e-12 relative
            if _margin(pen, params, 0.0, grad[j], pf[j], lower[j], upper[j]) > (
                    (1.0 + 1e-9) * bound + 1e-12 * cn):
                continue
        grad[j] = col_dot_inline(X, data, indices, indptr, j, derivs) / n
        state[3 + j] = dist


@jit
def _ws_penalty(pen, params, pf, ws, w, d, t):
    """``sum_{j in ws} pen(w_j + t d_j)``."""
    total = 0.0
    for k in range(ws.shape[0]):
        j = ws[k]
        total += value_1d(pen, params, w[j] + t * d[k], pf[j])
    return total


@jit
def carry_buffers(p):
    """An empty gradient and its state for :func:`prox_newton_carry`.

    ``state = [valid, D, norms_known, dref_0 .. dref_{p-1}, c_0 .. c_{p-1}]``: ``valid``
    says whether ``grad`` is carried in; ``D`` is the path length (sum of Euclidean
    norms of the changes) of the datafit's derivatives along every solve since the
    buffers were made, ``dref_j`` its value when ``grad_j`` was last computed exactly
    (``grad_j`` is exact iff ``dref_j == D``) and ``c_j = ||x_j|| / n``.
    """
    state = np.zeros(2 * p + 3)
    state[3:3 + p] = -1.0
    return np.empty(p), state


@jit
def prox_newton_solve(
    X, data, indices, indptr, y, sw, offset,
    dcode, dparams, dstruct, pen, params, struct, pf, lower, upper,
    w, intercept, fit_intercept, max_iter, tol, ws_start,
):
    """Minimize ``datafit(X w + b + offset) + penalty(w)`` over box bounds, ``w`` in place.

    ``max_iter`` bounds the number of Newton steps (line searches). Stops when the
    largest KKT violation (and the intercept's gradient) is ``<= tol``, or when a line
    search finds no decrease twice in a row (the objective is flat to rounding: then
    ``converged`` says whether the violation reached ``tol``).
    Returns ``(intercept, n_newton, stop_crit, converged, objective_history)``.
    """
    grad, grad_valid = carry_buffers(w.shape[0])
    return prox_newton_carry(
        X, data, indices, indptr, y, sw, offset, dcode, dparams, dstruct, pen, params,
        struct, pf, lower, upper, w, intercept, fit_intercept, max_iter, tol, ws_start,
        grad, grad_valid)


@jit
def prox_newton_carry(
    X, data, indices, indptr, y, sw, offset,
    dcode, dparams, dstruct, pen, params, struct, pf, lower, upper,
    w, intercept, fit_intercept, max_iter, tol, ws_start, grad, grad_valid,
):
    """:func:`prox_newton_solve` with the datafit's gradient carried in and out.

    ``grad, grad_valid`` come from :func:`carry_buffers`. With ``grad_valid[0]`` set,
    ``grad`` holds ``X^T datafit'(scores) / n`` at the starting ``w`` (exactly, or within
    the bound its state records) and the first full pass over ``X`` is skipped; on return
    ``grad`` holds it at the returned ``w`` in the same sense and ``grad_valid[0]`` is set.
    The gradient does not depend on the penalty, so along a path the last pass of one
    alpha (it certified that alpha's solution) is the first of the next
    (:func:`._path.prox_newton_path`). A carried-in gradient also turns on the screening
    of the full passes (:func:`_gradient_outside`): zero coordinates whose stored gradient
    is provably far from violating are not recomputed; with their KKT score 0 either way,
    the iterates are those of the unscreened solver.
    """
    n = y.shape[0]
    p = w.shape[0]
    scores = np.empty(n)
    matvec_support(X, data, indices, indptr, w, intercept, scores)
    scores += offset
    derivs = np.empty(n)
    hess = np.empty(n)
    # where the datafit gets its value, derivatives and Newton weights in one pass
    # (value_with_newton_parts), every value comes with them; hess_ok says whether
    # ``hess`` holds the weights at ``scores``
    fused = one_pass_newton_parts(dcode)
    derivs_t = np.empty(n if fused else 0)
    hess_t = np.empty(n if fused else 0)
    hess_ok = False
    if fused:
        f_data = value_with_newton_parts(dcode, dparams, dstruct, y, scores, sw, derivs, hess)
        hess_ok = True
    else:
        fill_derivatives(dcode, dparams, dstruct, y, scores, sw, derivs)
        f_data = datafit_value(dcode, dparams, dstruct, y, scores, sw)
    q = np.empty(n)
    xd = np.empty(n)
    trial = np.empty(n)
    kkt = np.empty(p)
    # grad[j] is exact at the current w where grad_valid[3 + j] == grad_valid[1] (the
    # last working set's columns, or what was carried in exactly). With the gradient
    # carried in (a path), the full passes are screened
    carried = grad_valid[0] != 0.0
    if not grad_valid[0]:
        grad_valid[3:3 + p] = -1.0
    elif grad_valid[2] == 0.0:
        # the column norms of the screening bound, once per path
        ones = np.ones(n)
        for j in range(p):
            grad_valid[3 + p + j] = np.sqrt(col_weighted_sqnorm(
                X, data, indices, indptr, j, ones)) / n
        grad_valid[2] = 1.0
    grad_valid[0] = 0.0
    history = np.empty(max_iter + 1)
    n_history = 0
    n_newton = 0
    stop_crit = np.inf
    converged = False
    stalls = 0
    obj = f_data + penalty_value(pen, params, struct, pf, w)

    # Cox: the exact Hessian's pieces (event groups, exp-scores, low-rank weights)
    cox = dcode == COX
    efron = cox and dparams[0] != 0.0
    n_ev = 0
    risk_of = np.zeros(0, dtype=np.int64)
    event_of = np.zeros(0, dtype=np.int64)
    if cox:
        n_ev, risk_of, event_of = cox_event_groups(y, dstruct, sw)
    ew = np.empty(n if cox else 0)
    A2 = np.zeros(n_ev)
    B2 = np.zeros(n_ev)
    G2 = np.zeros(n_ev)
    SRz = np.zeros(n_ev)
    SDz = np.zeros(n_ev if efron else 0)
    z_cur = np.empty(n)
    z_ex = np.empty(n)
    SRe = np.zeros(n_ev)
    SDe = np.zeros(n_ev if efron else 0)

    while True:
        _gradient_outside(X, data, indices, indptr, derivs, grad, grad_valid, carried, pen,
                          params, pf, lower, upper, w)
        kkt_scores(pen, params, struct, pf, lower, upper, w, grad, kkt)
        stop_crit = kkt.max() if p > 0 else 0.0
        if fit_intercept:
            stop_crit = max(stop_crit, abs(derivs.sum()) / n)
        if n_history < history.shape[0]:
            history[n_history] = obj
            n_history += 1
        converged = stop_crit <= tol
        if converged or n_newton >= max_iter or stalls >= 2:
            grad_valid[0] = 1.0
            break

        n_forced = 0
        n_viol = 0
        for j in range(p):
            if w[j] != 0.0 or pf[j] == 0.0:
                kkt[j] = np.inf
                n_forced += 1
            elif kkt[j] > 0.0:
                n_viol += 1
        ws_size = min(p, max(ws_start, 2 * n_forced))
        # every violator fits in the working set and they are few next to the support (a
        # warm start along a path): w moves little and the features left out rarely start
        # violating (the premise of the strong rules), so the working set is the support
        # and the violators (no padding: its zero-score features stayed at zero), solved
        # to tol, and the next full pass usually certifies the alpha (one full pass per
        # alpha, not two). Far from the solution (a cold start: many violators next to the
        # support) w moves far, and solving each working set to tol cost Newton steps
        # (a sparse single fit: 11 -> 12 at tol 1e-6 without the share condition)
        to_tol = n_forced + n_viol <= ws_size and 2 * n_viol <= n_forced
        if to_tol:
            ws_size = min(p, max(ws_start, n_forced + n_viol))
        ws = _select_working_set(kkt, ws_size)
        m = ws.shape[0]
        d = np.zeros(m)
        lips_ws = np.empty(m)
        tol_ws = tol if to_tol else WS_TOL_RATIO * stop_crit
        crit_ws = stop_crit
        exact = cox and m * n_ev * (2 if efron else 1) <= EXACT_COX_MAX
        SRx = np.zeros((m if exact else 0, n_ev))
        SDx = np.zeros((m if exact else 0, n_ev if efron else 0))
        buf = np.empty((ANDERSON_MODEL + 1, m + 1))
        ext = np.empty(m + 1)
        # sparse design: the working set's columns weighted by h, refreshed per Newton step
        off = np.zeros(m + 1, dtype=np.int64)
        if indptr.shape[0] > 1 and not exact:
            for k in range(m):
                off[k + 1] = off[k] + indptr[ws[k] + 1] - indptr[ws[k]]
        hx = np.empty(off[m])

        for _ in range(MAX_NEWTON_PER_WS):
            # 1. Newton weights and the model's coordinate constants
            if exact:
                cox_newton_parts(y, dstruct, scores, sw, efron, ew, hess, A2, B2, G2)
                for k in range(m):
                    _cox_sums_column(X, data, indices, indptr, ws[k], ew, risk_of, event_of,
                                     SRx[k], SDx[k], efron)
                    diag = col_weighted_sqnorm(X, data, indices, indptr, ws[k], hess)
                    low = _lowrank(A2, B2, G2, SRx[k], SDx[k], SRx[k],
                                   SDx[k], efron)
                    # x^T H x >= 0 (H is positive semidefinite): keep rounding out
                    lips_ws[k] = max(diag - low, 1e-12 * diag) / n
            else:
                if not hess_ok:
                    fill_hessian(dcode, dparams, dstruct, y, scores, sw, hess)
                if hx.shape[0] > 0:
                    _weighted_columns(data, indices, indptr, ws, hess, off, hx, lips_ws)
                    lips_ws /= n
                else:
                    for k in range(m):
                        lips_ws[k] = col_weighted_sqnorm(X, data, indices, indptr, ws[k],
                                                         hess) / n
            h_sum = hess.sum()
            accepted = False
            for attempt in range(MAX_DAMPING):
                if attempt > 0:
                    # the model was too optimistic along its direction (a nonconvex
                    # penalty, or a far point): a stiffer model gives shorter prox steps
                    hess_ok = False
                    hess *= DAMPING
                    hx *= DAMPING
                    lips_ws *= DAMPING
                    h_sum *= DAMPING
                    A2 *= DAMPING
                    B2 *= DAMPING
                    G2 *= DAMPING
                # 2. coordinate descent on the model (d = 0 start), intercept by Newton steps
                d[:] = 0.0
                db = 0.0
                q[:] = derivs
                SRz[:] = 0.0
                SDz[:] = 0.0
                tol_model = MODEL_TOL_RATIO * crit_ws
                for epoch in range(MAX_MODEL_EPOCHS):
                    worst = _model_epoch(X, data, indices, indptr, ws, pen, params, pf, lower,
                                         upper, lips_ws, w, d, q, hess, exact, A2, B2, G2, SRx,
                                         SDx, SRz, SDz, efron, hx, off)
                    if fit_intercept and h_sum > 0.0:
                        q_sum = q.sum()
                        worst = max(worst, abs(q_sum) / n)
                        step_b = -q_sum / h_sum
                        db += step_b
                        for i in range(n):
                            q[i] += step_b * hess[i]
                    if worst <= tol_model:
                        break
                    # Anderson extrapolation of the model's iterates (kept only when it
                    # lowers the model)
                    slot = epoch % (ANDERSON_MODEL + 1)
                    buf[slot, :m] = d
                    buf[slot, m] = db
                    if slot == ANDERSON_MODEL and anderson_extrapolate(buf, ext):
                        inside = True
                        for k in range(m):
                            v = w[ws[k]] + ext[k]
                            if v < lower[ws[k]] or v > upper[ws[k]]:
                                inside = False
                        if inside:
                            _matvec_ws(X, data, indices, indptr, ws, ext[:m], ext[m], z_ex)
                            _matvec_ws(X, data, indices, indptr, ws, d, db, z_cur)
                            if exact:
                                _cox_sums_vector(z_ex, ew, risk_of, event_of, SRe, SDe, efron)
                            val_ex = (_model_value(derivs, hess, z_ex, exact, A2, B2, G2, SRe,
                                                   SDe, efron)
                                      + _ws_penalty(pen, params, pf, ws, w, ext[:m], 1.0))
                            val_cur = (_model_value(derivs, hess, z_cur, exact, A2, B2, G2,
                                                    SRz, SDz, efron)
                                       + _ws_penalty(pen, params, pf, ws, w, d, 1.0))
                            if val_ex < val_cur:
                                d[:] = ext[:m]
                                db = ext[m]
                                for i in range(n):
                                    q[i] = derivs[i] + hess[i] * z_ex[i]
                                SRz[:] = SRe
                                SDz[:] = SDe
                # 3. line search on the true objective
                _matvec_ws(X, data, indices, indptr, ws, d, db, xd)
                slope = 0.0
                for i in range(n):
                    slope += derivs[i] * xd[i]
                pen_now = _ws_penalty(pen, params, pf, ws, w, d, 0.0)
                decrease = slope / n + _ws_penalty(pen, params, pf, ws, w, d, 1.0) - pen_now
                rest = obj - f_data - pen_now  # the penalty outside the working set
                t = 1.0
                f_t = f_data
                pen_t = pen_now
                for _ls in range(MAX_LINE_SEARCH):
                    for i in range(n):
                        trial[i] = scores[i] + t * xd[i]
                    if fused:
                        f_t = value_with_newton_parts(dcode, dparams, dstruct, y, trial, sw,
                                                  derivs_t, hess_t)
                    else:
                        f_t = datafit_value(dcode, dparams, dstruct, y, trial, sw)
                    pen_t = _ws_penalty(pen, params, pf, ws, w, d, t)
                    obj_t = f_t + pen_t + rest
                    if decrease < 0.0:
                        ok = obj_t <= obj + ARMIJO * t * decrease
                    else:
                        ok = obj_t < obj
                    if not ok and t == 1.0 and decrease > -ROUNDING * (1.0 + abs(obj)):
                        # near the solution the predicted decrease is below the rounding of
                        # the objective and Armijo's test only sees noise: the full Newton step
                        # (where proximal Newton converges quadratically) is taken unless the
                        # objective visibly increases
                        ok = obj_t <= obj + ROUNDING * (1.0 + abs(obj))
                    if ok and np.isfinite(obj_t):
                        accepted = True
                        break
                    t *= 0.5
                if accepted:
                    break
            if not accepted:
                stalls += 1
                break
            decreased = obj_t < obj
            for k in range(m):
                if d[k] != 0.0:
                    j = ws[k]
                    v = w[j] + t * d[k]
                    # stay inside the box despite rounding
                    w[j] = min(max(v, lower[j]), upper[j])
            intercept += t * db
            scores[:] = trial
            xd[:] = derivs
            if fused:  # the accepted trial's (the last one evaluated)
                derivs[:] = derivs_t
                hess[:] = hess_t
                hess_ok = True
            else:
                fill_derivatives(dcode, dparams, dstruct, y, scores, sw, derivs)
            change = 0.0
            for i in range(n):
                change += (derivs[i] - xd[i]) ** 2
            grad_valid[1] += np.sqrt(change)
            f_data = f_t
            obj = f_t + pen_t + rest
            n_newton += 1
            crit_prev = crit_ws
            crit_ws = _ws_violation(X, data, indices, indptr, ws, pen, params, pf, lower,
                                    upper, w, derivs, fit_intercept, grad)
            for k in range(m):
                grad_valid[3 + ws[k]] = grad_valid[1]
            # a step taken at the rounding level of the objective is progress only if it
            # lowers the violation; twice no progress in a row ends the solve
            if decreased or crit_ws < crit_prev:
                stalls = 0
            else:
                stalls += 1
            if crit_ws <= tol_ws or n_newton >= max_iter or stalls >= 2:
                break
    return intercept, n_newton, stop_crit, converged, history[:n_history]
