"""Multi-task Lasso and elastic net: one sparsity pattern shared by every target.

The row-wise L2,1 penalty on the engine's block coordinate descent
(:mod:`sparsestat._engine._multitask`); scikit-learn's objective, parameters and
attributes.
"""

import numbers
import warnings

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_random_state, validate_data

from .._engine._multitask import MultiTaskProblem
from ..exceptions import caller_stacklevel
from ._base import LinearPredictorMixin, SparseCoefMixin, normalized_sample_weight
from ._cv import _CV_PARAMS_DOC, _RegressorPathCV

__all__ = ["MultiTaskElasticNet", "MultiTaskLasso", "multitask_path"]


def validate_multitask_input(estimator, X, y, *, reset=True):
    """Validate ``X`` (dense or sparse) and a 2-D ``y``; a 1-D ``y`` is refused.

    The error names the single-task model to use instead, as scikit-learn's does.
    """
    X, y = validate_data(
        estimator, X, y, reset=reset,
        validate_separately=(
            dict(accept_sparse="csc", dtype=[np.float64, np.float32]),
            dict(ensure_2d=False, dtype=[np.float64, np.float32]),
        ))
    if y.ndim == 1:
        name = type(estimator).__name__.replace("MultiTask", "")
        raise ValueError(f"For mono-task outputs, use {name}")
    if y.shape[0] != X.shape[0]:
        raise ValueError(
            f"X and y have inconsistent numbers of samples: {X.shape[0]} != {y.shape[0]}.")
    return X, np.asarray(y, dtype=np.float64)


def multitask_path(X, Y, alphas, *, l1_ratio=1.0, sample_weight=None, fit_intercept=False,
                   coef_init=None, max_iter=1000, tol=1e-4, random_seed=None):
    """Warm-started multi-task path over ``alphas`` (in the given order).

    Returns ``(coefs (T, p, n_alphas), intercepts (T, n_alphas), gaps, n_iters,
    converged)``.
    """
    problem = MultiTaskProblem(X, Y, sample_weight=sample_weight,
                               fit_intercept=fit_intercept)
    p, T = problem.n_features, problem.n_tasks
    W = np.zeros((p, T)) if coef_init is None else np.array(
        np.asarray(coef_init, dtype=np.float64).T, order="C")
    coefs = np.empty((T, p, len(alphas)))
    intercepts = np.empty((T, len(alphas)))
    gaps = np.empty(len(alphas))
    n_iters = np.empty(len(alphas), dtype=int)
    converged = np.empty(len(alphas), dtype=bool)
    for k, alpha in enumerate(alphas):
        n_iters[k], gaps[k], converged[k] = problem.run(
            float(alpha), float(l1_ratio), W, max_iter, tol, random_seed=random_seed)
        coefs[:, :, k] = W.T
        intercepts[:, k] = problem.intercept(W)
    return coefs, intercepts, gaps, n_iters, converged


