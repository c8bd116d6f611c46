"""Cross-validated sparse regression and classification on warm-started paths.

Each fold fits the whole regularization path once, warm-started from ``alpha_max`` down
(one layout, one standardization per fold), and scores every alpha on the held-out part;
folds run in parallel threads (the kernels release the GIL). GridSearchCV over the same
grid refits every (alpha, fold) pair from scratch.
"""

import numbers
import warnings

import numpy as np
from joblib import Parallel, delayed
from scipy.special import logsumexp
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils._metadata_requests import _raise_for_params
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_random_state, column_or_1d, validate_data

from .._engine import ElasticNet as ElasticNetPenalty
from .._engine import Logistic, Quadratic, alpha_max_l1
from .._engine._colops import take_rows_f
from .._engine._multinomial import solve_multinomial
from .._engine.solvers import magnitude_unit
from ..utils._model_selection import CVRoutingMixin, one_se_index, routed_folds
from ..utils._progress import progress
from ..utils._validation import check_grid, check_penalty_factor
from ._base import LinearPredictorMixin, normalized_sample_weight, validate_regression_input
from ._coordinate_descent import _PRECOMPUTE_TO_SOLVER, NO_RIDGE_GRID, ElasticNet, Lasso
from ._glm import fit_penalized, path_penalized, standardize_design
from ._logistic import SparseLogisticRegression, logistic_penalty
from ._nonconvex import MCPRegressor, mcp_penalty
from ._scaleout import StatsPathCVMixin

__all__ = ["LassoCV", "ElasticNetCV", "MCPRegressorCV", "SparseLogisticRegressionCV"]

_CV_TIE_RTOL = 1e-12


def alpha_grid(alpha_max, eps, n_alphas):
    """``n_alphas`` values from ``alpha_max`` down to ``eps * alpha_max``, log-spaced."""
    if alpha_max <= 0:
        return np.full(n_alphas, np.finfo(float).resolution)
    return np.geomspace(alpha_max, alpha_max * eps, num=n_alphas)


def _take(X, idx):
    """The rows ``idx`` of X (one copy; a dense X's come back C-ordered, whatever its
    layout: numpy puts the indexed axis first). The engine's centering then writes the
    F-ordered copy it solves on in one pass (``centered_f_copy``); gathering F-ordered
    rows would change the fold means' rounding (``sw @ X`` runs another BLAS kernel)."""
    if isinstance(X, np.ndarray) and X.ndim == 2:
        return X.T[:, idx].T
    return X[idx]


def _regression_fold(X, y, sw, train, test, penalty, alphas, fit_intercept, standardize,
                     pf, positive, max_iter, tol, solver="auto", seed=None, ws_gram=False):
    """Held-out mean squared error of every alpha of the path fitted on ``train``.

    Returns ``(errors, converged, coefs)``: the errors come from one matrix product
    ``X_test @ coefs`` for the whole grid, ``coefs`` of shape ``(p, n_alphas)``.
    """
    sw_tr = None if sw is None else sw[train] * (train.size / sw[train].sum())
    coefs, intercepts, results = path_penalized(
        _take(X, train), y[train], Quadratic(), penalty, alphas, sample_weight=sw_tr,
        fit_intercept=fit_intercept, standardize=standardize, penalty_factor=pf,
        positive=positive, max_iter=max_iter, tol=tol, solver=solver,
        random_seed=seed, ws_gram=ws_gram, records=False)
    converged = bool(np.all(results))
    pred = np.asarray(_take(X, test) @ coefs) + intercepts
    # in units of the whole y's magnitude, the same on every fold: squares of |y| > 1e154
    # overflow (the caller multiplies the unit back for mse_path_)
    resid = ((y[test][:, None] - pred) / magnitude_unit(y)) ** 2
    if sw is None:
        return resid.mean(axis=0), converged, coefs
    w = sw[test]
    return (w @ resid) / w.sum(), converged, coefs


