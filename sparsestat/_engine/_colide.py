"""CoLiDE / DAGMA path following for linear DAG learning, in one compiled call.

CoLiDE (Saboksayr, Mateos and Tepper, ICLR 2024) minimizes, stage after stage,

    mu_k * (S(W, sigma) + lam * ||pen o W||_1) + h_{s_k}(W)

where ``S`` is the concomitant least-squares score with a jointly estimated noise scale
(equal variance, one ``sigma``; or non-equal variance, one ``sigma_j`` per node) and
``h_s(W) = -log det(s I - W o W) + d log s`` is DAGMA's log-det acyclicity function.
Everything is written in terms of the sample covariance ``C = Xc^T Xc / n`` so a step costs
O(d^3) whatever n.

The whole path (every stage, every Adam step, the domain backtracking and the stage
restarts) runs inside :func:`colide_path`, so there is no Python overhead per step. The
kernels take plain arrays and scalars only (numba caches them on disk).

Variance codes: ``EQUAL_VARIANCE = 0`` (one scale), ``NON_EQUAL_VARIANCE = 1`` (per node).
"""

import numpy as np

from ._numba import jit

__all__ = [
    "EQUAL_VARIANCE",
    "NON_EQUAL_VARIANCE",
    "STATUS_CONVERGED",
    "STATUS_MAX_ITER",
    "STATUS_LR_UNDERFLOW",
    "STATUS_RESTARTS",
    "colide_path",
    "score_and_grad",
    "logdet_acyclicity",
    "profile_sigma",
    "objective",
]

EQUAL_VARIANCE = 0
NON_EQUAL_VARIANCE = 1

STATUS_CONVERGED = 0      # the last stage met the relative tolerance
STATUS_MAX_ITER = 1       # the last stage stopped at its step cap
STATUS_LR_UNDERFLOW = 2   # domain backtracking drove the learning rate below 1e-16
STATUS_RESTARTS = 3       # a stage could not stay in the domain after max_restarts restarts

_DOMAIN_EPS = 1e-16  # the authors' code adds 1e-16 to (sI - W o W)^{-1} ...
_DOMAIN_TOL = 1e-6   # ... and leaves the domain when an entry falls below -1e-6


@jit
def residual_products(C, W, R):
    """``R = C (I - W)``, the only product of C the score needs."""
    P = np.dot(C, W)
    d = W.shape[0]
    for i in range(d):
        for j in range(d):
            R[i, j] = C[i, j] - P[i, j]


@jit
def _logdet_domain(W, s):
    """``(log det(sI - W o W), in_domain)`` by LU with partial pivoting, in plain loops.

    ``in_domain`` is False when the determinant is not positive; the entrywise test of the
    inverse is done by the callers that need the inverse anyway.
    """
    d = W.shape[0]
    A = np.empty((d, d))
    for i in range(d):
        for j in range(d):
            A[i, j] = -W[i, j] * W[i, j]
        A[i, i] += s
    logdet = 0.0
    sign = 1.0
    for k in range(d):
        p = k
        best = abs(A[k, k])
        for i in range(k + 1, d):
            if abs(A[i, k]) > best:
                best = abs(A[i, k])
                p = i
        if best == 0.0:
            return -np.inf, False
        if p != k:
            sign = -sign
            for j in range(d):
                tmp = A[k, j]
                A[k, j] = A[p, j]
                A[p, j] = tmp
        piv = A[k, k]
        if piv < 0.0:
            sign = -sign
        logdet += np.log(abs(piv))
        for i in range(k + 1, d):
            f = A[i, k] / piv
            if f != 0.0:
                for j in range(k + 1, d):
                    A[i, j] -= f * A[k, j]
    return logdet, sign > 0.0


@jit
def profile_sigma(W, R, variance, floor, sigma):
    """Closed-form scales minimizing ``S`` over sigma, clipped below at ``floor``.

    ``((I - W)^T C (I - W))_jj = sum_i (I - W)_ij R_ij`` with ``R = C (I - W)``.
    Equal variance: ``sigma = sqrt(tr / d)`` (every entry of ``sigma`` set to it).
    Non-equal variance: ``sigma_j = sqrt(diag_j)``.
    """
    d = W.shape[0]
    total = 0.0
    for j in range(d):
        q = 0.0
        for i in range(d):
            eye = 1.0 if i == j else 0.0
            q += (eye - W[i, j]) * R[i, j]
        q = max(q, 0.0)
        if variance == NON_EQUAL_VARIANCE:
            sigma[j] = max(np.sqrt(q), floor[j])
        total += q
    if variance == EQUAL_VARIANCE:
        s = max(np.sqrt(total / d), floor[0])
        for j in range(d):
            sigma[j] = s


