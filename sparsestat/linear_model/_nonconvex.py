"""Nonconvex and structured sparse regression: MCP, SCAD, L0 (+L2) and the group lasso.

Thin layers over :func:`~sparsestat.linear_model._glm.fit_penalized`. The nonconvex
estimators follow ncvreg's habits: columns are standardized internally by default so that
``gamma`` lives on the standardized scale, and a :class:`NonconvexWarning` says when the
objective is not locally convex at the solution found.
"""

import numbers
import warnings

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_random_state

from .._engine import L0, L1, MCP, SCAD, GroupL1, Quadratic, alpha_max_l1
from ..exceptions import AlphaMaxWarning, caller_stacklevel
from ..utils._validation import check_finite_fit, check_penalty_factor
from ._base import (
    LinearPredictorMixin,
    normalized_sample_weight,
    validate_regression_input,
    warm_start_init,
)
from ._glm import (
    convergence_warning,
    fit_penalized,
    standardize_design,
    warn_if_nonconvex,
)
from ._scaleout import PenalizedStatsMixin

__all__ = ["MCPRegressor", "SCADRegressor", "L0Regressor", "GroupLasso"]


class _PenalizedRegressor(PenalizedStatsMixin, LinearPredictorMixin, RegressorMixin,
                          BaseEstimator):
    """Shared fit of the penalized least-squares regressors of this module."""

    _parameter_constraints = {
        "alpha": [Interval(numbers.Real, 0, None, closed="left")],
        "fit_intercept": ["boolean"],
        "standardize": ["boolean"],
        "positive": ["boolean"],
        "penalty_factor": ["array-like", None],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "tol": [Interval(numbers.Real, 0, None, closed="left")],
        "warm_start": ["boolean"],
        "selection": [StrOptions({"cyclic", "random"})],
        "random_state": ["random_state"],
        "polish": ["boolean"],
    }
    _solver = "auto"
    _warn_alpha_max = True

    def _penalty(self, n_features):
        raise NotImplementedError

    def _alpha_max(self, X, y, sw, pf, penalty):
        return alpha_max_l1(X, y, sample_weight=sw, fit_intercept=self.fit_intercept,
                            penalty_factor=pf, positive=getattr(self, "positive", False))

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
        if self._fit_scaleout(X, y, sample_weight):  # dask input or SufficientStatistics
            return self
        X, y = validate_regression_input(self, X, y)
        sw = normalized_sample_weight(sample_weight, X)
        p = X.shape[1]
        pf = check_penalty_factor(getattr(self, "penalty_factor", None), p)
        penalty = self._penalty(p)
        standardize = getattr(self, "standardize", False)
        design = standardize_design(X, sw, self.fit_intercept) if standardize else None
        Xs = design[0] if standardize else X
        self.alpha_max_ = self._alpha_max(Xs, y, sw, pf, penalty)
        if self._warn_alpha_max and self.alpha >= self.alpha_max_ and np.any(pf > 0):
            warnings.warn(
                f"alpha={self.alpha:.4g} >= alpha_max={self.alpha_max_:.4g}: every penalized "
                "coefficient is zero. The objective is 1/(2n)||y - Xw||^2 + alpha * penalty"
                + (" on standardized columns" if standardize else "")
                + "; try a smaller alpha.", AlphaMaxWarning, stacklevel=caller_stacklevel())
        coef_init, intercept_init = warm_start_init(self, (p,))
        seed = None
        if getattr(self, "selection", "cyclic") == "random":
            seed = int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))
        fit = fit_penalized(
            X, y, Quadratic(), penalty, sample_weight=sw, fit_intercept=self.fit_intercept,
            standardize=standardize, penalty_factor=pf,
            positive=getattr(self, "positive", False), coef_init=coef_init,
            intercept_init=intercept_init, solver=self._solver, max_iter=self.max_iter,
            tol=self.tol, random_seed=seed, design=design,
            polish=getattr(self, "polish", False))
        check_finite_fit(self, coef_=fit.coef, intercept_=fit.intercept)
        convergence_warning(self, fit.result, self.tol)
        if not penalty.is_convex:
            warn_if_nonconvex(self, fit, Quadratic(), penalty, y, sw)
        self.coef_ = fit.coef.astype(X.dtype, copy=False)
        self.intercept_ = fit.intercept
        self.n_iter_ = fit.result.n_iter
        self.stop_crit_ = fit.result.stop_crit
        self.objective_history_ = fit.result.objective
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags


_COMMON_DOC = """
    fit_intercept : bool, default=True
        Fit an unpenalized intercept (the data are centered, never modified in place).
    standardize : bool, default=True
        Standardize the columns internally (weighted mean 0, variance 1) and penalize the
        standardized coefficients, as ncvreg does; ``gamma`` is then scale-free.
        ``coef_`` is always returned on the raw scale. With ``standardize=False`` the
        penalty applies to the raw coefficients.
    positive : bool, default=False
        Constrain the coefficients to be nonnegative (the prox with clipping is exact).
    penalty_factor : array-like of shape (n_features,), default=None
        Per-feature multipliers of ``alpha`` (0 leaves a feature unpenalized).
    max_iter : int, default=1000
        Maximum number of coordinate-descent epochs.
    tol : float, default=1e-4
        Stop when the largest violation of the first-order conditions is below ``tol``
        times the gradient's natural scale (``std(y)`` for standardized columns): a
        relative KKT criterion, the same at every scale of ``X`` and ``y``.
    warm_start : bool, default=False
        Start from the previous ``coef_`` (the path habit of nonconvex fits).
    selection : {"cyclic", "random"}, default="cyclic"
        Order in which coordinate descent visits the features of the working set in each
        epoch: in order, or in a new random order each epoch (seeded by
        ``random_state``). Gram CD (chosen for dense X with ``n_samples >= 2
        n_features``) always visits them in order.
    random_state : int, RandomState instance or None, default=None
        Seeds the visiting order when ``selection="random"``; unused otherwise.
    polish : bool, default=False
        After the solver stops, take Newton steps on the stationarity equations of the
        support (one step is exact for these piecewise-quadratic penalties); kept only
        when signs, regions and the objective confirm it. A loose ``tol`` plus ``polish``
        reaches machine accuracy cheaply once the support is right.
"""

_FITTED_DOC = """    objective_history_ : ndarray of shape (n_checks,)
        Objective value (on the scale the penalty applies to) at each convergence check
        of the last solve.
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when X has feature
        names that are all strings.
"""

_ATTRS_DOC = """
    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
        Coefficients on the raw scale of X (also with ``standardize=True``), in the
        dtype of X.
    intercept_ : float
        Intercept; 0.0 when ``fit_intercept=False``.
    n_iter_ : int
        Coordinate-descent epochs run, including the re-solves that certify the
        solution coordinatewise optimal.
    stop_crit_ : float
        Largest KKT violation at the solution (in gradient units).
    alpha_max_ : float
        Smallest alpha zeroing every penalized coefficient (on the scale the penalty
        applies to).
    locally_convex_ : bool or None
        Whether the objective restricted to the support is strictly convex at the
        solution (None when the support is too large to check).
""" + _FITTED_DOC


def mcp_penalty(alpha, gamma):
    """The MCP penalty, or at ``gamma = inf`` its limit, the L1 penalty."""
    if np.isinf(gamma):
        return L1(alpha=alpha)
    return MCP(alpha=alpha, gamma=gamma)


class MCPRegressor(_PenalizedRegressor):
    __doc__ = """Linear regression with the minimax concave penalty (Zhang, 2010).

    Minimizes ``1/(2n) ||y - X w - b||^2 + sum_j MCP(w_j; pf_j alpha, gamma)`` where
    ``MCP(w; a, gamma) = a|w| - w^2/(2 gamma)`` for ``|w| <= gamma a`` and
    ``gamma a^2 / 2`` beyond: the Lasso's shrinkage fades out for large coefficients,
    so they are nearly unbiased. ``gamma -> inf`` gives the Lasso, ``gamma -> 1`` hard
    thresholding (on standardized columns).

    Parameters
    ----------
    alpha : float, default=1.0
        Regularization strength (the Lasso's alpha for small coefficients).
    gamma : float, default=3.0
        Concavity parameter, > 0 (ncvreg's default is 3). ``gamma=np.inf`` is the Lasso
        limit: the L1 penalty itself (a convex problem, no NonconvexWarning).""" \
        + _COMMON_DOC + _ATTRS_DOC + """
    See Also
    --------
    SCADRegressor, MCPRegressorCV, sparsestat.linear_model.Lasso

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.linear_model import MCPRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((100, 10))
    >>> y = X @ np.r_[3.0, -2.0, np.zeros(8)] + 0.5 * rng.standard_normal(100)
    >>> reg = MCPRegressor(alpha=0.2).fit(X, y)
    >>> np.flatnonzero(reg.coef_)
    array([0, 1])
    """

    _parameter_constraints = {
        **_PenalizedRegressor._parameter_constraints,
        "gamma": [Interval(numbers.Real, 0, np.inf, closed="right")],
    }

    def __init__(
        self, alpha=1.0, *, gamma=3.0, fit_intercept=True, standardize=True, positive=False,
        penalty_factor=None, max_iter=1000, tol=1e-4, warm_start=False, selection="cyclic",
        random_state=None, polish=False,
    ):
        self.alpha = alpha
        self.gamma = gamma
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.positive = positive
        self.penalty_factor = penalty_factor
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start
        self.selection = selection
        self.random_state = random_state
        self.polish = polish

    def _penalty(self, n_features):
        return mcp_penalty(float(self.alpha), float(self.gamma))


