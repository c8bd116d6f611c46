"""Compiled pieces of SLOPE, the sorted-L1 penalty ``alpha * sum_j lambda_j |w|_(j)``.

``|w|_(1) >= |w|_(2) >= ...`` are the magnitudes sorted in decreasing order and the
weights ``lambda`` are nonnegative and nonincreasing (Bogdan et al., 2015). The penalty is
convex but not separable: the solvers use its vector prox (FISTA). Parameters reach the
kernels as ``params = [alpha, lambda_1 .. lambda_p]``.
"""

import numpy as np

from ._numba import jit


@jit
def _sift_down(key, order, start, end):
    # max-heap on key[order[.]] over order[start:end]
    root = start
    while True:
        child = 2 * root + 1
        if child >= end:
            return
        if child + 1 < end and key[order[child + 1]] > key[order[child]]:
            child += 1
        if key[order[child]] > key[order[root]]:
            order[root], order[child] = order[child], order[root]
            root = child
        else:
            return


@jit
def order_by_magnitude(v):
    """Indices of ``v`` by decreasing ``|v|`` (heap sort, O(p log p)).

    Written out rather than ``np.argsort``: numba's sort templates would add seconds of
    cold compile to every kernel that holds the SLOPE branches (CD included).
    """
    p = v.shape[0]
    key = np.abs(v)
    order = np.arange(p)
    for start in range(p // 2 - 1, -1, -1):
        _sift_down(key, order, start, p)
    for end in range(p - 1, 0, -1):
        order[0], order[end] = order[end], order[0]
        _sift_down(key, order, 0, end)
    # ascending after the heap sort: reverse for decreasing magnitudes
    for k in range(p // 2):
        order[k], order[p - 1 - k] = order[p - 1 - k], order[k]
    return order


@jit
def slope_value(params, w):
    order = order_by_magnitude(w)
    total = 0.0
    for k in range(w.shape[0]):
        total += params[1 + k] * abs(w[order[k]])
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
    order = order_by_magnitude(v)
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