class _RegressorPathCV(CVRoutingMixin, StatsPathCVMixin, LinearPredictorMixin, RegressorMixin,
                       BaseEstimator):
    """Shared fit of the cross-validated regressors."""

    _common_constraints = {
        "eps": [Interval(numbers.Real, 0, None, closed="neither")],
        "alphas": [Interval(numbers.Integral, 1, None, closed="left"), "array-like"],
        "fit_intercept": ["boolean"],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "tol": [Interval(numbers.Real, 0, None, closed="left")],
        "cv": ["cv_object"],
        "n_jobs": [numbers.Integral, None],
        "positive": ["boolean"],
        "penalty_factor": ["array-like", None],
        "copy_X": ["boolean"],
        "verbose": ["verbose"],
        "alpha_select": [StrOptions({"min", "1se"})],
    }
    _standardize = False
    _ws_gram = False

    def _l1_ratios(self):
        return [1.0]

    def _penalty(self, l1_ratio):
        raise NotImplementedError

    def _refit(self, alpha, l1_ratio, X, y, sample_weight, alphas):
        raise NotImplementedError

    def _validate_fit_data(self, X, y):
        X, y = validate_regression_input(self, X, y, accept_sparse="csr", multi_output=True)
        if y.ndim == 2 and y.shape[1] > 1:
            raise ValueError(f"For multi-task outputs, use MultiTask{type(self).__name__}")
        return X, column_or_1d(y, warn=True)

    def _alpha_max(self, X, y, sw, l1_ratio, pf):
        return alpha_max_l1(X, y, sample_weight=sw, fit_intercept=self.fit_intercept,
                            penalty_factor=pf, l1_ratio=max(l1_ratio, 1e-3),
                            positive=self.positive)

    def _fold_mse(self, X, y, sw, train, test, l1_ratio, grid, pf, standardize):
        precompute = getattr(self, "precompute", "auto")
        solver = "gram" if not isinstance(precompute, (str, bool, np.bool_)) else \
            _PRECOMPUTE_TO_SOLVER[precompute]
        # "auto" folds of a dense Lasso / elastic net: working-set CD on cached Gram
        # rows (solve_path's ws_gram; 2.5-3x coordinate descent on X at 160 x 500)
        return _regression_fold(
            X, y, sw, train, test, self._penalty(l1_ratio), grid, self.fit_intercept,
            standardize, pf, self.positive, self.max_iter, self.tol, solver,
            self._seed(), ws_gram=isinstance(precompute, str) and self._ws_gram)[0]

    def _seed(self):
        if getattr(self, "selection", "cyclic") != "random":
            return None
        return int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, **params):
        """Fit the path on every fold, pick alpha, and refit on all the data.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data, dense or sparse; never modified.
        y : array-like of shape (n_samples,)
            Target values.
        sample_weight : float or array-like of shape (n_samples,), default=None
            Weights of the squared residuals, rescaled to sum to n_samples (and within
            each training fold to sum to its size); the held-out errors are weighted
            means with the same weights. A scalar means no weights.
        **params : dict
            Metadata for the CV splitter (e.g. ``groups`` for ``GroupKFold``), routed
            as in scikit-learn: only with ``sklearn.set_config(enable_metadata_routing=True)``;
            otherwise scikit-learn's error.

        Returns
        -------
        self : object
            The estimator refitted on all the data at ``alpha_``.
        """
        _raise_for_params(params, self, "fit")  # scikit-learn's error comes first
        if self._fit_scaleout(X, y, sample_weight):  # dask input: one pass, fold statistics
            return self
        X, y = self._validate_fit_data(X, y)
        if isinstance(sample_weight, numbers.Number):
            sample_weight = None
        sw = normalized_sample_weight(sample_weight, X)
        p = X.shape[1]
        pf = check_penalty_factor(self.penalty_factor, p)
        standardize = self._standardize and getattr(self, "standardize", False)
        l1_ratios = self._l1_ratios()
        design_full = standardize_design(X, sw, self.fit_intercept)[0] if standardize else X
        grids = []
        for l1_ratio in l1_ratios:
            if isinstance(self.alphas, numbers.Integral):
                if l1_ratio == 0:
                    raise ValueError(NO_RIDGE_GRID)
                amax = self._alpha_max(design_full, y, sw, l1_ratio, pf)
                grids.append(alpha_grid(amax, self.eps, int(self.alphas)))
            else:
                grids.append(np.sort(check_grid(self.alphas, "alphas"))[::-1])
        folds = routed_folds(self, X, y, sample_weight, params)
        jobs = [(i, k) for i in range(len(l1_ratios)) for k in range(len(folds))]
        out = list(progress(Parallel(n_jobs=self.n_jobs, prefer="threads",
                                     return_as="generator")(
            delayed(self._fold_mse)(X, y, sw, folds[k][0], folds[k][1], l1_ratios[i],
                                    grids[i], pf, standardize)
            for i, k in jobs), getattr(self, "verbose", 0),
            f"{type(self).__name__}: paths on the folds", total=len(jobs)))
        mse = np.empty((len(l1_ratios), len(grids[0]), len(folds)))
        for (i, k), m in zip(jobs, out):
            mse[i, :, k] = m
        unit = magnitude_unit(y)
        with np.errstate(over="ignore"):  # inf where the true error exceeds float range
            mse_caller = mse * unit * unit if unit != 1.0 else mse
        self._select_and_refit(
            l1_ratios, grids, mse, mse_caller,
            lambda alpha, l1_ratio, path: self._refit(alpha, l1_ratio, X, y, sample_weight,
                                                      path))
        return self

    def _select_and_refit(self, l1_ratios, grids, mse, mse_path, refit):
        """Choose ``l1_ratio_`` and ``alpha_`` from the fold errors, store them, refit.

        ``mse`` holds the held-out errors, shape ``(n_l1_ratio, n_alphas, n_folds)``;
        ``mse_path`` the same in the caller's units (what ``mse_path_`` reports);
        ``refit(alpha, l1_ratio, alphas)`` fits the final model warm-started down
        ``alphas``. Shared by the in-memory fit and the fit from fold statistics.
        """
        mean = mse.mean(axis=2)
        # Errors equal up to rounding (the same model at two alphas, e.g. past the point
        # where the fit interpolates) must not be told apart by the last bits, or a
        # weighted fit and its repeated-rows twin pick different alphas: the first
        # (largest alpha, sparsest model) within a relative 1e-12 of the minimum wins.
        near_best = mean <= mean.min() * (1.0 + _CV_TIE_RTOL)
        i_best, a_best = np.unravel_index(np.argmax(near_best), mean.shape)
        a_1se = one_se_index(mean[i_best], mse[i_best], a_best)
        self.l1_ratio_ = float(l1_ratios[i_best])
        self.alpha_min_ = float(grids[i_best][a_best])
        self.alpha_1se_ = float(grids[i_best][a_1se])
        a_sel = a_1se if self.alpha_select == "1se" else a_best
        self.alpha_ = float(grids[i_best][a_sel])
        # scikit-learn: one row per l1_ratio for its own grids, the given alphas once
        several_grids = len(l1_ratios) > 1 and isinstance(self.alphas, numbers.Integral)
        self.alphas_ = np.asarray(grids) if several_grids else grids[0]
        # the held-out errors under the estimator's name for them (deviance_path_...)
        setattr(self, getattr(self, "_cv_path_attr", "mse_path_"),
                mse_path if len(l1_ratios) > 1 else mse_path[0])
        model = refit(self.alpha_, self.l1_ratio_, grids[i_best][: a_sel + 1])
        self.coef_ = model.coef_
        self.intercept_ = model.intercept_
        self.n_iter_ = model.n_iter_
        for name in ("dual_gap_", "stop_crit_", "locally_convex_"):
            if hasattr(model, name):
                setattr(self, name, getattr(model, name))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags


