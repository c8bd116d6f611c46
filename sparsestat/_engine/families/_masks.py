"""Pruning masks, projections and proximal operators for weight matrices.

Everything a pruning method computes from the weights lives here, over plain arrays:

* ``topk_mask``: keep the ``n_keep`` largest ``|w|`` (ties broken by position).
* ``nm_mask``: N:M structure, the ``n`` largest ``|w|`` in each group of ``m``
  consecutive inputs (axis 0 of a weight matrix in scikit-learn's ``(n_in, n_out)``
  layout), recomputed on every forward pass by SR-STE.
* ``erk_densities``: Erdos-Renyi(-Kernel) layerwise densities (Liu et al., ICLR 2022).
* ``wgsef_prox_cols`` / ``wgsef_prox``: the prox of the weighted group sparse envelope
  function (Refael, Arbel, Huleihel) and ``topk_groups``, the final projection on at
  most ``k`` nonzero groups.
* ``pdp_threshold`` / ``pdp_soft_mask``: PDP's threshold and soft mask (Cho et al.).
* ``iss_shrink``: ISS-P's soft shrinkage of the smallest fraction (Wang et al.).

No scikit-learn here; compiled kernels go through :func:`sparsestat._engine.jit`.
"""

import numpy as np

from .._numba import jit
from .._sorting import stable_argsort

__all__ = [
    "topk_mask",
    "n_keep_for",
    "nm_mask",
    "erk_densities",
    "wgsef_coeffs",
    "wgsef_prox",
    "wgsef_prox_cols",
    "topk_groups",
    "ksupport_sq",
    "pdp_threshold",
    "pdp_soft_mask",
    "iss_shrink",
]


def n_keep_for(size, sparsity):
    """Number of weights kept out of ``size`` at a target ``sparsity`` (rounded)."""
    return int(size - round(float(sparsity) * size))


@jit
def topk_mask(values, n_keep):
    """0/1 mask (float64, same shape, C order) keeping the ``n_keep`` largest ``|values|``.

    Ties are broken by position (earlier first), so the result is deterministic.
    """
    flat = np.abs(values.ravel())
    out = np.zeros(flat.size)
    if n_keep >= flat.size:
        out[:] = 1.0
    elif n_keep > 0:
        order = stable_argsort(-flat)
        for i in range(n_keep):
            out[order[i]] = 1.0
    return out.reshape(values.shape)


@jit
def nm_mask(W, n, m):
    """N:M mask of a ``(n_in, n_out)`` matrix: ``n`` kept per ``m`` consecutive inputs.

    When ``m`` does not divide ``n_in`` the last, shorter group of ``r`` inputs is
    treated as zero-padded to ``m``: it keeps ``min(n, r)`` weights. Callers that
    want an error instead check divisibility first.
    """
    n_in, n_out = W.shape
    mask = np.zeros((n_in, n_out))
    for j in range(n_out):
        for g0 in range(0, n_in, m):
            g1 = min(g0 + m, n_in)
            for i in range(g0, g1):
                a = abs(W[i, j])
                rank = 0
                for q in range(g0, g1):
                    b = abs(W[q, j])
                    if b > a or (b == a and q < i):
                        rank += 1
                if rank < n:
                    mask[i, j] = 1.0
    return mask


def erk_densities(shapes, density, kind="erk"):
    """Layerwise densities whose parameter-weighted mean is ``density``.

    ``kind="erk"``: density_l proportional to ``(n_in + n_out) / (n_in n_out)``
    (Erdos-Renyi for dense layers), scaled by one epsilon; layers that would exceed
    1 are made dense and epsilon is re-solved. ``kind="uniform"``: every layer gets
    ``density``.

    Parameters
    ----------
    shapes : list of (int, int)
    density : float in (0, 1]
    kind : {"erk", "uniform"}

    Returns
    -------
    densities : ndarray of shape (n_layers,)
    """
    sizes = np.array([a * b for a, b in shapes], dtype=float)
    if kind == "uniform":
        return np.full(len(shapes), float(density))
    raw = np.array([(a + b) / (a * b) for a, b in shapes], dtype=float)
    dense = np.zeros(len(shapes), dtype=bool)
    target = density * sizes.sum()
    while True:
        free = ~dense
        budget = target - sizes[dense].sum()
        if not free.any():
            break
        eps = budget / (raw[free] * sizes[free]).sum()
        over = free & (eps * raw > 1.0)
        if not over.any():
            break
        dense |= over
    out = np.ones(len(shapes))
    if (~dense).any():
        out[~dense] = eps * raw[~dense]
    return np.clip(out, 0.0, 1.0)


@jit
def wgsef_coeffs(a, b, k):
    """Coefficients ``c_j = clip(s a_j - b_j, 0, 1)`` with ``sum c_j = k``.

    ``a_j = sqrt(d_j) ||z_Gj||`` and ``b_j = lam d_j``. When at most ``k`` of the
    ``a_j`` are positive the constraint is inactive and ``c_j = 1`` on them. The sum is
    a nondecreasing piecewise-linear function of ``s``; we walk its sorted breakpoints.
    """
    n = a.size
    c = np.zeros(n)
    n_pos = 0
    for j in range(n):
        if a[j] > 0:
            n_pos += 1
    if n_pos <= k:
        for j in range(n):
            if a[j] > 0:
                c[j] = 1.0
        return c
    # breakpoints: start (s a - b = 0) and saturation (s a - b = 1) of each group
    pts = np.empty(2 * n_pos)
    kind = np.empty(2 * n_pos, dtype=np.int64)
    who = np.empty(2 * n_pos, dtype=np.int64)
    q = 0
    for j in range(n):
        if a[j] > 0:
            pts[q] = b[j] / a[j]
            kind[q] = 0
            who[q] = j
            pts[q + 1] = (1.0 + b[j]) / a[j]
            kind[q + 1] = 1
            who[q + 1] = j
            q += 2
    order = stable_argsort(pts)
    slope = 0.0  # sum of a_j over active groups
    icpt = 0.0  # f(s) = slope * s + icpt
    s = pts[order[-1]]
    for e in range(order.size):
        idx = order[e]
        x = pts[idx]
        if slope * x + icpt >= k:
            s = (k - icpt) / slope
            break
        j = who[idx]
        if kind[idx] == 0:
            slope += a[j]
            icpt -= b[j]
        else:
            slope -= a[j]
            icpt += b[j] + 1.0
    for j in range(n):
        v = s * a[j] - b[j]
        c[j] = min(max(v, 0.0), 1.0)
    return c


