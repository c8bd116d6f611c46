"""Anderson extrapolation of a fixed-point sequence (Bertrand and Massias, 2021)."""

import numpy as np

from ._numba import jit


@jit
def _cholesky_solve_ones(a):
    """Solve ``a z = 1`` for symmetric positive definite ``a`` (lower triangle read;
    overwritten by its Cholesky factor). Empty ``z`` when a pivot is not positive."""
    n = a.shape[0]
    for j in range(n):
        d = a[j, j]
        for k in range(j):
            d -= a[j, k] * a[j, k]
        if not d > 0.0:
            return np.empty(0)
        d = np.sqrt(d)
        a[j, j] = d
        for i in range(j + 1, n):
            acc = a[i, j]
            for k in range(j):
                acc -= a[i, k] * a[j, k]
            a[i, j] = acc / d
    z = np.empty(n)  # (np.ones compiles one more numba function)
    for i in range(n):  # L y = 1
        acc = 1.0
        for k in range(i):
            acc -= a[i, k] * z[k]
        z[i] = acc / a[i, i]
    for i in range(n - 1, -1, -1):  # L^T z = y
        acc = z[i]
        for k in range(i + 1, n):
            acc -= a[k, i] * z[k]
        z[i] = acc / a[i, i]
    return z


@jit
def anderson_extrapolate(buffer, out):
    """Extrapolate from ``buffer`` (K + 1 consecutive iterates, one per row).

    Solves ``min ||sum_k c_k (x_{k+1} - x_k)||`` subject to ``sum_k c_k = 1`` and writes
    ``sum_k c_k x_{k+1}`` into ``out``. Returns False (``out`` untouched) when the
    small linear system is too ill-conditioned to trust.
    """
    n_iterates = buffer.shape[0] - 1
    m = buffer.shape[1]
    diffs = np.empty((n_iterates, m))
    for k in range(n_iterates):
        for i in range(m):
            diffs[k, i] = buffer[k + 1, i] - buffer[k, i]
    # the K x K system (K <= 10) is solved by hand: numba's np.linalg.solve and matrix
    # product cost seconds of compilation for a few dozen flops
    gram = np.empty((n_iterates, n_iterates))
    scale = 0.0
    for k in range(n_iterates):
        for l in range(k + 1):
            acc = 0.0
            for i in range(m):
                acc += diffs[k, i] * diffs[l, i]
            gram[k, l] = acc
        scale += gram[k, k]
    if not np.isfinite(scale) or scale <= 0.0:
        return False
    # a relative ridge keeps the system positive definite once the iterates converged
    for k in range(n_iterates):
        gram[k, k] += 1e-10 * scale
    z = _cholesky_solve_ones(gram)
    if z.shape[0] == 0:
        return False
    total = 0.0
    for k in range(n_iterates):
        total += z[k]
    if not np.isfinite(total) or total == 0.0:
        return False
    for i in range(m):
        out[i] = 0.0
    for k in range(n_iterates):
        c = z[k] / total
        for i in range(m):
            out[i] += c * buffer[k + 1, i]
    for i in range(m):
        if not np.isfinite(out[i]):
            return False
    return True
