"""PRESTO: sparse ordinal regression shrunk towards proportional odds (Faletto & Bien, 2023)."""

import numbers
import warnings

import numpy as np
from joblib import Parallel
from sklearn.base import _fit_context
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils._metadata_requests import _raise_for_params
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_array

from .._engine import ElasticNet as ElasticNetPenalty
from ..exceptions import caller_stacklevel
from ..utils._validation import check_grid
from ..utils._model_selection import CVRoutingMixin, one_se_index, routed_folds
from ..utils._parallel import delayed
from ..utils._progress import progress
from ._base import (
    BaseOrdinalClassifier,
    OrdinalProblem,
    brier_score,
    class_probabilities,
    encode_ordinal_labels,
    validate_ordinal_input,
)

__all__ = ["PRESTOClassifier", "PRESTOClassifierCV", "presto_path"]


def _alpha_grid(alpha_max, eps, n_alphas):
    if alpha_max <= 0:
        return np.full(n_alphas, np.finfo(float).resolution)
    return np.geomspace(alpha_max, alpha_max * eps, num=n_alphas)


def _run_path(problem, alphas, l1_ratio, max_iter, tol, start=None):
    """Warm-started solves along decreasing ``alphas``; user-scale results."""
    alpha, psi = problem.start() if start is None else start
    n_thr = problem.n_classes - 1
    coefs = np.empty((len(alphas), n_thr, problem.n_features))
    intercepts = np.empty((len(alphas), n_thr))
    n_iters = np.empty(len(alphas), dtype=int)
    converged = True
    for t, lam in enumerate(alphas):
        penalty = ElasticNetPenalty(alpha=float(lam), l1_ratio=float(l1_ratio))
        n_iter, _, ok, _ = problem.solve(penalty, alpha, psi, max_iter, tol)
        converged &= ok
        intercepts[t], coefs[t] = problem.to_user(alpha, psi)
        n_iters[t] = n_iter
    return alphas, coefs, intercepts, n_iters, converged


def _warn_not_converged(where):
    warnings.warn(
        f"PRESTO did not converge {where}: the KKT violation stayed above tol. Increase "
        "max_iter, use a larger alpha (unpenalized fits diverge on separable data), or a "
        "larger tol when the violation is near rounding level (1e-10).",
        ConvergenceWarning, stacklevel=caller_stacklevel())


