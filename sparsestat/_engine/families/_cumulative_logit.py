"""The cumulative-logit datafit and the PRESTO proximal Newton solver, compiled.

Model, for ``K`` ordered classes ``0 .. K-1`` and thresholds ``k = 0 .. K-2``::

    P(y <= k | x) = sigmoid(eta_k),   eta_k = alpha_k + x @ beta_k

The datafit is ``(1/n) sum_i w_i * -log p_{y_i}(x_i)`` with ``p_c = F_c - F_{c-1}``
(``F_{-1} = 0``, ``F_{K-1} = 1``). A sample of class ``c`` only sees two linear
predictors: its *upper* one ``a = eta_c`` (absent for the top class) and its *lower* one
``b = eta_{c-1}`` (absent for the bottom class). With ``d = a - b > 0``::

    -log p = -log sigmoid(a) - log sigmoid(-b) - log(1 - exp(-d))

which is convex in ``(a, b)`` (finite only while ``d > 0``). Its Hessian carries the term
``q = exp(-d) / (1 - exp(-d))**2``, unbounded as ``d -> 0``: there is no global
curvature bound, so plain proximal CD with fixed steps is not safe. We solve with a
working-set *proximal Newton* method: a quadratic model of the datafit (exact Hessian,
one 2 x 2 block per sample), proximal coordinate descent on the model with the engine's
scalar prox of ``_penalty_kernels`` (per-feature penalty factors), and a backtracking
line search that keeps every observed class probability positive. The model is solved
on its explicit Hessian when the working set is small (``GRAM_MAX_VARIABLES``: O(1) per
coordinate update, solved accurately, so Newton converges in a few steps even with
correlated features), else by block CD over features (each block ``psi[j, :]`` solved
jointly on its L x L Hessian: the ``psi`` of one feature are strongly coupled).

Coefficients are stored as ``psi`` of shape ``(p, L)``: ``beta_k = sum_{l <= min(k, L-1)}
psi_l``. ``L = K - 1`` is PRESTO (``psi_0 = beta_0``, ``psi_l = beta_l - beta_{l-1}``);
``L = 1`` is the proportional odds model (one common ``beta``). Coordinate ``(j, l)``
moves every threshold ``k >= l``, so for a sample of class ``c`` it moves ``a`` when
``c >= l`` and ``b`` when ``c >= l + 1``. Per-coordinate curvature of the model::

    sum_i w_i x_ij^2 * [c_i >= l + 1] (h_aa + h_bb + 2 h_ab) + [c_i == l] h_aa

(the unbounded ``q`` cancels in the first bracket). Gradients and curvatures are built
from per-class sums, so one pass over a column serves every level ``l``.

Design layout: a dense design reaches the kernels *transposed*, ``XT`` of shape
``(p, n)`` C-ordered (feature ``j`` is the contiguous row ``XT[j]``), with empty CSC
arrays; a sparse design comes as CSC arrays with an empty ``(0, 0)`` ``XT``. Both are
then C-layout arrays, so numba compiles each kernel once for both layouts.
"""

import numpy as np

from .._cd import _select_working_set
from .._colops import canonical_csc
from .._interrupt import run_in_chunks
from .._numba import jit
from .._penalty_kernels import prox_1d, subdiff_distance, value_1d
from ._simplex import isotonic_rows

ARMIJO = 1e-4
MAX_HALVINGS = 50
ROUNDOFF = 1e-12
INNER_TOL_RATIO = 0.05
BLOCK_SWEEPS = 50
GRAM_MAX_VARIABLES = 256
GRAM_TOL_RATIO = 1e-3
GRAM_MAX_SWEEPS = 1000


@jit
def _logistic_parts(t):
    """``(sigmoid(t), sigmoid(-t), log sigmoid(t))`` from one ``exp`` and one ``log1p``."""
    e = np.exp(-abs(t))
    inv = 1.0 / (1.0 + e)
    if t >= 0.0:
        return inv, e * inv, -np.log1p(e)
    return e * inv, inv, t - np.log1p(e)


