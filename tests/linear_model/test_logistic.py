"""SparseLogisticRegression against scikit-learn's LogisticRegression objective."""

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.special import logsumexp
from sklearn.linear_model import LogisticRegression

from sparsestat._engine import Logistic, MCP
from sparsestat.linear_model import GeneralizedLinearEstimator, SparseLogisticRegression


def _binary_objective(X, y01, coef, intercept, alpha):
    s = X @ coef + intercept
    ypm = 2 * y01 - 1
    return np.mean(np.logaddexp(0, -ypm * s)) + alpha * np.abs(coef).sum()


def _multinomial_objective(X, y, W, b, alpha):
    S = X @ W.T + b
    return np.mean(logsumexp(S, axis=1) - S[np.arange(len(y)), y]) + alpha * np.abs(W).sum()


@pytest.fixture
def binary(rng):
    X = rng.standard_normal((150, 10))
    y = (X[:, 0] - 2 * X[:, 1] + 0.5 * rng.standard_normal(150) > 0).astype(int)
    return X, y


def test_l1_matches_sklearn_objective(binary):
    X, y = binary
    n = X.shape[0]
    for alpha in (0.01, 0.05):
        ours = SparseLogisticRegression(alpha=alpha, tol=1e-10, max_iter=10000).fit(X, y)
        sk = LogisticRegression(C=1 / (n * alpha), l1_ratio=1.0, solver="saga", tol=1e-12,
                                max_iter=100000).fit(X, y)
        f_ours = _binary_objective(X, y, ours.coef_[0], ours.intercept_[0], alpha)
        f_sk = _binary_objective(X, y, sk.coef_[0], sk.intercept_[0], alpha)
        assert f_ours <= f_sk + 1e-9
        assert f_ours == pytest.approx(f_sk, abs=1e-7)
        np.testing.assert_allclose(ours.coef_, sk.coef_, atol=1e-4)


def test_multinomial_matches_sklearn_objective(rng):
    X = rng.standard_normal((150, 6))
    y = np.argmax(X[:, :3] + 0.5 * rng.standard_normal((150, 3)), axis=1)
    alpha = 0.01
    ours = SparseLogisticRegression(alpha=alpha, tol=1e-10, max_iter=20000).fit(X, y)
    sk = LogisticRegression(C=1 / (150 * alpha), l1_ratio=1.0, solver="saga", tol=1e-12,
                            max_iter=100000).fit(X, y)
    f_ours = _multinomial_objective(X, y, ours.coef_, ours.intercept_, alpha)
    f_sk = _multinomial_objective(X, y, sk.coef_, sk.intercept_, alpha)
    assert f_ours == pytest.approx(f_sk, abs=1e-7)
    proba = ours.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert ours.score(X, y) > 0.7


def test_ovr_is_one_binary_fit_per_class_and_threads_agree(rng):
    X = rng.standard_normal((120, 6))
    y = np.argmax(X[:, :3] + 0.3 * rng.standard_normal((120, 3)), axis=1)
    ovr = SparseLogisticRegression(alpha=0.01, multi_class="ovr", tol=1e-10).fit(X, y)
    par = SparseLogisticRegression(alpha=0.01, multi_class="ovr", tol=1e-10,
                                   n_jobs=2).fit(X, y)
    np.testing.assert_allclose(par.coef_, ovr.coef_)
    for k in range(3):
        one = SparseLogisticRegression(alpha=0.01, tol=1e-10).fit(X, (y == k).astype(int))
        np.testing.assert_allclose(ovr.coef_[k], one.coef_[0], atol=1e-10)


def test_sparse_input_string_labels_and_mcp(binary):
    X, y = binary
    labels = np.array(["neg", "pos"])[y]
    dense = SparseLogisticRegression(alpha=0.02, tol=1e-10).fit(X, labels)
    sparse = SparseLogisticRegression(alpha=0.02, tol=1e-10).fit(sp.csr_matrix(X), labels)
    np.testing.assert_allclose(sparse.coef_, dense.coef_, atol=1e-7)
    assert set(dense.predict(X)) <= {"neg", "pos"}
    mcp = SparseLogisticRegression(alpha=0.02, penalty="mcp").fit(X, labels)
    assert set(np.flatnonzero(mcp.coef_[0])) >= {0, 1}
    # MCP's estimates of the strong effects are less shrunk than the Lasso's
    assert np.abs(mcp.coef_[0, :2]).sum() > np.abs(dense.coef_[0, :2]).sum()


def test_general_estimator_with_logistic_datafit(binary):
    X, y = binary
    est = GeneralizedLinearEstimator(Logistic(), MCP(alpha=0.02, gamma=3.0)).fit(X, y)
    assert est.score(X, y) > 0.85
    assert est.predict_proba(X).shape == (150, 2)
    with pytest.raises(ValueError, match="exactly 2 classes"):
        GeneralizedLinearEstimator(Logistic(), MCP(0.02)).fit(X, np.arange(150) % 3)


def test_bad_inputs(binary):
    X, y = binary
    with pytest.raises(ValueError, match="only one class"):
        SparseLogisticRegression().fit(X, np.zeros(150))
    with pytest.raises(ValueError, match="gamma > 2"):
        SparseLogisticRegression(penalty="scad", gamma=1.5).fit(X, y)
    with pytest.raises(ValueError, match="Unknown label type"):
        SparseLogisticRegression().fit(X, np.linspace(0, 1, 150))


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("tol", [1e-4, 1e-10])
def test_intercept_is_in_the_stopping_rule(sparse, tol):
    # issue 14: CD stopped after 0 iterations with intercept_ 1.6 (one majorized step)
    # because its KKT check left the intercept out; the optimum is log(9)
    X = np.random.RandomState(0).randn(200, 3)
    y = (np.arange(200) < 180).astype(int)
    Xin = sp.csc_matrix(X) if sparse else X
    clf = SparseLogisticRegression(alpha=10, tol=tol).fit(Xin, y)
    assert not np.any(clf.coef_)
    assert clf.n_iter_[0] >= 1
    # |mean(p) - 0.9| <= tol at the returned intercept, p(1 - p) = 0.09
    assert clf.intercept_[0] == pytest.approx(np.log(9), abs=2 * tol / 0.09)
    np.testing.assert_allclose(clf.predict_proba(X)[:, 1], 0.9, atol=2 * tol)
    glm = GeneralizedLinearEstimator(Logistic(), MCP(alpha=10.0), tol=tol).fit(Xin, y)
    assert glm.intercept_ == pytest.approx(np.log(9), abs=2 * tol / 0.09)