def presto_path(X, y, *, alphas=20, eps=1e-2, l1_ratio=1.0, sample_weight=None,
                classes=None, max_iter=100, tol=1e-7, return_n_iter=False):
    """Compute the PRESTO regularization path with warm starts.

    Objective for each ``alpha`` (see :class:`PRESTOClassifier`)::

        -(1/n) sum_i w_i log p_{y_i}(x_i)
            + alpha * sum_{j,k} s_j (l1_ratio |psi_jk| + (1 - l1_ratio) psi_jk^2 / 2)

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Training data, dense or sparse; never modified.
    y : array-like of shape (n_samples,)
        Ordered labels: at least two classes (with two, one threshold: the
        L1-penalized logistic regression of ``y > classes[0]``).
    alphas : int or array-like, default=20
        Number of alphas on a log grid from ``alpha_max`` (the smallest alpha at which
        every ``psi`` is zero) down to ``eps * alpha_max``, or the alphas themselves
        (visited in decreasing order, each solve warm-started at the previous one).
    eps : float, default=1e-2
        ``alpha_min / alpha_max`` when ``alphas`` is an int.
    l1_ratio : float, default=1.0
        Mix of the L1 (1.0, PRESTO) and ridge (0.0, PRESTO_L2) penalties on the
        differences ``psi``.
    sample_weight : array-like of shape (n_samples,), default=None
        Weights multiplying each sample's loss, rescaled to sum to the number of
        samples with positive weight; zero weights drop samples.
    classes : array-like, default=None
        The labels in their order, lowest first (default: sorted unique labels).
    max_iter : int, default=100
        Maximum number of proximal Newton iterations per alpha.
    tol : float, default=1e-7
        Stop at each alpha when the largest KKT violation, in the units of the averaged
        loss gradient, is below ``tol``.
    return_n_iter : bool, default=False
        Whether to also return the iterations run at each alpha.

    Returns
    -------
    alphas : ndarray of shape (n_alphas,)
        The alphas of the path, in decreasing order.
    coefs : ndarray of shape (n_alphas, n_classes - 1, n_features)
        ``beta_k`` of every threshold (not the differences).
    intercepts : ndarray of shape (n_alphas, n_classes - 1)
        Intercepts for the user's (uncentered) ``X`` at each alpha.
    n_iters : ndarray of shape (n_alphas,)
        Proximal Newton iterations at each alpha. Only when ``return_n_iter=True``.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.ordinal import presto_path
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((200, 3))
    >>> y = np.digitize(X[:, 0] + rng.logistic(size=200), [-1.0, 0.5, 2.0])
    >>> alphas, coefs, intercepts = presto_path(X, y, alphas=5)
    >>> coefs.shape
    (5, 3, 3)
    """
    X = check_array(X, accept_sparse="csc", dtype=np.float64)
    y = np.asarray(y)
    if y.ndim != 1 or y.shape[0] != X.shape[0]:
        raise ValueError(f"y must be 1-d with {X.shape[0]} labels; got shape {y.shape}.")
    _, codes = encode_ordinal_labels(y, classes, min_classes=2, estimator_name="presto_path")
    K = int(codes.max()) + 1
    problem = OrdinalProblem(X, codes, sample_weight, K, K - 1)
    if isinstance(alphas, numbers.Integral):
        grid = _alpha_grid(problem.alpha_max(max(l1_ratio, 1e-3)), eps, int(alphas))
    else:
        grid = np.sort(check_grid(alphas, "alphas"))[::-1]
    grid, coefs, intercepts, n_iters, converged = _run_path(problem, grid, l1_ratio,
                                                            max_iter, tol)
    if not converged:
        _warn_not_converged("for some alphas of the path")
    if return_n_iter:
        return grid, coefs, intercepts, n_iters
    return grid, coefs, intercepts