@jit
def score_value(W, R, sigma, variance):
    """Smooth part of the CoLiDE score, ``S(W, sigma)`` without the L1 term."""
    d = W.shape[0]
    value = 0.0
    for j in range(d):
        q = 0.0
        for i in range(d):
            eye = 1.0 if i == j else 0.0
            q += (eye - W[i, j]) * R[i, j]
        value += 0.5 * q / sigma[j]
    if variance == EQUAL_VARIANCE:
        value += 0.5 * d * sigma[0]
    else:
        for j in range(d):
            value += 0.5 * sigma[j]
    return value


@jit
def score_and_grad(C, W, sigma, variance):
    """``S(W, sigma)`` (no L1 term) and its gradient in W, ``-C (I - W) diag(1/sigma)``."""
    d = W.shape[0]
    R = np.empty((d, d))
    residual_products(C, W, R)
    grad = np.empty((d, d))
    for i in range(d):
        for j in range(d):
            grad[i, j] = -R[i, j] / sigma[j]
    return score_value(W, R, sigma, variance), grad


def logdet_acyclicity(W, s=1.0):
    """DAGMA's ``h_s(W) = -log det(sI - W o W) + d log s`` and its gradient (numpy).

    Returns ``(h, grad, in_domain)``: ``grad = 2 W o (sI - W o W)^{-T}``; ``in_domain`` is
    False when ``(sI - W o W)^{-1}`` has an entry below ``-1e-6`` (the authors' test;
    then h is meaningless). h is 0 exactly on DAGs and positive on graphs with a cycle
    (inside the domain).
    """
    W = np.asarray(W, dtype=np.float64)
    d = W.shape[0]
    A = s * np.eye(d) - W * W
    sign, logabsdet = np.linalg.slogdet(A)
    M = np.linalg.inv(A)
    in_domain = bool(sign > 0 and np.all(M + _DOMAIN_EPS >= -_DOMAIN_TOL))
    h = -logabsdet + d * np.log(s)
    return h, 2.0 * W * M.T, in_domain


@jit
def objective(C, W, sigma, variance, lam, pen, mu, s):
    """``mu (S + lam ||pen o W||_1) + h_s(W)``, the stage objective the loop monitors."""
    d = W.shape[0]
    R = np.empty((d, d))
    residual_products(C, W, R)
    l1 = 0.0
    for i in range(d):
        for j in range(d):
            l1 += pen[i, j] * abs(W[i, j])
    logdet, _ = _logdet_domain(W, s)
    return mu * (score_value(W, R, sigma, variance) + lam * l1) - logdet + d * np.log(s)


@jit
def _build_domain_matrix(W, s, A):
    d = W.shape[0]
    for i in range(d):
        for j in range(d):
            A[i, j] = -W[i, j] * W[i, j]
        A[i, i] += s


@jit
def _stage(C, W, sigma, variance, lam, mask, pen, mu, s, lr, beta1, beta2, eps,
           max_iter, tol, checkpoint, floor, prox, R, m, v, direction):
    """One stage of Adam from ``W`` (in place). Returns ``(status, n_iter)``.

    status 0: converged, 1: left the domain, restart the stage, 2: learning rate
    underflow (kept as done, as in the authors' code), 3: step cap hit.
    """
    d = W.shape[0]
    m.fill(0.0)
    v.fill(0.0)
    direction.fill(0.0)
    residual_products(C, W, R)
    obj_prev = 1e16
    b1t = 1.0
    b2t = 1.0
    A = np.empty((d, d))
    scaled = np.empty(d)
    for it in range(1, max_iter + 1):
        # domain test: (sI - W o W)^{-1} >= 0 entrywise
        while True:
            _build_domain_matrix(W, s, A)
            M = np.linalg.inv(A)
            bad = False
            for i in range(d):
                for j in range(d):
                    if M[i, j] + _DOMAIN_EPS < -_DOMAIN_TOL:
                        bad = True
                        break
                if bad:
                    break
            if not bad:
                break
            if it == 1 or s <= 0.9:
                return 1, it
            # undo the step, halve the learning rate, redo it
            for i in range(d):
                for j in range(d):
                    W[i, j] += lr * direction[i, j]
            lr *= 0.5
            if lr <= 1e-16:
                return 2, it
            for i in range(d):
                for j in range(d):
                    W[i, j] -= lr * direction[i, j]
            residual_products(C, W, R)
            profile_sigma(W, R, variance, floor, sigma)
        b1t *= beta1
        b2t *= beta2
        c1 = 1.0 / (1.0 - b1t)
        c2 = 1.0 / (1.0 - b2t)
        mu_lam = mu * lam
        for j in range(d):
            scaled[j] = mu / sigma[j]
        for i in range(d):
            for j in range(d):
                if mask[i, j] == 0.0:
                    direction[i, j] = 0.0
                    continue
                g = -R[i, j] * scaled[j] + 2.0 * W[i, j] * (M[j, i] + _DOMAIN_EPS)
                if not prox:
                    w = W[i, j]
                    if w > 0.0:
                        g += mu_lam * pen[i, j]
                    elif w < 0.0:
                        g -= mu_lam * pen[i, j]
                m[i, j] = beta1 * m[i, j] + (1.0 - beta1) * g
                v[i, j] = beta2 * v[i, j] + (1.0 - beta2) * g * g
                denom = np.sqrt(v[i, j] * c2) + eps
                direction[i, j] = m[i, j] * c1 / denom
                w = W[i, j] - lr * direction[i, j]
                if prox:
                    # prox of lr * mu * lam * pen |.| in Adam's diagonal metric
                    thr = lr * mu_lam * pen[i, j] / denom
                    if w > thr:
                        w -= thr
                    elif w < -thr:
                        w += thr
                    else:
                        w = 0.0
                    direction[i, j] = (W[i, j] - w) / lr
                W[i, j] = w
        residual_products(C, W, R)
        profile_sigma(W, R, variance, floor, sigma)
        if it % checkpoint == 0 or it == max_iter:
            obj_new = objective(C, W, sigma, variance, lam, pen, mu, s)
            if abs((obj_prev - obj_new) / obj_prev) <= tol:
                return 0, it
            obj_prev = obj_new
    return 3, max_iter


