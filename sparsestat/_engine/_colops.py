"""Column access for the two layouts the engine accepts.

A design matrix reaches a kernel as four arrays ``(X, data, indices, indptr)``: dense
designs fill ``X`` (F-ordered) and pass ``indptr = [0]``; sparse designs fill the CSC
arrays and pass a ``(2, 2)`` F-ordered placeholder ``X``. One kernel body then serves both
layouts, with one signature: numba types any empty (or one-row) array as C-ordered, so an
empty placeholder compiled every kernel a second time for sparse designs. The kernels tell
the layouts apart by ``indptr.shape[0] == 1`` (dense), never by ``X``'s shape; a sparse
design without columns is passed dense (see :func:`split_design`).
"""

import numpy as np

from ._numba import jit

# Reassociation lets LLVM vectorize floating-point reductions (dot products); no other
# fast-math assumption (NaN and inf keep their meaning).
REDUCE = {"reassoc", "contract"}


def design_entries(design):
    """Stored entries of a split design: its dense ``X``'s, or its CSC ``data``'s."""
    X, data, _, indptr = design
    return X.size if indptr.shape[0] == 1 else data.size


@jit(inline="always")
def col_dot_inline(X, data, indices, indptr, j, v):
    """``X[:, j] @ v`` accumulated in float64, inlined into the calling kernel.

    numba does not inline calls between compiled functions on its own, and on a sparse
    column with a few nonzeros the call costs more than the dot product: per-coordinate
    loops call this one. Inlined code takes the caller's fast-math flags, so callers that
    want vectorized dense columns compile with ``fastmath=REDUCE``.
    """
    acc = 0.0
    if indptr.shape[0] == 1:  # dense
        for i in range(X.shape[0]):
            acc += X[i, j] * v[i]
    else:
        for k in range(indptr[j], indptr[j + 1]):
            acc += data[k] * v[indices[k]]
    return acc


@jit(fastmath=REDUCE)
def col_dot(X, data, indices, indptr, j, v):
    """``X[:, j] @ v`` accumulated in float64 (a call; see :func:`col_dot_inline`)."""
    return col_dot_inline(X, data, indices, indptr, j, v)


@jit(inline="always")
def col_weighted_sqnorm_inline(X, data, indices, indptr, j, sw):
    """``sum_i sw_i X[i, j]**2``, inlined into the calling kernel (see :func:`col_dot_inline`)."""
    acc = 0.0
    if indptr.shape[0] == 1:  # dense
        for i in range(X.shape[0]):
            acc += sw[i] * X[i, j] * X[i, j]
    else:
        for k in range(indptr[j], indptr[j + 1]):
            acc += sw[indices[k]] * data[k] * data[k]
    return acc


@jit(fastmath=REDUCE)
def col_weighted_sqnorm(X, data, indices, indptr, j, sw):
    """``sum_i sw_i X[i, j]**2`` (a call; see :func:`col_weighted_sqnorm_inline`)."""
    return col_weighted_sqnorm_inline(X, data, indices, indptr, j, sw)


@jit
def array_max(a):
    """``a.max()`` of a non-empty 1-D array (NaN if any entry is NaN).

    Written out because numba's ``max``/``min`` compile ``np.nditer`` and ``take``.
    """
    m = a[0]
    for i in range(1, a.shape[0]):
        if a[i] > m or a[i] != a[i]:
            m = a[i]
    return m


@jit
def array_min(a):
    """``a.min()`` of a non-empty 1-D array (NaN if any entry is NaN)."""
    m = a[0]
    for i in range(1, a.shape[0]):
        if a[i] < m or a[i] != a[i]:
            m = a[i]
    return m


@jit
def centered_f_copy(X, mean, out):
    """``out[:] = X - mean`` for a C-ordered ``X`` into an F-ordered ``out``, one pass.

    ``np.asfortranarray(X - mean)`` copies twice, the second time a transposition numpy
    makes element by element (1.9 ms at 400 x 2000, against 0.8 here): blocks of 16 rows
    keep both sides in cache. The same values (one subtraction per entry either way).
    """
    n, p = X.shape
    for i0 in range(0, n, 16):
        i1 = min(n, i0 + 16)
        for j in range(p):
            mj = mean[j]
            for i in range(i0, i1):
                out[i, j] = X[i, j] - mj


@jit
def take_rows_f(X, rows, out):
    """``out[:] = X[rows]`` for F-ordered ``X`` and ``out``, column by column.

    numpy's ``X[rows]`` comes back C-ordered whatever the layout of ``X``, so a solver's
    F-ordered copy costs a second, transposing pass: 100 ms at 1600 of 2000 x 5000 rows,
    against one pass here. A row outside ``[0, n)`` raises IndexError before any read
    (compiled code does not check bounds).
    """
    n = X.shape[0]
    for r in range(rows.shape[0]):
        if rows[r] < 0 or rows[r] >= n:
            raise IndexError("take_rows_f: a row index is out of range")
    for j in range(X.shape[1]):
        for r in range(rows.shape[0]):
            out[r, j] = X[rows[r], j]