_CV_PARAMS_DOC = """
    eps : float, default=1e-3
        ``alpha_min / alpha_max`` of the grid when ``alphas`` is an int.
    alphas : int or array-like, default=100
        Number of alphas on a log grid from ``alpha_max`` (computed on all the data, as
        scikit-learn does), or the alphas themselves (visited in decreasing order).
    fit_intercept : bool, default=True
        Fit an unpenalized intercept, in every fold and in the final refit.
    max_iter : int, default=1000
        Maximum number of coordinate-descent epochs per alpha of each fold's path, and
        for the final refit.
    tol : float, default=1e-4
        Stopping tolerance of every solve, with the meaning it has for the refitted
        estimator: TOL_MEANING.
    cv : int, cross-validation generator or iterable, default=None
        scikit-learn's ``cv``: None means 5-fold, an int k means k-fold (not shuffled),
        or a splitter / iterable of (train, test) index arrays. Metadata such as
        ``groups`` reach its ``split`` through ``fit(..., **params)`` with metadata
        routing enabled.
    n_jobs : int, default=None
        Number of threads fitting the folds' paths (and ``l1_ratio`` values) in
        parallel; the compiled kernels release the GIL. None means 1 unless in a
        :obj:`joblib.parallel_backend` context, -1 means all processors.
    positive : bool, default=False
        Constrain the coefficients to be nonnegative.
    penalty_factor : array-like of shape (n_features,), default=None
        Per-feature multipliers of the penalty (0 leaves a feature unpenalized); they
        also enter ``alpha_max`` and so the grid.
    copy_X : bool, default=True
        scikit-learn's parameter: X is never modified, so both values are safe.
    verbose : bool or int, default=False
        Progress of the path fits on the folds: 0 silent; 1 a progress bar (tqdm, if
        installed; else a few lines); 2 or more one line per fold. On standard error.
    alpha_select : {"min", "1se"}, default="min"
        Refit at the alpha of least mean CV error (``"min"``, scikit-learn's choice) or at
        the largest alpha whose mean CV error is within one standard error of that
        minimum (``"1se"``, glmnet's ``lambda.1se``: a sparser model as good within the
        noise of cross-validation). Both are stored (``alpha_min_``, ``alpha_1se_``).
"""

_CV_EXTRA_PARAMS_DOC = """
    precompute : {"auto", True, False} or array-like, default="auto"
        The solver of every path and of the refit, as in :class:`ElasticNet` (a Gram
        array is used for the final refit; folds compute their own). With "auto" the
        folds of a dense design without sample weights run working-set coordinate
        descent on Gram rows computed on demand (the same stopping test; 2.5-4x
        coordinate descent on X at 200 x 500).
    random_state : int, RandomState instance or None, default=None
        Seeds the visiting order when ``selection="random"``.
    selection : {"cyclic", "random"}, default="cyclic"
        Visit the working set's coordinates in order, or in a random order each epoch.
"""

_LASSO_TOL = ("the duality gap\n        relative to ``||y - ybar||^2 / n`` (see "
              ":class:`Lasso`)")
_MCP_TOL = ("the largest KKT\n        violation relative to the gradient's natural scale "
            "(see :class:`MCPRegressor`)")

_CV_ATTRS_DOC = """
    Attributes
    ----------
    alpha_ : float
        The alpha of the refit: ``alpha_min_`` or ``alpha_1se_`` per ``alpha_select``.
    alpha_min_ : float
        The alpha of least mean cross-validated squared error (the largest such alpha
        when several tie up to a relative 1e-12).
    alpha_1se_ : float
        The largest alpha within one standard error of that minimum (for the chosen
        ``l1_ratio``).
    alphas_ : ndarray of shape (n_alphas,) or (n_l1_ratio, n_alphas)
        The grid of alphas, in decreasing order. Two-dimensional (one row per ``l1_ratio``)
        only for an integer ``alphas`` and several ``l1_ratio``, as in scikit-learn.
    mse_path_ : ndarray of shape (n_alphas, n_folds) or (n_l1_ratio, n_alphas, n_folds)
        Held-out mean squared error of every alpha on every fold.
    coef_ : ndarray of shape (n_features,)
        Refitted on all the data at ``alpha_``.
    intercept_ : float
        Intercept of the refit; 0.0 when ``fit_intercept=False``.
    n_iter_ : int
        Coordinate-descent epochs of the final refit.
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when X has feature
        names that are all strings.
"""


