"""The SLOPE estimator: alpha_max, weights, sparse input, the lambda sequence."""

import numpy as np
import pytest
import scipy.sparse as sp

from sparsestat._engine import SLOPE as SLOPEPenalty
from sparsestat.linear_model import SLOPE, Lasso


def _data(seed=0, n=80, p=10):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    y = X[:, :3] @ np.array([3.0, -2.0, 1.0]) + 0.5 * rng.standard_normal(n) + 4.0
    return X, y


def test_alpha_max_is_the_smallest_alpha_with_zero_solution():
    X, y = _data()
    reg = SLOPE(alpha=0.1).fit(X, y)
    amax = reg.alpha_max_
    assert np.all(SLOPE(alpha=amax * 1.001, tol=1e-10).fit(X, y).coef_ == 0)
    assert np.any(SLOPE(alpha=amax * 0.99, tol=1e-10).fit(X, y).coef_ != 0)


def test_objective_not_worse_than_perturbations_and_intercept():
    X, y = _data(1)
    reg = SLOPE(alpha=0.05, tol=1e-10, max_iter=10000).fit(X, y)
    pen = SLOPEPenalty(0.05, reg.lambdas_)

    def obj(w, b):
        return np.mean((y - X @ w - b) ** 2) / 2 + pen.value(w)

    best = obj(reg.coef_, reg.intercept_)
    rng = np.random.default_rng(0)
    for _ in range(50):
        d = rng.standard_normal(10) * 1e-3
        assert obj(reg.coef_ + d, reg.intercept_) >= best - 1e-12
    assert obj(reg.coef_, reg.intercept_ + 1e-3) >= best


def test_equal_lambdas_is_the_lasso_and_sparse_matches_dense():
    X, y = _data(2)
    reg = SLOPE(alpha=0.1, lambdas=np.ones(10), tol=1e-10, max_iter=10000).fit(X, y)
    lasso = Lasso(alpha=0.1, tol=1e-12).fit(X, y)
    np.testing.assert_allclose(reg.coef_, lasso.coef_, atol=1e-6)
    assert reg.intercept_ == pytest.approx(lasso.intercept_, abs=1e-6)
    Xs = sp.csr_matrix(X)
    reg_sp = SLOPE(alpha=0.1, tol=1e-10, max_iter=10000).fit(Xs, y)
    reg_d = SLOPE(alpha=0.1, tol=1e-10, max_iter=10000).fit(X, y)
    np.testing.assert_allclose(reg_sp.coef_, reg_d.coef_, atol=1e-6)


def test_integer_weights_are_repeated_rows():
    X, y = _data(3, n=40)
    sw = np.random.default_rng(0).integers(0, 3, 40)
    rep = np.repeat(np.arange(40), sw)
    a = SLOPE(alpha=0.05, tol=1e-10, max_iter=10000).fit(X, y, sample_weight=sw)
    b = SLOPE(alpha=0.05, tol=1e-10, max_iter=10000).fit(X[rep], y[rep])
    np.testing.assert_allclose(a.coef_, b.coef_, atol=1e-6)


def test_bh_sequence_and_bad_lambdas():
    X, y = _data()
    reg = SLOPE(alpha=0.1, q=0.2).fit(X, y)
    np.testing.assert_allclose(reg.lambdas_, SLOPEPenalty.bh_weights(10, 0.2))
    with pytest.raises(ValueError, match="one per feature"):
        SLOPE(lambdas=np.ones(3)).fit(X, y)
    with pytest.raises(ValueError, match="nonincreasing"):
        SLOPE(lambdas=np.arange(10.0)).fit(X, y)


def test_clusters_correlated_coefficients():
    # two identical columns: SLOPE gives them equal magnitudes (Bogdan et al., 2015)
    rng = np.random.default_rng(5)
    x = rng.standard_normal(100)
    X = np.column_stack([x, x + 1e-3 * rng.standard_normal(100), rng.standard_normal(100)])
    y = 2 * x + 0.1 * rng.standard_normal(100)
    reg = SLOPE(alpha=0.1, tol=1e-10, max_iter=20000).fit(X, y)
    assert reg.coef_[0] == pytest.approx(reg.coef_[1], rel=1e-6)
