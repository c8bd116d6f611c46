"""Numerical robustness.

* Every public regressor on ill-conditioned, collinear and duplicated-column designs and on
  huge / tiny scales (1e-8, 1e8) of X and y: it converges or warns (``ConvergenceWarning``),
  never overflows, never returns NaN; a ``ValueError`` is allowed only when it says the
  problem is badly scaled.
* Exact invariances that a correct Lasso keeps at any scale (y scaled with alpha, a
  duplicated column leaves the fitted values unchanged).
* Hypothesis-generated problems for the engine entry points ``solve`` and ``solve_gram``:
  finite outputs, the KKT conditions of the convex problems, objective below the start.
"""

import re
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.exceptions import ConvergenceWarning

from sparsestat._engine import L1, MCP, SCAD, ElasticNet, Quadratic, alpha_max_l1, solve, \
    solve_gram
from sparsestat.linear_model import Lasso
from sparsestat.utils import all_estimators

from ._kinds import _make

REGRESSORS = [name for name, _ in all_estimators(type_filter="regressor")]


def _design(case, rng, n=40, p=5):
    X = rng.standard_normal((n, p))
    w = np.array([2.0, -1.5, 0.0, 1.0, 0.0])[:p]
    y = X @ w + 0.1 * rng.standard_normal(n)
    if case == "collinear":  # condition number ~1e10
        X[:, 3] = X[:, 0] + 1e-10 * rng.standard_normal(n)
    elif case == "duplicated_columns":
        X[:, 3] = X[:, 0]
        X[:, 4] = X[:, 1]
    elif case == "ill_conditioned":  # column scales from 1e-6 to 1e6
        X = X * np.logspace(-6, 6, p)
    elif case == "X_times_1e8":
        X = X * 1e8
    elif case == "X_times_1e-8":
        X = X * 1e-8
    elif case == "y_times_1e8":
        y = y * 1e8
    elif case == "y_times_1e-8":
        y = y * 1e-8
    return X, y


# LDPSparseRegressor's check settings clip X and y at 3 in data units and add privacy
# noise calibrated to those bounds: rescaled data is outside its model by construction
# (finite, no overflow is still checked).
_NOISY = {"LDPSparseRegressor"}

# predict is not an estimate of y, so a residual against y means nothing: the Cox models
# predict risk scores (the linear predictor of the hazard), y holds survival times
_NOT_ON_Y_SCALE = {"SparseCoxRegressor", "SparseCoxRegressorCV"}

CASES = ["collinear", "duplicated_columns", "ill_conditioned", "X_times_1e8", "X_times_1e-8",
         "y_times_1e8", "y_times_1e-8"]


# Known, reported, not fixed here: SparseMLPRegressor (like scikit-learn's MLPRegressor)
# stops on "no improvement > tol for n_iter_no_change epochs" without a warning, so on
# unscaled features (1e-6..1e6) it stops after 26 of 50 epochs with training loss 2.5e9,
# and on y * 1e-8 (an absolute tol larger than the loss) it stops with predictions 1e6
# times the spread of y. A fix (scale the target / relative tol / warn) is the nn family's.
_KNOWN = set()  # SparseMLPRegressor now warns when it stops worse than the mean


def _params():
    for name in REGRESSORS:
        for case in CASES:
            marks = [pytest.mark.xfail(strict=True, reason="stops early without a warning, "
                                       "see _KNOWN")] if (name, case) in _KNOWN else []
            yield pytest.param(name, case, marks=marks, id=f"{name}-{case}")


