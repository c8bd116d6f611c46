"""Per-user statistics of the local-privacy protocols, fused with their noise.

A user's report is the clipped ``z z^T`` (upper triangle) and ``z y`` plus Gaussian
noise. The caller fills the output with the noise (numpy's Generator, vectorized); this
kernel adds each user's clipped statistics in place, one pass over the rows and no
temporaries of size ``n x d^2``.
"""

import numpy as np

from .._numba import jit

__all__ = ["add_clipped_moments"]


@jit
def add_clipped_moments(X, y, tau1, tau2, fit_intercept, with_xx, xx, xy):
    """Add row ``i``'s clipped ``z z^T`` (upper, row-major) to ``xx[i]`` and ``z y`` to ``xy[i]``.

    ``z = (1, clip(x))`` when ``fit_intercept`` else ``clip(x)``; ``x_j`` is clipped to
    ``[-tau1_j, tau1_j]`` and ``y`` to ``[-tau2, tau2]``. ``xx`` is ignored unless
    ``with_xx``.
    """
    n, d = X.shape
    off = 1 if fit_intercept else 0
    m = d + off
    z = np.empty(m)
    if fit_intercept:
        z[0] = 1.0
    for i in range(n):
        for j in range(d):
            v = X[i, j]
            t = tau1[j]
            if v > t:
                v = t
            elif v < -t:
                v = -t
            z[j + off] = v
        yc = y[i]
        if yc > tau2:
            yc = tau2
        elif yc < -tau2:
            yc = -tau2
        for a in range(m):
            xy[i, a] += z[a] * yc
        if with_xx:
            k = 0
            for a in range(m):
                za = z[a]
                for b in range(a, m):
                    xx[i, k] += za * z[b]
                    k += 1
