"""Cross-validated paths and information criteria."""

import numpy as np
import pytest
from sklearn import linear_model as sk
from sklearn.model_selection import KFold

from sparsestat.linear_model import (
    ElasticNetCV,
    LassoCV,
    MCPRegressor,
    MCPRegressorCV,
    SparseLogisticRegressionCV,
    SparseRegressorIC,
)
from sparsestat.linear_model._information_criterion import information_criterion

pytestmark = pytest.mark.filterwarnings("ignore::sparsestat.linear_model.NonconvexWarning")


def _regression(seed, n=120, p=40, k=5, noise=1.0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    w = np.zeros(p)
    w[:k] = rng.uniform(1, 2, k) * rng.choice([-1, 1], k)
    return X, X @ w + noise * rng.standard_normal(n)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_lasso_cv_chooses_sklearn_alpha_on_same_folds(seed):
    X, y = _regression(seed)
    cv = KFold(5, shuffle=True, random_state=seed)
    ours = LassoCV(cv=cv, alphas=50, tol=1e-8).fit(X, y)
    theirs = sk.LassoCV(cv=cv, alphas=50, tol=1e-8).fit(X, y)
    np.testing.assert_allclose(ours.alphas_, theirs.alphas_, rtol=1e-12)
    assert ours.alpha_ == pytest.approx(theirs.alpha_, rel=1e-12)
    np.testing.assert_allclose(ours.mse_path_, theirs.mse_path_, rtol=1e-4)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-5)


def test_enet_cv_matches_sklearn_with_several_l1_ratios():
    X, y = _regression(3)
    cv = KFold(4, shuffle=True, random_state=0)
    ours = ElasticNetCV(l1_ratio=[0.3, 0.7, 1.0], cv=cv, alphas=30, tol=1e-8).fit(X, y)
    theirs = sk.ElasticNetCV(l1_ratio=[0.3, 0.7, 1.0], cv=cv, alphas=30, tol=1e-8).fit(X, y)
    assert ours.mse_path_.shape == theirs.mse_path_.shape == (3, 30, 4)
    assert ours.alpha_ == pytest.approx(theirs.alpha_, rel=1e-12)
    assert ours.l1_ratio_ == theirs.l1_ratio_
    np.testing.assert_allclose(ours.mse_path_, theirs.mse_path_, rtol=1e-4)


def test_threads_give_the_same_path_and_sample_weights_change_it():
    X, y = _regression(4)
    one = LassoCV(cv=3, alphas=20, n_jobs=1).fit(X, y)
    two = LassoCV(cv=3, alphas=20, n_jobs=2).fit(X, y)
    np.testing.assert_array_equal(one.mse_path_, two.mse_path_)
    sw = np.r_[np.full(60, 5.0), np.ones(60)]
    weighted = LassoCV(cv=3, alphas=20).fit(X, y, sample_weight=sw)
    assert not np.allclose(weighted.mse_path_, one.mse_path_)


def test_mcp_cv_refit_is_the_path_solution_and_beats_lasso_on_support():
    X, y = _regression(5, n=200, p=100, k=5, noise=0.5)
    cv = KFold(5, shuffle=True, random_state=0)
    mcp = MCPRegressorCV(cv=cv, alphas=40).fit(X, y)
    lasso = LassoCV(cv=cv, alphas=40).fit(X, y)
    assert mcp.mse_path_.shape == (40, 5)
    assert mcp.alpha_ in mcp.alphas_
    assert set(np.flatnonzero(mcp.coef_)) >= set(range(5))
    assert np.count_nonzero(mcp.coef_) < np.count_nonzero(lasso.coef_)
    # the refit follows the full-data path down to alpha_: same as a warm-started path
    est = MCPRegressor(alpha=mcp.alphas_[0], warm_start=True)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for a in mcp.alphas_[: list(mcp.alphas_).index(mcp.alpha_) + 1]:
            est.set_params(alpha=a).fit(X, y)
    np.testing.assert_allclose(est.coef_, mcp.coef_, atol=1e-8)