@jit
def sample_terms(c, n_classes, a, b):
    """Loss, gradient ``(g_a, g_b)`` and Hessian ``(h_aa, h_bb, h_ab)`` of one sample.

    ``c`` is the class (0-based), ``a`` its upper and ``b`` its lower linear predictor.
    Absent predictors get zero derivatives. The loss is ``inf`` when ``a <= b``.
    """
    has_a = c <= n_classes - 2
    has_b = c >= 1
    if has_a and has_b:
        d = a - b
        if not d > 0.0:
            return np.inf, 0.0, 0.0, 0.0, 0.0, 0.0
        sa, sa_neg, log_sa = _logistic_parts(a)
        sb, sb_neg, log_sb_neg = _logistic_parts(-b)  # sigmoid(-b), sigmoid(b), log sigmoid(-b)
        em = np.expm1(-d)  # in (-1, 0): 1 - exp(-d) = -em
        ex = 1.0 + em  # exp(-d)
        r = -ex / em  # 1 / expm1(d)
        q = ex / (em * em)  # exp(-d) / (1 - exp(-d))^2
        loss = -log_sa - log_sb_neg - np.log(-em)
        return (loss, -sa_neg - r, sb_neg + r,
                sa * sa_neg + q, sb * sb_neg + q, -q)
    if has_a:
        sa, sa_neg, log_sa = _logistic_parts(a)
        return -log_sa, -sa_neg, 0.0, sa * sa_neg, 0.0, 0.0
    if has_b:
        sb, sb_neg, log_sb_neg = _logistic_parts(-b)
        return -log_sb_neg, 0.0, sb_neg, 0.0, sb * sb_neg, 0.0
    return 0.0, 0.0, 0.0, 0.0, 0.0, 0.0


@jit
def sample_loss(c, n_classes, a, b):
    """The loss of :func:`sample_terms` alone (the line search needs no derivatives)."""
    has_a = c <= n_classes - 2
    has_b = c >= 1
    loss = 0.0
    if has_a and has_b:
        d = a - b
        if not d > 0.0:
            return np.inf
        loss -= np.log(-np.expm1(-d))
    if has_a:
        loss += np.log1p(np.exp(-abs(a))) - min(a, 0.0)  # -log sigmoid(a)
    if has_b:
        loss += np.log1p(np.exp(-abs(b))) + max(b, 0.0)  # -log sigmoid(-b)
    return loss


@jit
def beta_from_psi(psi, n_thresholds, beta):
    """``beta[:, k] = sum_{l <= min(k, L-1)} psi[:, l]`` for ``k < n_thresholds``."""
    p, n_levels = psi.shape
    for j in range(p):
        acc = 0.0
        for k in range(n_thresholds):
            if k < n_levels:
                acc += psi[j, k]
            beta[j, k] = acc


@jit
def predictors(XT, data, indices, indptr, cls, n_classes, alpha, beta, ea, eb):
    """Upper (``ea``) and lower (``eb``) linear predictor of every sample."""
    n = cls.shape[0]
    top = n_classes - 1
    for i in range(n):
        c = cls[i]
        ea[i] = alpha[c] if c < top else 0.0
        eb[i] = alpha[c - 1] if c >= 1 else 0.0
    p = beta.shape[0]
    dense = XT.shape[0] > 0
    for j in range(p):
        if dense:
            for i in range(n):
                x = XT[j, i]
                c = cls[i]
                if c < top:
                    ea[i] += x * beta[j, c]
                if c >= 1:
                    eb[i] += x * beta[j, c - 1]
        else:
            for t in range(indptr[j], indptr[j + 1]):
                i = indices[t]
                x = data[t]
                c = cls[i]
                if c < top:
                    ea[i] += x * beta[j, c]
                if c >= 1:
                    eb[i] += x * beta[j, c - 1]


@jit
def sample_stats(cls, sw, n_classes, ea, eb, ga, gb, haa, hbb, hab):
    """Fill weighted per-sample derivatives (weights ``sw_i / n``); return the datafit."""
    n = cls.shape[0]
    total = 0.0
    for i in range(n):
        w = sw[i] / n
        if w == 0.0:
            ga[i] = 0.0
            gb[i] = 0.0
            haa[i] = 0.0
            hbb[i] = 0.0
            hab[i] = 0.0
            continue
        loss, g_a, g_b, h_aa, h_bb, h_ab = sample_terms(cls[i], n_classes, ea[i], eb[i])
        total += w * loss
        ga[i] = w * g_a
        gb[i] = w * g_b
        haa[i] = w * h_aa
        hbb[i] = w * h_bb
        hab[i] = w * h_ab
    return total


@jit
def psi_gradient(XT, data, indices, indptr, cls, n_classes, ga, gb, grad):
    """``grad[j, l]``: derivative of the datafit in ``psi[j, l]`` (from per-class sums)."""
    n = cls.shape[0]
    p, n_levels = grad.shape
    sa = np.empty(n_classes)
    sb = np.empty(n_classes)
    dense = XT.shape[0] > 0
    for j in range(p):
        sa[:] = 0.0
        sb[:] = 0.0
        if dense:
            for i in range(n):
                x = XT[j, i]
                sa[cls[i]] += x * ga[i]
                sb[cls[i]] += x * gb[i]
        else:
            for t in range(indptr[j], indptr[j + 1]):
                i = indices[t]
                sa[cls[i]] += data[t] * ga[i]
                sb[cls[i]] += data[t] * gb[i]
        acc_a = 0.0
        acc_b = 0.0
        for c in range(n_classes - 1, -1, -1):
            acc_a += sa[c]
            if c < n_levels:
                grad[j, c] = acc_a + acc_b
            acc_b += sb[c]


