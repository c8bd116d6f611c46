"""Sparse Cox proportional-hazards regression: the estimator, its path and its CV.

Thin layers over :func:`~sparsestat.linear_model._glm.fit_penalized` /
:func:`~sparsestat.linear_model._glm.path_penalized` with the engine's
:class:`~sparsestat._engine.Cox` datafit (negative log partial likelihood / n, Breslow or
Efron ties). The cross-validation reuses the shared folds, grid, one-standard-error rule
and selection of the other ``*CV`` estimators.
"""

import numbers
import warnings

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context
from sklearn.exceptions import ConvergenceWarning, DataConversionWarning
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_consistent_length, check_is_fitted, validate_data

from .._engine import Cox
from .._engine._cox import survival_target
from ..metrics import concordance_index
from ..utils._model_selection import CVRoutingMixin, routed_folds
from ..utils._validation import check_finite_fit, check_grid, check_penalty_factor
from ._base import normalized_sample_weight, warm_start_init
from ._cv import _RegressorPathCV, alpha_grid
from ._glm import convergence_warning, fit_penalized, path_penalized, standardize_design
from ._logistic import logistic_penalty

__all__ = ["SparseCoxRegressor", "SparseCoxRegressorCV", "cox_path"]


def _validate_survival(estimator, X, y, reset=True):
    """``(X, y2)``: validated X and the target as ``[time, event]`` columns (float64)."""
    X = validate_data(estimator, X, reset=reset, accept_sparse="csc",
                      dtype=[np.float64, np.float32])
    if y is None:
        raise ValueError(f"{type(estimator).__name__} requires y to be passed, but the "
                         "target y is None (a survival target is needed).")
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1 and y.dtype.names is None:
        warnings.warn("A column-vector y was passed when a 1d array was expected: read as "
                      "event times, every event observed.", DataConversionWarning,
                      stacklevel=3)
    time, event = survival_target(y)
    check_consistent_length(X, time)
    if X.shape[0] < 2:
        raise ValueError(f"{type(estimator).__name__} needs at least 2 samples, got "
                         f"n_samples={X.shape[0]}.")
    return X, np.column_stack([time, event])


def _cox_alpha_max(X, y2, datafit, sw, l1_ratio, pf):
    """Smallest alpha zeroing every penalized coefficient: ``max_j |x_j^T g| / (n pf_j r)``.

    ``g`` is the score-space gradient of the partial likelihood at ``w = 0``; columns are
    centered first (the model is invariant to a column shift, so the gradient is too).
    """
    n = X.shape[0]
    g = datafit.raw_gradient(y2, np.zeros(n), sw)
    grad = np.abs(np.asarray(X.T @ g).ravel()) / n
    pen = pf > 0
    if not np.any(pen):
        return 0.0
    return float(np.max(grad[pen] / pf[pen])) / max(float(l1_ratio), 1e-3)


_PARAMS_DOC = """
    l1_ratio : float, default=1.0
        Elastic-net mixing in [0, 1] (``penalty="elasticnet"``): 1 is the lasso, 0 ridge.
    penalty : {"elasticnet", "mcp", "scad"}, default="elasticnet"
        The penalty: elastic net ``alpha * (l1_ratio |w|_1 + (1 - l1_ratio) / 2 |w|^2)``
        (scikit-survival's ``CoxnetSurvivalAnalysis`` and glmnet's scaling), or the
        nonconvex MCP / SCAD with concavity ``gamma``.
    gamma : float, default=None
        Concavity of MCP (default 3) or SCAD (default 3.7); unused for the elastic net.
    ties : {"breslow", "efron"}, default="breslow"
        Handling of tied event times in the partial likelihood (glmnet and
        scikit-survival's Coxnet use Breslow's).
    standardize : bool, default=False
        Penalize the coefficients of columns scaled to unit weighted variance (glmnet's
        default; scikit-survival's ``normalize``); ``coef_`` is on the raw scale.
    penalty_factor : array-like of shape (n_features,), default=None
        Per-feature multipliers of ``alpha`` (0 leaves a feature unpenalized).
    max_iter : int, default=1000
        Maximum number of outer (Newton) iterations of the solver.
    tol : float, default=1e-4
        Stop when the largest KKT violation is below ``tol`` times the gradient's natural
        scale at ``w = 0``."""


