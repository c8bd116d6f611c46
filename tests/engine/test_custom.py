"""User-written datafits and penalties (issue 17, item 5)."""

import pickle

import numpy as np
import pytest
import scipy.sparse as sp

from sparsestat._engine import L1, CustomDatafit, CustomPenalty, Quadratic, solve
from sparsestat._engine._custom import solve_custom


class LeastSquares(CustomDatafit):
    @staticmethod
    def loss_1d(y, score, params):
        return 0.5 * (y - score) ** 2

    @staticmethod
    def deriv_1d(y, score, params):
        return score - y


class Cauchy(CustomDatafit):
    def __init__(self, scale=1.0):
        self.scale = scale

    def params_array(self):
        return np.array([self.scale])

    @staticmethod
    def loss_1d(y, score, params):
        return 0.5 * params[0] ** 2 * np.log1p(((y - score) / params[0]) ** 2)

    @staticmethod
    def deriv_1d(y, score, params):
        r = score - y
        return r / (1.0 + (r / params[0]) ** 2)


class MyL1(CustomPenalty):
    @staticmethod
    def value_1d(w, params):
        return params[0] * abs(w)

    @staticmethod
    def prox_1d(v, step, params):
        return np.sign(v) * max(abs(v) - step * params[0], 0.0)


class CappedL1(CustomPenalty):
    is_convex = False

    def __init__(self, alpha=1.0, cap=1.0):
        self.alpha = alpha
        self.cap = cap

    def params_array(self):
        return np.array([self.alpha, self.cap])

    @staticmethod
    def value_1d(w, params):
        return params[0] * min(abs(w), params[1])

    @staticmethod
    def prox_1d(v, step, params):
        alpha, cap = params[0], params[1]
        inner = np.sign(v) * min(max(abs(v) - step * alpha, 0.0), cap)
        outer = np.sign(v) * max(abs(v), cap)
        cost_in = (inner - v) ** 2 / (2 * step) + alpha * min(abs(inner), cap)
        cost_out = (outer - v) ** 2 / (2 * step) + alpha * cap
        return inner if cost_in <= cost_out else outer


def _problem(n=80, p=25, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    y = X[:, :3] @ np.array([1.5, -2.0, 3.0]) + rng.standard_normal(n) + 4.0
    return X, y


@pytest.mark.parametrize("datafit, penalty", [
    (LeastSquares(), L1(alpha=0.1)),
    (Quadratic(), MyL1(alpha=0.1)),
    (LeastSquares(), MyL1(alpha=0.1)),
])
@pytest.mark.parametrize("sparse", [False, True])
def test_user_pieces_reach_the_builtin_solution(datafit, penalty, sparse):
    # the same Lasso written by hand, in either piece or both, gives the engine's answer
    X, y = _problem()
    ref = solve(X, y, Quadratic(), L1(alpha=0.1), tol=1e-12)
    res = solve(sp.csc_matrix(X) if sparse else X, y, datafit, penalty, tol=1e-8,
                max_iter=20000)
    assert res.solver == "custom"
    assert res.converged
    np.testing.assert_allclose(res.coef, ref.coef, atol=1e-7)
    assert res.intercept == pytest.approx(ref.intercept, abs=1e-7)


def test_objective_never_increases_and_penalty_factor_and_bounds_hold():
    X, y = _problem(seed=1)
    pf = np.ones(X.shape[1])
    pf[0] = 0.0  # unpenalized
    res = solve_custom(X, y, Cauchy(2.0), MyL1(alpha=0.3), penalty_factor=pf,
                       lower=np.full(X.shape[1], -0.5), tol=1e-8, max_iter=5000)
    assert res.converged
    assert np.all(np.diff(res.objective) <= 1e-12)
    assert res.coef.min() >= -0.5
    # stationarity, checked from outside: no single coordinate move improves
    obj = Cauchy(2.0).value(y, X @ res.coef + res.intercept) + MyL1(0.3).value(res.coef, pf)
    for j in range(X.shape[1]):
        for step in (1e-3, -1e-3):
            w = res.coef.copy()
            w[j] = max(w[j] + step, -0.5)
            moved = (Cauchy(2.0).value(y, X @ w + res.intercept)
                     + MyL1(0.3).value(w, pf))
            assert moved >= obj - 1e-9


def test_capped_l1_prox_is_the_exact_minimizer():
    pen = CappedL1(alpha=1.0, cap=2.0)
    grid = np.linspace(-8, 8, 160001)
    for v in (-6.0, -2.2, -0.5, 0.3, 1.5, 2.5, 3.1, 7.0):
        for step in (0.3, 1.0, 2.5):
            cost = (grid - v) ** 2 / (2 * step) + np.minimum(np.abs(grid), 2.0)
            best = grid[np.argmin(cost)]
            assert pen.prox(np.array([v]), step)[0] == pytest.approx(best, abs=1e-4)


def test_pieces_are_picklable_and_compare_by_parameters():
    assert pickle.loads(pickle.dumps(Cauchy(3.0))) == Cauchy(3.0)
    assert Cauchy(3.0) != Cauchy(2.0)
    assert CappedL1(1.0, 2.0).with_alpha(0.5) == CappedL1(0.5, 2.0)
    assert hash(CappedL1(1.0, 2.0)) == hash(CappedL1(1.0, 2.0))


def test_a_piece_numba_cannot_compile_is_named():
    class Broken(CustomDatafit):
        @staticmethod
        def loss_1d(y, score, params):
            return y.no_such_attribute

        @staticmethod
        def deriv_1d(y, score, params):
            return 0.0

    X, y = _problem(n=10, p=3)
    with pytest.raises(TypeError, match="loss_1d"):
        solve(X, y, Broken(), L1(alpha=0.1))

    class Missing(CustomPenalty):
        pass

    with pytest.raises(TypeError, match="value_1d"):
        solve(X, y, Quadratic(), Missing(alpha=0.1))


def test_estimator_takes_user_pieces_in_a_grid_search():
    from sklearn.base import clone
    from sklearn.model_selection import GridSearchCV

    from sparsestat.linear_model import GeneralizedLinearEstimator

    X, y = _problem(n=60, p=8, seed=3)
    y[:5] += 30.0  # outliers: the Cauchy loss should shrug them off
    est = GeneralizedLinearEstimator(Cauchy(1.0), CappedL1(alpha=0.05, cap=1.0), tol=1e-6)
    search = GridSearchCV(est, {"penalty": [CappedL1(0.01, 1.0), CappedL1(0.1, 1.0)]},
                          cv=3).fit(X, y)
    best = search.best_estimator_
    assert isinstance(best.penalty, CappedL1)
    restored = pickle.loads(pickle.dumps(best))
    np.testing.assert_array_equal(restored.predict(X), best.predict(X))
    assert clone(est).get_params()["datafit"] == Cauchy(1.0)
    # robust: the three true coefficients are found despite the outliers
    np.testing.assert_allclose(best.coef_[:3], [1.5, -2.0, 3.0], atol=0.4)
    with pytest.raises(ValueError, match="polish"):
        GeneralizedLinearEstimator(Cauchy(1.0), MyL1(0.1), polish=True).fit(X, y)