@pytest.mark.parametrize("name, case", list(_params()))
def test_regressor_is_robust_to_scaling_and_collinearity(name, case):
    est, kind = _make(name)
    X, y = _design(case, np.random.default_rng(0))
    if kind == "multitask":  # MultiTask*: two targets sharing the design
        y = np.column_stack([y, 0.5 * y])
    if kind == "positive_regressor":  # log-link GLMs: positive targets of the same scale
        y = np.abs(y) + 0.1 * np.abs(y).mean()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with np.errstate(over="warn", invalid="warn", divide="warn"):
            try:
                est.fit(X, y)
            except ValueError as err:
                assert re.search(r"scal|ill-posed|non-finite|overflow", str(err)), (
                    f"{name} on {case}: unexplained ValueError: {err}")
                return
            pred = est.predict(X)
    bad = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)
           and re.search(r"overflow|invalid value|divide by zero", str(w.message))]
    assert not bad, f"{name} on {case}: floating-point trouble: {bad}"
    assert np.all(np.isfinite(pred)), f"{name} on {case}: non-finite predictions"
    coef = getattr(est, "coef_", None)
    if coef is not None:
        assert np.all(np.isfinite(coef)), f"{name} on {case}: non-finite coef_"
    warned = any(issubclass(w.category, ConvergenceWarning) for w in caught)
    if warned or name in _NOISY or name in _NOT_ON_Y_SCALE:
        return
    # a fit that claims convergence is usable: its residual never exceeds the spread of
    # y by much (the model can always predict the mean); catches runaway iterates that
    # stayed finite
    resid = np.sqrt(np.mean((y - pred) ** 2))
    assert resid <= 1.5 * np.std(y, axis=0).max() + 1e-12 * np.abs(y).max(), (
        f"{name} on {case}: residual {resid:.3g} vs spread of y {np.std(y):.3g}")


