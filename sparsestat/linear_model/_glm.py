"""Penalized generalized linear models on the engine: the shared fit and the general estimator.

:func:`fit_penalized` is the one place where an estimator of this family turns validated
arrays into an engine solve: optional internal standardization (ncvreg's habit for
nonconvex penalties), warm starts mapped to the standardized scale, a scale-free
stopping rule, and the map back to the raw scale. Estimators stay thin layers over it.
"""

import numbers
import warnings

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, _fit_context
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import accuracy_score, r2_score
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, check_random_state, validate_data

from .._engine import L1, CustomDatafit, CustomPenalty, Logistic, Quadratic, solve
from .._engine import _penalty_kernels as _pk
from .._engine._polish import column_stats, coordinatewise_move, newton_polish
from .._engine.datafits import Datafit
from .._engine.penalties import GroupL1, Penalty
from ..exceptions import NonconvexWarning, caller_stacklevel
from ..utils._validation import check_finite_fit, check_penalty_factor
from ._base import normalized_sample_weight, warm_start_init

__all__ = ["GeneralizedLinearEstimator", "fit_penalized", "NonconvexWarning"]

_GAP_CODES = (_pk.L1, _pk.ELASTIC_NET)


class FitResult:
    """Coefficients on the raw scale plus what the engine reported."""

    def __init__(self, coef, intercept, result, design, x_mean, x_scale, offset=None):
        self.coef = coef
        self.intercept = intercept
        self.result = result
        self.design = design  # the (standardized) design given to the solver
        self.x_mean = x_mean
        self.x_scale = x_scale
        self.offset = offset  # the known part of the linear predictor, None for none


def standardize_design(X, sw, fit_intercept):
    """Center (dense, with an intercept) and scale columns to unit weighted variance.

    Sparse designs are scaled but never centered (the solvers center implicitly).
    Constant columns keep scale 1. Returns ``(Xs, mean, scale, centered)``; ``mean`` is
    the weighted column mean (0 without intercept); ``Xs`` is a new array.
    """
    n = X.shape[0]
    w = np.ones(n) if sw is None else sw
    w_sum = w.sum()
    if sp.issparse(X):
        mean = np.asarray(X.T @ w).ravel() / w_sum
        sq = np.asarray(X.multiply(X).T @ w).ravel() / w_sum
    else:
        mean = (w @ X) / w_sum
        sq = np.einsum("i,ij,ij->j", w, X, X, dtype=np.float64) / w_sum
    mean = np.asarray(mean, dtype=np.float64)
    if fit_intercept:
        var = np.maximum(sq - mean ** 2, 0.0)
    else:
        var = np.asarray(sq, dtype=np.float64)
        mean = np.zeros_like(mean)
    scale = np.sqrt(var)
    # rounding leaves ~1e-16 relative variance on constant columns: treat them as constant
    tiny = scale <= 1e-10 * (1.0 + np.abs(mean))
    scale[tiny] = 1.0
    if sp.issparse(X):
        Xs = (X @ sp.diags(1.0 / scale)).tocsc().astype(X.dtype)
        return Xs, np.zeros_like(mean), scale, False
    centered = bool(fit_intercept)
    Xs = np.asfortranarray(((X - mean) / scale).astype(X.dtype, copy=False))
    if not centered:
        mean = np.zeros_like(mean)
    return Xs, mean, scale, centered


def _gradient_reference(datafit, y, sw, Xs, fit_intercept, stats=None):
    """Gradient units for the KKT stopping rule, so ``tol`` means the same at every scale.

    ``|grad_j| <= derivative_scale * rms(x_j)`` at the intercept-only fit
    (Cauchy-Schwarz): for the quadratic datafit ``sqrt(y_scale)``, for the logistic loss 1
    (see ``Datafit.derivative_scale``).
    """
    n = Xs.shape[0]
    w = np.ones(n) if sw is None else sw
    col_sq = (column_stats(Xs, w) if stats is None else stats)[0] / n
    x_ref = np.sqrt(np.mean(col_sq)) if col_sq.size else 1.0
    ref = datafit.derivative_scale(y, w, fit_intercept) * x_ref
    return ref if ref > 0 and np.isfinite(ref) else 1.0