class ElasticNetCV(_RegressorPathCV):
    __doc__ = """Elastic net with alpha (and l1_ratio) chosen by cross-validation on paths.

    scikit-learn's ``ElasticNetCV`` semantics: the same alpha grid (from all the data),
    the path fitted on each training fold, mean squared error on the held-out fold, a
    final refit at the best ``(alpha, l1_ratio)``. Folds run in parallel threads.

    Parameters
    ----------
    l1_ratio : float or list of float, default=0.5
        Mix of L1 (1.0) and L2 (0.0) penalties, in [0, 1]; a list is searched together
        with alpha (each value gets its own grid, since ``alpha_max`` scales as
        ``1 / l1_ratio``).""" + _CV_PARAMS_DOC.replace("TOL_MEANING", _LASSO_TOL) + _CV_EXTRA_PARAMS_DOC + """
    Attributes
    ----------
    l1_ratio_ : float
        The l1_ratio of the best (alpha, l1_ratio) pair.""" + _CV_ATTRS_DOC.split(
        "----------", 1)[1] + """
    dual_gap_ : float
        Duality gap of the final refit, in the objective's units.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.linear_model import ElasticNetCV
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((100, 8))
    >>> y = X[:, 0] - 2 * X[:, 1] + 0.1 * rng.standard_normal(100)
    >>> reg = ElasticNetCV(l1_ratio=[0.5, 1.0], alphas=20, cv=3).fit(X, y)
    >>> reg.mse_path_.shape
    (2, 20, 3)
    """

    _parameter_constraints = {
        **_RegressorPathCV._common_constraints,
        "l1_ratio": [Interval(numbers.Real, 0, 1, closed="both"), "array-like"],
        "precompute": [StrOptions({"auto"}), "array-like", "boolean"],
        "random_state": ["random_state"],
        "selection": [StrOptions({"cyclic", "random"})],
    }
    _ws_gram = True

    def __init__(self, *, l1_ratio=0.5, eps=1e-3, alphas=100, fit_intercept=True,
                 precompute="auto", max_iter=1000, tol=1e-4, cv=None, copy_X=True,
                 verbose=0, n_jobs=None, positive=False, random_state=None,
                 selection="cyclic", penalty_factor=None, alpha_select="min"):
        self.l1_ratio = l1_ratio
        self.eps = eps
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.precompute = precompute
        self.max_iter = max_iter
        self.tol = tol
        self.cv = cv
        self.copy_X = copy_X
        self.verbose = verbose
        self.n_jobs = n_jobs
        self.positive = positive
        self.random_state = random_state
        self.selection = selection
        self.penalty_factor = penalty_factor
        self.alpha_select = alpha_select

    def _model_params(self):
        return dict(fit_intercept=self.fit_intercept, precompute=self.precompute,
                    max_iter=self.max_iter, tol=self.tol, positive=self.positive,
                    copy_X=self.copy_X, random_state=self.random_state,
                    selection=self.selection, penalty_factor=self.penalty_factor)

    def _l1_ratios(self):
        return list(check_grid(self.l1_ratio, "l1_ratio", low=0.0, high=1.0))

    def _penalty(self, l1_ratio):
        return ElasticNetPenalty(alpha=1.0, l1_ratio=float(l1_ratio))

    def _refit(self, alpha, l1_ratio, X, y, sample_weight, alphas):
        # X and y passed fit's validation; a dense X is what the refit's own would give
        # back (no copy), so it is skipped (~1 ms per fit at 200 x 500). A sparse X (CSR
        # here, CSC there) and a Gram array (its spot check) keep it.
        checked = isinstance(X, np.ndarray) and isinstance(
            self.precompute, (str, bool, np.bool_))
        return ElasticNet(alpha=alpha, l1_ratio=l1_ratio, **self._model_params()).fit(
            X, y, sample_weight, check_input=not checked)


class LassoCV(ElasticNetCV):
    __doc__ = """Lasso with alpha chosen by cross-validation on warm-started paths.

    scikit-learn's ``LassoCV`` semantics (same grid, same folds give the same ``alpha_``)
    with the sparsestat solvers; folds run in parallel threads.

    Parameters
    ----------""" + _CV_PARAMS_DOC.replace("TOL_MEANING", _LASSO_TOL) + _CV_EXTRA_PARAMS_DOC + _CV_ATTRS_DOC + """\
    dual_gap_ : float
        Duality gap of the final refit, in the objective's units.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.linear_model import LassoCV
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((100, 8))
    >>> y = X[:, 0] - 2 * X[:, 1] + 0.1 * rng.standard_normal(100)
    >>> reg = LassoCV(cv=5).fit(X, y)
    >>> np.flatnonzero(np.abs(reg.coef_) > 0.05)
    array([0, 1])
    """

    _parameter_constraints = {
        k: v for k, v in ElasticNetCV._parameter_constraints.items() if k != "l1_ratio"
    }

    def __init__(self, *, eps=1e-3, alphas=100, fit_intercept=True, precompute="auto",
                 max_iter=1000, tol=1e-4, copy_X=True, cv=None, verbose=False, n_jobs=None,
                 positive=False, random_state=None, selection="cyclic", penalty_factor=None,
                 alpha_select="min"):
        self.eps = eps
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.precompute = precompute
        self.max_iter = max_iter
        self.tol = tol
        self.copy_X = copy_X
        self.cv = cv
        self.verbose = verbose
        self.n_jobs = n_jobs
        self.positive = positive
        self.random_state = random_state
        self.selection = selection
        self.penalty_factor = penalty_factor
        self.alpha_select = alpha_select

    def _l1_ratios(self):
        return [1.0]

    def _refit(self, alpha, l1_ratio, X, y, sample_weight, alphas):
        return Lasso(alpha=alpha, **self._model_params()).fit(X, y, sample_weight)


