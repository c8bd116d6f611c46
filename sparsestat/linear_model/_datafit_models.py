"""The shared fit of the single-datafit estimators (GLMs, Huber, linear SVM) and their path.

Each estimator of :mod:`._glm_regressors`, :mod:`._huber` and :mod:`._svc` names an
engine datafit (:meth:`_DatafitModel._datafit`) and a target encoding; the fit itself
(validation, offsets, penalty by name, :func:`~._glm.fit_penalized`, fitted attributes)
is written once here, as is :func:`glm_path`, the warm-started path of every datafit.
"""

import numbers
import warnings

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

from .._engine import Datafit, Gamma, Huber, Poisson, SquaredHinge, Tweedie, alpha_max_l1
from ..utils._validation import check_finite_fit, check_grid, check_penalty_factor
from ._base import normalized_sample_weight, warm_start_init
from ._glm import convergence_warning, fit_penalized, path_penalized, standardize_design
from ._logistic import logistic_penalty

__all__ = ["glm_path", "check_offset", "DatafitModel", "datafit_by_name"]

#: penalties these estimators accept by name (the engine's prox Newton serves every
#: separable penalty with every datafit)
PENALTIES = ("l1", "elasticnet", "mcp", "scad")


def check_offset(offset, n_samples):
    """``offset`` as a finite float64 array of shape (n_samples,), or None.

    A scalar is broadcast. The caller's array is never modified (a copy is returned).
    """
    if offset is None:
        return None
    if np.ndim(offset) == 0:
        value = float(offset)
        if not np.isfinite(value):
            raise ValueError(f"offset must be finite, got {value}.")
        return np.full(n_samples, value)
    off = check_array(offset, ensure_2d=False, dtype=np.float64, input_name="offset",
                      copy=True)
    if off.ndim != 1 or off.shape[0] != n_samples:
        raise ValueError(f"offset must have shape ({n_samples},) to match the number of "
                         f"samples, got {off.shape}.")
    return off


def datafit_by_name(name, *, power=1.5, delta=1.35):
    """The engine datafit behind a name of :func:`glm_path` (an engine object passes)."""
    if isinstance(name, Datafit):
        return name
    table = {"poisson": Poisson, "gamma": Gamma, "squared_hinge": SquaredHinge}
    if name in table:
        return table[name]()
    if name == "tweedie":
        return Tweedie(power=float(power))
    if name == "huber":
        return Huber(delta=float(delta))
    raise ValueError(f"Unknown datafit {name!r}: give one of 'poisson', 'gamma', "
                     "'tweedie', 'huber', 'squared_hinge' or an engine Datafit.")


def _grid(X, y, datafit, sw, offset, fit_intercept, pf, l1_ratio, eps, alphas):
    if isinstance(alphas, numbers.Integral):
        if l1_ratio == 0:
            raise ValueError("Automatic alpha grid generation is not supported for "
                             "l1_ratio=0: give the alphas.")
        amax = alpha_max_l1(X, y, sample_weight=sw, fit_intercept=fit_intercept,
                            penalty_factor=pf, l1_ratio=max(l1_ratio, 1e-3),
                            datafit=datafit, offset=offset)
        if amax <= 0:
            return np.full(int(alphas), np.finfo(float).resolution)
        return np.geomspace(amax, amax * eps, num=int(alphas))
    return np.sort(check_grid(alphas, "alphas"))[::-1]