def fit_penalized(
    X, y, datafit, penalty, *, sample_weight=None, fit_intercept=True, standardize=False,
    penalty_factor=None, positive=False, coef_init=None, intercept_init=0.0, solver="auto",
    max_iter=1000, tol=1e-4, random_seed=None, design=None, polish=False, offset=None,
    gram=None, xy=None,
):
    """Fit ``datafit(X w + b) + penalty(w)``; ``X, y`` already validated.

    Every estimator of this family fits through here, and every solver (coordinate,
    Gram, block and greedy CD, FISTA, proximal Newton) is reached through the engine's
    one entry point, :func:`~sparsestat._engine.solve`, which picks it.

    For nonconvex separable penalties the solution is then certified coordinatewise
    optimal at each coordinate's own step (:func:`coordinatewise_move`), re-solving from
    any improving move. ``polish=True`` adds Newton steps on the final support.
    ``offset`` is a known part of the linear predictor (log-link datafits' exposure).
    ``gram`` and ``xy`` are a caller's ``X^T diag(sw) X`` and ``X^T (sw y)`` for
    ``solver="gram"`` (scikit-learn's ``precompute`` / ``Xy``), without standardization.

    With ``standardize=True`` the penalty applies to the coefficients of the
    standardized columns (ncvreg's convention); the returned coefficients are on the raw
    scale. ``tol`` is the engine's relative duality gap for convex quadratic problems,
    otherwise a KKT violation relative to :func:`_gradient_reference`. ``design`` reuses
    a ``(Xs, mean, scale, centered)`` tuple from :func:`standardize_design`.
    """
    if standardize:
        Xs, mean, scale, centered = design if design is not None else standardize_design(
            X, sample_weight, fit_intercept)
    else:
        Xs, mean, scale, centered = X, np.zeros(X.shape[1]), np.ones(X.shape[1]), False
    beta_init = None
    b_init = float(intercept_init)
    if coef_init is not None:
        beta_init = np.asarray(coef_init, dtype=np.float64) * scale
        if centered:
            b_init = b_init + float(mean @ np.asarray(coef_init, dtype=np.float64))
    quadratic = datafit.code == Quadratic.code
    gap_stop = quadratic and penalty.code in _GAP_CODES and solver != "greedy"
    stats = None
    if not gap_stop:
        stats = column_stats(Xs, np.ones(Xs.shape[0]) if sample_weight is None
                             else sample_weight)
    tol_eff = tol if gap_stop else tol * _gradient_reference(datafit, y, sample_weight, Xs,
                                                             fit_intercept, stats)
    if standardize and (gram is not None or xy is not None):
        raise ValueError("A precomputed Gram matrix is of the raw design: it cannot be "
                         "used with standardize=True.")
    res = solve(
        Xs, y, datafit, penalty, sample_weight=sample_weight, fit_intercept=fit_intercept,
        penalty_factor=penalty_factor, lower=0.0 if positive else None, coef_init=beta_init,
        intercept_init=b_init, solver=solver, max_iter=max_iter, tol=tol_eff,
        random_seed=random_seed, offset=offset, gram=gram, xy=xy)
    if solver == "greedy":
        solver = "auto"  # the certificate's re-solves: a warm start suits cyclic CD
    custom = isinstance(datafit, CustomDatafit) or isinstance(penalty, CustomPenalty)
    if polish and custom:
        raise ValueError("polish=True needs the engine's own datafit and penalty (Newton "
                         "steps use their second derivatives); a user-written piece "
                         f"was given: {datafit!r}, {penalty!r}.")
    # the certificate uses the built-in pieces' compiled kernels
    if not penalty.is_convex and penalty.is_separable and not custom:
        res = _certify(Xs, y, datafit, penalty, res, sample_weight, penalty_factor, positive,
                       fit_intercept, solver, max_iter, tol_eff, random_seed, stats, offset)
    if polish and penalty.is_separable:
        p = Xs.shape[1]
        pf = np.ones(p) if penalty_factor is None else np.broadcast_to(penalty_factor, (p,))
        w_new, b_new, accepted = newton_polish(Xs, y, datafit, penalty, res.coef,
                                               res.intercept, sample_weight, pf, fit_intercept,
                                               offset=offset)
        if accepted and not (positive and np.any(w_new < 0)):
            res.coef, res.intercept = w_new, b_new
    coef = res.coef / scale
    intercept = float(res.intercept) - (float(mean @ coef) if centered else 0.0)
    return FitResult(coef, intercept if fit_intercept else 0.0, res, (Xs, mean, scale, centered),
                     mean, scale, offset)


