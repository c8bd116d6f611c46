"""CoLiDE / DAGMA path following for linear DAG learning.

CoLiDE (Saboksayr, Mateos and Tepper, ICLR 2024) minimizes, stage after stage,

    mu_k * (S(W, sigma) + lam * ||pen o W||_1) + h_{s_k}(W)

where ``S`` is the concomitant least-squares score with a jointly estimated noise scale
(equal variance, one ``sigma``; or non-equal variance, one ``sigma_j`` per node) and
``h_s(W) = -log det(s I - W o W) + d log s`` is DAGMA's log-det acyclicity function.
Everything is written in terms of the sample covariance ``C = Xc^T Xc / n`` so a step costs
O(d^3) whatever n.

The Adam steps of a stage (with the domain backtracking) run in compiled calls of about
``_interrupt.CHUNK_SECONDS`` each (:func:`_stage_steps`, resumable, so that Ctrl-C is
acted on within a second); :func:`colide_path` strings the stages and restarts together
in Python, a few calls per stage. The kernels take plain arrays and scalars only (numba
caches them on disk).

Variance codes: ``EQUAL_VARIANCE = 0`` (one scale), ``NON_EQUAL_VARIANCE = 1`` (per node).
"""

import numpy as np

from .._colops import copy_into_2d
from .._interrupt import run_in_chunks
from .._numba import jit

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

# The hot kernels use ``error_model="numpy"``: numba's default Python error model puts a
# zero-division check on every ``/``, and that branch stops LLVM from vectorizing loops.
# Every division here has a positive divisor (Adam's eps, a checked pivot).

_DOMAIN_EPS = 1e-16  # the authors' code adds 1e-16 to (sI - W o W)^{-1} ...
_DOMAIN_TOL = 1e-6   # ... and leaves the domain when an entry falls below -1e-6


@jit(error_model="numpy")
def residual_products(C, W, R):
    """``R = C (I - W)``, the only product of C the score needs (one BLAS gemm)."""
    np.dot(C, W, R)
    d = W.shape[0]
    for i in range(d):
        for j in range(d):
            R[i, j] = C[i, j] - R[i, j]


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


@jit(error_model="numpy")
def _residual_diagonal(W, R, q):
    """``q_j = ((I - W)^T C (I - W))_jj = R_jj - sum_i W_ij R_ij`` with ``R = C (I - W)``.

    Accumulated row by row so the inner loop runs along contiguous rows (vectorized).
    """
    d = W.shape[0]
    for j in range(d):
        q[j] = R[j, j]
    for i in range(d):
        for j in range(d):
            q[j] -= W[i, j] * R[i, j]


@jit
def profile_sigma(W, R, variance, floor, sigma):
    """Closed-form scales minimizing ``S`` over sigma, clipped below at ``floor``.

    Equal variance: ``sigma = sqrt(tr((I - W)^T C (I - W)) / d)`` (every entry of
    ``sigma`` set to it). Non-equal variance: ``sigma_j = sqrt(((I - W)^T C (I - W))_jj)``.
    """
    d = W.shape[0]
    q = np.empty(d)
    _residual_diagonal(W, R, q)
    total = 0.0
    for j in range(d):
        qj = max(q[j], 0.0)
        if variance == NON_EQUAL_VARIANCE:
            sigma[j] = max(np.sqrt(qj), floor[j])
        total += qj
    if variance == EQUAL_VARIANCE:
        s = max(np.sqrt(total / d), floor[0])
        for j in range(d):
            sigma[j] = s


@jit
def score_value(W, R, sigma, variance):
    """Smooth part of the CoLiDE score, ``S(W, sigma)`` without the L1 term."""
    d = W.shape[0]
    q = np.empty(d)
    _residual_diagonal(W, R, q)
    value = 0.0
    for j in range(d):
        value += 0.5 * q[j] / sigma[j]
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


# Beyond this size LAPACK's blocked inverse beats the two-pivot Gauss-Jordan sweep below
# (measured, one thread: d = 50 16 us vs 35 us, d = 100 129 us vs 150 us, d = 200 see
# benchmarks/bench_colide.py).
_GAUSS_JORDAN_MAX_D = 128


