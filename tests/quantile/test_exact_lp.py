"""The exact L1 solver of ``solver="auto"``: wide data (working set of features), tall
data (Portnoy-Koenker preprocessing), memory refusals (issue 15, item 2)."""

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.linear_model import QuantileRegressor

from sparsestat._engine import _memory
from sparsestat._engine.families import _quantile_lp
from sparsestat._engine.families._quantile_lp import solve_l1_exact, use_exact_lp
from sparsestat.quantile import QuantileAggregator, SparseQuantileRegressor, default_library


def _objective(X, y, coef, intercept, tau, alpha, sw=None):
    r = y - X @ coef - intercept
    sw = np.ones_like(y) if sw is None else sw
    return float(sw @ np.maximum(tau * r, (tau - 1) * r) / sw.sum()
                 + alpha * np.abs(coef).sum())


def _problem(n, p, seed=0, sparse=False):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    if sparse:
        X[rng.uniform(size=X.shape) < 0.7] = 0.0
    w = np.zeros(p)
    w[:3] = [1.0, -2.0, 0.5]
    y = X @ w + rng.standard_t(3, n)
    return X, y


def test_auto_picks_the_exact_solver_on_wide_and_tall_shapes():
    assert use_exact_lp(8, 5000) and use_exact_lp(1_000_000, 3)
    assert not use_exact_lp(5000, 50)  # ADMM's shape (bench_quantile.py)
    assert not use_exact_lp(30000, 2000)  # the subsample would be most of the data


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_wide_equals_sklearn(sparse, fit_intercept):
    # 10 x 400: the old solver built a 400 x 400 Gram; the working set never does
    X, y = _problem(10, 400, seed=1, sparse=sparse)
    rng = np.random.default_rng(2)
    sw = rng.uniform(0.5, 2.0, 10)
    Xf = sp.csc_matrix(X) if sparse else X
    X_before = Xf.copy()
    taus = [0.2, 0.5, 0.9]
    ours = SparseQuantileRegressor(taus, alpha=0.02, fit_intercept=fit_intercept).fit(
        Xf, y, sw)
    assert np.all(ours.dual_gap_ <= 1e-9)
    for k, tau in enumerate(taus):
        ref = QuantileRegressor(quantile=tau, alpha=0.02, fit_intercept=fit_intercept,
                                solver="highs").fit(X, y, sample_weight=sw)
        f_ref = _objective(X, y, ref.coef_, ref.intercept_, tau, 0.02, sw)
        f_ours = _objective(X, y, ours.coef_[k], ours.intercept_[k], tau, 0.02, sw)
        assert f_ours == pytest.approx(ours.objective_[k], rel=1e-12)
        assert f_ours <= f_ref * (1 + 1e-6)
        assert f_ours >= f_ref * (1 - 1e-6)  # HiGHS is exact too: equal objectives
        assert np.count_nonzero(ours.coef_[k]) <= 10  # a vertex: at most n parameters
    if sparse:
        for name in ("data", "indices", "indptr"):
            np.testing.assert_array_equal(getattr(Xf, name), getattr(X_before, name))


def test_wide_with_penalty_factor_and_zero_alpha():
    X, y = _problem(12, 150, seed=3)
    pf = np.ones(150)
    pf[:5] = 0.0  # unpenalized features: must enter the working set
    ours = SparseQuantileRegressor(0.4, alpha=0.05, penalty_factor=pf).fit(X, y)
    lp = SparseQuantileRegressor(0.4, alpha=0.05, penalty_factor=pf, solver="highs").fit(X, y)
    assert ours.objective_ == pytest.approx(lp.objective_, rel=1e-6)
    # alpha = 0 with p > n: an interpolating fit, objective 0
    free = SparseQuantileRegressor(0.5, alpha=0.0).fit(X, y)
    assert free.objective_ == pytest.approx(0.0, abs=1e-9)
    np.testing.assert_allclose(free.predict(X), y, atol=1e-7)


@pytest.mark.parametrize("tau, alpha, fit_intercept", [(0.5, 0.01, True), (0.9, 0.0, True),
                                                       (0.25, 0.01, False)])
