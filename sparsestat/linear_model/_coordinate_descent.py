"""Lasso and ElasticNet, and their regularization paths, on the engine's solvers."""

import numbers
import warnings

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context, clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_array, check_random_state

from .._engine import ElasticNet as ElasticNetPenalty
from .._engine import Quadratic, alpha_max_l1, solve_path
from ..exceptions import AlphaMaxWarning, caller_stacklevel
from ..utils._validation import check_finite_fit, check_grid, check_penalty_factor
from ._base import (
    LinearPredictorMixin,
    SparseCoefMixin,
    normalized_sample_weight,
    validate_regression_input_xy,
    warm_start_init,
)
from ._glm import fit_penalized
from ._scaleout import EnetStatsMixin

__all__ = ["ElasticNet", "Lasso", "enet_path", "lasso_path"]

_PRECOMPUTE_TO_SOLVER = {"auto": "auto", True: "gram", False: "cd"}


# scikit-learn's words: ridge (l1_ratio = 0) never zeroes every coefficient, so there is
# no alpha_max to start an automatic grid from
NO_RIDGE_GRID = ("Automatic alpha grid generation is not supported for l1_ratio=0. Please "
                 "supply a grid by providing your estimator with the appropriate `alphas=` "
                 "argument.")


def _alpha_grid(alpha_max, eps, n_alphas):
    if alpha_max <= 0:
        return np.full(n_alphas, np.finfo(float).resolution)
    return np.geomspace(alpha_max, alpha_max * eps, num=n_alphas)