class MCPRegressorCV(_RegressorPathCV):
    __doc__ = """MCP regression with alpha chosen by cross-validation (ncvreg's ``cv.ncvreg``).

    Each fold standardizes its training part and fits the MCP path from ``alpha_max``
    down with warm starts; the final model is the full-data path followed down to
    ``alpha_`` (so it is the same local solution the folds scored).

    Parameters
    ----------
    gamma : float, default=3.0
        Concavity parameter of MCP, > 0 (see :class:`MCPRegressor`).
    standardize : bool, default=True
        Standardize the columns of each training fold (and of all the data for the
        refit) and penalize the standardized coefficients, as ncvreg does; ``coef_`` is
        on the raw scale.""" + _CV_PARAMS_DOC.replace(
        "TOL_MEANING", _MCP_TOL).replace("default=1e-3\n", "default=1e-2\n") + _CV_ATTRS_DOC + (
        """    locally_convex_ : bool or None
        Whether the refitted objective restricted to the support is strictly convex at
        ``coef_`` (None when the support is too large to check).

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.linear_model import MCPRegressorCV
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((100, 8))
    >>> y = X[:, 0] - 2 * X[:, 1] + 0.5 * rng.standard_normal(100)
    >>> reg = MCPRegressorCV(alphas=30, cv=3).fit(X, y)
    >>> np.flatnonzero(reg.coef_)
    array([0, 1])
    """)

    _parameter_constraints = {
        **_RegressorPathCV._common_constraints,
        "gamma": [Interval(numbers.Real, 0, np.inf, closed="right")],
        "standardize": ["boolean"],
    }
    _standardize = True

    def __init__(self, *, gamma=3.0, standardize=True, eps=1e-2, alphas=100,
                 fit_intercept=True, max_iter=1000, tol=1e-4, cv=None, n_jobs=None,
                 positive=False, penalty_factor=None, copy_X=True, verbose=0,
                 alpha_select="min"):
        self.copy_X = copy_X
        self.verbose = verbose
        self.alpha_select = alpha_select
        self.gamma = gamma
        self.standardize = standardize
        self.eps = eps
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.cv = cv
        self.n_jobs = n_jobs
        self.positive = positive
        self.penalty_factor = penalty_factor

    def _penalty(self, l1_ratio):
        return mcp_penalty(1.0, float(self.gamma))

    def _refit(self, alpha, l1_ratio, X, y, sample_weight, alphas):
        model = MCPRegressor(
            alpha=float(alphas[0]), gamma=self.gamma, fit_intercept=self.fit_intercept,
            standardize=self.standardize, positive=self.positive,
            penalty_factor=self.penalty_factor, max_iter=self.max_iter, tol=self.tol,
            warm_start=True)
        total = 0
        if len(alphas) > 1 and hasattr(X, "shape"):
            # the path down to alpha_ as the folds ran it (one compiled call), then the
            # estimator's own fit at alpha_ warm-started there
            sw = normalized_sample_weight(sample_weight, X)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                coefs, intercepts, results = path_penalized(
                    X, y, Quadratic(), self._penalty(1.0), alphas[:-1], sample_weight=sw,
                    fit_intercept=self.fit_intercept, standardize=self.standardize,
                    penalty_factor=check_penalty_factor(self.penalty_factor, X.shape[1]),
                    positive=self.positive, max_iter=self.max_iter, tol=self.tol)
            total = sum(r.n_iter for r in results)
            model.coef_, model.intercept_ = coefs[:, -1].copy(), float(intercepts[-1])
        elif len(alphas) > 1:
            # sufficient statistics (dask / out-of-core input) are no design a path kernel
            # takes: the estimator follows the path one warm-started fit per alpha
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # NonconvexWarning, AlphaMaxWarning
                for a in alphas[:-1]:
                    total += model.set_params(alpha=float(a)).fit(X, y, sample_weight).n_iter_
        model.set_params(alpha=float(alphas[-1])).fit(X, y, sample_weight)
        model.n_iter_ += total  # epochs of the whole refit path
        return model


def _logistic_alpha_max(X, y_idx, n_classes, sw, fit_intercept, pf):
    n = X.shape[0]
    w = np.ones(n) if sw is None else sw
    if n_classes == 2:
        yb = np.where(y_idx == 1, 1.0, -1.0)
        return alpha_max_l1(X, yb, sample_weight=sw, fit_intercept=fit_intercept,
                            penalty_factor=pf, datafit=Logistic())
    freq = np.array([w[y_idx == k].sum() for k in range(n_classes)]) / w.sum()
    prob = freq if fit_intercept else np.full(n_classes, 1.0 / n_classes)
    onehot = (y_idx[:, None] == np.arange(n_classes)).astype(float)
    grad = np.asarray(X.T @ (w[:, None] * (prob[None, :] - onehot))) / n
    pen = pf > 0
    if not np.any(pen):
        return 0.0
    return float(np.max(np.abs(grad[pen]) / pf[pen][:, None]))


