"""Choosing alpha on a warm-started path by AIC, BIC or extended BIC (no refits, no folds)."""

import numbers
import warnings

import numpy as np
from scipy.special import gammaln
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import _check_sample_weight

from .._engine import L0, L1, MCP, SCAD, Quadratic, alpha_max_l1
from .._engine.solvers import magnitude_unit
from ..exceptions import caller_stacklevel
from ..utils._validation import check_grid, check_penalty_factor
from ._base import LinearPredictorMixin, normalized_sample_weight, validate_regression_input
from ._cv import alpha_grid
from ._glm import path_penalized, standardize_design
from ._scaleout import ICStatsMixin

__all__ = ["SparseRegressorIC"]


def information_criterion(rss, n_samples, n_features, df, criterion, ebic_gamma=0.5):
    """``n log(RSS / n) + penalty(df)`` (the Gaussian likelihood with the variance profiled).

    AIC adds ``2 df``, BIC ``log(n) df`` and EBIC (Chen and Chen, 2008) adds
    ``2 ebic_gamma log(binom(p, df))`` to BIC.
    """
    rss = np.maximum(np.asarray(rss, dtype=np.float64), np.finfo(float).tiny)
    df = np.asarray(df, dtype=np.float64)
    value = n_samples * np.log(rss / n_samples)
    if criterion == "aic":
        return value + 2.0 * df
    value = value + np.log(n_samples) * df
    if criterion == "ebic":
        log_binom = (gammaln(n_features + 1) - gammaln(df + 1)
                     - gammaln(np.maximum(n_features - df, 0) + 1))
        value = value + 2.0 * ebic_gamma * log_binom
    return value


def effective_sample_size(sample_weight, X):
    """``(n_eff, w)``: the number of samples of positive weight, and the weights rescaled
    to average 1 over them.

    Weights are read as precisions (sample ``i`` has noise variance ``sigma^2 / w_i``):
    the Gaussian likelihood with ``sigma^2`` profiled out is then
    ``n_eff log(sum_i w_i r_i^2 / n_eff)`` up to a constant, with ``n_eff`` the number of
    observations. Multiplying every weight by ``c`` only shifts it by a constant, and
    rescaling ``w`` removes even that: the criterion and the chosen model do not depend
    on the scale of ``sample_weight``. Zero weights drop samples.
    """
    n = X.shape[0]
    if sample_weight is None:
        return float(n), np.ones(n)
    w = _check_sample_weight(sample_weight, X, dtype=np.float64, ensure_non_negative=True)
    n_eff = float(np.count_nonzero(w > 0))
    return n_eff, w * (n_eff / w.sum())