@pytest.mark.parametrize("scale", [1e-8, 1e8])
def test_lasso_is_equivariant_in_y_scale(scale):
    X, y = _design("plain", np.random.default_rng(1))
    base = Lasso(alpha=0.05, tol=1e-12, max_iter=10_000).fit(X, y)
    scaled = Lasso(alpha=0.05 * scale, tol=1e-12, max_iter=10_000).fit(X, y * scale)
    np.testing.assert_allclose(scaled.coef_ / scale, base.coef_, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(scaled.intercept_ / scale, base.intercept_, rtol=1e-6,
                               atol=1e-9)


def test_lasso_duplicated_column_keeps_fitted_values():
    rng = np.random.default_rng(2)
    X, y = _design("plain", rng)
    Xd = np.column_stack([X, X[:, 0]])
    a = Lasso(alpha=0.05, tol=1e-12, max_iter=10_000).fit(X, y)
    b = Lasso(alpha=0.05, tol=1e-12, max_iter=10_000).fit(Xd, y)
    # the Lasso's fitted values are unique even when its coefficients are not
    np.testing.assert_allclose(b.predict(Xd), a.predict(X), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(b.coef_[0] + b.coef_[-1], a.coef_[0], rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("scale", [1e-8, 1e8])
def test_lasso_is_equivariant_in_x_scale(scale):
    """coef(c X, alpha c) = coef(X, alpha) / c: the same problem in other units."""
    X, y = _design("plain", np.random.default_rng(3))
    base = Lasso(alpha=0.05, tol=1e-12, max_iter=10_000).fit(X, y)
    scaled = Lasso(alpha=0.05 * scale, tol=1e-12, max_iter=10_000).fit(X * scale, y)
    assert scaled.n_iter_ < 10_000
    np.testing.assert_allclose(scaled.coef_ * scale, base.coef_, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(scaled.intercept_, base.intercept_, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(scaled.predict(X * scale), base.predict(X), rtol=1e-6,
                               atol=1e-9)


# ---------------------------------------------------------------------------- engine
_PENALTIES = {
    "l1": lambda a: L1(alpha=a),
    "enet": lambda a: ElasticNet(alpha=a, l1_ratio=0.5),
    "mcp": lambda a: MCP(alpha=a, gamma=3.0),
    "scad": lambda a: SCAD(alpha=a, gamma=3.7),
}


@st.composite
def _problems(draw):
    n = draw(st.integers(2, 25))
    p = draw(st.integers(1, 8))
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    scale = draw(st.sampled_from([1e-3, 1.0, 1e3]))
    X = rng.standard_normal((n, p)) * scale
    if draw(st.booleans()) and p > 1:  # exact collinearity
        X[:, -1] = X[:, 0]
    if draw(st.booleans()):  # a constant column
        X[:, 0] = 1.0
    y = rng.standard_normal(n) * draw(st.sampled_from([1e-3, 1.0, 1e3]))
    frac = draw(st.sampled_from([0.01, 0.1, 0.5, 1.5]))
    fit_intercept = draw(st.booleans())
    layout = draw(st.sampled_from(["F", "C", "csc", "float32"]))
    return X, y, frac, fit_intercept, layout


def _layout(X, layout):
    if layout == "C":
        return np.ascontiguousarray(X)
    if layout == "csc":
        return sp.csc_matrix(X)
    if layout == "float32":
        return np.asfortranarray(X, dtype=np.float32)
    return np.asfortranarray(X)


def _quad_objective(X, y, w, b, penalty):
    r = y - X @ w - b
    return 0.5 * float(r @ r) / len(y) + penalty.value(w)


_SETTINGS = settings(max_examples=40, deadline=None, derandomize=True,
                     suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(_problems(), st.sampled_from(sorted(_PENALTIES)))
def test_solve_is_finite_and_kkt(problem, pen_name):
    X, y, frac, fit_intercept, layout = problem
    Xl = _layout(X, layout)
    X = Xl.toarray() if sp.issparse(Xl) else np.asarray(Xl, dtype=np.float64)
    amax = alpha_max_l1(X, y, fit_intercept=fit_intercept)
    alpha = max(frac * amax, 1e-8 * (1.0 + np.abs(y).max()))
    penalty = _PENALTIES[pen_name](alpha)
    X0, y0 = Xl.copy(), y.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        res = solve(Xl, y, Quadratic(), penalty, fit_intercept=fit_intercept, tol=1e-10,
                    max_iter=5000)
    same_X = (Xl != X0).nnz == 0 if sp.issparse(Xl) else np.array_equal(Xl, X0)
    assert same_X and np.array_equal(y, y0), "solve modified its input"
    assert np.all(np.isfinite(res.coef)) and np.isfinite(res.intercept)
    assert np.isfinite(res.stop_crit)
    if not fit_intercept:
        assert res.intercept == 0.0
    # the objective never ends above the start (w = 0 and the best intercept)
    b0 = float(np.mean(y)) if fit_intercept else 0.0
    obj = _quad_objective(X, y, res.coef, res.intercept, penalty)
    start = _quad_objective(X, y, np.zeros(X.shape[1]), b0, penalty)
    assert obj <= start * (1 + 1e-9) + 1e-12
    if frac >= 1.0 and pen_name in ("l1", "mcp", "scad"):
        assert np.all(res.coef == 0.0), "alpha above alpha_max must give w = 0"
    if pen_name == "l1" and res.converged and layout != "float32":
        # KKT of the convex problem: |X_j^T r / n| <= alpha, equality with sign(w_j)
        r = y - X @ res.coef - res.intercept
        grad = X.T @ r / len(y)
        slack = 1e-4 * (alpha + np.abs(X).max() * np.abs(y).max())
        assert np.all(np.abs(grad) <= alpha + slack)
        active = res.coef != 0
        np.testing.assert_allclose(grad[active], alpha * np.sign(res.coef[active]),
                                   atol=slack)
        if fit_intercept:
            assert abs(r.sum() / len(y)) <= slack


@_SETTINGS
@given(_problems(), st.sampled_from(["l1", "enet", "mcp"]))
def test_solve_gram_is_finite_and_kkt(problem, pen_name):
    X, y, frac, _, _ = problem
    n = len(y)
    G = X.T @ X / n
    b = X.T @ y / n
    amax = float(np.abs(b).max())
    alpha = max(frac * amax, 1e-8 * (1.0 + amax))
    penalty = _PENALTIES[pen_name](alpha)
    G0, b0 = G.copy(), b.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        res = solve_gram(G, b, penalty, yy=float(y @ y) / n, tol=1e-10, max_iter=5000)
    assert np.array_equal(G, G0) and np.array_equal(b, b0), "solve_gram modified its input"
    w = res.coef
    assert np.all(np.isfinite(w)) and np.isfinite(res.stop_crit)
    obj = 0.5 * w @ G @ w - b @ w + penalty.value(w)
    assert obj <= 1e-12 * (1.0 + float(y @ y) / n), "objective above its value at w = 0"
    if frac >= 1.0 and pen_name in ("l1", "mcp"):
        assert np.all(w == 0.0)
    if pen_name == "l1" and res.converged:
        grad = b - G @ w
        slack = 1e-4 * (alpha + np.abs(G).max() * (1 + np.abs(w).max()) + np.abs(b).max())
        assert np.all(np.abs(grad) <= alpha + slack)
        active = w != 0
        np.testing.assert_allclose(grad[active], alpha * np.sign(w[active]), atol=slack)
