"""Lasso / ElasticNet: parity with scikit-learn, semantics, bad input."""

import pickle
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn import linear_model as sk
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sparsestat.linear_model import ElasticNet, Lasso, enet_path, lasso_path

TIGHT = dict(tol=1e-12, max_iter=100_000)


def _problem(seed=0, n=60, p=40, offset=2.0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) + offset
    w = np.zeros(p)
    w[:4] = [1.0, -2.0, 3.0, 0.5]
    y = X @ w + 0.5 * rng.standard_normal(n) + 1.0
    sw = rng.uniform(0.2, 3.0, n)
    return X, y, sw


@pytest.mark.parametrize("layout", ["dense", "csc", "csr"])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.4])
def test_matches_scikit_learn_float64(layout, fit_intercept, weighted, l1_ratio):
    X, y, sw = _problem()
    Xin = {"dense": X, "csc": sp.csc_matrix(X), "csr": sp.csr_matrix(X)}[layout]
    sw = sw if weighted else None
    ours = ElasticNet(alpha=0.05, l1_ratio=l1_ratio, fit_intercept=fit_intercept, **TIGHT)
    ref = sk.ElasticNet(alpha=0.05, l1_ratio=l1_ratio, fit_intercept=fit_intercept, **TIGHT)
    ours.fit(Xin, y, sample_weight=sw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ref.fit(Xin, y, sample_weight=sw)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-6, rtol=0)
    assert abs(ours.intercept_ - ref.intercept_) < 1e-6
    assert ours.dual_gap_ <= 1e-12 * np.var(y) * 10


@pytest.mark.parametrize("layout", ["dense", "csc"])
def test_matches_scikit_learn_float32(layout):
    X, y, sw = _problem(seed=1)
    X32 = X.astype(np.float32)
    Xin = X32 if layout == "dense" else sp.csc_matrix(X32)
    ours = Lasso(alpha=0.05, tol=1e-10, max_iter=100_000).fit(Xin, y, sample_weight=sw)
    ref = sk.Lasso(alpha=0.05, tol=1e-12, max_iter=100_000).fit(X, y, sample_weight=sw)
    assert ours.coef_.dtype == np.float32
    # float32 data, float64 accumulation: the float64 solution to float32 resolution
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-6 * np.abs(ref.coef_).max() * 10)


def test_gram_and_cd_solvers_agree():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((400, 20))
    y = X[:, :3] @ [1.0, 2.0, -1.0] + rng.standard_normal(400)
    gram = Lasso(alpha=0.05, precompute=True, **TIGHT).fit(X, y)
    cd = Lasso(alpha=0.05, precompute=False, **TIGHT).fit(X, y)
    ref = sk.Lasso(alpha=0.05, **TIGHT).fit(X, y)
    np.testing.assert_allclose(gram.coef_, ref.coef_, atol=1e-8)
    np.testing.assert_allclose(cd.coef_, ref.coef_, atol=1e-8)
    assert abs(gram.intercept_ - ref.intercept_) < 1e-8


def test_positive_matches_scikit_learn():
    X, y, _ = _problem(seed=2)
    ours = Lasso(alpha=0.05, positive=True, **TIGHT).fit(X, y)
    ref = sk.Lasso(alpha=0.05, positive=True, **TIGHT).fit(X, y)
    assert np.all(ours.coef_ >= 0)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-7)


def test_penalty_factor_equals_column_rescaling():
    # penalty pf_j |w_j| on column x_j  <=>  plain Lasso on column x_j / pf_j
    X, y, _ = _problem(seed=4)
    pf = np.linspace(0.5, 2.0, X.shape[1])
    ours = Lasso(alpha=0.05, penalty_factor=pf, **TIGHT).fit(X, y)
    ref = sk.Lasso(alpha=0.05, **TIGHT).fit(X / pf, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_ / pf, atol=1e-7)


def test_zero_penalty_factor_leaves_feature_unpenalized():
    X, y, _ = _problem(seed=5)
    pf = np.ones(X.shape[1])
    pf[10] = 0.0
    model = Lasso(alpha=10.0, penalty_factor=pf, **TIGHT).fit(X, y)
    assert model.coef_[10] != 0.0
    assert np.count_nonzero(model.coef_) == 1


