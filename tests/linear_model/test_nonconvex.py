"""MCP, SCAD, L0, group lasso and the general estimator."""

import pickle
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone

from sparsestat._engine import _penalty_kernels as _pk
from sparsestat._engine import L1, MCP, SCAD, GroupL1, LogSum, Lq, Quadratic
from sparsestat.linear_model import (
    GeneralizedLinearEstimator,
    GroupLasso,
    L0Regressor,
    Lasso,
    MCPRegressor,
    NonconvexWarning,
    SCADRegressor,
)

pytestmark = pytest.mark.filterwarnings("ignore::sparsestat.linear_model.NonconvexWarning")


def _design(rng, n=80, p=12, scales=None):
    X = rng.standard_normal((n, p))
    if scales is not None:
        X *= scales
    return X


def _objective(X, y, w, pen, b=0.0):
    r = y - X @ w - b
    return 0.5 * r @ r / X.shape[0] + pen.value(w)


@pytest.mark.parametrize("make", [lambda: MCPRegressor(alpha=0.05, gamma=2.0),
                                  lambda: SCADRegressor(alpha=0.05, gamma=2.5),
                                  lambda: L0Regressor(alpha=0.002)])
def test_coordinatewise_optimal_by_brute_force_on_small_norm_columns(make, rng):
    # columns of norm ~0.03..1: the coordinate step 1/L_j reaches ~1000 >> gamma, where
    # a prox that is wrong for large steps (skglm's MCP) stops at non-optimal points
    p = 12
    X = _design(rng, p=p, scales=np.geomspace(0.03, 1.0, p))
    w_true = np.zeros(p)
    w_true[[0, 1, 5, 11]] = [40.0, -30.0, 8.0, 1.5]
    y = X @ w_true + 0.05 * rng.standard_normal(X.shape[0])
    est = make().set_params(standardize=False, fit_intercept=False, tol=1e-10).fit(X, y)
    pen = est._penalty(p)
    params = pen.params_array()
    w = est.coef_.astype(float)
    n = X.shape[0]
    r0 = y - X @ w
    base = _objective(X, y, w, pen)
    for j in range(p):
        grid = np.concatenate([np.linspace(-3 * abs(w[j]) - 60, 3 * abs(w[j]) + 60, 20001),
                               [0.0]])
        d = grid - w[j]
        # objective along coordinate j, every other coordinate fixed
        quad = 0.5 * (r0 @ r0 - 2 * d * (X[:, j] @ r0) + d ** 2 * (X[:, j] @ X[:, j])) / n
        pen_j = np.array([_pk.value_1d(pen.code, params, t, 1.0) for t in grid])
        vals = quad + pen.value(w) - _pk.value_1d(pen.code, params, w[j], 1.0) + pen_j
        assert base <= vals.min() + 1e-9 * (1 + abs(base)), (j, w[j], grid[np.argmin(vals)])


@pytest.mark.slow  # skglm compiles its jitclasses for ~20 s on first use
def test_mcp_objective_matches_skglm_where_skglm_is_correct(rng):
    skglm = pytest.importorskip("skglm")
    n, p = 400, 20
    X = rng.standard_normal((n, p))
    X = (X - X.mean(0)) / X.std(0)  # unit columns: step 1 < gamma, skglm's prox is right
    y = X[:, :4] @ np.array([2.0, -1.0, 0.5, 0.2]) + rng.standard_normal(n)
    y -= y.mean()
    for alpha, gamma in [(0.1, 3.0), (0.05, 2.0)]:
        ours = MCPRegressor(alpha=alpha, gamma=gamma, standardize=False, fit_intercept=False,
                            tol=1e-10).fit(X, y)
        theirs = skglm.MCPRegression(alpha=alpha, gamma=gamma, fit_intercept=False,
                                     tol=1e-10).fit(X, y)
        pen = MCP(alpha, gamma)
        f_ours = _objective(X, y, ours.coef_, pen)
        f_theirs = _objective(X, y, theirs.coef_, pen)
        assert f_ours <= f_theirs + 1e-10
        np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-5)