@jit
def wgsef_prox(z, ptr, d, lam, k):
    """Prox of ``lam * WGSEF_k`` at ``z`` with groups ``z[ptr[j]:ptr[j+1]]``.

    ``WGSEF_k(theta) = 1/2 (||v||_k^sp)^2`` with ``v_j = sqrt(d_j) ||theta_Gj||``.
    Returns ``(theta, c)``; ``theta_Gj = z_Gj c_j / (c_j + lam d_j)``.
    """
    n_groups = ptr.size - 1
    a = np.empty(n_groups)
    b = np.empty(n_groups)
    for j in range(n_groups):
        nrm = 0.0
        for i in range(ptr[j], ptr[j + 1]):
            nrm += z[i] * z[i]
        a[j] = np.sqrt(d[j] * nrm)
        b[j] = lam * d[j]
    c = wgsef_coeffs(a, b, k)
    out = np.zeros_like(z)
    for j in range(n_groups):
        if c[j] > 0:
            f = c[j] / (c[j] + lam * d[j])
            for i in range(ptr[j], ptr[j + 1]):
                out[i] = z[i] * f
    return out, c


@jit
def wgsef_prox_cols(W, lam, k):
    """In-place prox of ``lam * WGSEF_k`` with one group per column of ``W`` (d_j = 1).

    A column of ``coefs_[l]`` holds the incoming weights of one unit. Returns the
    coefficients ``c``.
    """
    n_in, n_out = W.shape
    a = np.zeros(n_out)
    b = np.full(n_out, lam)
    for i in range(n_in):
        for j in range(n_out):
            a[j] += W[i, j] * W[i, j]
    a = np.sqrt(a)
    c = wgsef_coeffs(a, b, k)
    for j in range(n_out):
        f = c[j] / (c[j] + lam) if c[j] > 0 else 0.0
        for i in range(n_in):
            W[i, j] *= f
    return c


def topk_groups(norms, k):
    """Boolean mask of the ``k`` groups with the largest norm (positive norms only)."""
    norms = np.asarray(norms, dtype=float)
    keep = np.zeros(norms.size, dtype=bool)
    if k > 0:
        order = np.argsort(-norms, kind="mergesort")[:k]
        keep[order] = True
    return keep & (norms > 0)


def ksupport_sq(v, k):
    """Squared k-support norm of ``v`` (Argyriou, Foygel, Srebro 2012).

    ``sum_{i<k-r} |v|_(i)^2 + (sum_{i>=k-r} |v|_(i))^2 / (r + 1)`` (descending order)
    with the unique ``r`` in ``0..k-1`` satisfying the ordering condition.
    """
    u = np.sort(np.abs(np.asarray(v, dtype=float)))[::-1]
    n = u.size
    k = min(k, n)
    for r in range(k):
        tail = u[k - r - 1:].sum()
        head_ok = r == k - 1 or u[k - r - 2] > tail / (r + 1)
        if head_ok and tail / (r + 1) >= u[k - r - 1]:
            return float((u[: k - r - 1] ** 2).sum() + tail**2 / (r + 1))
    return float((u[: k - 1] ** 2).sum() + u[k - 1:].sum() ** 2)


@jit
def pdp_threshold(W, sparsity):
    """PDP threshold: halfway between the largest pruned and smallest kept ``|w|``."""
    magnitudes = np.abs(W.ravel())
    flat = magnitudes[stable_argsort(magnitudes)]
    n = flat.size
    n_prune = int(np.round(sparsity * n))
    if n_prune <= 0:
        return 0.0
    if n_prune >= n:
        return flat[n - 1] * 2.0 + 1.0
    return 0.5 * (flat[n_prune - 1] + flat[n_prune])


@jit
def pdp_soft_mask(W, t, tau):
    """Soft mask ``sigmoid((w^2 - t^2) / tau)``, computed without overflow."""
    out = np.empty(W.shape)
    flat_w = W.ravel()
    flat_o = out.ravel()
    for i in range(flat_w.size):
        x = (flat_w[i] * flat_w[i] - t * t) / tau
        if x >= 0:
            flat_o[i] = 1.0 / (1.0 + np.exp(-x))
        else:
            e = np.exp(x)
            flat_o[i] = e / (1.0 + e)
    return out


@jit
def iss_shrink(W, p, alpha):
    """ISS-P step, in place: multiply the ``round(p n)`` smallest ``|w|`` by ``alpha``.

    Returns the 0/1 float mask of the weights that were *not* shrunk.
    """
    flat = W.ravel()
    n = flat.size
    n_shrink = int(np.round(p * n))
    keep = np.ones(n)
    if n_shrink > 0:
        order = stable_argsort(np.abs(flat))
        for q in range(min(n_shrink, n)):
            i = order[q]
            flat[i] *= alpha
            keep[i] = 0.0
    return keep.reshape(W.shape)
