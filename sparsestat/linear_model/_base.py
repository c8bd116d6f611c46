"""Pieces shared by the linear estimators: input handling and prediction."""

import numpy as np
import scipy.sparse as sp
from sklearn.utils.validation import check_is_fitted, validate_data

from ..utils._validation import normalized_sample_weight

__all__ = ["LinearPredictorMixin", "validate_regression_input", "normalized_sample_weight",
           "warm_start_init"]


def validate_regression_input(estimator, X, y, *, accept_sparse="csc", multi_output=False):
    """Validate ``X, y`` once (float64 / float32 kept; a 2-D ``y`` if ``multi_output``).

    The memory layout is left to the engine, which makes the one copy it needs (F order,
    centering, CSC): forcing F order here would copy a C-ordered X a second time.
    """
    X, y = validate_data(
        estimator, X, y,
        accept_sparse=accept_sparse,
        dtype=[np.float64, np.float32],
        y_numeric=True,
        multi_output=multi_output,
    )
    return X, np.asarray(y, dtype=np.float64)



def warm_start_init(estimator, shape):
    """``(coef_init, intercept_init)`` for ``warm_start=True``, else ``(None, 0.0)``.

    Starts from ``coef_`` when it exists with the expected ``shape`` (a user may set it,
    as a list too); a missing ``intercept_`` (set by hand, or ``fit_intercept=False``)
    starts at 0 (an array of zeros for several rows).
    """
    coef = getattr(estimator, "coef_", None)
    if not getattr(estimator, "warm_start", False) or coef is None \
            or np.shape(coef) != tuple(shape):
        return None, 0.0
    intercept = getattr(estimator, "intercept_", None)
    if intercept is None:
        intercept = 0.0 if len(shape) == 1 else np.zeros(shape[0])
    return np.asarray(coef, dtype=np.float64), intercept


class LinearPredictorMixin:
    """``predict`` and ``decision_function`` of a fitted linear model."""

    def _decision_function(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse=["csr", "csc"], reset=False,
                          dtype=[np.float64, np.float32])
        return np.asarray(X @ self.coef_.T) + self.intercept_

    def predict(self, X):
        """Predict with the fitted linear model.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples, with the features seen in :term:`fit`.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            ``X @ coef_ + intercept_``.
        """
        return self._decision_function(X)


class SparseCoefMixin:
    """``sparse_coef_`` of scikit-learn's coordinate-descent models."""

    @property
    def sparse_coef_(self):
        """``coef_`` as a scipy.sparse CSR matrix (one row per target)."""
        return sp.csr_matrix(np.atleast_2d(np.asarray(self.coef_)))