def test_mcp_large_gamma_is_lasso_on_standardized_columns(rng):
    X = _design(rng)
    y = X[:, 0] - 2 * X[:, 3] + 0.5 * rng.standard_normal(X.shape[0])
    Xs = (X - X.mean(0)) / X.std(0)
    mcp = MCPRegressor(alpha=0.1, gamma=1e8, tol=1e-10).fit(X, y)
    lasso = Lasso(alpha=0.1, tol=1e-12).fit(Xs, y)
    np.testing.assert_allclose(mcp.coef_ * X.std(0), lasso.coef_, atol=1e-6)


def test_standardize_makes_fit_scale_equivariant(rng):
    X = _design(rng)
    y = X[:, 0] - 2 * X[:, 3] + 0.5 * rng.standard_normal(X.shape[0])
    scales = np.geomspace(0.01, 100, X.shape[1])
    for est in (MCPRegressor(alpha=0.1), SCADRegressor(alpha=0.1), L0Regressor(alpha=0.05)):
        a = clone(est).set_params(tol=1e-10).fit(X, y)
        b = clone(est).set_params(tol=1e-10).fit(X * scales, y)
        np.testing.assert_allclose(b.coef_ * scales, a.coef_, rtol=1e-6, atol=1e-8)
        assert b.intercept_ == pytest.approx(a.intercept_, abs=1e-7)


@pytest.mark.parametrize("Est", [MCPRegressor, SCADRegressor, L0Regressor])
def test_sparse_dense_float32_agree(Est, rng):
    X = _design(rng)
    X[X < 0.3] = 0.0
    y = X[:, 0] - 2 * X[:, 3] + 0.1 * rng.standard_normal(X.shape[0])
    kw = dict(alpha=0.02 if Est is not L0Regressor else 0.01, tol=1e-10)
    dense = Est(**kw).fit(X, y)
    sparse = Est(**kw).fit(sp.csr_matrix(X), y)
    f32 = Est(**kw).fit(X.astype(np.float32), y)
    np.testing.assert_allclose(sparse.coef_, dense.coef_, atol=1e-7)
    assert sparse.intercept_ == pytest.approx(dense.intercept_, abs=1e-7)
    assert f32.coef_.dtype == np.float32
    np.testing.assert_allclose(f32.coef_, dense.coef_, atol=1e-3)


def test_sample_weight_is_repetition_and_x_untouched(rng):
    X = _design(rng, n=40, p=6)
    y = X[:, 0] + 0.1 * rng.standard_normal(40)
    sw = rng.integers(0, 3, 40).astype(float)
    X_copy, y_copy = X.copy(), y.copy()
    a = MCPRegressor(alpha=0.05, tol=1e-10).fit(X, y, sample_weight=sw)
    rep = np.repeat(np.arange(40), sw.astype(int))
    b = MCPRegressor(alpha=0.05, tol=1e-10).fit(X[rep], y[rep])
    np.testing.assert_allclose(a.coef_, b.coef_, atol=1e-7)
    np.testing.assert_array_equal(X, X_copy)
    np.testing.assert_array_equal(y, y_copy)


def test_penalty_factor_positive_and_warm_start(rng):
    X = _design(rng)
    y = X[:, 0] - 2 * X[:, 3] + 0.3 * X[:, 5] + 0.1 * rng.standard_normal(X.shape[0])
    pf = np.ones(X.shape[1])
    pf[7] = 0.0
    est = MCPRegressor(alpha=0.3, penalty_factor=pf).fit(X, y)
    assert est.coef_[7] != 0.0  # unpenalized: always in
    pos = MCPRegressor(alpha=0.05, positive=True).fit(X, y)
    assert np.all(pos.coef_ >= 0) and pos.coef_[3] == 0.0
    warm = MCPRegressor(alpha=0.05, warm_start=True, tol=1e-10).fit(X, y)
    n_first = warm.n_iter_
    warm.fit(X, y)
    assert warm.n_iter_ <= 1 < n_first


