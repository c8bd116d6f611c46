"""Anderson extrapolation of a fixed-point sequence (Bertrand and Massias, 2021)."""

import numpy as np

from ._numba import jit


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
    gram = diffs @ diffs.T
    scale = np.trace(gram)
    if not np.isfinite(scale) or scale <= 0.0:
        return False
    # a relative ridge keeps the system solvable once the iterates have converged
    for k in range(n_iterates):
        gram[k, k] += 1e-10 * scale
    z = np.linalg.solve(gram, np.ones(n_iterates))
    total = z.sum()
    if not np.isfinite(total) or total == 0.0:
        return False
    c = z / total
    out[:] = 0.0
    for k in range(n_iterates):
        for i in range(m):
            out[i] += c[k] * buffer[k + 1, i]
    for i in range(m):
        if not np.isfinite(out[i]):
            return False
    return True