class SCADRegressor(MCPRegressor):
    __doc__ = """Linear regression with the SCAD penalty (Fan and Li, 2001).

    Minimizes ``1/(2n) ||y - X w - b||^2 + sum_j SCAD(w_j; pf_j alpha, gamma)``: the
    Lasso's penalty up to ``a``, a quadratic spline to ``gamma a``, then constant.

    Parameters
    ----------
    alpha : float, default=1.0
        Regularization strength, >= 0: the Lasso's alpha for coefficients below
        ``alpha`` (on the standardized scale with ``standardize=True``).
    gamma : float, default=3.7
        Concavity parameter, > 2 (Fan and Li's choice 3.7).""" + _COMMON_DOC + _ATTRS_DOC + """
    See Also
    --------
    MCPRegressor

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.linear_model import SCADRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((100, 10))
    >>> y = X @ np.r_[3.0, -2.0, np.zeros(8)] + 0.5 * rng.standard_normal(100)
    >>> np.flatnonzero(SCADRegressor(alpha=0.2).fit(X, y).coef_)
    array([0, 1])
    """

    _parameter_constraints = {
        **_PenalizedRegressor._parameter_constraints,
        "gamma": [Interval(numbers.Real, 2, None, closed="neither")],
    }

    def __init__(
        self, alpha=1.0, *, gamma=3.7, fit_intercept=True, standardize=True, positive=False,
        penalty_factor=None, max_iter=1000, tol=1e-4, warm_start=False, selection="cyclic",
        random_state=None, polish=False,
    ):
        super().__init__(
            alpha=alpha, gamma=gamma, fit_intercept=fit_intercept, standardize=standardize,
            positive=positive, penalty_factor=penalty_factor, max_iter=max_iter, tol=tol,
            warm_start=warm_start, selection=selection, random_state=random_state,
            polish=polish)

    def _penalty(self, n_features):
        return SCAD(alpha=float(self.alpha), gamma=float(self.gamma))


class L0Regressor(_PenalizedRegressor):
    __doc__ = """Best-subset regression by coordinate descent on ``L0 (+ L2)`` (L0Learn's L0L2).

    Minimizes ``1/(2n) ||y - X w - b||^2 + sum_j pf_j (alpha [w_j != 0] + l2_reg w_j^2)``
    by cyclic coordinate descent with exact hard-thresholding steps. The solution is a
    coordinatewise minimum (no coordinate move improves it), L0Learn's CW-minimum; L0Learn
    further improves it with swaps, which we do not do (warm-start from a path instead).

    Parameters
    ----------
    alpha : float, default=1.0
        Price of one nonzero coefficient (on standardized columns: a coefficient enters
        when its correlation with the residual exceeds ``sqrt(2 alpha)``).
    l2_reg : float, default=0.0
        Ridge term (L0Learn's ``gamma`` for ``penalty="L0L2"``).""" + _COMMON_DOC + """
    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
        Coefficients on the raw scale of X, in the dtype of X.
    intercept_ : float
        Intercept; 0.0 when ``fit_intercept=False``.
    n_iter_ : int
        Coordinate-descent epochs run, including the re-solves that certify the
        solution coordinatewise optimal.
    stop_crit_ : float
        Largest coordinatewise optimality violation (zeros scored at unit step).
    alpha_max_ : float
        The Lasso's alpha_max on the same columns (for scale; not the L0 one).
""" + _FITTED_DOC + """
    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.linear_model import L0Regressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((100, 10))
    >>> y = X @ np.r_[3.0, -2.0, np.zeros(8)] + 0.5 * rng.standard_normal(100)
    >>> np.flatnonzero(L0Regressor(alpha=0.1).fit(X, y).coef_)
    array([0, 1])
    """

    _parameter_constraints = {
        **_PenalizedRegressor._parameter_constraints,
        "l2_reg": [Interval(numbers.Real, 0, None, closed="left")],
    }
    _warn_alpha_max = False

    def __init__(
        self, alpha=1.0, *, l2_reg=0.0, fit_intercept=True, standardize=True, positive=False,
        penalty_factor=None, max_iter=1000, tol=1e-4, warm_start=False, selection="cyclic",
        random_state=None, polish=False,
    ):
        self.alpha = alpha
        self.l2_reg = l2_reg
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.positive = positive
        self.penalty_factor = penalty_factor
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start
        self.selection = selection
        self.random_state = random_state
        self.polish = polish

    def _penalty(self, n_features):
        return L0(alpha=float(self.alpha), l2_reg=float(self.l2_reg))