def test_warnings_alpha_max_and_nonconvexity(rng):
    X = _design(rng, n=30, p=60)  # p > n: the MCP objective cannot be locally convex
    y = X[:, :20] @ rng.standard_normal(20)
    with pytest.warns(UserWarning, match="alpha_max"):
        MCPRegressor(alpha=1e6).fit(X, y)
    with pytest.warns(NonconvexWarning, match="locally nonconvex"):
        est = MCPRegressor(alpha=0.001, gamma=1.5, max_iter=5000).fit(X, y)
    assert est.locally_convex_ is False
    X = _design(rng, n=500, p=5)
    y = X[:, 0] + rng.standard_normal(500)
    with warnings.catch_warnings():
        warnings.simplefilter("error", NonconvexWarning)
        est = MCPRegressor(alpha=0.05, gamma=3.0).fit(X, y)
    assert est.locally_convex_ is True


def test_bad_inputs_get_clear_errors(rng):
    X = _design(rng, n=20, p=4)
    y = X[:, 0]
    Xnan = X.copy()
    Xnan[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        MCPRegressor().fit(Xnan, y)
    with pytest.raises(ValueError, match="penalty_factor"):
        MCPRegressor(penalty_factor=[1.0, 2.0]).fit(X, y)
    with pytest.raises(ValueError, match="gamma"):
        SCADRegressor(gamma=1.5).fit(X, y)
    with pytest.raises(ValueError, match="partition"):
        GroupLasso(groups=[[0, 1], [1, 2, 3]]).fit(X, y)
    with pytest.raises(ValueError, match="one per group"):
        GroupLasso(groups=2, weights=[1.0]).fit(X, y)
    with pytest.raises(TypeError, match="penalty"):
        GeneralizedLinearEstimator(Quadratic(), penalty=Lasso()).fit(X, y)


def test_group_lasso_with_singletons_is_the_lasso(rng):
    X = _design(rng)
    y = X[:, 0] - 2 * X[:, 3] + 0.1 * rng.standard_normal(X.shape[0])
    gl = GroupLasso(alpha=0.1, groups=1, tol=1e-10, max_iter=20000).fit(X, y)
    lasso = Lasso(alpha=0.1, tol=1e-12).fit(X, y)
    np.testing.assert_allclose(gl.coef_, lasso.coef_, atol=1e-7)


def test_group_lasso_selects_whole_groups_and_meets_kkt(rng):
    X = _design(rng, n=120, p=12)
    y = X[:, 3:6] @ np.array([1.0, -1.0, 0.5]) + 0.1 * rng.standard_normal(120)
    est = GroupLasso(alpha=0.05, groups=3, tol=1e-10, max_iter=20000).fit(X, y)
    nz = np.abs(est.coef_).reshape(4, 3).sum(axis=1) > 0
    assert nz.tolist() == [False, True, False, False]
    assert np.all(est.coef_[3:6] != 0)
    # first-order conditions of the group problem at the returned point
    Xc, yc = X - X.mean(0), y - y.mean()
    grad = -Xc.T @ (yc - Xc @ est.coef_) / 120
    pen = GroupL1(0.05, groups=3, n_features=12)
    assert pen.subdiff_distance(est.coef_, grad).max() < 1e-7
    assert est.alpha_max_ > 0.05
    empty = GroupLasso(alpha=est.alpha_max_ * 1.01, groups=3).fit(X, y)
    assert not np.any(empty.coef_)


@pytest.mark.parametrize("penalty", [MCP(0.05, 3.0), SCAD(0.05, 3.7), Lq(0.01, 0.5),
                                     LogSum(0.01, 0.5), L1(0.05)])
def test_general_estimator_clone_pickle_and_fit(penalty, rng):
    X = _design(rng)
    y = X[:, 0] - 2 * X[:, 3] + 0.1 * rng.standard_normal(X.shape[0])
    est = GeneralizedLinearEstimator(Quadratic(), penalty, standardize=True)
    again = pickle.loads(pickle.dumps(clone(est)))
    assert again.penalty == penalty and again.get_params()["penalty"] == penalty
    again.fit(X, y)
    assert {0, 3} <= set(np.flatnonzero(again.coef_))
    assert again.score(X, y) > 0.9
    # the fitted estimator pickles too (engine objects are plain classes)
    pickle.loads(pickle.dumps(again)).predict(X)


def test_polish_reaches_the_same_point_from_a_loose_solve(rng):
    X = _design(rng, n=200, p=30)
    y = X[:, :3] @ np.array([2.0, -1.0, 1.0]) + 0.1 * rng.standard_normal(200)
    tight = GeneralizedLinearEstimator(Quadratic(), MCP(0.05, 3.0), tol=1e-12).fit(X, y)
    loose = GeneralizedLinearEstimator(Quadratic(), MCP(0.05, 3.0), tol=1e-2).fit(X, y)
    from sparsestat._engine._polish import newton_polish

    w, b, ok = newton_polish(X, y, Quadratic(), MCP(0.05, 3.0), loose.coef_.copy(),
                             loose.intercept_, None, np.ones(30), True)
    assert ok
    np.testing.assert_allclose(w, tight.coef_, atol=1e-9)
    assert np.abs(loose.coef_ - tight.coef_).max() > 10 * np.abs(w - tight.coef_).max()


def test_clarke_stationary_zero_is_certified_away(rng):
    # one column of tiny norm (L = 0.01) with gradient half of alpha at w = 0: zero is
    # Clarke-stationary (the solvers' stopping rule), but the exact coordinate minimizer
    # for MCP with L * gamma < 1 is far from zero and lowers the objective a lot
    from sparsestat._engine import solve

    n = 100
    x = rng.standard_normal(n)
    x *= 0.1 / np.sqrt(x @ x / n)
    alpha, gamma = 1.0, 2.0
    y = -0.5 * alpha * n * x / (x @ x) * 0.01 / 0.01  # makes x^T y / n = 0.5 alpha
    y = y * 0.5 * alpha / (x @ y / n)
    X = x[:, None]
    raw = solve(X, y, Quadratic(), MCP(alpha, gamma), fit_intercept=False, tol=1e-10)
    assert raw.coef[0] == 0.0  # Clarke-stationary stop
    est = MCPRegressor(alpha=alpha, gamma=gamma, standardize=False, fit_intercept=False,
                       tol=1e-10).fit(X, y)
    pen = MCP(alpha, gamma)
    assert est.coef_[0] != 0.0
    assert _objective(X, y, est.coef_, pen) < _objective(X, y, raw.coef, pen) - 1.0


def test_greedy_gsl_matches_cyclic_and_does_support_size_work(rng):
    from sparsestat._engine._greedy_cd import solve_greedy_gram

    X = _design(rng, n=150, p=40)
    y = X[:, :3] @ np.array([1.0, -2.0, 1.5]) + 0.1 * rng.standard_normal(150) + 2.0
    for pen in (L1(0.05), MCP(0.05, 3.0), SCAD(0.05, 3.7)):
        greedy = GeneralizedLinearEstimator(Quadratic(), pen, solver="greedy",
                                            tol=1e-10).fit(X, y)
        cyclic = GeneralizedLinearEstimator(Quadratic(), pen, tol=1e-10).fit(X, y)
        np.testing.assert_allclose(greedy.coef_, cyclic.coef_, atol=1e-8)
        assert greedy.intercept_ == pytest.approx(cyclic.intercept_, abs=1e-8)
    # orthogonal design: each active coordinate is visited exactly once, nothing else
    b = np.zeros(1000)
    b[[3, 500, 999]] = [2.0, -3.0, 1.5]
    w, n_updates, crit, ok, _ = solve_greedy_gram(sp.identity(1000), b, L1(alpha=1.0))
    assert ok and n_updates == 3
    np.testing.assert_allclose(w[[3, 500, 999]], [1.0, -2.0, 0.5])
    with pytest.raises(ValueError, match="fit_intercept=False"):
        GeneralizedLinearEstimator(solver="greedy").fit(sp.csr_matrix(X), y)


def test_convergence_warning_and_group_lasso_sparse_input(rng):
    from sklearn.exceptions import ConvergenceWarning

    X = _design(rng, n=100, p=30)
    y = X[:, :5] @ np.ones(5) + 0.1 * rng.standard_normal(100)
    with pytest.warns(ConvergenceWarning, match="did not converge"):
        MCPRegressor(alpha=0.001, max_iter=1, tol=1e-12).fit(X, y)
    with pytest.warns(ConvergenceWarning, match="did not converge"):
        GroupLasso(alpha=0.001, groups=3, max_iter=2, tol=1e-12).fit(X, y)
    X[np.abs(X) < 0.5] = 0.0
    dense = GroupLasso(alpha=0.02, groups=3, tol=1e-10, max_iter=20000).fit(X, y)
    sparse = GroupLasso(alpha=0.02, groups=3, tol=1e-10, max_iter=20000).fit(
        sp.csc_matrix(X), y)
    np.testing.assert_allclose(sparse.coef_, dense.coef_, atol=1e-7)
    assert sparse.intercept_ == pytest.approx(dense.intercept_, abs=1e-7)


def test_group_block_cd_matches_fista_for_both_datafits(rng):
    from sparsestat._engine import Logistic

    X = _design(rng, n=120, p=12)
    y = X[:, 3:6] @ np.array([1.0, -1.0, 0.5]) + 0.3 * rng.standard_normal(120) + 1.0
    yb = np.where(y > 1.0, 1, 0)
    for datafit, target, alpha in ((Quadratic(), y, 0.05), (Logistic(), yb, 0.01)):
        pen = GroupL1(alpha, groups=[[0, 5, 7], [1, 2], [3, 4, 6], [8, 9, 10, 11]])
        bcd = GeneralizedLinearEstimator(datafit, pen, tol=1e-10, max_iter=10000).fit(
            X, target)
        fista = GeneralizedLinearEstimator(datafit, pen, solver="fista", tol=1e-10,
                                           max_iter=100000).fit(X, target)
        np.testing.assert_allclose(bcd.coef_, fista.coef_, atol=1e-7)
        assert bcd.intercept_ == pytest.approx(fista.intercept_, abs=1e-7)


# --- issue 14 ---------------------------------------------------------------------------

@pytest.mark.parametrize("Est", [MCPRegressor, L0Regressor, SCADRegressor, Lasso,
                                 GroupLasso])
def test_n_iter_is_at_least_one_with_default_parameters(Est):
    # scikit-learn's check_non_transformer_estimators_n_iter: iris, default parameters
    # (every coefficient zero, proven at the first check); it used to report 0
    from sklearn.datasets import load_iris

    X, y = load_iris(return_X_y=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        reg = Est().fit(X, y)
    assert reg.n_iter_ >= 1


@pytest.mark.parametrize("penalty, match", [
    (L1(alpha=-1.0), "L1 needs a finite alpha >= 0"),
    (L1(alpha=np.nan), "L1 needs a finite alpha >= 0"),
])
def test_engine_penalties_validate_alpha(penalty, match):
    X = np.random.default_rng(0).standard_normal((20, 3))
    with pytest.raises(ValueError, match=match):
        GeneralizedLinearEstimator(penalty=penalty).fit(X, X[:, 0])


def test_engine_elastic_net_validates_its_parameters():
    from sparsestat._engine import ElasticNet

    X = np.random.default_rng(0).standard_normal((20, 3))
    for pen, match in [(ElasticNet(alpha=-0.5), "finite alpha >= 0"),
                       (ElasticNet(alpha=1.0, l1_ratio=1.5), "0 <= l1_ratio <= 1"),
                       (ElasticNet(alpha=1.0, l1_ratio=np.nan), "0 <= l1_ratio <= 1")]:
        with pytest.raises(ValueError, match=match):
            GeneralizedLinearEstimator(penalty=pen).fit(X, X[:, 0])


def test_group_lasso_rejects_an_empty_group():
    X = np.random.default_rng(0).standard_normal((20, 4))
    with pytest.raises(ValueError, match=r"groups\[2\] is empty"):
        GroupLasso(groups=[[0, 1], [2, 3], []]).fit(X, X[:, 0])


@pytest.mark.parametrize("solver", ["cd", "fista", "greedy"])
def test_general_estimator_with_zero_l1_is_least_squares(solver):
    rng = np.random.RandomState(0)
    X = rng.randn(30, 5)
    y = X @ np.arange(1, 6) + rng.randn(30)
    reg = GeneralizedLinearEstimator(penalty=L1(alpha=0.0), solver=solver,
                                     tol=1e-10, max_iter=10_000).fit(X, y)
    ols = np.linalg.lstsq(np.c_[X, np.ones(30)], y, rcond=None)[0]
    np.testing.assert_allclose(reg.coef_, ols[:5], atol=1e-6)
    assert reg.intercept_ == pytest.approx(ols[5], abs=1e-6)


@pytest.mark.parametrize("Est", [MCPRegressor, GeneralizedLinearEstimator])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_warm_start_from_user_coef_without_intercept(Est, fit_intercept):
    rng = np.random.RandomState(0)
    X = rng.randn(30, 5)
    y = X @ np.arange(1, 6) + rng.randn(30)
    reg = Est(warm_start=True, fit_intercept=fit_intercept)
    reg.coef_ = [1.0, 2.0, 3.0, 4.0, 5.0]  # set by hand: no intercept_
    reg.fit(X, y)
    assert np.all(np.isfinite(reg.coef_))


# --- what celer / skglm users pass (issue 14) -------------------------------------------

def test_group_lasso_groups_as_sizes():
    from sparsestat.linear_model import GroupLasso

    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 6))
    y = X[:, :2] @ np.array([2.0, -1.0]) + 0.1 * rng.standard_normal(60)
    by_index = GroupLasso(alpha=0.05, groups=[[0, 1], [2, 3, 4], [5]], tol=1e-10).fit(X, y)
    by_size = GroupLasso(alpha=0.05, groups=[2, 3, 1], tol=1e-10).fit(X, y)
    np.testing.assert_array_equal(by_size.coef_, by_index.coef_)
    with pytest.raises(ValueError):
        GroupLasso(groups=[2, 3]).fit(X, y)  # sizes that do not cover the 6 features
    with pytest.raises(ValueError):
        GroupLasso(groups=[2, 0, 4]).fit(X, y)


