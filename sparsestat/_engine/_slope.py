"""Compiled pieces of SLOPE, the sorted-L1 penalty ``alpha * sum_j lambda_j |w|_(j)``.

``|w|_(1) >= |w|_(2) >= ...`` are the magnitudes sorted in decreasing order and the
weights ``lambda`` are nonnegative and nonincreasing (Bogdan et al., 2015). The penalty is
convex but not separable: the solvers use its vector prox (FISTA). Parameters reach the
kernels as ``params = [alpha, lambda_1 .. lambda_p]``.
"""

import numpy as np

from ._numba import jit


@jit
def slope_value(params, w):
    p = w.shape[0]
    mags = np.sort(np.abs(w))[::-1]
    total = 0.0
    for j in range(p):
        total += params[1 + j] * mags[j]
    return params[0] * total


@jit
def slope_prox(params, v, step, out):
    """``argmin_x ||x - v||^2 / (2 step) + alpha sum_j lambda_j |x|_(j)`` into ``out``.

    The stack algorithm (Bogdan et al., 2015, Algorithm 3): on ``u = |v|`` sorted
    decreasingly, the prox is the nonincreasing isotonic fit of ``u - step alpha lambda``
    (pool adjacent violators: merge the last two blocks while their means increase),
    clipped at zero, then given back the signs and order of ``v``. O(p log p).
    """
    p = v.shape[0]
    order = np.argsort(-np.abs(v))
    t = step * params[0]
    start = np.empty(p, dtype=np.int64)
    total = np.empty(p)
    top = -1
    for k in range(p):
        top += 1
        start[top] = k
        total[top] = abs(v[order[k]]) - t * params[1 + k]
        # merge while the block mean does not decrease: sum_top / len_top >= sum_prev / len_prev
        while top > 0:
            len_top = k + 1 - start[top]
            len_prev = start[top] - start[top - 1]
            if total[top] * len_prev >= total[top - 1] * len_top:
                total[top - 1] += total[top]
                top -= 1
            else:
                break
    for b in range(top + 1):
        end = start[b + 1] if b < top else p
        x = max(total[b] / (end - start[b]), 0.0)
        for k in range(start[b], end):
            j = order[k]
            out[j] = x if v[j] >= 0.0 else -x


@jit
def slope_kkt(params, w, grad, out):
    """Per-coordinate optimality residual ``|w - prox_1(w - grad)|`` (unit step).

    Zero exactly at a minimizer; for an L1 weight sequence it is the coordinate's
    subdifferential distance wherever that is below ``|w_j|`` (the units of a gradient).
    """
    p = w.shape[0]
    v = np.empty(p)
    for j in range(p):
        v[j] = w[j] - grad[j]
    slope_prox(params, v, 1.0, out)
    for j in range(p):
        out[j] = abs(w[j] - out[j])
