"""PRESTO, its path and CV, and the proportional odds baseline."""

import pickle
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sparsestat._engine.families._cumulative_logit import cumulative_probabilities
from sparsestat.ordinal import (
    PRESTOClassifier,
    PRESTOClassifierCV,
    ProportionalOddsClassifier,
    presto_path,
)
from sparsestat.ordinal._simulation import make_presto_simulation


def _sigmoid(t):
    return 0.5 * (1.0 + np.tanh(0.5 * t))


def _beta_gradient(X, codes, coef, intercept, sw):
    """Gradient of -(1/sum w) sum w_i log p_{y_i} in (intercept_k, beta_k), in numpy."""
    n, K1 = X.shape[0], coef.shape[0]
    F = _sigmoid(X @ coef.T + intercept)
    f = F * (1.0 - F)
    Fpad = np.hstack([np.zeros((n, 1)), F, np.ones((n, 1))])
    fpad = np.hstack([np.zeros((n, 1)), f, np.zeros((n, 1))])
    rows = np.arange(n)
    p = Fpad[rows, codes + 1] - Fpad[rows, codes]
    assert np.all(p > 0)
    G = np.zeros((n, K1 + 2))  # d(-log p)/d eta, padded
    G[rows, codes + 1] = -fpad[rows, codes + 1] / p
    G[rows, codes] += fpad[rows, codes] / p
    G = G[:, 1:-1] * (sw / sw.sum())[:, None]
    return G.sum(axis=0), X.T @ G  # (K-1,), (p, K-1)


def _assert_kkt(X, codes, model, alpha, sw, atol):
    g_int, g_beta = _beta_gradient(X, codes, model.coef_, model.intercept_, sw)
    np.testing.assert_allclose(g_int, 0.0, atol=atol)
    # psi_l moves every beta_k with k >= l: its gradient is a suffix sum over thresholds
    g_psi = np.cumsum(g_beta[:, ::-1], axis=1)[:, ::-1]
    psi = model.psi_.T
    mean = np.average(X, axis=0, weights=sw)
    s = np.sqrt(np.average((X - mean) ** 2, axis=0, weights=sw))
    bound = alpha * s[:, None] * np.ones_like(psi)
    nz = psi != 0
    assert nz.any() and (~nz).any()
    np.testing.assert_allclose(g_psi[nz], -bound[nz] * np.sign(psi[nz]), atol=atol)
    assert np.all(np.abs(g_psi[~nz]) <= bound[~nz] + atol)


@pytest.fixture(scope="module")
def sim():
    X, y, proba, beta, _, _ = make_presto_simulation(600, 6, random_state=3)
    return X, y


def test_kkt_every_psi_uncentered_weighted(sim):
    X, y = sim
    X = X * np.array([1, 2, 0.5, 3, 1, 1]) + np.array([5.0, -3.0, 0.0, 10.0, 1.0, 2.0])
    sw = np.random.default_rng(0).uniform(0.2, 2.0, size=X.shape[0])
    alpha = 0.005
    model = PRESTOClassifier(alpha=alpha, tol=1e-10).fit(X, y, sample_weight=sw)
    assert model.kkt_violation_ <= 1e-10
    _assert_kkt(X, y, model, alpha, sw, atol=1e-8)


def test_kkt_sparse_input(sim):
    X, y = sim
    X = np.where(np.abs(X) < 0.5, 0.0, X)
    # uncentered sparse columns: rounding in the gradient sits near 1e-10
    model = PRESTOClassifier(alpha=0.004, tol=1e-9).fit(sp.csr_matrix(X), y)
    _assert_kkt(X, y, model, 0.004, np.ones(X.shape[0]), atol=1e-8)
    dense = PRESTOClassifier(alpha=0.004, tol=1e-10).fit(X, y)
    np.testing.assert_allclose(model.coef_, dense.coef_, atol=1e-7)
    np.testing.assert_allclose(model.intercept_, dense.intercept_, atol=1e-7)