class PRESTOClassifier(BaseOrdinalClassifier):
    """Sparse ordinal regression that shrinks towards proportional odds (PRESTO).

    A cumulative-logit model with a separate weight vector per threshold,
    ``P(y <= k | x) = sigmoid(intercept_[k] + coef_[k] @ x)``, fitted by::

        -(1/n) sum_i w_i log p_{y_i}(x_i) + alpha * sum_{j,k} s_j |psi_jk|

    where ``psi_1 = beta_1`` and ``psi_k = beta_k - beta_{k-1}`` (adjacent
    differences), ``s_j`` is the (weighted, ``ddof=0``) standard deviation of column
    ``j`` and the intercepts are unpenalized. Zero differences give the proportional
    odds model, so PRESTO borrows strength from the common classes for the rare top
    class (Faletto and Bien, ICML 2023). Positive ``coef_`` moves mass to *lower*
    classes (the opposite sign of statsmodels' ``OrderedModel``).

    Solved by working-set proximal Newton (exact Hessian, coordinate descent on the
    quadratic model, backtracking line search keeping every training class probability
    positive) in one compiled call.

    Parameters
    ----------
    alpha : float, default=0.01
        Regularization strength; ``alpha >= alpha_max_`` gives the intercept-only model.
        :class:`PRESTOClassifierCV` chooses it by cross-validation.
    l1_ratio : float, default=1.0
        1 is PRESTO; smaller values add a ridge part (0 is the paper's PRESTO_L2).
    classes : array-like, default=None
        Every label of ``y`` in order, lowest first. By default the order is that of an
        ordered pandas Categorical ``y``, else the sorted order of the labels
        (``np.unique``). The last class should be the rare one of interest.
    max_iter : int, default=100
        Maximum number of proximal Newton iterations.
    tol : float, default=1e-7
        Stop when the largest violation of the optimality (KKT) conditions, in the
        units of the averaged loss gradient, is below ``tol``.
    warm_start : bool, default=False
        Start from the previous solution.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Labels, lowest first.
    coef_ : ndarray of shape (n_classes - 1, n_features)
        ``beta_k`` of each threshold.
    intercept_ : ndarray of shape (n_classes - 1,)
        Intercepts for the user's (uncentered) ``X``.
    psi_ : ndarray of shape (n_classes - 1, n_features)
        ``beta_1`` and the adjacent differences ``beta_k - beta_{k-1}``.
    alpha_max_ : float
        Smallest alpha at which every ``psi`` is zero.
    n_iter_ : int
        Proximal Newton iterations run.
    kkt_violation_ : float
        Largest KKT violation at the returned solution.
    objective_ : float
        Value of the penalized objective at the returned solution.
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when X has feature
        names that are all strings.

    See Also
    --------
    PRESTOClassifierCV : chooses ``alpha`` by cross-validated Brier score.
    ProportionalOddsClassifier : the limit with all differences zero.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.ordinal import PRESTOClassifier
    >>> rng = np.random.default_rng(0)
    >>> X = rng.uniform(-1, 1, size=(500, 4))
    >>> y = np.digitize(2 * X[:, 0] + rng.logistic(size=500), [-1.0, 1.0, 2.5])
    >>> clf = PRESTOClassifier(alpha=0.01).fit(X, y)
    >>> clf.coef_.shape
    (3, 4)
    >>> bool(np.allclose(clf.predict_proba(X).sum(axis=1), 1.0))
    True
    """

    _n_levels_all = True
    # two classes leave one threshold and nothing to shrink towards proportional odds:
    # the fit is the penalized logistic regression of y > classes_[0]
    _min_classes = 2

    _parameter_constraints = {
        "alpha": [Interval(numbers.Real, 0, None, closed="left")],
        "l1_ratio": [Interval(numbers.Real, 0, 1, closed="both")],
        "classes": ["array-like", None],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "tol": [Interval(numbers.Real, 0, None, closed="left")],
        "warm_start": ["boolean"],
    }

    def __init__(self, alpha=0.01, *, l1_ratio=1.0, classes=None, max_iter=100, tol=1e-7,
                 warm_start=False):
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.classes = classes
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the model.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Never modified.
        y : array-like of shape (n_samples,)
            Ordered labels (see ``classes``).
        sample_weight : array-like of shape (n_samples,), default=None
            Weights multiply each sample's loss (rescaled to sum to n_samples); zero
            weights drop samples.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        X, codes, sw, classes_ = validate_ordinal_input(self, X, y, sample_weight,
                                                        min_classes=self._min_classes)
        K = classes_.shape[0]
        n_levels = K - 1 if self._n_levels_all else 1
        problem = OrdinalProblem(X, codes, sw, K, n_levels)
        start = None
        if (self.warm_start and hasattr(self, "coef_")
                and self.coef_.shape == (K - 1, X.shape[1])):
            start = problem.internal_start(self.intercept_, self.coef_)
        alpha, psi = problem.start() if start is None else start
        penalty = ElasticNetPenalty(alpha=float(self.alpha), l1_ratio=float(self.l1_ratio))
        self.alpha_max_ = problem.alpha_max(max(self.l1_ratio, 1e-3))
        n_iter, stop_crit, converged, objective = problem.solve(penalty, alpha, psi,
                                                                self.max_iter, self.tol)
        intercept, coef = problem.to_user(alpha, psi)
        if not (np.all(np.isfinite(coef)) and np.all(np.isfinite(intercept))):
            raise ValueError(f"{type(self).__name__} produced non-finite coefficients: the "
                             "problem is ill-posed (try a larger alpha).")
        if not converged:
            _warn_not_converged(f"(KKT violation {stop_crit:.2e} after {n_iter} "
                                "iterations)")
        self.classes_ = classes_
        self.coef_ = coef
        self.intercept_ = intercept
        self.psi_ = np.diff(coef, axis=0, prepend=0.0)
        self.n_iter_ = n_iter
        self.kkt_violation_ = stop_crit
        self.objective_ = objective
        return self