class MultiTaskElasticNet(SparseCoefMixin, LinearPredictorMixin, RegressorMixin, BaseEstimator):
    """Multi-task elastic net: an L2,1 (row-wise) plus squared L2 penalty.

    Minimizes scikit-learn's objective::

        1 / (2 n) ||Y - X W^T - b||_F^2 + alpha * l1_ratio * sum_j ||W[:, j]||_2
            + alpha * (1 - l1_ratio) / 2 * ||W||_F^2

    so a feature is selected for all the targets or for none. Solved by working-set
    block coordinate descent on the sparsestat engine (dense or sparse ``X``); the
    stopping rule is scikit-learn's duality gap, ``dual_gap_ <= tol * ||Y - Ybar||^2 / n``.

    Parameters
    ----------
    alpha : float, default=1.0
        Constant that multiplies the penalty.
    l1_ratio : float, default=0.5
        Mix of the L2,1 (1.0) and squared L2 (0.0) penalties.
    fit_intercept : bool, default=True
        Fit one intercept per target.
    copy_X : bool, default=True
        scikit-learn's parameter: X is never modified (centering works on a copy), so
        both values give the same result.
    max_iter : int, default=1000
        Maximum number of block coordinate-descent epochs.
    tol : float, default=1e-4
        Stop when the duality gap is below ``tol * ||Y - Ybar||_F^2 / n``.
    warm_start : bool, default=False
        Start from the previous ``coef_``.
    random_state : int, RandomState instance or None, default=None
        Seeds the visiting order when ``selection="random"``.
    selection : {"cyclic", "random"}, default="cyclic"
        Visit the rows in order or in a random order each epoch.

    Attributes
    ----------
    coef_ : ndarray of shape (n_targets, n_features)
        ``W`` in the objective (scikit-learn's layout).
    intercept_ : ndarray of shape (n_targets,)
        One intercept per target (zeros when ``fit_intercept=False``).
    n_iter_ : int
        Block coordinate-descent epochs run.
    dual_gap_ : float
        Duality gap at the solution (objective units).
    eps_ : float
        The tolerance scaled by the variance of the target, ``tol * ||Y - Ybar||^2 / n``.
    sparse_coef_ : scipy.sparse matrix of shape (n_targets, n_features)
        ``coef_`` as a CSR matrix.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Defined when X has feature names that are all strings.

    See Also
    --------
    MultiTaskLasso : the ``l1_ratio=1`` case.
    MultiTaskElasticNetCV : alpha and l1_ratio chosen by cross-validation.

    Examples
    --------
    >>> from sparsestat.linear_model import MultiTaskElasticNet
    >>> reg = MultiTaskElasticNet(alpha=0.1)
    >>> reg = reg.fit([[0, 0], [1, 1], [2, 2]], [[0, 0], [1, 1], [2, 2]])
    >>> reg.coef_.round(2)
    array([[0.46, 0.46],
           [0.46, 0.46]])
    """

    _parameter_constraints = {
        "alpha": [Interval(numbers.Real, 0, None, closed="left")],
        "l1_ratio": [Interval(numbers.Real, 0, 1, closed="both")],
        "fit_intercept": ["boolean"],
        "copy_X": ["boolean"],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "tol": [Interval(numbers.Real, 0, None, closed="left")],
        "warm_start": ["boolean"],
        "random_state": ["random_state"],
        "selection": [StrOptions({"cyclic", "random"})],
    }

    def __init__(self, alpha=1.0, *, l1_ratio=0.5, fit_intercept=True, copy_X=True,
                 max_iter=1000, tol=1e-4, warm_start=False, random_state=None,
                 selection="cyclic"):
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.copy_X = copy_X
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start
        self.random_state = random_state
        self.selection = selection

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the model.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Never modified.
        y : array-like of shape (n_samples, n_targets)
            The targets, one column per task (2-D: use :class:`Lasso` for one target).
        sample_weight : float or array-like of shape (n_samples,), default=None
            Rescaled internally to sum to n_samples (scikit-learn's convention); a
            scalar means no weights.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        X, y = validate_multitask_input(self, X, y)
        if isinstance(sample_weight, numbers.Number):
            sample_weight = None
        sw = normalized_sample_weight(sample_weight, X)
        n_targets, p = y.shape[1], X.shape[1]
        problem = MultiTaskProblem(X, y, sample_weight=sw, fit_intercept=self.fit_intercept)
        W = np.zeros((p, n_targets))
        coef = getattr(self, "coef_", None)
        if self.warm_start and coef is not None and np.shape(coef) == (n_targets, p):
            W[:] = np.asarray(coef, dtype=np.float64).T
        seed = None
        if self.selection == "random":
            seed = int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))
        self.n_iter_, self.dual_gap_, converged = problem.run(
            float(self.alpha), float(self.l1_ratio), W, self.max_iter, self.tol,
            random_seed=seed)
        self.eps_ = self.tol * problem.y_norm2 / X.shape[0]
        if not np.all(np.isfinite(W)):
            raise ValueError("The fit produced non-finite coefficients: check the scale of "
                             "X and y.")
        if not converged:
            warnings.warn(
                "Objective did not converge. You might want to increase the number of "
                f"iterations. Duality gap: {self.dual_gap_:.3e} after {self.n_iter_} epochs, "
                f"tolerance: {self.eps_:.1e}.", ConvergenceWarning, stacklevel=caller_stacklevel())
        self.coef_ = np.ascontiguousarray(W.T).astype(X.dtype, copy=False)
        self.intercept_ = problem.intercept(W).astype(X.dtype, copy=False) \
            if self.fit_intercept else np.zeros(n_targets, dtype=X.dtype)
        return self

    def predict(self, X):
        """Predict every target.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples to predict.

        Returns
        -------
        Y_pred : ndarray of shape (n_samples, n_targets)
            ``X @ coef_.T + intercept_``.
        """
        return self._decision_function(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = False
        return tags


class MultiTaskLasso(MultiTaskElasticNet):
    """Multi-task Lasso: an L2,1 (row-wise) penalty, one support for every target.

    Minimizes scikit-learn's objective::

        1 / (2 n) ||Y - X W^T - b||_F^2 + alpha * sum_j ||W[:, j]||_2

    (see :class:`MultiTaskElasticNet`).

    Parameters
    ----------
    alpha : float, default=1.0
        Constant that multiplies the L2,1 penalty.
    fit_intercept : bool, default=True
        Fit one intercept per target.
    copy_X : bool, default=True
        scikit-learn's parameter: X is never modified, so both values give the same fit.
    max_iter : int, default=1000
        Maximum number of block coordinate-descent epochs.
    tol : float, default=1e-4
        Stop when the duality gap is below ``tol * ||Y - Ybar||_F^2 / n``.
    warm_start : bool, default=False
        Start from the previous ``coef_``.
    random_state : int, RandomState instance or None, default=None
        Seeds the visiting order when ``selection="random"``.
    selection : {"cyclic", "random"}, default="cyclic"
        Visit the rows in order or in a random order each epoch.

    Attributes
    ----------
    coef_ : ndarray of shape (n_targets, n_features)
        ``W`` in the objective (scikit-learn's layout); a feature's column is zero for
        every target or for none.
    intercept_ : ndarray of shape (n_targets,)
        One intercept per target (zeros when ``fit_intercept=False``).
    n_iter_ : int
        Block coordinate-descent epochs run.
    dual_gap_ : float
        Duality gap at the solution (objective units).
    eps_ : float
        The tolerance scaled by the variance of the target, ``tol * ||Y - Ybar||^2 / n``.
    sparse_coef_ : scipy.sparse matrix of shape (n_targets, n_features)
        ``coef_`` as a CSR matrix.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Defined when X has feature names that are all strings.

    Examples
    --------
    >>> from sparsestat.linear_model import MultiTaskLasso
    >>> reg = MultiTaskLasso(alpha=0.1).fit([[0, 1], [1, 2], [2, 4]], [[0, 0], [1, 1], [2, 3]])
    >>> reg.coef_.round(4)
    array([[0.    , 0.6081],
           [0.    , 0.9459]])
    """

    _parameter_constraints = {
        k: v for k, v in MultiTaskElasticNet._parameter_constraints.items() if k != "l1_ratio"
    }
    l1_ratio = 1.0  # a class constant, not a parameter (as scikit-learn)

    def __init__(self, alpha=1.0, *, fit_intercept=True, copy_X=True, max_iter=1000,
                 tol=1e-4, warm_start=False, random_state=None, selection="cyclic"):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.copy_X = copy_X
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start
        self.random_state = random_state
        self.selection = selection


def _multitask_fold(X, Y, sw, train, test, l1_ratio, alphas, fit_intercept, max_iter, tol,
                    seed):
    """Held-out mean squared error (over samples and targets) of every alpha."""
    sw_tr = None if sw is None else sw[train] * (train.size / sw[train].sum())
    coefs, intercepts, *_ = multitask_path(
        X[train], Y[train], alphas, l1_ratio=l1_ratio, sample_weight=sw_tr,
        fit_intercept=fit_intercept, max_iter=max_iter, tol=tol, random_seed=seed)
    Xte = X[test]
    mse = np.empty(len(alphas))
    w = None if sw is None else sw[test]
    for k in range(len(alphas)):
        resid = (np.asarray(Xte @ coefs[:, :, k].T) + intercepts[:, k] - Y[test]) ** 2
        per_target = resid.mean(axis=0) if w is None else (w @ resid) / w.sum()
        mse[k] = per_target.mean()
    return mse


class _MultiTaskCVMixin:
    """The multi-task hooks of the shared cross-validated fit (``_cv._RegressorPathCV``)."""

    positive = False
    penalty_factor = None

    def _validate_fit_data(self, X, y):
        X, y = validate_multitask_input(self, X, y)
        if sp.issparse(X):
            X = X.tocsr()  # folds take rows
        return X, y

    def _alpha_max(self, X, y, sw, l1_ratio, pf):
        from .._engine._multitask import alpha_max_multitask

        return alpha_max_multitask(X, y, sample_weight=sw, fit_intercept=self.fit_intercept,
                                   l1_ratio=max(l1_ratio, 1e-3))

    def _fold_mse(self, X, y, sw, train, test, l1_ratio, grid, pf, standardize):
        return _multitask_fold(X, y, sw, train, test, l1_ratio, grid, self.fit_intercept,
                               self.max_iter, self.tol, self._seed())

    def _refit(self, alpha, l1_ratio, X, y, sample_weight, alphas):
        return MultiTaskElasticNet(
            alpha=alpha, l1_ratio=l1_ratio, fit_intercept=self.fit_intercept,
            copy_X=self.copy_X, max_iter=self.max_iter, tol=self.tol,
            random_state=self.random_state, selection=self.selection,
        ).fit(X, y, sample_weight)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = False
        return tags


_CONSTRAINTS = {k: v for k, v in _RegressorPathCV._common_constraints.items()
                if k not in ("positive", "penalty_factor")}
_CONSTRAINTS.update(random_state=["random_state"],
                    selection=[StrOptions({"cyclic", "random"})])

_MT_PARAMS_DOC = "\n    ".join(
    block for block in _CV_PARAMS_DOC.split("\n    ")
    if not block.startswith(("positive", "penalty_factor"))).rstrip() + """
    random_state : int, RandomState instance or None, default=None
        Seeds the visiting order when ``selection="random"``.
    selection : {"cyclic", "random"}, default="cyclic"
        Visit the rows in order or in a random order each epoch.
"""
_MT_ATTRS_DOC = """
    Attributes
    ----------
    alpha_ : float
        The alpha of the refit: ``alpha_min_`` or ``alpha_1se_`` per ``alpha_select``.
    alpha_min_ : float
        The alpha of least mean cross-validated squared error.
    alpha_1se_ : float
        The largest alpha within one standard error of that minimum.
    alphas_ : ndarray of shape (n_alphas,) or (n_l1_ratio, n_alphas)
        The grid of alphas, in decreasing order (one row per ``l1_ratio`` for an integer
        ``alphas`` and several ``l1_ratio``).
    mse_path_ : ndarray of shape (n_alphas, n_folds) or (n_l1_ratio, n_alphas, n_folds)
        Held-out mean squared error (averaged over the targets) of every alpha and fold.
    coef_ : ndarray of shape (n_targets, n_features)
        Coefficients of the refit at ``alpha_``.
    intercept_ : ndarray of shape (n_targets,)
        Intercepts of the refit.
    n_iter_ : int
        Block coordinate-descent epochs of the refit.
    dual_gap_ : float
        Duality gap of the refit (objective units).
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Defined when X has feature names that are all strings.
"""


class MultiTaskElasticNetCV(_MultiTaskCVMixin, _RegressorPathCV):
    __doc__ = """Multi-task elastic net with alpha (and l1_ratio) chosen by cross-validation.

    scikit-learn's ``MultiTaskElasticNetCV``: the alpha grid from all the data, the
    multi-task path (:class:`MultiTaskElasticNet`) fitted on each training fold with warm
    starts, the held-out squared error averaged over samples and targets, and a final
    refit. Folds run in parallel threads.

    Parameters
    ----------
    l1_ratio : float or list of float, default=0.5
        Mix of the L2,1 (1.0) and squared L2 (0.0) penalties; a list is searched together
        with alpha.""" + _MT_PARAMS_DOC + """
    Attributes
    ----------
    l1_ratio_ : float
        The chosen ``l1_ratio``.""" + _MT_ATTRS_DOC.split("----------", 1)[1] + """
    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.linear_model import MultiTaskElasticNetCV
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((60, 6))
    >>> Y = X[:, :2] @ rng.standard_normal((2, 3)) + 0.1 * rng.standard_normal((60, 3))
    >>> reg = MultiTaskElasticNetCV(l1_ratio=[0.5, 1.0], alphas=10, cv=3).fit(X, Y)
    >>> reg.coef_.shape, reg.mse_path_.shape
    ((3, 6), (2, 10, 3))
    """

    _parameter_constraints = {
        **_CONSTRAINTS,
        "l1_ratio": [Interval(numbers.Real, 0, 1, closed="both"), "array-like"],
    }

    def __init__(self, *, l1_ratio=0.5, eps=1e-3, alphas=100, fit_intercept=True,
                 max_iter=1000, tol=1e-4, cv=None, copy_X=True, verbose=0, n_jobs=None,
                 random_state=None, selection="cyclic", alpha_select="min"):
        self.l1_ratio = l1_ratio
        self.eps = eps
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.cv = cv
        self.copy_X = copy_X
        self.verbose = verbose
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.selection = selection
        self.alpha_select = alpha_select

    def _l1_ratios(self):
        return list(np.atleast_1d(np.asarray(self.l1_ratio, dtype=np.float64)))

class MultiTaskLassoCV(_MultiTaskCVMixin, _RegressorPathCV):
    __doc__ = """Multi-task Lasso with alpha chosen by cross-validation.

    scikit-learn's ``MultiTaskLassoCV`` (see :class:`MultiTaskElasticNetCV`).

    Parameters
    ----------""" + _MT_PARAMS_DOC + _MT_ATTRS_DOC + """
    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.linear_model import MultiTaskLassoCV
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((60, 6))
    >>> Y = X[:, :2] @ rng.standard_normal((2, 3)) + 0.1 * rng.standard_normal((60, 3))
    >>> reg = MultiTaskLassoCV(alphas=20, cv=3).fit(X, Y)
    >>> np.flatnonzero(np.abs(reg.coef_).sum(axis=0) > 0.05)
    array([0, 1])
    """

    _parameter_constraints = _CONSTRAINTS

    def __init__(self, *, eps=1e-3, alphas=100, fit_intercept=True, max_iter=1000,
                 tol=1e-4, copy_X=True, cv=None, verbose=False, n_jobs=None,
                 random_state=None, selection="cyclic", alpha_select="min"):
        self.eps = eps
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.copy_X = copy_X
        self.cv = cv
        self.verbose = verbose
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.selection = selection
        self.alpha_select = alpha_select

    def _l1_ratios(self):
        return [1.0]


__all__ += ["MultiTaskElasticNetCV", "MultiTaskLassoCV"]
