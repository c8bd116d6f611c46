"""The new datafits reach the objectives of their peers (issue 17): glum, scikit-learn, skglm.

Each peer solves its own problem at a tight tolerance; we map it to ours (the scaling of
weights and penalties is spelled out in each test) and compare the two objectives *in
our scaling*, each evaluated at its own solution: ours may not be worse than the peer's
by more than a rounding-level margin, and the coefficients agree.

* glum: ``(1/sum s) sum_i s_i dev_i / 2 + alpha (l1_ratio |w|_1 + (1 - l1_ratio) |w|^2 / 2)``
  (weights normalized to sum 1); ours with ``sw = n s / sum s`` and ``ElasticNet``.
* scikit-learn's Poisson / Gamma / Tweedie regressors: the same with ``l1_ratio = 0``.
* scikit-learn's ``LinearSVC(penalty="l1", loss="squared_hinge", dual=False)``:
  ``C sum_i max(0, 1 - y_i s_i)^2 + |w|_1``, i.e. ours with ``alpha = 1 / (C n)``.
* skglm: ``(1/n) sum_i f_i + pen`` with the same ``f`` as ours (Huber, Poisson, Gamma).
"""

import warnings

import numpy as np
import pytest

from sparsestat._engine import (
    L1, ElasticNet, Gamma, Huber, Poisson, SquaredHinge, Tweedie, alpha_max_l1, solve,
)


def _data(kind, n=200, p=30, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) / np.sqrt(p) * 3
    w0 = np.zeros(p)
    w0[:4] = [0.5, -0.4, 0.3, 0.2]
    offset = 0.5 * rng.uniform(-1, 1, n)
    eta = X @ w0 + offset + 0.3
    if kind == "poisson":
        y = rng.poisson(np.exp(eta)).astype(float)
    elif kind == "gamma":
        y = rng.gamma(3.0, np.exp(eta) / 3.0)
    elif kind == "tweedie":
        # compound Poisson-Gamma: some exact zeros, positive otherwise
        counts = rng.poisson(np.exp(eta) * 0.8)
        y = np.array([rng.gamma(2.0, 0.6, c).sum() for c in counts])
    elif kind == "labels":
        y = np.where(eta + 0.5 * rng.standard_normal(n) > 0.3, 1.0, -1.0)
    else:
        y = X @ w0 + rng.standard_t(2, n)
    sw = rng.uniform(0.5, 2.0, n)
    return X, y, sw, offset


def _ours_objective(datafit, penalty, X, y, sw, offset, coef, intercept):
    s = X @ coef + intercept + (0.0 if offset is None else offset)
    return datafit.value(y, s, sw) + penalty.value(coef)


def _compare(datafit, penalty, X, y, sw, offset, ours, coef, intercept, rtol=1e-7):
    mine = _ours_objective(datafit, penalty, X, y, sw, offset, ours.coef, ours.intercept)
    peer = _ours_objective(datafit, penalty, X, y, sw, offset, coef, intercept)
    assert mine <= peer + rtol * (1 + abs(peer)), (mine, peer)
    np.testing.assert_allclose(ours.coef, coef, atol=2e-4)
    assert ours.intercept == pytest.approx(intercept, abs=2e-4)


@pytest.mark.parametrize("family, datafit, kind", [
    ("poisson", Poisson(), "poisson"),
    ("gamma", Gamma(), "gamma"),
    ("tweedie", Tweedie(power=1.5), "tweedie"),
])
def test_glum_elastic_net_with_offset(family, datafit, kind):
    glum = pytest.importorskip("glum")
    X, y, s, offset = _data(kind)
    n = X.shape[0]
    sw = n * s / s.sum()
    am = alpha_max_l1(X, y, sample_weight=sw, datafit=datafit, offset=offset, l1_ratio=0.5)
    alpha = am / 8
    fam = glum.TweedieDistribution(1.5) if family == "tweedie" else family
    peer = glum.GeneralizedLinearRegressor(
        family=fam, link="log", alpha=alpha, l1_ratio=0.5, gradient_tol=1e-12,
        max_iter=1000).fit(X, y, sample_weight=s, offset=offset)
    pen = ElasticNet(alpha=alpha, l1_ratio=0.5)
    ours = solve(X, y, datafit, pen, sample_weight=sw, offset=offset, tol=1e-10)
    assert ours.converged and ours.solver == "prox_newton"
    assert 0 < np.count_nonzero(ours.coef) < X.shape[1]
    _compare(datafit, pen, X, y, sw, offset, ours, peer.coef_, peer.intercept_)