def enet_path(
    X, y, *, l1_ratio=0.5, eps=1e-3, alphas=100, precompute="auto", Xy=None, copy_X=True,
    coef_init=None, verbose=False, return_n_iter=False, positive=False, fit_intercept=False,
    sample_weight=None, penalty_factor=None, max_iter=1000, tol=1e-4, check_input=True,
    random_state=None, selection="cyclic", **params,
):
    """Compute the elastic-net path with warm-started coordinate descent.

    Objective, for each ``alpha``::

        1 / (2 n) ||y - X w - b||^2 + alpha * (l1_ratio * ||w||_1 + (1 - l1_ratio) / 2 ||w||^2)

    As in scikit-learn, the path does not fit an intercept unless ``fit_intercept=True``
    (scikit-learn's path assumes centered data); penalty factors weight each feature.
    A 2-D ``y`` solves scikit-learn's multi-task problem (row-wise L2,1 penalty, see
    :class:`MultiTaskElasticNet`), as scikit-learn's ``enet_path`` does.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Training data, dense (float32 or float64, kept) or sparse (converted to CSC).
        Never modified.
    y : array-like of shape (n_samples,) or (n_samples, n_targets)
        Target values; a 2-D ``y`` gives the multi-task path, as in scikit-learn.
    l1_ratio : float, default=0.5
        Mix of the two penalties, in [0, 1]: 1 is the Lasso, 0 pure ridge. The automatic
        grid (integer ``alphas``) is computed with ``max(l1_ratio, 1e-3)``, since
        ``alpha_max`` is infinite for pure ridge.
    eps : float, default=1e-3
        ``alpha_min / alpha_max`` when ``alphas`` is an integer.
    alphas : int or array-like, default=100
        Number of alphas on a log grid from ``alpha_max`` (the smallest alpha giving an
        all-zero solution, see :func:`sparsestat._engine.alpha_max_l1`) down to
        ``eps * alpha_max``, or the alphas themselves (sorted and visited in decreasing
        order, each solve warm-started at the previous solution).
    precompute : {"auto", True, False} or array-like of shape (n_features, n_features), \
            default="auto"
        Gram-matrix CD (True), plain working-set CD (False), chosen from the shape, or
        the Gram matrix ``X^T diag(sw) X`` itself (scikit-learn's convention; used as
        given for single-task dense problems).
    Xy : array-like of shape (n_features,), default=None
        ``X^T (sw * y)``, used with a precomputed Gram matrix.
    copy_X : bool, default=True
        scikit-learn's parameter: X is never modified.
    coef_init : array-like of shape (n_features,) or (n_targets, n_features), default=None
        Starting point of the first (largest) alpha; zeros when None.
    verbose : bool or int, default=False
        Accepted for scikit-learn compatibility; prints nothing.
    return_n_iter : bool, default=False
        Whether to also return the number of epochs run at each alpha.
    positive : bool, default=False
        Constrain every coefficient to be nonnegative.
    fit_intercept : bool, default=False
        Fit an unpenalized intercept along the path (the intercepts are not returned).
        False, as in scikit-learn, where the path assumes centered data.
    sample_weight : array-like of shape (n_samples,), default=None
        Weights of the squared residuals, used as given: the loss is
        ``1 / (2 n) sum_i sw_i (y_i - x_i w - b)^2``, so weights summing to
        ``n_samples`` keep the scale of ``alpha``.
    penalty_factor : array-like of shape (n_features,), default=None
        Per-feature multipliers of the penalty (0 leaves a feature unpenalized); None
        means 1 for every feature.
    max_iter : int, default=1000
        Maximum number of coordinate-descent epochs per alpha (an epoch is one pass over
        the current working set, or over all features for Gram CD).
    tol : float, default=1e-4
        Stop at each alpha when the duality gap is below ``tol * ||y - ybar||^2 / n``
        (``||y||^2 / n`` without intercept), scikit-learn's criterion.
    check_input : bool, default=True
        Validate and convert ``X`` and ``y``; pass False only for arrays already in the
        engine's layout (float64/float32, F-ordered or CSC).
    random_state : int, RandomState instance or None, default=None
        Seeds the visiting order when ``selection="random"``.
    selection : {"cyclic", "random"}, default="cyclic"
        Visit the working set's coordinates in order, or in a random order each epoch.
    **params : dict
        Anything else raises scikit-learn's "Unexpected parameters in params" error.

    Returns
    -------
    alphas : ndarray of shape (n_alphas,)
        The alphas of the path, in decreasing order.
    coefs : ndarray of shape (n_features, n_alphas) or (n_targets, n_features, n_alphas)
        Coefficients at each alpha, in the dtype of ``X``.
    dual_gaps : ndarray of shape (n_alphas,)
        Duality gap reached at each alpha, in the objective's units (not divided by
        ``||y - ybar||^2 / n``).
    n_iters : ndarray of shape (n_alphas,)
        Epochs run at each alpha. Only returned when ``return_n_iter=True``.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.linear_model import enet_path
    >>> X = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 7.0]])
    >>> alphas, coefs, gaps = enet_path(X, np.array([1.0, 2.0, 3.0]), alphas=5)
    >>> coefs.shape
    (2, 5)
    """
    if params:
        raise ValueError(f"Unexpected parameters in params: {sorted(params)}")
    if check_input:
        X = check_array(X, accept_sparse="csc", dtype=[np.float64, np.float32], order="F")
        y = check_array(y, ensure_2d=False, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if y.ndim == 2 and positive:
        raise ValueError("positive=True is not allowed for multi-output (y.ndim != 1)")
    n_features = X.shape[1]
    seed = None
    if selection == "random":
        seed = int(check_random_state(random_state).randint(np.iinfo(np.int32).max))
    if y.ndim == 2:
        return _multitask_enet_path(X, y, l1_ratio, eps, alphas, coef_init, return_n_iter,
                                    fit_intercept, sample_weight, max_iter, tol, seed)
    pf = check_penalty_factor(penalty_factor, n_features)
    if isinstance(alphas, numbers.Integral):
        if l1_ratio == 0:
            raise ValueError(NO_RIDGE_GRID)
        amax = alpha_max_l1(X, y, sample_weight=sample_weight, fit_intercept=fit_intercept,
                            penalty_factor=pf, l1_ratio=max(l1_ratio, 1e-3), positive=positive)
        alphas = _alpha_grid(amax, eps, int(alphas))
    else:
        alphas = np.sort(check_grid(alphas, "alphas"))[::-1]
    solver, gram, xy = _gram_or_solver(precompute, Xy, X, sample_weight, fit_intercept,
                                       check_input)
    results = solve_path(
        X, y, Quadratic(), ElasticNetPenalty(alpha=1.0, l1_ratio=l1_ratio), alphas,
        sample_weight=sample_weight, fit_intercept=fit_intercept, penalty_factor=pf,
        lower=0.0 if positive else None, coef_init=coef_init,
        solver=solver, max_iter=max_iter, tol=tol, random_seed=seed, gram=gram, xy=xy)
    coefs = np.column_stack([r.coef for r in results]).astype(X.dtype, copy=False)
    gaps = np.array([r.stop_crit for r in results])
    if any(not r.converged for r in results):
        warnings.warn(
            "Objective did not converge for some alphas of the path; increase max_iter.",
            ConvergenceWarning, stacklevel=caller_stacklevel())
    if return_n_iter:
        return alphas, coefs, gaps, np.array([r.n_iter for r in results])
    return alphas, coefs, gaps


def _multitask_enet_path(X, Y, l1_ratio, eps, alphas, coef_init, return_n_iter,
                         fit_intercept, sample_weight, max_iter, tol, seed):
    """``enet_path`` for a 2-D ``y``: scikit-learn's multi-task (L2,1) path."""
    from .._engine._multitask import alpha_max_multitask
    from ._multi_task import multitask_path

    if isinstance(alphas, numbers.Integral):
        amax = alpha_max_multitask(X, Y, sample_weight=sample_weight,
                                   fit_intercept=fit_intercept,
                                   l1_ratio=max(l1_ratio, 1e-3))
        alphas = _alpha_grid(amax, eps, int(alphas))
    else:
        alphas = np.sort(np.asarray(alphas, dtype=np.float64))[::-1]
    coefs, _, gaps, n_iters, converged = multitask_path(
        X, Y, alphas, l1_ratio=l1_ratio, sample_weight=sample_weight,
        fit_intercept=fit_intercept, coef_init=coef_init, max_iter=max_iter, tol=tol,
        random_seed=seed)
    coefs = coefs.astype(X.dtype, copy=False)
    if not np.all(converged):
        warnings.warn(
            "Objective did not converge for some alphas of the path; increase max_iter.",
            ConvergenceWarning, stacklevel=caller_stacklevel())
    if return_n_iter:
        return alphas, coefs, gaps, n_iters
    return alphas, coefs, gaps


def _check_gram(X, gram, sample_weight):
    """scikit-learn's spot check of a user's Gram matrix (one off-diagonal element)."""
    p = X.shape[1]
    f1 = p // 2
    f2 = min(f1 + 1, p - 1)
    s = 1.0 if sample_weight is None else np.sqrt(sample_weight)
    expected = float(np.dot(X[:, f1] * s, X[:, f2] * s))
    actual = gram[f1, f2]
    rtol = 1e-4 if np.float32 in (gram.dtype, X.dtype) else 1e-7
    if not np.isclose(expected, actual, rtol=rtol, atol=1e-5):
        raise ValueError(
            "Gram matrix passed in via 'precompute' parameter did not pass validation when "
            f"a single element was checked - please check that it was computed properly. "
            f"For element ({f1},{f2}) we computed {expected} but the user-supplied value "
            f"was {actual}.")


def _gram_or_solver(precompute, Xy, X, sample_weight, fit_intercept, check_gram):
    """The engine's solver for scikit-learn's ``precompute``, and a user Gram / Xy to use.

    A Gram matrix is ``X^T diag(sw) X`` of the design as solved; when the intercept
    would center a non-centered X, it no longer applies: scikit-learn's warning, and the
    Gram matrix is recomputed.
    """
    if isinstance(precompute, str) or isinstance(precompute, (bool, np.bool_)):
        return _PRECOMPUTE_TO_SOLVER[precompute], None, None
    if sp.issparse(X):  # scikit-learn ignores a Gram matrix for sparse X
        return "cd", None, None
    gram = np.asarray(precompute)
    p = X.shape[1]
    if gram.shape != (p, p):
        raise ValueError(
            f"precompute must be a Gram matrix of shape ({p}, {p}), got {gram.shape}.")
    if fit_intercept:
        w = np.ones(X.shape[0]) if sample_weight is None else sample_weight
        if not np.allclose((w @ X) / w.sum(), 0.0):
            warnings.warn("Gram matrix was provided but X was centered to fit intercept: "
                          "recomputing Gram matrix.", UserWarning, stacklevel=caller_stacklevel())
            return "gram", None, None
    if check_gram:
        _check_gram(X, gram, sample_weight)
    xy = None if Xy is None else np.asarray(Xy, dtype=np.float64).ravel()
    if xy is not None and xy.shape != (p,):
        raise ValueError(f"Xy must have shape ({p},), got {np.shape(Xy)}.")
    return "gram", gram, xy


def lasso_path(X, y, *, eps=1e-3, alphas=100, **params):
    """Compute the Lasso path (``enet_path`` with ``l1_ratio=1``).

    Objective, for each ``alpha``: ``1 / (2 n) ||y - X w - b||^2 + alpha ||w||_1``.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Training data, dense or sparse; never modified.
    y : array-like of shape (n_samples,)
        Target values.
    eps : float, default=1e-3
        ``alpha_min / alpha_max`` when ``alphas`` is an integer.
    alphas : int or array-like, default=100
        Number of alphas on a log grid from ``alpha_max`` down to ``eps * alpha_max``,
        or the alphas themselves (visited in decreasing order).
    **params : dict
        Other keyword arguments of :func:`enet_path` (``precompute``, ``coef_init``,
        ``return_n_iter``, ``positive``, ``fit_intercept``, ``sample_weight``,
        ``penalty_factor``, ``max_iter``, ``tol``, ``check_input``).

    Returns
    -------
    alphas : ndarray of shape (n_alphas,)
        The alphas of the path, in decreasing order.
    coefs : ndarray of shape (n_features, n_alphas)
        Coefficients at each alpha.
    dual_gaps : ndarray of shape (n_alphas,)
        Duality gap reached at each alpha, in the objective's units.
    n_iters : ndarray of shape (n_alphas,)
        Epochs run at each alpha. Only returned when ``return_n_iter=True``.

    See Also
    --------
    enet_path : the elastic-net path, with every parameter described.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.linear_model import lasso_path
    >>> X = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 7.0]])
    >>> alphas, coefs, gaps = lasso_path(X, np.array([1.0, 2.0, 3.0]), alphas=[1.0, 0.1])
    >>> coefs.shape
    (2, 2)
    """
    return enet_path(X, y, l1_ratio=1.0, eps=eps, alphas=alphas, **params)


class ElasticNet(EnetStatsMixin, SparseCoefMixin, LinearPredictorMixin, RegressorMixin,
                 BaseEstimator):
    """Linear regression with combined L1 and L2 priors, solved by the sparsestat engine.

    Minimizes::

        1 / (2 n) ||y - X w - b||^2
            + alpha * sum_j pf_j (l1_ratio |w_j| + (1 - l1_ratio) / 2 w_j^2)

    with scikit-learn's parameters and semantics, plus per-feature ``penalty_factor``
    ``pf``. The solver is working-set coordinate descent with Anderson acceleration in
    one compiled call, or coordinate descent on the Gram matrix when n >> p.

    Parameters
    ----------
    alpha : float, default=1.0
        Regularization strength, >= 0, multiplying the penalty in the objective above
        (the data term is scaled by ``1 / (2 n)``, so alpha does not grow with n).
        ``alpha_max_`` is the smallest value that zeroes every penalized coefficient;
        fitting at or above it warns. ``alpha=0`` is least squares (use
        :class:`sklearn.linear_model.LinearRegression` for that).
    l1_ratio : float, default=0.5
        Mix of the penalties, in [0, 1]: 1 is the Lasso, 0 pure ridge (L2 only, no
        zero coefficients).
    fit_intercept : bool, default=True
        Fit an unpenalized intercept. A dense X is centered once (a copy); a sparse X is
        never centered (the intercept is updated within coordinate descent instead).
    precompute : {"auto", True, False} or array-like of shape (n_features, n_features), \
            default="auto"
        Use the Gram matrix (True), plain CD (False), or decide from the shape: Gram CD
        when X is dense with n_samples >= 2 n_features (unlike scikit-learn, whose
        default is False). An array is the Gram matrix ``X^T diag(sw) X`` itself, as in
        scikit-learn: spot-checked against X unless ``fit(..., check_input=False)``, and
        recomputed (with scikit-learn's UserWarning) when ``fit_intercept`` has to center
        a non-centered X. Sparse X ignores it, as in scikit-learn.
    max_iter : int, default=1000
        Maximum number of coordinate-descent epochs, summed over the outer iterations
        (an epoch is one pass over the current working set, or over all features for
        Gram CD). A ConvergenceWarning is raised when it is reached before ``tol``.
    copy_X : bool, default=True
        scikit-learn's "if False, X may be overwritten": sparsestat never overwrites X
        (centering works on a copy), so both values are safe and give the same fit.
    tol : float, default=1e-4
        Stop when the duality gap is below ``tol * ||y - ybar||^2 / n`` (weighted by
        ``sample_weight``; ``||y||^2 / n`` without intercept), i.e. a duality gap
        relative to the variance of y: scikit-learn's criterion. ``dual_gap_`` holds the
        gap reached.
    warm_start : bool, default=False
        Start from the previous ``coef_`` and ``intercept_`` when refitting on data with
        the same number of features; otherwise start from zero.
    positive : bool, default=False
        Constrain the coefficients to be nonnegative.
    random_state : int, RandomState instance or None, default=None
        Seeds the visiting order when ``selection="random"``; unused otherwise. Pass an
        int for reproducible fits.
    selection : {"cyclic", "random"}, default="cyclic"
        Order in which working-set coordinate descent visits the features in each
        epoch: in order, or in a new random order each epoch (seeded by
        ``random_state``). Gram CD always visits them in order.
    penalty_factor : array-like of shape (n_features,), default=None
        Per-feature multipliers ``pf_j`` of the penalty (0 leaves a feature
        unpenalized); None means 1 for every feature.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
        Coefficients, in the dtype of X (float32 stays float32); one row per column of a
        2-D ``y`` (each column its own problem, as in scikit-learn;
        :class:`MultiTaskElasticNet` shares one support).
    intercept_ : float or ndarray of shape (n_targets,)
        Intercept; 0.0 when ``fit_intercept=False``.
    n_iter_ : int or list of int
        Coordinate-descent epochs run (the quantity bounded by ``max_iter``; one per
        target for a 2-D ``y``).
    dual_gap_ : float or ndarray of shape (n_targets,)
        Duality gap at the solution, in the objective's units (not divided by
        ``||y - ybar||^2 / n``).
    alpha_max_ : float or ndarray of shape (n_targets,)
        Smallest alpha giving an all-zero solution on the training data:
        ``max_j |x_j^T (y - ybar)| / (n pf_j l1_ratio)``, weighted by ``sample_weight``
        (``l1_ratio`` taken at least 1e-3; the signed maximum with ``positive=True``).
    objective_history_ : ndarray of shape (n_checks,) or list of ndarray
        Objective value at each convergence check: at the start of each outer
        (working-set) iteration for working-set CD, after each epoch for Gram CD.
    sparse_coef_ : scipy.sparse.csr_matrix of shape (1, n_features) or (n_targets, n_features)
        ``coef_`` as a sparse matrix, one row per target.
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when X has feature
        names that are all strings.

    See Also
    --------
    Lasso : the ``l1_ratio=1`` case.
    enet_path : the regularization path.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.linear_model import ElasticNet
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((50, 5))
    >>> y = X @ np.array([1.0, 0.0, 0.0, 2.0, 0.0]) + 0.1 * rng.standard_normal(50)
    >>> model = ElasticNet(alpha=0.1, l1_ratio=0.9).fit(X, y)
    >>> np.flatnonzero(model.coef_)
    array([0, 3])
    """

    _parameter_constraints = {
        "alpha": [Interval(numbers.Real, 0, None, closed="left")],
        "l1_ratio": [Interval(numbers.Real, 0, 1, closed="both")],
        "fit_intercept": ["boolean"],
        "precompute": [StrOptions({"auto"}), "boolean", "array-like"],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "copy_X": ["boolean"],
        "tol": [Interval(numbers.Real, 0, None, closed="left")],
        "warm_start": ["boolean"],
        "positive": ["boolean"],
        "random_state": ["random_state"],
        "selection": [StrOptions({"cyclic", "random"})],
        "penalty_factor": ["array-like", None],
    }

    def __init__(
        self, alpha=1.0, *, l1_ratio=0.5, fit_intercept=True, precompute="auto",
        max_iter=1000, copy_X=True, tol=1e-4, warm_start=False, positive=False,
        random_state=None, selection="cyclic", penalty_factor=None,
    ):
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.precompute = precompute
        self.max_iter = max_iter
        self.copy_X = copy_X
        self.tol = tol
        self.warm_start = warm_start
        self.positive = positive
        self.random_state = random_state
        self.selection = selection
        self.penalty_factor = penalty_factor

    def _penalty(self):
        return ElasticNetPenalty(alpha=self.alpha, l1_ratio=self.l1_ratio)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, check_input=True):
        """Fit the model.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data, dense (float32 or float64, kept) or sparse; never modified.
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            A 2-D ``y`` fits one independent problem per column.
        sample_weight : float or array-like of shape (n_samples,), default=None
            Rescaled internally to sum to n_samples (scikit-learn's convention); a
            scalar means no weights.
        check_input : bool, default=True
            scikit-learn's switch: False skips the validation of X and y (and the spot
            check of a precomputed Gram matrix); X must then be a float64 / float32
            ndarray or CSC matrix and y a float ndarray, as validation would make them.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        if self.alpha == 0:
            # scikit-learn's words: the fit is least squares (coordinate descent is slow)
            warnings.warn(
                "With alpha=0, this algorithm does not converge well. You are advised to use "
                "the LinearRegression estimator", UserWarning, stacklevel=caller_stacklevel())
        if self._fit_scaleout(X, y, sample_weight):  # dask input or SufficientStatistics
            return self
        xty = None
        if check_input:
            X, y, xty = validate_regression_input_xy(self, X, y)
        else:
            y = np.asarray(y, dtype=np.float64)
        if isinstance(sample_weight, numbers.Number):
            sample_weight = None
        if y.ndim == 2:
            return self._fit_columns(X, y, sample_weight, check_input)
        sw = normalized_sample_weight(sample_weight, X)
        solver, gram, xy = _gram_or_solver(self.precompute, None, X, sw, self.fit_intercept,
                                           check_input)
        if xy is None and gram is None and sw is None and not self.fit_intercept:
            xy = xty  # the finite check's X^T y is the engine's (one pass less on tall data)
        pf = check_penalty_factor(self.penalty_factor, X.shape[1])
        coef_init, intercept_init = warm_start_init(self, (X.shape[1],))
        seed = None
        if self.selection == "random":
            seed = int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))
        fit = fit_penalized(
            X, y, Quadratic(), self._penalty(), sample_weight=sw,
            fit_intercept=self.fit_intercept, penalty_factor=pf, positive=self.positive,
            coef_init=coef_init, intercept_init=intercept_init, solver=solver,
            max_iter=self.max_iter, tol=self.tol, random_seed=seed, gram=gram, xy=xy)
        result = fit.result
        l1_ratio = max(self.l1_ratio, 1e-3)
        if result.max_correlation is not None:  # free: Gram CD's X^T y, a cold CD start's pass
            self.alpha_max_ = result.max_correlation / l1_ratio
        else:
            self.alpha_max_ = alpha_max_l1(X, y, sample_weight=sw,
                                           fit_intercept=self.fit_intercept,
                                           penalty_factor=pf, l1_ratio=l1_ratio,
                                           positive=self.positive)
        if self.l1_ratio > 0 and self.alpha >= self.alpha_max_ and np.any(pf > 0):
            warnings.warn(
                f"alpha={self.alpha:.4g} >= alpha_max={self.alpha_max_:.4g}: every penalized "
                "coefficient is zero. The objective is 1/(2n)||y - Xw||^2 + alpha * penalty; "
                "try a smaller alpha.", AlphaMaxWarning, stacklevel=caller_stacklevel())
        check_finite_fit(self, coef_=fit.coef, intercept_=fit.intercept)
        if not result.converged:
            warnings.warn(
                "Objective did not converge. You might want to increase the number of "
                f"iterations (max_iter) or scale the features. Duality gap "
                f"{result.stop_crit:.3e} after {result.n_iter} epochs (target {self.tol:.1e} "
                "relative).", ConvergenceWarning, stacklevel=caller_stacklevel())
        self.coef_ = fit.coef.astype(X.dtype, copy=False)
        self.intercept_ = fit.intercept
        self.n_iter_ = result.n_iter
        self.dual_gap_ = result.stop_crit
        self.objective_history_ = result.objective
        return self

    def _fit_columns(self, X, Y, sample_weight, check_input):
        """scikit-learn's multi-output fit: one independent problem per column of ``Y``."""
        n_targets = Y.shape[1]
        coef = getattr(self, "coef_", None)
        warm = self.warm_start and coef is not None and \
            np.shape(coef) in ((n_targets, X.shape[1]), (X.shape[1],))
        if check_input and not isinstance(self.precompute, (str, bool, np.bool_)):
            _gram_or_solver(self.precompute, None, X, normalized_sample_weight(
                sample_weight, X), False, True)  # scikit-learn's spot check, once
        fits = []
        for t in range(n_targets):
            est = clone(self)
            if warm:
                est.coef_ = np.atleast_2d(np.asarray(coef))[t]
                est.intercept_ = float(np.ravel(getattr(self, "intercept_", 0.0))[t]) \
                    if np.size(getattr(self, "intercept_", 0.0)) == n_targets else 0.0
            fits.append(est.fit(X, Y[:, t], sample_weight=sample_weight,
                                check_input=False))
        self.coef_ = np.vstack([f.coef_ for f in fits])
        self.intercept_ = np.array([f.intercept_ for f in fits])
        self.n_iter_ = [f.n_iter_ for f in fits]
        self.dual_gap_ = np.array([f.dual_gap_ for f in fits])
        self.alpha_max_ = np.array([f.alpha_max_ for f in fits])
        self.objective_history_ = [f.objective_history_ for f in fits]
        if n_targets == 1:  # scikit-learn: a (n, 1) target gives a 1-D coef_
            self.coef_ = self.coef_[0]
            self.n_iter_ = self.n_iter_[0]
            self.dual_gap_ = self.dual_gap_[0]
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.target_tags.multi_output = True  # a 2-D y fits one problem per column
        return tags