def test_logistic_cv_scores_and_choice(rng):
    X = rng.standard_normal((200, 20))
    y = (X[:, 0] - X[:, 1] + 0.8 * rng.standard_normal(200) > 0).astype(int)
    clf = SparseLogisticRegressionCV(alphas=15, cv=4).fit(X, y)
    assert clf.scores_.shape == (15, 4)
    best = clf.scores_.mean(axis=1).max()
    # the chosen alpha beats both ends of the grid on held-out log-likelihood
    assert best > clf.scores_.mean(axis=1)[0]
    assert clf.alpha_ == clf.alphas_[np.argmax(clf.scores_.mean(axis=1))]
    assert np.all(clf.scores_ <= 0)
    acc = SparseLogisticRegressionCV(alphas=10, cv=3, scoring="accuracy").fit(X, y)
    assert np.all((acc.scores_ >= 0) & (acc.scores_ <= 1))
    multi = SparseLogisticRegressionCV(alphas=5, cv=3).fit(X, np.arange(200) % 3)
    assert multi.coef_.shape == (3, 20)


def test_information_criteria_formula_and_selection():
    rss, n, p = np.array([10.0, 5.0]), 100, 50
    df = np.array([1, 3])
    aic = information_criterion(rss, n, p, df, "aic")
    np.testing.assert_allclose(aic, n * np.log(rss / n) + 2 * df)
    bic = information_criterion(rss, n, p, df, "bic")
    ebic = information_criterion(rss, n, p, df, "ebic", ebic_gamma=1.0)
    from scipy.special import comb

    np.testing.assert_allclose(ebic - bic, 2 * np.log(comb(p, df)))
    X, y = _regression(6, n=200, p=60, k=4, noise=0.5)
    for penalty in ("mcp", "scad"):
        reg = SparseRegressorIC(penalty=penalty, criterion="ebic").fit(X, y)
        assert set(np.flatnonzero(reg.coef_)) == set(range(4))
        assert reg.criterion_[np.flatnonzero(reg.alphas_ == reg.alpha_)[0]] == \
            reg.criterion_.min()
    aic_fit = SparseRegressorIC(penalty="l1", criterion="aic").fit(X, y)
    bic_fit = SparseRegressorIC(penalty="l1", criterion="bic").fit(X, y)
    assert np.count_nonzero(aic_fit.coef_) >= np.count_nonzero(bic_fit.coef_)


def test_information_criterion_caps_support_in_high_dimension():
    # p >> n: without a cap, n log(RSS / n) -> -inf near interpolation picks a huge model
    rng = np.random.default_rng(7)
    X = rng.standard_normal((200, 800))
    y = X[:, :5] @ np.array([2.0, -2.0, 1.5, 1.0, -1.0]) + 0.5 * rng.standard_normal(200)
    reg = SparseRegressorIC(penalty="mcp", criterion="ebic", alphas=40).fit(X, y)
    assert reg.max_features_ == int(200 / (np.log(800) * np.log(np.log(200))))
    assert set(np.flatnonzero(reg.coef_)) == set(range(5))
    capped = SparseRegressorIC(penalty="mcp", alphas=40, max_features=3).fit(X, y)
    assert np.count_nonzero(capped.coef_) <= 3


# --- issue 14 ---------------------------------------------------------------------------

def _issue14_data():
    rng = np.random.RandomState(0)
    X = rng.randn(40, 5)
    return X, X @ np.arange(1, 6) + rng.randn(40)


@pytest.mark.parametrize("est, match", [
    (LassoCV(alphas=[-1.0], cv=3), r"alphas\[0\] == -\S+, must be >= 0"),
    (LassoCV(alphas=[], cv=3), "alphas is empty"),
    (LassoCV(alphas=[np.nan, 1.0], cv=3), "alphas must be finite"),
    (ElasticNetCV(l1_ratio=[1.5], cv=3), r"l1_ratio\[0\] == 1.5, must be <= 1.0"),
    (ElasticNetCV(l1_ratio=[], cv=3), "l1_ratio is empty"),
    (ElasticNetCV(l1_ratio=[0.5, np.nan], cv=3), "l1_ratio must be finite"),
    (MCPRegressorCV(alphas=[-0.1], cv=3), r"alphas\[0\] == -\S+, must be >= 0"),
    (SparseRegressorIC(alphas=[np.nan]), "alphas must be finite"),
    (SparseRegressorIC(alphas=[]), "alphas is empty"),
])
def test_array_like_parameters_are_validated(est, match):
    X, y = _issue14_data()
    with pytest.raises(ValueError, match=match):
        est.fit(X, y)