def test_selection_random_is_reproducible_and_correct():
    X, y, _ = _problem(seed=6)
    a = Lasso(alpha=0.05, selection="random", random_state=0, **TIGHT).fit(X, y)
    b = Lasso(alpha=0.05, selection="random", random_state=0, **TIGHT).fit(X, y)
    ref = sk.Lasso(alpha=0.05, **TIGHT).fit(X, y)
    np.testing.assert_array_equal(a.coef_, b.coef_)
    np.testing.assert_allclose(a.coef_, ref.coef_, atol=1e-7)


def test_warm_start_uses_previous_solution():
    X, y, _ = _problem(seed=7)
    model = Lasso(alpha=0.05, warm_start=True, tol=1e-8).fit(X, y)
    first = model.n_iter_
    model.fit(X, y)
    assert model.n_iter_ <= max(first // 2, 1)


def test_convergence_warning_when_max_iter_too_small():
    X, y, _ = _problem(seed=8, n=50, p=200)
    with pytest.warns(ConvergenceWarning, match="did not converge"):
        Lasso(alpha=0.001, max_iter=2, tol=1e-12).fit(X, y)


def test_warning_when_alpha_above_alpha_max():
    X, y, _ = _problem()
    with pytest.warns(UserWarning, match="alpha_max"):
        model = Lasso(alpha=1e6).fit(X, y)
    assert not np.any(model.coef_)
    assert model.intercept_ == pytest.approx(y.mean())


def test_lasso_path_matches_scikit_learn():
    X, y, _ = _problem(seed=9, offset=0.0)
    alphas = np.geomspace(1.0, 0.01, 8)
    a_ours, coefs, gaps = lasso_path(X, y, alphas=alphas, tol=1e-12, max_iter=100_000)
    a_ref, coefs_ref, _ = sk.lasso_path(X, y, alphas=alphas, tol=1e-12, max_iter=100_000)
    np.testing.assert_allclose(a_ours, a_ref)
    np.testing.assert_allclose(coefs, coefs_ref, atol=1e-7)
    assert gaps.shape == (8,)


def test_enet_path_default_grid_starts_at_alpha_max():
    X, y, _ = _problem(seed=10, offset=0.0)
    alphas, coefs, _ = enet_path(X, y, l1_ratio=0.5, alphas=10, eps=1e-2)
    assert alphas.shape == (10,)
    assert not np.any(coefs[:, 0])
    assert np.any(coefs[:, -1])
    assert alphas[-1] == pytest.approx(alphas[0] * 1e-2)


def test_input_arrays_are_not_modified():
    X, y, sw = _problem()
    Xc, yc, swc = X.copy(), y.copy(), sw.copy()
    Xs = sp.csc_matrix(X)
    data = Xs.data.copy()
    Lasso(alpha=0.05).fit(X, y, sample_weight=sw)
    Lasso(alpha=0.05).fit(Xs, y, sample_weight=sw)
    np.testing.assert_array_equal(X, Xc)
    np.testing.assert_array_equal(y, yc)
    np.testing.assert_array_equal(sw, swc)
    np.testing.assert_array_equal(Xs.data, data)


@pytest.mark.parametrize(
    "X, y, match",
    [
        (np.array([[1.0, np.nan], [2.0, 3.0]]), np.array([1.0, 2.0]), "NaN"),
        (np.array([[1.0, np.inf], [2.0, 3.0]]), np.array([1.0, 2.0]), "infinity"),
        (np.empty((0, 3)), np.empty(0), "0 sample"),
        (np.array([["a", "b"], ["c", "d"]]), np.array([1.0, 2.0]), "string|convert"),
        (np.ones((2, 2, 2)), np.array([1.0, 2.0]), "dim"),
        (np.ones((3, 2)), np.array([1.0, 2.0]), "inconsistent numbers of samples"),
        (np.ones((2, 2)), np.array([1.0, np.nan]), "NaN"),
    ],
)
def test_bad_input_clear_errors(X, y, match):
    with pytest.raises(ValueError, match=match):
        Lasso(alpha=0.1).fit(X, y)


def test_wrong_number_of_features_at_predict():
    X, y, _ = _problem()
    model = Lasso(alpha=0.05).fit(X, y)
    with pytest.raises(ValueError, match="features"):
        model.predict(X[:, :5])


@pytest.mark.parametrize("param, value", [("alpha", -1.0), ("l1_ratio", 2.0),
                                          ("max_iter", 0), ("selection", "greedy")])
def test_invalid_parameters(param, value):
    X, y, _ = _problem()
    from sklearn.utils._param_validation import InvalidParameterError

    with pytest.raises(InvalidParameterError, match=param):
        ElasticNet(**{param: value}).fit(X, y)


def test_bad_penalty_factor():
    X, y, _ = _problem()
    with pytest.raises(ValueError, match="penalty_factor"):
        Lasso(penalty_factor=np.ones(3)).fit(X, y)
    with pytest.raises(ValueError, match="nonnegative"):
        Lasso(penalty_factor=-np.ones(X.shape[1])).fit(X, y)


def test_pipeline_gridsearch_clone_pickle():
    X, y, _ = _problem(seed=11)
    pipe = make_pipeline(StandardScaler(), Lasso())
    search = GridSearchCV(pipe, {"lasso__alpha": [0.01, 0.1, 1.0]}, cv=3).fit(X, y)
    assert search.best_params_["lasso__alpha"] in (0.01, 0.1, 1.0)
    model = Lasso(alpha=0.05).fit(X, y)
    again = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(again.predict(X), model.predict(X))
    assert clone(model).get_params() == model.get_params()


def test_feature_names_and_pandas():
    pd = pytest.importorskip("pandas")
    X, y, _ = _problem()
    df = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    model = Lasso(alpha=0.05).fit(df, y)
    assert list(model.feature_names_in_) == list(df.columns)
    np.testing.assert_allclose(model.predict(df), model.predict(X))


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_alpha_max_is_the_same_with_and_without_the_gram_solver(rng, fit_intercept):
    """The Gram solver reads alpha_max off X^T y; it must equal the direct formula."""
    X = rng.standard_normal((60, 8)) + 3.0
    y = X[:, 0] - 2 * X[:, 3] + rng.standard_normal(60)
    sw = rng.uniform(0.5, 2.0, 60)
    pf = np.array([1.0, 0.5, 2.0, 1.0, 0.0, 1.0, 1.0, 3.0])
    fits = [ElasticNet(alpha=0.01, l1_ratio=0.7, precompute=pre, penalty_factor=pf,
                       fit_intercept=fit_intercept).fit(X, y, sample_weight=sw)
            for pre in (True, False)]
    assert fits[0].alpha_max_ == pytest.approx(fits[1].alpha_max_, rel=1e-10)
    # at alpha_max every penalized coefficient is zero
    with pytest.warns(UserWarning, match="alpha_max"):
        est = ElasticNet(alpha=fits[0].alpha_max_ * 1.0001, l1_ratio=0.7, precompute=True,
                         penalty_factor=pf, fit_intercept=fit_intercept, tol=1e-10).fit(
            X, y, sample_weight=sw)
    assert np.all(est.coef_[pf > 0] == 0)


# --- issue 14: zero L1 weight, positive alpha_max, warm start, sparse_coef_ -------------

def _issue14_problem():
    rng = np.random.RandomState(0)
    X = rng.randn(30, 5)
    y = X @ np.arange(1, 6) + rng.randn(30)
    return X, y


@pytest.mark.parametrize("precompute", ["auto", True, False])
def test_ridge_limit_l1_ratio_zero_is_not_the_null_model(precompute):
    # enet_duality_gap counted only features with an L1 weight: with none, the gap at
    # w = 0 was exactly 0 and every solver stopped at epoch 0 with coef_ = 0
    X, y = _issue14_problem()
    ref = sk.ElasticNet(alpha=0.1, l1_ratio=0, tol=1e-12, max_iter=100_000).fit(X, y)
    np.testing.assert_allclose(ref.coef_, [0.934, 1.807, 2.610, 3.728, 4.542], atol=1e-3)
    ours = ElasticNet(alpha=0.1, l1_ratio=0, precompute=precompute).fit(X, y)
    assert ours.n_iter_ > 1
    # at the default tol, as scikit-learn's at its default tol ...
    np.testing.assert_allclose(ours.coef_, [0.934, 1.807, 2.610, 3.728, 4.542], atol=1e-3)
    # ... and scikit-learn's numbers when solved tightly
    tight = ElasticNet(alpha=0.1, l1_ratio=0, precompute=precompute, **TIGHT).fit(X, y)
    np.testing.assert_allclose(tight.coef_, ref.coef_, atol=1e-7)
    assert tight.intercept_ == pytest.approx(ref.intercept_, abs=1e-7)


@pytest.mark.parametrize("precompute", [True, False])
@pytest.mark.parametrize("positive", [False, True])
def test_alpha_zero_is_least_squares_with_sklearn_warning(precompute, positive):
    X, y = _issue14_problem()
    with pytest.warns(UserWarning, match="With alpha=0, this algorithm does not converge"):
        ours = Lasso(alpha=0, precompute=precompute, positive=positive, **TIGHT).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = sk.Lasso(alpha=0, positive=positive, **TIGHT).fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-6)
    if not positive:
        ols = sk.LinearRegression().fit(X, y)
        np.testing.assert_allclose(ours.coef_, ols.coef_, atol=1e-6)


