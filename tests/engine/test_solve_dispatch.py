"""``solve`` as the one entry point: block CD for groups, greedy CD, and their edge cases."""

import numpy as np
import pytest
import scipy.sparse as sp

from sparsestat._engine import L1, MCP, GroupL1, Logistic, Poisson, Quadratic, solve
from sparsestat._engine._greedy_cd import solve_greedy
from sparsestat._engine._group_cd import solve_group

GROUPS = [[0, 5, 7], [1, 2], [3, 4, 6], [8, 9, 10, 11]]


def _data(seed=0, n=120, p=12):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    y = X[:, 3:6] @ np.array([1.0, -1.0, 0.5]) + 0.3 * rng.standard_normal(n) + 1.0
    return X, y, rng


def test_auto_takes_block_cd_for_groups_and_fista_without_a_curvature_bound():
    X, y, rng = _data()
    pen = GroupL1(0.05, groups=GROUPS, n_features=12)
    res = solve(X, y, Quadratic(), pen, tol=1e-10, max_iter=10_000)
    assert res.solver == "bcd" and res.converged
    direct = solve_group(X, y, Quadratic(), pen, tol=1e-10, max_iter=10_000)
    np.testing.assert_array_equal(res.coef, direct.coef)
    assert res.intercept == direct.intercept
    assert solve(X, y, Quadratic(), pen, solver="bcd", tol=1e-10,
                 max_iter=10_000).solver == "bcd"
    # no curvature bound (block steps 1 / L_g undefined): FISTA, as before
    counts = rng.poisson(np.exp(0.3 * X[:, 0])).astype(float)
    assert solve(X, counts, Poisson(), pen).solver == "fista"
    # a general box: FISTA (block CD knows positivity only), and an error if asked for
    assert solve(X, y, Quadratic(), pen, lower=-1.0, upper=1.0).solver == "fista"
    with pytest.raises(ValueError, match="box bounds"):
        solve(X, y, Quadratic(), pen, lower=-1.0, solver="bcd")
    with pytest.raises(ValueError, match="solver='bcd' needs the GroupL1"):
        solve(X, y, Quadratic(), L1(0.1), solver="bcd")
    with pytest.raises(ValueError, match="Poisson"):
        solve(X, counts, Poisson(), pen, solver="bcd")


def test_block_cd_takes_an_offset_and_positivity():
    X, y, rng = _data(1)
    pen = GroupL1(0.02, groups=GROUPS, n_features=12)
    yb = np.where(y + 0.5 * rng.standard_normal(y.size) > 1.0, 1.0, -1.0)
    o = 0.5 * rng.standard_normal(y.size)
    bcd = solve(X, yb, Logistic(), pen, offset=o, tol=1e-10, max_iter=20_000)
    fista = solve(X, yb, Logistic(), pen, offset=o, solver="fista", tol=1e-10,
                  max_iter=20_000)
    assert bcd.solver == "bcd" and bcd.converged and fista.converged
    np.testing.assert_allclose(bcd.coef, fista.coef, atol=1e-7)
    assert bcd.intercept == pytest.approx(fista.intercept, abs=1e-7)
    # positivity (which FISTA's clamped group prox does not solve exactly): a constant
    # offset c only moves the intercept, by -c
    plain = solve(X, yb, Logistic(), pen, lower=0.0, tol=1e-10, max_iter=20_000)
    shifted = solve(X, yb, Logistic(), pen, lower=0.0, offset=np.full(y.size, 0.7),
                    tol=1e-10, max_iter=20_000)
    assert plain.solver == shifted.solver == "bcd"
    assert np.all(plain.coef >= 0) and np.any(bcd.coef < 0)
    np.testing.assert_allclose(shifted.coef, plain.coef, atol=1e-8)
    assert shifted.intercept == pytest.approx(plain.intercept - 0.7, abs=1e-8)


def test_greedy_through_solve_is_the_greedy_solver():
    X, y, _ = _data(2)
    pen = MCP(0.05, 3.0)
    res = solve(X, y, Quadratic(), pen, solver="greedy", tol=1e-10)
    direct = solve_greedy(X, y, Quadratic(), pen, tol=1e-10)
    assert res.solver == "greedy" and res.converged
    np.testing.assert_array_equal(res.coef, direct.coef)
    cyclic = solve(X, y, Quadratic(), pen, solver="cd", tol=1e-12)
    np.testing.assert_allclose(res.coef, cyclic.coef, atol=1e-7)
    # least squares only, an offset taken into y
    o = np.linspace(-1.0, 1.0, y.size)
    shifted = solve(X, y + o, Quadratic(), pen, solver="greedy", tol=1e-10, offset=o)
    np.testing.assert_allclose(shifted.coef, res.coef, atol=1e-12)
    with pytest.raises(ValueError, match="quadratic datafit"):
        solve(X, np.sign(y - 1.0), Logistic(), pen, solver="greedy")
    with pytest.raises(ValueError, match="fit_intercept=False"):
        solve(sp.csc_matrix(X), y, Quadratic(), pen, solver="greedy")


def test_group_rescaling_of_an_extreme_target_keeps_positivity():
    # |y| ~ 1e150 is solved on y / 2^k: the rescaled solve used to drop positive=True
    rng = np.random.default_rng(3)
    X = rng.standard_normal((60, 6))
    y = X @ np.array([1.5, -1.0, 0.8, 0.0, -0.5, 0.7]) + 0.2 * rng.standard_normal(60)
    groups, alpha = [[0, 1], [2, 3], [4, 5]], 0.05
    pen = GroupL1(alpha, groups=groups, n_features=6)
    ref = solve_group(X, y, Quadratic(), pen, positive=True, fit_intercept=False, tol=1e-12)
    free = solve_group(X, y, Quadratic(), pen, fit_intercept=False, tol=1e-12)
    assert np.any(free.coef < 0)  # the constraint is active on this problem
    s = 2.0 ** 500  # a power of two: the scaled problem is exactly the same one
    big = solve_group(X, y * s, Quadratic(), GroupL1(alpha * s, groups=groups, n_features=6),
                      positive=True, fit_intercept=False, tol=1e-12 * s)
    assert np.all(big.coef >= 0)
    np.testing.assert_allclose(big.coef / s, ref.coef, rtol=1e-8, atol=1e-10)