def test_kkt_large_working_set_block_cd():
    # 90 features x 3 levels: beyond the explicit-Hessian size, the block CD path runs
    rng = np.random.default_rng(1)
    X = rng.standard_normal((400, 90)) + 1.0
    y = np.digitize(X[:, :5].sum(axis=1) + rng.logistic(size=400), [3.0, 5.0, 7.0])
    model = PRESTOClassifier(alpha=0.002, tol=1e-9, max_iter=300).fit(X, y)
    n_support = np.count_nonzero(np.any(model.psi_ != 0, axis=0))
    assert min(90, 2 * n_support) * 3 + 3 > 256  # the working set exceeds 256 variables
    _assert_kkt(X, y, model, 0.002, np.ones(len(y)), atol=1e-8)


def test_intercepts_follow_a_shift_of_X(sim):
    X, y = sim
    shift = np.array([4.0, -2.0, 7.0, 0.0, 1.0, -9.0])
    a = PRESTOClassifier(alpha=0.003, tol=1e-10).fit(X, y)
    b = PRESTOClassifier(alpha=0.003, tol=1e-10).fit(X + shift, y)
    np.testing.assert_allclose(b.coef_, a.coef_, atol=1e-7)
    np.testing.assert_allclose(b.intercept_, a.intercept_ - a.coef_ @ shift, atol=1e-6)
    np.testing.assert_allclose(b.predict_proba(X + shift), a.predict_proba(X), atol=1e-7)


def test_coef_holds_beta_and_psi_its_differences(sim):
    X, y = sim
    model = PRESTOClassifier(alpha=0.003).fit(X, y)
    assert model.coef_.shape == (3, X.shape[1])
    assert model.intercept_.shape == (3,)
    np.testing.assert_allclose(np.cumsum(model.psi_, axis=0), model.coef_)
    # the model is the one predict_proba uses
    F = _sigmoid(X @ model.coef_.T + model.intercept_)
    if np.all(np.diff(F, axis=1) >= 0):
        np.testing.assert_allclose(model.predict_cumulative_proba(X), F, atol=1e-12)


def test_alpha_max_gives_proportions_and_large_alpha_is_zero(sim):
    X, y = sim
    model = PRESTOClassifier(alpha=1.0).fit(X, y)
    assert model.alpha_max_ < 1.0
    assert np.all(model.coef_ == 0)
    cum = np.cumsum(np.bincount(y))[:-1] / len(y)
    np.testing.assert_allclose(_sigmoid(model.intercept_), cum, atol=1e-8)
    at_max = PRESTOClassifier(alpha=model.alpha_max_ * 1.0001).fit(X, y)
    assert np.all(at_max.coef_ == 0)
    below = PRESTOClassifier(alpha=model.alpha_max_ * 0.95).fit(X, y)
    assert np.count_nonzero(below.psi_) >= 1


def test_predict_proba_always_valid_even_when_thresholds_cross(sim):
    X, y = sim
    model = PRESTOClassifier(alpha=1e-4).fit(X, y)
    X_far = np.random.default_rng(1).uniform(-40, 40, size=(2000, X.shape[1]))
    eta = X_far @ model.coef_.T + model.intercept_
    assert np.any(np.diff(eta, axis=1) < 0), "the test needs crossing thresholds"
    proba = model.predict_proba(X_far)
    assert np.all(proba >= 0) and np.all(proba <= 1)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-12)
    cum = model.predict_cumulative_proba(X_far)
    assert np.all(np.diff(cum, axis=1) >= 0)
    log_proba = model.predict_log_proba(X_far[:5])
    np.testing.assert_allclose(np.exp(log_proba), proba[:5])


def test_monotone_projection_is_least_squares():
    eta = np.array([[0.0, -1.0, 2.0], [1.0, 0.5, 0.0], [-1.0, 0.0, 1.0]])
    F = cumulative_probabilities(eta)
    s = _sigmoid(eta)
    np.testing.assert_allclose(F[2], s[2])  # already monotone: unchanged
    np.testing.assert_allclose(F[0, :2], s[0, :2].mean())  # the pair is pooled
    np.testing.assert_allclose(F[1], s[1].mean())  # all three pooled
    assert np.all(np.diff(F, axis=1) >= 0)


