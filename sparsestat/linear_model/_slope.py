"""SLOPE: least squares with the sorted-L1 penalty (Bogdan et al., 2015).

A thin layer over :func:`~sparsestat.linear_model._glm.fit_penalized`; the engine's
:class:`~sparsestat._engine.SLOPE` penalty is not separable, so the solve is FISTA with
the stack-algorithm prox.
"""

import numbers

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions

from .._engine import SLOPE as _SLOPEPenalty
from .._engine import Quadratic
from ..utils._validation import check_finite_fit
from ._base import (LinearPredictorMixin, normalized_sample_weight, validate_regression_input,
                    warm_start_init)
from ._glm import convergence_warning, fit_penalized

__all__ = ["SLOPE", "slope_alpha_max"]


def slope_alpha_max(grad, weights):
    """Smallest alpha whose SLOPE solution is zero, from the gradient at zero.

    The dual norm of the sorted L1 norm: ``max_k sum_{j<=k} |g|_(j) / sum_{j<=k} lambda_j``
    (Bogdan et al., 2015, Proposition 1.1 and its dual).
    """
    g = np.sort(np.abs(np.asarray(grad, dtype=np.float64)))[::-1]
    cum_w = np.cumsum(weights)
    pos = cum_w > 0
    if not np.any(pos):
        return np.inf if np.any(g > 0) else 0.0
    return float(np.max(np.cumsum(g)[pos] / cum_w[pos]))


class SLOPE(LinearPredictorMixin, RegressorMixin, BaseEstimator):
    """Linear regression with the sorted-L1 (SLOPE) penalty.

    Minimizes ``1/(2n) ||y - X w - b||^2 + alpha * sum_j lambda_j |w|_(j)`` where
    ``|w|_(1) >= |w|_(2) >= ...`` are the coefficients' magnitudes in decreasing order and
    ``lambda`` is nonincreasing: larger coefficients pay a larger price, which controls
    the false discovery rate (Bogdan et al., 2015) and clusters strongly correlated
    coefficients to equal magnitudes. Solved by FISTA with the stack-algorithm prox.

    Parameters
    ----------
    alpha : float, default=1.0
        Regularization strength, >= 0, multiplying the whole ``lambdas`` sequence (raw
        columns: SLOPE does not standardize). ``alpha_max_`` zeroes every coefficient.
    lambdas : "bh" or array-like of shape (n_features,), default="bh"
        The weight sequence, nonnegative and nonincreasing. "bh" is the
        Benjamini-Hochberg sequence ``Phi^{-1}(1 - q j / (2 p))``; equal weights give the
        Lasso.
    q : float, default=0.1
        Target false discovery rate of the "bh" sequence, in (0, 1); unused otherwise.
    fit_intercept : bool, default=True
        Fit an unpenalized intercept.
    max_iter : int, default=1000
        Maximum number of FISTA iterations.
    tol : float, default=1e-4
        Stop when the largest optimality residual (``|w - prox(w - grad)|`` per
        coefficient) is below ``tol`` times the gradient's natural scale (``std(y)``
        times the columns' root mean square).
    warm_start : bool, default=False
        Start from the previous ``coef_`` and ``intercept_`` when refitting on data with
        the same number of features.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
        Coefficients, in the dtype of X.
    intercept_ : float
        Intercept; 0.0 when ``fit_intercept=False``.
    lambdas_ : ndarray of shape (n_features,)
        The weight sequence used.
    alpha_max_ : float
        Smallest alpha zeroing every coefficient (dual norm of the gradient at zero).
    n_iter_ : int
        FISTA iterations run.
    stop_crit_ : float
        Largest optimality residual reached (in gradient units).
    objective_history_ : ndarray of shape (n_iter,)
        Objective value at each iteration.
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when X has feature
        names that are all strings.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.linear_model import SLOPE
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((100, 8))
    >>> y = X[:, :2] @ np.array([2.0, -2.0]) + 0.1 * rng.standard_normal(100)
    >>> reg = SLOPE(alpha=0.05).fit(X, y)
    >>> np.flatnonzero(reg.coef_)
    array([0, 1])
    """

    _parameter_constraints = {
        "alpha": [Interval(numbers.Real, 0, None, closed="left")],
        "lambdas": [StrOptions({"bh"}), "array-like"],
        "q": [Interval(numbers.Real, 0, 1, closed="neither")],
        "fit_intercept": ["boolean"],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "tol": [Interval(numbers.Real, 0, None, closed="left")],
        "warm_start": ["boolean"],
    }

    def __init__(self, alpha=1.0, *, lambdas="bh", q=0.1, fit_intercept=True, max_iter=1000,
                 tol=1e-4, warm_start=False):
        self.alpha = alpha
        self.lambdas = lambdas
        self.q = q
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start

    def _lambdas(self, n_features):
        if isinstance(self.lambdas, str):
            return _SLOPEPenalty.bh_weights(n_features, self.q)
        return _SLOPEPenalty(1.0, self.lambdas).checked_weights(n_features)

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
            Weights of the squared residuals, rescaled internally to sum to n_samples
            (so they do not change the scale of ``alpha``).

        Returns
        -------
        self : object
            The fitted estimator.
        """
        X, y = validate_regression_input(self, X, y)
        sw = normalized_sample_weight(sample_weight, X)
        n, p = X.shape
        lambdas = self._lambdas(p)
        penalty = _SLOPEPenalty(float(self.alpha), lambdas)
        w = np.ones(n) if sw is None else sw
        resid = y - (float(w @ y) / w.sum() if self.fit_intercept else 0.0)
        self.alpha_max_ = slope_alpha_max(np.asarray(X.T @ (w * resid)).ravel() / n, lambdas)
        coef_init, intercept_init = warm_start_init(self, (p,))
        fit = fit_penalized(
            X, y, Quadratic(), penalty, sample_weight=sw, fit_intercept=self.fit_intercept,
            coef_init=coef_init, intercept_init=intercept_init, solver="fista",
            max_iter=self.max_iter, tol=self.tol)
        check_finite_fit(self, coef_=fit.coef, intercept_=fit.intercept)
        convergence_warning(self, fit.result, self.tol)
        self.coef_ = fit.coef.astype(X.dtype, copy=False)
        self.intercept_ = fit.intercept
        self.lambdas_ = lambdas
        self.n_iter_ = fit.result.n_iter
        self.stop_crit_ = fit.result.stop_crit
        self.objective_history_ = fit.result.objective
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
