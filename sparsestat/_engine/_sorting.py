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

_RUN = 16


@jit(inline="always")
def _before(a, b):
    # numpy's order: NaN after every number, so a NaN key never moves ahead of one
    return a < b or (b != b and a == a)


@jit
def stable_argsort(key):
    """``np.argsort(key, kind="stable")`` for a 1-d array: ties keep their index order.

    Bottom-up merge sort of (key, index) pairs, O(n log n) time: the keys move with
    their indices so that the merges read memory in order, and runs of ``_RUN`` are
    first sorted by insertion, which saves the merge passes over short runs.
    """
    n = key.shape[0]
    order = np.empty(n, dtype=np.int64)
    keys = key.copy()
    for i in range(n):
        order[i] = i
    for lo in range(0, n, _RUN):
        for i in range(lo + 1, min(lo + _RUN, n)):
            moving, moving_key = order[i], keys[i]
            j = i
            # strictly before: an equal key stays behind, which keeps the sort stable
            while j > lo and _before(moving_key, keys[j - 1]):
                order[j] = order[j - 1]
                keys[j] = keys[j - 1]
                j -= 1
            order[j] = moving
            keys[j] = moving_key
    spare = np.empty(n, dtype=np.int64)
    spare_keys = np.empty_like(keys)
    width = _RUN
    while width < n:
        lo = 0
        while lo < n:
            mid = min(lo + width, n)
            hi = min(lo + 2 * width, n)
            i, j, k = lo, mid, lo
            while i < mid and j < hi:
                # the right run's head goes first only when strictly before: stability
                if _before(keys[j], keys[i]):
                    spare[k] = order[j]
                    spare_keys[k] = keys[j]
                    j += 1
                else:
                    spare[k] = order[i]
                    spare_keys[k] = keys[i]
                    i += 1
                k += 1
            while i < mid:
                spare[k] = order[i]
                spare_keys[k] = keys[i]
                i += 1
                k += 1
            while j < hi:
                spare[k] = order[j]
                spare_keys[k] = keys[j]
                j += 1
                k += 1
            lo = hi
        order, spare = spare, order
        keys, spare_keys = spare_keys, keys
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
