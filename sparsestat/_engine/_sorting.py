"""Sorting inside compiled kernels, without numba's sort templates.

Every kernel that calls ``np.sort``, ``np.argsort`` or ``np.unique`` compiles numba's
quicksort / mergesort templates into its own module: 1-2 s of cold compile per kernel
(measured in ``benchmarks/RESULTS.rst``, "Compile budget"), paid again by each family
that sorts. The merge sort below is one small loop nest, compiled once per key type.
Selecting the largest scores of a working set needs no sort at all: see
:func:`~._cd._select_working_set`.
"""

import numpy as np

from ._numba import jit


@jit(inline="always")
def _before(a, b):
    # numpy's order: NaN after every number, so a NaN key never moves ahead of one
    return a < b or (b != b and a == a)


@jit
def stable_argsort(key):
    """``np.argsort(key, kind="stable")`` for a 1-d array: ties keep their index order.

    Bottom-up merge sort on the indices, O(n log n) time and one index buffer.
    """
    n = key.shape[0]
    order = np.empty(n, dtype=np.int64)
    for i in range(n):
        order[i] = i
    spare = np.empty(n, dtype=np.int64)
    width = 1
    while width < n:
        lo = 0
        while lo < n:
            mid = min(lo + width, n)
            hi = min(lo + 2 * width, n)
            i, j, k = lo, mid, lo
            while i < mid and j < hi:
                # the right run's head goes first only when strictly before: stability
                if _before(key[order[j]], key[order[i]]):
                    spare[k] = order[j]
                    j += 1
                else:
                    spare[k] = order[i]
                    i += 1
                k += 1
            while i < mid:
                spare[k] = order[i]
                i += 1
                k += 1
            while j < hi:
                spare[k] = order[j]
                j += 1
                k += 1
            lo = hi
        order, spare = spare, order
        width *= 2
    return order


@jit
def sorted_unique(values):
    """``np.unique(values)`` for a 1-d array: the distinct values, increasing."""
    n = values.shape[0]
    out = np.empty(n, dtype=values.dtype)
    if n == 0:
        return out
    order = stable_argsort(values)
    out[0] = values[order[0]]
    m = 1
    for k in range(1, n):
        v = values[order[k]]
        if v != out[m - 1] and not (v != v and out[m - 1] != out[m - 1]):
            out[m] = v
            m += 1
    return out[:m]
