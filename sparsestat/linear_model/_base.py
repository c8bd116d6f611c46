"""Pieces shared by the linear estimators: input handling and prediction."""

import numpy as np
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

from ..utils._validation import rescale_weights

__all__ = ["LinearPredictorMixin", "validate_regression_input", "normalized_sample_weight"]


def validate_regression_input(estimator, X, y, *, accept_sparse="csc"):
    """Validate ``X, y`` once (float64 / float32 kept).

    The memory layout is left to the engine, which makes the one copy it needs (F order,
    centering, CSC): forcing F order here would copy a C-ordered X a second time.
    """
    X, y = validate_data(
        estimator, X, y,
        accept_sparse=accept_sparse,
        dtype=[np.float64, np.float32],
        y_numeric=True,
        multi_output=False,
    )
    return X, np.asarray(y, dtype=np.float64)


def normalized_sample_weight(sample_weight, X):
    """Sample weights rescaled to sum to ``n_samples`` (scikit-learn's convention), or None."""
    if sample_weight is None:
        return None
    sw = _check_sample_weight(sample_weight, X, dtype=np.float64, ensure_non_negative=True)
    return rescale_weights(sw, X.shape[0])


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

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        return self._decision_function(X)
