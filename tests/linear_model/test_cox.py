"""Sparse Cox regression: objectives against scikit-survival's Coxnet and CoxPH and
skglm's Cox, weights, sparse input, the path and the cross-validation."""

import numpy as np
import pytest
import scipy.sparse as sp

from sparsestat._engine import Cox, ElasticNet
from sparsestat.linear_model import SparseCoxRegressor, SparseCoxRegressorCV, cox_path


def _survival(seed=0, n=200, p=12, ties=True):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    w = np.zeros(p)
    w[:3] = [1.0, -0.8, 0.5]
    t_event = rng.exponential(np.exp(-(X @ w)))
    t_cens = rng.exponential(2.0, n)
    time = np.minimum(t_event, t_cens)
    if ties:
        time = np.round(time, 1) + 0.1  # many tied times, all positive
    return X, time, t_event <= t_cens


def _objective(X, y2, coef, alpha, l1_ratio, ties="breslow"):
    return Cox(ties).value(y2, X @ coef) + ElasticNet(alpha, l1_ratio).value(coef)


@pytest.mark.parametrize("alpha, l1_ratio", [(0.05, 0.5), (0.02, 1.0), (0.1, 0.2)])
def test_objective_matches_scikit_survival_coxnet(alpha, l1_ratio):
    from sksurv.linear_model import CoxnetSurvivalAnalysis
    from sksurv.util import Surv

    X, time, event = _survival()
    y2 = np.column_stack([time, event])
    ours = SparseCoxRegressor(alpha=alpha, l1_ratio=l1_ratio, tol=1e-8).fit(X, y2)
    ref = CoxnetSurvivalAnalysis(alphas=[alpha], l1_ratio=l1_ratio, tol=1e-12,
                                 max_iter=100000).fit(X, Surv.from_arrays(event, time))
    f_ours = _objective(X, y2, ours.coef_, alpha, l1_ratio)
    f_ref = _objective(X, y2, ref.coef_[:, 0], alpha, l1_ratio)
    # Coxnet minimizes -loglik / n + alpha (l1_ratio |w|_1 + (1 - l1_ratio) / 2 |w|^2)
    # with Breslow ties: the same objective, so the same minimum
    assert f_ours <= f_ref + 1e-10
    assert f_ours == pytest.approx(f_ref, abs=1e-9)
    np.testing.assert_allclose(ours.coef_, ref.coef_[:, 0], atol=1e-4)
    assert np.array_equal(ours.coef_ != 0, np.abs(ref.coef_[:, 0]) > 1e-8)


@pytest.mark.slow  # skglm compiles its jitclasses for a minute
@pytest.mark.parametrize("ties", ["breslow", "efron"])
def test_objective_matches_skglm_cox(ties):
    pytest.importorskip("skglm")
    from skglm.datafits import Cox as SkCox
    from skglm.penalties import L1
    from skglm.solvers import ProxNewton

    X, time, event = _survival(seed=1, n=150, p=10)
    y2 = np.column_stack([time, event.astype(float)])
    alpha = 0.03
    ours = SparseCoxRegressor(alpha=alpha, ties=ties, tol=1e-8).fit(X, y2)
    datafit = SkCox(use_efron=ties == "efron")
    datafit.initialize(X, y2)
    w_sk = ProxNewton(fit_intercept=False, tol=1e-10, max_iter=100).solve(
        np.asfortranarray(X), y2, datafit, L1(alpha))[0]
    f_ours = _objective(X, y2, ours.coef_, alpha, 1.0, ties)
    f_sk = _objective(X, y2, w_sk, alpha, 1.0, ties)
    assert f_ours <= f_sk + 1e-10
    assert f_ours == pytest.approx(f_sk, abs=1e-9)
    # skglm's own value of its datafit agrees with ours at its solution
    assert datafit.value(y2, w_sk, X @ w_sk) == pytest.approx(Cox(ties).value(y2, X @ w_sk),
                                                             rel=1e-12)


def test_unpenalized_efron_fit_matches_coxph():
    from sksurv.linear_model import CoxPHSurvivalAnalysis
    from sksurv.util import Surv

    X, time, event = _survival(seed=2, n=150, p=4)
    y2 = np.column_stack([time, event])
    ours = SparseCoxRegressor(alpha=0.0, ties="efron", tol=1e-8).fit(X, y2)
    ref = CoxPHSurvivalAnalysis(ties="efron", tol=1e-12, n_iter=200).fit(
        X, Surv.from_arrays(event, time))
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-6, atol=1e-8)


def test_structured_target_sparse_input_and_weights():
    from sksurv.util import Surv

    X, time, event = _survival(seed=3, n=80, p=6)
    y2 = np.column_stack([time, event])
    est = SparseCoxRegressor(alpha=0.05, tol=1e-8)
    dense = est.fit(X, y2).coef_.copy()
    np.testing.assert_array_equal(est.fit(X, Surv.from_arrays(event, time)).coef_, dense)
    np.testing.assert_allclose(est.fit(sp.csc_matrix(X), y2).coef_, dense, atol=1e-8)
    # Breslow: an integer weight is a repeated sample
    sw = np.random.default_rng(0).integers(0, 3, 80)
    rep = np.repeat(np.arange(80), sw)
    a = SparseCoxRegressor(alpha=0.05, tol=1e-8).fit(X, y2, sample_weight=sw).coef_
    b = SparseCoxRegressor(alpha=0.05, tol=1e-8).fit(X[rep], y2[rep]).coef_
    np.testing.assert_allclose(a, b, atol=1e-7)


