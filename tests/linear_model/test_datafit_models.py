"""Poisson, Gamma, Tweedie, Huber and linear-SVM estimators against their anchors.

Anchors: scikit-learn's PoissonRegressor / GammaRegressor / TweedieRegressor (pure L2,
same ``alpha``), glum's elastic-net fits with offsets, scikit-learn's HuberRegressor at
its fitted scale and skglm's Huber, scikit-learn's ``LinearSVC(penalty="l1",
loss="squared_hinge", dual=False)``, and scikit-learn's D^2 functions.
"""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.metrics import d2_tweedie_score, mean_tweedie_deviance

from sparsestat.linear_model import (SparseGammaRegressor, SparseGammaRegressorCV,
                                     SparseHuberRegressor, SparseHuberRegressorCV,
                                     SparseLinearSVC, SparseLinearSVCCV,
                                     SparsePoissonRegressor, SparsePoissonRegressorCV,
                                     SparseTweedieRegressor, SparseTweedieRegressorCV,
                                     glm_path)

TIGHT = dict(tol=1e-10, max_iter=5000)


def _glm_data(rng, family, n=300, p=8, offset=False):
    X = rng.standard_normal((n, p))
    eta = 0.3 + 0.5 * X[:, 0] - 0.4 * X[:, 1] + 0.2 * X[:, 2]
    off = np.log(rng.uniform(0.5, 2.0, n)) if offset else np.zeros(n)
    mu = np.exp(eta + off)
    if family == "poisson":
        y = rng.poisson(mu).astype(float)
    elif family == "gamma":
        y = rng.gamma(3.0, mu / 3.0)
    else:  # compound Poisson-Gamma (Tweedie 1 < power < 2): zeros and amounts
        counts = rng.poisson(mu)
        y = np.array([rng.gamma(2.0, 0.5, c).sum() for c in counts])
    return X, y, (off if offset else None)


def _objective(X, y, coef, intercept, alpha, l1_ratio, power, offset=None):
    """Half mean deviance + elastic net, in the estimators' parametrization."""
    eta = X @ coef + intercept + (0 if offset is None else offset)
    dev = mean_tweedie_deviance(y, np.exp(eta), power=power) / 2
    return dev + alpha * (l1_ratio * np.abs(coef).sum()
                          + (1 - l1_ratio) / 2 * coef @ coef)


# --------------------------------------------------------------------- pure L2 = sklearn
@pytest.mark.parametrize("family, power", [("poisson", 1.0), ("gamma", 2.0),
                                           ("tweedie", 1.5), ("tweedie", 3.0)])
@pytest.mark.parametrize("sparse", [False, True])
def test_pure_l2_equals_sklearn_glm(rng, family, power, sparse):
    from sklearn.linear_model import GammaRegressor, PoissonRegressor, TweedieRegressor

    X, y, _ = _glm_data(rng, "gamma" if power >= 2 else family)
    sw = rng.uniform(0.5, 2.0, X.shape[0])
    alpha = 0.05
    if family == "poisson":
        ours, sk = SparsePoissonRegressor, PoissonRegressor(alpha=alpha, tol=1e-12,
                                                             max_iter=1000)
    elif family == "gamma":
        ours, sk = SparseGammaRegressor, GammaRegressor(alpha=alpha, tol=1e-12,
                                                         max_iter=1000)
    else:
        ours = lambda **kw: SparseTweedieRegressor(power=power, **kw)  # noqa: E731
        sk = TweedieRegressor(power=power, link="log", alpha=alpha, tol=1e-12, max_iter=1000)
    sk.fit(X, y, sample_weight=sw)
    Xf = sp.csc_matrix(X) if sparse else X
    est = ours(alpha=alpha, penalty="elasticnet", l1_ratio=0.0, **TIGHT).fit(
        Xf, y, sample_weight=sw)
    np.testing.assert_allclose(est.coef_, sk.coef_, rtol=1e-6, atol=1e-7)
    assert est.intercept_ == pytest.approx(sk.intercept_, abs=1e-7)
    # and the same score (D^2) as scikit-learn's GLM
    assert est.score(X, y, sample_weight=sw) == pytest.approx(
        sk.score(X, y, sample_weight=sw), abs=1e-8)


# --------------------------------------------------------------------- glum, offsets
@pytest.mark.parametrize("family, power", [("poisson", 1.0), ("gamma", 2.0),
                                           ("tweedie", 1.5)])