class SparseCoxRegressor(RegressorMixin, BaseEstimator):
    __doc__ = """Cox proportional-hazards regression with a sparse penalty.

    Minimizes ``-loglik(w) / n + penalty(w)`` where ``loglik`` is Cox's (weighted)
    partial log-likelihood of the linear predictor ``X w``; with the elastic net this is
    scikit-survival's ``CoxnetSurvivalAnalysis`` objective (glmnet's ``family="cox"``).
    The hazard of a sample is ``h0(t) exp(x^T w)``: ``predict`` returns the risk score
    ``x^T w`` (higher means an earlier event) and ``score`` Harrell's concordance index.
    Solved by the engine's working-set proximal Newton solver with the diagonal Hessian
    weights of the partial likelihood (as glmnet's coxnet).

    Parameters
    ----------
    alpha : float, default=1.0
        Regularization strength, >= 0. ``alpha_max_`` zeroes every coefficient.""" + \
        _PARAMS_DOC + """
    warm_start : bool, default=False
        Start from the previous ``coef_`` when refitting on data with the same number of
        features.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
        Log hazard ratios, on the raw scale of X, in the dtype of X.
    intercept_ : float
        Always 0.0: a constant cancels in the partial likelihood (kept for the shared
        linear-model machinery).
    alpha_max_ : float
        Smallest alpha zeroing every penalized coefficient (elastic net; for MCP / SCAD
        the same value, their slope at zero being ``alpha``).
    n_iter_ : int
        Iterations of the solver.
    stop_crit_ : float
        Largest KKT violation reached (in gradient units).
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when X has feature
        names that are all strings.

    See Also
    --------
    SparseCoxRegressorCV : alpha chosen by cross-validation.
    cox_path : the warm-started regularization path.
    sparsestat.metrics.concordance_index : the score.

    Notes
    -----
    ``y`` is scikit-survival's structured array (a boolean event field and a time
    field), an array of columns ``[time, event]`` (skglm's layout), or a 1-D array of
    times read as every event observed. Sample weights multiply each sample's event term
    and its share of every risk set, so with Breslow ties an integer weight is a
    repeated sample (glmnet's convention).

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.linear_model import SparseCoxRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((200, 5))
    >>> time = rng.exponential(np.exp(-(X[:, 0] - X[:, 1])))
    >>> event = rng.random(200) < 0.8
    >>> y = np.column_stack([time, event])
    >>> cox = SparseCoxRegressor(alpha=0.1).fit(X, y)
    >>> np.flatnonzero(cox.coef_)
    array([0, 1])
    >>> round(cox.score(X, y), 2)
    0.76
    """

    _parameter_constraints = {
        "alpha": [Interval(numbers.Real, 0, None, closed="left")],
        "l1_ratio": [Interval(numbers.Real, 0, 1, closed="both")],
        "penalty": [StrOptions({"elasticnet", "mcp", "scad"})],
        "gamma": [Interval(numbers.Real, 1, None, closed="neither"), None],
        "ties": [StrOptions({"breslow", "efron"})],
        "standardize": ["boolean"],
        "penalty_factor": ["array-like", None],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "tol": [Interval(numbers.Real, 0, None, closed="left")],
        "warm_start": ["boolean"],
    }

    def __init__(self, alpha=1.0, *, l1_ratio=1.0, penalty="elasticnet", gamma=None,
                 ties="breslow", standardize=False, penalty_factor=None, max_iter=1000,
                 tol=1e-4, warm_start=False):
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.penalty = penalty
        self.gamma = gamma
        self.ties = ties
        self.standardize = standardize
        self.penalty_factor = penalty_factor
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start

    def _penalty(self, alpha):
        return logistic_penalty(self.penalty, alpha, self.l1_ratio, self.gamma)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the model.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data, dense (float32 or float64) or sparse; never modified.
        y : structured array or array-like of shape (n_samples, 2) or (n_samples,)
            Survival target: scikit-survival's structured array (event, time), columns
            ``[time, event]``, or times with every event observed.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples, rescaled internally to sum to n_samples.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        X, y2 = _validate_survival(self, X, y)
        sw = normalized_sample_weight(sample_weight, X)
        p = X.shape[1]
        pf = check_penalty_factor(self.penalty_factor, p)
        datafit = Cox(ties=self.ties)
        design = standardize_design(X, sw, True) if self.standardize else None
        Xs = design[0] if self.standardize else X
        self.alpha_max_ = _cox_alpha_max(Xs, y2, datafit, sw,
                                         self.l1_ratio if self.penalty == "elasticnet"
                                         else 1.0, pf)
        coef_init, _ = warm_start_init(self, (p,))
        # fit_intercept=True only centers the standardized columns: the datafit has no
        # intercept (Cox.has_intercept is False) and the solver fits none
        fit = fit_penalized(
            X, y2, datafit, self._penalty(self.alpha), sample_weight=sw, fit_intercept=True,
            standardize=self.standardize, penalty_factor=pf, coef_init=coef_init,
            max_iter=self.max_iter, tol=self.tol, design=design)
        check_finite_fit(self, coef_=fit.coef)
        convergence_warning(self, fit.result, self.tol)
        self.coef_ = fit.coef.astype(X.dtype, copy=False)
        self.intercept_ = 0.0
        self.n_iter_ = fit.result.n_iter
        self.stop_crit_ = fit.result.stop_crit
        return self

    def predict(self, X):
        """Risk scores ``X @ coef_`` (log relative hazards; higher means earlier events).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples, with the features seen in :term:`fit`.

        Returns
        -------
        risk : ndarray of shape (n_samples,)
            The linear predictor of the proportional-hazards model.
        """
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse=["csr", "csc"], reset=False,
                          dtype=[np.float64, np.float32])
        return np.asarray(X @ self.coef_).ravel()

    def score(self, X, y, sample_weight=None):
        """Harrell's concordance index of the risk scores on ``(X, y)``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples, with the features seen in :term:`fit`.
        y : structured array or array-like of shape (n_samples, 2) or (n_samples,)
            Survival target, as in :meth:`fit`.
        sample_weight : array-like of shape (n_samples,), default=None
            A pair (i, j) counts ``sample_weight[i] * sample_weight[j]``.

        Returns
        -------
        score : float
            :func:`~sparsestat.metrics.concordance_index` of ``predict(X)``.
        """
        return concordance_index(y, self.predict(X), sample_weight=sample_weight)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags


def cox_path(X, y, *, l1_ratio=1.0, eps=1e-2, n_alphas=100, alphas=None, ties="breslow",
             sample_weight=None, standardize=False, penalty_factor=None, max_iter=1000,
             tol=1e-4):
    """Warm-started elastic-net Cox path (glmnet's ``family="cox"`` path).

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Training data; never modified.
    y : structured array or array-like of shape (n_samples, 2) or (n_samples,)
        Survival target, as in :meth:`SparseCoxRegressor.fit`.
    l1_ratio : float, default=1.0
        Elastic-net mixing in (0, 1].
    eps : float, default=1e-2
        ``alpha_min / alpha_max`` of the grid when ``alphas`` is None (glmnet's
        ``lambda.min.ratio`` for n < p; scikit-survival's default is 1e-4 for n > p).
    n_alphas : int, default=100
        Number of alphas on the log grid.
    alphas : array-like, default=None
        The alphas, visited in decreasing order; None means the log grid from
        ``alpha_max``.
    ties : {"breslow", "efron"}, default="breslow"
        Handling of tied event times.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights, rescaled to sum to n_samples.
    standardize : bool, default=False
        Penalize the coefficients of standardized columns (returned on the raw scale).
    penalty_factor : array-like of shape (n_features,), default=None
        Per-feature multipliers of alpha.
    max_iter : int, default=1000
        Maximum number of solver iterations per alpha.
    tol : float, default=1e-4
        KKT tolerance relative to the gradient's natural scale.

    Returns
    -------
    alphas : ndarray of shape (n_alphas,)
        The alphas, decreasing.
    coefs : ndarray of shape (n_features, n_alphas)
        Coefficients along the path, on the raw scale.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.linear_model import cox_path
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((100, 4))
    >>> y = np.column_stack([rng.exponential(np.exp(-X[:, 0])), rng.random(100) < 0.8])
    >>> alphas, coefs = cox_path(X, y, n_alphas=5)
    >>> coefs.shape
    (4, 5)
    >>> bool(np.all(coefs[:, 0] == 0))
    True
    """
    est = SparseCoxRegressor(l1_ratio=l1_ratio, ties=ties)
    X, y2 = _validate_survival(est, X, y)
    if not 0 < l1_ratio <= 1:
        raise ValueError(f"cox_path needs l1_ratio in (0, 1], got {l1_ratio}.")
    sw = normalized_sample_weight(sample_weight, X)
    pf = check_penalty_factor(penalty_factor, X.shape[1])
    datafit = Cox(ties=ties)
    design = standardize_design(X, sw, True) if standardize else None
    if alphas is None:
        amax = _cox_alpha_max(design[0] if standardize else X, y2, datafit, sw, l1_ratio, pf)
        alphas = alpha_grid(amax, eps, int(n_alphas))
    else:
        alphas = np.sort(check_grid(alphas, "alphas"))[::-1]
    coefs, _, results = path_penalized(
        X, y2, datafit, est._penalty(1.0), alphas, sample_weight=sw, fit_intercept=True,
        standardize=standardize, penalty_factor=pf, max_iter=max_iter, tol=tol,
        design=design)
    if not all(r.converged for r in results):
        warnings.warn("cox_path: some alphas did not converge; increase max_iter.",
                      ConvergenceWarning, stacklevel=2)
    return alphas, coefs