def test_string_labels_order_and_classes_parameter(sim):
    X, y = sim
    names = np.array(["none", "mild", "severe", "fatal"])
    y_str = names[y]
    model = PRESTOClassifier(alpha=0.003, classes=names).fit(X, y_str)
    ref = PRESTOClassifier(alpha=0.003).fit(X, y)
    assert list(model.classes_) == list(names)
    np.testing.assert_allclose(model.predict_proba(X), ref.predict_proba(X))
    np.testing.assert_array_equal(model.predict(X), names[ref.predict(X)])
    # default order: sorted labels (alphabetical here, a different model)
    default = PRESTOClassifier(alpha=0.003).fit(X, y_str)
    assert list(default.classes_) == sorted(names)


def test_ordered_categorical_sets_the_order(sim):
    pd = pytest.importorskip("pandas")
    X, y = sim
    levels = ["low", "mid", "high", "top"]
    y_cat = pd.Series(pd.Categorical(np.array(levels)[y], categories=levels, ordered=True))
    model = PRESTOClassifier(alpha=0.003).fit(X, y_cat)
    assert list(model.classes_) == levels
    ref = PRESTOClassifier(alpha=0.003).fit(X, y)
    np.testing.assert_allclose(model.coef_, ref.coef_)


def test_reversed_order_mirrors_the_unpenalized_model():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((2000, 3))
    y = np.digitize(X @ [1.0, -0.5, 0.2] + rng.logistic(size=2000), [-1.5, 0.0, 1.5])
    for cls in (PRESTOClassifier, ProportionalOddsClassifier):
        fwd = cls(alpha=0.0, tol=1e-10).fit(X, y)
        rev = cls(alpha=0.0, tol=1e-10, classes=[3, 2, 1, 0]).fit(X, y)
        np.testing.assert_allclose(rev.predict_proba(X)[:, ::-1], fwd.predict_proba(X),
                                   atol=1e-8)
        np.testing.assert_allclose(rev.coef_, -fwd.coef_[::-1], atol=1e-6)
        np.testing.assert_allclose(rev.intercept_, -fwd.intercept_[::-1], atol=1e-6)


@pytest.mark.parametrize("bad_classes, match", [
    ([0, 1, 2], "not in classes"),
    ([0, 1, 1, 2, 3], "repeated"),
    ([0, 1, 2, 3, 4], "no samples"),
])
def test_bad_classes_parameter(sim, bad_classes, match):
    X, y = sim
    with pytest.raises(ValueError, match=match):
        PRESTOClassifier(classes=bad_classes).fit(X, y)


def test_presto_needs_two_classes():
    X = np.random.default_rng(0).standard_normal((30, 2))
    y = np.zeros(30)
    for est in (PRESTOClassifier(), PRESTOClassifierCV(cv=2)):
        with pytest.raises(ValueError, match="at least 2 ordered classes"):
            est.fit(X, y)
    with pytest.raises(ValueError, match="at least 2 ordered classes"):
        presto_path(X, y)


def test_presto_two_classes_is_l1_logistic_regression_on_standardized_columns():
    # issue 14: with K = 2 there is one threshold and nothing to shrink towards
    # proportional odds; PRESTO used to refuse two classes
    rng = np.random.default_rng(0)
    n, alpha = 300, 0.02
    X = rng.standard_normal((n, 4)) * [1.0, 3.0, 0.5, 2.0]
    y = (X @ [1.0, -0.3, 0.0, 0.2] + rng.logistic(size=n) > 0).astype(int)
    clf = PRESTOClassifier(alpha=alpha, tol=1e-10, max_iter=500).fit(X, y)
    assert clf.coef_.shape == (1, 4) and clf.classes_.tolist() == [0, 1]
    # -(1/n) sum log p + alpha sum_j s_j |w_j| is scikit-learn's l1 problem on X / s
    s = X.std(axis=0)
    ref = LogisticRegression(l1_ratio=1.0, C=1.0 / (n * alpha), solver="saga", tol=1e-12,
                             max_iter=100_000).fit(X / s, y)
    # P(y <= 0) = sigmoid(b + x w): the opposite sign of P(y = 1)
    np.testing.assert_allclose(clf.coef_[0], -ref.coef_[0] / s, atol=1e-5)
    np.testing.assert_allclose(clf.predict_proba(X), ref.predict_proba(X / s), atol=1e-5)
    cv = PRESTOClassifierCV(alphas=5, cv=3).fit(X, y)
    assert cv.coef_.shape == (1, 4) and cv.alpha_ in cv.alphas_
    alphas, coefs, intercepts = presto_path(X, y, alphas=3)
    assert coefs.shape == (3, 1, 4)