def _certify(X, y, datafit, penalty, res, sw, pf, positive, fit_intercept, solver, max_iter,
             tol, seed, stats=None, offset=None, max_rounds=100):
    """Re-solve from the best improving single-coordinate move until there is none."""
    p = X.shape[1]
    pf_arr = np.ones(p) if pf is None else np.ascontiguousarray(np.broadcast_to(pf, (p,)))
    lo = np.zeros(p) if positive else np.full(p, -np.inf)
    hi = np.full(p, np.inf)
    n_iter = res.n_iter
    for _ in range(max_rounds):
        move = coordinatewise_move(X, y, datafit, penalty, res.coef, res.intercept, sw,
                                   pf_arr, lo, hi, fit_intercept, stats=stats, offset=offset)
        if move is None:
            break
        w = res.coef.copy()
        w[move[0]] = move[1]
        res = solve(X, y, datafit, penalty, sample_weight=sw, fit_intercept=fit_intercept,
                    penalty_factor=pf, lower=0.0 if positive else None, coef_init=w,
                    intercept_init=res.intercept, solver=solver, max_iter=max_iter, tol=tol,
                    random_seed=seed, offset=offset)
        n_iter += res.n_iter
    res.n_iter = n_iter
    return res


def concavity(penalty):
    """Largest negative curvature of the penalty (0 for convex penalties, None if unbounded)."""
    if penalty.code == _pk.MCP:
        return 1.0 / penalty.gamma
    if penalty.code == _pk.SCAD:
        return 1.0 / (penalty.gamma - 1.0)
    if penalty.is_convex:
        return 0.0
    return None


def local_convexity(fit, datafit, penalty, y, sample_weight, max_support=1000):
    """Smallest eigenvalue of the datafit Hessian on the support minus the concavity.

    Positive: the objective restricted to the support is strictly convex around the
    solution (ncvreg's local convexity diagnostic). Returns ``(margin, checked)``;
    ``checked`` is False when the support is larger than ``max_support``.
    """
    kappa = concavity(penalty)
    if kappa is None or kappa == 0.0:
        return np.inf, kappa == 0.0
    Xs, mean, scale, centered = fit.design
    beta = fit.coef * scale
    support = np.flatnonzero(beta)
    n = Xs.shape[0]
    if support.size == 0:
        return np.inf, True
    if support.size > n:
        return -kappa, True
    if support.size > max_support:
        return np.nan, False
    Xa = Xs[:, support]
    Xa = Xa.toarray() if sp.issparse(Xa) else np.asarray(Xa, dtype=np.float64)
    w = np.ones(n) if sample_weight is None else sample_weight
    scores = Xa @ beta[support] + fit.result.intercept
    if fit.offset is not None:
        scores = scores + fit.offset
    curv = datafit.raw_hessian(y, scores, w)
    Xa = Xa - (curv @ Xa) / max(curv.sum(), 1e-300)
    H = (Xa * curv[:, None]).T @ Xa / n
    return float(np.linalg.eigvalsh(H)[0]) - kappa, True