def _cox_fold(X, y2, sw, train, test, est, alphas, scoring, pf):
    """Held-out loss of every alpha of the path fitted on ``train`` (lower is better).

    ``"deviance"`` is Verweij and van Houwelingen's (1993) cross-validated partial
    likelihood, glmnet's default for Cox: ``2 [n F_all(X w) - n_tr F_train(X_tr w)]`` per
    unit of the held-out event weight (every held-out sample keeps its whole risk set).
    ``"concordance"`` returns ``1 - C``, Harrell's C of the held-out risk scores (a
    positive loss: the shared selection's tie rule is relative to the minimum).
    """
    sw_tr = None if sw is None else sw[train] * (train.size / sw[train].sum())
    datafit = Cox(ties=est.ties)
    coefs, _, _ = path_penalized(
        X[train], y2[train], datafit, est._penalty(1.0), alphas, sample_weight=sw_tr,
        fit_intercept=True, standardize=est.standardize, penalty_factor=pf,
        max_iter=est.max_iter, tol=est.tol)
    w_all = np.ones(X.shape[0]) if sw is None else sw
    out = np.empty(len(alphas))
    scores_all = np.asarray(X @ coefs)
    for k in range(len(alphas)):
        s = scores_all[:, k]
        if scoring == "concordance":
            try:
                out[k] = 1.0 - concordance_index(y2[test], s[test],
                                                 sample_weight=w_all[test])
            except ValueError:  # no comparable pair in this fold
                out[k] = np.nan
            continue
        full = X.shape[0] * datafit.value(y2, s, w_all)
        part = train.size * datafit.value(y2[train], s[train], w_all[train])
        d_test = float(np.sum(w_all[test] * y2[test, 1]))
        out[k] = 2.0 * (full - part) / d_test if d_test > 0 else np.nan
    return out


