"""Compiled multilayer-perceptron kernels with weight masks, for training and inference.

A network is stored flat, in scikit-learn's layout: layer ``l`` has weights
``coef[w_off[l]:w_off[l+1]].reshape(sizes[l], sizes[l+1])`` (forward ``a @ W + b``) and
biases ``intercept[b_off[l]:b_off[l+1]]``. ``mask`` has the shape of ``coef``. One call
of :func:`run_epoch` runs a whole epoch of minibatch SGD or Adam (:func:`run_batches`
a range of its minibatches, :func:`run_epoch_in_chunks` the epoch in calls of ~0.3 s, for
Ctrl-C), with the pruning hook selected by an integer ``mode``:

====  ===================================================================================
mode  what acts, and where
====  ===================================================================================
0     fixed 0/1 mask: forward on ``W * mask``, gradient and Adam moments masked
1     N:M, SR-STE: mask recomputed from ``|W|`` every forward; forward on
      ``W * (mask + (1 - mask) beta)``; dense weights get ``grad + lambda_w (1-mask) W``
2     PDP: soft mask ``sigmoid((W^2 - t^2) / tau)`` on the forward weight, ``t`` from the
      target sparsity every step; the gradient flows through the mask (``t`` held fixed)
3     ISS-P: after each optimizer step the smallest ``p`` fraction of ``|W|`` per layer is
      multiplied by ``alpha``; at step ``freeze`` the mask is frozen (then as mode 0)
4     WGSEF: proximal step ``prox_{lr lam WGSEF_k}`` per hidden layer after each step
====  ===================================================================================

``mp`` carries the mode's parameters (see each branch). Activation codes: 0 identity,
1 logistic, 2 tanh, 3 relu; output codes: 0 identity (squared loss), 1 logistic (binary
log-loss), 2 softmax (log-loss). Solver codes: 0 sgd, 1 adam.
"""

import numpy as np

from .._colops import copy_into
from .._interrupt import run_in_chunks
from ._masks import iss_shrink, nm_mask, pdp_soft_mask, pdp_threshold, wgsef_prox_cols
from .._numba import jit

__all__ = ["layer_offsets", "forward", "run_epoch", "run_batches", "run_epoch_in_chunks",
           "csr_forward_layer", "ACTIVATIONS", "OUTPUTS"]

ACTIVATIONS = {"identity": 0, "logistic": 1, "tanh": 2, "relu": 3}
OUTPUTS = {"identity": 0, "logistic": 1, "softmax": 2}


@jit
def layer_offsets(sizes):
    """Offsets of each layer's weights and biases in the flat arrays."""
    n_layers = sizes.size - 1
    w_off = np.zeros(n_layers + 1, dtype=np.int64)
    b_off = np.zeros(n_layers + 1, dtype=np.int64)
    for l in range(n_layers):
        w_off[l + 1] = w_off[l] + sizes[l] * sizes[l + 1]
        b_off[l + 1] = b_off[l] + sizes[l + 1]
    return w_off, b_off


@jit
def _activate(Z, code):
    flat = Z.ravel()
    if code == 1:
        for i in range(flat.size):
            x = flat[i]
            if x >= 0:
                flat[i] = 1.0 / (1.0 + np.exp(-x))
            else:
                e = np.exp(x)
                flat[i] = e / (1.0 + e)
    elif code == 2:
        for i in range(flat.size):
            flat[i] = np.tanh(flat[i])
    elif code == 3:
        for i in range(flat.size):
            if flat[i] < 0:
                flat[i] = 0.0


@jit
def _output(Z, code):
    if code == 2:
        n, k = Z.shape
        for r in range(n):
            mx = Z[r, 0]
            for j in range(1, k):
                mx = max(mx, Z[r, j])
            s = 0.0
            for j in range(k):
                Z[r, j] = np.exp(Z[r, j] - mx)
                s += Z[r, j]
            for j in range(k):
                Z[r, j] /= s
    else:
        _activate(Z, code)


@jit
def _activation_backward(A, D, code):
    """``D *= f'(z)``, written through the activation value ``A = f(z)``."""
    fa = A.ravel()
    fd = D.ravel()
    if code == 1:
        for i in range(fd.size):
            fd[i] *= fa[i] * (1.0 - fa[i])
    elif code == 2:
        for i in range(fd.size):
            fd[i] *= 1.0 - fa[i] * fa[i]
    elif code == 3:
        for i in range(fd.size):
            if fa[i] <= 0:
                fd[i] = 0.0