class GroupLasso(_PenalizedRegressor):
    __doc__ = """Linear regression with the group-lasso penalty (Yuan and Lin, 2006).

    Minimizes ``1/(2n) ||y - X w - b||^2 + alpha * sum_g weight_g ||w_g||_2``: whole
    groups of coefficients enter or leave together. Solved by working-set block
    coordinate descent: exact block soft-thresholding steps with each group's own
    Lipschitz constant, groups scored by their optimality violation.

    Parameters
    ----------
    alpha : float, default=1.0
        Regularization strength, >= 0, multiplying the weighted sum of group norms
        (raw columns: the group lasso does not standardize). ``alpha_max_`` zeroes every
        group.
    groups : int, list of int or list of array-like of int, default=1
        A group size (consecutive features ``[0..size-1], [size..2 size-1], ...``), a flat
        list of consecutive group sizes (celer's and skglm's convention: ``[2, 3]`` means
        ``[[0, 1], [2, 3, 4]]``; they must add up to ``n_features``), or the feature
        indices of each group; the groups must partition the features.
    weights : array-like of shape (n_groups,), default=None
        Group weights; default ``sqrt(group size)``.
    positive : bool, default=False
        Constrain the coefficients to be nonnegative (the block prox then shrinks the
        positive part of each group).
    fit_intercept : bool, default=True
        Fit an unpenalized intercept.
    max_iter : int, default=1000
        Maximum number of block-coordinate epochs (passes over the working set of
        groups).
    tol : float, default=1e-4
        Stop when the largest group optimality violation is below ``tol`` times the
        gradient's natural scale (``std(y)`` times the columns' root mean square): a
        relative KKT criterion, as for :class:`MCPRegressor`.
    warm_start : bool, default=False
        Start from the previous ``coef_`` and ``intercept_`` when refitting on data
        with the same number of features.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
        Coefficients; a group is either all zero or (generically) all nonzero.
    intercept_ : float
        Intercept; 0.0 when ``fit_intercept=False``.
    n_iter_ : int
        Block-coordinate epochs run.
    stop_crit_ : float
        Largest group optimality violation reached (in gradient units).
    alpha_max_ : float
        Smallest alpha zeroing every group:
        ``max_g ||X_g^T (y - ybar)|| / (n weight_g)``.
""" + _FITTED_DOC.replace("""
        of the last solve.""", """
        of the solve.""") + """
    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.linear_model import GroupLasso
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((100, 6))
    >>> y = X[:, :2] @ np.array([2.0, -1.0]) + 0.1 * rng.standard_normal(100)
    >>> reg = GroupLasso(alpha=0.1, groups=2).fit(X, y)
    >>> np.flatnonzero(reg.coef_)
    array([0, 1])
    """

    _parameter_constraints = {
        "alpha": [Interval(numbers.Real, 0, None, closed="left")],
        "groups": [Interval(numbers.Integral, 1, None, closed="left"), list],
        "weights": ["array-like", None],
        "positive": ["boolean"],
        "fit_intercept": ["boolean"],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "tol": [Interval(numbers.Real, 0, None, closed="left")],
        "warm_start": ["boolean"],
    }
    _solver = "auto"
    _warn_alpha_max = False

    def __init__(self, alpha=1.0, *, groups=1, weights=None, positive=False,
                 fit_intercept=True, max_iter=1000, tol=1e-4, warm_start=False):
        self.alpha = alpha
        self.groups = groups
        self.weights = weights
        self.positive = positive
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start

    def _penalty(self, n_features):
        pen = GroupL1(alpha=float(self.alpha), groups=self.groups, weights=self.weights,
                      n_features=n_features)
        pen.struct_array()  # validates the partition with a clear message
        pen.params_array()
        return pen

    def _alpha_max(self, X, y, sw, pf, penalty):
        # max_g ||X_g^T sw (y - ybar)|| / (n weight_g)
        n = X.shape[0]
        w = np.ones(n) if sw is None else sw
        resid = y - (float(w @ y) / w.sum() if self.fit_intercept else 0.0)
        grad = np.asarray(X.T @ (w * resid)).ravel() / n
        if self.positive:  # only features that would move up leave zero
            grad = np.maximum(grad, 0.0)
        weights = penalty.group_weights()
        norms = np.array([np.linalg.norm(grad[g]) for g in penalty.group_list()])
        pos = weights > 0
        return float(np.max(norms[pos] / weights[pos])) if np.any(pos) else 0.0