@jit
def _copy_into(W_src, W_dst, s_src, s_dst):
    d = W_src.shape[0]
    for i in range(d):
        s_dst[i] = s_src[i]
        for j in range(d):
            W_dst[i, j] = W_src[i, j]


@jit
def colide_path(C, W, sigma, variance, lam, mask, pen, mu_init, mu_factor, s_schedule,
                lr, beta1, beta2, eps, warm_iter, last_iter, tol, checkpoint, floor,
                prox, max_restarts):
    """Run CoLiDE's path following from ``W`` and ``sigma`` (both updated in place).

    Parameters
    ----------
    C : (d, d) float64, the covariance of the centered data.
    W : (d, d) float64, the starting weights (zeros in CoLiDE), overwritten.
    sigma : (d,) float64, the starting scales (all equal for ``variance=0``), overwritten.
    variance : int, 0 equal variance, 1 non-equal (per node).
    lam : float, L1 weight. mask : (d, d), 0 where an entry is fixed at zero (the
    diagonal, excluded edges). pen : (d, d), per-entry L1 multipliers.
    mu_init, mu_factor : the stage weights ``mu_k = mu_init mu_factor^k``.
    s_schedule : (T,) the log-det parameter per stage (copied; restarts raise it).
    lr, beta1, beta2, eps : Adam's settings (the state is reset at each stage).
    warm_iter, last_iter : step caps for the first T-1 stages and for the last one.
    tol, checkpoint : stop a stage when the relative objective change over
        ``checkpoint`` steps is ``<= tol``.
    floor : (d,) lower bounds of the scales (the paper's s0).
    prox : bool, take proximal (soft-threshold) steps for the L1 term instead of its
        subgradient.
    max_restarts : int, restarts allowed per stage when the iterate leaves the domain.

    Returns
    -------
    status : int, a ``STATUS_*`` code.
    n_iter : int, Adam steps over the whole path (restarted attempts included).
    stage_iter : (T,) int64, steps of the accepted attempt of each stage.
    s_used : (T,) float64, the log-det parameter each stage finished with.
    """
    d = W.shape[0]
    T = s_schedule.shape[0]
    s_used = s_schedule.copy()
    stage_iter = np.zeros(T, dtype=np.int64)
    R = np.empty((d, d))
    m = np.empty((d, d))
    v = np.empty((d, d))
    direction = np.empty((d, d))
    W_try = np.empty((d, d))
    sigma_try = np.empty(d)
    mu = mu_init
    n_iter = 0
    status = STATUS_CONVERGED
    for k in range(T):
        cap = last_iter if k == T - 1 else warm_iter
        lr_k = lr
        restarts = 0
        while True:
            _copy_into(W, W_try, sigma, sigma_try)
            code, it = _stage(C, W_try, sigma_try, variance, lam, mask, pen, mu, s_used[k],
                              lr_k, beta1, beta2, eps, cap, tol, checkpoint, floor, prox,
                              R, m, v, direction)
            n_iter += it
            if code != 1:
                break
            restarts += 1
            if restarts > max_restarts:
                return STATUS_RESTARTS, n_iter, stage_iter, s_used
            lr_k *= 0.5
            s_used[k] += 0.1
        _copy_into(W_try, W, sigma_try, sigma)
        stage_iter[k] = it
        if code == 2:
            status = STATUS_LR_UNDERFLOW
        elif code == 3 and k == T - 1 and status == STATUS_CONVERGED:
            status = STATUS_MAX_ITER
        mu *= mu_factor
    return status, n_iter, stage_iter, s_used