def test_group_lasso_positive_is_the_constrained_optimum():
    from scipy.optimize import minimize

    from sparsestat.linear_model import GroupLasso

    rng = np.random.default_rng(1)
    X = rng.standard_normal((50, 6))
    y = X @ np.array([1.5, -1.0, 0.8, 0.0, -0.5, 0.7]) + 0.2 * rng.standard_normal(50)
    groups, alpha = [[0, 1], [2, 3], [4, 5]], 0.05
    model = GroupLasso(alpha=alpha, groups=groups, positive=True, tol=1e-10,
                       fit_intercept=False).fit(X, y)
    assert np.all(model.coef_ >= 0)

    def objective(w):
        r = y - X @ w
        return 0.5 * r @ r / 50 + alpha * sum(np.sqrt(2) * np.linalg.norm(w[g])
                                              for g in groups)

    ref = minimize(objective, np.full(6, 0.1), bounds=[(0, None)] * 6, method="L-BFGS-B",
                   options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 10000})
    assert objective(model.coef_) <= ref.fun + 1e-9
    unconstrained = GroupLasso(alpha=alpha, groups=groups, tol=1e-10,
                               fit_intercept=False).fit(X, y)
    assert np.any(unconstrained.coef_ < 0)  # the constraint is active on this problem
    # positivity shrinks alpha_max to the positive correlations
    assert model.alpha_max_ <= unconstrained.alpha_max_


def test_mcp_gamma_inf_is_the_lasso():
    from sparsestat.linear_model import Lasso, MCPRegressor

    rng = np.random.default_rng(2)
    X = rng.standard_normal((80, 6))
    y = X @ np.array([1.0, -1.0, 0.5, 0.0, 0.0, 2.0]) + 0.3 * rng.standard_normal(80)
    mcp = MCPRegressor(alpha=0.1, gamma=np.inf, standardize=False, tol=1e-10).fit(X, y)
    lasso = Lasso(alpha=0.1, tol=1e-12).fit(X, y)
    np.testing.assert_allclose(mcp.coef_, lasso.coef_, atol=1e-8)