@jit
def _curvature_suffix_sums(XT, data, indices, indptr, cls, n_classes, haa, hbb, hab, suf):
    """``suf[j, 0 | 1 | 2, m]``: sums over classes ``c >= m`` of ``x_ij^2 h_aa | h_bb | h_ab``.

    The model Hessian of the block ``psi[j, :]`` follows from them (:func:`_block_hessian`).
    """
    n = cls.shape[0]
    p = suf.shape[0]
    dense = XT.shape[0] > 0
    for j in range(p):
        suf[j, :, :] = 0.0
        if dense:
            for i in range(n):
                x2 = XT[j, i] * XT[j, i]
                c = cls[i]
                suf[j, 0, c] += x2 * haa[i]
                suf[j, 1, c] += x2 * hbb[i]
                suf[j, 2, c] += x2 * hab[i]
        else:
            for t in range(indptr[j], indptr[j + 1]):
                i = indices[t]
                x2 = data[t] * data[t]
                c = cls[i]
                suf[j, 0, c] += x2 * haa[i]
                suf[j, 1, c] += x2 * hbb[i]
                suf[j, 2, c] += x2 * hab[i]
        for c in range(n_classes - 1, -1, -1):  # suffix sums; index n_classes stays 0
            for r in range(3):
                suf[j, r, c] += suf[j, r, c + 1]


@jit
def _block_hessian(suf, j, H):
    """Model Hessian of ``psi[j, :]``: entry ``(l, m)`` depends on ``M = max(l, m)`` only.

    Coordinate ``l`` moves the upper predictor of classes ``c >= l`` and the lower one of
    classes ``c >= l + 1``; multiplying out the 2 x 2 blocks gives, with ``S_r(m)`` the
    suffix sums of :func:`_curvature_suffix_sums`::

        H[m, m] = S_aa(m) + S_bb(m + 1) + 2 S_ab(m + 1)
        H[l, m] = S_aa(M) + S_ab(M) + S_bb(M + 1) + S_ab(M + 1)      (l != m)
    """
    L = H.shape[0]
    for m in range(L):
        H[m, m] = max(suf[j, 0, m] + suf[j, 1, m + 1] + 2.0 * suf[j, 2, m + 1], 0.0)
        off = suf[j, 0, m] + suf[j, 2, m] + suf[j, 1, m + 1] + suf[j, 2, m + 1]
        for l in range(m):
            H[l, m] = off
            H[m, l] = off


@jit
def _block_model_grad(XT, data, indices, indptr, cls, j, ga, gb, haa, hbb, hab, da, db,
                      sa, sb, g):
    """Gradient of the quadratic model in ``psi[j, :]`` at the current moves ``da, db``."""
    sa[:] = 0.0
    sb[:] = 0.0
    if XT.shape[0] > 0:
        for i in range(cls.shape[0]):
            x = XT[j, i]
            c = cls[i]
            sa[c] += x * (ga[i] + haa[i] * da[i] + hab[i] * db[i])
            sb[c] += x * (gb[i] + hab[i] * da[i] + hbb[i] * db[i])
    else:
        for t in range(indptr[j], indptr[j + 1]):
            i = indices[t]
            x = data[t]
            c = cls[i]
            sa[c] += x * (ga[i] + haa[i] * da[i] + hab[i] * db[i])
            sb[c] += x * (gb[i] + hab[i] * da[i] + hbb[i] * db[i])
    L = g.shape[0]
    acc_a = 0.0
    acc_b = 0.0
    for c in range(sa.shape[0] - 1, -1, -1):
        acc_a += sa[c]
        if c < L:
            g[c] = acc_a + acc_b
        acc_b += sb[c]


@jit
def _block_move(XT, data, indices, indptr, cls, j, step, prefix, da, db):
    """Apply the move ``step`` (L,) of ``psi[j, :]`` to the predictors' moves ``da, db``.

    Threshold ``k`` moves by ``x_ij * sum_{l <= min(k, L-1)} step_l`` (``prefix[k]``).
    """
    L = step.shape[0]
    acc = 0.0
    for k in range(prefix.shape[0]):
        if k < L:
            acc += step[k]
        prefix[k] = acc
    top = prefix.shape[0]
    if XT.shape[0] > 0:
        for i in range(cls.shape[0]):
            x = XT[j, i]
            c = cls[i]
            if c < top:
                da[i] += x * prefix[c]
            if c >= 1:
                db[i] += x * prefix[c - 1]
    else:
        for t in range(indptr[j], indptr[j + 1]):
            i = indices[t]
            x = data[t]
            c = cls[i]
            if c < top:
                da[i] += x * prefix[c]
            if c >= 1:
                db[i] += x * prefix[c - 1]