def warn_if_nonconvex(estimator, fit, datafit, penalty, y, sample_weight):
    """Store ``locally_convex_`` and warn (``NonconvexWarning``) when it is False."""
    margin, checked = local_convexity(fit, datafit, penalty, y, sample_weight)
    estimator.locally_convex_ = bool(margin > 0) if checked else None
    if checked and not margin > 0:
        kappa = concavity(penalty)
        warnings.warn(
            f"{type(estimator).__name__}: the objective is locally nonconvex at the solution "
            f"(smallest curvature of the datafit on the support is {margin + kappa:.3g} < "
            f"{kappa:.3g}, the penalty's concavity): the solution is a local minimum that "
            "may depend on the starting point. Increase gamma or alpha for a locally convex "
            "problem.", NonconvexWarning, stacklevel=caller_stacklevel())


def convergence_warning(estimator, result, tol):
    """A ConvergenceWarning naming the measure the solver stopped on and its tolerance.

    The result says what its ``stop_crit`` is (``stop_measure``: a duality gap for CD on
    the quadratic datafit with L1 / elastic net, a KKT violation for proximal Newton,
    FISTA and the other pairs) and, where known, the tolerance it was held to in the same
    units (``tol`` scaled to the problem's gradient units for a KKT violation).
    """
    if not result.converged:
        what = getattr(result, "stop_measure", "KKT violation")
        solver_tol = getattr(result, "tol", None)
        held = f"{solver_tol:.3e} in its units, from " if solver_tol is not None and \
            solver_tol != tol else ""
        warnings.warn(
            f"{type(estimator).__name__} did not converge: {what} {result.stop_crit:.3e} "
            f"after {result.n_iter} iterations of {result.solver} (tolerance {held}"
            f"tol={tol:.1e}). Increase max_iter, scale the features, or use a larger "
            "alpha.", ConvergenceWarning, stacklevel=caller_stacklevel())


def encode_binary(y):
    """Classes and labels in {-1, +1} for a binary target."""
    check_classification_targets(y)
    classes, y_ind = np.unique(y, return_inverse=True)
    if classes.size != 2:
        raise ValueError(
            f"The logistic datafit needs exactly 2 classes, got {classes.size}: "
            f"{classes.tolist()[:10]}.")
    return classes, np.where(y_ind == 1, 1.0, -1.0)