def test_elastic_net_with_offset_matches_glum(rng, family, power):
    glum = pytest.importorskip("glum")
    X, y, off = _glm_data(rng, family, offset=True)
    alpha, l1_ratio = 0.02, 0.7
    fam = glum.TweedieDistribution(power) if family == "tweedie" else family
    ref = glum.GeneralizedLinearRegressor(
        family=fam, link="log", alpha=alpha, l1_ratio=l1_ratio, gradient_tol=1e-12,
        max_iter=1000).fit(X, y, offset=off)
    if family == "poisson":
        est = SparsePoissonRegressor(alpha=alpha, penalty="elasticnet", l1_ratio=l1_ratio,
                                     **TIGHT)
    elif family == "gamma":
        est = SparseGammaRegressor(alpha=alpha, penalty="elasticnet", l1_ratio=l1_ratio,
                                   **TIGHT)
    else:
        est = SparseTweedieRegressor(power=power, alpha=alpha, penalty="elasticnet",
                                     l1_ratio=l1_ratio, **TIGHT)
    est.fit(X, y, offset=off)
    f_ours = _objective(X, y, est.coef_, est.intercept_, alpha, l1_ratio, power, off)
    f_ref = _objective(X, y, ref.coef_, ref.intercept_, alpha, l1_ratio, power, off)
    assert f_ours <= f_ref + 1e-10
    assert f_ours == pytest.approx(f_ref, abs=1e-8)
    np.testing.assert_allclose(est.coef_, ref.coef_, atol=1e-5)
    assert set(np.flatnonzero(est.coef_)) == set(np.flatnonzero(np.abs(ref.coef_) > 1e-8))


def test_offset_is_exposure(rng):
    """Counts with log(exposure) as offset = rates weighted by exposure (same model)."""
    X, y, off = _glm_data(rng, "poisson", offset=True)
    exposure = np.exp(off)
    a = SparsePoissonRegressor(alpha=0.01, **TIGHT).fit(X, y, offset=off)
    # sample weights are rescaled to sum to n: alpha scales with their mean
    b = SparsePoissonRegressor(alpha=0.01 * X.shape[0] / exposure.sum(), **TIGHT).fit(
        X, y / exposure, sample_weight=exposure)
    np.testing.assert_allclose(a.coef_, b.coef_, atol=1e-7)
    assert a.intercept_ == pytest.approx(b.intercept_, abs=1e-7)
    np.testing.assert_allclose(a.predict(X, offset=off), exposure * b.predict(X),
                               rtol=1e-6)
    # the offset enters predict and score, and a scalar offset broadcasts
    assert not np.allclose(a.predict(X), a.predict(X, offset=off))
    np.testing.assert_allclose(a.predict(X, offset=0.5), np.exp(0.5) * a.predict(X))
    assert a.score(X, y, offset=off) == pytest.approx(
        d2_tweedie_score(y, a.predict(X, offset=off), power=1.0))


def test_offset_errors_and_caller_data_untouched(rng):
    X, y, off = _glm_data(rng, "poisson", offset=True)
    off0 = off.copy()
    est = SparsePoissonRegressor(alpha=0.01).fit(X, y, offset=off)
    assert np.array_equal(off, off0)
    with pytest.raises(ValueError, match="offset"):
        SparsePoissonRegressor().fit(X, y, offset=off[:-1])
    bad = off.copy()
    bad[3] = np.nan
    with pytest.raises(ValueError, match="NaN|offset"):
        SparsePoissonRegressor().fit(X, y, offset=bad)
    with pytest.raises(ValueError, match="offset"):
        est.predict(X, offset=off[:5])


def test_target_ranges_are_checked(rng):
    X, y, _ = _glm_data(rng, "gamma")
    with pytest.raises(ValueError, match="nonnegative"):
        SparsePoissonRegressor().fit(X, y - 10)
    with pytest.raises(ValueError, match="positive"):
        SparseGammaRegressor().fit(X, np.r_[0.0, y[1:]])
    with pytest.raises(ValueError, match="positive"):
        SparseTweedieRegressor(power=2.5).fit(X, np.r_[0.0, y[1:]])
    with pytest.raises(ValueError, match="every value of y is 0"):
        SparsePoissonRegressor().fit(X, np.zeros_like(y))
    # Tweedie 1 < power < 2 takes exact zeros
    SparseTweedieRegressor(power=1.5).fit(X, np.r_[0.0, y[1:]])


