"""Sparse Poisson, Gamma and Tweedie regression (log link, offsets, D^2 score)."""

import numbers

import numpy as np
from sklearn.base import RegressorMixin, _fit_context
from sklearn.metrics import d2_tweedie_score
from sklearn.utils._param_validation import Interval

from .._engine import Gamma, Poisson, Tweedie
from ._datafit_models import DatafitModel

__all__ = ["SparsePoissonRegressor", "SparseGammaRegressor", "SparseTweedieRegressor"]


class LogLinkRegressor(RegressorMixin, DatafitModel):
    """``fit`` / ``predict`` / ``score`` of a log-link GLM; ``_power`` names the family."""

    # the Poisson and Gamma regressors take these; Tweedie adds its power
    _parameter_constraints = {**DatafitModel._common_constraints}

    def __init__(self, alpha=0.01, *, penalty="l1", l1_ratio=0.5, gamma=None,
                 fit_intercept=True, standardize="auto", penalty_factor=None,
                 solver="auto", max_iter=1000, tol=1e-4, warm_start=False):
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

    def _power(self):
        raise NotImplementedError

    def _encode_target(self, y):
        y = np.asarray(y, dtype=np.float64)
        power = self._power()
        if power < 2 and np.any(y < 0):
            raise ValueError(f"{type(self).__name__} needs a nonnegative target y (counts, "
                             f"rates or amounts), got min(y) = {y.min()}.")
        if power >= 2 and np.any(y <= 0):
            raise ValueError(f"{type(self).__name__} needs a positive target y, got "
                             f"min(y) = {y.min()}.")
        if power < 2 and y.size and not np.any(y > 0):
            raise ValueError(f"{type(self).__name__}: every value of y is 0, so the fitted "
                             "mean would be 0 (an intercept of -inf).")
        return y

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, offset=None):
        """Fit the model.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data, dense (float32 or float64) or sparse; never modified.
        y : array-like of shape (n_samples,)
            Target values (see the class description for their range).
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the per-sample deviances, rescaled internally to sum to
            n_samples (so they do not change the scale of ``alpha``).
        offset : array-like of shape (n_samples,), default=None
            Known part of the linear predictor, e.g. ``log(exposure)``: the model is
            ``E[y] = exp(X @ coef_ + intercept_ + offset)``. None means 0.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        self._fit(X, y, sample_weight, offset)
        return self

    def predict(self, X, offset=None):
        """Predicted mean ``exp(X @ coef_ + intercept_ + offset)``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples, with the features seen in :term:`fit`.
        offset : array-like of shape (n_samples,), default=None
            Known part of the linear predictor of these samples (e.g. their log
            exposure); None means 0.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted means.
        """
        return np.exp(self._linear_predictor(X, offset))

    def score(self, X, y, sample_weight=None, offset=None):
        """D^2, the fraction of deviance explained (scikit-learn's GLM score).

        ``1 - D(y, predict(X)) / D(y, ybar)`` with ``D`` the (weighted) deviance of this
        model's family and ``ybar`` the weighted mean of ``y``, as
        :func:`sklearn.metrics.d2_tweedie_score`; 1 is a perfect fit, 0 the constant
        model, and it can be negative.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples, with the features seen in :term:`fit`.
        y : array-like of shape (n_samples,)
            True values.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples in the deviances.
        offset : array-like of shape (n_samples,), default=None
            Known part of the linear predictor of these samples; None means 0.

        Returns
        -------
        score : float
            D^2 of ``predict(X, offset)``.
        """
        return d2_tweedie_score(y, self.predict(X, offset), sample_weight=sample_weight,
                                power=self._power())

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.positive_only = True
        return tags


# The parameter and attribute text of the sparse single-datafit estimators (these three,
# SparseHuberRegressor and SparseLinearSVC): each writes its own alpha and solver entries
# (and its first attributes) around the shared ones, through ``datafit_params_doc``.
_PENALTY_PARAMS_DOC = """
    penalty : {"l1", "elasticnet", "mcp", "scad"}, default="l1"
        The sparsity-inducing penalty: Lasso, elastic net
        ``alpha * (l1_ratio ||w||_1 + (1 - l1_ratio) / 2 ||w||^2)`` (glmnet's and glum's
        parametrization), or the nonconvex MCP or SCAD.
    l1_ratio : float, default=0.5
        L1 share of ``penalty="elasticnet"``, in [0, 1]; ignored by the other penalties.
    gamma : float, default=None
        Concavity of MCP (None means 3) or SCAD (None means 3.7, must be > 2).
    fit_intercept : bool, default=True
        Fit an unpenalized intercept.
    standardize : bool or "auto", default="auto"
        Penalize the coefficients of standardized columns; "auto" standardizes for MCP
        and SCAD only. ``coef_`` is always on the raw scale of X.
    penalty_factor : array-like of shape (n_features,), default=None
        Per-feature multipliers of the penalty (0 leaves a feature unpenalized); None
        means 1 for every feature."""

_STOPPING_PARAMS_DOC = """
    max_iter : int, default=1000
        Maximum number of solver iterations (Newton steps; epochs for "cd", iterations
        for "fista"); a ConvergenceWarning says when it is reached before ``tol``.
    tol : float, default=1e-4
        Stop when the largest violation of the optimality conditions is below ``tol``
        times the columns' root mean square (gradient units).
    warm_start : bool, default=False
        Start from the previous ``coef_`` and ``intercept_`` when refitting on data with
        the same number of features."""

_FIT_ATTRIBUTES_DOC = """
    n_iter_ : int
        Iterations run by the solver.
    stop_crit_ : float
        Largest optimality violation reached.
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when X has feature
        names that are all strings.
"""


def datafit_params_doc(alpha, solver, first_attributes):
    """The ``Parameters`` entries from ``alpha`` on and the ``Attributes`` section.

    ``alpha`` and ``solver`` are the estimator's own entries for those parameters,
    ``first_attributes`` its attributes before ``n_iter_`` (each a docstring fragment
    indented by 4 spaces, starting with a newline).
    """
    return (alpha + _PENALTY_PARAMS_DOC + solver + _STOPPING_PARAMS_DOC
            + "\n\n    Attributes\n    ----------" + first_attributes + _FIT_ATTRIBUTES_DOC)


_SHARED_PARAMS_DOC = datafit_params_doc("""
    alpha : float, default=0.01
        Regularization strength, >= 0, multiplying the penalty. The deviance is averaged
        over samples, so alpha does not grow with n; with ``penalty="elasticnet"`` and
        ``l1_ratio=0`` it is scikit-learn's ``alpha`` of the same estimator.""", """
    solver : {"auto", "prox_newton", "cd", "fista"}, default="auto"
        The engine's solver: "auto" is the working-set proximal Newton method (the
        deviance has no global curvature bound, so plain coordinate descent and FISTA
        have no safe step; asking for them raises an error naming the pair).""", """
    coef_ : ndarray of shape (n_features,)
        Coefficients on the raw scale of X (in the dtype of X).
    intercept_ : float
        Intercept; 0.0 when ``fit_intercept=False``.""")


class SparsePoissonRegressor(LogLinkRegressor):
    __doc__ = """Sparse Poisson regression with a log link and an optional offset (exposure).

    Minimizes ``(1/n) sum_i sw_i (mu_i - y_i log mu_i) + alpha * penalty(w)`` with
    ``mu_i = exp(x_i^T w + b + offset_i)``: half the Poisson deviance, scikit-learn's
    :class:`~sklearn.linear_model.PoissonRegressor` objective with an L1, elastic-net,
    MCP or SCAD penalty in place of its L2 one. ``y`` holds nonnegative counts (or
    rates, with the exposure as ``sample_weight``; or counts, with ``log(exposure)`` as
    ``offset``). ``score`` is D^2, the fraction of Poisson deviance explained.

    Parameters
    ----------""" + _SHARED_PARAMS_DOC + """
    See Also
    --------
    SparsePoissonRegressorCV : alpha chosen by cross-validated deviance.
    sklearn.linear_model.PoissonRegressor : the L2-penalized model.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.linear_model import SparsePoissonRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((300, 6))
    >>> exposure = rng.uniform(0.5, 2.0, 300)
    >>> y = rng.poisson(exposure * np.exp(0.5 * X[:, 0] - 0.4 * X[:, 3]))
    >>> reg = SparsePoissonRegressor(alpha=0.05).fit(X, y, offset=np.log(exposure))
    >>> np.flatnonzero(reg.coef_)
    array([0, 3])
    >>> reg.predict(X[:2], offset=np.log(exposure[:2])).shape
    (2,)
    """

    def _power(self):
        return 1.0

    def _datafit(self):
        return Poisson()


class SparseGammaRegressor(LogLinkRegressor):
    __doc__ = """Sparse Gamma regression with a log link and an optional offset.

    Minimizes ``(1/n) sum_i sw_i (log mu_i + y_i / mu_i) + alpha * penalty(w)`` with
    ``mu_i = exp(x_i^T w + b + offset_i)``: half the Gamma deviance up to a constant,
    scikit-learn's :class:`~sklearn.linear_model.GammaRegressor` objective with a sparse
    penalty. ``y`` must be positive (claim amounts, durations). ``score`` is D^2, the
    fraction of Gamma deviance explained.

    Parameters
    ----------""" + _SHARED_PARAMS_DOC + """
    See Also
    --------
    SparseGammaRegressorCV : alpha chosen by cross-validated deviance.
    sklearn.linear_model.GammaRegressor : the L2-penalized model.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.linear_model import SparseGammaRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((300, 6))
    >>> mu = np.exp(1.0 + 0.5 * X[:, 1])
    >>> y = rng.gamma(shape=4.0, scale=mu / 4.0)
    >>> reg = SparseGammaRegressor(alpha=0.05).fit(X, y)
    >>> np.flatnonzero(reg.coef_)
    array([1])
    """

    def _power(self):
        return 2.0

    def _datafit(self):
        return Gamma()


class SparseTweedieRegressor(LogLinkRegressor):
    __doc__ = """Sparse Tweedie regression (log link, power 1 or above) with an optional offset.

    Minimizes ``(1/n) sum_i sw_i d_p(y_i, mu_i) / 2 + alpha * penalty(w)`` with
    ``mu_i = exp(x_i^T w + b + offset_i)`` and ``d_p`` the Tweedie deviance of power
    ``p``: scikit-learn's :class:`~sklearn.linear_model.TweedieRegressor` objective
    (``link="log"``) with a sparse penalty. ``power=1`` is Poisson, ``power=2`` Gamma,
    ``1 < power < 2`` the compound Poisson-Gamma model of insurance pure premiums (zeros
    and positive amounts), ``power > 2`` heavier-tailed positive data. ``score`` is D^2
    for that power.

    Parameters
    ----------
    power : float, default=1.5
        Tweedie power, 1 or above (y >= 0 for power < 2, y > 0 otherwise). The normal
        distribution (power 0) is :class:`ElasticNet`.""" + _SHARED_PARAMS_DOC + """
    See Also
    --------
    SparseTweedieRegressorCV : alpha chosen by cross-validated deviance.
    sklearn.linear_model.TweedieRegressor : the L2-penalized model.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.linear_model import SparseTweedieRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((400, 6))
    >>> mu = np.exp(0.6 * X[:, 2])
    >>> counts = rng.poisson(mu)
    >>> y = np.array([rng.gamma(2.0, 0.5, c).sum() for c in counts])  # zeros and amounts
    >>> reg = SparseTweedieRegressor(power=1.5, alpha=0.2).fit(X, y)
    >>> np.flatnonzero(reg.coef_)
    array([2])
    """

    _parameter_constraints = {
        "power": [Interval(numbers.Real, 1, None, closed="left")],
        **DatafitModel._common_constraints,
    }

    def __init__(self, power=1.5, *, alpha=0.01, penalty="l1", l1_ratio=0.5, gamma=None,
                 fit_intercept=True, standardize="auto", penalty_factor=None,
                 solver="auto", max_iter=1000, tol=1e-4, warm_start=False):
        self.power = power
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

    def _power(self):
        return float(self.power)

    def _datafit(self):
        return Tweedie(power=float(self.power))
