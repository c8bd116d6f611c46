"""The pinball ADMM solver against scikit-learn's linear program, and its pieces."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import QuantileRegressor

from sparsestat._engine import L1, ElasticNet
from sparsestat._engine.families._pinball import pinball_prox, pinball_value, solve_pinball
from sparsestat.quantile import SparseQuantileRegressor


def _problem(n=150, p=8, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    w = np.zeros(p)
    w[:3] = [1.5, -2.0, 0.5]
    return X, X @ w + rng.standard_t(3, n)


def _objective(X, y, coef, intercept, tau, alpha, sw=None):
    r = y - X @ coef - intercept
    sw = np.ones_like(y) if sw is None else sw
    return sw @ np.maximum(tau * r, (tau - 1) * r) / sw.sum() + alpha * np.abs(coef).sum()


@pytest.mark.parametrize("tau, alpha", [(0.5, 0.01), (0.8, 0.05), (0.2, 0.0)])
def test_objective_matches_highs(tau, alpha):
    X, y = _problem()
    ref = QuantileRegressor(quantile=tau, alpha=alpha, solver="highs").fit(X, y)
    ours = SparseQuantileRegressor(quantile=tau, alpha=alpha).fit(X, y)
    f_ref = _objective(X, y, ref.coef_, ref.intercept_, tau, alpha)
    f_ours = _objective(X, y, ours.coef_, ours.intercept_, tau, alpha)
    assert f_ours <= f_ref * (1 + 1e-7)
    assert ours.objective_ == pytest.approx(f_ours, rel=1e-12)
    assert ours.dual_gap_ <= 1e-6


def test_sample_weight_and_no_intercept_match_highs(rng):
    X, y = _problem(seed=1)
    sw = rng.uniform(0.2, 3.0, size=y.shape[0])
    ref = QuantileRegressor(quantile=0.3, alpha=0.02, fit_intercept=False).fit(
        X, y, sample_weight=sw)
    ours = SparseQuantileRegressor(quantile=0.3, alpha=0.02, fit_intercept=False).fit(
        X, y, sample_weight=sw)
    assert ours.intercept_ == 0.0
    f_ref = _objective(X, y, ref.coef_, 0.0, 0.3, 0.02, sw)
    f_ours = _objective(X, y, ours.coef_, 0.0, 0.3, 0.02, sw)
    assert f_ours <= f_ref * (1 + 1e-7)


def test_sparse_design_matches_dense():
    X, y = _problem(seed=2)
    X[np.abs(X) < 0.8] = 0.0
    dense = SparseQuantileRegressor(quantile=0.6, alpha=0.02).fit(X, y)
    sparse = SparseQuantileRegressor(quantile=0.6, alpha=0.02).fit(sp.csr_matrix(X), y)
    assert sparse.objective_ == pytest.approx(dense.objective_, rel=1e-7)


def test_elastic_net_is_optimal_against_cvxpy():
    cp = pytest.importorskip("cvxpy")
    X, y = _problem(n=80, p=5, seed=3)
    tau, alpha, l1r = 0.7, 0.05, 0.5
    res = solve_pinball(X, y, [tau], ElasticNet(alpha, l1r), tol=1e-8)
    w, b = cp.Variable(5), cp.Variable()
    r = y - X @ w - b
    obj = cp.sum(cp.maximum(tau * r, (tau - 1) * r)) / 80 + alpha * (
        l1r * cp.norm1(w) + (1 - l1r) / 2 * cp.sum_squares(w))
    cp.Problem(cp.Minimize(obj)).solve()
    assert res.objective[0] <= obj.value + 1e-6


def test_several_levels_noncrossing_and_shapes():
    X, y = _problem(seed=5)
    model = SparseQuantileRegressor(quantile=[0.1, 0.5, 0.9], alpha=0.01).fit(X, y)
    assert model.coef_.shape == (3, X.shape[1])
    pred = model.predict(X)
    assert pred.shape == (X.shape[0], 3)
    assert np.all(np.diff(pred, axis=1) >= 0)
    for k, tau in enumerate([0.1, 0.5, 0.9]):
        ref = QuantileRegressor(quantile=tau, alpha=0.01).fit(X, y)
        f_ref = _objective(X, y, ref.coef_, ref.intercept_, tau, 0.01)
        assert model.objective_[k] <= f_ref * (1 + 1e-7)


def test_l1_gives_sparse_coefficients():
    X, y = _problem(n=300, p=20, seed=5)
    model = SparseQuantileRegressor(alpha=0.05).fit(X, y)
    assert set(np.flatnonzero(model.coef_)) <= set(range(20))
    assert np.count_nonzero(model.coef_) < 10
    assert set(np.flatnonzero(model.coef_)) >= {0, 1}


def test_degenerate_case_crossover_is_exact_and_stagnation_reported():
    # a degenerate case where ADMM stagnates above the LP optimum and the vertex polish
    # does not find it: without crossover the fit says so, with it the LP finishes
    X, y = _problem(seed=4)
    ref = QuantileRegressor(quantile=0.9, alpha=0.01).fit(X, y)
    f_ref = _objective(X, y, ref.coef_, ref.intercept_, 0.9, 0.01)
    stuck = solve_pinball(X, y, [0.9], L1(0.01), crossover=False)
    assert not stuck.converged[0]
    assert stuck.gap[0] > 1e-6
    assert f_ref <= stuck.objective[0] <= f_ref * (1 + 1e-3)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        model = SparseQuantileRegressor(quantile=0.9, alpha=0.01).fit(X, y)
    assert model.objective_ <= f_ref * (1 + 1e-9)


def test_convergence_warning_when_stopped_early():
    X, y = _problem(seed=6)
    with pytest.warns(ConvergenceWarning, match="did not converge"):
        # the elastic net (a QP) has no LP crossover
        SparseQuantileRegressor(alpha=0.01, l1_ratio=0.5, max_iter=2).fit(X, y)


@pytest.mark.parametrize("quantile", [0.0, 1.0, -0.1, [0.5, 0.2], [0.2, 0.2], [0.1, 1.5]])
def test_bad_levels_raise(quantile):
    X, y = _problem(n=20, p=3)
    with pytest.raises(ValueError, match="quantile"):
        SparseQuantileRegressor(quantile=quantile).fit(X, y)


def test_input_not_mutated():
    X, y = _problem(n=40, p=3)
    X0, y0 = X.copy(), y.copy()
    SparseQuantileRegressor(quantile=[0.2, 0.8], alpha=0.01).fit(X, y)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)


@settings(max_examples=60, deadline=None)
@given(v=st.floats(-10, 10), tau=st.floats(0.01, 0.99), step=st.floats(0.01, 10))
def test_pinball_prox_is_the_minimizer(v, tau, step):
    z = pinball_prox(np.array([v]), tau, step)[0]
    grid = np.linspace(z - 1, z + 1, 2001)
    vals = step * np.maximum(tau * grid, (tau - 1) * grid) + 0.5 * (grid - v) ** 2
    best = step * max(tau * z, (tau - 1) * z) + 0.5 * (z - v) ** 2
    assert best <= vals.min() + 1e-9


def test_pinball_value():
    assert pinball_value([1.0, 2.0], [0.0, 3.0], 0.9) == pytest.approx(0.5 * (0.9 + 0.1))