class PRESTOClassifierCV(CVRoutingMixin, BaseOrdinalClassifier):
    """PRESTO with ``alpha`` chosen by K-fold cross-validation on the Brier score.

    Fits the warm-started path of :func:`presto_path` on each training fold (folds in
    parallel), scores every alpha by the multiclass Brier score
    ``mean_i sum_k (p_ik - 1{y_i = k})^2`` on the held-out fold, picks the largest alpha
    attaining the minimum mean score, and refits on all data (Faletto and Bien's
    protocol).

    Parameters
    ----------
    alphas : int or array-like, default=20
        Number of alphas on a log grid from ``alpha_max`` (of the full data) down to
        ``eps * alpha_max``, or the alphas themselves (visited in decreasing order).
    eps : float, default=1e-2
        ``alpha_min / alpha_max`` when ``alphas`` is an int.
    l1_ratio : float, default=1.0
        Mix of the L1 (1.0, PRESTO) and ridge (0.0, PRESTO_L2) penalties on the
        differences ``psi``.
    cv : int, cross-validation generator or iterable, default=5
        Integers mean stratified K-fold (unshuffled); or a splitter / iterable of
        (train, test) index arrays. Every training fold must hold every class.
    n_jobs : int, default=None
        Folds fitted in parallel (threads: the compiled solver releases the GIL). None
        means 1 unless in a :obj:`joblib.parallel_backend` context, -1 means all
        processors.
    classes : array-like, default=None
        Every label of ``y`` in order, lowest first (see :class:`PRESTOClassifier`).
    max_iter : int, default=100
        Maximum number of proximal Newton iterations per alpha of each path.
    tol : float, default=1e-7
        Stop each solve when the largest KKT violation, in the units of the averaged
        loss gradient, is below ``tol``.
    alpha_select : {"min", "1se"}, default="min"
        Refit at the alpha of least mean held-out Brier score (``"min"``) or at the
        largest alpha within one standard error of it (``"1se"``, glmnet's
        ``lambda.1se``).
    verbose : int, default=0
        Progress of the path fits on the folds: 0 silent; 1 a progress bar (tqdm, if
        installed; else a few lines); 2 or more one line per fold. On standard error.

    Attributes
    ----------
    alpha_ : float
        The chosen alpha (``alpha_min_`` or ``alpha_1se_``).
    alpha_min_ : float
        The largest alpha attaining the least mean held-out Brier score.
    alpha_1se_ : float
        The largest alpha within one standard error of that minimum.
    alphas_ : ndarray of shape (n_alphas,)
        The grid of alphas, in decreasing order.
    brier_path_ : ndarray of shape (n_folds, n_alphas)
        Held-out Brier score of every fold and alpha.
    mean_brier_ : ndarray of shape (n_alphas,)
        Mean of ``brier_path_`` over the folds.
    coef_path_ : ndarray of shape (n_alphas, n_classes - 1, n_features)
        The path on all data.
    intercept_path_ : ndarray of shape (n_alphas, n_classes - 1)
        Intercepts of the path on all data.
    classes_ : ndarray of shape (n_classes,)
        Labels, lowest first.
    coef_ : ndarray of shape (n_classes - 1, n_features)
        ``beta_k`` of each threshold at ``alpha_`` (from the full-data path).
    intercept_ : ndarray of shape (n_classes - 1,)
        Intercepts at ``alpha_``, for the user's (uncentered) ``X``.
    psi_ : ndarray of shape (n_classes - 1, n_features)
        ``beta_1`` and the adjacent differences ``beta_k - beta_{k-1}`` at ``alpha_``.
    n_iter_ : int
        Proximal Newton iterations of the final fit.
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when X has feature
        names that are all strings.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.ordinal import PRESTOClassifierCV
    >>> rng = np.random.default_rng(0)
    >>> X = rng.uniform(-1, 1, size=(500, 4))
    >>> y = np.digitize(2 * X[:, 0] + rng.logistic(size=500), [-1.0, 1.0, 2.5])
    >>> clf = PRESTOClassifierCV(alphas=10, cv=3).fit(X, y)
    >>> bool(clf.alpha_ in clf.alphas_)
    True
    """

    _parameter_constraints = {
        "alphas": [Interval(numbers.Integral, 1, None, closed="left"), "array-like"],
        "eps": [Interval(numbers.Real, 0, 1, closed="neither")],
        "l1_ratio": [Interval(numbers.Real, 0, 1, closed="both")],
        "cv": ["cv_object"],
        "n_jobs": [numbers.Integral, None],
        "classes": ["array-like", None],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "tol": [Interval(numbers.Real, 0, None, closed="left")],
        "alpha_select": [StrOptions({"min", "1se"})],
        "verbose": ["verbose"],
    }

    def __init__(self, alphas=20, *, eps=1e-2, l1_ratio=1.0, cv=5, n_jobs=None,
                 classes=None, max_iter=100, tol=1e-7, alpha_select="min", verbose=0):
        self.verbose = verbose
        self.alpha_select = alpha_select
        self.alphas = alphas
        self.eps = eps
        self.l1_ratio = l1_ratio
        self.cv = cv
        self.n_jobs = n_jobs
        self.classes = classes
        self.max_iter = max_iter
        self.tol = tol

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, **params):
        """Fit the path on every fold, choose ``alpha_`` and refit on all data.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data, dense or sparse; never modified.
        y : array-like of shape (n_samples,)
            Ordered labels (see ``classes``), at least two classes.
        sample_weight : array-like of shape (n_samples,), default=None
            Used in the fits and to weight the held-out Brier scores.
        **params : dict
            Metadata for the CV splitter (e.g. ``groups``), routed as in scikit-learn
            (only with metadata routing enabled).

        Returns
        -------
        self : object
            The estimator refitted on all the data at ``alpha_``.
        """
        _raise_for_params(params, self, "fit")
        X, codes, sw, classes_ = validate_ordinal_input(self, X, y, sample_weight,
                                                        min_classes=2)
        K = classes_.shape[0]
        problem = OrdinalProblem(X, codes, sw, K, K - 1)
        if isinstance(self.alphas, numbers.Integral):
            grid = _alpha_grid(problem.alpha_max(max(self.l1_ratio, 1e-3)), self.eps,
                               int(self.alphas))
        else:
            grid = np.sort(np.asarray(self.alphas, dtype=np.float64).ravel())[::-1]
            if grid.size == 0 or np.any(grid < 0) or not np.all(np.isfinite(grid)):
                raise ValueError("alphas must be nonnegative finite numbers.")
        folds = routed_folds(self, X, codes, sample_weight, params, classifier=True)
        w = np.ones(X.shape[0]) if sw is None else sw

        def fold_scores(train, test):
            counts = np.bincount(codes[train], weights=w[train], minlength=K)
            if np.any(counts <= 0):
                raise ValueError(
                    "a cross-validation training fold misses a class; use fewer folds or "
                    "stratified folds (the default for an integer cv).")
            sub = OrdinalProblem(X[train], codes[train], w[train], K, K - 1)
            _, coefs, intercepts, _, ok = _run_path(sub, grid, self.l1_ratio,
                                                    self.max_iter, self.tol)
            Xt = X[test]
            scores = np.empty(len(grid))
            for t in range(len(grid)):
                eta = np.asarray(Xt @ coefs[t].T) + intercepts[t]
                scores[t] = brier_score(class_probabilities(eta), codes[test], w[test])
            return scores, ok

        task = delayed(fold_scores)  # here: warnings in the folds name the caller's line
        results = list(progress(
            Parallel(n_jobs=self.n_jobs, prefer="threads", return_as="generator")(
                task(train, test) for train, test in folds),
            self.verbose, "PRESTOClassifierCV: paths on the folds", total=len(folds)))
        self.brier_path_ = np.array([r[0] for r in results])
        self.mean_brier_ = self.brier_path_.mean(axis=0)
        best = int(np.flatnonzero(self.mean_brier_ == self.mean_brier_.min())[0])
        self.alphas_ = grid
        self.alpha_min_ = float(grid[best])
        self.alpha_1se_ = float(grid[one_se_index(self.mean_brier_, self.brier_path_.T,
                                                  best)])
        if self.alpha_select == "1se":
            best = int(np.flatnonzero(grid == self.alpha_1se_)[0])
        self.alpha_ = float(grid[best])
        _, coefs, intercepts, n_iters, ok = _run_path(problem, grid, self.l1_ratio,
                                                      self.max_iter, self.tol)
        if not (ok and all(r[1] for r in results)):
            _warn_not_converged("for some alphas of the path")
        self.coef_path_ = coefs
        self.intercept_path_ = intercepts
        self.classes_ = classes_
        self.coef_ = coefs[best].copy()
        self.intercept_ = intercepts[best].copy()
        self.psi_ = np.diff(self.coef_, axis=0, prepend=0.0)
        self.n_iter_ = int(n_iters[best])
        return self