@jit
def _intercept_sums(cls, n_classes, ua, ub, out):
    """``out[k] = sum_{c_i == k} ua_i + sum_{c_i == k + 1} ub_i``."""
    out[:] = 0.0
    for i in range(cls.shape[0]):
        c = cls[i]
        if c <= n_classes - 2:
            out[c] += ua[i]
        if c >= 1:
            out[c - 1] += ub[i]


@jit
def _class_sums(XT, data, indices, indptr, cls, j, w, out):
    """``out[c] = sum_{i in class c} x_ij * w_i``."""
    out[:] = 0.0
    if XT.shape[0] > 0:
        for i in range(cls.shape[0]):
            out[cls[i]] += XT[j, i] * w[i]
    else:
        for t in range(indptr[j], indptr[j + 1]):
            out[cls[indices[t]]] += data[t] * w[indices[t]]


@jit
def _model_gram(XT, data, indices, indptr, cls, n_classes, ws, n_levels, haa, hbb, hab,
                H):
    """Explicit Hessian of the quadratic model over ``psi[ws, :]`` and the intercepts.

    Variables are ordered ``(ws[0], 0..L-1), (ws[1], 0..L-1), ..., alpha_0..alpha_{K-2}``.
    Entry ``((j, l), (j', m))`` uses the class sums of ``x_ij x_ij' h`` like
    :func:`_block_hessian` (it depends on ``max(l, m)`` only).
    """
    n = cls.shape[0]
    m_ws = ws.shape[0]
    L = n_levels
    K = n_classes
    off = m_ws * L
    suf = np.zeros((3, K + 1))
    xw = np.empty(n)
    taa = np.empty(K)
    tbb = np.empty(K)
    tab = np.empty(K)
    dense = XT.shape[0] > 0
    for u in range(m_ws):
        j = ws[u]
        # feature-intercept block: class sums of x_ij h
        _class_sums(XT, data, indices, indptr, cls, j, haa, taa)
        _class_sums(XT, data, indices, indptr, cls, j, hbb, tbb)
        _class_sums(XT, data, indices, indptr, cls, j, hab, tab)
        for lvl in range(L):
            for k in range(K - 1):
                v = 0.0
                if k >= lvl:
                    v += taa[k] + tab[k + 1]
                    if k >= lvl + 1:
                        v += tab[k]
                else:
                    if k + 1 >= lvl:
                        v += tab[k + 1]
                if k + 1 >= lvl + 1:
                    v += tbb[k + 1]
                H[u * L + lvl, off + k] = v
                H[off + k, u * L + lvl] = v
        # feature-feature blocks
        if dense:
            for i in range(n):
                xw[i] = XT[j, i]
        else:
            xw[:] = 0.0
            for t in range(indptr[j], indptr[j + 1]):
                xw[indices[t]] = data[t]
        for w2 in range(u, m_ws):
            j2 = ws[w2]
            suf[:, :] = 0.0
            if dense:
                for i in range(n):
                    x2 = xw[i] * XT[j2, i]
                    c = cls[i]
                    suf[0, c] += x2 * haa[i]
                    suf[1, c] += x2 * hbb[i]
                    suf[2, c] += x2 * hab[i]
            else:
                for t in range(indptr[j2], indptr[j2 + 1]):
                    i = indices[t]
                    x2 = xw[i] * data[t]
                    c = cls[i]
                    suf[0, c] += x2 * haa[i]
                    suf[1, c] += x2 * hbb[i]
                    suf[2, c] += x2 * hab[i]
            for c in range(K - 1, -1, -1):
                for r in range(3):
                    suf[r, c] += suf[r, c + 1]
            for l1 in range(L):
                for l2 in range(L):
                    mx = max(l1, l2)
                    if l1 == l2:
                        v = suf[0, mx] + suf[1, mx + 1] + 2.0 * suf[2, mx + 1]
                    else:
                        v = suf[0, mx] + suf[2, mx] + suf[1, mx + 1] + suf[2, mx + 1]
                    H[u * L + l1, w2 * L + l2] = v
                    H[w2 * L + l2, u * L + l1] = v
    # intercept-intercept block
    for k in range(K - 1):
        for k2 in range(K - 1):
            H[off + k, off + k2] = 0.0
    for i in range(n):
        c = cls[i]
        if c <= K - 2:
            H[off + c, off + c] += haa[i]
        if c >= 1:
            H[off + c - 1, off + c - 1] += hbb[i]
        if c >= 1 and c <= K - 2:
            H[off + c - 1, off + c] += hab[i]
            H[off + c, off + c - 1] += hab[i]