@jit
def forward(X, coef, intercept, sizes, hidden_act, out_act, n_run):
    """Activations after ``n_run`` layers (``n_run = len(sizes) - 1``: the output)."""
    w_off, b_off = layer_offsets(sizes)
    n_layers = sizes.size - 1
    A = np.ascontiguousarray(X)
    for l in range(n_run):
        W = coef[w_off[l]:w_off[l + 1]].reshape((sizes[l], sizes[l + 1]))
        Z = np.dot(A, W)
        for r in range(Z.shape[0]):
            for j in range(Z.shape[1]):
                Z[r, j] += intercept[b_off[l] + j]
        if l == n_layers - 1:
            _output(Z, out_act)
        else:
            _activate(Z, hidden_act)
        A = Z
    return A


@jit
def _batch_loss(P, Y, w, out_act):
    """Sample-weighted mean loss of a batch (scikit-learn's definitions)."""
    n, k = P.shape
    tiny = 2.220446049250313e-16
    loss = 0.0
    wsum = 0.0
    for r in range(n):
        wsum += w[r]
    if out_act == 2:
        for r in range(n):
            for j in range(k):
                if Y[r, j] != 0:
                    loss -= w[r] * Y[r, j] * np.log(min(max(P[r, j], tiny), 1.0 - tiny))
        return loss / wsum
    if out_act == 1:
        for r in range(n):
            for j in range(k):
                p = min(max(P[r, j], tiny), 1.0 - tiny)
                loss -= w[r] * (Y[r, j] * np.log(p) + (1.0 - Y[r, j]) * np.log(1.0 - p))
        return loss / wsum
    for r in range(n):
        for j in range(k):
            loss += w[r] * (P[r, j] - Y[r, j]) ** 2
    return loss / (2.0 * wsum * k)


@jit
def run_epoch(X, Y, sw, order, coef, intercept, mask, aux, sizes, hidden_act, out_act, solver,
              hp, mom_w, sq_w, mom_b, sq_b, step, batch_size, mode, mp):
    """One epoch over ``X[order]`` in minibatches; updates everything in place.

    The parameters and the returned loss are those of :func:`run_batches` (over the
    whole of ``order``, the loss divided by ``order.size``).
    """
    total = run_batches(X, Y, sw, order, 0, order.size, 0.0, coef, intercept, mask, aux,
                        sizes, hidden_act, out_act, solver, hp, mom_w, sq_w, mom_b, sq_b,
                        step, batch_size, mode, mp)
    return total / order.size