class Lasso(ElasticNet):
    """Linear regression with an L1 penalty, solved by the sparsestat engine.

    Minimizes ``1 / (2 n) ||y - X w - b||^2 + alpha * sum_j pf_j |w_j|`` with
    scikit-learn's parameters and semantics (see :class:`ElasticNet`).

    Parameters
    ----------
    alpha : float, default=1.0
        Regularization strength, >= 0, multiplying the L1 penalty in the objective above
        (the data term is scaled by ``1 / (2 n)``, so alpha does not grow with n).
        ``alpha_max_`` is the smallest value that zeroes every penalized coefficient;
        fitting at or above it warns. ``alpha=0`` is least squares (use
        :class:`sklearn.linear_model.LinearRegression` for that).
    fit_intercept : bool, default=True
        Fit an unpenalized intercept. A dense X is centered once (a copy); a sparse X is
        never centered (the intercept is updated within coordinate descent instead).
    precompute : {"auto", True, False} or array-like of shape (n_features, n_features), \
            default="auto"
        As in :class:`ElasticNet` (an array is the Gram matrix).
    max_iter : int, default=1000
        Maximum number of coordinate-descent epochs, summed over the outer iterations
        (an epoch is one pass over the current working set, or over all features for
        Gram CD). A ConvergenceWarning is raised when it is reached before ``tol``.
    copy_X : bool, default=True
        Kept for scikit-learn compatibility: X is never modified, whatever its value.
    tol : float, default=1e-4
        Stop when the duality gap is below ``tol * ||y - ybar||^2 / n`` (weighted by
        ``sample_weight``; ``||y||^2 / n`` without intercept), i.e. a duality gap
        relative to the variance of y: scikit-learn's criterion. ``dual_gap_`` holds the
        gap reached.
    warm_start : bool, default=False
        Start from the previous ``coef_`` and ``intercept_`` when refitting on data with
        the same number of features; otherwise start from zero.
    positive : bool, default=False
        Constrain the coefficients to be nonnegative.
    random_state : int, RandomState instance or None, default=None
        Seeds the visiting order when ``selection="random"``; unused otherwise. Pass an
        int for reproducible fits.
    selection : {"cyclic", "random"}, default="cyclic"
        Order in which working-set coordinate descent visits the features in each
        epoch: in order, or in a new random order each epoch (seeded by
        ``random_state``). Gram CD always visits them in order.
    penalty_factor : array-like of shape (n_features,), default=None
        Per-feature multipliers ``pf_j`` of the penalty (0 leaves a feature
        unpenalized); None means 1 for every feature.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
        Coefficients, in the dtype of X (float32 stays float32); one row per column of a
        2-D ``y`` (each column its own problem, as in scikit-learn;
        :class:`MultiTaskElasticNet` shares one support).
    intercept_ : float or ndarray of shape (n_targets,)
        Intercept; 0.0 when ``fit_intercept=False``.
    n_iter_ : int or list of int
        Coordinate-descent epochs run (the quantity bounded by ``max_iter``; one per
        target for a 2-D ``y``).
    dual_gap_ : float or ndarray of shape (n_targets,)
        Duality gap at the solution, in the objective's units (not divided by
        ``||y - ybar||^2 / n``).
    alpha_max_ : float or ndarray of shape (n_targets,)
        Smallest alpha giving an all-zero solution on the training data:
        ``max_j |x_j^T (y - ybar)| / (n pf_j l1_ratio)``, weighted by ``sample_weight``
        (``l1_ratio`` taken at least 1e-3; the signed maximum with ``positive=True``).
    objective_history_ : ndarray of shape (n_checks,) or list of ndarray
        Objective value at each convergence check: at the start of each outer
        (working-set) iteration for working-set CD, after each epoch for Gram CD.
    sparse_coef_ : scipy.sparse.csr_matrix of shape (1, n_features) or (n_targets, n_features)
        ``coef_`` as a sparse matrix, one row per target.
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when X has feature
        names that are all strings.

    See Also
    --------
    ElasticNet : L1 and L2 penalties combined.
    LassoCV : alpha chosen by cross-validation.
    lasso_path : the regularization path.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.linear_model import Lasso
    >>> X = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]])
    >>> reg = Lasso(alpha=0.1).fit(X, np.array([0.0, 1.0, 2.0]))
    >>> reg.coef_.round(3)
    array([0.85, 0.  ])
    """

    _parameter_constraints = {
        k: v for k, v in ElasticNet._parameter_constraints.items() if k != "l1_ratio"
    }

    def __init__(
        self, alpha=1.0, *, fit_intercept=True, precompute="auto", copy_X=True,
        max_iter=1000, tol=1e-4, warm_start=False, positive=False, random_state=None,
        selection="cyclic", penalty_factor=None,
    ):
        super().__init__(
            alpha=alpha, l1_ratio=1.0, fit_intercept=fit_intercept, precompute=precompute,
            max_iter=max_iter, copy_X=copy_X, tol=tol, warm_start=warm_start,
            positive=positive, random_state=random_state, selection=selection,
            penalty_factor=penalty_factor)