def glm_path(
    X, y, *, datafit="poisson", power=1.5, delta=1.35, penalty="l1", l1_ratio=0.5,
    gamma=None, eps=1e-3, alphas=100, offset=None, sample_weight=None, fit_intercept=True,
    penalty_factor=None, standardize=False, max_iter=1000, tol=1e-4, solver="auto",
    return_n_iter=False,
):
    """Warm-started regularization path of a GLM, Huber or squared-hinge model.

    Objective, for each ``alpha``::

        (1 / n) sum_i sw_i f(y_i, x_i^T w + b + offset_i) + alpha * penalty(w)

    with ``f`` the half deviance of the Poisson, Gamma or Tweedie model (log link), the
    Huber loss of the residual, or the squared hinge ``max(0, 1 - y s)^2`` (labels
    -1 and +1). Each alpha starts from the previous solution (largest alpha first), as
    :func:`enet_path` does for least squares.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Design, dense or sparse; never modified.
    y : array-like of shape (n_samples,)
        Targets: nonnegative counts or rates (Poisson, Tweedie with power < 2),
        positive values (Gamma, Tweedie with power >= 2), any reals (Huber), labels in
        {-1, +1} (squared hinge).
    datafit : {"poisson", "gamma", "tweedie", "huber", "squared_hinge"} or Datafit, \
            default="poisson"
        The loss ``f``, by name or as an engine datafit object.
    power : float, default=1.5
        Tweedie power (``datafit="tweedie"`` only), 1 or above.
    delta : float, default=1.35
        Huber threshold in units of ``y`` (``datafit="huber"`` only).
    penalty : {"l1", "elasticnet", "mcp", "scad"}, default="l1"
        The penalty whose strength runs along the path.
    l1_ratio : float, default=0.5
        L1 share of ``penalty="elasticnet"``.
    gamma : float, default=None
        Concavity of MCP (None means 3) or SCAD (None means 3.7).
    eps : float, default=1e-3
        ``alpha_min / alpha_max`` when ``alphas`` is an integer.
    alphas : int or array-like, default=100
        Number of alphas on a log grid from ``alpha_max`` (the smallest alpha giving an
        all-zero solution at the intercept-only fit, offsets included) down to
        ``eps * alpha_max``, or the alphas themselves (visited in decreasing order).
    offset : array-like of shape (n_samples,), default=None
        Known part of the linear predictor (e.g. log exposure), not fitted.
    sample_weight : array-like of shape (n_samples,), default=None
        Weights of the per-sample losses, used as given.
    fit_intercept : bool, default=True
        Fit an unpenalized intercept at every alpha.
    penalty_factor : array-like of shape (n_features,), default=None
        Per-feature multipliers of the penalty (0 leaves a feature unpenalized).
    standardize : bool, default=False
        Penalize the coefficients of standardized columns (returned on the raw scale).
    max_iter : int, default=1000
        Maximum number of solver iterations per alpha.
    tol : float, default=1e-4
        Largest violation of the optimality conditions, relative to the columns' root
        mean square.
    solver : {"auto", "prox_newton", "cd", "fista"}, default="auto"
        The engine's solver ("auto": proximal Newton for the log-link datafits,
        coordinate descent for Huber and squared hinge).
    return_n_iter : bool, default=False
        Whether to also return the iterations run at each alpha.

    Returns
    -------
    alphas : ndarray of shape (n_alphas,)
        The alphas of the path, in decreasing order.
    coefs : ndarray of shape (n_features, n_alphas)
        Coefficients at each alpha.
    intercepts : ndarray of shape (n_alphas,)
        Intercepts at each alpha (zeros when ``fit_intercept=False``).
    n_iters : ndarray of shape (n_alphas,)
        Iterations run at each alpha. Only returned when ``return_n_iter=True``.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.linear_model import glm_path
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((100, 5))
    >>> y = rng.poisson(np.exp(0.5 * X[:, 0]))
    >>> alphas, coefs, intercepts = glm_path(X, y, datafit="poisson", alphas=5)
    >>> coefs.shape
    (5, 5)
    >>> int(np.count_nonzero(coefs[:, -1]))  # every feature enters at the smallest alpha
    5
    """
    X = check_array(X, accept_sparse="csc", dtype=[np.float64, np.float32], order="F")
    y = check_array(y, ensure_2d=False, dtype=np.float64)
    if y.ndim != 1 or y.shape[0] != X.shape[0]:
        raise ValueError(f"y must have shape ({X.shape[0]},), got {y.shape}.")
    df = datafit_by_name(datafit, power=power, delta=delta)
    n, p = X.shape
    sw = None if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    off = check_offset(offset, n)
    pf = check_penalty_factor(penalty_factor, p)
    design = standardize_design(X, sw, fit_intercept) if standardize else None
    grid = _grid(X if design is None else design[0], y, df, sw, off, fit_intercept, pf,
                 l1_ratio if penalty == "elasticnet" else 1.0, eps, alphas)
    pen = logistic_penalty(penalty, 1.0, l1_ratio, gamma)
    coefs, intercepts, results = path_penalized(
        X, y, df, pen, grid, sample_weight=sw, fit_intercept=fit_intercept,
        standardize=standardize, penalty_factor=pf, solver=solver, max_iter=max_iter,
        tol=tol, design=design, offset=off)
    if any(not r.converged for r in results):
        warnings.warn("The solver did not converge for some alphas of the path; increase "
                      "max_iter.", ConvergenceWarning, stacklevel=2)
    coefs = coefs.astype(X.dtype, copy=False)
    if return_n_iter:
        return grid, coefs, intercepts, np.array([r.n_iter for r in results])
    return grid, coefs, intercepts