@jit
def penalty_sum(pen, params, pf, psi):
    total = 0.0
    p, n_levels = psi.shape
    for j in range(p):
        for lvl in range(n_levels):
            total += value_1d(pen, params, psi[j, lvl], pf[j])
    return total


@jit
def _block_cd(XT, data, indices, indptr, cls, n_classes, pen, params, pf, psi, ws,
              ga, gb, haa, hbb, hab, suf, H, gblk, resid, vnew, step_blk, sa, sb, prefix,
              calpha, da, db, dpsi, dalpha, inner_tol, max_inner):
    """Proximal block CD on the quadratic model (large working sets); fills the moves.

    The L coordinates of one feature are strongly coupled (``psi_l`` moves every
    threshold ``>= l``), so each block ``psi[j, :]`` is solved jointly on its small
    L x L Hessian; features and intercepts are visited cyclically. Returns the epochs.
    """
    n = cls.shape[0]
    n_levels = psi.shape[1]
    n_thr = n_classes - 1
    _curvature_suffix_sums(XT, data, indices, indptr, cls, n_classes, haa, hbb, hab, suf)
    _intercept_sums(cls, n_classes, haa, hbb, calpha)
    da[:] = 0.0
    db[:] = 0.0
    dpsi[:, :] = 0.0
    dalpha[:] = 0.0
    n_epochs = 0
    for epoch in range(max_inner):
        n_epochs += 1
        biggest = 0.0
        for j in ws:
            _block_hessian(suf, j, H)
            _block_model_grad(XT, data, indices, indptr, cls, j, ga, gb, haa, hbb,
                              hab, da, db, sa, sb, gblk)
            # CD on the L-dimensional model: resid = model gradient at vnew
            for lvl in range(n_levels):
                vnew[lvl] = psi[j, lvl] + dpsi[j, lvl]
                resid[lvl] = gblk[lvl]
                step_blk[lvl] = 0.0
            for sweep in range(BLOCK_SWEEPS):
                block_change = 0.0
                for lvl in range(n_levels):
                    h = H[lvl, lvl]
                    if h <= 0.0:
                        continue
                    old = vnew[lvl]
                    new = prox_1d(pen, params, old - resid[lvl] / h, 1.0 / h, pf[j])
                    delta = new - old
                    if delta != 0.0:
                        vnew[lvl] = new
                        step_blk[lvl] += delta
                        for m in range(n_levels):
                            resid[m] += H[m, lvl] * delta
                        block_change = max(block_change, abs(delta) * h)
                if block_change <= 0.1 * inner_tol:
                    break
            moved = False
            for lvl in range(n_levels):
                if step_blk[lvl] != 0.0:
                    moved = True
                    dpsi[j, lvl] += step_blk[lvl]
                    biggest = max(biggest, abs(step_blk[lvl]) * H[lvl, lvl])
            if moved:
                _block_move(XT, data, indices, indptr, cls, j, step_blk, prefix, da, db)
        for k in range(n_thr):
            h = calpha[k]
            if h <= 0.0:
                continue
            g = 0.0
            for i in range(n):
                c = cls[i]
                if c == k:
                    g += ga[i] + haa[i] * da[i] + hab[i] * db[i]
                elif c == k + 1:
                    g += gb[i] + hab[i] * da[i] + hbb[i] * db[i]
            step = -g / h
            if step != 0.0:
                dalpha[k] += step
                for i in range(n):
                    c = cls[i]
                    if c == k:
                        da[i] += step
                    elif c == k + 1:
                        db[i] += step
                biggest = max(biggest, abs(step) * h)
        if biggest <= inner_tol:
            break
    return n_epochs


