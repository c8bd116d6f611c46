"""partial_fit and fits from accumulated statistics (no dask needed)."""

import pickle
import subprocess
import sys
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone

from sparsestat._engine._sufficient_stats import pseudo_design
from sparsestat.linear_model import (
    MAX_FEATURES_OUT_OF_CORE,
    ElasticNet,
    GroupLasso,
    L0Regressor,
    Lasso,
    MCPRegressor,
    SCADRegressor,
    SparseRegressorIC,
    SufficientStatistics,
)

pytestmark = pytest.mark.filterwarnings(
    "ignore::sparsestat.linear_model.NonconvexWarning")

#: the seven estimators of the out-of-core path, at settings where the fit is not empty;
#: tight tolerances so that "equal" means the same optimum, not the same stopping point
ESTIMATORS = [
    Lasso(alpha=0.05, tol=1e-10),
    ElasticNet(alpha=0.05, l1_ratio=0.7, tol=1e-10),
    MCPRegressor(alpha=0.05, tol=1e-10),
    SCADRegressor(alpha=0.05, tol=1e-10),
    L0Regressor(alpha=0.01, tol=1e-10),
    GroupLasso(alpha=0.05, groups=2, tol=1e-10),
    SparseRegressorIC(penalty="mcp", alphas=30, tol=1e-10),
]
IDS = [type(e).__name__ for e in ESTIMATORS]


def _data(n=1000, p=8, shift=3.0, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) + shift
    y = X[:, :3] @ np.array([1.0, -2.0, 0.5]) + 10.0 + rng.standard_normal(n)
    w = rng.uniform(0.2, 2.0, n)
    return X, y, w