class DatafitModel(BaseEstimator):
    """Shared fit of the estimators of one engine datafit and a penalty chosen by name.

    Subclasses define ``_datafit()`` (the engine object), ``_encode_target(y)`` (the
    validated target as the datafit's float64 array) and their public ``fit`` (whose
    signature and docstring they own), which calls :meth:`_fit`.  ``_fit`` returns the
    validated ``X`` and encoded ``y`` for attributes computed on the training data.
    """

    _common_constraints = {
        "alpha": [Interval(numbers.Real, 0, None, closed="left")],
        "penalty": [StrOptions(set(PENALTIES))],
        "l1_ratio": [Interval(numbers.Real, 0, 1, closed="both")],
        "gamma": [Interval(numbers.Real, 0, None, closed="neither"), None],
        "fit_intercept": ["boolean"],
        "standardize": ["boolean", StrOptions({"auto"})],
        "penalty_factor": ["array-like", None],
        "solver": [StrOptions({"auto", "prox_newton", "cd", "fista"})],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "tol": [Interval(numbers.Real, 0, None, closed="left")],
        "warm_start": ["boolean"],
    }
    _y_numeric = True

    def _datafit(self):
        raise NotImplementedError

    def _encode_target(self, y):
        return np.asarray(y, dtype=np.float64)

    def _standardize(self):
        if self.standardize == "auto":
            return self.penalty in ("mcp", "scad")
        return bool(self.standardize)

    def _penalty(self, alpha):
        return logistic_penalty(self.penalty, alpha, self.l1_ratio, self.gamma)

    def _fit(self, X, y, sample_weight, offset, alpha=None):
        X, y = validate_data(self, X, y, accept_sparse="csc", dtype=[np.float64, np.float32],
                             order="F", y_numeric=self._y_numeric)
        y = self._encode_target(y)
        off = check_offset(offset, X.shape[0])
        sw = normalized_sample_weight(sample_weight, X)
        p = X.shape[1]
        pf = check_penalty_factor(self.penalty_factor, p)
        coef_init, intercept_init = self._warm_start(p)
        datafit = self._datafit()
        if coef_init is None and self.fit_intercept:
            # the intercept-only optimum: w = 0 is then the exact answer from alpha_max up,
            # where a start at b = 0 lets the first Newton step leave a tiny nonzero
            b0 = datafit.intercept_only(y, sw, off)
            intercept_init = b0 if np.isfinite(b0) else 0.0
        fit = fit_penalized(
            X, y, datafit, self._penalty(self.alpha if alpha is None else alpha),
            sample_weight=sw, fit_intercept=self.fit_intercept,
            standardize=self._standardize(), penalty_factor=pf, coef_init=coef_init,
            intercept_init=intercept_init, solver=self.solver, max_iter=self.max_iter,
            tol=self.tol, offset=off)
        check_finite_fit(self, coef_=fit.coef, intercept_=fit.intercept)
        convergence_warning(self, fit.result, self.tol)
        self.coef_ = fit.coef.astype(X.dtype, copy=False)
        self.intercept_ = float(fit.intercept)
        self.n_iter_ = int(fit.result.n_iter)
        self.stop_crit_ = float(fit.result.stop_crit)
        return X, y

    def _warm_start(self, p):
        return warm_start_init(self, (p,))

    def _linear_predictor(self, X, offset=None):
        """``X @ coef_ + intercept_ + offset`` on validated X (one row of coefficients)."""
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse=["csr", "csc"], reset=False,
                          dtype=[np.float64, np.float32])
        eta = np.asarray(X @ np.ravel(self.coef_), dtype=np.float64).ravel() + \
            float(np.ravel(self.intercept_)[0])
        off = check_offset(offset, X.shape[0])
        return eta if off is None else eta + off

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags

