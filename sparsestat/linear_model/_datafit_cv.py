"""Cross-validated GLM, Huber and linear SVM estimators on warm-started paths.

Each fold fits the path of :func:`glm_path` from ``alpha_max`` down and scores every alpha
on its held-out part (deviance, Huber loss, misclassification or squared hinge: lower is
better); the choice of ``alpha_`` (least mean error or glmnet's one-standard-error rule)
and the refit are :meth:`_RegressorPathCV._select_and_refit`, shared with
:class:`LassoCV`.
"""

import numbers

import numpy as np
from joblib import Parallel, delayed
from scipy.special import xlogy
from sklearn.base import _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import validate_data

from ..utils._model_selection import CVRoutingMixin, routed_folds
from ..utils._validation import check_penalty_factor
from ._base import normalized_sample_weight
from ._cv import _RegressorPathCV
from ._datafit_models import _grid, check_offset
from ._glm import path_penalized, standardize_design
from ._glm_regressors import (SparseGammaRegressor, SparsePoissonRegressor,
                              SparseTweedieRegressor)
from ._huber import SparseHuberRegressor
from ._svc import SparseLinearSVC

__all__ = ["SparsePoissonRegressorCV", "SparseGammaRegressorCV", "SparseTweedieRegressorCV",
           "SparseHuberRegressorCV", "SparseLinearSVCCV"]


def _mean_tweedie_deviance(y, mu, sw, power):
    """Weighted mean Tweedie deviance, the formula of :func:`sklearn.metrics.mean_tweedie_deviance`.

    Written out because the metric validates its arrays with ``check_array``, which enters
    ``warnings.catch_warnings``: the folds call this in joblib worker threads, where that
    context manager is not thread-safe (the threads restore each other's filter lists).
    """
    if power == 0:
        dev = (y - mu) ** 2
    elif power == 1:
        dev = 2 * (xlogy(y, y / mu) - y + mu)
    elif power == 2:
        dev = 2 * (np.log(mu / y) + y / mu - 1)
    else:
        dev = 2 * (np.maximum(y, 0) ** (2 - power) / ((1 - power) * (2 - power))
                   - y * mu ** (1 - power) / (1 - power) + mu ** (2 - power) / (2 - power))
    return float(np.average(dev, weights=sw))


class DatafitPathCV(CVRoutingMixin):
    """Cross-validation of a :class:`DatafitModel` on warm-started paths (a mixin left of it).

    A subclass names its held-out error (``_held_out_error``, lower is better) and the
    attribute that stores it (``_cv_path_attr``).
    """

    _cv_constraints = {
        "alphas": [Interval(numbers.Integral, 1, None, closed="left"), "array-like"],
        "eps": [Interval(numbers.Real, 0, None, closed="neither")],
        "cv": ["cv_object"],
        "n_jobs": [numbers.Integral, None],
        "verbose": ["verbose"],
        "alpha_select": [StrOptions({"min", "1se"})],
    }
    _select_and_refit = _RegressorPathCV._select_and_refit
    _classifier = False

    @classmethod
    def _constraints(cls, base):
        return {**{k: v for k, v in base._parameter_constraints.items()
                   if k not in ("alpha", "warm_start")}, **cls._cv_constraints}

    def _held_out_error(self, datafit, y, scores, sw):
        raise NotImplementedError

    def _fold_errors(self, X, y, sw, off, train, test, grid, pf, standardize, datafit):
        sw_tr = None if sw is None else sw[train] * (train.size / sw[train].sum())
        coefs, intercepts, _ = path_penalized(
            X[train], y[train], datafit, self._penalty(1.0), grid, sample_weight=sw_tr,
            fit_intercept=self.fit_intercept, standardize=standardize,
            penalty_factor=pf, solver=self.solver, max_iter=self.max_iter, tol=self.tol,
            offset=None if off is None else off[train])
        scores = np.asarray(X[test] @ coefs) + intercepts
        if off is not None:
            scores = scores + off[test][:, None]
        w = np.ones(test.size) if sw is None else sw[test]
        errors = np.empty(len(grid))
        with np.errstate(over="ignore", invalid="ignore"):
            for a in range(len(grid)):
                errors[a] = self._held_out_error(datafit, y[test], scores[:, a], w)
        # an overflowing fit (exp of a huge score) is the worst, not an unknown, error
        errors[~np.isfinite(errors)] = np.inf
        return errors

    def _cv_fit(self, X, y, sample_weight, offset, params):
        X, y = validate_data(self, X, y, accept_sparse="csr",
                             dtype=[np.float64, np.float32], y_numeric=self._y_numeric)
        y_enc = self._encode_target(y)
        off = check_offset(offset, X.shape[0])
        sw = normalized_sample_weight(sample_weight, X)
        pf = check_penalty_factor(self.penalty_factor, X.shape[1])
        datafit = self._datafit()
        standardize = self._standardize()
        l1_ratio = float(self.l1_ratio) if self.penalty == "elasticnet" else 1.0
        design = standardize_design(X, sw, self.fit_intercept)[0] if standardize else X
        grid = _grid(design, y_enc, datafit, sw, off, self.fit_intercept, pf, l1_ratio,
                     self.eps, self.alphas)
        folds = routed_folds(self, X, y, sample_weight, params, classifier=self._classifier)
        out = Parallel(n_jobs=self.n_jobs, prefer="threads", verbose=self.verbose)(
            delayed(self._fold_errors)(X, y_enc, sw, off, train, test, grid, pf,
                                       standardize, datafit)
            for train, test in folds)
        errors = np.column_stack(out)[None]  # (one l1_ratio, n_alphas, n_folds)
        names = getattr(self, "feature_names_in_", None)

        def refit(alpha, l1_ratio, path):
            self._fit(X, y, sample_weight, offset, alpha=alpha)
            return self

        self._select_and_refit([float(self.l1_ratio)], [grid], errors, errors, refit)
        del self.l1_ratio_  # one l1_ratio is searched: it is the parameter
        if names is not None:  # the refit saw the validated ndarray
            self.feature_names_in_ = names
        return self


class LogLinkCV(DatafitPathCV):
    """The held-out Tweedie deviance of the log-link models, and their ``fit``."""

    _cv_path_attr = "deviance_path_"

    def _held_out_error(self, datafit, y, scores, sw):
        return _mean_tweedie_deviance(y, np.exp(scores), sw, self._power())

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, offset=None, **params):
        """Fit the path on every fold, pick alpha by held-out deviance, refit on all data.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data, dense or sparse; never modified.
        y : array-like of shape (n_samples,)
            Target values.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the per-sample deviances, rescaled to sum to n_samples (within
            each training fold to sum to its size); held-out deviances are weighted
            means with the same weights.
        offset : array-like of shape (n_samples,), default=None
            Known part of the linear predictor (e.g. ``log(exposure)``), split with the
            samples into the folds.
        **params : dict
            Metadata for the CV splitter (e.g. ``groups`` for ``GroupKFold``), routed
            as in scikit-learn (only with metadata routing enabled).

        Returns
        -------
        self : object
            The estimator refitted on all the data at ``alpha_``.
        """
        return self._cv_fit(X, y, sample_weight, offset, params)


_CV_PARAMS_DOC = """
    alphas : int or array-like, default=50
        Number of alphas on a log grid from ``alpha_max`` (the smallest alpha zeroing
        every penalized coefficient, computed on all the data, offsets included; divided
        by ``l1_ratio`` for the elastic net) down to ``eps * alpha_max``, or the alphas
        themselves (visited in decreasing order).
    eps : float, default=1e-3
        ``alpha_min / alpha_max`` of the grid when ``alphas`` is an int.
    cv : int, cross-validation generator or iterable, default=None
        scikit-learn's ``cv``: None means 5-fold, an int k means k-fold (stratified for
        the classifier), or a splitter / iterable of (train, test) index arrays.
    penalty : {"l1", "elasticnet", "mcp", "scad"}, default="l1"
        The penalty, as in the estimator without CV.
    l1_ratio : float, default=0.5
        L1 share of ``penalty="elasticnet"``; ignored by the other penalties.
    gamma : float, default=None
        Concavity of MCP (None means 3) or SCAD (None means 3.7, must be > 2).
    fit_intercept : bool, default=True
        Fit an unpenalized intercept, in every fold and in the final refit.
    standardize : bool or "auto", default="auto"
        Penalize the coefficients of standardized columns; "auto" standardizes for MCP
        and SCAD only.
    penalty_factor : array-like of shape (n_features,), default=None
        Per-feature multipliers of the penalty (0 leaves a feature unpenalized); they
        also enter ``alpha_max`` and so the grid.
    solver : {"auto", "prox_newton", "cd", "fista"}, default="auto"
        The engine's solver for every path and the refit.
    max_iter : int, default=1000
        Maximum number of solver iterations per alpha.
    tol : float, default=1e-4
        Stopping tolerance of every solve (largest optimality violation relative to the
        columns' root mean square).
    n_jobs : int, default=None
        Number of threads fitting the folds' paths in parallel (the compiled kernels
        release the GIL). None means 1 unless in a :obj:`joblib.parallel_backend`
        context, -1 means all processors.
    verbose : bool or int, default=0
        Verbosity of the joblib loop over folds.
    alpha_select : {"min", "1se"}, default="min"
        Refit at the alpha of least mean held-out error (``"min"``) or at the largest
        alpha whose mean error is within one standard error of that minimum (``"1se"``,
        glmnet's ``lambda.1se``: a sparser model as good within the noise of CV)."""

_CV_ATTRS_DOC = """
    Attributes
    ----------
    alpha_ : float
        The alpha of the refit: ``alpha_min_`` or ``alpha_1se_`` per ``alpha_select``.
    alpha_min_ : float
        The alpha of least mean held-out error (the largest one on ties).
    alpha_1se_ : float
        The largest alpha within one standard error of that minimum.
    alphas_ : ndarray of shape (n_alphas,)
        The grid of alphas, in decreasing order.
    PATH_ATTR : ndarray of shape (n_alphas, n_folds)
        PATH_MEANING
    coef_ : COEF_SHAPE
        Coefficients refitted on all the data at ``alpha_``, on the raw scale of X.
    intercept_ : INTERCEPT_TYPE
        Intercept of the refit; 0.0 when ``fit_intercept=False``.
    n_iter_ : int
        Solver iterations of the final refit.
    stop_crit_ : float
        Largest optimality violation reached by the final refit.
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when X has feature
        names that are all strings."""

_DEVIANCE_MEANING = ("Held-out mean deviance (:func:`sklearn.metrics.mean_tweedie_deviance` of\n"
                     "        this power, sample-weighted) of every alpha on every fold.")


def _attrs(path_attr, meaning, coef="ndarray of shape (n_features,)", intercept="float"):
    return (_CV_ATTRS_DOC.replace("PATH_ATTR", path_attr).replace("PATH_MEANING", meaning)
            .replace("COEF_SHAPE", coef).replace("INTERCEPT_TYPE", intercept))


def _init_cv(self, alphas, eps, cv, penalty, l1_ratio, gamma, fit_intercept, standardize,
             penalty_factor, solver, max_iter, tol, n_jobs, verbose, alpha_select):
    # the parameters every *CV class here stores verbatim (scikit-learn's __init__ rule)
    self.alphas = alphas
    self.eps = eps
    self.cv = cv
    self.penalty = penalty
    self.l1_ratio = l1_ratio
    self.gamma = gamma
    self.fit_intercept = fit_intercept
    self.standardize = standardize
    self.penalty_factor = penalty_factor
    self.solver = solver
    self.max_iter = max_iter
    self.tol = tol
    self.n_jobs = n_jobs
    self.verbose = verbose
    self.alpha_select = alpha_select


