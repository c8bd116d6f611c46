"""SparseLogisticRegressionCV's held-out scores and folds against scikit-learn's metrics."""

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.special import expit, softmax
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import StratifiedKFold

from sparsestat.linear_model import SparseLogisticRegression, SparseLogisticRegressionCV
from sparsestat.linear_model._cv import _logistic_scores


def _proba(S, n_classes, multinomial):
    """Class probabilities of decision values ``S`` (n, n_problems) as the estimator's."""
    if n_classes == 2:
        p1 = expit(S[:, 0])
        return np.column_stack([1 - p1, p1])
    if multinomial:
        return softmax(S, axis=1)
    P = expit(S)
    return P / P.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("n_classes, multinomial", [(2, False), (3, False), (4, True)])
@pytest.mark.parametrize("weighted", [False, True])
def test_scores_equal_sklearn_metrics(rng, n_classes, multinomial, weighted):
    n, n_alphas = 300, 7
    n_problems = 1 if n_classes == 2 else n_classes
    # decision values of moderate size (probabilities well above sklearn's clip at eps)
    S = 3.0 * rng.standard_normal((n, n_alphas, n_problems))
    S[:5, 0, :] = 0.0  # ties: class 0 wins the binary argmax of (0, s), as in predict
    y = rng.integers(0, n_classes, n)
    w = rng.uniform(0.2, 3.0, n) if weighted else np.ones(n)
    sw = w if weighted else None
    ll = _logistic_scores(S, y, w, n_classes, "log_loss", multinomial)
    acc = _logistic_scores(S, y, w, n_classes, "accuracy", multinomial)
    assert ll.shape == acc.shape == (n_alphas,)
    for a in range(n_alphas):
        P = _proba(S[:, a, :], n_classes, multinomial)
        expected = -log_loss(y, y_proba=P, sample_weight=sw, labels=np.arange(n_classes))
        assert ll[a] == pytest.approx(expected, rel=1e-12, abs=1e-12)
        pred = np.argmax(P, axis=1)
        assert acc[a] == pytest.approx(accuracy_score(y, pred, sample_weight=sw),
                                       rel=1e-12, abs=1e-12)


def test_binary_log_likelihood_is_stable_at_large_scores():
    # |s| = 800: the old column-of-zeros + logsumexp form and this one must both be finite;
    # a wrong sign costs 800 per sample, a naive log(expit) gives -inf
    S = np.array([800.0, -800.0, 800.0, -800.0])[:, None, None]
    y = np.array([1, 0, 0, 1])
    ll = _logistic_scores(S, y, np.ones(4), 2, "log_loss")
    assert ll[0] == pytest.approx(-(0 + 0 + 800 + 800) / 4, rel=1e-15)


def _reference_cv_scores(X, y, alphas, folds, scoring, **kw):
    """Held-out scores from independent fits (one SparseLogisticRegression per alpha and
    fold, cold started) and scikit-learn's metrics."""
    scores = np.empty((len(alphas), len(folds)))
    for k, (tr, te) in enumerate(folds):
        for a, alpha in enumerate(alphas):
            clf = SparseLogisticRegression(alpha=alpha, **kw).fit(X[tr], y[tr])
            if scoring == "accuracy":
                scores[a, k] = accuracy_score(y[te], clf.predict(X[te]))
            else:
                scores[a, k] = -log_loss(y[te], y_proba=clf.predict_proba(X[te]),
                                         labels=clf.classes_)
    return scores


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("n_classes", [2, 3])
def test_cv_scores_and_alpha_equal_independent_fits(rng, sparse, n_classes):
    n, p = 180, 25
    X = rng.standard_normal((n, p)) * (rng.uniform(size=(n, p)) < (0.3 if sparse else 1.0))
    W = np.zeros((p, n_classes))
    W[:4] = 1.5 * rng.standard_normal((4, n_classes))
    y = np.argmax(X @ W + rng.gumbel(size=(n, n_classes)), axis=1)
    Xin = sp.csr_matrix(X) if sparse else X
    folds = list(StratifiedKFold(3).split(X, y))
    kw = dict(tol=1e-8, max_iter=100000, multi_class="ovr")
    cv = SparseLogisticRegressionCV(alphas=12, eps=1e-2, cv=folds, **kw).fit(Xin, y)
    ref = _reference_cv_scores(Xin, y, cv.alphas_, folds, "log_loss", **kw)
    np.testing.assert_allclose(cv.scores_, ref, rtol=0, atol=1e-6)
    assert cv.alpha_ == cv.alphas_[int(np.argmax(ref.mean(axis=1)))]
    acc = SparseLogisticRegressionCV(alphas=cv.alphas_, cv=folds, scoring="accuracy",
                                     **kw).fit(Xin, y)
    ref_acc = _reference_cv_scores(Xin, y, cv.alphas_, folds, "accuracy", **kw)
    np.testing.assert_array_equal(acc.scores_, ref_acc)
    # the refit is the single fit at alpha_ on all the data
    single = SparseLogisticRegression(alpha=cv.alpha_, **kw).fit(Xin, y)
    np.testing.assert_allclose(cv.coef_, single.coef_, atol=1e-7)