def _quiet_fit(est, *args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return est.fit(*args, **kw)


@pytest.mark.parametrize("est", ESTIMATORS, ids=IDS)
def test_partial_fit_over_100_chunks_equals_fit(est):
    X, y, w = _data()
    ref = _quiet_fit(clone(est), X, y, sample_weight=w)
    inc = clone(est)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        for rows in np.array_split(np.arange(X.shape[0]), 100):
            inc.partial_fit(X[rows], y[rows], sample_weight=w[rows])
    assert inc.sufficient_stats_.n_samples == X.shape[0]
    np.testing.assert_allclose(inc.coef_, ref.coef_, rtol=0, atol=1e-8)
    assert abs(inc.intercept_ - ref.intercept_) < 1e-8
    assert np.count_nonzero(ref.coef_) > 0
    if hasattr(ref, "alpha_"):
        np.testing.assert_allclose(inc.alpha_, ref.alpha_, rtol=1e-12)
    np.testing.assert_allclose(inc.predict(X), ref.predict(X), atol=1e-7)


@pytest.mark.parametrize("est", [ESTIMATORS[1], ESTIMATORS[2], ESTIMATORS[5]],
                         ids=["ElasticNet", "MCPRegressor", "GroupLasso"])
def test_fit_from_merged_statistics_without_intercept(est):
    X, y, w = _data(n=400)
    est = clone(est).set_params(fit_intercept=False)
    ref = _quiet_fit(clone(est), X, y, sample_weight=w)
    parts = [SufficientStatistics.from_data(X[i:i + 50], y[i:i + 50], w[i:i + 50])
             for i in range(0, 400, 50)]
    stats = pickle.loads(pickle.dumps(sum(parts)))  # shipped from workers and added up
    got = _quiet_fit(clone(est), stats, None)
    np.testing.assert_allclose(got.coef_, ref.coef_, rtol=0, atol=1e-8)
    assert got.intercept_ == 0.0 and got.n_features_in_ == X.shape[1]


def test_sparse_chunks_equal_the_in_memory_gram_fit():
    rng = np.random.default_rng(1)
    X = sp.random(600, 10, density=0.3, random_state=rng, format="csr")
    y = np.asarray(X @ rng.standard_normal(10)).ravel() + 0.1 * rng.standard_normal(600)
    w = rng.uniform(0.5, 1.5, 600)
    X_before = X.copy()
    ref = Lasso(alpha=0.01, tol=1e-10, precompute=True).fit(X, y, sample_weight=w)
    inc = Lasso(alpha=0.01, tol=1e-10)
    for i in range(0, 600, 60):
        inc.partial_fit(X[i:i + 60], y[i:i + 60], sample_weight=w[i:i + 60])
    np.testing.assert_allclose(inc.coef_, ref.coef_, atol=1e-8)
    assert abs(inc.intercept_ - ref.intercept_) < 1e-8
    assert (X != X_before).nnz == 0  # the caller's matrix is untouched


def test_statistics_are_stable_for_large_column_means():
    # raw X^T X - n m m^T loses every digit here; the pairwise centered update does not
    rng = np.random.default_rng(2)
    X = rng.standard_normal((5000, 3)) + 1e7
    y = rng.standard_normal(5000) + 1e7
    stats = sum(SufficientStatistics.from_data(X[i:i + 50], y[i:i + 50])
                for i in range(0, 5000, 50))
    Xc = X - X.mean(axis=0)  # two-pass reference
    scale = np.abs(Xc.T @ Xc).max()
    np.testing.assert_allclose(stats.xx_centered, Xc.T @ Xc, rtol=0, atol=1e-10 * scale)
    np.testing.assert_allclose(stats.xy_centered, Xc.T @ (y - y.mean()), rtol=0,
                               atol=1e-10 * scale)
    naive = X.T @ X - 5000 * np.outer(X.mean(axis=0), X.mean(axis=0))
    assert np.abs(naive - Xc.T @ Xc).max() > 1e-3 * scale


def test_statistics_merge_algebra_and_raw_moments():
    X, y, w = _data(n=300, p=4)
    whole = SufficientStatistics.from_data(X, y, w)
    a = SufficientStatistics.from_data(X[:120], y[:120], w[:120])
    b = SufficientStatistics.from_data(X[120:], y[120:], w[120:])
    empty = SufficientStatistics(4)
    for merged in (a + b, b.merge(a), sum([empty, a, b]), a + empty + b):
        assert merged.n_samples == 300
        np.testing.assert_allclose(merged.xtx, (X * w[:, None]).T @ X, rtol=1e-12)
        np.testing.assert_allclose(merged.xty, X.T @ (w * y), rtol=1e-12)
        np.testing.assert_allclose(merged.yty, w @ y ** 2, rtol=1e-12)
        np.testing.assert_allclose(merged.x_sum, w @ X, rtol=1e-12)
        np.testing.assert_allclose(merged.y_sum, w @ y, rtol=1e-12)
        assert merged.weight_sum == pytest.approx(w.sum(), rel=1e-14)
        np.testing.assert_allclose(merged.xx_centered, whole.xx_centered, rtol=1e-11)
    coef = np.array([0.5, -1.0, 0.0, 2.0])
    np.testing.assert_allclose(whole.sq_errors(coef, 3.0),
                               [w @ (y - X @ coef - 3.0) ** 2], rtol=1e-10)
    with pytest.raises(ValueError, match="3 and 4 features"):
        SufficientStatistics(3).merge(a)
    with pytest.raises(TypeError, match="SufficientStatistics"):
        a.merge(np.zeros(3))
    with pytest.raises(ValueError, match="nonnegative"):
        SufficientStatistics.from_data(X, y, -w)


def test_integer_weights_equal_repeated_rows():
    X, y, _ = _data(n=200, p=5)
    counts = np.random.default_rng(3).integers(0, 4, 200)
    weighted = Lasso(alpha=0.05, tol=1e-12).partial_fit(X, y, sample_weight=counts)
    repeated = Lasso(alpha=0.05, tol=1e-12).partial_fit(np.repeat(X, counts, axis=0),
                                                        np.repeat(y, counts))
    np.testing.assert_allclose(weighted.coef_, repeated.coef_, atol=1e-10)


def test_ic_from_statistics_reads_weights_as_precisions():
    # as SparseRegressorIC.fit: the criterion does not depend on the scale of the weights,
    # and equals the in-memory fit's when every weight is positive
    X, y, _ = _data(n=200, p=5)
    w = np.random.default_rng(3).uniform(0.5, 2.0, 200)
    ic = SparseRegressorIC(alphas=20).partial_fit(X, y, sample_weight=w)
    ic_scaled = SparseRegressorIC(alphas=20).partial_fit(X, y, sample_weight=100 * w)
    in_memory = SparseRegressorIC(alphas=20).fit(X, y, sample_weight=w)
    np.testing.assert_allclose(ic_scaled.criterion_, ic.criterion_, rtol=1e-8)
    np.testing.assert_allclose(in_memory.criterion_, ic.criterion_, rtol=1e-6)
    # the same grid point (the two grids agree to rounding: one comes from the statistics)
    assert np.argmin(ic.criterion_) == np.argmin(in_memory.criterion_)
    assert ic.alpha_ == pytest.approx(in_memory.alpha_, rel=1e-12)


def test_pseudo_design_reproduces_the_gram_problem():
    rng = np.random.default_rng(4)
    A = rng.standard_normal((50, 6))
    A[:, 5] = A[:, 4]  # rank-deficient: no Cholesky factor, the eigen route still works
    yv = rng.standard_normal(50)
    G, b, yy = A.T @ A / 50, A.T @ yv / 50, yv @ yv / 50
    Z, t = pseudo_design(G, b, yy)
    m = Z.shape[0]
    for w in (np.zeros(6), rng.standard_normal(6)):
        assert (t - Z @ w) @ (t - Z @ w) / (2 * m) == pytest.approx(
            yy / 2 - b @ w + w @ G @ w / 2, rel=1e-10)


def test_feature_limit_is_told_up_front():
    X = np.zeros((2, MAX_FEATURES_OUT_OF_CORE + 1))
    with pytest.raises(ValueError, match="in-memory estimator"):
        Lasso().partial_fit(X, np.zeros(2))
    with pytest.raises(ValueError, match=f"at most {MAX_FEATURES_OUT_OF_CORE}"):
        SufficientStatistics.from_data(X, np.zeros(2))


def test_partial_fit_checks_features_and_fit_starts_over():
    X, y, _ = _data(n=100, p=5)
    est = Lasso(alpha=0.05).partial_fit(X[:50], y[:50])
    with pytest.raises(ValueError, match="X has 4 features"):
        est.partial_fit(X[50:, :4], y[50:])
    est.fit(X, y)
    assert not hasattr(est, "sufficient_stats_")
    with pytest.warns(UserWarning, match="after an in-memory fit"):
        est.partial_fit(X[:50], y[:50])
    assert est.sufficient_stats_.n_samples == 50
    with pytest.raises(ValueError, match="statistics alone"):
        Lasso().fit(est.sufficient_stats_, y)


def test_importing_linear_model_does_not_import_dask():
    code = ("import sys, sparsestat.linear_model, sparsestat.privacy; "
            "assert 'dask' not in sys.modules, sorted(m for m in sys.modules if 'dask' in m)")
    subprocess.run([sys.executable, "-c", code], check=True)
