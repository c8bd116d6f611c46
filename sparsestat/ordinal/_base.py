"""Pieces shared by the ordinal estimators: labels, design preparation, prediction."""

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

from .._engine._colops import canonical_csc
from ..utils._validation import rescale_weights
from .._engine.families._cumulative_logit import (
    alpha_max_cumulative_logit,
    cumulative_probabilities,
    intercept_only,
    prepare_design,
    solve_cumulative_logit,
)

__all__ = ["OrdinalProblem", "BaseOrdinalClassifier", "encode_ordinal_labels"]


def _ordered_categories(y):
    """The category order of a pandas ordered Categorical ``y``, else None."""
    dtype = getattr(y, "dtype", None)
    if getattr(dtype, "ordered", False) and hasattr(dtype, "categories"):
        return np.asarray(dtype.categories)
    return None


def encode_ordinal_labels(y, classes, *, min_classes, estimator_name):
    """Map labels to codes ``0 .. K-1`` in their ordinal order.

    The order is ``classes`` when given (lowest first), else the categories of an
    ordered pandas Categorical, else the sorted unique labels (``np.unique``).
    Returns ``(classes_, codes)``.
    """
    if classes is not None:
        classes_ = np.asarray(classes)
        if classes_.ndim != 1 or classes_.shape[0] == 0:
            raise ValueError("classes must be a non-empty 1-d array-like of labels, "
                             "lowest first.")
        if np.unique(classes_).shape[0] != classes_.shape[0]:
            raise ValueError(f"classes has repeated labels: {classes_.tolist()}.")
        lookup = {label: code for code, label in enumerate(classes_.tolist())}
        try:
            codes = np.array([lookup[label] for label in np.asarray(y).tolist()],
                             dtype=np.int64)
        except (KeyError, TypeError):
            unknown = sorted({str(v) for v in np.asarray(y).tolist() if v not in lookup})
            raise ValueError(
                f"y contains labels that are not in classes={classes_.tolist()}: "
                f"{unknown[:10]}. Pass every label of y, in order, lowest first."
            ) from None
    else:
        check_classification_targets(y)
        classes_, codes = np.unique(np.asarray(y), return_inverse=True)
        codes = codes.astype(np.int64).ravel()
    n_classes = classes_.shape[0]
    if n_classes < min_classes:
        hint = ("; for two classes use ProportionalOddsClassifier or a logistic regression"
                if min_classes == 3 else "")
        raise ValueError(
            f"{estimator_name} needs at least {min_classes} ordered classes, but y has "
            f"{n_classes} class{'es' if n_classes != 1 else ''} ({classes_.tolist()}){hint}."
        )
    return classes_, codes


class OrdinalProblem:
    """One training set made ready for the cumulative-logit solver.

    Drops zero-weight samples, finds constant columns (left at zero), computes the
    penalty factors ``s_j`` (weighted population standard deviations, ``ddof=0``),
    centers a dense ``X`` and keeps what is needed to map intercepts back to the
    scale of the user's ``X``.
    """

    def __init__(self, X, codes, sample_weight, n_classes, n_levels):
        n = X.shape[0]
        sw = np.ones(n) if sample_weight is None else np.asarray(sample_weight, float)
        keep_rows = sw > 0
        if not np.all(keep_rows):
            X = X[keep_rows]
            codes = codes[keep_rows]
            sw = sw[keep_rows]
        if sw.shape[0] == 0:
            raise ValueError("sample_weight must have a positive sum.")
        sw = rescale_weights(sw, sw.shape[0])  # overflow-safe for denormal weights
        counts = np.bincount(codes, weights=sw, minlength=n_classes)
        if np.any(counts <= 0):
            raise ValueError(
                f"every class needs samples with positive weight; class index(es) "
                f"{np.flatnonzero(counts <= 0).tolist()} have none.")
        self.n_features = X.shape[1]
        self.n_classes = n_classes
        self.n_levels = n_levels
        mean = np.asarray(sw @ X).ravel() / sw.sum()
        if sp.issparse(X):
            # a canonical copy: ``max`` below would sort and merge the caller's arrays
            Xc = canonical_csc(X, dtype=np.float64)
            sq = np.asarray(Xc.multiply(Xc).T @ sw).ravel() / sw.sum()
            var = np.maximum(sq - mean ** 2, 0.0)
            dense_max = Xc.max(axis=0).toarray().ravel()
            dense_min = Xc.min(axis=0).toarray().ravel()
            constant = dense_max == dense_min
        else:
            Xc = np.asarray(X, dtype=np.float64)
            var = (sw @ (Xc - mean) ** 2) / sw.sum()
            constant = np.ptp(Xc, axis=0) == 0 if n > 0 else np.ones(X.shape[1], bool)
        self.free = np.flatnonzero(~constant)
        self.scale = np.sqrt(var)
        self.codes = codes
        self.sw = sw
        Xf = Xc[:, self.free]
        self.arrays, self.mean = prepare_design(Xf, sw)
        self.pf = np.ascontiguousarray(self.scale[self.free])

    def alpha_max(self, l1_ratio=1.0):
        return alpha_max_cumulative_logit(self.arrays, self.codes, self.sw, self.n_classes,
                                          self.n_levels, self.pf, l1_ratio)

    def start(self):
        """Intercept-only starting point (internal scale)."""
        return (intercept_only(self.codes, self.sw, self.n_classes),
                np.zeros((self.free.shape[0], self.n_levels)))

    def internal_start(self, intercept, coef):
        """Internal ``(alpha, psi)`` from user-scale ``intercept_`` (K-1,), ``coef_``."""
        beta = np.asarray(coef, dtype=np.float64)[:, self.free].T  # (p_free, K-1)
        psi = np.diff(beta, axis=1, prepend=0.0)[:, : self.n_levels].copy()
        alpha = np.asarray(intercept, dtype=np.float64) + self.mean @ beta
        return np.ascontiguousarray(alpha), np.ascontiguousarray(psi)

    def solve(self, penalty, alpha, psi, max_iter, tol):
        """Solve in place; return ``(n_iter, stop_crit, converged, objective)``."""
        return solve_cumulative_logit(self.arrays, self.codes, self.sw, self.n_classes,
                                      penalty, self.pf, alpha, psi, max_iter=max_iter,
                                      tol=tol)

    def to_user(self, alpha, psi):
        """User-scale ``(intercept (K-1,), coef (K-1, n_features))``."""
        n_thr = self.n_classes - 1
        beta_free = np.cumsum(psi, axis=1)
        if self.n_levels < n_thr:
            beta_free = np.repeat(beta_free[:, -1:], n_thr, axis=1)
        coef = np.zeros((n_thr, self.n_features))
        coef[:, self.free] = beta_free.T
        intercept = alpha - self.mean @ beta_free
        return intercept, coef


