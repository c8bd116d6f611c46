"""Whole-design column loops and the canonical-CSC check of ``_engine/_colops.py``."""

import numpy as np
import pytest
import scipy.sparse as sp

from sparsestat._engine._cd import coordinate_constants
from sparsestat._engine._colops import (
    _is_canonical, canonical_csc, column_weighted_sqnorms, rmatvec, split_design,
)
from sparsestat._engine._polish import column_stats


def _designs():
    rng = np.random.default_rng(0)
    dense = rng.standard_normal((30, 12))
    dense[:, 3] = 0.0
    sparse = sp.random(30, 12, density=0.3, format="csc", random_state=1)
    return {"dense": np.asfortranarray(dense), "sparse": sparse}


@pytest.mark.parametrize("kind", ["dense", "sparse"])
def test_column_loops_equal_numpy(kind):
    X = _designs()[kind]
    Xd = X.toarray() if sp.issparse(X) else X
    sw = np.random.default_rng(2).uniform(0.5, 2.0, X.shape[0])
    design = split_design(X)
    out = np.empty(X.shape[1])
    rmatvec(*design, sw, out)
    np.testing.assert_allclose(out, Xd.T @ sw, rtol=1e-12, atol=1e-14)
    column_weighted_sqnorms(*design, sw, out)
    np.testing.assert_allclose(out, (sw[:, None] * Xd ** 2).sum(axis=0), rtol=1e-12, atol=1e-14)
    sq, mean = column_stats(X, sw)
    np.testing.assert_allclose(sq, out, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(mean, Xd.T @ sw, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("kind", ["dense", "sparse"])
@pytest.mark.parametrize("fit_intercept", [False, True])
def test_coordinate_constants_are_centered_column_norms(kind, fit_intercept):
    X = _designs()[kind]
    Xd = X.toarray() if sp.issparse(X) else X
    n = X.shape[0]
    sw = np.random.default_rng(3).uniform(0.5, 2.0, n)
    lips, xsw = coordinate_constants(*split_design(X), sw, 0, np.zeros(1), fit_intercept)
    if fit_intercept:  # implicit centering: the weighted-centered columns' norms
        centered = Xd - (sw @ Xd) / sw.sum()
        np.testing.assert_allclose(xsw, Xd.T @ sw, rtol=1e-12, atol=1e-14)
    else:
        centered = Xd
        assert not np.any(xsw)
    expected = (sw[:, None] * centered ** 2).sum(axis=0) / n
    np.testing.assert_allclose(lips, expected, rtol=1e-10, atol=1e-14)
    assert lips[3 if kind == "dense" else 0] >= 0.0


def _csc(indptr, indices, shape=(5, 3)):
    data = np.arange(1.0, len(indices) + 1.0)
    # built from arrays, never canonicalized: scipy keeps them as given
    return sp.csc_matrix((data, np.asarray(indices), np.asarray(indptr)), shape=shape)


@pytest.mark.parametrize("indptr, indices, expected", [
    ([0, 2, 3, 5], [0, 3, 1, 2, 4], True),
    ([0, 0, 0, 0], [], True),
    ([0, 2, 3, 5], [3, 0, 1, 2, 4], False),  # unsorted within column 0
    ([0, 2, 3, 5], [0, 3, 1, 4, 4], False),  # duplicate in column 2
    ([0, 2, 3, 5], [0, 3, 4, 0, 4], True),   # a decrease at a column boundary is fine
    ([0, 1, 1, 2], [2, 2], True),            # an empty column between
])
def test_is_canonical(indptr, indices, expected):
    for dtype in (np.int32, np.int64):
        assert _is_canonical(np.asarray(indptr, dtype=dtype),
                             np.asarray(indices, dtype=dtype)) is expected


def test_is_canonical_rejects_an_indptr_outside_the_indices():
    indices = np.array([0, 1, 2], dtype=np.int32)
    for indptr in ([0, 2, 1, 3], [0, 1, 2, 7], [-1, 1, 2, 3]):
        assert _is_canonical(np.asarray(indptr, dtype=np.int32), indices) is False


def test_canonical_csc_copies_a_non_canonical_matrix():
    X = _csc([0, 2, 3, 5], [3, 0, 1, 4, 4])
    before = (X.data.copy(), X.indices.copy(), X.indptr.copy())
    Y = canonical_csc(X)
    assert Y is not X
    for a, b in zip(before, (X.data, X.indices, X.indptr)):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(Y.toarray(), X.toarray())
    assert _is_canonical(Y.indptr, Y.indices)
    Z = _csc([0, 2, 3, 5], [0, 3, 1, 2, 4])
    assert canonical_csc(Z) is Z


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_take_rows_f(dtype):
    from sparsestat._engine._colops import take_rows_f

    X = np.asfortranarray(np.random.default_rng(4).standard_normal((40, 7)).astype(dtype))
    rows = np.array([3, 0, 39, 3, 17])
    out = np.empty((rows.size, X.shape[1]), dtype=dtype, order="F")
    take_rows_f(X, rows, out)
    np.testing.assert_array_equal(out, X[rows])


def test_take_rows_f_refuses_rows_out_of_range():
    from sparsestat._engine._colops import take_rows_f

    X = np.asfortranarray(np.ones((5, 2)))
    out = np.empty((1, 2), order="F")
    for row in (5, -1):
        with pytest.raises(IndexError, match="out of range"):
            take_rows_f(X, np.array([row]), out)