class SparsePoissonRegressorCV(LogLinkCV, SparsePoissonRegressor):
    __doc__ = """Sparse Poisson regression with alpha chosen by cross-validated deviance.

    Every fold fits the warm-started path of :class:`SparsePoissonRegressor` (offsets
    split with the samples) and scores each alpha by the held-out mean Poisson
    deviance; the final model is refitted on all the data at ``alpha_``.

    Parameters
    ----------""" + _CV_PARAMS_DOC + "\n" + _attrs("deviance_path_", _DEVIANCE_MEANING) + """

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.linear_model import SparsePoissonRegressorCV
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((300, 8))
    >>> y = rng.poisson(np.exp(0.5 * X[:, 0] - 0.5 * X[:, 1]))
    >>> reg = SparsePoissonRegressorCV(alphas=20, cv=3).fit(X, y)
    >>> reg.deviance_path_.shape
    (20, 3)
    >>> bool(set(np.flatnonzero(reg.coef_)) >= {0, 1})
    True
    """

    _parameter_constraints = DatafitPathCV._constraints(SparsePoissonRegressor)

    def __init__(self, *, alphas=50, eps=1e-3, cv=None, penalty="l1", l1_ratio=0.5,
                 gamma=None, fit_intercept=True, standardize="auto", penalty_factor=None,
                 solver="auto", max_iter=1000, tol=1e-4, n_jobs=None, verbose=0,
                 alpha_select="min"):
        _init_cv(self, alphas, eps, cv, penalty, l1_ratio, gamma, fit_intercept,
                 standardize, penalty_factor, solver, max_iter, tol, n_jobs, verbose,
                 alpha_select)


class SparseGammaRegressorCV(LogLinkCV, SparseGammaRegressor):
    __doc__ = """Sparse Gamma regression with alpha chosen by cross-validated deviance.

    Every fold fits the warm-started path of :class:`SparseGammaRegressor` and scores
    each alpha by the held-out mean Gamma deviance; the final model is refitted on all
    the data at ``alpha_``.

    Parameters
    ----------""" + _CV_PARAMS_DOC + "\n" + _attrs("deviance_path_", _DEVIANCE_MEANING) + """

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.linear_model import SparseGammaRegressorCV
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((300, 8))
    >>> y = rng.gamma(4.0, np.exp(0.5 * X[:, 2]) / 4.0)
    >>> reg = SparseGammaRegressorCV(alphas=20, cv=3).fit(X, y)
    >>> 2 in np.flatnonzero(reg.coef_)
    True
    """

    _parameter_constraints = DatafitPathCV._constraints(SparseGammaRegressor)

    def __init__(self, *, alphas=50, eps=1e-3, cv=None, penalty="l1", l1_ratio=0.5,
                 gamma=None, fit_intercept=True, standardize="auto", penalty_factor=None,
                 solver="auto", max_iter=1000, tol=1e-4, n_jobs=None, verbose=0,
                 alpha_select="min"):
        _init_cv(self, alphas, eps, cv, penalty, l1_ratio, gamma, fit_intercept,
                 standardize, penalty_factor, solver, max_iter, tol, n_jobs, verbose,
                 alpha_select)


