"""numba.cuda kernels for masked MLP training and mask computation.

Imported lazily (only for ``device="cuda"`` or :func:`sparsestat.nn.cuda_selftest`).
Kernels:

* ``_matmul_tiled``: ``C = op(A) @ op(B)`` in 16x16 shared-memory tiles, with the mask
  applied to ``B`` (forward ``A @ (W * M)``, input gradient ``D @ (W * M)^T``) or to
  ``C`` (weight gradient ``(A^T D) * M``).
* ``_nm_mask_kernel``: N:M mask, one thread per (group, output unit).
* ``_count_above`` + ``_threshold_mask``: magnitude pruning by bisection on the
  threshold (count of ``|w| > t`` by atomic adds), then the mask.

Under ``NUMBA_ENABLE_CUDASIM=1`` the same kernels run on numba's CPU simulator (slow:
keep launches small). The epoch driver keeps data, weights and optimizer state on the
device for the whole epoch; it mirrors :func:`sparsestat._engine.families._mlp.run_epoch` for the
hard-mask (0) and N:M (1) modes and hands the other modes to the CPU kernel.
"""

import math

import numpy as np
from numba import cuda

from ._masks import topk_mask
from ._mlp import _batch_loss, layer_offsets, run_epoch

__all__ = ["masked_matmul", "masked_grad_weight", "masked_grad_input", "nm_mask_cuda",
           "magnitude_mask_cuda", "run_epoch_cuda", "TPB"]

TPB = 16


