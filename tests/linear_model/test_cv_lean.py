"""The CV folds' lean route gives the same numbers, bit for bit, as the general one.

A fold of ``LassoCV`` / ``ElasticNetCV`` reads its path as arrays (``solve_path(...,
records=False)``, no record per alpha), its C-ordered rows are centered into F order in
one pass (``centered_f_copy``), and the refit of a dense X skips a second validation.
None of it may change a result: every comparison here is exact.
"""

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.model_selection import KFold

from sparsestat._engine import L1, ElasticNet as ElasticNetPenalty, Quadratic, solve_path
from sparsestat._engine._colops import centered_f_copy
from sparsestat._engine.solvers import _PathPenalties, _weighted_center
from sparsestat.linear_model import ElasticNet, ElasticNetCV, LassoCV
from sparsestat.linear_model._cv import _take
from sparsestat.linear_model._glm import path_penalized


def _data(n=60, p=40, seed=0, order="C"):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) + 3.0 * rng.standard_normal(p)  # nonzero means
    w = np.zeros(p)
    w[:5] = rng.uniform(-2, 2, 5)
    y = X @ w + 0.5 * rng.standard_normal(n) + 4.0
    return (np.asfortranarray(X) if order == "F" else np.ascontiguousarray(X)), y


def _grid(X, y, n_alphas=15):
    Xc = X - X.mean(axis=0)
    amax = np.abs(Xc.T @ (y - y.mean())).max() / X.shape[0]
    return np.geomspace(amax, amax * 1e-3, n_alphas)


def _assert_same_path(arrays, results):
    coefs, intercepts, converged = arrays
    assert coefs.shape == (len(results), results[0].coef.shape[0])
    np.testing.assert_array_equal(coefs, np.array([r.coef for r in results]))
    np.testing.assert_array_equal(intercepts, [r.intercept for r in results])
    np.testing.assert_array_equal(converged, [r.converged for r in results])


@pytest.mark.parametrize("case", ["ws_gram", "cd", "sparse", "no_intercept", "scaled",
                                  "enet"])
def test_path_arrays_equal_the_records(case):
    X, y = _data()
    pen = ElasticNetPenalty(1.0, 0.5) if case == "enet" else L1(1.0)
    kw = dict(fit_intercept=case != "no_intercept", ws_gram=case in ("ws_gram", "enet"))
    if case == "sparse":
        X = sp.csc_matrix(np.where(np.abs(X) > 3.0, X, 0.0))
    if case == "scaled":
        y = y * 1e200  # solved on y / 2^k (the engine's magnitude unit), mapped back
    grid = _grid(X.toarray() if sp.issparse(X) else X, y)
    records = solve_path(X, y, Quadratic(), pen, grid, **kw)
    arrays = solve_path(X, y, Quadratic(), pen, grid, records=False, **kw)
    _assert_same_path(arrays, records)
    assert not np.all(arrays[0] == 0.0)


def test_path_arrays_of_fista_and_of_an_empty_grid():
    X, y = _data(p=10)
    grid = _grid(X, y, 5)
    records = solve_path(X, y, Quadratic(), L1(1.0), grid, solver="fista")
    _assert_same_path(solve_path(X, y, Quadratic(), L1(1.0), grid, solver="fista",
                                 records=False), records)
    coefs, intercepts, converged = solve_path(X, y, Quadratic(), L1(1.0), [],
                                              records=False)
    assert coefs.shape == (0, 10) and intercepts.shape == (0,) and converged.shape == (0,)


def test_path_penalties_read_lazily_are_the_eager_ones():
    pen = ElasticNetPenalty(1.0, 0.3)
    given = [3, np.float32(0.5), 0.25]  # ints and float32 become the same float64
    pens = _PathPenalties(pen, given)
    assert len(pens) == 3
    eager = [pen.with_alpha(float(a)) for a in given]
    for lazy, ref in zip(pens, eager):
        np.testing.assert_array_equal(lazy.params_array(), ref.params_array())
    np.testing.assert_array_equal(pens.alphas, [3.0, 0.5, 0.25])
    with pytest.raises(IndexError):
        pens[3]  # noqa: B018


def test_centered_f_copy_is_numpys_centering():
    X, _ = _data(n=37, p=23)  # not a multiple of the row block
    mean = X.mean(axis=0)
    out = np.empty(X.shape, order="F")
    centered_f_copy(X, mean, out)
    np.testing.assert_array_equal(out, np.asfortranarray(X - mean))
    X_before = X.copy()
    Xc, yc, x_mean, y_mean = _weighted_center(X, np.arange(37.0), np.ones(37))
    assert Xc.flags.f_contiguous
    np.testing.assert_array_equal(X, X_before)  # the caller's rows untouched
    np.testing.assert_array_equal(Xc, np.asfortranarray(X - (np.ones(37) @ X) / 37.0))


@pytest.mark.parametrize("Est", [LassoCV, ElasticNetCV])
@pytest.mark.parametrize("order", ["C", "F"])
def test_cv_errors_are_the_records_path_errors(Est, order):
    # the fold errors recomputed through the general route (a record per alpha)
    X, y = _data(n=80, p=50, seed=1, order=order)
    X_before = X.copy(order="A")
    folds = KFold(4, shuffle=True, random_state=0)
    est = Est(cv=folds, alphas=20).fit(X, y)
    np.testing.assert_array_equal(X, X_before)
    pen = est._penalty(1.0 if Est is LassoCV else 0.5)
    for k, (tr, te) in enumerate(folds.split(X)):
        coefs, intercepts, results = path_penalized(
            _take(X, tr), y[tr], Quadratic(), pen, est.alphas_, ws_gram=True)
        pred = X[te] @ coefs + intercepts
        mse = ((y[te][:, None] - pred) ** 2).mean(axis=0)
        np.testing.assert_allclose(est.mse_path_[:, k], mse, rtol=1e-13)
        lean = path_penalized(_take(X, tr), y[tr], Quadratic(), pen, est.alphas_,
                              ws_gram=True, records=False)
        np.testing.assert_array_equal(lean[0], coefs)
        np.testing.assert_array_equal(lean[1], intercepts)
        np.testing.assert_array_equal(lean[2], [r.converged for r in results])


@pytest.mark.parametrize("Est", [LassoCV, ElasticNetCV])
def test_refit_without_second_validation_is_the_validated_fit(Est):
    X, y = _data(n=70, p=30, seed=2)
    est = Est(cv=3, alphas=10).fit(X, y)
    ref = ElasticNet(alpha=est.alpha_, l1_ratio=est.l1_ratio_).fit(X, y)
    np.testing.assert_array_equal(est.coef_, ref.coef_)
    assert est.intercept_ == ref.intercept_ and est.n_iter_ == ref.n_iter_
    # sparse (CSR) input still goes through the refit's own validation (CSR -> CSC)
    Xs = sp.csr_matrix(X)
    est_sp = Est(cv=3, alphas=10).fit(Xs, y)
    ref_sp = ElasticNet(alpha=est_sp.alpha_, l1_ratio=est_sp.l1_ratio_).fit(Xs, y)
    np.testing.assert_array_equal(est_sp.coef_, ref_sp.coef_)
    assert Xs.format == "csr"