class SparseTweedieRegressorCV(LogLinkCV, SparseTweedieRegressor):
    __doc__ = """Sparse Tweedie regression with alpha chosen by cross-validated deviance.

    Every fold fits the warm-started path of :class:`SparseTweedieRegressor` and scores
    each alpha by the held-out mean Tweedie deviance of ``power``; the final model is
    refitted on all the data at ``alpha_``.

    Parameters
    ----------
    power : float, default=1.5
        Tweedie power, 1 or above (see :class:`SparseTweedieRegressor`).""" + \
        _CV_PARAMS_DOC + "\n" + _attrs("deviance_path_", _DEVIANCE_MEANING) + """

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.linear_model import SparseTweedieRegressorCV
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((300, 8))
    >>> counts = rng.poisson(np.exp(0.6 * X[:, 0]))
    >>> y = np.array([rng.gamma(2.0, 0.5, c).sum() for c in counts])
    >>> reg = SparseTweedieRegressorCV(power=1.5, alphas=20, cv=3).fit(X, y)
    >>> 0 in np.flatnonzero(reg.coef_)
    True
    """

    _parameter_constraints = DatafitPathCV._constraints(SparseTweedieRegressor)

    def __init__(self, power=1.5, *, alphas=50, eps=1e-3, cv=None, penalty="l1",
                 l1_ratio=0.5, gamma=None, fit_intercept=True, standardize="auto",
                 penalty_factor=None, solver="auto", max_iter=1000, tol=1e-4, n_jobs=None,
                 verbose=0, alpha_select="min"):
        self.power = power
        _init_cv(self, alphas, eps, cv, penalty, l1_ratio, gamma, fit_intercept,
                 standardize, penalty_factor, solver, max_iter, tol, n_jobs, verbose,
                 alpha_select)


class SparseHuberRegressorCV(DatafitPathCV, SparseHuberRegressor):
    __doc__ = """Sparse Huber regression with alpha chosen by cross-validated Huber loss.

    Every fold fits the warm-started path of :class:`SparseHuberRegressor` and scores
    each alpha by the held-out mean Huber loss (robust to outlying held-out targets, as
    the squared error is not); the final model is refitted on all the data at
    ``alpha_``.

    Parameters
    ----------
    delta : float, default=1.35
        Threshold of the Huber loss in units of ``y`` (see
        :class:`SparseHuberRegressor`), for the fits and the held-out loss.""" + \
        _CV_PARAMS_DOC + "\n" + _attrs(
            "loss_path_", "Held-out mean Huber loss (sample-weighted) of every alpha on\n"
            "        every fold.") + """
    outliers_ : ndarray of shape (n_samples,) of bool
        Training samples whose absolute residual under the refit exceeds ``delta``.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.linear_model import SparseHuberRegressorCV
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((200, 8))
    >>> y = 2 * X[:, 0] - X[:, 3] + 0.2 * rng.standard_normal(200)
    >>> y[:8] -= 40.0
    >>> reg = SparseHuberRegressorCV(delta=0.5, alphas=20, cv=3).fit(X, y)
    >>> np.round(reg.coef_[[0, 3]], 1)
    array([ 2., -1.])
    """

    _parameter_constraints = DatafitPathCV._constraints(SparseHuberRegressor)
    _cv_path_attr = "loss_path_"

    def __init__(self, delta=1.35, *, alphas=50, eps=1e-3, cv=None, penalty="l1",
                 l1_ratio=0.5, gamma=None, fit_intercept=True, standardize="auto",
                 penalty_factor=None, solver="auto", max_iter=1000, tol=1e-4, n_jobs=None,
                 verbose=0, alpha_select="min"):
        self.delta = delta
        _init_cv(self, alphas, eps, cv, penalty, l1_ratio, gamma, fit_intercept,
                 standardize, penalty_factor, solver, max_iter, tol, n_jobs, verbose,
                 alpha_select)

    def _held_out_error(self, datafit, y, scores, sw):
        return datafit.value(y, scores, sw) * y.size / sw.sum()

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, **params):
        """Fit the path on every fold, pick alpha by held-out Huber loss, refit.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data, dense or sparse; never modified.
        y : array-like of shape (n_samples,)
            Target values.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the per-sample losses, rescaled to sum to n_samples (within each
            training fold to sum to its size); held-out losses are weighted means.
        **params : dict
            Metadata for the CV splitter (e.g. ``groups``), routed as in scikit-learn
            (only with metadata routing enabled).

        Returns
        -------
        self : object
            The estimator refitted on all the data at ``alpha_``.
        """
        self._cv_fit(X, y, sample_weight, None, params)
        Xv = validate_data(self, X, accept_sparse="csr", dtype=[np.float64, np.float32],
                           reset=False)
        resid = np.asarray(y, dtype=np.float64) - np.asarray(
            Xv @ self.coef_, dtype=np.float64).ravel() - self.intercept_
        self.outliers_ = np.abs(resid) > self.delta
        return self


