"""Multi-task Lasso / elastic net, multi-output y, precomputed Gram matrices."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn import linear_model as sk
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import KFold

from sparsestat.linear_model import (
    ElasticNet,
    Lasso,
    MultiTaskElasticNet,
    MultiTaskElasticNetCV,
    MultiTaskLasso,
    MultiTaskLassoCV,
    enet_path,
)


def _multitask(seed=0, n=60, p=15, T=3):
    rng = np.random.RandomState(seed)
    X = rng.randn(n, p)
    W = np.zeros((p, T))
    W[:4] = rng.randn(4, T)
    return X, X @ W + 0.5 * rng.randn(n, T) + 2.0


@pytest.mark.parametrize("layout", ["dense", "csc"])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
def test_multitask_enet_matches_sklearn(layout, fit_intercept, weighted):
    X, Y = _multitask()
    sw = np.random.RandomState(1).uniform(0.5, 2.0, X.shape[0]) if weighted else None
    Xf = sp.csc_matrix(X * (np.abs(X) > 0.5)) if layout == "csc" else X
    ours = MultiTaskElasticNet(alpha=0.1, l1_ratio=0.7, fit_intercept=fit_intercept,
                               tol=1e-10, max_iter=10000).fit(Xf, Y, sample_weight=sw)
    theirs = sk.MultiTaskElasticNet(alpha=0.1, l1_ratio=0.7, fit_intercept=fit_intercept,
                                    tol=1e-10, max_iter=10000).fit(Xf, Y, sample_weight=sw)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-7)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=1e-7)
    assert ours.coef_.shape == (3, 15) and ours.intercept_.shape == (3,)
    assert 0 <= ours.dual_gap_ <= ours.eps_
    # one support for every task
    support = np.abs(ours.coef_) > 0
    assert np.all(support.all(axis=0) == support.any(axis=0))


def test_multitask_lasso_objective_not_above_sklearn():
    X, Y = _multitask(2, n=40, p=80)
    alpha = 0.2

    def objective(m):
        R = Y - m.predict(X)
        return 0.5 * (R ** 2).sum() / X.shape[0] + alpha * np.sqrt((m.coef_ ** 2).sum(0)).sum()

    ours = MultiTaskLasso(alpha=alpha, tol=1e-8).fit(X, Y)
    theirs = sk.MultiTaskLasso(alpha=alpha, tol=1e-8).fit(X, Y)
    assert objective(ours) <= objective(theirs) + 1e-8 * objective(theirs)


def test_multitask_errors_and_warnings():
    X, Y = _multitask()
    with pytest.raises(ValueError, match="For mono-task outputs, use ElasticNet"):
        MultiTaskElasticNet().fit(X, Y[:, 0])
    with pytest.raises(ValueError, match="For mono-task outputs, use Lasso"):
        MultiTaskLasso().fit(X, Y[:, 0])
    with pytest.warns(ConvergenceWarning, match="Objective did not converge"):
        MultiTaskLasso(alpha=0.01, tol=1e-12, max_iter=1).fit(X, Y)
    with pytest.raises(ValueError, match="positive=True is not allowed"):
        enet_path(X, Y, positive=True)


def test_multitask_warm_start_and_random_selection():
    X, Y = _multitask()
    cold = MultiTaskLasso(alpha=0.1, tol=1e-10).fit(X, Y)
    warm = MultiTaskLasso(alpha=0.1, tol=1e-10, warm_start=True)
    warm.coef_ = cold.coef_.copy()
    warm.fit(X, Y)
    assert warm.n_iter_ <= 1  # starts at the optimum: the first gap check stops it
    rnd = MultiTaskLasso(alpha=0.1, tol=1e-10, selection="random", random_state=0).fit(X, Y)
    np.testing.assert_allclose(rnd.coef_, cold.coef_, atol=1e-6)


def test_multitask_cv_matches_sklearn_on_same_folds():
    X, Y = _multitask(3, n=80)
    cv = KFold(3, shuffle=True, random_state=0)
    ours = MultiTaskElasticNetCV(l1_ratio=[0.5, 1.0], alphas=15, cv=cv, tol=1e-8).fit(X, Y)
    theirs = sk.MultiTaskElasticNetCV(l1_ratio=[0.5, 1.0], alphas=15, cv=cv,
                                      tol=1e-8).fit(X, Y)
    np.testing.assert_allclose(ours.alphas_, theirs.alphas_, rtol=1e-10)
    np.testing.assert_allclose(ours.mse_path_, theirs.mse_path_, rtol=1e-4)
    assert ours.alpha_ == pytest.approx(theirs.alpha_)
    assert ours.l1_ratio_ == theirs.l1_ratio_
    lasso = MultiTaskLassoCV(alphas=15, cv=cv, alpha_select="1se").fit(X, Y)
    assert lasso.alpha_ == lasso.alpha_1se_ >= lasso.alpha_min_


def test_multi_output_lasso_fits_each_column():
    X, Y = _multitask()
    ours = Lasso(alpha=0.05, tol=1e-10).fit(X, Y)
    theirs = sk.Lasso(alpha=0.05, tol=1e-10).fit(X, Y)
    assert ours.coef_.shape == (3, 15)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-7)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=1e-7)
    assert len(ours.n_iter_) == 3 and ours.dual_gap_.shape == (3,)
    for t in range(3):
        single = Lasso(alpha=0.05, tol=1e-10).fit(X, Y[:, t])
        np.testing.assert_allclose(ours.coef_[t], single.coef_, atol=1e-9)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), atol=1e-6)
    assert ours.sparse_coef_.shape == (3, 15)
    # a (n, 1) target gives scikit-learn's 1-D coef_
    assert Lasso(alpha=0.05).fit(X, Y[:, :1]).coef_.shape == (15,)


def test_enet_path_2d_y_is_the_multitask_path():
    X, Y = _multitask()
    alphas, coefs, gaps = enet_path(X, Y, l1_ratio=0.8, alphas=5, tol=1e-10)
    sk_alphas, sk_coefs, _ = sk.enet_path(X, Y, l1_ratio=0.8, alphas=5, tol=1e-10)
    np.testing.assert_allclose(alphas, sk_alphas, rtol=1e-10)
    assert coefs.shape == (3, 15, 5)
    np.testing.assert_allclose(coefs, sk_coefs, atol=1e-7)


def test_precomputed_gram_matches_sklearn_and_is_checked():
    X, Y = _multitask()
    y = Y[:, 0]
    Xc = X - X.mean(axis=0)
    gram = Xc.T @ Xc
    ours = ElasticNet(alpha=0.1, precompute=gram, tol=1e-10).fit(Xc, y)
    theirs = sk.ElasticNet(alpha=0.1, precompute=gram, tol=1e-10).fit(Xc, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-8)
    with pytest.raises(ValueError, match="Gram matrix passed in via 'precompute'"):
        ElasticNet(alpha=0.1, precompute=2 * gram).fit(Xc, y)
    # check_input=False trusts the Gram matrix, as scikit-learn does
    ElasticNet(alpha=0.1, precompute=2 * gram).fit(Xc, y, check_input=False)
    with pytest.warns(UserWarning, match="recomputing Gram matrix"):
        recomputed = ElasticNet(alpha=0.1, precompute=gram, tol=1e-10).fit(X + 1.0, y)
    np.testing.assert_allclose(recomputed.coef_, ours.coef_, atol=1e-8)
    with pytest.raises(ValueError, match="shape"):
        ElasticNet(precompute=gram[:3, :3]).fit(Xc, y)
    _, path_coefs, _ = enet_path(Xc, y, precompute=gram, Xy=Xc.T @ y, alphas=[0.1],
                                 tol=1e-10)
    np.testing.assert_allclose(path_coefs[:, 0], ours.coef_, atol=1e-8)
    with pytest.raises(ValueError, match="Unexpected parameters in params"):
        enet_path(Xc, y, normalize=True)


def test_check_input_false_and_copy_X_leave_X_alone():
    X, Y = _multitask()
    X = np.asfortranarray(X)
    before = X.copy()
    for copy_X in (True, False):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            m = ElasticNet(alpha=0.1, copy_X=copy_X).fit(X, Y[:, 0], check_input=False)
        np.testing.assert_array_equal(X, before)
        ref = ElasticNet(alpha=0.1).fit(X, Y[:, 0])
        np.testing.assert_allclose(m.coef_, ref.coef_)
