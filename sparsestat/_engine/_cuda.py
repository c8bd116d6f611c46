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
keep launches small). The epoch driver keeps the elementwise work (activations, loss,
optimizer) on the host; it mirrors :func:`sparsestat._engine._mlp.run_epoch` for the
hard-mask (0) and N:M (1) modes and hands the other modes to the CPU kernel.
"""

import math

import numpy as np
from numba import cuda

from ._masks import topk_mask
from ._mlp import _activate, _activation_backward, _batch_loss, _output, layer_offsets, \
    run_epoch

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


def run_epoch_cuda(X, Y, sw, order, coef, intercept, mask, aux, sizes, hidden_act, out_act,
                   solver, hp, mom_w, sq_w, mom_b, sq_b, step, batch_size, mode, mp):
    """:func:`sparsestat._engine._mlp.run_epoch` with the matmuls and masks on the GPU."""
    if mode not in (0, 1):
        return run_epoch(X, Y, sw, order, coef, intercept, mask, aux, sizes, hidden_act, out_act,
                         solver, hp, mom_w, sq_w, mom_b, sq_b, step, batch_size, mode, mp)
    lr, beta1, beta2, eps, alpha, momentum, nesterov = hp
    w_off, b_off = layer_offsets(sizes)
    n_layers = sizes.size - 1

    def W_(buf, l):
        return buf[w_off[l]:w_off[l + 1]].reshape(sizes[l], sizes[l + 1])

    n = order.size
    total = 0.0
    for start in range(0, n, batch_size):
        idx = order[start:start + batch_size]
        nb = idx.size
        if mode == 1:
            for l in range(n_layers):
                mask[w_off[l]:w_off[l + 1]] = nm_mask_cuda(W_(coef, l), int(mp[0]),
                                                           int(mp[1])).ravel()
            fwd = mask + (1.0 - mask) * mp[3]
        else:
            fwd = mask
        acts = [np.ascontiguousarray(X[idx])]
        for l in range(n_layers):
            Z = masked_matmul(acts[l], W_(coef, l), W_(fwd, l))
            Z += intercept[b_off[l]:b_off[l + 1]]
            if l == n_layers - 1:
                _output(Z, out_act)
            else:
                _activate(Z, hidden_act)
            acts.append(Z)
        Yb = np.ascontiguousarray(Y[idx])
        wb = np.ascontiguousarray(sw[idx])
        wsum = wb.sum()
        if wsum <= 0.0:
            continue
        total += (_batch_loss(acts[-1], Yb, wb, out_act)
                  + 0.5 * alpha * float(coef @ coef) / wsum) * nb
        delta = (acts[-1] - Yb) * wb[:, None]
        gw = np.empty_like(coef)
        gb = np.empty_like(intercept)
        ones = np.ones_like(coef)
        for l in range(n_layers - 1, -1, -1):
            gm = W_(ones if mode == 1 else fwd, l)
            gw[w_off[l]:w_off[l + 1]] = (masked_grad_weight(acts[l], delta, gm) / wsum).ravel()
            gb[b_off[l]:b_off[l + 1]] = delta.sum(axis=0) / wsum
            if l > 0:
                delta = masked_grad_input(delta, W_(coef, l), W_(fwd, l))
                _activation_backward(acts[l], delta, hidden_act)
        if mode == 1:
            gw += mp[2] * (1.0 - mask) * coef + alpha * coef / wsum
        else:
            gw = (gw + alpha * coef / wsum) * mask
        step[0] += 1
        t = step[0]
        if solver == 1:
            lr_t = lr * np.sqrt(1.0 - beta2 ** t) / (1.0 - beta1 ** t)
            for p, g, m1, m2 in ((coef, gw, mom_w, sq_w), (intercept, gb, mom_b, sq_b)):
                m1 *= beta1
                m1 += (1.0 - beta1) * g
                m2 *= beta2
                m2 += (1.0 - beta2) * g * g
                p -= lr_t * m1 / (np.sqrt(m2) + eps)
        else:
            for p, g, v in ((coef, gw, mom_w), (intercept, gb, mom_b)):
                v *= momentum
                v -= lr * g
                if nesterov > 0:
                    p += momentum * v - lr * g
                else:
                    p += v
        if mode == 0:
            dead = mask == 0.0
            coef[dead] = 0.0
            mom_w[dead] = 0.0
            sq_w[dead] = 0.0
    return total / n
