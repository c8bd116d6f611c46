"""SLOPE (sorted L1): its prox against a cvxpy solve and brute-force cases, its FISTA fits
against cvxpy and skglm."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sparsestat._engine import L1, SLOPE, Quadratic, solve


def _cvxpy_prox(v, step, alpha, weights):
    cp = pytest.importorskip("cvxpy")
    x = cp.Variable(v.shape[0])
    # sum of the k largest |x| is convex: sum_k (lam_k - lam_{k+1}) * top_k(|x|)
    lam = np.append(alpha * weights, 0.0)
    pen = sum((lam[k] - lam[k + 1]) * cp.sum_largest(cp.abs(x), k + 1)
              for k in range(v.shape[0]))
    cp.Problem(cp.Minimize(cp.sum_squares(x - v) / (2 * step) + pen)).solve(
        solver=cp.CLARABEL, tol_gap_abs=1e-12, tol_gap_rel=1e-12, tol_feas=1e-12)
    return x.value


def _weights(rng, p):
    return np.sort(rng.uniform(0, 2, p))[::-1]


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), p=st.integers(1, 12), step=st.sampled_from([0.1, 1.0, 3.0]))
def test_prox_matches_cvxpy(seed, p, step):
    rng = np.random.default_rng(seed)
    v = rng.standard_normal(p) * 2
    if p > 2:
        v[1] = -v[0]  # ties in magnitude
    weights = _weights(rng, p)
    pen = SLOPE(alpha=0.7, weights=weights)
    ours = pen.prox(v, step)
    ref = _cvxpy_prox(v, step, 0.7, weights)
    obj = lambda x: np.sum((x - v) ** 2) / (2 * step) + pen.value(x)  # noqa: E731
    # the prox is the unique minimizer: ours may not be worse than the conic solver's
    assert obj(ours) <= obj(ref) + 1e-8
    np.testing.assert_allclose(ours, ref, atol=1e-5)


def test_prox_equal_weights_is_soft_thresholding():
    v = np.array([3.0, -0.5, 1.2, -2.0])
    ours = SLOPE(alpha=1.0, weights=np.ones(4)).prox(v, step=0.8)
    np.testing.assert_allclose(ours, L1(alpha=1.0).prox(v, step=0.8), rtol=0, atol=1e-15)


def test_prox_pools_a_violating_pair():
    # |v| = (3, 2.9), weights (2, 1): u - lam = (1, 1.9) increases, so both pool to 1.45
    out = SLOPE(alpha=1.0, weights=[2.0, 1.0]).prox([-2.9, 3.0], step=1.0)
    np.testing.assert_allclose(out, [-1.45, 1.45])


def test_value_sorts_magnitudes():
    assert SLOPE(alpha=2.0, weights=[3.0, 1.0, 0.0]).value([0.5, -4.0, 1.0]) == \
        pytest.approx(2.0 * (3 * 4.0 + 1 * 1.0))


@pytest.mark.parametrize("weights, match", [
    ([1.0, 2.0], "nonincreasing"), ([1.0, -1.0], "nonnegative"), ([1.0], "one per feature"),
])
def test_bad_weights_raise(weights, match):
    with pytest.raises(ValueError, match=match):
        SLOPE(alpha=1.0, weights=weights).prox(np.ones(2), 1.0)


def test_bh_weights_nonincreasing_and_validated():
    w = SLOPE.bh_weights(10, q=0.1)
    assert w.shape == (10,) and np.all(np.diff(w) < 0) and w[-1] > 0
    assert w[0] == pytest.approx(2.5758293, rel=1e-6)  # Phi^{-1}(1 - 0.1 / 20)
    with pytest.raises(ValueError, match="q must"):
        SLOPE.bh_weights(3, q=1.5)


def _problem(seed=0, n=40, p=12):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    beta = np.zeros(p)
    beta[:3] = [2.0, -1.5, 1.0]
    y = X @ beta + 0.5 * rng.standard_normal(n)
    return X, y


def _objective(X, y, w, b, pen):
    return np.mean((y - X @ w - b) ** 2) / 2 + pen.value(w)


@pytest.mark.parametrize("fit_intercept", [False, True])
def test_fista_matches_cvxpy(fit_intercept):
    cp = pytest.importorskip("cvxpy")
    X, y = _problem()
    n, p = X.shape
    weights = SLOPE.bh_weights(p, 0.2)
    pen = SLOPE(alpha=0.05, weights=weights)
    res = solve(X, y, Quadratic(), pen, fit_intercept=fit_intercept, tol=1e-10,
                max_iter=20000)
    assert res.solver == "fista" and res.converged
    x = cp.Variable(p)
    b = cp.Variable() if fit_intercept else 0.0
    lam = np.append(0.05 * weights, 0.0)
    pen_cp = sum((lam[k] - lam[k + 1]) * cp.sum_largest(cp.abs(x), k + 1) for k in range(p))
    cp.Problem(cp.Minimize(cp.sum_squares(y - X @ x - b) / (2 * n) + pen_cp)).solve(
        solver=cp.CLARABEL)
    ref = _objective(X, y, x.value, float(b.value) if fit_intercept else 0.0, pen)
    ours = _objective(X, y, res.coef, res.intercept, pen)
    assert ours <= ref + 1e-8
    np.testing.assert_allclose(res.coef, x.value, atol=1e-5)


@pytest.mark.slow  # skglm compiles its jitclasses: ~12 s
def test_fista_matches_skglm():
    pytest.importorskip("skglm")
    from skglm.datafits import Quadratic as SkQuadratic
    from skglm.penalties import SLOPE as SkSLOPE
    from skglm.solvers import FISTA

    X, y = _problem(seed=1, n=60, p=20)
    weights = SLOPE.bh_weights(20, 0.1)
    pen = SLOPE(alpha=0.04, weights=weights)
    res = solve(X, y, Quadratic(), pen, fit_intercept=False, tol=1e-10, max_iter=20000)
    w_sk = FISTA(max_iter=20000, tol=1e-12, opt_strategy="fixpoint").solve(
        np.asfortranarray(X), y, SkQuadratic(), SkSLOPE(0.04 * weights))[0]
    ours, theirs = _objective(X, y, res.coef, 0.0, pen), _objective(X, y, w_sk, 0.0, pen)
    assert ours == pytest.approx(theirs, rel=1e-9)
    np.testing.assert_allclose(res.coef, w_sk, atol=1e-6)


def test_equal_weights_fit_is_the_lasso():
    X, y = _problem(seed=2)
    res = solve(X, y, Quadratic(), SLOPE(alpha=0.1, weights=np.ones(12)), tol=1e-10,
                max_iter=20000)
    lasso = solve(X, y, Quadratic(), L1(alpha=0.1), tol=1e-12)
    np.testing.assert_allclose(res.coef, lasso.coef, atol=1e-7)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(-5, 5), min_size=0, max_size=40))
def test_order_by_magnitude_sorts_decreasing(values):
    from sparsestat._engine._slope import order_by_magnitude

    v = np.array(values, dtype=float)
    order = order_by_magnitude(v)
    assert sorted(order.tolist()) == list(range(v.size))
    assert np.all(np.diff(np.abs(v[order])) <= 0)


def test_a_design_whose_scale_overflows_is_refused_not_looped_on():
    # ||X||^2 overflows at entries near 1e300: the power iteration gave a NaN step size
    # and FISTA's backtracking (NaN never passes its test) looped forever
    from sparsestat._engine import SLOPE, Quadratic, solve

    rng = np.random.default_rng(0)
    X = rng.standard_normal((30, 5)) * 1e300
    y = rng.standard_normal(30)
    with pytest.raises(ValueError, match="overflows"):
        solve(X, y, Quadratic(), SLOPE(0.1, SLOPE.bh_weights(5, 0.1)), max_iter=50)