def test_enet_path_with_zero_l1_weight_or_zero_alpha_is_not_zero():
    X, y = _issue14_problem()
    Xc, yc = X - X.mean(0), y - y.mean()
    for l1_ratio, alphas in [(0.0, [0.1]), (1.0, [0.0])]:
        _, coefs, gaps = enet_path(Xc, yc, l1_ratio=l1_ratio, alphas=alphas, tol=1e-12,
                                   max_iter=100_000)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = sk.enet_path(Xc, yc, l1_ratio=l1_ratio, alphas=alphas, tol=1e-12,
                               max_iter=100_000)[1]
        np.testing.assert_allclose(coefs, ref, atol=1e-6)


def test_positive_alpha_max_uses_the_signed_correlation():
    X = np.array([[3.0, -1.0], [2.0, -5.0], [5.0, -3.0], [1.0, -4.0]])
    y = X @ np.array([1.0, -2.0])
    for precompute in (True, False):
        reg = ElasticNet(alpha=0.01, positive=True, precompute=precompute).fit(X, y)
        assert reg.alpha_max_ == pytest.approx(0.625)
        assert Lasso(alpha=0.01, positive=True,
                     precompute=precompute).fit(X, y).alpha_max_ == pytest.approx(0.3125)
    # alpha_max is exact: all zero at alpha_max, not just below
    with pytest.warns(UserWarning, match="every penalized coefficient is zero"):
        at = Lasso(alpha=0.3125, positive=True).fit(X, y)
    assert not np.any(at.coef_)
    assert np.any(Lasso(alpha=0.3, positive=True).fit(X, y).coef_)
    # the automatic path starts there
    alphas, coefs, _ = enet_path(X, y, l1_ratio=1.0, alphas=5, positive=True,
                                 fit_intercept=True)
    assert alphas[0] == pytest.approx(0.3125)
    assert not np.any(coefs[:, 0]) and np.any(coefs[:, -1])


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_warm_start_from_user_coef_without_intercept(fit_intercept):
    X, y = _issue14_problem()
    reg = Lasso(alpha=0.1, warm_start=True, fit_intercept=fit_intercept, **TIGHT)
    reg.coef_ = [1.0, 2.0, 3.0, 4.0, 5.0]  # set by hand: no intercept_
    reg.fit(X, y)
    cold = Lasso(alpha=0.1, fit_intercept=fit_intercept, **TIGHT).fit(X, y)
    np.testing.assert_allclose(reg.coef_, cold.coef_, atol=1e-8)


def test_sparse_coef_from_a_list():
    reg = Lasso()
    reg.coef_ = [0.0, 1.5, 0.0]
    assert sp.issparse(reg.sparse_coef_)
    np.testing.assert_array_equal(reg.sparse_coef_.toarray(), [[0.0, 1.5, 0.0]])


@pytest.mark.parametrize("bad, match", [
    ([], "alphas is empty"), ([np.nan], "alphas must be finite"),
    ([-1.0], r"alphas\[0\] == -1.0, must be >= 0"),
])
def test_enet_path_rejects_bad_alphas(bad, match):
    X, y = _issue14_problem()
    with pytest.raises(ValueError, match=match):
        enet_path(X, y, alphas=bad)