@jit(fastmath={"contract"}, error_model="numpy")
def _invert_z_matrix(M, z0, z1, c0, c1):
    """Invert the Z-matrix ``M`` in place by Gauss-Jordan elimination without pivoting.

    Returns False as soon as a pivot is not positive. For a Z-matrix (off-diagonal
    entries <= 0, as in ``sI - W o W``) the pivots are ratios of leading principal minors,
    all positive exactly when M is a nonsingular M-matrix, which is exactly when its
    inverse is entrywise nonnegative: DAGMA's domain. Elimination without pivoting is
    stable on M-matrices. Two pivots per sweep so the rank-2 update reads and writes M
    once for two eliminations; at small d this beats LAPACK's getrf + getri, whose
    unblocked paths run level-2 BLAS there. ``z0, z1, c0, c1`` are (d,) scratch rows.
    """
    d = M.shape[0]
    k = 0
    while k < d:
        if k == d - 1:  # odd d: one last single pivot
            piv = M[k, k]
            if not piv > 0.0:
                return False
            inv = 1.0 / piv
            for j in range(d):
                z0[j] = M[k, j] * inv
                c0[j] = M[j, k]
                M[j, k] = 0.0
            z0[k] = inv
            c0[k] = 0.0
            for i in range(d):
                a0 = c0[i]
                for j in range(d):
                    M[i, j] -= a0 * z0[j]
            for j in range(d):
                M[k, j] = z0[j]
            return True
        a = M[k, k]
        b = M[k, k + 1]
        c = M[k + 1, k]
        e = M[k + 1, k + 1]
        if not a > 0.0:
            return False
        second = e - c * b / a
        if not second > 0.0:
            return False
        det = a * second
        p00 = e / det
        p01 = -b / det
        p10 = -c / det
        p11 = a / det
        # the two new pivot rows: P @ M[k:k+2, :], with P = inverse of the 2 x 2 block
        for j in range(d):
            m0 = M[k, j]
            m1 = M[k + 1, j]
            z0[j] = p00 * m0 + p01 * m1
            z1[j] = p10 * m0 + p11 * m1
            c0[j] = M[j, k]
            c1[j] = M[j, k + 1]
            M[j, k] = 0.0
            M[j, k + 1] = 0.0
        z0[k] = p00
        z0[k + 1] = p01
        z1[k] = p10
        z1[k + 1] = p11
        c0[k] = 0.0
        c0[k + 1] = 0.0
        c1[k] = 0.0
        c1[k + 1] = 0.0
        for i in range(d):
            a0 = c0[i]
            a1 = c1[i]
            for j in range(d):
                M[i, j] -= a0 * z0[j] + a1 * z1[j]
        for j in range(d):
            M[k, j] = z0[j]
            M[k + 1, j] = z1[j]
        k += 2
    return True


@jit(error_model="numpy")
def _domain_inverse_t(W, s, MT, z0, z1, c0, c1):
    """``MT = (sI - W o W)^{-T}`` in place; False when W is outside the domain of ``h_s``.

    The transpose is what the gradient ``2 W o (sI - W o W)^{-T}`` reads, so inverting
    ``(sI - W o W)^T`` gives it with rows in memory order. The authors' entrywise test
    (``M + 1e-16 >= -1e-6``) is kept on top of the pivot test.
    """
    d = W.shape[0]
    for i in range(d):
        for j in range(d):
            MT[i, j] = -W[j, i] * W[j, i]
        MT[i, i] += s
    if d <= _GAUSS_JORDAN_MAX_D:
        if not _invert_z_matrix(MT, z0, z1, c0, c1):
            return False
    else:
        copy_into_2d(MT, np.linalg.inv(MT))  # (a slice copy compiles numba's shape-error text)
    bad = False
    for i in range(d):
        for j in range(d):
            bad |= MT[i, j] + _DOMAIN_EPS < -_DOMAIN_TOL
    return not bad


@jit(error_model="numpy")
def _adam_subgradient_step(W, R, MT, scaled, mask, pen, mu_lam, m, v, direction,
                           beta1, beta2, c1, c2, eps, lr):
    """One Adam step on the stage objective with the L1 subgradient ``sign(W)``.

    Branch-free so the loop vectorizes: masked entries get a zero gradient, hence zero
    moments and a zero step, exactly as if they were skipped.
    """
    d = W.shape[0]
    for i in range(d):
        for j in range(d):
            w = W[i, j]
            sign = (1.0 if w > 0.0 else 0.0) - (1.0 if w < 0.0 else 0.0)
            g = (-R[i, j] * scaled[j] + 2.0 * w * (MT[i, j] + _DOMAIN_EPS)
                 + mu_lam * pen[i, j] * sign) * mask[i, j]
            mij = beta1 * m[i, j] + (1.0 - beta1) * g
            vij = beta2 * v[i, j] + (1.0 - beta2) * g * g
            m[i, j] = mij
            v[i, j] = vij
            step = mij * c1 / (np.sqrt(vij * c2) + eps)
            direction[i, j] = step
            W[i, j] = w - lr * step


@jit(error_model="numpy")
def _adam_prox_step(W, R, MT, scaled, mask, pen, mu_lam, m, v, direction,
                    beta1, beta2, c1, c2, eps, lr):
    """One Adam step on the smooth part, then the L1 prox in Adam's diagonal metric."""
    d = W.shape[0]
    for i in range(d):
        for j in range(d):
            if mask[i, j] == 0.0:
                direction[i, j] = 0.0
                continue
            w = W[i, j]
            g = -R[i, j] * scaled[j] + 2.0 * w * (MT[i, j] + _DOMAIN_EPS)
            m[i, j] = beta1 * m[i, j] + (1.0 - beta1) * g
            v[i, j] = beta2 * v[i, j] + (1.0 - beta2) * g * g
            denom = np.sqrt(v[i, j] * c2) + eps
            new = w - lr * m[i, j] * c1 / denom
            thr = lr * mu_lam * pen[i, j] / denom
            if new > thr:
                new -= thr
            elif new < -thr:
                new += thr
            else:
                new = 0.0
            direction[i, j] = (w - new) / lr
            W[i, j] = new


# ``_stage_steps`` state vector: steps done, last checkpoint objective, beta1^t, beta2^t and
# the learning rate (halved by the domain backtracking), so that a stage resumes exactly
_ST_IT, _ST_OBJ, _ST_B1T, _ST_B2T, _ST_LR = 0, 1, 2, 3, 4
_BUDGET_SPENT = 4  # a stage that stopped at its step budget, to be resumed


def _stage_state(lr):
    """The state of a stage before its first step (Adam's moments are zeroed separately)."""
    return np.array([0.0, 1e16, 1.0, 1.0, lr])