def test_logistic_cv_alphas_are_validated():
    X, y = _issue14_data()
    with pytest.raises(ValueError, match=r"alphas\[0\] == -\S+, must be >= 0"):
        SparseLogisticRegressionCV(alphas=[-1.0], cv=3).fit(X, y > 0)


def test_enet_cv_alphas_is_1d_for_given_alphas_as_sklearn():
    X, y = _issue14_data()
    ours = ElasticNetCV(l1_ratio=[0.5, 1.0], alphas=[0.1, 1.0], cv=3).fit(X, y)
    ref = sk.ElasticNetCV(l1_ratio=[0.5, 1.0], alphas=[0.1, 1.0], cv=3).fit(X, y)
    assert ours.alphas_.shape == ref.alphas_.shape == (2,)
    np.testing.assert_array_equal(ours.alphas_, ref.alphas_)
    grid = ElasticNetCV(l1_ratio=[0.5, 1.0], alphas=4, cv=3).fit(X, y)
    assert grid.alphas_.shape == sk.ElasticNetCV(l1_ratio=[0.5, 1.0], alphas=4,
                                                 cv=3).fit(X, y).alphas_.shape == (2, 4)


def test_cv_and_ic_with_zero_l1_weight_fit_least_squares_and_ridge():
    X, y = _issue14_data()
    folds = list(KFold(3).split(X))
    # alpha = 0 was scored as the null model (w = 0): its error is that of least squares
    ours = LassoCV(alphas=[0.0, 0.1, 1.0], cv=folds, tol=1e-10).fit(X, y)
    ref = sk.LassoCV(alphas=[0.0, 0.1, 1.0], cv=folds, tol=1e-10).fit(X, y)
    np.testing.assert_allclose(ours.mse_path_, ref.mse_path_, rtol=1e-5)
    enet = ElasticNetCV(l1_ratio=0, alphas=[0.1], cv=folds, tol=1e-10).fit(X, y)
    ridge = sk.ElasticNet(alpha=0.1, l1_ratio=0, tol=1e-12, max_iter=10 ** 5).fit(X, y)
    np.testing.assert_allclose(enet.coef_, ridge.coef_, atol=1e-6)
    ic = SparseRegressorIC(alphas=[0.0], tol=1e-10).fit(X, y)
    np.testing.assert_allclose(ic.coef_, sk.LinearRegression().fit(X, y).coef_, atol=1e-6)


def test_information_criterion_is_invariant_to_the_scale_of_sample_weight():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((100, 30))
    y = X[:, :3] @ np.array([2.0, -1.0, 0.5]) + rng.standard_normal(100)
    sw = rng.uniform(0.5, 2.0, 100)
    fits = [SparseRegressorIC().fit(X, y, sample_weight=c * sw) for c in (1 / 100, 1, 100)]
    for f in fits[1:]:
        assert f.alpha_ == fits[0].alpha_
        np.testing.assert_allclose(f.criterion_, fits[0].criterion_, rtol=1e-10)
    # constant weights are no weights; zero weights drop samples
    unweighted = SparseRegressorIC().fit(X, y)
    const = SparseRegressorIC().fit(X, y, sample_weight=np.full(100, 7.0))
    assert const.alpha_ == unweighted.alpha_
    np.testing.assert_allclose(const.criterion_, unweighted.criterion_, rtol=1e-10)
    keep = np.arange(100) < 80
    dropped = SparseRegressorIC(alphas=unweighted.alphas_).fit(X, y, sample_weight=keep * 1.0)
    subset = SparseRegressorIC(alphas=unweighted.alphas_).fit(X[keep], y[keep])
    np.testing.assert_allclose(dropped.criterion_, subset.criterion_, rtol=1e-6)


def test_automatic_grid_with_l1_ratio_zero_raises_as_sklearn():
    # ridge never zeroes every coefficient: no alpha_max to start a grid from
    from sparsestat.linear_model import enet_path

    X, y = _issue14_data()
    match = "Automatic alpha grid generation is not supported for l1_ratio=0"
    with pytest.raises(ValueError, match=match):
        sk.ElasticNetCV(l1_ratio=0, cv=3).fit(X, y)
    for fit in (lambda: ElasticNetCV(l1_ratio=0, cv=3).fit(X, y),
                lambda: ElasticNetCV(l1_ratio=[0.0, 0.5], cv=3).fit(X, y),
                lambda: enet_path(X, y, l1_ratio=0, alphas=5)):
        with pytest.raises(ValueError, match=match):
            fit()


