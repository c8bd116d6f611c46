"""Sparse logistic regression: L1, elastic net, MCP or SCAD; binary, one-vs-rest, multinomial."""

import numbers

import numpy as np
from joblib import Parallel, delayed
from scipy.special import expit, softmax
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, check_random_state, validate_data

from .._engine import L1, MCP, SCAD, ElasticNet, Logistic
from .._engine._multinomial import solve_multinomial
from ..utils._validation import check_finite_fit, check_penalty_factor
from ._base import normalized_sample_weight, warm_start_init
from ._glm import convergence_warning, fit_penalized, standardize_design

__all__ = ["SparseLogisticRegression"]


def logistic_penalty(name, alpha, l1_ratio=0.5, gamma=None):
    """The engine penalty behind ``penalty=name``."""
    if name == "l1":
        return L1(alpha=float(alpha))
    if name == "elasticnet":
        return ElasticNet(alpha=float(alpha), l1_ratio=float(l1_ratio))
    if name == "mcp":
        return MCP(alpha=float(alpha), gamma=3.0 if gamma is None else float(gamma))
    if name == "scad":
        gamma = 3.7 if gamma is None else float(gamma)
        if gamma <= 2:
            raise ValueError(f"penalty='scad' needs gamma > 2, got {gamma}.")
        return SCAD(alpha=float(alpha), gamma=gamma)
    raise ValueError(f"Unknown penalty {name!r}.")


class _MultinomialResult:
    def __init__(self, n_iter, stop_crit, converged, objective):
        self.n_iter = n_iter
        self.stop_crit = stop_crit
        self.converged = converged
        self.objective = objective
        self.solver = "fista"