@jit
def copy_into(dst, src):
    """``dst[:] = src`` (1-D, equal lengths) as a loop.

    numba's array-to-array slice assignment compiles its shape-mismatch error message
    (``str``/``repr`` of shapes, string concatenation: about 25 functions, 1-2 s of
    compilation in every kernel tree that uses it); a loop compiles to the same copy.
    """
    for i in range(src.shape[0]):
        dst[i] = src[i]


@jit
def copy_into_2d(dst, src):
    """``dst[:, :] = src`` (2-D, equal shapes) as a loop: see :func:`copy_into`."""
    for k in range(src.shape[0]):
        for j in range(src.shape[1]):
            dst[k, j] = src[k, j]


@jit
def matvec_support(X, data, indices, indptr, w, intercept, out):
    """``out = X @ w + intercept`` visiting only the nonzero entries of ``w``."""
    out[:] = intercept
    for j in range(w.shape[0]):
        wj = w[j]
        if wj == 0.0:
            continue
        if indptr.shape[0] == 1:  # dense
            for i in range(X.shape[0]):
                out[i] += wj * X[i, j]
        else:
            for k in range(indptr[j], indptr[j + 1]):
                out[indices[k]] += wj * data[k]


# The whole-design loops below inline their column helper: a call per column costs
# about 50 ns, three times the work of a sparse column with ten nonzeros (5000 x 50000,
# 500k nonzeros: 3.4 ms against 0.9 ms).
@jit(fastmath=REDUCE)
def rmatvec(X, data, indices, indptr, v, out):
    """``out = X.T @ v``."""
    for j in range(out.shape[0]):
        out[j] = col_dot_inline(X, data, indices, indptr, j, v)


@jit(fastmath=REDUCE)
def column_weighted_sqnorms(X, data, indices, indptr, sw, out):
    """``out[j] = sum_i sw_i X[i, j]**2`` for every column."""
    for j in range(out.shape[0]):
        out[j] = col_weighted_sqnorm_inline(X, data, indices, indptr, j, sw)


def canonical_csc(X, dtype=None):
    """``X`` as a CSC matrix with sorted indices and no duplicate entries, never in place.

    scipy canonicalizes shared arrays in place (``sum_duplicates``, ``sort_indices``,
    and every method that calls them, such as ``max``), and ``csc_matrix(X)`` does not
    copy a CSC ``X``: a canonical form is made on a copy so the caller's matrix is never
    touched. The kernels need it: a duplicated entry would enter a column's squared norm
    as two squares instead of the square of their sum. Returns ``X`` itself (no copy)
    when it already is a canonical CSC matrix of the requested dtype.
    """
    copied = False
    if X.format != "csc":
        X = X.tocsc()  # a new matrix for every other format
        copied = True
    if dtype is not None and X.dtype != dtype:
        X = X.astype(dtype)
        copied = True
    # compute the flag from the arrays: scipy trusts a cached flag, which a caller who
    # edited ``indices`` by hand can leave stale
    canonical = _is_canonical(X.indptr, X.indices)
    if not canonical:
        if not copied:
            X = X.copy()
        X.sum_duplicates()  # sorts as well
    return X


@jit
def _is_canonical(indptr, indices):
    """Sorted, duplicate-free indices within every major slice (strictly increasing).

    One pass without temporaries (numpy's ``diff`` and masks allocated two arrays of
    ``nnz`` entries per fit). An ``indptr`` that is not a valid partition of ``indices``
    reads as not canonical, so no index is read out of bounds.
    """
    nnz = indices.shape[0]
    for j in range(indptr.shape[0] - 1):
        start, stop = indptr[j], indptr[j + 1]
        if start < 0 or stop < start or stop > nnz:
            return False
        for k in range(start + 1, stop):
            if indices[k] <= indices[k - 1]:
                return False
    return True


def split_design(X):
    """Turn a dense ndarray or a scipy CSC matrix into the kernels' four arrays.

    No copy is made when ``X`` is already F-ordered (dense) or canonical CSC (sorted
    indices, no duplicates; see ``canonical_csc``); the dtype of ``X`` is kept (float32 or float64).
    """
    import scipy.sparse as sp

    if sp.issparse(X) and X.shape[1] == 0:
        X = X.toarray()  # no column: the dense layout (a CSC indptr would read as dense)
    if sp.issparse(X):
        X = canonical_csc(X)
        # One index dtype keeps the number of compiled signatures down.
        index_dtype = np.int32 if X.nnz < np.iinfo(np.int32).max else np.int64
        indices = X.indices.astype(index_dtype, copy=False)
        indptr = X.indptr.astype(index_dtype, copy=False)
        # F-typed like a dense X, so both layouts share every kernel's signature
        placeholder = np.zeros((2, 2), dtype=X.dtype, order="F")
        return placeholder, X.data, indices, indptr
    X = np.asfortranarray(X)
    empty_data = np.empty(0, dtype=X.dtype)
    empty_idx = np.empty(0, dtype=np.int32)
    return X, empty_data, empty_idx, np.zeros(1, dtype=np.int32)
