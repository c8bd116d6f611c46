"""A cold CD fit makes its first gradient pass once (issue 23).

At ``w = 0`` with the intercept at its intercept-only optimum (or none), ``cd_solve``'s
first full gradient is ``-X^T sw (y - ybar) / n``: the pass of ``alpha_max``. ``_Problem``
computes it once (``_cold_gradient``, shared with ``alpha_max_l1``), hands it to the
kernel (``grad_flags`` bit 4) and reports ``max_correlation`` from it, so that
``ElasticNet.fit`` / ``Lasso.fit`` no longer call ``alpha_max_l1`` (another pass over X).
Where the start is not that point (warm start, an intercept the kernel steps on first,
float32) everything runs as before.
"""

import numpy as np
import pytest
import scipy.sparse as sp

from sparsestat._engine import L1, ElasticNet, Logistic, Quadratic, alpha_max_l1, solve
from sparsestat._engine import _cd, solvers
from sparsestat.linear_model import ElasticNet as ElasticNetEstimator
from sparsestat.linear_model import Lasso
from sparsestat.linear_model import _coordinate_descent
from sparsestat.utils._validation import normalized_sample_weight


def _data(sparse, n=60, p=300, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    X[:, 1:] = 0.6 * X[:, :-1] + 0.8 * X[:, 1:]
    X += 3.0 * rng.standard_normal(p)  # column means: centering matters
    if sparse:
        X = X * (rng.random(X.shape) < 0.2)
    w = np.zeros(p)
    w[rng.choice(p, 8, replace=False)] = rng.uniform(-2, 2, 8)
    y = X @ w + 0.3 * rng.standard_normal(n) + 1.5
    return (sp.csc_matrix(X) if sparse else np.asfortranarray(X)), y, rng


CASES = [
    # (sparse, fit_intercept, weighted, penalty factor with zeros, positive, l1_ratio)
    (False, False, False, False, False, 1.0),
    (False, True, False, False, False, 1.0),
    (True, False, False, False, False, 1.0),
    (True, True, False, False, False, 1.0),
    (False, True, True, False, False, 1.0),
    (True, True, True, False, False, 1.0),
    (False, True, False, True, False, 1.0),
    (True, True, True, True, False, 0.5),
    (False, True, True, False, True, 1.0),
    (True, True, False, True, True, 0.7),
]


def _fit_args(case, rng, p):
    sparse, fit_intercept, weighted, zeros, positive, l1_ratio = case
    sw = rng.uniform(0.2, 3.0, 60) if weighted else None
    pf = None
    if zeros:
        pf = rng.uniform(0.5, 2.0, p)
        pf[:5] = 0.0
    return sw, pf


def _no_cold_gradient(monkeypatch):
    """The previous behaviour: the kernel's own first pass, alpha_max_l1 after the fit."""
    monkeypatch.setattr(solvers._Problem, "_cold_gradient", lambda self, w: None)


@pytest.mark.parametrize("case", CASES)
def test_estimator_alpha_max_without_the_extra_pass(case, monkeypatch):
    sparse, fit_intercept, weighted, zeros, positive, l1_ratio = case
    X, y, rng = _data(sparse)
    sw, pf = _fit_args(case, rng, X.shape[1])
    sw_n = normalized_sample_weight(sw, X)  # the estimator's rescaling
    expected = alpha_max_l1(X, y, sample_weight=sw_n, fit_intercept=fit_intercept,
                            penalty_factor=pf, l1_ratio=l1_ratio, positive=positive)
    kw = dict(alpha=expected / 10, l1_ratio=l1_ratio, fit_intercept=fit_intercept,
              positive=positive, penalty_factor=pf, tol=1e-8, max_iter=10000)

    def refuse(*args, **kwargs):
        raise AssertionError("alpha_max_l1 called: a second pass over X")

    monkeypatch.setattr(_coordinate_descent, "alpha_max_l1", refuse)
    new = ElasticNetEstimator(**kw).fit(X, y, sample_weight=sw)
    np.testing.assert_allclose(new.alpha_max_, expected, rtol=1e-12)
    assert new.n_iter_ > 1 and np.count_nonzero(new.coef_) > 0

    # the same iterates as the kernel's own first pass (and alpha_max_l1 afterwards)
    monkeypatch.undo()
    _no_cold_gradient(monkeypatch)
    old = ElasticNetEstimator(**kw).fit(X, y, sample_weight=sw)
    np.testing.assert_allclose(old.alpha_max_, expected, rtol=1e-15)
    assert new.n_iter_ == old.n_iter_
    np.testing.assert_allclose(new.coef_, old.coef_, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(new.intercept_, old.intercept_, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(new.dual_gap_, old.dual_gap_, rtol=1e-6, atol=1e-15)


@pytest.mark.parametrize("sparse", [False, True])
def test_one_gradient_pass_per_cold_lasso_fit(sparse, monkeypatch):
    """Lasso.fit: the intercept-only gradient is computed once, alpha_max_l1 never."""
    X, y, _ = _data(sparse)
    amax = alpha_max_l1(X, y)
    calls = []
    real = solvers._intercept_only_gradient

    def counting(*args):
        calls.append(1)
        return real(*args)

    def refuse(*args, **kwargs):
        raise AssertionError("alpha_max_l1 called")

    monkeypatch.setattr(solvers, "_intercept_only_gradient", counting)
    monkeypatch.setattr(_coordinate_descent, "alpha_max_l1", refuse)
    est = Lasso(alpha=amax / 20, tol=1e-6).fit(X, y)
    assert len(calls) == 1
    assert est.alpha_max_ == pytest.approx(amax, rel=1e-12)


def test_cold_gradient_from_the_finite_checks_xty(monkeypatch):
    """Dense F-ordered X without intercept or weights: the estimator's finite check made
    X^T y, which is the start gradient; no other pass over X before the kernel's."""
    X, y, _ = _data(False)
    amax = alpha_max_l1(X, y, fit_intercept=False)
    # reference: a C-ordered copy takes scikit-learn's finite check and the engine's pass
    ref = Lasso(alpha=amax / 20, fit_intercept=False, tol=1e-8).fit(np.ascontiguousarray(X), y)

    def refuse(*args, **kwargs):
        raise AssertionError("a second pass over X")

    monkeypatch.setattr(solvers, "_intercept_only_gradient", refuse)
    monkeypatch.setattr(_coordinate_descent, "alpha_max_l1", refuse)
    est = Lasso(alpha=amax / 20, fit_intercept=False, tol=1e-8).fit(X, y)
    assert est.n_iter_ == ref.n_iter_
    np.testing.assert_allclose(est.coef_, ref.coef_, rtol=1e-12, atol=1e-15)
    assert est.alpha_max_ == pytest.approx(amax, rel=1e-12)


@pytest.mark.parametrize("sparse", [False, True])
def test_kernel_takes_the_given_cold_gradient(sparse):
    """bit 4: cd_solve uses the gradient it is given instead of its own first pass (a zero
    gradient certifies w = 0 at once)."""
    X, y, _ = _data(sparse)
    # the Lasso's code (the specialized kernel)
    pen = ElasticNet(alpha=alpha_max_l1(X, y, fit_intercept=False) / 10, l1_ratio=1.0)
    problem = solvers._Problem(X, y, Quadratic(), pen, None, False, None, None, None, "cd")
    args = (*problem.design, problem.y, problem.sw, problem.offset, Quadratic.code,
            problem.dparams, problem.dstruct, pen.code, pen.params_array(),
            pen.struct_array(), problem.pf, problem.lower, problem.upper)
    tail = (False, problem.lips, problem.xsw, 1000, 1e-8, 1, problem.y_scale, 100, 0, -1,
            X.shape[1] + 1)
    w = np.zeros(X.shape[1])
    out = _cd.cd_solve(*args, w, 0.0, *tail, np.zeros(X.shape[1]), 4)
    assert out[3] and not np.any(w)  # "converged" on the gradient it was given
    w = np.zeros(X.shape[1])
    out = _cd.cd_solve(*args, w, 0.0, *tail, np.zeros(X.shape[1]), 0)
    assert out[3] and np.any(w)  # its own pass: the true problem


def test_engine_max_correlation_cases():
    X, y, rng = _data(False)
    Xs = sp.csc_matrix(X)
    pen = L1(alpha=0.05)
    # offsets of a datafit that keeps them (logistic, no intercept): exact start
    labels = np.where(y > np.median(y), 1.0, -1.0)
    offset = rng.standard_normal(60)
    for design in (X, Xs):
        res = solve(design, labels, Logistic(), pen, fit_intercept=False, offset=offset,
                    solver="cd", tol=1e-6)
        assert res.solver == "cd"
        np.testing.assert_allclose(
            res.max_correlation,
            alpha_max_l1(design, labels, datafit=Logistic(), fit_intercept=False,
                         offset=offset), rtol=1e-12)
        # an intercept the kernel steps on first (no implicit centering): no free value
        res = solve(design, labels, Logistic(), pen, fit_intercept=True, solver="cd")
        assert res.max_correlation is None
    # a warm start: the first gradient is not alpha_max's
    res = solve(X, y, Quadratic(), pen, coef_init=np.full(X.shape[1], 1e-3), solver="cd")
    assert res.max_correlation is None
    # float32 (numpy would copy X to float64 for X^T v): as before
    res = solve(X.astype(np.float32), y, Quadratic(), pen, solver="cd")
    assert res.max_correlation is None
    # the elastic net and an unpenalized-only problem
    res = solve(Xs, y, Quadratic(), ElasticNet(alpha=0.05, l1_ratio=0.5), solver="cd")
    np.testing.assert_allclose(res.max_correlation, alpha_max_l1(Xs, y), rtol=1e-12)
    res = solve(X, y, Quadratic(), pen, penalty_factor=0.0, solver="cd")
    assert res.max_correlation is None