@jit
def presto_solve(
    XT, data, indices, indptr, cls, sw, n_classes,
    pen, params, pf, alpha, psi,
    max_iter, tol, ws_start, max_inner,
):
    """Minimize ``datafit + sum_{j,l} pen(psi[j, l]; pf_j)`` in place in ``alpha, psi``.

    ``alpha`` (K-1,) are unpenalized intercepts; ``psi`` (p, L) as in the module
    docstring. The start must be feasible (finite objective). Stops when the largest
    KKT violation (intercept gradients included) is ``<= tol``. Each iteration depends
    on ``(alpha, psi)`` only, so ``max_iter`` iterations in several calls are the same,
    bit for bit, as in one.

    Returns ``(n_iter, stop_crit, converged, objective, n_inner, stalled)``; ``stalled``:
    stopped for a non-finite objective or a failed line search (not for ``max_iter``).
    """
    n = cls.shape[0]
    p, n_levels = psi.shape
    n_thr = n_classes - 1
    n_coef = p * n_levels
    beta = np.empty((p, n_thr))
    ea = np.empty(n)
    eb = np.empty(n)
    ga = np.empty(n)
    gb = np.empty(n)
    haa = np.empty(n)
    hbb = np.empty(n)
    hab = np.empty(n)
    da = np.empty(n)
    db = np.empty(n)
    grad = np.empty((p, n_levels))
    suf = np.zeros((p, 3, n_classes + 1))
    H = np.empty((n_levels, n_levels))
    gblk = np.empty(n_levels)
    resid_blk = np.empty(n_levels)
    vnew = np.empty(n_levels)
    step_blk = np.empty(n_levels)
    sa = np.empty(n_classes)
    sb = np.empty(n_classes)
    prefix = np.empty(n_thr)
    fscore = np.empty(p)
    galpha = np.empty(n_thr)
    calpha = np.empty(n_thr)
    kkt = np.empty(n_coef)
    dpsi = np.empty((p, n_levels))
    dalpha = np.empty(n_thr)
    trial = np.empty((p, n_levels))

    n_iter = 0
    n_inner = 0
    stop_crit = np.inf
    converged = False
    stalled = False
    objective = np.inf
    while True:
        beta_from_psi(psi, n_thr, beta)
        predictors(XT, data, indices, indptr, cls, n_classes, alpha, beta, ea, eb)
        loss = sample_stats(cls, sw, n_classes, ea, eb, ga, gb, haa, hbb, hab)
        objective = loss + penalty_sum(pen, params, pf, psi)
        if not np.isfinite(objective):
            stop_crit = np.inf
            stalled = True
            break
        psi_gradient(XT, data, indices, indptr, cls, n_classes, ga, gb, grad)
        _intercept_sums(cls, n_classes, ga, gb, galpha)
        max_kkt = 0.0
        for k in range(n_thr):
            max_kkt = max(max_kkt, abs(galpha[k]))
        for j in range(p):
            for lvl in range(n_levels):
                v = subdiff_distance(pen, params, psi[j, lvl], grad[j, lvl], pf[j],
                                     -np.inf, np.inf)
                kkt[j * n_levels + lvl] = v
                max_kkt = max(max_kkt, v)
        stop_crit = max_kkt
        if max_kkt <= tol:
            converged = True
            break
        if n_iter >= max_iter:
            break
        n_iter += 1

        # working set of features (blocks psi[j, :]): the support and unpenalized
        # features, then the worst violators
        n_forced = 0
        for j in range(p):
            score = 0.0
            forced = pf[j] == 0.0
            for lvl in range(n_levels):
                score = max(score, kkt[j * n_levels + lvl])
                if psi[j, lvl] != 0.0:
                    forced = True
            if forced:
                score = np.inf
                n_forced += 1
            fscore[j] = score
        ws_size = min(p, max(ws_start, 2 * n_forced))
        ws = _select_working_set(fscore, ws_size)

        n_var = ws_size * n_levels + n_thr
        if n_var <= GRAM_MAX_VARIABLES:
            # small working set: CD on the explicit model Hessian (O(n_var) per update),
            # solved to high accuracy, then one pass to turn the step into da, db
            Hg = np.empty((n_var, n_var))
            _model_gram(XT, data, indices, indptr, cls, n_classes, ws, n_levels, haa, hbb,
                        hab, Hg)
            delta = np.zeros(n_var)
            resid = np.empty(n_var)
            for u in range(ws_size):
                for lvl in range(n_levels):
                    resid[u * n_levels + lvl] = grad[ws[u], lvl]
            for k in range(n_thr):
                resid[ws_size * n_levels + k] = galpha[k]
            inner_tol = max(GRAM_TOL_RATIO * max_kkt, 0.1 * tol)
            for epoch in range(GRAM_MAX_SWEEPS):
                n_inner += 1
                biggest = 0.0
                for v in range(n_var):
                    h = Hg[v, v]
                    if h <= 0.0:
                        continue
                    if v < ws_size * n_levels:
                        j = ws[v // n_levels]
                        cur = psi[j, v % n_levels] + delta[v]
                        new = prox_1d(pen, params, cur - resid[v] / h, 1.0 / h, pf[j])
                        step = new - cur
                    else:
                        step = -resid[v] / h
                    if step != 0.0:
                        delta[v] += step
                        for w2 in range(n_var):
                            resid[w2] += Hg[w2, v] * step
                        biggest = max(biggest, abs(step) * h)
                if biggest <= inner_tol:
                    break
            da[:] = 0.0
            db[:] = 0.0
            dpsi[:, :] = 0.0
            for u in range(ws_size):
                j = ws[u]
                moved = False
                for lvl in range(n_levels):
                    step_blk[lvl] = delta[u * n_levels + lvl]
                    dpsi[j, lvl] = step_blk[lvl]
                    if step_blk[lvl] != 0.0:
                        moved = True
                if moved:
                    _block_move(XT, data, indices, indptr, cls, j, step_blk, prefix, da, db)
            for k in range(n_thr):
                dalpha[k] = delta[ws_size * n_levels + k]
            for i in range(n):
                c = cls[i]
                if c <= n_thr - 1:
                    da[i] += dalpha[c]
                if c >= 1:
                    db[i] += dalpha[c - 1]
        else:
            n_inner += _block_cd(
                XT, data, indices, indptr, cls, n_classes, pen, params, pf, psi, ws,
                ga, gb, haa, hbb, hab, suf, H, gblk, resid_blk, vnew, step_blk, sa, sb,
                prefix, calpha, da, db, dpsi, dalpha,
                max(INNER_TOL_RATIO * max_kkt, 0.1 * tol), max_inner)

        # line search on F(theta + t d): Armijo with the proximal Newton decrement
        decrement = 0.0
        for k in range(n_thr):
            decrement += galpha[k] * dalpha[k]
        for j in range(p):
            for lvl in range(n_levels):
                # coordinate by coordinate: differences of sums would drown in rounding
                decrement += (grad[j, lvl] * dpsi[j, lvl]
                              + value_1d(pen, params, psi[j, lvl] + dpsi[j, lvl], pf[j])
                              - value_1d(pen, params, psi[j, lvl], pf[j]))
        if not decrement < 0.0:
            # at rounding level: accept a step that does not increase the objective
            decrement = 0.0
        t = 1.0
        accepted = False
        for _ in range(MAX_HALVINGS):
            for j in range(p):
                for lvl in range(n_levels):
                    trial[j, lvl] = psi[j, lvl] + t * dpsi[j, lvl]
            new_loss = 0.0
            for i in range(n):
                c = cls[i]
                a = ea[i] + t * da[i]
                b = eb[i] + t * db[i]
                if sw[i] == 0.0:
                    continue
                new_loss += sw[i] / n * sample_loss(c, n_classes, a, b)
            new_obj = new_loss + penalty_sum(pen, params, pf, trial)
            # roundoff-tolerant Armijo: near the optimum the two objectives (sums over n
            # samples) agree to their rounding error, so a decrease cannot be seen
            if new_obj <= objective + ARMIJO * t * decrement + ROUNDOFF * abs(objective):
                accepted = True
                break
            t *= 0.5
        if not accepted:
            stalled = True
            break
        for j in range(p):
            for lvl in range(n_levels):
                psi[j, lvl] += t * dpsi[j, lvl]
        for k in range(n_thr):
            alpha[k] += t * dalpha[k]

    return n_iter, stop_crit, converged, objective, n_inner, stalled


# --------------------------------------------------------------------------------------
# Python entry points: arrays in, arrays out (the estimators in sparsestat.ordinal use them)
# --------------------------------------------------------------------------------------

def prepare_design(X, sample_weight):
    """Return ``(arrays, mean)``: the kernels' four arrays (``XT, data, indices, indptr``).

    A dense ``X`` is centered with weighted means into a new transposed float64 array
    (better-conditioned intercepts); a scipy sparse ``X`` is kept uncentered (centering
    would densify it) and ``mean`` is zero: the unpenalized intercepts absorb the means,
    so both give the same coefficients.
    """
    import scipy.sparse as sp

    sw = np.asarray(sample_weight, dtype=np.float64)
    if sp.issparse(X):
        X = canonical_csc(X, dtype=np.float64)
        index_dtype = np.int32 if X.nnz < np.iinfo(np.int32).max else np.int64
        arrays = (np.empty((0, 0)), np.ascontiguousarray(X.data),
                  X.indices.astype(index_dtype), X.indptr.astype(index_dtype))
        return arrays, np.zeros(X.shape[1])
    X = np.asarray(X, dtype=np.float64)
    mean = (sw @ X) / sw.sum()
    XT = np.ascontiguousarray((X - mean).T)
    return (XT, np.empty(0), np.empty(0, np.int32), np.zeros(1, np.int32)), mean


def intercept_only(cls, sample_weight, n_classes):
    """Intercepts of the model without covariates: logits of cumulative class shares."""
    counts = np.bincount(cls, weights=sample_weight, minlength=n_classes)
    cum = np.cumsum(counts)[:-1] / counts.sum()
    cum = np.clip(cum, 1e-12, 1 - 1e-12)
    return np.log(cum) - np.log1p(-cum)


def cumulative_logit_value_grad(arrays, cls, sample_weight, n_classes, alpha, psi):
    """Datafit value and its gradients ``(value, grad_alpha (K-1,), grad_psi (p, L))``."""
    XT, data, indices, indptr = arrays
    cls = np.ascontiguousarray(cls, dtype=np.int64)
    sw = np.ascontiguousarray(sample_weight, dtype=np.float64)
    alpha = np.ascontiguousarray(alpha, dtype=np.float64)
    psi = np.ascontiguousarray(psi, dtype=np.float64)
    n = cls.shape[0]
    beta = np.empty((psi.shape[0], n_classes - 1))
    beta_from_psi(psi, n_classes - 1, beta)
    ea, eb = np.empty(n), np.empty(n)
    predictors(XT, data, indices, indptr, cls, n_classes, alpha, beta, ea, eb)
    ga, gb, haa, hbb, hab = (np.empty(n) for _ in range(5))
    value = sample_stats(cls, sw, n_classes, ea, eb, ga, gb, haa, hbb, hab)
    grad_psi = np.empty_like(psi)
    psi_gradient(XT, data, indices, indptr, cls, n_classes, ga, gb, grad_psi)
    grad_alpha = np.empty(n_classes - 1)
    _intercept_sums(cls, n_classes, ga, gb, grad_alpha)
    return value, grad_alpha, grad_psi


def alpha_max_cumulative_logit(arrays, cls, sample_weight, n_classes, n_levels,
                               penalty_factor, l1_ratio=1.0):
    """Smallest ``alpha`` at which every penalized ``psi`` is zero (intercept-only fit)."""
    p = penalty_factor.shape[0]
    alpha0 = intercept_only(cls, sample_weight, n_classes)
    _, _, grad = cumulative_logit_value_grad(arrays, cls, sample_weight, n_classes, alpha0,
                                             np.zeros((p, n_levels)))
    pen = penalty_factor > 0
    if not np.any(pen) or l1_ratio <= 0:
        return 0.0
    return float(np.max(np.abs(grad[pen]) / penalty_factor[pen, None]) / l1_ratio)


def solve_cumulative_logit(arrays, cls, sample_weight, n_classes, penalty, penalty_factor,
                           alpha, psi, *, max_iter=100, tol=1e-7, ws_start=10, max_inner=200):
    """Run the proximal Newton solver in place on ``alpha`` (K-1,) and ``psi`` (p, L).

    An infeasible start (some observed class probability not positive) is replaced by
    the intercept-only model. Returns ``(n_iter, stop_crit, converged, objective)``.
    """
    XT, data, indices, indptr = arrays
    cls = np.ascontiguousarray(cls, dtype=np.int64)
    sw = np.ascontiguousarray(sample_weight, dtype=np.float64)
    pf = np.ascontiguousarray(penalty_factor, dtype=np.float64)
    value, _, _ = cumulative_logit_value_grad(arrays, cls, sw, n_classes, alpha, psi)
    if not np.isfinite(value):
        alpha[:] = intercept_only(cls, sw, n_classes)
        psi[:] = 0.0
    # bounded kernel calls (Ctrl-C, _interrupt.py); a call starts from (alpha, psi) alone
    out = {}

    def step(budget):
        n_done, crit, ok, obj, _, stalled = presto_solve(
            XT, data, indices, indptr, cls, sw, n_classes, penalty.code,
            penalty.params_array(), pf, alpha, psi, int(budget), float(tol), int(ws_start),
            int(max_inner))
        out.update(crit=crit, converged=ok, objective=obj)
        return n_done, bool(ok or stalled)

    # an iteration (a proximal Newton step) makes some tens of passes over the data
    work = 20 * cls.shape[0] * psi.size
    n_iter = run_in_chunks(step, int(max_iter), work, resumable=True)
    return int(n_iter), float(out["crit"]), bool(out["converged"]), float(out["objective"])


def cumulative_probabilities(eta):
    """Monotone ``P(y <= k)`` from linear predictors ``eta`` (n, K-1).

    ``sigmoid(eta)`` row by row, projected (least squares, pool adjacent violators) onto
    nondecreasing sequences when the thresholds cross: class probabilities
    ``F_k - F_{k-1}`` are then always in ``[0, 1]`` and sum to one.
    """
    eta = np.asarray(eta, dtype=np.float64)
    F = np.empty_like(eta)
    pos = eta >= 0
    F[pos] = 1.0 / (1.0 + np.exp(-eta[pos]))
    e = np.exp(eta[~pos])
    F[~pos] = e / (1.0 + e)
    F = np.ascontiguousarray(F)
    if F.shape[1] > 1 and np.any(np.diff(F, axis=1) < 0):
        isotonic_rows(F)  # the one pool-adjacent-violators kernel
    return np.clip(F, 0.0, 1.0)
