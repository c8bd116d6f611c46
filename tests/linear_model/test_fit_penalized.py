"""``fit_penalized``, the one fit path of the linear family: Lasso / ElasticNet through it,
and the nonconvex certificate and Newton polish with an offset."""

import numpy as np
import pytest
import scipy.sparse as sp

from sparsestat._engine import MCP, ElasticNet, Logistic, Poisson, Quadratic, solve
from sparsestat.linear_model import ElasticNet as ElasticNetRegressor
from sparsestat.linear_model import Lasso
from sparsestat.linear_model._glm import fit_penalized
from sparsestat.utils._validation import normalized_sample_weight

pytestmark = pytest.mark.filterwarnings("ignore::sparsestat.linear_model.NonconvexWarning")


@pytest.mark.parametrize("precompute, sparse, positive", [
    (False, False, False), (True, False, False), ("auto", True, True), ("auto", False, True)])
def test_lasso_and_elastic_net_fit_as_the_engine_solves(precompute, sparse, positive):
    # the estimators go through fit_penalized now: the engine's answer, bit for bit
    rng = np.random.default_rng(0)
    X = rng.standard_normal((200, 30))
    y = X[:, :4] @ np.array([2.0, -1.0, 0.5, 1.0]) + 0.2 * rng.standard_normal(200) + 3.0
    sw = rng.uniform(0.5, 2.0, 200)
    sw_norm = normalized_sample_weight(sw, X)
    Xf = sp.csc_matrix(X) if sparse else X
    solver = {False: "cd", True: "gram", "auto": "auto"}[precompute]
    for est, l1_ratio in ((Lasso(alpha=0.02), 1.0),
                          (ElasticNetRegressor(alpha=0.02, l1_ratio=0.3), 0.3)):
        est.set_params(precompute=precompute, positive=positive, tol=1e-8).fit(
            Xf, y, sample_weight=sw)
        res = solve(Xf, y, Quadratic(), ElasticNet(alpha=0.02, l1_ratio=l1_ratio),
                    sample_weight=sw_norm, lower=0.0 if positive else None, solver=solver,
                    tol=1e-8)
        np.testing.assert_array_equal(est.coef_, res.coef)
        assert est.intercept_ == res.intercept
        assert est.dual_gap_ == res.stop_crit and est.n_iter_ == res.n_iter


def _tiny_column_logistic(offset_scale):
    """One column of small norm whose zero is Clarke-stationary but not the minimizer.

    At ``w = 0`` the gradient is half of alpha (zero passes the solvers' first-order
    stopping rule), while the column's curvature bound ``L = ||x||^2 / (4n)`` is far
    below ``1 / gamma``: the exact coordinate step jumps to a large value and lowers
    the objective.
    """
    rng = np.random.default_rng(4)
    n = 200
    offset = offset_scale * rng.standard_normal(n)
    y = np.where(rng.random(n) < 1.0 / (1.0 + np.exp(-offset - 0.8)), 1.0, -1.0)
    x = rng.standard_normal(n) + 0.5 * y
    x *= 0.1 / np.sqrt(x @ x / n)
    grad0 = -(x @ Logistic().raw_gradient(y, offset, np.ones(n))) / n  # -d/dw at w = 0
    alpha = 2.0 * abs(grad0)
    return x[:, None], y, offset, MCP(alpha, 2.0)


def test_certificate_honours_the_offset():
    X, y, offset, pen = _tiny_column_logistic(1.0)
    raw = solve(X, y, Logistic(), pen, offset=offset, fit_intercept=False, tol=1e-10)
    assert raw.coef[0] == 0.0  # the solver stops at the Clarke-stationary zero
    fit = fit_penalized(X, y, Logistic(), pen, offset=offset, fit_intercept=False,
                        tol=1e-10)

    def objective(w):
        return Logistic().value(y, X @ w + offset, np.ones(y.size)) + pen.value(w)

    # certified away from zero (it was skipped, zero kept, whenever there was an offset)
    assert fit.coef[0] != 0.0
    assert objective(fit.coef) < objective(raw.coef) - 1e-4
    # least squares: an offset is the same problem on y - offset, certificate included
    rng = np.random.default_rng(5)
    o = rng.standard_normal(y.size)
    yq = 0.02 * y + X[:, 0]
    pq = MCP(0.5 * abs(X[:, 0] @ yq) / y.size, 2.0)
    a = fit_penalized(X, yq + o, Quadratic(), pq, offset=o, fit_intercept=False, tol=1e-10)
    b = fit_penalized(X, yq, Quadratic(), pq, fit_intercept=False, tol=1e-10)
    assert b.coef[0] != 0.0
    np.testing.assert_allclose(a.coef, b.coef, rtol=1e-10)


def test_newton_polish_honours_the_offset():
    rng = np.random.default_rng(6)
    n, p = 400, 20
    X = rng.standard_normal((n, p))
    offset = np.log(rng.uniform(0.5, 3.0, n))
    y = rng.poisson(np.exp(offset + X[:, :3] @ np.array([0.6, -0.4, 0.3]))).astype(float)
    pen = MCP(0.02, 3.0)
    tight = fit_penalized(X, y, Poisson(), pen, offset=offset, tol=1e-12, max_iter=5000)
    loose = fit_penalized(X, y, Poisson(), pen, offset=offset, tol=1e-3)
    polished = fit_penalized(X, y, Poisson(), pen, offset=offset, tol=1e-3, polish=True)
    err_loose = np.abs(loose.coef - tight.coef).max()
    err_polished = np.abs(polished.coef - tight.coef).max()
    # the polish ran (with the offset in every score) and landed on the tight solution
    assert err_polished < 1e-8 < err_loose
    assert polished.intercept == pytest.approx(tight.intercept, abs=1e-8)