def validate_ordinal_input(estimator, X, y, sample_weight, *, min_classes):
    """Validate once at the boundary; return ``(X, codes, sw, classes_)``."""
    order = _ordered_categories(y)
    X, y = validate_data(estimator, X, y, accept_sparse="csc", dtype=np.float64,
                         multi_output=False)
    classes = estimator.classes if estimator.classes is not None else order
    classes_, codes = encode_ordinal_labels(y, classes, min_classes=min_classes,
                                            estimator_name=type(estimator).__name__)
    sw = None
    if sample_weight is not None:
        sw = _check_sample_weight(sample_weight, X, dtype=np.float64,
                                  ensure_non_negative=True)
        if sw.sum() <= 0:
            raise ValueError("sample_weight must have a positive sum.")
    counts = np.bincount(codes, weights=sw, minlength=classes_.shape[0])
    if np.any(counts <= 0):
        missing = classes_[counts <= 0].tolist()
        raise ValueError(f"classes {missing} have no samples (with positive weight) in y; "
                         "every class of the order needs at least one.")
    return X, codes, sw, classes_


def brier_score(proba, codes, sample_weight=None):
    """Multiclass Brier score ``mean_i sum_k (p_ik - 1{y_i = k})^2``."""
    onehot = np.zeros_like(proba)
    onehot[np.arange(proba.shape[0]), codes] = 1.0
    per_sample = ((proba - onehot) ** 2).sum(axis=1)
    return float(np.average(per_sample, weights=sample_weight))


def class_probabilities(eta):
    """Class probabilities from linear predictors via monotone cumulative probabilities."""
    F = cumulative_probabilities(eta)
    n = F.shape[0]
    full = np.hstack([np.zeros((n, 1)), F, np.ones((n, 1))])
    return np.diff(full, axis=1)


class BaseOrdinalClassifier(ClassifierMixin, BaseEstimator):
    """Prediction for cumulative-logit models ``P(y <= k | x) = sigmoid(b_k + x @ w_k)``."""

    _doc_link_module = "sparsestat"
    _doc_link_template = (
        "https://sparsestat.readthedocs.io/en/latest/generated/"
        "{estimator_module}.{estimator_name}.html"
    )

    def _linear_predictors(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse=["csr", "csc"], reset=False,
                          dtype=np.float64)
        return np.asarray(X @ self.coef_.T) + self.intercept_

    def predict_cumulative_proba(self, X):
        """Cumulative probabilities ``P(y <= classes_[k] | x)``, k = 0 .. K-2.

        Monotone in ``k`` for every sample: where the fitted thresholds cross at ``x``,
        ``sigmoid(intercept_ + coef_ @ x)`` is projected (least squares, pool adjacent
        violators) onto nondecreasing sequences.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples, with the features seen in :term:`fit`.

        Returns
        -------
        cumulative : ndarray of shape (n_samples, n_classes - 1)
            Column k is ``P(y <= classes_[k] | x)``, nondecreasing along each row.
        """
        return cumulative_probabilities(self._linear_predictors(X))

    def predict_proba(self, X):
        """Class probabilities, always valid (nonnegative, summing to one).

        Differences of the monotone cumulative probabilities of
        :meth:`predict_cumulative_proba`.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples, with the features seen in :term:`fit`.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns follow ``classes_`` (lowest class first).
        """
        return class_probabilities(self._linear_predictors(X))

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba` (``-inf`` where a probability is zero).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples, with the features seen in :term:`fit`.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Log-probabilities, columns following ``classes_``.
        """
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X):
        """Most probable class.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples, with the features seen in :term:`fit`.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            The class of largest probability (labels of ``classes_``).
        """
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