@pytest.mark.parametrize("power", [1.0, 1.5, 2.0])
def test_d2_score_is_sklearn_d2(rng, power):
    X, y, _ = _glm_data(rng, "gamma")
    est = SparseTweedieRegressor(power=power, alpha=0.01).fit(X, y)
    sw = rng.uniform(0.5, 2.0, X.shape[0])
    assert est.score(X, y, sample_weight=sw) == pytest.approx(
        d2_tweedie_score(y, est.predict(X), sample_weight=sw, power=power), rel=1e-12)
    assert 0 < est.score(X, y) < 1


def test_lasso_selects_the_true_support(rng):
    X, y, _ = _glm_data(rng, "poisson", n=2000, p=20)
    est = SparsePoissonRegressor(alpha=0.08).fit(X, y)
    assert set(np.flatnonzero(est.coef_)) == {0, 1, 2}
    mcp = SparsePoissonRegressor(alpha=0.08, penalty="mcp").fit(X, y)
    assert set(np.flatnonzero(mcp.coef_)) == {0, 1, 2}
    # MCP is nearly unbiased: closer to the truth than the Lasso on the large effects
    truth = np.array([0.5, -0.4, 0.2])
    assert np.abs(mcp.coef_[:3] - truth).sum() < np.abs(est.coef_[:3] - truth).sum()


# --------------------------------------------------------------------- path and CV
def test_glm_path_starts_at_zero_and_matches_single_fits(rng):
    X, y, off = _glm_data(rng, "poisson", offset=True)
    alphas, coefs, intercepts = glm_path(X, y, datafit="poisson", alphas=8, offset=off,
                                         tol=1e-10, max_iter=5000)
    assert np.all(coefs[:, 0] == 0) and np.any(coefs[:, 1] != 0)
    assert np.all(np.diff(alphas) < 0)
    # the intercept-only fit at alpha_max: log of the mean rate
    assert intercepts[0] == pytest.approx(np.log(y.sum() / np.exp(off).sum()), abs=1e-7)
    for k in (2, 7):
        one = SparsePoissonRegressor(alpha=alphas[k], **TIGHT).fit(X, y, offset=off)
        np.testing.assert_allclose(coefs[:, k], one.coef_, atol=1e-7)
        assert intercepts[k] == pytest.approx(one.intercept_, abs=1e-7)


def test_glm_path_every_datafit_and_sparse_x(rng):
    X, y, _ = _glm_data(rng, "gamma")
    # noisy labels: separable ones send the squared-hinge path to infinity as alpha -> 0
    labels = np.where(X[:, 0] + X[:, 1] + rng.standard_normal(X.shape[0]) > 0, 1.0, -1.0)
    for name, target in [("poisson", y), ("gamma", y), ("tweedie", y), ("huber", np.log(y)),
                         ("squared_hinge", labels)]:
        a1, c1, b1 = glm_path(X, target, datafit=name, alphas=5, tol=1e-8)
        a2, c2, b2 = glm_path(sp.csr_matrix(X), target, datafit=name, alphas=5, tol=1e-8)
        np.testing.assert_allclose(a1, a2, rtol=1e-12)
        np.testing.assert_allclose(c1, c2, atol=1e-6, err_msg=name)
    with pytest.raises(ValueError, match="Unknown datafit"):
        glm_path(X, y, datafit="binomial")


@pytest.mark.parametrize("cls, family", [(SparsePoissonRegressorCV, "poisson"),
                                         (SparseGammaRegressorCV, "gamma"),
                                         (SparseTweedieRegressorCV, "tweedie")])
def test_cv_picks_a_sensible_alpha(rng, cls, family):
    X, y, off = _glm_data(rng, family, n=400, p=12, offset=True)
    est = cls(alphas=20, cv=4).fit(X, y, offset=off)
    assert est.deviance_path_.shape == (20, 4)
    assert est.alphas_[-1] < est.alpha_ < est.alphas_[0]
    assert {0, 1} <= set(np.flatnonzero(est.coef_))
    # the refit is the single estimator at alpha_
    single = {"poisson": SparsePoissonRegressor, "gamma": SparseGammaRegressor,
              "tweedie": SparseTweedieRegressor}[family](alpha=est.alpha_).fit(
                  X, y, offset=off)
    np.testing.assert_allclose(est.coef_, single.coef_, atol=1e-6)
    # the one-standard-error rule: a larger alpha, a model at most as large
    se = cls(alphas=20, cv=4, alpha_select="1se").fit(X, y, offset=off)
    assert se.alpha_ == se.alpha_1se_ >= se.alpha_min_ == est.alpha_min_
    assert np.count_nonzero(se.coef_) <= np.count_nonzero(est.coef_)
    # the held-out deviance is scikit-learn's mean Tweedie deviance of that power
    power = {"poisson": 1.0, "gamma": 2.0, "tweedie": 1.5}[family]
    assert np.all(est.deviance_path_ > 0)
    assert est.score(X, y, offset=off) == pytest.approx(
        d2_tweedie_score(y, est.predict(X, offset=off), power=power))


# --------------------------------------------------------------------- Huber
def test_huber_l2_equals_sklearn_at_its_scale(rng):
    from sklearn.linear_model import HuberRegressor

    X = rng.standard_normal((200, 5))
    y = X @ np.array([1.0, -2.0, 0.0, 0.5, 0.0]) + 0.3 * rng.standard_normal(200)
    y[:10] += 20
    n = X.shape[0]
    sk = HuberRegressor(epsilon=1.35, alpha=1.0, tol=1e-12, max_iter=10000).fit(X, y)
    est = SparseHuberRegressor(delta=1.35 * sk.scale_, alpha=sk.scale_ / n,
                               penalty="elasticnet", l1_ratio=0.0, **TIGHT).fit(X, y)
    np.testing.assert_allclose(est.coef_, sk.coef_, atol=1e-5)
    assert est.intercept_ == pytest.approx(sk.intercept_, abs=1e-5)
    np.testing.assert_array_equal(est.outliers_, sk.outliers_)


@pytest.mark.slow  # skglm compiles its jitclasses in every process (about 15 s)
def test_huber_matches_skglm(rng):
    skglm = pytest.importorskip("skglm")
    from skglm.datafits import Huber
    from skglm.penalties import L1

    X = rng.standard_normal((150, 20))
    y = X[:, :3] @ np.array([1.0, -1.0, 2.0]) + rng.standard_t(2, 150)
    delta, alpha = 1.0, 0.05
    ref = skglm.GeneralizedLinearEstimator(
        Huber(delta), L1(alpha),
        solver=skglm.solvers.AndersonCD(tol=1e-12, fit_intercept=True, max_iter=1000)).fit(
            X, y)
    est = SparseHuberRegressor(delta=delta, alpha=alpha, **TIGHT).fit(X, y)

    def obj(coef, b):
        r = y - X @ coef - b
        h = np.where(np.abs(r) <= delta, r ** 2 / 2, delta * np.abs(r) - delta ** 2 / 2)
        return h.mean() + alpha * np.abs(coef).sum()

    assert obj(est.coef_, est.intercept_) <= obj(ref.coef_, ref.intercept_) + 1e-10
    np.testing.assert_allclose(est.coef_, ref.coef_, atol=1e-5)


def test_huber_is_robust_and_cv_works(rng):
    from sparsestat.linear_model import LassoCV

    X = rng.standard_normal((200, 10))
    y = 2 * X[:, 0] - X[:, 3] + 0.2 * rng.standard_normal(200)
    y[:15] += rng.choice([-1, 1], 15) * 50.0
    cv = SparseHuberRegressorCV(delta=0.5, alphas=20, cv=4).fit(X, y)
    lasso = LassoCV(alphas=20, cv=4).fit(X, y)
    truth = np.zeros(10)
    truth[[0, 3]] = [2.0, -1.0]
    assert np.abs(cv.coef_ - truth).max() < 0.1
    assert np.abs(cv.coef_ - truth).max() < np.abs(lasso.coef_ - truth).max()
    assert cv.loss_path_.shape == (20, 4)
    assert cv.outliers_[:15].all()


# --------------------------------------------------------------------- linear SVM
def test_linear_svc_matches_liblinear(rng):
    from sklearn.svm import LinearSVC

    X = rng.standard_normal((200, 15))
    y = np.where(X[:, 0] - 0.5 * X[:, 1] + 0.3 * rng.standard_normal(200) > 0, "b", "a")
    n, C = X.shape[0], 0.05
    ref = LinearSVC(penalty="l1", loss="squared_hinge", dual=False, C=C, tol=1e-12,
                    fit_intercept=False, max_iter=100000).fit(X, y)
    est = SparseLinearSVC(alpha=1.0 / (C * n), fit_intercept=False, **TIGHT).fit(X, y)
    ypm = np.where(y == "b", 1.0, -1.0)

    def obj(coef):  # liblinear's objective divided by C n
        return np.mean(np.maximum(0, 1 - ypm * (X @ coef)) ** 2) + \
            np.abs(coef).sum() / (C * n)

    assert obj(est.coef_[0]) <= obj(ref.coef_[0]) + 1e-10
    np.testing.assert_allclose(est.coef_, ref.coef_, atol=1e-5)
    assert list(est.classes_) == ["a", "b"]
    np.testing.assert_array_equal(est.predict(X), ref.predict(X))
    np.testing.assert_allclose(est.decision_function(X), ref.decision_function(X),
                               atol=1e-4)


def test_linear_svc_binary_only_and_cv(rng):
    X = rng.standard_normal((240, 10))
    y = (X[:, 0] + X[:, 1] + 0.3 * rng.standard_normal(240) > 0).astype(int)
    with pytest.raises(ValueError, match="Only binary classification"):
        SparseLinearSVC().fit(X, np.arange(240) % 3)
    for scoring in ("accuracy", "squared_hinge"):
        cv = SparseLinearSVCCV(alphas=15, cv=3, scoring=scoring).fit(X, y)
        assert cv.error_path_.shape == (15, 3)
        assert cv.coef_.shape == (1, 10) and cv.intercept_.shape == (1,)
        assert {0, 1} <= set(np.flatnonzero(cv.coef_[0]))
        assert cv.score(X, y) > 0.9


def test_warm_start_reuses_the_previous_solution(rng):
    X, y, _ = _glm_data(rng, "poisson")
    est = SparsePoissonRegressor(alpha=0.01, warm_start=True, tol=1e-8).fit(X, y)
    first = est.n_iter_
    est.fit(X, y)
    assert est.n_iter_ <= first
    labels = (X[:, 0] > 0).astype(int)
    svc = SparseLinearSVC(alpha=0.01, warm_start=True, tol=1e-8).fit(X, labels)
    coef = svc.coef_.copy()
    svc.fit(X, labels)
    np.testing.assert_allclose(svc.coef_, coef, atol=1e-8)


def test_quiet_on_easy_problems(rng):
    X, y, _ = _glm_data(rng, "poisson")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        SparsePoissonRegressor(alpha=0.01).fit(X, y)
        SparseGammaRegressor(alpha=0.01).fit(X, y + 1)


def test_cv_curve_display_reads_the_deviance_path(rng):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    from sparsestat.linear_model import CVCurveDisplay

    X, y, _ = _glm_data(rng, "poisson", n=200, p=5)
    est = SparsePoissonRegressorCV(alphas=6, cv=3).fit(X, y)
    disp = CVCurveDisplay.from_estimator(est)
    np.testing.assert_allclose(disp.ax_.lines[0].get_ydata(), est.deviance_path_.mean(axis=1))
    assert "deviance" in disp.ax_.get_ylabel()


def test_nonconvex_penalty_keeps_the_offset(rng):
    """MCP with an offset is the exposure-weighted MCP fit (the offset is never dropped)."""
    X, y, off = _glm_data(rng, "poisson", n=600, offset=True)
    exposure = np.exp(off)
    # raw columns: the weighted twin would standardize with the exposure as weights
    a = SparsePoissonRegressor(alpha=0.03, gamma=3.0, penalty="mcp", standardize=False,
                               **TIGHT).fit(
        X, y, offset=off)
    # the twin's loss is k = n / sum(exposure) times ours: MCP(alpha, gamma) / k is
    # MCP(alpha / k, gamma * k)
    k = X.shape[0] / exposure.sum()
    b = SparsePoissonRegressor(alpha=0.03 * k, gamma=3.0 / k, penalty="mcp",
                               standardize=False, **TIGHT).fit(
                                   X, y / exposure, sample_weight=exposure)
    np.testing.assert_allclose(a.coef_, b.coef_, atol=1e-6)
    assert a.intercept_ == pytest.approx(b.intercept_, abs=1e-6)


@pytest.mark.parametrize("cls", [SparsePoissonRegressor, SparseGammaRegressor,
                                 SparseHuberRegressor])
def test_alpha_max_gives_exact_zeros(rng, cls):
    from sparsestat._engine import alpha_max_l1

    X, y, _ = _glm_data(rng, "gamma", n=100, p=5)
    est = cls(alpha=1.0)
    amax = alpha_max_l1(X, y, datafit=est._datafit())
    est.set_params(alpha=amax * (1 + 1e-9)).fit(X, y)
    assert np.all(est.coef_ == 0)
    assert est.set_params(alpha=0.5 * amax).fit(X, y).coef_.any()