@pytest.mark.parametrize("name, datafit, kind", [
    ("PoissonRegressor", Poisson(), "poisson"),
    ("GammaRegressor", Gamma(), "gamma"),
    ("TweedieRegressor", Tweedie(power=1.5), "tweedie"),
])
def test_scikit_learn_glms_pure_l2(name, datafit, kind):
    import sklearn.linear_model as sk

    X, y, s, _ = _data(kind, seed=1)
    n = X.shape[0]
    sw = n * s / s.sum()
    alpha = 0.05
    kw = dict(power=1.5, link="log") if name == "TweedieRegressor" else {}
    peer = getattr(sk, name)(alpha=alpha, tol=1e-12, max_iter=10_000, **kw).fit(
        X, y, sample_weight=s)
    pen = ElasticNet(alpha=alpha, l1_ratio=0.0)
    ours = solve(X, y, datafit, pen, sample_weight=sw, tol=1e-10)
    assert ours.converged
    _compare(datafit, pen, X, y, sw, None, ours, peer.coef_, peer.intercept_)


def test_liblinear_l1_squared_hinge():
    from sklearn.svm import LinearSVC

    X, y, _, _ = _data("labels", seed=2)
    n = X.shape[0]
    C = 0.05
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # liblinear's own ConvergenceWarning at max_iter
        peer = LinearSVC(penalty="l1", loss="squared_hinge", dual=False, C=C,
                         fit_intercept=False, tol=1e-12, max_iter=100_000).fit(X, y)
    pen = L1(alpha=1.0 / (C * n))
    d = SquaredHinge()
    for solver in ("cd", "prox_newton"):
        ours = solve(X, y, d, pen, fit_intercept=False, tol=1e-10, solver=solver)
        assert ours.converged
        _compare(d, pen, X, y, None, None, ours, peer.coef_.ravel(), 0.0, rtol=1e-6)


@pytest.mark.slow
@pytest.mark.parametrize("name, datafit, kind", [
    ("Huber", Huber(delta=1.0), "real"),
    ("Poisson", Poisson(), "poisson"),
    ("Gamma", Gamma(), "gamma"),
])
def test_skglm(name, datafit, kind):
    skglm = pytest.importorskip("skglm")
    from skglm import datafits as sdf
    from skglm import penalties as spen
    from skglm.solvers import AndersonCD, ProxNewton

    X, y, _, _ = _data(kind, seed=3)
    am = alpha_max_l1(X, y, datafit=datafit)
    alpha = am / 10
    sk_df = sdf.Huber(1.0) if name == "Huber" else getattr(sdf, name)()
    solver = AndersonCD(tol=1e-12, fit_intercept=True) if name == "Huber" else ProxNewton(
        tol=1e-12, fit_intercept=True, max_iter=200)
    peer = skglm.GeneralizedLinearEstimator(sk_df, spen.L1(alpha), solver).fit(X, y)
    pen = L1(alpha=alpha)
    for ours_solver in (("cd", "prox_newton") if name == "Huber" else ("prox_newton",)):
        ours = solve(X, y, datafit, pen, tol=1e-10, solver=ours_solver)
        assert ours.converged
        _compare(datafit, pen, X, y, None, None, ours, peer.coef_, peer.intercept_)