class SparseLogisticRegression(ClassifierMixin, BaseEstimator):
    """Penalized logistic regression with sparse (L1, elastic-net, MCP, SCAD) penalties.

    Minimizes ``(1/n) sum_i sw_i loss_i + alpha * penalty(w)``: the logistic loss for two
    classes, one binary problem per class (``multi_class="ovr"``) or the softmax loss
    (``"multinomial"``, every class's coefficients penalized). scikit-learn's
    ``LogisticRegression(C=C, l1_ratio=1)`` is ``alpha = 1 / (C n_samples)``.

    Parameters
    ----------
    alpha : float, default=0.01
        Regularization strength, >= 0, multiplying the penalty; the loss is an average
        over samples, so alpha does not grow with n (``alpha = 1 / (C n_samples)`` for
        scikit-learn's ``C``).
    penalty : {"l1", "elasticnet", "mcp", "scad"}, default="l1"
        The sparsity-inducing penalty: Lasso, elastic net, or the nonconvex MCP or
        SCAD (nearly unbiased for large coefficients; see :class:`MCPRegressor`).
    l1_ratio : float, default=0.5
        Mix for ``penalty="elasticnet"``.
    gamma : float, default=None
        Concavity of MCP (default 3) or SCAD (default 3.7, must be > 2).
    multi_class : {"multinomial", "ovr"}, default="multinomial"
        How more than two classes are handled (two classes: one binary problem).
    fit_intercept : bool, default=True
        Fit unpenalized intercepts.
    standardize : bool or "auto", default="auto"
        Fit on standardized columns; "auto" standardizes for MCP and SCAD only (ncvreg's
        habit; ``gamma`` then lives on the standardized scale). ``coef_`` is on the raw
        scale.
    penalty_factor : array-like of shape (n_features,), default=None
        Per-feature multipliers of the penalty (0 leaves a feature unpenalized); None
        means 1 for every feature.
    max_iter : int, default=1000
        Maximum number of iterations per problem: coordinate-descent epochs for the
        binary and one-vs-rest problems, FISTA iterations for the multinomial one. A
        ConvergenceWarning is raised when it is reached before ``tol``.
    tol : float, default=1e-4
        Stop when the largest violation of the optimality conditions is below ``tol``
        times the columns' root mean square (gradient units), so that ``tol`` means the
        same at every scale of X.
    warm_start : bool, default=False
        Start from the previous ``coef_`` and ``intercept_`` when refitting on data with
        the same number of features and classes.
    n_jobs : int, default=None
        Threads over the binary problems of ``multi_class="ovr"``. None means 1 unless
        in a :obj:`joblib.parallel_backend` context, -1 means all processors.
    selection : {"cyclic", "random"}, default="cyclic"
        Order in which coordinate descent visits the features in each epoch (binary and
        one-vs-rest problems): in order, or in a new random order each epoch.
    random_state : int, RandomState instance or None, default=None
        Seeds the visiting order when ``selection="random"``; unused otherwise.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    coef_ : ndarray of shape (1, n_features) or (n_classes, n_features)
        Coefficients on the raw scale of X: one row for two classes (the log-odds of
        ``classes_[1]``), one row per class otherwise.
    intercept_ : ndarray of shape (1,) or (n_classes,)
        Intercepts; zeros when ``fit_intercept=False``.
    n_iter_ : ndarray of shape (1,) or (n_classes,)
        Iterations per problem (one for multinomial).
    stop_crit_ : float
        Largest optimality violation over the problems.
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when X has feature
        names that are all strings.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.linear_model import SparseLogisticRegression
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((200, 8))
    >>> y = (X[:, 0] - X[:, 2] + 0.3 * rng.standard_normal(200) > 0).astype(int)
    >>> clf = SparseLogisticRegression(alpha=0.02).fit(X, y)
    >>> np.flatnonzero(clf.coef_[0])
    array([0, 2])
    >>> clf.score(X, y) > 0.9
    True
    """

    _parameter_constraints = {
        "alpha": [Interval(numbers.Real, 0, None, closed="left")],
        "penalty": [StrOptions({"l1", "elasticnet", "mcp", "scad"})],
        "l1_ratio": [Interval(numbers.Real, 0, 1, closed="both")],
        "gamma": [Interval(numbers.Real, 0, None, closed="neither"), None],
        "multi_class": [StrOptions({"multinomial", "ovr"})],
        "fit_intercept": ["boolean"],
        "standardize": ["boolean", StrOptions({"auto"})],
        "penalty_factor": ["array-like", None],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "tol": [Interval(numbers.Real, 0, None, closed="left")],
        "warm_start": ["boolean"],
        "n_jobs": [numbers.Integral, None],
        "selection": [StrOptions({"cyclic", "random"})],
        "random_state": ["random_state"],
    }

    def __init__(
        self, alpha=0.01, *, penalty="l1", l1_ratio=0.5, gamma=None,
        multi_class="multinomial", fit_intercept=True, standardize="auto",
        penalty_factor=None, max_iter=1000, tol=1e-4, warm_start=False, n_jobs=None,
        selection="cyclic", random_state=None,
    ):
        self.alpha = alpha
        self.penalty = penalty
        self.l1_ratio = l1_ratio
        self.gamma = gamma
        self.multi_class = multi_class
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.penalty_factor = penalty_factor
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start
        self.n_jobs = n_jobs
        self.selection = selection
        self.random_state = random_state

    def _standardize(self):
        if self.standardize == "auto":
            return self.penalty in ("mcp", "scad")
        return bool(self.standardize)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the model.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data, dense (float32 or float64) or sparse; never modified.
        y : array-like of shape (n_samples,)
            Class labels (two or more classes).
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the per-sample losses, rescaled internally to sum to n_samples
            (so they do not change the scale of ``alpha``).

        Returns
        -------
        self : object
            The fitted estimator.
        """
        return self._fit(X, y, sample_weight, self.alpha)

    def _fit(self, X, y, sample_weight, alpha):
        X, y = validate_data(self, X, y, accept_sparse="csc", dtype=[np.float64, np.float32],
                             order="F")
        check_classification_targets(y)
        self.classes_, y_idx = np.unique(y, return_inverse=True)
        n_classes = self.classes_.size
        if n_classes < 2:
            raise ValueError(
                "SparseLogisticRegression needs samples of at least 2 classes in the data, "
                f"but the data contains only one class: {self.classes_[0]!r}.")
        sw = normalized_sample_weight(sample_weight, X)
        p = X.shape[1]
        pf = check_penalty_factor(self.penalty_factor, p)
        penalty = logistic_penalty(self.penalty, alpha, self.l1_ratio, self.gamma)
        standardize = self._standardize()
        design = standardize_design(X, sw, self.fit_intercept) if standardize else None
        seed = None
        if getattr(self, "selection", "cyclic") == "random":
            seed = int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))
        n_rows = 1 if n_classes == 2 else n_classes
        coef_warm, intercept_warm = warm_start_init(self, (n_rows, p))
        warm = coef_warm is not None

        if n_classes > 2 and self.multi_class == "multinomial":
            Xs, mean, scale, centered = design if standardize else (
                X, np.zeros(p), np.ones(p), False)
            W0 = b0 = None
            if warm:
                W0 = coef_warm * scale
                b0 = intercept_warm + (coef_warm @ mean if centered else 0.0)
            W, b, n_iter, crit, converged, hist = solve_multinomial(
                Xs, y_idx, n_classes, penalty, sample_weight=sw,
                fit_intercept=self.fit_intercept, penalty_factor=pf, coef_init=W0,
                intercept_init=b0, max_iter=self.max_iter, tol=self.tol)
            coef = W / scale
            intercept = b - (coef @ mean if centered else 0.0)
            if not self.fit_intercept:
                intercept = np.zeros(n_classes)
            convergence_warning(self, _MultinomialResult(n_iter, crit, converged, hist),
                                self.tol)
            n_iters = np.array([n_iter])
            crits = [crit]
        else:
            problems = [1] if n_classes == 2 else list(range(n_classes))

            def one(k, row):
                yk = np.where(y_idx == k, 1.0, -1.0)
                coef_init = coef_warm[row] if warm else None
                intercept_init = float(np.asarray(intercept_warm)[row]) if warm else 0.0
                return fit_penalized(
                    X, yk, Logistic(), penalty, sample_weight=sw,
                    fit_intercept=self.fit_intercept, standardize=standardize,
                    penalty_factor=pf, coef_init=coef_init, intercept_init=intercept_init,
                    max_iter=self.max_iter, tol=self.tol, random_seed=seed, design=design)

            fits = Parallel(n_jobs=self.n_jobs, prefer="threads")(
                delayed(one)(k, row) for row, k in enumerate(problems))
            for f in fits:
                convergence_warning(self, f.result, self.tol)
            coef = np.vstack([f.coef for f in fits])
            intercept = np.array([f.intercept for f in fits])
            n_iters = np.array([f.result.n_iter for f in fits])
            crits = [f.result.stop_crit for f in fits]
        check_finite_fit(self, coef_=coef, intercept_=intercept)
        self.coef_ = coef.astype(X.dtype, copy=False)
        self.intercept_ = intercept.astype(np.float64)
        self.n_iter_ = n_iters
        self.stop_crit_ = float(max(crits))
        return self

    def decision_function(self, X):
        """Scores ``X @ coef_.T + intercept_`` (one column per class, one for binary).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples, with the features seen in :term:`fit`.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            Log-odds of ``classes_[1]`` for two classes, else one score per class.
        """
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse=["csr", "csc"], reset=False,
                          dtype=[np.float64, np.float32])
        scores = np.asarray(X @ self.coef_.T) + self.intercept_
        return scores.ravel() if scores.shape[1] == 1 else scores

    def predict(self, X):
        """Predicted class labels.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples, with the features seen in :term:`fit`.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            The class of largest score (of positive log-odds for two classes).
        """
        scores = self.decision_function(X)
        if scores.ndim == 1:
            return self.classes_[(scores > 0).astype(int)]
        return self.classes_[np.argmax(scores, axis=1)]

    def predict_proba(self, X):
        """Class probabilities (softmax for multinomial, normalized sigmoids for OvR).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples, with the features seen in :term:`fit`.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probability of each class, columns in the order of ``classes_``.
        """
        scores = self.decision_function(X)
        if scores.ndim == 1:
            p1 = expit(scores)
            return np.column_stack([1.0 - p1, p1])
        if self.multi_class == "multinomial":
            return softmax(scores, axis=1)
        prob = expit(scores)
        return prob / prob.sum(axis=1, keepdims=True)

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples, with the features seen in :term:`fit`.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Log-probability of each class, columns in the order of ``classes_``.
        """
        return np.log(self.predict_proba(X))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