def _logistic_fold(X, y_idx, n_classes, sw, train, test, est, alphas, scoring):
    """Held-out score (higher is better) of every alpha, fitting the path on ``train``.

    ``X`` is a pair ``(X_train_source, X_test_source)``: for a sparse design a CSC copy
    (rows of a CSC matrix come out CSC, the solvers' layout: no conversion per fold) and
    the validated CSR matrix (cheap row slices for the held-out products).
    """
    X_fit, X_score = X
    standardize = est._standardize()
    if not standardize and isinstance(X_fit, np.ndarray) and X_fit.flags.f_contiguous:
        # the solvers' layout at once (no computation reads the rows before a solver's
        # F-ordered copy; standardizing does, and keeps C rows so its sums round as before).
        # ``train`` is an integer array (routed_folds normalizes every splitter's folds)
        Xtr = np.empty((train.size, X_fit.shape[1]), dtype=X_fit.dtype, order="F")
        take_rows_f(X_fit, train, Xtr)
    else:
        Xtr = _take(X_fit, train)
    ytr = y_idx[train]
    sw_tr = None if sw is None else sw[train] * (train.size / sw[train].sum())
    p = X_fit.shape[1]
    pf = check_penalty_factor(est.penalty_factor, p)
    design = standardize_design(Xtr, sw_tr, est.fit_intercept) if standardize else None
    multinomial = n_classes > 2 and est.multi_class == "multinomial"
    problems = [1] if n_classes == 2 else list(range(n_classes))
    coef = np.zeros((len(problems), p))
    intercept = np.zeros(len(problems))
    Xte = _take(X_score, test)
    y_te = y_idx[test]
    w_te = np.ones(test.size) if sw is None else sw[test]
    if not multinomial and est.penalty in ("l1", "elasticnet"):
        # a convex path: one compiled call per problem (the nonconvex penalties certify
        # every alpha's solution by single-coordinate moves, in fit_penalized)
        # (no warnings.catch_warnings here: folds run in joblib threads, where it is not
        # thread-safe, and path_penalized raises no ConvergenceWarning)
        paths = []
        for k in problems:
            coefs, intercepts, _ = path_penalized(
                Xtr, np.where(ytr == k, 1.0, -1.0), Logistic(),
                logistic_penalty(est.penalty, 1.0, est.l1_ratio, est.gamma), alphas,
                sample_weight=sw_tr, fit_intercept=est.fit_intercept,
                standardize=standardize, penalty_factor=pf, max_iter=est.max_iter,
                tol=est.tol, design=design)
            paths.append((coefs, intercepts))
        return _logistic_path_scores(Xte, paths, y_te, w_te, n_classes, scoring)
    scores = np.empty(len(alphas))
    for a, alpha in enumerate(alphas):
        penalty = logistic_penalty(est.penalty, alpha, est.l1_ratio, est.gamma)
        if multinomial:
            Xs, mean, scale, centered = design if standardize else (
                Xtr, np.zeros(p), np.ones(p), False)
            W0 = coef * scale
            b0 = intercept + (coef @ mean if centered else 0.0)
            W, b, *_ = solve_multinomial(
                Xs, ytr, n_classes, penalty, sample_weight=sw_tr,
                fit_intercept=est.fit_intercept, penalty_factor=pf, coef_init=W0,
                intercept_init=b0, max_iter=est.max_iter, tol=est.tol)
            coef = W / scale
            intercept = b - (coef @ mean if centered else 0.0)
        else:
            for row, k in enumerate(problems):
                f = fit_penalized(
                    Xtr, np.where(ytr == k, 1.0, -1.0), Logistic(), penalty,
                    sample_weight=sw_tr, fit_intercept=est.fit_intercept,
                    standardize=standardize, penalty_factor=pf, coef_init=coef[row],
                    intercept_init=intercept[row], max_iter=est.max_iter, tol=est.tol,
                    design=design)
                coef[row], intercept[row] = f.coef, f.intercept
        S = np.asarray(Xte @ coef.T) + intercept
        scores[a] = _logistic_scores(S[:, None, :], y_te, w_te, n_classes, scoring,
                                     multinomial)[0]
    return scores


#: decision values scored at once (n_test x alphas x problems): bounds the temporary arrays
_SCORE_BLOCK = 1 << 22