# --- scikit-learn 1.9's CV parameters, metadata routing, the 1-SE rule (issue 14) -------

_ROUTED_CV = [
    (LassoCV, {}),
    (ElasticNetCV, {"l1_ratio": [0.5, 1.0]}),
    (MCPRegressorCV, {}),
]


@pytest.mark.parametrize("Est, params", _ROUTED_CV)
def test_cv_routes_groups_to_the_splitter_as_sklearn(Est, params):
    import sklearn
    from sklearn.model_selection import GroupKFold

    X, y = _regression(0, n=60, p=8)
    groups = np.arange(60) % 4
    est = Est(cv=GroupKFold(3), alphas=10, **params)
    with pytest.raises(ValueError, match="enable_metadata_routing=True"):
        est.fit(X, y, groups=groups)
    with sklearn.config_context(enable_metadata_routing=True):
        est.fit(X, y, groups=groups)
        # the folds are GroupKFold's: refitting on them by hand gives the same mse_path_
        folds = list(GroupKFold(3).split(X, y, groups))
        same = Est(cv=folds, alphas=10, **params).fit(X, y)
    np.testing.assert_allclose(est.mse_path_, same.mse_path_)


def test_lasso_cv_routing_matches_sklearn():
    import sklearn
    from sklearn.model_selection import GroupKFold

    X, y = _regression(1, n=60, p=8)
    groups = np.arange(60) % 5
    with sklearn.config_context(enable_metadata_routing=True):
        ours = LassoCV(cv=GroupKFold(5), alphas=20, tol=1e-8).fit(X, y, groups=groups)
        theirs = sk.LassoCV(cv=GroupKFold(5), alphas=20, tol=1e-8).fit(X, y, groups=groups)
    assert ours.alpha_ == pytest.approx(theirs.alpha_)


def test_logistic_cv_routes_groups():
    import sklearn
    from sklearn.model_selection import GroupKFold

    rng = np.random.default_rng(0)
    X = rng.standard_normal((80, 4))
    y = (X[:, 0] + 0.5 * rng.standard_normal(80) > 0).astype(int)
    groups = np.arange(80) % 4
    with pytest.raises(ValueError, match="enable_metadata_routing=True"):
        SparseLogisticRegressionCV(cv=GroupKFold(4), alphas=5).fit(X, y, groups=groups)
    with sklearn.config_context(enable_metadata_routing=True):
        clf = SparseLogisticRegressionCV(cv=GroupKFold(4), alphas=5).fit(X, y, groups=groups)
    assert clf.scores_.shape == (5, 4)


def _one_se_by_hand(alphas, folds_err):
    mean = folds_err.mean(axis=1)
    best = int(np.argmin(mean))
    se = folds_err.std(axis=1, ddof=1) / np.sqrt(folds_err.shape[1])
    return float(np.max(alphas[mean <= mean[best] + se[best]]))


@pytest.mark.parametrize("Est", [LassoCV, ElasticNetCV, MCPRegressorCV])
def test_one_se_rule(Est):
    X, y = _regression(2, n=80, p=20, noise=2.0)
    cv = KFold(5, shuffle=True, random_state=0)
    m = Est(cv=cv, alphas=30).fit(X, y)
    assert m.alpha_ == m.alpha_min_
    assert m.alpha_1se_ == pytest.approx(_one_se_by_hand(m.alphas_, m.mse_path_))
    assert m.alpha_1se_ >= m.alpha_min_
    s = Est(cv=cv, alphas=30, alpha_select="1se").fit(X, y)
    assert s.alpha_ == s.alpha_1se_ == m.alpha_1se_
    # the 1-SE model is the sparser one
    assert np.count_nonzero(s.coef_) <= np.count_nonzero(m.coef_)


def test_one_se_rule_logistic():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((150, 10))
    y = (X[:, 0] - X[:, 1] + rng.standard_normal(150) > 0).astype(int)
    m = SparseLogisticRegressionCV(cv=5, alphas=15, alpha_select="1se").fit(X, y)
    mean = m.scores_.mean(axis=1)
    best = int(np.argmax(mean))
    se = m.scores_.std(axis=1, ddof=1) / np.sqrt(5)
    expected = np.max(m.alphas_[mean >= mean[best] - se[best]])
    assert m.alpha_ == m.alpha_1se_ == pytest.approx(expected)
    assert m.alpha_min_ == m.alphas_[best] <= m.alpha_1se_