class SparseLinearSVCCV(DatafitPathCV, SparseLinearSVC):
    __doc__ = """Sparse linear SVM (squared hinge) with alpha chosen by cross-validation.

    Every fold (stratified) fits the warm-started path of :class:`SparseLinearSVC` and
    scores each alpha by the held-out misclassification rate (``scoring="accuracy"``)
    or mean squared hinge loss (``scoring="squared_hinge"``, smoother, so the one
    standard error rule has a finer curve to work on); the final model is refitted on
    all the data at ``alpha_``.

    Parameters
    ----------
    scoring : {"accuracy", "squared_hinge"}, default="accuracy"
        Held-out criterion: ``1 - accuracy`` or the mean squared hinge loss, both
        sample-weighted and minimized over the grid.""" + _CV_PARAMS_DOC + "\n" + _attrs(
            "error_path_", "Held-out error (``1 - accuracy`` or mean squared hinge) of "
            "every\n        alpha on every fold.", coef="ndarray of shape (1, n_features)",
            intercept="ndarray of shape (1,)") + """
    classes_ : ndarray of shape (2,)
        The two class labels, sorted; ``classes_[1]`` is the positive class.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.linear_model import SparseLinearSVCCV
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((200, 8))
    >>> y = (X[:, 0] + X[:, 1] + 0.3 * rng.standard_normal(200) > 0).astype(int)
    >>> clf = SparseLinearSVCCV(alphas=20, cv=3).fit(X, y)
    >>> clf.score(X, y) > 0.9
    True
    """

    _parameter_constraints = {**DatafitPathCV._constraints(SparseLinearSVC),
                              "scoring": [StrOptions({"accuracy", "squared_hinge"})]}
    _cv_path_attr = "error_path_"
    _classifier = True

    def __init__(self, *, scoring="accuracy", alphas=50, eps=1e-3, cv=None, penalty="l1",
                 l1_ratio=0.5, gamma=None, fit_intercept=True, standardize="auto",
                 penalty_factor=None, solver="auto", max_iter=1000, tol=1e-4, n_jobs=None,
                 verbose=0, alpha_select="min"):
        self.scoring = scoring
        _init_cv(self, alphas, eps, cv, penalty, l1_ratio, gamma, fit_intercept,
                 standardize, penalty_factor, solver, max_iter, tol, n_jobs, verbose,
                 alpha_select)

    def _held_out_error(self, datafit, y, scores, sw):
        if self.scoring == "accuracy":
            return float(sw @ (np.where(scores > 0, 1.0, -1.0) != y)) / sw.sum()
        return datafit.value(y, scores, sw) * y.size / sw.sum()

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, **params):
        """Fit the path on every (stratified) fold, pick alpha, refit on all the data.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data, dense or sparse; never modified.
        y : array-like of shape (n_samples,)
            Two class labels (any type).
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the per-sample losses, rescaled to sum to n_samples (within each
            training fold to sum to its size); held-out errors are weighted means.
        **params : dict
            Metadata for the CV splitter (e.g. ``groups``), routed as in scikit-learn
            (only with metadata routing enabled).

        Returns
        -------
        self : object
            The estimator refitted on all the data at ``alpha_``.
        """
        self._cv_fit(X, y, sample_weight, None, params)
        self.coef_ = np.asarray(self.coef_).reshape(1, -1)
        self.intercept_ = np.atleast_1d(np.asarray(self.intercept_, dtype=np.float64))
        return self