def run_epoch_in_chunks(X, Y, sw, order, coef, intercept, mask, aux, sizes, hidden_act,
                        out_act, solver, hp, mom_w, sq_w, mom_b, sq_b, step, batch_size,
                        mode, mp):
    """:func:`run_epoch` in compiled calls of about ``_interrupt.CHUNK_SECONDS`` each.

    A long epoch (big data, wide layers) then returns to Python often enough for Ctrl-C
    to be acted on. The minibatches and the running loss carry over between calls, so
    the result is the same, bit for bit, as one :func:`run_epoch` call.
    """
    n = order.size
    pos = [0, 0.0]  # next sample of order, loss summed so far

    def chunk(budget):
        lo = pos[0]
        hi = min(n, lo + budget * batch_size)
        pos[1] = run_batches(X, Y, sw, order, lo, hi, pos[1], coef, intercept, mask, aux,
                             sizes, hidden_act, out_act, solver, hp, mom_w, sq_w, mom_b,
                             sq_b, step, batch_size, mode, mp)
        pos[0] = hi
        return -(-(hi - lo) // batch_size), hi >= n

    # a minibatch: three products of (batch x layer) by the layer's weights
    run_in_chunks(chunk, -(-n // batch_size), 3 * batch_size * coef.size, resumable=True)
    return pos[1] / n


@jit
def run_batches(X, Y, sw, order, lo, hi, total, coef, intercept, mask, aux, sizes,
                hidden_act, out_act, solver, hp, mom_w, sq_w, mom_b, sq_b, step, batch_size,
                mode, mp):
    """The minibatches of ``X[order]`` starting at ``lo, lo + batch_size, ... < hi``.

    Updates everything in place; ``lo`` is a multiple of ``batch_size`` and a batch ends
    at ``min(start + batch_size, order.size)``, so successive calls over ``[0, a)``,
    ``[a, b)``, ... take exactly the steps of one call over ``[0, order.size)``.

    Parameters
    ----------
    sw : float64 array of shape (n_samples,)
        Sample weights: the loss and gradients of a batch are weighted means
        (scikit-learn's convention; all ones gives the plain mean).
    hp : float64 array ``[lr, beta_1, beta_2, epsilon, alpha, momentum, nesterov]``
    mom_w, sq_w, mom_b, sq_b : optimizer state (Adam moments; SGD velocity in ``mom``)
    step : int64 array of length 1, the optimizer step counter
    aux : float64 array like ``coef``; mode 2 stores the last soft mask there
    mp : float64 array of mode parameters
        mode 1: ``[n, m, lambda_w, beta]``; mode 2: ``[sparsity, tau]``;
        mode 3: ``[p, alpha, freeze_step]``; mode 4: ``[lam, k]``.

    lo, hi : int
        The range of ``order`` whose minibatches to run.
    total : float
        The summed loss of the earlier batches of this epoch (0 at its start).

    Returns
    -------
    total : float
        ``total`` plus the training loss of each batch times its size; divided by
        ``order.size`` at the end of the epoch it is the mean training loss over the
        epoch's minibatches, weighted by batch size (scikit-learn's ``loss_curve_``).
    """
    lr, beta1, beta2, eps, alpha, momentum, nesterov = (
        hp[0], hp[1], hp[2], hp[3], hp[4], hp[5], hp[6])
    w_off, b_off = layer_offsets(sizes)
    n_layers = sizes.size - 1
    n = order.size
    n_out = sizes[n_layers]
    weff = np.empty_like(coef)
    gw = np.empty_like(coef)
    gb = np.empty_like(intercept)
    for start in range(lo, hi, batch_size):
        stop = min(start + batch_size, n)
        nb = stop - start
        # forward weights per mode
        if mode == 1:
            nn_, mm, beta = int(mp[0]), int(mp[1]), mp[3]
            for l in range(n_layers):
                W = coef[w_off[l]:w_off[l + 1]].reshape((sizes[l], sizes[l + 1]))
                # (slice copies compile numba's shape-error text: loops instead)
                copy_into(mask[w_off[l]:w_off[l + 1]], nm_mask(W, nn_, mm).ravel())
            for i in range(coef.size):
                weff[i] = coef[i] * (mask[i] + (1.0 - mask[i]) * beta)
        elif mode == 2:
            for l in range(n_layers):
                W = coef[w_off[l]:w_off[l + 1]].reshape((sizes[l], sizes[l + 1]))
                t = pdp_threshold(W, mp[0])
                copy_into(aux[w_off[l]:w_off[l + 1]], pdp_soft_mask(W, t, mp[1]).ravel())
            for i in range(coef.size):
                weff[i] = coef[i] * aux[i]
        else:
            for i in range(coef.size):
                weff[i] = coef[i] * mask[i]
        # forward pass
        Xb = np.empty((nb, sizes[0]))
        Yb = np.empty((nb, n_out))
        wb = np.empty(nb)
        wsum = 0.0
        for r in range(nb):
            copy_into(Xb[r], X[order[start + r]])
            copy_into(Yb[r], Y[order[start + r]])
            wb[r] = sw[order[start + r]]
            wsum += wb[r]
        if wsum <= 0.0:  # a batch of zero-weight samples carries no gradient
            continue
        acts = [Xb]
        for l in range(n_layers):
            W = weff[w_off[l]:w_off[l + 1]].reshape((sizes[l], sizes[l + 1]))
            Z = np.dot(acts[l], W)
            for r in range(nb):
                for j in range(sizes[l + 1]):
                    Z[r, j] += intercept[b_off[l] + j]
            if l == n_layers - 1:
                _output(Z, out_act)
            else:
                _activate(Z, hidden_act)
            acts.append(Z)
        P = acts[n_layers]
        loss = _batch_loss(P, Yb, wb, out_act)
        sq = 0.0
        for i in range(coef.size):
            sq += coef[i] * coef[i]
        loss += 0.5 * alpha * sq / wsum
        total += loss * nb
        # backward pass: gradient with respect to the effective weights
        delta = P - Yb
        for r in range(nb):
            for j in range(n_out):
                delta[r, j] *= wb[r]
        for l in range(n_layers - 1, -1, -1):
            G = np.dot(acts[l].T, delta)
            gwl = gw[w_off[l]:w_off[l + 1]]
            Gf = G.ravel()
            for i in range(gwl.size):
                gwl[i] = Gf[i] / wsum
            for j in range(sizes[l + 1]):
                s = 0.0
                for r in range(nb):
                    s += delta[r, j]
                gb[b_off[l] + j] = s / wsum
            if l > 0:
                W = weff[w_off[l]:w_off[l + 1]].reshape((sizes[l], sizes[l + 1]))
                delta = np.dot(delta, W.T)
                _activation_backward(acts[l], delta, hidden_act)
        # chain rule through the mode's weight transform, plus L2
        if mode == 1:
            lam_w = mp[2]
            for i in range(coef.size):
                gw[i] += lam_w * (1.0 - mask[i]) * coef[i] + alpha * coef[i] / wsum
        elif mode == 2:
            tau = mp[1]
            for i in range(coef.size):
                m = aux[i]
                gw[i] = gw[i] * (m + 2.0 * coef[i] * coef[i] * m * (1.0 - m) / tau) \
                    + alpha * coef[i] / wsum
        else:
            for i in range(coef.size):
                gw[i] = (gw[i] + alpha * coef[i] / wsum) * mask[i]
        # optimizer step
        step[0] += 1
        t = step[0]
        if solver == 1:
            lr_t = lr * np.sqrt(1.0 - beta2 ** t) / (1.0 - beta1 ** t)
            for i in range(coef.size):
                mom_w[i] = beta1 * mom_w[i] + (1.0 - beta1) * gw[i]
                sq_w[i] = beta2 * sq_w[i] + (1.0 - beta2) * gw[i] * gw[i]
                coef[i] -= lr_t * mom_w[i] / (np.sqrt(sq_w[i]) + eps)
            for i in range(intercept.size):
                mom_b[i] = beta1 * mom_b[i] + (1.0 - beta1) * gb[i]
                sq_b[i] = beta2 * sq_b[i] + (1.0 - beta2) * gb[i] * gb[i]
                intercept[i] -= lr_t * mom_b[i] / (np.sqrt(sq_b[i]) + eps)
        else:
            for i in range(coef.size):
                mom_w[i] = momentum * mom_w[i] - lr * gw[i]
                if nesterov > 0:
                    coef[i] += momentum * mom_w[i] - lr * gw[i]
                else:
                    coef[i] += mom_w[i]
            for i in range(intercept.size):
                mom_b[i] = momentum * mom_b[i] - lr * gb[i]
                if nesterov > 0:
                    intercept[i] += momentum * mom_b[i] - lr * gb[i]
                else:
                    intercept[i] += mom_b[i]
        # after the step
        if mode == 3:
            if t < mp[2]:
                for l in range(n_layers):
                    W = coef[w_off[l]:w_off[l + 1]].reshape((sizes[l], sizes[l + 1]))
                    iss_shrink(W, mp[0], mp[1])
            elif t == int(mp[2]):
                for l in range(n_layers):
                    W = coef[w_off[l]:w_off[l + 1]].reshape((sizes[l], sizes[l + 1]))
                    keep = iss_shrink(W, mp[0], 0.0)
                    copy_into(mask[w_off[l]:w_off[l + 1]], keep.ravel())
        elif mode == 4:
            for l in range(n_layers - 1):
                W = coef[w_off[l]:w_off[l + 1]].reshape((sizes[l], sizes[l + 1]))
                wgsef_prox_cols(W, lr * mp[0], int(mp[1]))
        if mode == 0 or mode == 3 or mode == 4:
            for i in range(coef.size):
                if mask[i] == 0.0:
                    coef[i] = 0.0
                    mom_w[i] = 0.0
                    sq_w[i] = 0.0
    return total


@jit(fastmath=True)
def csr_forward_layer(A, indptr, indices, data, bias, act):
    """``act(A @ W + b)`` with ``W.T`` stored in CSR (one row per output unit).

    ``A`` is ``(n, n_in)`` C-ordered; returns ``(n, n_out)``. Pass ``indptr`` as uint64
    and ``indices`` as uint32: unsigned indices spare numba the negative-index
    wraparound test on every gathered element (about 3x faster here).
    """
    n = A.shape[0]
    n_out = indptr.size - 1
    out = np.empty((n, n_out))
    for r in range(n):
        a = A[r]
        for j in range(n_out):
            s = 0.0
            for q in range(indptr[j], indptr[j + 1]):
                s += data[q] * a[indices[q]]
            out[r, j] = s + bias[j]
    if act >= 0:
        _activate(out, act)
    return out


@jit
def output_activation(Z, code):
    """Apply the output activation in place (0 identity, 1 logistic, 2 softmax)."""
    _output(Z, code)