def _logistic_path_scores(Xte, paths, y_te, w_te, n_classes, scoring):
    """Held-out scores of every alpha of the paths ``[(coefs (p, n_alphas), intercepts)]``
    (one per problem): the decision values of a block of alphas from one product each."""
    n_alphas = paths[0][0].shape[1]
    step = max(1, _SCORE_BLOCK // max(1, Xte.shape[0] * len(paths)))
    scores = np.empty(n_alphas)
    for start in range(0, n_alphas, step):
        block = slice(start, min(start + step, n_alphas))
        S = np.stack([np.asarray(Xte @ coefs[:, block]) + intercepts[block]
                      for coefs, intercepts in paths], axis=2)
        scores[block] = _logistic_scores(S, y_te, w_te, n_classes, scoring)
    return scores


def _logistic_scores(S, y_test, w_te, n_classes, scoring, multinomial=False):
    """Held-out score of each alpha from the decision values ``S`` of shape
    ``(n_test, n_alphas, n_problems)`` (one problem for two classes: class 1's score).

    The weighted mean log-likelihood of the true classes (minus scikit-learn's
    ``log_loss``, without its clipping of probabilities at machine epsilon) or the
    weighted accuracy; every alpha in one array expression.
    """
    wsum = w_te.sum()
    if n_classes == 2:
        s = S[:, :, 0]
        if scoring == "accuracy":
            # class 1 where its score is > 0 (argmax of (0, s) takes class 0 on a tie)
            return w_te @ ((s > 0) == (y_test == 1)[:, None]) / wsum
        # log P(y) = -log(1 + exp(-s)) for class 1, -log(1 + exp(s)) for class 0
        sign = np.where(y_test == 1, -1.0, 1.0)
        return -(w_te @ np.logaddexp(0.0, sign[:, None] * s)) / wsum
    if scoring == "accuracy":
        return w_te @ (np.argmax(S, axis=2) == y_test[:, None]) / wsum
    # one-vs-rest: the problems' sigmoid probabilities renormalized; multinomial: softmax
    logp = S if multinomial else -np.logaddexp(0.0, -S)
    logp = logp - logsumexp(logp, axis=2, keepdims=True)
    return w_te @ logp[np.arange(S.shape[0]), :, y_test] / wsum


class SparseLogisticRegressionCV(CVRoutingMixin, SparseLogisticRegression):
    """Sparse logistic regression with alpha chosen by cross-validation on warm paths.

    Every fold fits the path from ``alpha_max`` down with warm starts and scores each
    alpha on its held-out part (mean log-likelihood, i.e. minus the log-loss, or
    accuracy); folds run in parallel threads. The final model is refitted on all the data
    at ``alpha_``.

    Parameters
    ----------
    alphas : int or array-like, default=50
        Number of alphas on a log grid from ``alpha_max`` (the smallest alpha zeroing
        every penalized coefficient, computed on all the data, divided by ``l1_ratio``
        for the elastic net) down to ``eps * alpha_max``, or the alphas themselves
        (visited in decreasing order).
    eps : float, default=1e-3
        ``alpha_min / alpha_max`` of the grid when ``alphas`` is an int.
    cv : int, cross-validation generator or iterable, default=None
        scikit-learn's ``cv``: None means 5-fold stratified, an int k means k-fold
        stratified, or a splitter / iterable of (train, test) index arrays.
    scoring : {"log_loss", "accuracy"}, default="log_loss"
        Held-out score maximized over the grid: the weighted mean log-likelihood of the
        true classes (minus the log-loss) or the weighted accuracy.
    penalty : {"l1", "elasticnet", "mcp", "scad"}, default="l1"
        The penalty, as in :class:`SparseLogisticRegression`.
    l1_ratio : float, default=0.5
        Mix of L1 (1.0) and L2 (0.0) for ``penalty="elasticnet"``; ignored otherwise.
    gamma : float, default=None
        Concavity of MCP (None means 3) or SCAD (None means 3.7, must be > 2); ignored
        by the convex penalties.
    multi_class : {"multinomial", "ovr"}, default="multinomial"
        For more than two classes: one softmax problem with every class's coefficients
        penalized, or one binary problem per class. Two classes always give one binary
        problem.
    fit_intercept : bool, default=True
        Fit unpenalized intercepts.
    standardize : bool or "auto", default="auto"
        Fit on standardized columns (penalizing the standardized coefficients);
        "auto" standardizes for MCP and SCAD only. ``coef_`` is on the raw scale.
    penalty_factor : array-like of shape (n_features,), default=None
        Per-feature multipliers of the penalty (0 leaves a feature unpenalized).
    max_iter : int, default=1000
        Maximum number of iterations of each solve (coordinate-descent epochs for binary
        and one-vs-rest problems, FISTA iterations for the multinomial one).
    tol : float, default=1e-4
        Stop each solve when the largest violation of the optimality conditions is below
        ``tol`` times the columns' root mean square (gradient units).
    n_jobs : int, default=None
        Number of threads fitting the folds' paths in parallel. None means 1 unless in
        a :obj:`joblib.parallel_backend` context, -1 means all processors.
    verbose : bool or int, default=0
        Progress of the path fits on the folds: 0 silent; 1 a progress bar (tqdm, if
        installed; else a few lines); 2 or more one line per fold. On standard error.
    alpha_select : {"min", "1se"}, default="min"
        Refit at the alpha of best mean held-out score (``"min"``) or at the largest
        alpha whose mean score is within one standard error of the best (``"1se"``,
        glmnet's ``lambda.1se``).

    Attributes
    ----------
    alpha_ : float
        The alpha of the refit (``alpha_min_`` or ``alpha_1se_``).
    alpha_min_ : float
        The alpha of best mean held-out score.
    alpha_1se_ : float
        The largest alpha within one standard error of the best score.
    alphas_ : ndarray of shape (n_alphas,)
        The grid of alphas, in decreasing order.
    scores_ : ndarray of shape (n_alphas, n_folds)
        Held-out score of every alpha on every fold (higher is better).
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    coef_ : ndarray of shape (1, n_features) or (n_classes, n_features)
        Coefficients refitted on all the data at ``alpha_`` (one row for two classes),
        on the raw scale of X.
    intercept_ : ndarray of shape (1,) or (n_classes,)
        Intercepts of the refit; zeros when ``fit_intercept=False``.
    n_iter_ : ndarray of shape (1,) or (n_classes,)
        Iterations of the refit per problem (one entry for binary or multinomial).
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when X has feature
        names that are all strings.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.linear_model import SparseLogisticRegressionCV
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((200, 8))
    >>> y = (X[:, 0] - X[:, 2] + 0.5 * rng.standard_normal(200) > 0).astype(int)
    >>> clf = SparseLogisticRegressionCV(alphas=20, cv=3).fit(X, y)
    >>> clf.scores_.shape
    (20, 3)
    """

    _parameter_constraints = {
        **{k: v for k, v in SparseLogisticRegression._parameter_constraints.items()
           if k not in ("alpha", "warm_start", "selection", "random_state")},
        "alphas": [Interval(numbers.Integral, 1, None, closed="left"), "array-like"],
        "eps": [Interval(numbers.Real, 0, None, closed="neither")],
        "cv": ["cv_object"],
        "scoring": [StrOptions({"log_loss", "accuracy"})],
        "verbose": ["verbose"],
        "alpha_select": [StrOptions({"min", "1se"})],
    }

    def __init__(
        self, *, alphas=50, eps=1e-3, cv=None, scoring="log_loss", penalty="l1",
        l1_ratio=0.5, gamma=None, multi_class="multinomial", fit_intercept=True,
        standardize="auto", penalty_factor=None, max_iter=1000, tol=1e-4, n_jobs=None,
        verbose=0, alpha_select="min",
    ):
        self.verbose = verbose
        self.alpha_select = alpha_select
        self.alphas = alphas
        self.eps = eps
        self.cv = cv
        self.scoring = scoring
        self.penalty = penalty
        self.l1_ratio = l1_ratio
        self.gamma = gamma
        self.multi_class = multi_class
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.penalty_factor = penalty_factor
        self.max_iter = max_iter
        self.tol = tol
        self.n_jobs = n_jobs

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, **params):
        """Cross-validate the path, pick alpha, refit on all the data.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data, dense or sparse; never modified.
        y : array-like of shape (n_samples,)
            Class labels (two or more classes).
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the per-sample losses, rescaled to sum to n_samples (within each
            training fold to sum to its size); held-out scores are weighted means.
        **params : dict
            Metadata for the CV splitter (e.g. ``groups``), routed as in scikit-learn
            (only with metadata routing enabled).

        Returns
        -------
        self : object
            The estimator refitted on all the data at ``alpha_``.
        """
        from scipy.sparse import issparse

        X, y = validate_data(self, X, y, accept_sparse="csr", dtype=[np.float64, np.float32])
        check_classification_targets(y)
        classes, y_idx = np.unique(y, return_inverse=True)
        if classes.size < 2:
            raise ValueError(
                "SparseLogisticRegressionCV needs samples of at least 2 classes in the data, "
                f"but the data contains only one class: {classes[0]!r}.")
        sw = normalized_sample_weight(sample_weight, X)
        pf = check_penalty_factor(self.penalty_factor, X.shape[1])
        if isinstance(self.alphas, numbers.Integral):
            Xs = standardize_design(X, sw, self.fit_intercept)[0] if self._standardize() \
                else X
            amax = _logistic_alpha_max(Xs, y_idx, classes.size, sw, self.fit_intercept, pf)
            if self.penalty == "elasticnet":
                amax /= max(self.l1_ratio, 1e-3)
            alphas = alpha_grid(amax, self.eps, int(self.alphas))
        else:
            alphas = np.sort(check_grid(self.alphas, "alphas"))[::-1]
        folds = routed_folds(self, X, y, sample_weight, params, classifier=True)
        # sparse: the folds' training rows from one CSC copy (the solvers' layout; a
        # copy, so the caller's matrix is never canonicalized in place), test rows from
        # the CSR matrix
        X_fit = X.tocsc(copy=True) if issparse(X) else X
        out = list(progress(Parallel(n_jobs=self.n_jobs, prefer="threads",
                                     return_as="generator")(
            delayed(_logistic_fold)((X_fit, X), y_idx, classes.size, sw, tr, te, self,
                                    alphas, self.scoring)
            for tr, te in folds), self.verbose, f"{type(self).__name__}: paths on the folds",
            total=len(folds)))
        self.scores_ = np.column_stack(out)
        self.alphas_ = alphas
        mean = self.scores_.mean(axis=1)
        best = int(np.argmax(mean))
        a_1se = one_se_index(mean, self.scores_, best, higher_is_better=True)
        self.alpha_min_ = float(alphas[best])
        self.alpha_1se_ = float(alphas[a_1se])
        self.alpha_ = self.alpha_1se_ if self.alpha_select == "1se" else self.alpha_min_
        names = getattr(self, "feature_names_in_", None)
        # (validates X again: the CSC copy is already in the refit's layout)
        self._fit(X_fit, y, sample_weight, self.alpha_)
        if names is not None:
            self.feature_names_in_ = names
        return self