@jit
def _stage_steps(C, W, sigma, variance, lam, mask, pen, mu, s, beta1, beta2, eps,
                 max_iter, tol, checkpoint, floor, prox, R, m, v, direction, MT, z0, z1,
                 c0, c1, scaled, state, budget):
    """Up to ``budget`` Adam steps of one stage from ``W`` (in place); resumable.

    ``state`` (see ``_ST_*``), ``R = C (I - W)``, ``sigma``, the moments ``m, v`` and the
    last ``direction`` carry over between calls, so a stage run in several calls takes
    exactly the steps of one call. A fresh stage has ``state = _stage_state(lr)``.
    Returns ``(status, n_iter)``: status 0: converged, 1: left the domain, restart the
    stage, 2: learning rate underflow (kept as done, as in the authors' code), 3: step cap
    hit, 4: ``budget`` spent (call again); ``n_iter`` counts the stage's steps so far.
    """
    d = W.shape[0]
    done = int(state[_ST_IT])
    if done == 0:
        m.fill(0.0)
        v.fill(0.0)
        direction.fill(0.0)
        residual_products(C, W, R)
    obj_prev = state[_ST_OBJ]
    b1t = state[_ST_B1T]
    b2t = state[_ST_B2T]
    lr = state[_ST_LR]
    mu_lam = mu * lam
    last = min(max_iter, done + budget)
    for it in range(done + 1, last + 1):
        while not _domain_inverse_t(W, s, MT, z0, z1, c0, c1):
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
        bias1 = 1.0 / (1.0 - b1t)
        bias2 = 1.0 / (1.0 - b2t)
        for j in range(d):
            scaled[j] = mu / sigma[j]
        if prox:
            _adam_prox_step(W, R, MT, scaled, mask, pen, mu_lam, m, v, direction,
                            beta1, beta2, bias1, bias2, eps, lr)
        else:
            _adam_subgradient_step(W, R, MT, scaled, mask, pen, mu_lam, m, v, direction,
                                   beta1, beta2, bias1, bias2, eps, lr)
        residual_products(C, W, R)
        profile_sigma(W, R, variance, floor, sigma)
        if it % checkpoint == 0 or it == max_iter:
            obj_new = objective(C, W, sigma, variance, lam, pen, mu, s)
            if abs((obj_prev - obj_new) / obj_prev) <= tol:
                return 0, it
            obj_prev = obj_new
    state[_ST_IT] = last
    state[_ST_OBJ] = obj_prev
    state[_ST_B1T] = b1t
    state[_ST_B2T] = b2t
    state[_ST_LR] = lr
    return (3 if last == max_iter else _BUDGET_SPENT), last


def colide_path(C, W, sigma, variance, lam, mask, pen, mu_init, mu_factor, s_schedule,
                lr, beta1, beta2, eps, warm_iter, last_iter, tol, checkpoint, floor,
                prox, max_restarts):
    """Run CoLiDE's path following from ``W`` and ``sigma`` (both updated in place).

    The stages' Adam steps run in compiled calls of about ``_interrupt.CHUNK_SECONDS``
    each (so that Ctrl-C is acted on); the state carries over between calls, so the
    result is the same, bit for bit, as running every stage in one call.

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
    s_used = np.array(s_schedule, dtype=np.float64)
    stage_iter = np.zeros(T, dtype=np.int64)
    R, m, v, direction, MT = (np.empty((d, d)) for _ in range(5))
    z0, z1, c0, c1, scaled = (np.empty(d) for _ in range(5))
    W_try = np.empty((d, d))
    sigma_try = np.empty(d)
    mu = float(mu_init)
    n_iter = 0
    status = STATUS_CONVERGED
    for k in range(T):
        cap = int(last_iter if k == T - 1 else warm_iter)
        lr_k = float(lr)
        restarts = 0
        while True:
            W_try[:, :] = W
            sigma_try[:] = sigma
            state = _stage_state(lr_k)
            outcome = [1, 0]

            def step(budget, state=state, outcome=outcome, mu=mu, s=s_used[k], cap=cap):
                code, it = _stage_steps(
                    C, W_try, sigma_try, variance, lam, mask, pen, mu, s, beta1, beta2,
                    eps, cap, tol, checkpoint, floor, prox, R, m, v, direction, MT, z0,
                    z1, c0, c1, scaled, state, int(budget))
                n_done = it - outcome[1]
                outcome[:] = [code, it]
                return n_done, code != _BUDGET_SPENT

            run_in_chunks(step, cap, 3 * d ** 3, resumable=True)
            code, it = outcome
            n_iter += it
            if code != 1:
                break
            restarts += 1
            if restarts > max_restarts:
                return STATUS_RESTARTS, n_iter, stage_iter, s_used
            lr_k *= 0.5
            s_used[k] += 0.1
        W[:, :] = W_try
        sigma[:] = sigma_try
        stage_iter[k] = it
        if code == 2:
            status = STATUS_LR_UNDERFLOW
        elif code == 3 and k == T - 1 and status == STATUS_CONVERGED:
            status = STATUS_MAX_ITER
        mu *= mu_factor
    return status, n_iter, stage_iter, s_used