def _non_canonical(X, fmt):
    """``X`` as a CSR / CSC matrix with unsorted indices, a duplicate entry split in two
    and explicit zeros (scipy canonicalizes such a matrix in place on many operations)."""
    M = (sp.csr_matrix(X) if fmt == "csr" else sp.csc_matrix(X)).copy()
    data, indices, indptr = [], [], [0]
    n_minor = M.shape[1] if fmt == "csr" else M.shape[0]
    for r in range(M.indptr.size - 1):
        lo, hi = M.indptr[r], M.indptr[r + 1]
        d, i = list(M.data[lo:hi]), list(M.indices[lo:hi])
        if len(d) >= 1:  # split the first entry into a duplicate pair
            d = [d[0] / 2, d[0] / 2] + d[1:]
            i = [i[0], i[0]] + i[1:]
        z = next(j for j in range(n_minor) if j not in i)
        d, i = (d + [0.0])[::-1], (i + [z])[::-1]  # an explicit zero, order reversed
        data += d
        indices += i
        indptr.append(len(data))
    cls = sp.csr_matrix if fmt == "csr" else sp.csc_matrix
    out = cls((np.array(data), np.array(indices, dtype=np.int32),
               np.array(indptr, dtype=np.int32)), shape=M.shape)
    assert not out.has_sorted_indices and not out.has_canonical_format
    return out


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_folds_leave_a_non_canonical_sparse_x_alone(rng, fmt):
    n, p = 120, 15
    X = rng.standard_normal((n, p)) * (rng.uniform(size=(n, p)) < 0.5)
    y = (X[:, 0] - X[:, 1] + 0.5 * rng.standard_normal(n) > 0).astype(int)
    M = _non_canonical(X, fmt)
    before = (M.data.copy(), M.indices.copy(), M.indptr.copy())
    cv = SparseLogisticRegressionCV(alphas=8, cv=3, tol=1e-10, max_iter=100000).fit(M, y)
    for got, was in zip((M.data, M.indices, M.indptr), before):
        np.testing.assert_array_equal(got, was)
    assert not M.has_sorted_indices
    dense = SparseLogisticRegressionCV(alphas=8, cv=3, tol=1e-10, max_iter=100000).fit(X, y)
    # (the grids agree to rounding: alpha_max from a sparse and a dense product)
    np.testing.assert_allclose(cv.alphas_, dense.alphas_, rtol=1e-12)
    assert np.argmax(cv.scores_.mean(axis=1)) == np.argmax(dense.scores_.mean(axis=1))
    np.testing.assert_allclose(cv.scores_, dense.scores_, atol=1e-8)
    np.testing.assert_allclose(cv.coef_, dense.coef_, atol=1e-7)


@pytest.mark.parametrize("folds_as", ["arrays", "lists"])
def test_fold_rows_layout_does_not_change_the_cv(rng, folds_as):
    # an F-ordered X's fold rows are gathered in F order (take_rows_f); a C-ordered X's,
    # or folds given as lists, through numpy: the solvers see the same F-ordered rows
    n, p = 120, 30
    X = rng.standard_normal((n, p))
    y = (X[:, :3].sum(axis=1) + rng.logistic(size=n) > 0).astype(int)
    folds = list(StratifiedKFold(3).split(X, y))
    if folds_as == "lists":
        folds = [(list(tr), list(te)) for tr, te in folds]
    kw = dict(alphas=8, eps=1e-2, cv=folds, tol=1e-6)
    fits = [SparseLogisticRegressionCV(**kw).fit(layout(X), y)
            for layout in (np.asfortranarray, np.ascontiguousarray)]
    np.testing.assert_array_equal(fits[0].scores_, fits[1].scores_)
    np.testing.assert_array_equal(fits[0].coef_, fits[1].coef_)
    assert fits[0].alpha_ == fits[1].alpha_


def test_folds_as_masks_lists_and_arrays_agree(rng):
    # scikit-learn indexes with any of them; a boolean mask of the wrong length is refused
    n, p = 90, 12
    X = rng.standard_normal((n, p))
    y = (X[:, 0] + rng.logistic(size=n) > 0).astype(int)
    folds = list(StratifiedKFold(3).split(X, y))
    masks = []
    for tr, te in folds:
        m_tr, m_te = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
        m_tr[tr], m_te[te] = True, True
        masks.append((m_tr, m_te))
    ref = SparseLogisticRegressionCV(alphas=6, eps=1e-2, cv=folds).fit(X, y)
    for cv in (masks, [(list(tr), list(te)) for tr, te in folds]):
        est = SparseLogisticRegressionCV(alphas=6, eps=1e-2, cv=cv).fit(X, y)
        np.testing.assert_array_equal(est.scores_, ref.scores_)
    bad = [(np.ones(n - 1, dtype=bool), np.ones(n - 1, dtype=bool))]
    with pytest.raises(ValueError, match="one entry per sample"):
        SparseLogisticRegressionCV(alphas=6, cv=bad).fit(X, y)