class SparseRegressorIC(ICStatsMixin, LinearPredictorMixin, RegressorMixin, BaseEstimator):
    """Sparse regression with alpha chosen by AIC, BIC or EBIC along the path.

    Fits the whole path (Lasso, MCP, SCAD or L0) once on all the data with warm starts and
    keeps the alpha minimizing ``n log(RSS / n) + c * df`` with ``df`` the number of
    nonzero coefficients (Zou, Hastie and Tibshirani's unbiased estimate for the Lasso;
    the usual approximation for the others). abess and scikit-learn's ``LassoLarsIC``
    select the same way; unlike ``LassoLarsIC`` the noise variance is profiled out, so no
    OLS fit (and no ``n > p``) is needed. EBIC suits ``p >> n``. Models with
    more than ``max_features`` nonzeros are not ranked. With ``sample_weight`` (precision
    weights), ``n`` is the effective sample size, the number of samples of positive
    weight, and RSS is weighted by the weights rescaled to average 1 over them: the
    chosen model does not change when every weight is multiplied by the same number.

    Parameters
    ----------
    penalty : {"l1", "mcp", "scad", "l0"}, default="l1"
        The penalty of the path: Lasso, MCP, SCAD (see :class:`MCPRegressor`,
        :class:`SCADRegressor`) or L0 (see :class:`L0Regressor`).
    criterion : {"bic", "aic", "ebic"}, default="bic"
        The criterion minimized: ``n log(RSS / n)`` plus ``2 df`` (AIC), ``log(n) df``
        (BIC), or BIC plus ``2 ebic_gamma log(binom(p, df))`` (EBIC, Chen and Chen
        2008). With sample weights, ``n`` is their sum and RSS is weighted.
    gamma : float, default=None
        Concavity of MCP (default 3) or SCAD (default 3.7).
    ebic_gamma : float, default=0.5
        Weight of the model-space term of EBIC (Chen and Chen's gamma in [0, 1]).
    standardize : bool or "auto", default="auto"
        Standardize columns internally; "auto": for MCP, SCAD and L0.
    alphas : int or array-like, default=100
        Number of alphas on a log grid from ``alpha_max`` (the Lasso's, on the columns
        the penalty sees; ``alpha_max^2 / 2`` for L0, whose entry threshold is
        ``sqrt(2 alpha)``) down to ``eps`` times it, or the alphas themselves (visited
        in decreasing order).
    eps : float, default=1e-3
        Ratio of the smallest to the largest alpha when ``alphas`` is an int.
    fit_intercept : bool, default=True
        Fit an unpenalized intercept at each alpha.
    positive : bool, default=False
        Constrain the coefficients to be nonnegative.
    penalty_factor : array-like of shape (n_features,), default=None
        Per-feature multipliers of the penalty (0 leaves a feature unpenalized).
    max_iter : int, default=1000
        Maximum number of coordinate-descent epochs per alpha of the path.
    tol : float, default=1e-4
        Stopping tolerance at each alpha: the duality gap relative to
        ``||y - ybar||^2 / n`` for the Lasso, otherwise the largest KKT violation
        relative to the gradient's natural scale (see :class:`MCPRegressor`).
    max_features : int, default=None
        Largest number of nonzeros a ranked model may have. Near interpolation the
        profiled likelihood diverges (RSS -> 0), so a cap is needed when p is large;
        None uses abess's ``n / (log p log log n)`` (at most ``n / 2``).

    Attributes
    ----------
    alpha_ : float
        The alpha of smallest criterion.
    alphas_ : ndarray of shape (n_alphas,)
        The alphas of the path, in decreasing order.
    criterion_ : ndarray of shape (n_alphas,)
        The criterion at every alpha of the path (inf beyond ``max_features_``).
    max_features_ : int
        The cap on the number of nonzeros of a ranked model actually used (from
        ``max_features`` or the default rule).
    coef_path_ : ndarray of shape (n_features, n_alphas)
        Coefficients at every alpha, on the raw scale of X.
    coef_ : ndarray of shape (n_features,)
        Coefficients at ``alpha_`` (the column of ``coef_path_``; no refit).
    intercept_ : float
        Intercept at ``alpha_``; 0.0 when ``fit_intercept=False``.
    n_iter_ : int
        Total solver iterations over the path.
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when X has feature
        names that are all strings.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.linear_model import SparseRegressorIC
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((200, 30))
    >>> y = X[:, :3] @ np.array([2.0, -2.0, 1.5]) + rng.standard_normal(200)
    >>> reg = SparseRegressorIC(penalty="mcp", criterion="ebic").fit(X, y)
    >>> np.flatnonzero(reg.coef_)
    array([0, 1, 2])
    """

    _parameter_constraints = {
        "penalty": [StrOptions({"l1", "mcp", "scad", "l0"})],
        "criterion": [StrOptions({"aic", "bic", "ebic"})],
        "gamma": [Interval(numbers.Real, 0, None, closed="neither"), None],
        "ebic_gamma": [Interval(numbers.Real, 0, None, closed="left")],
        "standardize": ["boolean", StrOptions({"auto"})],
        "alphas": [Interval(numbers.Integral, 1, None, closed="left"), "array-like"],
        "eps": [Interval(numbers.Real, 0, None, closed="neither")],
        "fit_intercept": ["boolean"],
        "positive": ["boolean"],
        "penalty_factor": ["array-like", None],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "tol": [Interval(numbers.Real, 0, None, closed="left")],
        "max_features": [Interval(numbers.Integral, 1, None, closed="left"), None],
    }

    def __init__(self, penalty="l1", *, criterion="bic", gamma=None, ebic_gamma=0.5,
                 standardize="auto", alphas=100, eps=1e-3, fit_intercept=True,
                 positive=False, penalty_factor=None, max_iter=1000, tol=1e-4,
                 max_features=None):
        self.penalty = penalty
        self.criterion = criterion
        self.gamma = gamma
        self.ebic_gamma = ebic_gamma
        self.standardize = standardize
        self.alphas = alphas
        self.eps = eps
        self.fit_intercept = fit_intercept
        self.positive = positive
        self.penalty_factor = penalty_factor
        self.max_iter = max_iter
        self.tol = tol
        self.max_features = max_features

    def _max_features(self, n, p):
        if self.max_features is not None:
            return int(self.max_features)
        # abess's default s_max = n / (log p * log log n), at least 1, at most min(p, n/2)
        cap = n / (np.log(max(p, 3)) * np.log(np.log(max(n, 16))))
        return int(max(1, min(p, n // 2, np.floor(cap))))

    def _engine_penalty(self):
        if self.penalty == "l1":
            return L1(alpha=1.0)
        if self.penalty == "mcp":
            return MCP(alpha=1.0, gamma=3.0 if self.gamma is None else float(self.gamma))
        if self.penalty == "scad":
            gamma = 3.7 if self.gamma is None else float(self.gamma)
            if gamma <= 2:
                raise ValueError(f"penalty='scad' needs gamma > 2, got {gamma}.")
            return SCAD(alpha=1.0, gamma=gamma)
        return L0(alpha=1.0)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the path and keep the alpha of smallest criterion.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data, dense or sparse; never modified.
        y : array-like of shape (n_samples,)
            Target values.
        sample_weight : array-like of shape (n_samples,), default=None
            Precision weights (sample ``i`` has noise variance proportional to
            ``1 / w_i``). The criterion uses the effective sample size ``n_eff``, the
            number of samples with positive weight, and does not depend on the scale of
            the weights; integer weights are not read as repeated rows.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        if self._fit_scaleout(X, y, sample_weight):  # dask input or SufficientStatistics
            return self
        X, y = validate_regression_input(self, X, y)
        sw = normalized_sample_weight(sample_weight, X)
        n, p = X.shape
        pf = check_penalty_factor(self.penalty_factor, p)
        standardize = (self.penalty != "l1") if self.standardize == "auto" \
            else bool(self.standardize)
        design = standardize_design(X, sw, self.fit_intercept) if standardize else None
        Xs = design[0] if standardize else X
        if isinstance(self.alphas, numbers.Integral):
            amax = alpha_max_l1(Xs, y, sample_weight=sw, fit_intercept=self.fit_intercept,
                                penalty_factor=pf, positive=self.positive)
            if self.penalty == "l0":
                amax = 0.5 * amax ** 2  # the L0 entry threshold is sqrt(2 alpha) on unit columns
            alphas = alpha_grid(amax, self.eps, int(self.alphas))
        else:
            alphas = np.sort(check_grid(self.alphas, "alphas"))[::-1]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            coefs, intercepts, results = path_penalized(
                X, y, Quadratic(), self._engine_penalty(), alphas, sample_weight=sw,
                fit_intercept=self.fit_intercept, standardize=standardize,
                penalty_factor=pf, positive=self.positive, max_iter=self.max_iter,
                tol=self.tol, design=design)
        if not all(r.converged for r in results):
            warnings.warn("The path did not converge at some alphas; increase max_iter.",
                          ConvergenceWarning, stacklevel=caller_stacklevel())
        resid = y[:, None] - (np.asarray(X @ coefs) + intercepts)
        n_eff, w = effective_sample_size(sample_weight, X)
        unit = magnitude_unit(y)  # n log(RSS / n) in units where |y| ~ 1: no overflow
        self._select_from_path(alphas, coefs, intercepts, results, w @ (resid / unit) ** 2,
                               n_eff, n, p)
        self.criterion_ = self.criterion_ + 2.0 * n_eff * np.log(unit)  # caller's units
        self.coef_ = self.coef_.astype(X.dtype, copy=False)
        return self

    def _select_from_path(self, alphas, coefs, intercepts, results, rss, n_eff, n, p):
        """Rank the path by the criterion and store the fitted attributes."""
        df = np.count_nonzero(coefs, axis=0)
        self.criterion_ = information_criterion(rss, n_eff, p, df, self.criterion,
                                                self.ebic_gamma)
        # near-interpolating fits (RSS -> 0 as df -> n) send n log(RSS / n) to -inf: only
        # models up to max_features nonzeros are ranked (abess's support-size cap)
        self.max_features_ = self._max_features(n_eff, p)
        self.criterion_[df > self.max_features_] = np.inf
        if not np.isfinite(self.criterion_).any():
            self.criterion_[0] = information_criterion(rss[:1], n_eff, p, df[:1],
                                                       self.criterion, self.ebic_gamma)[0]
        best = int(np.argmin(self.criterion_))
        self.alphas_ = alphas
        self.alpha_ = float(alphas[best])
        self.coef_path_ = coefs
        self.coef_ = coefs[:, best]
        self.intercept_ = float(intercepts[best])
        self.n_iter_ = int(sum(r.n_iter for r in results))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
