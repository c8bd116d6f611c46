"""Tall dense quadratic problems: "auto" runs CD on X and switches to Gram CD (issue 23)."""

import numpy as np
import pytest

from sparsestat._engine import L1, ElasticNet, Quadratic, alpha_max_l1, solve, solve_path
from sparsestat._engine.solvers import gram_switch_size


def _tall(n=300, p=100, n_true=5, seed=0):
    rng = np.random.default_rng(seed)
    X = np.asfortranarray(rng.standard_normal((n, p)))
    y = X[:, :n_true] @ rng.standard_normal(n_true) + 0.5 * rng.standard_normal(n)
    return X, y


def test_switch_size_rule():
    assert gram_switch_size(20000, 500) == 125
    # not tall, or a Gram matrix too large: never
    assert gram_switch_size(500, 500) == 501
    assert gram_switch_size(10 ** 6, 6000) == 6001


@pytest.mark.parametrize("fit_intercept", [False, True])
def test_small_support_stays_on_x(fit_intercept):
    # the old rule formed the Gram matrix for every tall dense problem
    X, y = _tall()
    alpha = alpha_max_l1(X, y, fit_intercept=fit_intercept) / 5
    auto = solve(X, y, Quadratic(), L1(alpha), fit_intercept=fit_intercept, tol=1e-10,
                 ws_start=10)
    gram = solve(X, y, Quadratic(), L1(alpha), fit_intercept=fit_intercept, tol=1e-10,
                 solver="gram")
    assert auto.solver == "cd" and auto.converged
    assert 0 < np.count_nonzero(auto.coef) <= 12
    np.testing.assert_allclose(auto.coef, gram.coef, atol=1e-7)
    assert auto.intercept == pytest.approx(gram.intercept, abs=1e-7)


@pytest.mark.parametrize("fit_intercept", [False, True])
def test_large_support_switches_to_gram(fit_intercept):
    X, y = _tall()
    alpha = alpha_max_l1(X, y, fit_intercept=fit_intercept) / 1000
    sw = np.random.default_rng(1).uniform(0.5, 1.5, X.shape[0])
    for weights in (None, sw):
        auto = solve(X, y, Quadratic(), ElasticNet(alpha, l1_ratio=0.9), sample_weight=weights,
                     fit_intercept=fit_intercept, tol=1e-10, ws_start=10)
        cd = solve(X, y, Quadratic(), ElasticNet(alpha, l1_ratio=0.9), sample_weight=weights,
                   fit_intercept=fit_intercept, tol=1e-10, ws_start=10, solver="cd")
        assert auto.solver == "gram" and auto.converged and cd.converged
        assert np.count_nonzero(auto.coef) > gram_switch_size(*X.shape) // 2
        np.testing.assert_allclose(auto.coef, cd.coef, atol=1e-6)
        assert auto.intercept == pytest.approx(cd.intercept, abs=1e-6)
        # the Gram solver holds X^T y: alpha_max comes with the result
        assert auto.max_correlation is not None


def test_small_p_forms_the_gram_from_the_start():
    # even the first working set (ws_start=100 features) exceeds p / 4
    X, y = _tall(n=400, p=60)
    alpha = alpha_max_l1(X, y) / 10
    auto = solve(X, y, Quadratic(), L1(alpha), tol=1e-8)
    gram = solve(X, y, Quadratic(), L1(alpha), tol=1e-8, solver="gram")
    assert auto.solver == "gram"
    assert auto.n_iter == gram.n_iter
    np.testing.assert_array_equal(auto.coef, gram.coef)


def test_path_forms_the_gram_once_and_keeps_it():
    X, y = _tall()
    amax = alpha_max_l1(X, y)
    alphas = np.geomspace(amax, amax / 1000, 12)
    auto = solve_path(X, y, Quadratic(), L1(1.0), alphas, tol=1e-10, ws_start=10)
    gram = solve_path(X, y, Quadratic(), L1(1.0), alphas, tol=1e-10, solver="gram")
    solvers = [r.solver for r in auto]
    assert solvers[0] == "cd" and solvers[-1] == "gram"
    first = solvers.index("gram")
    assert all(s == "gram" for s in solvers[first:])
    for a, g in zip(auto, gram):
        assert a.converged
        np.testing.assert_allclose(a.coef, g.coef, atol=1e-6)