def test_tall_preprocessing_equals_sklearn(monkeypatch, tau, alpha, fit_intercept):
    # a small direct-solve limit makes 3000 samples go through the preprocessing
    # (pilot subsample, globbed samples, fixups) instead of one LP
    monkeypatch.setattr(_quantile_lp, "_DIRECT_ROWS", 300)
    X, y = _problem(3000, 3, seed=4)
    res = solve_l1_exact(X, y, [tau], alpha, fit_intercept=fit_intercept)
    assert res.converged[0] and res.n_iter[0] >= 2  # more than one LP: preprocessed
    assert res.gap[0] <= 1e-9
    ref = QuantileRegressor(quantile=tau, alpha=alpha, fit_intercept=fit_intercept,
                            solver="highs").fit(X, y)
    f_ref = _objective(X, y, ref.coef_, ref.intercept_, tau, alpha)
    assert res.objective[0] == pytest.approx(f_ref, rel=1e-6)
    np.testing.assert_allclose(res.coef[0], ref.coef_, atol=1e-6)


def test_tall_sparse_weighted_preprocessing(monkeypatch):
    monkeypatch.setattr(_quantile_lp, "_DIRECT_ROWS", 300)
    X, y = _problem(2500, 4, seed=5, sparse=True)
    sw = np.random.default_rng(6).uniform(0.2, 3.0, 2500)
    sw[:10] = 0.0
    res = solve_l1_exact(sp.csr_matrix(X), y, [0.7], 0.005, sample_weight=sw)
    ref = QuantileRegressor(quantile=0.7, alpha=0.005, solver="highs").fit(X, y, sw)
    f_ref = _objective(X, y, ref.coef_, ref.intercept_, 0.7, 0.005, sw)
    assert res.objective[0] == pytest.approx(f_ref, rel=1e-6)


def test_wide_200000_features_in_linear_memory():
    # issue 15: 8 x 200000 raised MemoryError for a 298 GiB Gram matrix
    rng = np.random.default_rng(7)
    X = sp.random(8, 200_000, density=0.01, format="csc", random_state=8)
    y = np.asarray(X[:, :3] @ np.array([1.0, -1.0, 2.0])).ravel() + rng.standard_normal(8)
    model = SparseQuantileRegressor(alpha=0.001).fit(X, y)
    assert model.dual_gap_ <= 1e-9  # certified on all 200000 features
    assert np.count_nonzero(model.coef_) <= 8
    # ADMM's Gram is refused up front, naming the memory (nothing is allocated)
    with pytest.raises(ValueError, match=r"p x p Gram matrix \(p = 200000\) needs about .* GiB"):
        SparseQuantileRegressor(alpha=0.001, solver="admm").fit(X, y)


def test_exact_solver_refuses_what_cannot_fit(monkeypatch):
    # pretend 1 MiB is free: 2000 x 50 needs more, and fails before any LP is built
    monkeypatch.setattr(_memory, "available_memory", lambda: 2 ** 20)
    X, y = _problem(2000, 50, seed=9)
    with pytest.raises(ValueError, match=r"exact L1 quantile regression on 40000 x 50 "
                                         r"needs about .* GiB"):
        SparseQuantileRegressor(alpha=0.01).fit(np.vstack([X] * 20), np.tile(y, 20))
    with pytest.raises(ValueError, match="scikit-learn's linear program .* needs about"):
        SparseQuantileRegressor(alpha=0.01, solver="highs").fit(X, y)


def test_aggregator_default_library_on_wide_data():
    # the default library's linear member used to build the p x p Gram as well; its
    # gradient-boosting member is left out only for time (minutes on 3000 features)
    X, y = _problem(60, 3000, seed=10)
    library = [(name, est) for name, est in default_library(n_neighbors=5) if name != "hgb"]
    agg = QuantileAggregator(library, quantiles=[0.1, 0.5, 0.9], cv=2,
                             random_state=0).fit(X, y)
    pred = agg.predict(X[:5])
    assert pred.shape == (5, 3) and np.all(np.isfinite(pred))
    assert np.all(np.diff(pred, axis=1) >= 0)


def test_highs_failure_falls_back_to_admm_with_a_warning(monkeypatch):
    from sklearn.exceptions import ConvergenceWarning

    def failing(X, y, c, tau, apf, fit_intercept):
        return _quantile_lp._LPSolution(np.zeros(X.shape[1]), 0.0, np.zeros(X.shape[0]),
                                        False, 1, "Status is 4: Numerical difficulties")

    monkeypatch.setattr(_quantile_lp, "_direct", failing)
    X, y = _problem(10, 30, seed=11)
    with pytest.warns(ConvergenceWarning, match="falling back to ADMM"):
        model = SparseQuantileRegressor(alpha=0.05).fit(X, y)
    ref = QuantileRegressor(alpha=0.05, solver="highs").fit(X, y)
    f_ref = _objective(X, y, ref.coef_, ref.intercept_, 0.5, 0.05)
    assert np.all(np.isfinite(model.coef_))
    assert model.objective_ <= f_ref * (1 + 1e-4)