def test_cv_takes_sklearn_constructor_parameters():
    X, y = _regression(3, n=60, p=10)
    params = dict(precompute=False, selection="random", random_state=0, copy_X=False,
                  verbose=0)
    ours = LassoCV(cv=3, alphas=10, tol=1e-10, **params).fit(X, y)
    ref = LassoCV(cv=3, alphas=10, tol=1e-10).fit(X, y)
    assert ours.alpha_ == ref.alpha_
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-6)
    ElasticNetCV(cv=3, alphas=5, precompute=True, selection="random", random_state=1,
                 copy_X=True, verbose=False).fit(X, y)
    with pytest.raises(ValueError, match="For multi-task outputs, use MultiTaskLassoCV"):
        LassoCV(cv=3).fit(X, np.c_[y, y])


def test_fold_errors_from_one_product_equal_per_alpha_predictions():
    """The held-out errors of a fold, from one ``X_test @ coefs`` for the whole grid,
    are those of predicting with each alpha's fitted model in turn."""
    from sparsestat._engine import L1, alpha_max_l1, solve_path
    from sparsestat._engine.datafits import Quadratic
    from sparsestat.linear_model._cv import _regression_fold, alpha_grid

    X, y = _regression(5, n=90, p=60)
    train, test = np.arange(60), np.arange(60, 90)
    grid = alpha_grid(alpha_max_l1(X, y), 1e-2, 15)
    for ws_gram in (False, True):
        mse, converged, coefs = _regression_fold(
            X, y, None, train, test, L1(1.0), grid, True, False, np.ones(60), False, 1000,
            1e-8, ws_gram=ws_gram)
        assert converged and coefs.shape == (60, 15)
        path = solve_path(X[train], y[train], Quadratic(), L1(1.0), grid, tol=1e-8,
                          ws_gram=ws_gram)
        expected = [np.mean((y[test] - X[test] @ r.coef - r.intercept) ** 2) for r in path]
        np.testing.assert_allclose(mse, expected, rtol=1e-12)
        np.testing.assert_allclose(coefs, np.array([r.coef for r in path]).T, rtol=1e-12)


def test_lasso_cv_fold_solver_gives_the_coordinate_descent_path():
    """precompute="auto" (the Gram working-set fold paths) and precompute=False (CD on
    X) give the same held-out errors and alpha at a tight tol; sparse X and sample
    weights (where the Gram kernel does not apply) too."""
    import scipy.sparse as sp

    X, y = _regression(7, n=120, p=60)  # folds with n > p: one optimum per alpha
    cv = KFold(5, shuffle=True, random_state=1)
    auto = LassoCV(cv=cv, alphas=40, tol=1e-10).fit(X, y)
    cd = LassoCV(cv=cv, alphas=40, tol=1e-10, precompute=False).fit(X, y)
    sparse = LassoCV(cv=cv, alphas=40, tol=1e-10).fit(sp.csr_matrix(X), y)
    for other in (cd, sparse):
        np.testing.assert_allclose(auto.mse_path_, other.mse_path_, rtol=1e-6)
        assert auto.alpha_ == other.alpha_
    theirs = sk.LassoCV(cv=cv, alphas=40, tol=1e-10).fit(X, y)
    np.testing.assert_allclose(auto.mse_path_, theirs.mse_path_, rtol=1e-4)
    assert auto.alpha_ == pytest.approx(theirs.alpha_, rel=1e-12)


@pytest.mark.parametrize("power", [0, 1, 1.5, 2, 3, -1])
def test_held_out_tweedie_deviance_equals_scikit_learns(power):
    # the log-link CV folds compute it themselves (sklearn's metric enters
    # warnings.catch_warnings, not thread-safe in the fold threads): same numbers
    from sklearn.metrics import mean_tweedie_deviance

    from sparsestat.linear_model._datafit_cv import _mean_tweedie_deviance

    rng = np.random.default_rng(0)
    mu = np.exp(rng.standard_normal(50))
    y = rng.poisson(mu).astype(float) + (power >= 2 or power < 0) * 0.5
    sw = rng.uniform(0.5, 2.0, 50)
    assert _mean_tweedie_deviance(y, mu, sw, power) == pytest.approx(
        mean_tweedie_deviance(y, mu, sample_weight=sw, power=power), rel=1e-12)
