"""Sparse robust regression: the Huber loss with an L1, elastic-net, MCP or SCAD penalty."""

import numbers

import numpy as np
from sklearn.base import RegressorMixin, _fit_context
from sklearn.utils._param_validation import Interval

from .._engine import Huber
from ._datafit_models import DatafitModel
from ._glm_regressors import datafit_params_doc

__all__ = ["SparseHuberRegressor"]


class SparseHuberRegressor(RegressorMixin, DatafitModel):
    __doc__ = """Sparse linear regression with the Huber loss, robust to outlying targets.

    Minimizes::

        (1/n) sum_i sw_i H_delta(y_i - x_i^T w - b) + alpha * penalty(w)

    with ``H_delta(r) = r^2 / 2`` for ``|r| <= delta`` and ``delta |r| - delta^2 / 2``
    beyond: squared error for small residuals, absolute error for large ones, so a few
    wild targets pull the fit only linearly (skglm's ``Huber(delta)`` datafit).

    ``delta`` is in the units of ``y``. scikit-learn's
    :class:`~sklearn.linear_model.HuberRegressor` instead takes a scale-free
    ``epsilon`` and estimates a scale ``sigma`` (its ``scale_``) jointly with ``w``; at
    its solution the two problems coincide for ``delta = epsilon * scale_`` and
    ``alpha = alpha_sklearn * scale_ / n_samples`` with ``penalty="elasticnet",
    l1_ratio=0`` (its penalty is ``alpha_sklearn ||w||^2``). For a scale-free choice
    here, use ``delta = 1.35 * s`` with ``s`` a robust scale of the residuals (e.g.
    the median absolute deviation / 0.6745), 1.35 being scikit-learn's default
    ``epsilon`` (95 % efficiency under Gaussian noise).

    Parameters
    ----------
    delta : float, default=1.35
        Threshold between the quadratic and linear parts of the loss, > 0, in units of
        ``y``. Large values give least squares (:class:`ElasticNet`).""" + datafit_params_doc("""
    alpha : float, default=0.01
        Regularization strength, >= 0, multiplying the penalty (the loss is averaged
        over samples, so alpha does not grow with n).""", """
    solver : {"auto", "prox_newton", "cd", "fista"}, default="auto"
        The engine's solver: "auto" is its choice for the pair (the working-set
        proximal Newton method); "cd" and "fista" also apply, the loss having curvature
        at most 1.""", """
    coef_ : ndarray of shape (n_features,)
        Coefficients on the raw scale of X (in the dtype of X).
    intercept_ : float
        Intercept; 0.0 when ``fit_intercept=False``.
    outliers_ : ndarray of shape (n_samples,) of bool
        Training samples whose absolute residual exceeds ``delta`` (in the linear part of
        the loss), as scikit-learn's ``HuberRegressor.outliers_``.""") + """
    See Also
    --------
    SparseHuberRegressorCV : alpha chosen by cross-validated Huber loss.
    sklearn.linear_model.HuberRegressor : L2 penalty, jointly estimated scale.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.linear_model import SparseHuberRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((200, 6))
    >>> y = 2 * X[:, 0] - X[:, 4] + 0.1 * rng.standard_normal(200)
    >>> y[:10] += 50.0  # gross outliers
    >>> reg = SparseHuberRegressor(delta=0.5, alpha=0.05).fit(X, y)
    >>> np.flatnonzero(reg.coef_)
    array([0, 4])
    >>> bool(reg.outliers_[:10].all())
    True
    """

    _parameter_constraints = {
        "delta": [Interval(numbers.Real, 0, None, closed="neither")],
        **DatafitModel._common_constraints,
    }

    def __init__(self, delta=1.35, *, alpha=0.01, penalty="l1", l1_ratio=0.5, gamma=None,
                 fit_intercept=True, standardize="auto", penalty_factor=None,
                 solver="auto", max_iter=1000, tol=1e-4, warm_start=False):
        self.delta = delta
        self.alpha = alpha
        self.penalty = penalty
        self.l1_ratio = l1_ratio
        self.gamma = gamma
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.penalty_factor = penalty_factor
        self.solver = solver
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start

    def _datafit(self):
        return Huber(delta=float(self.delta))

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the model.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data, dense (float32 or float64) or sparse; never modified.
        y : array-like of shape (n_samples,)
            Target values.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the per-sample losses, rescaled internally to sum to n_samples.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        X, y = self._fit(X, y, sample_weight, None)
        resid = y - np.asarray(X @ self.coef_, dtype=np.float64).ravel() - self.intercept_
        self.outliers_ = np.abs(resid) > self.delta
        return self

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
        return self._linear_predictor(X)