class GeneralizedLinearEstimator(BaseEstimator):
    """Any datafit with any penalty of the engine, fitted by its solvers.

    Minimizes ``datafit(X w + b) + penalty(w)`` with the engine's objects stored as
    given (they are plain picklable classes with ``__eq__``, so ``clone`` and
    ``GridSearchCV`` work on them directly; there is no ``get_params`` override).
    With a :class:`~sparsestat._engine.Logistic` datafit the estimator is a binary
    classifier (``predict`` returns class labels, ``predict_proba`` probabilities).

    Parameters
    ----------
    datafit : Datafit or CustomDatafit, default=None
        An engine datafit such as :class:`~sparsestat._engine.Quadratic` (None) or
        :class:`~sparsestat._engine.Logistic`, or a user-written
        :class:`~sparsestat._engine.CustomDatafit`.
    penalty : Penalty or CustomPenalty, default=None
        Any engine penalty (None means ``L1(alpha=1.0)``) or a user-written
        :class:`~sparsestat._engine.CustomPenalty`. Its ``alpha`` is used as is. A
        user-written piece is solved by accelerated proximal gradient compiled in the
        calling process (not cached on disk), ``tol`` bounding its optimality residual;
        nonconvex ones get no coordinatewise certificate.
    fit_intercept : bool, default=True
        Fit an unpenalized intercept.
    standardize : bool, default=False
        Fit on standardized columns (the penalty then applies to standardized
        coefficients); ``coef_`` is always on the raw scale.
    penalty_factor : array-like of shape (n_features,), default=None
        Per-feature penalty multipliers (0 leaves a feature unpenalized). Not used by
        :class:`~sparsestat._engine.GroupL1` (give group ``weights`` there).
    positive : bool, default=False
        Constrain coefficients to be nonnegative (exact for every penalty here).
    solver : {"auto", "cd", "gram", "fista", "greedy", "bcd"}, default="auto"
        "auto" is the engine's choice (:func:`~sparsestat._engine.solve`):
        working-set block coordinate descent ("bcd") for the group penalty (FISTA for a
        datafit without a curvature bound), Gram CD for dense least squares with
        n >= 2p, CD for other least squares, proximal Newton for other datafits.
        "greedy" is Gauss-Southwell-Lipschitz coordinate descent on the Gram matrix with
        O(log p) bookkeeping per touched gradient entry (least squares only; ``max_iter``
        then counts ``n_features`` single-coordinate updates). It pays when the Gram
        matrix is sparse and the support small.
    max_iter : int, default=1000
        Maximum number of iterations of the solver: epochs for the coordinate-descent
        solvers ("cd", "gram", "bcd"), iterations for "fista", ``n_features``
        single-coordinate updates for "greedy".
    tol : float, default=1e-4
        Duality gap relative to ``||y - ybar||^2 / n`` (quadratic datafit with L1 /
        elastic net, as in :class:`Lasso`), otherwise the largest KKT violation relative
        to the gradient's natural scale (``std(y)`` times the columns' root mean square
        for least squares, the columns' root mean square for the logistic loss).
    warm_start : bool, default=False
        Start from the previous ``coef_`` and ``intercept_`` when refitting on data with
        the same number of features.
    random_state : int, RandomState instance or None, default=None
        Seeds a random coordinate order when ``selection="random"``; unused otherwise.
    selection : {"cyclic", "random"}, default="cyclic"
        Order in which coordinate descent ("cd") visits the features of the working
        set in each epoch: in order, or in a new random order each epoch.
    polish : bool, default=False
        Newton steps on the final support (see :class:`MCPRegressor`).

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
        Coefficients on the raw scale of X, in the dtype of X.
    intercept_ : float
        Intercept; 0.0 when ``fit_intercept=False``.
    classes_ : ndarray of shape (2,)
        Class labels, sorted; only with the logistic datafit (``classes_[1]`` is the
        positive class).
    n_iter_ : int
        Iterations run (the quantity bounded by ``max_iter``), including the re-solves
        that certify a nonconvex solution coordinatewise optimal.
    stop_crit_ : float
        Duality gap or KKT violation reached.
    objective_history_ : ndarray of shape (n_checks,)
        Objective value at each convergence check of the last solve.
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when X has feature
        names that are all strings.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat._engine import MCP, Quadratic
    >>> from sparsestat.linear_model import GeneralizedLinearEstimator
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((60, 6))
    >>> y = X @ np.array([2.0, 0, 0, -1.5, 0, 0]) + 0.1 * rng.standard_normal(60)
    >>> est = GeneralizedLinearEstimator(Quadratic(), MCP(alpha=0.1, gamma=3.0)).fit(X, y)
    >>> np.flatnonzero(est.coef_)
    array([0, 3])
    """

    _parameter_constraints = {
        "datafit": [HasMethods(["raw_gradient", "value"]), None],
        "penalty": [HasMethods(["prox", "params_array"]), None],
        "fit_intercept": ["boolean"],
        "standardize": ["boolean"],
        "penalty_factor": ["array-like", None],
        "positive": ["boolean"],
        "solver": [StrOptions({"auto", "cd", "gram", "fista", "greedy", "bcd"})],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "tol": [Interval(numbers.Real, 0, None, closed="left")],
        "warm_start": ["boolean"],
        "random_state": ["random_state"],
        "selection": [StrOptions({"cyclic", "random"})],
        "polish": ["boolean"],
    }

    def __init__(
        self, datafit=None, penalty=None, *, fit_intercept=True, standardize=False,
        penalty_factor=None, positive=False, solver="auto", max_iter=1000, tol=1e-4,
        warm_start=False, random_state=None, selection="cyclic", polish=False,
    ):
        self.datafit = datafit
        self.penalty = penalty
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.penalty_factor = penalty_factor
        self.positive = positive
        self.solver = solver
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start
        self.random_state = random_state
        self.selection = selection
        self.polish = polish

    def _is_classifier(self):
        return isinstance(self.datafit, Logistic)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the model.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data, dense (float32 or float64) or sparse; never modified.
        y : array-like of shape (n_samples,)
            Target values, or two class labels with the logistic datafit.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the per-sample losses, rescaled internally to sum to n_samples.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        datafit = Quadratic() if self.datafit is None else self.datafit
        penalty = L1(alpha=1.0) if self.penalty is None else self.penalty
        if not isinstance(datafit, (Datafit, CustomDatafit)) or not isinstance(
                penalty, (Penalty, CustomPenalty)):
            raise TypeError("datafit and penalty must be sparsestat engine objects or "
                            "user-written CustomDatafit / CustomPenalty subclasses, got "
                            f"{type(datafit).__name__} and {type(penalty).__name__}.")
        classifier = isinstance(datafit, Logistic)
        X, y = validate_data(self, X, y, accept_sparse="csc", dtype=[np.float64, np.float32],
                             order="F", y_numeric=not classifier)
        if classifier:
            self.classes_, y = encode_binary(y)
        else:
            y = np.asarray(y, dtype=np.float64)
        sw = normalized_sample_weight(sample_weight, X)
        p = X.shape[1]
        pf = check_penalty_factor(self.penalty_factor, p)
        if isinstance(penalty, GroupL1):
            if penalty.n_features is None:
                penalty = GroupL1(penalty.alpha, penalty.groups, penalty.weights, p)
            elif penalty.n_features != p:
                raise ValueError(f"The GroupL1 penalty is for {penalty.n_features} features, "
                                 f"X has {p}.")
        coef_init, intercept_init = warm_start_init(self, (p,))
        seed = None
        if self.selection == "random":
            seed = int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))
        fit = fit_penalized(
            X, y, datafit, penalty, sample_weight=sw, fit_intercept=self.fit_intercept,
            standardize=self.standardize, penalty_factor=pf, positive=self.positive,
            coef_init=coef_init, intercept_init=intercept_init, solver=self.solver,
            max_iter=self.max_iter, tol=self.tol, random_seed=seed, polish=self.polish)
        check_finite_fit(self, coef_=fit.coef, intercept_=fit.intercept)
        convergence_warning(self, fit.result, self.tol)
        self.coef_ = fit.coef.astype(X.dtype, copy=False)
        self.intercept_ = fit.intercept
        self.n_iter_ = fit.result.n_iter
        self.stop_crit_ = fit.result.stop_crit
        self.objective_history_ = fit.result.objective
        return self

    def _scores(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse=["csr", "csc"], reset=False,
                          dtype=[np.float64, np.float32])
        return np.asarray(X @ self.coef_).ravel() + self.intercept_

    @available_if(lambda self: isinstance(self.datafit, Logistic))
    def decision_function(self, X):
        """Linear scores ``X @ coef_ + intercept_`` (logistic datafit only).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples, with the features seen in :term:`fit`.

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            Log-odds of ``classes_[1]``.
        """
        return self._scores(X)

    def predict(self, X):
        """Predicted values (regression) or class labels (logistic datafit).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples, with the features seen in :term:`fit`.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            ``X @ coef_ + intercept_``, or the class of positive log-odds.
        """
        scores = self._scores(X)
        if self._is_classifier():
            return self.classes_[(scores > 0).astype(int)]
        return scores

    @available_if(lambda self: isinstance(self.datafit, Logistic))
    def predict_proba(self, X):
        """Class probabilities (logistic datafit only).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples, with the features seen in :term:`fit`.

        Returns
        -------
        proba : ndarray of shape (n_samples, 2)
            Probabilities of ``classes_[0]`` and ``classes_[1]``.
        """
        p1 = 1.0 / (1.0 + np.exp(-self._scores(X)))
        return np.column_stack([1.0 - p1, p1])

    def score(self, X, y, sample_weight=None):
        """Accuracy (logistic datafit) or R^2 (otherwise).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples, with the features seen in :term:`fit`.
        y : array-like of shape (n_samples,)
            True values or class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples in the score.

        Returns
        -------
        score : float
            Accuracy or coefficient of determination of ``predict(X)``.
        """
        if self._is_classifier():
            return accuracy_score(y, self.predict(X), sample_weight=sample_weight)
        return r2_score(y, self.predict(X), sample_weight=sample_weight)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        if self._is_classifier():
            from sklearn.utils import ClassifierTags

            tags.estimator_type = "classifier"
            tags.classifier_tags = ClassifierTags(multi_class=False)
        else:
            from sklearn.utils import RegressorTags

            tags.estimator_type = "regressor"
            tags.regressor_tags = RegressorTags()
        return tags