class SparseCoxRegressorCV(CVRoutingMixin, SparseCoxRegressor):
    __doc__ = """Sparse Cox regression with alpha chosen by cross-validation on paths.

    Each training fold fits the warm-started path down the alpha grid (computed on all
    the data) and scores every alpha on its held-out samples; the model is then refitted
    on all the data at the chosen alpha. As glmnet's ``cv.glmnet(family="cox")``.

    Parameters
    ----------
    alphas : int or array-like, default=100
        Number of alphas on a log grid from ``alpha_max`` down to ``eps * alpha_max``,
        or the alphas themselves.
    eps : float, default=1e-2
        ``alpha_min / alpha_max`` of the grid when ``alphas`` is an int.""" + \
        _PARAMS_DOC + """
    cv : int, cross-validation generator or iterable, default=None
        scikit-learn's ``cv``: None means 5-fold, an int k means k-fold (not shuffled).
    scoring : {"deviance", "concordance"}, default="deviance"
        ``"deviance"``: Verweij and van Houwelingen's cross-validated partial-likelihood
        deviance per held-out event (glmnet's default; each held-out sample is compared
        with its whole risk set, stable on small folds). ``"concordance"``: Harrell's C
        of the held-out risk scores (higher is better).
    alpha_select : {"min", "1se"}, default="min"
        Refit at the best alpha or at the largest alpha within one standard error of it
        (glmnet's ``lambda.1se``).
    n_jobs : int, default=None
        Number of threads fitting the folds' paths in parallel.

    Attributes
    ----------
    alpha_ : float
        The alpha of the refit (``alpha_min_`` or ``alpha_1se_``).
    alpha_min_ : float
        The alpha of the best mean cross-validated score.
    alpha_1se_ : float
        The largest alpha within one standard error of it.
    alphas_ : ndarray of shape (n_alphas,)
        The grid, decreasing.
    cv_scores_ : ndarray of shape (n_alphas, n_folds)
        Held-out deviance (per event), or concordance index, of every alpha on every
        fold (NaN where a fold has no event / no comparable pair).
    coef_ : ndarray of shape (n_features,)
        Refitted on all the data at ``alpha_``.
    intercept_ : float
        Always 0.0.
    alpha_max_ : float
        Smallest alpha zeroing every coefficient, on all the data.
    n_iter_ : int
        Solver iterations of the final refit.
    stop_crit_ : float
        Largest KKT violation of the final refit.
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when X has feature
        names that are all strings.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.linear_model import SparseCoxRegressorCV
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((200, 5))
    >>> y = np.column_stack([rng.exponential(np.exp(-2 * X[:, 0])), rng.random(200) < 0.8])
    >>> cv = SparseCoxRegressorCV(alphas=10, cv=3).fit(X, y)
    >>> int(np.argmax(np.abs(cv.coef_)))
    0
    """

    _parameter_constraints = {
        **{k: v for k, v in SparseCoxRegressor._parameter_constraints.items()
           if k not in ("alpha", "warm_start")},
        "alphas": [Interval(numbers.Integral, 1, None, closed="left"), "array-like"],
        "eps": [Interval(numbers.Real, 0, None, closed="neither")],
        "cv": ["cv_object"],
        "scoring": [StrOptions({"deviance", "concordance"})],
        "alpha_select": [StrOptions({"min", "1se"})],
        "n_jobs": [numbers.Integral, None],
    }

    def __init__(self, *, alphas=100, eps=1e-2, l1_ratio=1.0, penalty="elasticnet",
                 gamma=None, ties="breslow", standardize=False, penalty_factor=None,
                 max_iter=1000, tol=1e-4, cv=None, scoring="deviance", alpha_select="min",
                 n_jobs=None):
        self.alphas = alphas
        self.eps = eps
        self.l1_ratio = l1_ratio
        self.penalty = penalty
        self.gamma = gamma
        self.ties = ties
        self.standardize = standardize
        self.penalty_factor = penalty_factor
        self.max_iter = max_iter
        self.tol = tol
        self.cv = cv
        self.scoring = scoring
        self.alpha_select = alpha_select
        self.n_jobs = n_jobs

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, **params):
        """Fit the path on every fold, pick alpha, and refit on all the data.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data; never modified.
        y : structured array or array-like of shape (n_samples, 2) or (n_samples,)
            Survival target, as in :meth:`SparseCoxRegressor.fit`.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights, rescaled to sum to n_samples (within each training fold to
            its size).
        **params : dict
            Metadata for the CV splitter (e.g. ``groups``), with metadata routing
            enabled.

        Returns
        -------
        self : object
            The estimator refitted on all the data at ``alpha_``.
        """
        X, y2 = _validate_survival(self, X, y)
        Xr = X.tocsr() if hasattr(X, "tocsr") else X  # row slicing of the folds
        sw = normalized_sample_weight(sample_weight, X)
        pf = check_penalty_factor(self.penalty_factor, X.shape[1])
        l1 = self.l1_ratio if self.penalty == "elasticnet" else 1.0
        design = standardize_design(X, sw, True)[0] if self.standardize else X
        self.alpha_max_ = _cox_alpha_max(design, y2, Cox(ties=self.ties), sw, l1, pf)
        if isinstance(self.alphas, numbers.Integral):
            if l1 == 0:
                raise ValueError("l1_ratio=0 (ridge) has no alpha_max: give the alphas.")
            grid = alpha_grid(self.alpha_max_, self.eps, int(self.alphas))
        else:
            grid = np.sort(check_grid(self.alphas, "alphas"))[::-1]
        folds = routed_folds(self, X, y2[:, 0], sample_weight, params)
        out = Parallel(n_jobs=self.n_jobs, prefer="threads")(
            delayed(_cox_fold)(Xr, y2, sw, tr, te, self, grid, self.scoring, pf)
            for tr, te in folds)
        losses = np.column_stack(out)  # (n_alphas, n_folds), lower is better
        # a fold without events / comparable pairs says nothing: it gets the mean of the
        # others at that alpha (the selection needs finite numbers)
        if np.isnan(losses).all():
            raise ValueError("No fold has a held-out event to score: use fewer folds.")
        fill = np.nanmean(np.where(np.isnan(losses).all(axis=1, keepdims=True), 0.0, losses),
                          axis=1, keepdims=True)
        losses_f = np.where(np.isnan(losses), fill, losses)

        def refit(alpha, l1_ratio, path):
            params_ = {k: getattr(self, k) for k in (
                "l1_ratio", "penalty", "gamma", "ties", "standardize", "penalty_factor",
                "max_iter", "tol")}
            return SparseCoxRegressor(alpha=alpha, **params_).fit(X, y, sample_weight)

        # the shared selection (ties, 1-SE rule, refit) of the other *CV estimators
        shown = 1.0 - losses if self.scoring == "concordance" else losses
        _RegressorPathCV._select_and_refit(self, [l1], [grid], losses_f[None], shown[None],
                                           refit)
        self.cv_scores_ = self.__dict__.pop("mse_path_")
        return self