def test_predict_score_and_alpha_max():
    from sksurv.metrics import concordance_index_censored

    X, time, event = _survival(seed=4)
    y2 = np.column_stack([time, event])
    est = SparseCoxRegressor(alpha=0.05).fit(X, y2)
    risk = est.predict(X)
    np.testing.assert_allclose(risk, X @ est.coef_)
    assert est.score(X, y2) == pytest.approx(
        concordance_index_censored(event, time, risk)[0], rel=1e-14)
    assert est.score(X, y2) > 0.65
    assert np.all(SparseCoxRegressor(alpha=est.alpha_max_ * 1.001).fit(X, y2).coef_ == 0)
    assert np.any(SparseCoxRegressor(alpha=est.alpha_max_ * 0.98).fit(X, y2).coef_ != 0)


def test_standardize_penalizes_standardized_coefficients():
    X, time, event = _survival(seed=5, n=120, p=5)
    X = X * np.array([1.0, 10.0, 0.1, 3.0, 1.0]) + 5.0
    y2 = np.column_stack([time, event])
    a = SparseCoxRegressor(alpha=0.05, standardize=True, tol=1e-8).fit(X, y2).coef_
    scale = X.std(axis=0)
    b = SparseCoxRegressor(alpha=0.05, tol=1e-8).fit((X - X.mean(0)) / scale, y2).coef_
    np.testing.assert_allclose(a, b / scale, rtol=1e-6, atol=1e-9)


def test_cox_path_warm_starts_match_single_fits():
    X, time, event = _survival(seed=6, n=150, p=8)
    y2 = np.column_stack([time, event])
    alphas, coefs = cox_path(X, y2, l1_ratio=0.7, n_alphas=6, tol=1e-8)
    assert coefs.shape == (8, 6) and np.all(np.diff(alphas) < 0)
    assert np.all(coefs[:, 0] == 0)  # alpha_max
    for k in (2, 5):
        single = SparseCoxRegressor(alpha=alphas[k], l1_ratio=0.7, tol=1e-8).fit(X, y2)
        np.testing.assert_allclose(coefs[:, k], single.coef_, atol=1e-7)


@pytest.mark.parametrize("scoring", ["deviance", "concordance"])
def test_cv_selects_a_sparse_model_with_the_signal(scoring):
    X, time, event = _survival(seed=7, n=300, p=10)
    y2 = np.column_stack([time, event])
    cv = SparseCoxRegressorCV(alphas=8, cv=3, scoring=scoring).fit(X, y2)
    assert cv.cv_scores_.shape == (8, 3)
    assert cv.alpha_1se_ >= cv.alpha_min_
    assert set(np.flatnonzero(cv.coef_)) >= {0, 1}
    refit = SparseCoxRegressor(alpha=cv.alpha_).fit(X, y2)
    np.testing.assert_allclose(cv.coef_, refit.coef_)
    best = np.nanmean(cv.cv_scores_, axis=1)
    k = int(np.flatnonzero(cv.alphas_ == cv.alpha_min_)[0])
    assert best[k] == (best.max() if scoring == "concordance" else best.min())


def test_cv_deviance_is_verweij_van_houwelingen():
    # one fold's value, recomputed from its definition
    X, time, event = _survival(seed=8, n=60, p=4)
    y2 = np.column_stack([time, event])
    folds = [(np.arange(20, 60), np.arange(20)), (np.arange(0, 40), np.arange(40, 60))]
    cv = SparseCoxRegressorCV(alphas=[0.05], cv=folds, tol=1e-7).fit(X, y2)
    train, test = folds[0]
    w = SparseCoxRegressor(alpha=0.05, tol=1e-7).fit(X[train], y2[train]).coef_
    full = 60 * Cox().value(y2, X @ w)
    part = 40 * Cox().value(y2[train], X[train] @ w)
    assert cv.cv_scores_[0, 0] == pytest.approx(2 * (full - part) / event[test].sum(),
                                                rel=1e-6)


@pytest.mark.parametrize("y, match", [
    (np.column_stack([np.ones(5), [0, 1, 2, 1, 0]]), "0 \\(censored\\) or 1"),
    (np.column_stack([[1, 2, np.inf, 3, 4], np.ones(5)]), "finite"),
    (np.ones((5, 3)), "shape"),
])
def test_bad_survival_targets_raise(y, match):
    with pytest.raises(ValueError, match=match):
        SparseCoxRegressor().fit(np.ones((5, 2)), y)


def test_mcp_with_large_gamma_is_the_lasso_and_less_biased_with_small_gamma():
    X, time, event = _survival(seed=9, n=300, p=8)
    y2 = np.column_stack([time, event])
    lasso = SparseCoxRegressor(alpha=0.05, tol=1e-8).fit(X, y2).coef_
    mcp_flat = SparseCoxRegressor(alpha=0.05, penalty="mcp", gamma=1e6, tol=1e-8).fit(X, y2)
    np.testing.assert_allclose(mcp_flat.coef_, lasso, atol=1e-4)
    mcp = SparseCoxRegressor(alpha=0.05, penalty="mcp", gamma=2.0, tol=1e-8).fit(X, y2).coef_
    # MCP stops shrinking large coefficients: the strongest one is larger than the lasso's
    assert abs(mcp[0]) > abs(lasso[0])