def test_proportional_odds_one_class_error_and_two_classes_is_logistic():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((300, 3))
    with pytest.raises(ValueError, match="at least 2 ordered classes"):
        ProportionalOddsClassifier().fit(X, np.zeros(300))
    y = (X @ [1.0, -1.0, 0.0] + rng.logistic(size=300) > 0).astype(int)
    po = ProportionalOddsClassifier(tol=1e-10).fit(X, y)
    lr = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10000).fit(X, y)
    # P(y <= 0) = sigmoid(b + x w): logistic regression on y = 1 has the opposite sign
    np.testing.assert_allclose(po.coef_[0], -lr.coef_[0], atol=1e-5)
    np.testing.assert_allclose(po.predict_proba(X), lr.predict_proba(X), atol=1e-6)


@pytest.mark.parametrize("bad, match", [
    (np.nan, "NaN"),
    (np.inf, "infinity"),
])
def test_non_finite_X(sim, bad, match):
    X, y = sim
    X = X.copy()
    X[3, 1] = bad
    with pytest.raises(ValueError, match=match):
        PRESTOClassifier().fit(X, y)


def test_continuous_and_nan_labels_are_rejected(sim):
    X, y = sim
    with pytest.raises(ValueError, match="Unknown label type"):
        PRESTOClassifier().fit(X, y + np.random.default_rng(0).uniform(size=len(y)))
    y_nan = y.astype(float)
    y_nan[0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        PRESTOClassifier().fit(X, y_nan)


def test_wrong_feature_count_at_predict(sim):
    X, y = sim
    model = PRESTOClassifier().fit(X, y)
    with pytest.raises(ValueError, match="features"):
        model.predict(X[:, :3])


def test_inputs_are_not_modified(sim):
    X, y = sim
    sw = np.linspace(0.5, 1.5, len(y))
    copies = X.copy(), y.copy(), sw.copy()
    PRESTOClassifier(alpha=0.003).fit(X, y, sample_weight=sw)
    PRESTOClassifierCV(alphas=3, cv=3).fit(X, y, sample_weight=sw)
    Xs = sp.csc_matrix(X)
    data = Xs.data.copy()
    PRESTOClassifier(alpha=0.003).fit(Xs, y)
    np.testing.assert_array_equal(X, copies[0])
    np.testing.assert_array_equal(y, copies[1])
    np.testing.assert_array_equal(sw, copies[2])
    np.testing.assert_array_equal(Xs.data, data)


def test_integer_weights_equal_repetition_and_zero_weights_removal(sim):
    X, y = sim
    rng = np.random.default_rng(0)
    sw = rng.integers(0, 3, size=len(y)).astype(float)
    weighted = PRESTOClassifier(alpha=0.002, tol=1e-10).fit(X, y, sample_weight=sw)
    rep = np.repeat(np.arange(len(y)), sw.astype(int))
    repeated = PRESTOClassifier(alpha=0.002, tol=1e-10).fit(X[rep], y[rep])
    np.testing.assert_allclose(weighted.coef_, repeated.coef_, atol=1e-7)
    np.testing.assert_allclose(weighted.intercept_, repeated.intercept_, atol=1e-7)


def test_constant_column_stays_zero(sim):
    X, y = sim
    Xc = np.hstack([X, np.full((X.shape[0], 1), 3.0)])
    model = PRESTOClassifier(alpha=0.0).fit(Xc, y)
    assert np.all(model.coef_[:, -1] == 0)
    ref = PRESTOClassifier(alpha=0.0).fit(X, y)
    np.testing.assert_allclose(model.coef_[:, :-1], ref.coef_, atol=1e-6)


def test_convergence_warning(sim):
    X, y = sim
    with pytest.warns(ConvergenceWarning, match="did not converge"):
        PRESTOClassifier(alpha=1e-4, max_iter=1).fit(X, y)


def test_warm_start_reaches_the_same_solution_faster(sim):
    X, y = sim
    model = PRESTOClassifier(alpha=0.003, warm_start=True, tol=1e-10).fit(X, y)
    first = model.n_iter_
    model.set_params(alpha=0.0025).fit(X, y)
    cold = PRESTOClassifier(alpha=0.0025, tol=1e-10).fit(X, y)
    np.testing.assert_allclose(model.coef_, cold.coef_, atol=1e-7)
    assert model.n_iter_ <= first


def test_path_matches_single_fits(sim):
    X, y = sim
    alphas, coefs, intercepts, n_iters = presto_path(X, y, alphas=6, tol=1e-10,
                                                     return_n_iter=True)
    assert coefs.shape == (6, 3, X.shape[1]) and intercepts.shape == (6, 3)
    assert np.all(np.diff(alphas) < 0)
    assert np.all(coefs[0] == 0)
    for t in (2, 5):
        single = PRESTOClassifier(alpha=alphas[t], tol=1e-10).fit(X, y)
        np.testing.assert_allclose(coefs[t], single.coef_, atol=1e-6)
        np.testing.assert_allclose(intercepts[t], single.intercept_, atol=1e-6)
    # denser along the path
    nnz = [np.count_nonzero(np.diff(c, axis=0, prepend=0)) for c in coefs]
    assert nnz[-1] > nnz[1]


def test_cv_picks_the_largest_alpha_at_the_minimum_and_refits(sim):
    X, y = sim
    cv = PRESTOClassifierCV(alphas=8, cv=3).fit(X, y)
    assert cv.brier_path_.shape == (3, 8)
    best = np.flatnonzero(cv.mean_brier_ == cv.mean_brier_.min())
    assert cv.alpha_ == cv.alphas_[best[0]]
    single = PRESTOClassifier(alpha=cv.alpha_).fit(X, y)
    np.testing.assert_allclose(cv.coef_, single.coef_, atol=1e-5)
    parallel = PRESTOClassifierCV(alphas=8, cv=3, n_jobs=2).fit(X, y)
    np.testing.assert_allclose(parallel.brier_path_, cv.brier_path_)


def test_proportional_odds_matches_statsmodels():
    sm_ord = pytest.importorskip("statsmodels.miscmodels.ordinal_model")
    rng = np.random.default_rng(0)
    X = rng.standard_normal((500, 3)) + 2.0
    y = np.digitize(X @ [1.0, -0.5, 0.0] + rng.logistic(size=500), [1.0, 2.0, 3.5])
    po = ProportionalOddsClassifier(tol=1e-10).fit(X, y)
    res = sm_ord.OrderedModel(y, X, distr="logit").fit(method="bfgs", disp=False,
                                                      maxiter=2000, gtol=1e-10)
    np.testing.assert_allclose(po.coef_[0], -res.params[:3], atol=1e-4)
    thresholds = np.cumsum(np.r_[res.params[3], np.exp(res.params[4:])])
    np.testing.assert_allclose(po.intercept_, thresholds, atol=1e-4)
    np.testing.assert_allclose(po.coef_, np.tile(po.coef_[0], (3, 1)))


def test_sklearn_tools(sim):
    X, y = sim
    pipe = make_pipeline(StandardScaler(), PRESTOClassifier())
    grid = GridSearchCV(pipe, {"prestoclassifier__alpha": [0.01, 0.001]}, cv=3).fit(X, y)
    assert grid.best_params_["prestoclassifier__alpha"] in (0.01, 0.001)
    model = PRESTOClassifier(alpha=0.003).fit(X, y)
    again = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(again.predict_proba(X), model.predict_proba(X))
    assert clone(model).get_params() == model.get_params()


@pytest.mark.slow
def test_simulation_presto_beats_po_and_logistic_on_the_rare_class():
    """Faletto & Bien's sparse design: n=2500, p=10, K=4, intercepts (0,3,5), pi=1/2."""
    n_reps = 12
    mse = np.empty((n_reps, 3))
    for rep in range(n_reps):
        X, y, _, _, X_test, P_test = make_presto_simulation(
            2500, 10, intercepts=(0.0, 3.0, 5.0), pi=0.5, n_test=2500, random_state=rep)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            presto = PRESTOClassifierCV(alphas=20, eps=1e-2, cv=5).fit(X, y)
            po = ProportionalOddsClassifier().fit(X, y)
            logit = LogisticRegression(C=np.inf, max_iter=5000).fit(X, y == 3)
        truth = P_test[:, 3]
        mse[rep] = [np.mean((presto.predict_proba(X_test)[:, 3] - truth) ** 2),
                    np.mean((po.predict_proba(X_test)[:, 3] - truth) ** 2),
                    np.mean((logit.predict_proba(X_test)[:, 1] - truth) ** 2)]
    assert np.mean(mse[:, 0] < mse[:, 1]) > 0.5
    assert np.mean(mse[:, 0] < mse[:, 2]) > 0.5
    assert mse[:, 0].mean() < mse[:, 1].mean()
    assert mse[:, 0].mean() < mse[:, 2].mean()


def test_kkt_elastic_net_variant(sim):
    X, y = sim
    alpha, l1_ratio = 0.004, 0.5
    model = PRESTOClassifier(alpha=alpha, l1_ratio=l1_ratio, tol=1e-10).fit(X, y)
    sw = np.ones(len(y))
    g_int, g_beta = _beta_gradient(X, y, model.coef_, model.intercept_, sw)
    np.testing.assert_allclose(g_int, 0.0, atol=1e-8)
    g_psi = np.cumsum(g_beta[:, ::-1], axis=1)[:, ::-1]
    psi = model.psi_.T
    s = X.std(axis=0)[:, None]
    g_psi = g_psi + alpha * s * (1 - l1_ratio) * psi  # the smooth ridge part
    nz = psi != 0
    np.testing.assert_allclose(g_psi[nz], -(alpha * l1_ratio * s * np.sign(psi))[nz],
                               atol=1e-8)
    bound = np.broadcast_to(alpha * l1_ratio * s, psi.shape)
    assert np.all(np.abs(g_psi[~nz]) <= bound[~nz] + 1e-8)


def test_penalized_proportional_odds_kkt(sim):
    X, y = sim
    alpha = 0.025  # about alpha_max / 2 on this data: some zero, some nonzero
    po = ProportionalOddsClassifier(alpha=alpha, tol=1e-10).fit(X, y)
    g_int, g_beta = _beta_gradient(X, y, po.coef_, po.intercept_, np.ones(len(y)))
    np.testing.assert_allclose(g_int, 0.0, atol=1e-8)
    g = g_beta.sum(axis=1)  # the common beta moves every threshold
    beta = po.coef_[0]
    s = X.std(axis=0)
    nz = beta != 0
    assert nz.any() and (~nz).any()
    np.testing.assert_allclose(g[nz], -alpha * s[nz] * np.sign(beta[nz]), atol=1e-8)
    assert np.all(np.abs(g[~nz]) <= alpha * s[~nz] + 1e-8)


@pytest.mark.parametrize("bad, match", [([], "alphas is empty"), ([np.nan], "finite"),
                                        ([-1.0], ">= 0")])
def test_presto_path_validates_alphas(sim, bad, match):
    X, y = sim
    with pytest.raises(ValueError, match=match):
        presto_path(X, y, alphas=bad)