@cuda.jit
def _matmul_tiled(A, B, C, M, trans_a, trans_b, mask_where):
    sA = cuda.shared.array((TPB, TPB), dtype=np.float64)
    sB = cuda.shared.array((TPB, TPB), dtype=np.float64)
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    i = cuda.blockIdx.y * TPB + ty  # row of C
    j = cuda.blockIdx.x * TPB + tx  # column of C
    n = C.shape[0]
    p = C.shape[1]
    q = A.shape[0] if trans_a else A.shape[1]
    acc = 0.0
    for t in range((q + TPB - 1) // TPB):
        ka = t * TPB + tx
        if i < n and ka < q:
            sA[ty, tx] = A[ka, i] if trans_a else A[i, ka]
        else:
            sA[ty, tx] = 0.0
        kb = t * TPB + ty
        if j < p and kb < q:
            if trans_b:
                v = B[j, kb]
                if mask_where == 1:
                    v *= M[j, kb]
            else:
                v = B[kb, j]
                if mask_where == 1:
                    v *= M[kb, j]
            sB[ty, tx] = v
        else:
            sB[ty, tx] = 0.0
        cuda.syncthreads()
        for k in range(TPB):
            acc += sA[ty, k] * sB[k, tx]
        cuda.syncthreads()
    if i < n and j < p:
        if mask_where == 2:
            acc *= M[i, j]
        C[i, j] = acc


def _launch_matmul(A, B, M, trans_a, trans_b, mask_where, shape):
    C = cuda.device_array(shape, dtype=np.float64)
    grid = (math.ceil(shape[1] / TPB), math.ceil(shape[0] / TPB))
    _matmul_tiled[grid, (TPB, TPB)](cuda.to_device(np.ascontiguousarray(A)),
                                    cuda.to_device(np.ascontiguousarray(B)), C,
                                    cuda.to_device(np.ascontiguousarray(M)),
                                    trans_a, trans_b, mask_where)
    return C.copy_to_host()


def masked_matmul(A, W, M):
    """``A @ (W * M)`` on the GPU."""
    return _launch_matmul(A, W, M, False, False, 1, (A.shape[0], W.shape[1]))


def masked_grad_weight(A, D, M):
    """``(A.T @ D) * M`` on the GPU."""
    return _launch_matmul(A, D, M, True, False, 2, (A.shape[1], D.shape[1]))


def masked_grad_input(D, W, M):
    """``D @ (W * M).T`` on the GPU."""
    return _launch_matmul(D, W, M, False, True, 1, (D.shape[0], W.shape[0]))


@cuda.jit
def _nm_mask_kernel(W, out, n, m):
    idx = cuda.grid(1)
    n_in = W.shape[0]
    n_out = W.shape[1]
    n_groups = (n_in + m - 1) // m
    if idx >= n_groups * n_out:
        return
    g = idx // n_out
    j = idx % n_out
    g0 = g * m
    g1 = min(g0 + m, n_in)
    for i in range(g0, g1):
        a = abs(W[i, j])
        rank = 0
        for q in range(g0, g1):
            b = abs(W[q, j])
            if b > a or (b == a and q < i):
                rank += 1
        out[i, j] = 1.0 if rank < n else 0.0


def nm_mask_cuda(W, n, m):
    """N:M mask on the GPU (same tie-breaking and padding as the CPU kernel)."""
    W = np.ascontiguousarray(W, dtype=np.float64)
    out = cuda.device_array(W.shape, dtype=np.float64)
    total = -(-W.shape[0] // m) * W.shape[1]
    threads = 64
    _nm_mask_kernel[-(-total // threads), threads](cuda.to_device(W), out, n, m)
    return out.copy_to_host()


@cuda.jit
def _count_above(w, t, counter):
    start = cuda.grid(1)
    stride = cuda.gridsize(1)
    c = 0
    for i in range(start, w.size, stride):
        if abs(w[i]) > t:
            c += 1
    cuda.atomic.add(counter, 0, c)


@cuda.jit
def _threshold_mask(w, t, out):
    i = cuda.grid(1)
    if i < w.size:
        out[i] = 1.0 if abs(w[i]) > t else 0.0


def magnitude_mask_cuda(W, n_keep, *, threads=32, blocks=1, max_iter=200):
    """Keep the ``n_keep`` largest ``|w|``: bisection on the threshold on the GPU.

    Ties at the threshold cannot be split by a threshold; then the CPU kernel (which
    breaks ties by position) decides.
    """
    W = np.ascontiguousarray(W, dtype=np.float64)
    flat = W.ravel()
    if n_keep <= 0 or n_keep >= flat.size:
        return np.full(W.shape, 1.0 if n_keep > 0 else 0.0)
    d_w = cuda.to_device(flat)
    counter = cuda.device_array(1, dtype=np.int64)
    lo, hi = 0.0, float(np.abs(flat).max())
    t = None
    if np.count_nonzero(flat) > n_keep:
        for _ in range(max_iter):
            mid = 0.5 * (lo + hi)
            counter.copy_to_device(np.zeros(1, dtype=np.int64))
            _count_above[blocks, threads](d_w, mid, counter)
            c = int(counter.copy_to_host()[0])
            if c == n_keep:
                t = mid
                break
            if c > n_keep:
                lo = mid
            else:
                hi = mid
            if mid in (lo, hi):  # interval collapsed to adjacent floats: a tie
                break
    if t is None:
        return topk_mask(W, n_keep)
    out = cuda.device_array(flat.size, dtype=np.float64)
    _threshold_mask[-(-flat.size // threads), threads](d_w, t, out)
    return out.copy_to_host().reshape(W.shape)


@cuda.jit(device=True)
def _act_scalar(x, code):
    if code == 1:
        if x >= 0:
            return 1.0 / (1.0 + math.exp(-x))
        e = math.exp(x)
        return e / (1.0 + e)
    if code == 2:
        return math.tanh(x)
    if code == 3:
        return x if x > 0 else 0.0
    return x


@cuda.jit
def _gather_rows(src, order, start, dst):
    i = cuda.grid(1)
    n = dst.shape[0]
    k = dst.shape[1]
    if i < n * k:
        r = i // k
        dst[r, i % k] = src[order[start + r], i % k]


@cuda.jit
def _gather_1d(src, order, start, dst):
    i = cuda.grid(1)
    if i < dst.size:
        dst[i] = src[order[start + i]]


@cuda.jit
def _forward_weights(coef, mask, beta, out):
    i = cuda.grid(1)
    if i < coef.size:
        out[i] = coef[i] * (mask[i] + (1.0 - mask[i]) * beta)


@cuda.jit
def _bias_activation(Z, b, code):
    i = cuda.grid(1)
    n = Z.shape[0]
    k = Z.shape[1]
    if i < n * k:
        r = i // k
        j = i % k
        Z[r, j] = _act_scalar(Z[r, j] + b[j], code)


@cuda.jit
def _softmax_rows(Z):
    r = cuda.grid(1)
    if r < Z.shape[0]:
        k = Z.shape[1]
        mx = Z[r, 0]
        for j in range(1, k):
            mx = max(mx, Z[r, j])
        s = 0.0
        for j in range(k):
            Z[r, j] = math.exp(Z[r, j] - mx)
            s += Z[r, j]
        for j in range(k):
            Z[r, j] /= s


@cuda.jit
def _output_delta(P, Y, w, D):
    i = cuda.grid(1)
    n = P.shape[0]
    k = P.shape[1]
    if i < n * k:
        r = i // k
        j = i % k
        D[r, j] = (P[r, j] - Y[r, j]) * w[r]


@cuda.jit
def _activation_back(A, D, code):
    i = cuda.grid(1)
    n = A.shape[0]
    k = A.shape[1]
    if i < n * k:
        r = i // k
        j = i % k
        a = A[r, j]
        if code == 1:
            D[r, j] *= a * (1.0 - a)
        elif code == 2:
            D[r, j] *= 1.0 - a * a
        elif code == 3:
            if a <= 0:
                D[r, j] = 0.0


@cuda.jit
def _column_sums(D, out, scale):
    j = cuda.grid(1)
    if j < D.shape[1]:
        s = 0.0
        for r in range(D.shape[0]):
            s += D[r, j]
        out[j] = s / scale


@cuda.jit
def _sum_squares(x, out):
    start = cuda.grid(1)
    stride = cuda.gridsize(1)
    s = 0.0
    for i in range(start, x.size, stride):
        s += x[i] * x[i]
    cuda.atomic.add(out, 0, s)


@cuda.jit
def _optimizer_step(p, g, mask, m1, m2, kind, mode, solver, wsum, alpha, lam_w, lr, lr_t,
                    beta1, beta2, eps, momentum, nesterov):
    """One SGD / Adam step; ``kind`` 0: weights (raw ``A^T D`` in ``g``), 1: biases."""
    i = cuda.grid(1)
    if i >= p.size:
        return
    if kind == 0:
        gi = g[i] / wsum
        if mode == 1:
            gi += lam_w * (1.0 - mask[i]) * p[i] + alpha * p[i] / wsum
        else:
            gi = (gi + alpha * p[i] / wsum) * mask[i]
    else:
        gi = g[i]
    if solver == 1:
        m1[i] = beta1 * m1[i] + (1.0 - beta1) * gi
        m2[i] = beta2 * m2[i] + (1.0 - beta2) * gi * gi
        p[i] -= lr_t * m1[i] / (math.sqrt(m2[i]) + eps)
    else:
        m1[i] = momentum * m1[i] - lr * gi
        if nesterov > 0:
            p[i] += momentum * m1[i] - lr * gi
        else:
            p[i] += m1[i]
    if kind == 0 and mode == 0 and mask[i] == 0.0:
        p[i] = 0.0
        m1[i] = 0.0
        m2[i] = 0.0


def _blocks(n, threads=128):
    return max(1, -(-n // threads)), threads


def run_epoch_cuda(X, Y, sw, order, coef, intercept, mask, aux, sizes, hidden_act, out_act,
                   solver, hp, mom_w, sq_w, mom_b, sq_b, step, batch_size, mode, mp):
    """:func:`sparsestat._engine.families._mlp.run_epoch` on the GPU, data and state resident.

    The training data, weights, masks and optimizer state are copied to the device once
    per epoch; every batch runs there (gather, tiled masked matmuls, activations,
    gradients, the optimizer step, N:M masks). Only the output probabilities come back
    per batch, for the loss. Modes other than 0 (fixed mask) and 1 (N:M) run on the CPU
    kernel.
    """
    if mode not in (0, 1):
        return run_epoch(X, Y, sw, order, coef, intercept, mask, aux, sizes, hidden_act,
                         out_act, solver, hp, mom_w, sq_w, mom_b, sq_b, step, batch_size,
                         mode, mp)
    lr, beta1, beta2, eps, alpha, momentum, nesterov = (float(v) for v in hp)
    w_off, b_off = layer_offsets(sizes)
    n_layers = sizes.size - 1
    n = order.size
    d_X, d_Y, d_sw = cuda.to_device(X), cuda.to_device(Y), cuda.to_device(sw)
    d_order = cuda.to_device(np.ascontiguousarray(order, dtype=np.int64))
    d_coef, d_icpt, d_mask = cuda.to_device(coef), cuda.to_device(intercept), \
        cuda.to_device(mask)
    d_mw, d_vw, d_mb, d_vb = (cuda.to_device(a) for a in (mom_w, sq_w, mom_b, sq_b))
    d_weff = cuda.device_array(coef.size)
    d_gw = cuda.device_array(coef.size)
    d_gb = cuda.device_array(intercept.size)
    d_sq = cuda.device_array(1)
    beta = float(mp[3]) if mode == 1 else 0.0

    def view(buf, l):
        return buf[w_off[l]:w_off[l + 1]].reshape((sizes[l], sizes[l + 1]))

    total = 0.0
    for start in range(0, n, batch_size):
        nb = min(batch_size, n - start)
        idx = order[start:start + nb]
        wb_host = sw[idx]
        wsum = float(wb_host.sum())
        if mode == 1:
            for l in range(n_layers):
                groups = -(-int(sizes[l]) // int(mp[1])) * int(sizes[l + 1])
                _nm_mask_kernel[_blocks(groups, 64)](view(d_coef, l), view(d_mask, l),
                                                     int(mp[0]), int(mp[1]))
        if wsum <= 0.0:
            continue
        _forward_weights[_blocks(coef.size)](d_coef, d_mask, beta, d_weff)
        d_A0 = cuda.device_array((nb, int(sizes[0])))
        _gather_rows[_blocks(d_A0.size)](d_X, d_order, start, d_A0)
        d_Yb = cuda.device_array((nb, int(sizes[-1])))
        _gather_rows[_blocks(d_Yb.size)](d_Y, d_order, start, d_Yb)
        d_wb = cuda.device_array(nb)
        _gather_1d[_blocks(nb)](d_sw, d_order, start, d_wb)
        acts = [d_A0]
        for l in range(n_layers):
            k = int(sizes[l + 1])
            Z = cuda.device_array((nb, k))
            _matmul_tiled[(-(-k // TPB), -(-nb // TPB)), (TPB, TPB)](
                acts[l], view(d_weff, l), Z, Z, False, False, 0)
            last = l == n_layers - 1
            code = hidden_act if not last else (out_act if out_act != 2 else 0)
            _bias_activation[_blocks(Z.size)](Z, d_icpt[b_off[l]:b_off[l + 1]], code)
            if last and out_act == 2:
                _softmax_rows[_blocks(nb, 32)](Z)
            acts.append(Z)
        P = acts[-1].copy_to_host()
        d_sq.copy_to_device(np.zeros(1))
        _sum_squares[4, 128](d_coef, d_sq)
        sq = float(d_sq.copy_to_host()[0])
        loss = _batch_loss(P, np.ascontiguousarray(Y[idx]), np.ascontiguousarray(wb_host),
                           out_act) + 0.5 * alpha * sq / wsum
        total += loss * nb
        delta = cuda.device_array(P.shape)
        _output_delta[_blocks(delta.size)](acts[-1], d_Yb, d_wb, delta)
        for l in range(n_layers - 1, -1, -1):
            k_in, k_out = int(sizes[l]), int(sizes[l + 1])
            _matmul_tiled[(-(-k_out // TPB), -(-k_in // TPB)), (TPB, TPB)](
                acts[l], delta, view(d_gw, l), delta, True, False, 0)
            _column_sums[_blocks(k_out, 32)](delta, d_gb[b_off[l]:b_off[l + 1]], wsum)
            if l > 0:
                prev = cuda.device_array((nb, k_in))
                _matmul_tiled[(-(-k_in // TPB), -(-nb // TPB)), (TPB, TPB)](
                    delta, view(d_weff, l), prev, prev, False, True, 0)
                _activation_back[_blocks(prev.size)](acts[l], prev, hidden_act)
                delta = prev
        step[0] += 1
        t = int(step[0])
        lr_t = lr * np.sqrt(1.0 - beta2 ** t) / (1.0 - beta1 ** t)
        lam_w = float(mp[2]) if mode == 1 else 0.0
        _optimizer_step[_blocks(coef.size)](d_coef, d_gw, d_mask, d_mw, d_vw, 0, mode, solver,
                                            wsum, alpha, lam_w, lr, lr_t, beta1, beta2, eps,
                                            momentum, nesterov)
        _optimizer_step[_blocks(intercept.size)](d_icpt, d_gb, d_mask, d_mb, d_vb, 1, mode,
                                                 solver, wsum, alpha, lam_w, lr, lr_t, beta1,
                                                 beta2, eps, momentum, nesterov)
    for d, h in ((d_coef, coef), (d_icpt, intercept), (d_mask, mask), (d_mw, mom_w),
                 (d_vw, sq_w), (d_mb, mom_b), (d_vb, sq_b)):
        d.copy_to_host(h)
    return total / n
