"""Pieces shared by the linear estimators: input handling and prediction."""

import numpy as np
import scipy.sparse as sp
from sklearn.utils import assert_all_finite
from sklearn.utils.validation import check_is_fitted, validate_data

from ..utils._validation import normalized_sample_weight

__all__ = ["LinearPredictorMixin", "validate_regression_input",
           "validate_regression_input_xy", "normalized_sample_weight", "warm_start_init"]


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


def validate_regression_input_xy(estimator, X, y):
    """:func:`validate_regression_input` (CSC, 2-D ``y`` allowed), plus ``X^T y`` where
    that product is X's finite check: ``(X, y, xty)``, ``xty`` None otherwise.

    For a dense float64 F-ordered ``X`` (kept as is by validation) and a 1-D ``y``,
    ``X^T y`` is one pass over ``X`` that an estimator solving on the Gram matrix needs
    anyway (the engine's ``xy``); it replaces scikit-learn's finite check (a sum of
    ``X``, another pass). Each entry is a dot product of a column with ``y``, which
    IEEE arithmetic leaves non-finite wherever the column holds a NaN or an infinity
    (``nan * 0`` and ``inf * 0`` are NaN; no BLAS skips terms of a dot product). A
    non-finite entry (that, or an overflow of finite values) runs scikit-learn's check,
    which raises its own error, or passes and ``xty`` is None. ``y`` is checked as
    before; where both are bad, X's error comes first, as in scikit-learn.
    """
    if not (isinstance(X, np.ndarray) and X.ndim == 2 and X.dtype == np.float64
            and X.flags.f_contiguous and np.ndim(y) == 1):
        X, y = validate_regression_input(estimator, X, y, multi_output=True)
        return X, y, None
    name = type(estimator).__name__
    try:
        X, y = validate_data(estimator, X, y, accept_sparse="csc",
                             dtype=[np.float64, np.float32], y_numeric=True,
                             multi_output=True, ensure_all_finite=False)
    except ValueError:
        assert_all_finite(X, input_name="X", estimator_name=name)  # X's error first
        raise
    y = np.asarray(y, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):  # (then the check below)
        xty = X.T @ y
    if not np.all(np.isfinite(xty)):
        assert_all_finite(X, input_name="X", estimator_name=name)
        xty = None  # finite entries whose products overflow
    return X, y, xty



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