def path_penalized(
    X, y, datafit, penalty, alphas, *, sample_weight=None, fit_intercept=True,
    standardize=False, penalty_factor=None, positive=False, solver="auto", max_iter=1000,
    tol=1e-4, design=None, random_seed=None, offset=None, ws_gram=False, records=True,
):
    """Warm-started path over ``alphas`` (visited in the given order, largest first).

    Standardizes once, runs the engine's :func:`~sparsestat._engine.solve_path` (one
    layout, warm starts), and maps back. Returns ``(coefs (p, n_alphas), intercepts,
    results)`` on the raw scale; with ``records=False`` ``results`` is only the
    per-alpha ``converged`` flags (solve_path's arrays, no record per alpha).
    """
    from .._engine import solve_path

    if standardize:
        Xs, mean, scale, centered = design if design is not None else standardize_design(
            X, sample_weight, fit_intercept)
    else:
        Xs, mean, scale, centered = X, np.zeros(X.shape[1]), np.ones(X.shape[1]), False
    gap_stop = datafit.code == Quadratic.code and penalty.code in _GAP_CODES
    tol_eff = tol if gap_stop else tol * _gradient_reference(datafit, y, sample_weight, Xs,
                                                             fit_intercept)
    results = solve_path(
        Xs, y, datafit, penalty, alphas, sample_weight=sample_weight,
        fit_intercept=fit_intercept, penalty_factor=penalty_factor,
        lower=0.0 if positive else None, solver=solver, max_iter=max_iter, tol=tol_eff,
        random_seed=random_seed, offset=offset, ws_gram=ws_gram, records=records)
    if not records:
        coef_rows, intercepts, results = results
        # (x / 1.0 is x: no division, no copy, where nothing was standardized)
        coefs = coef_rows.T / scale[:, None] if standardize else coef_rows.T
        intercepts = np.array(intercepts, dtype=np.float64)
    # (np.array of the rows, not np.column_stack: a tenth of the time for 100 alphas)
    elif results:
        coefs = np.array([r.coef for r in results]).T / scale[:, None]
        intercepts = np.array([r.intercept for r in results], dtype=np.float64)
    else:
        coefs, intercepts = np.zeros((X.shape[1], 0)), np.zeros(0)
    if centered:
        intercepts = intercepts - mean @ coefs
    if not fit_intercept:
        intercepts[:] = 0.0
    return coefs, intercepts, results
