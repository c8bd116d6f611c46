"""Penalized linear quantile regression: the engine's pinball ADMM, or exact small LPs."""

import numbers
import warnings

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from .._engine import ElasticNet as ElasticNetPenalty
from .._engine.families._pinball import solve_pinball
from .._engine.families._quantile_lp import solve_l1_exact, use_exact_lp
from ..exceptions import caller_stacklevel
from ..utils._validation import normalized_sample_weight
from ..utils._validation import check_finite_fit, check_penalty_factor
from ..utils._validation import check_quantile_levels

__all__ = ["SparseQuantileRegressor"]


class SparseQuantileRegressor(RegressorMixin, BaseEstimator):
    """L1 / elastic-net penalized linear quantile regression at one or several levels.

    Minimizes, for each level ``tau``::

        1 / sum(sw) * sum_i sw_i rho_tau(y_i - x_i^T w - b)
            + alpha * sum_j pf_j (l1_ratio |w_j| + (1 - l1_ratio) / 2 w_j^2)

    with ``rho_tau(r) = max(tau r, (tau - 1) r)``: with ``l1_ratio=1`` this is exactly
    scikit-learn's :class:`~sklearn.linear_model.QuantileRegressor` objective. The
    default solver is ADMM (prox of the pinball loss / Gram coordinate descent with the
    engine's exact penalty prox), finished by an exact vertex polish for the L1 case, and
    stops on a duality gap; several levels share one Gram matrix and warm starts. For the
    L1 problem (a linear program) on wide data (more features than samples) or on tall
    data (more than 20000 samples), it instead solves the exact LP through small LPs
    (a working set of features; Portnoy and Koenker's preprocessing of samples), in
    O(n p) memory and near-linear time in n.

    Parameters
    ----------
    quantile : float or array-like of shape (n_levels,), default=0.5
        Level(s) in (0, 1). With an array (strictly increasing), ``predict`` returns one
        column per level.
    alpha : float, default=1.0
        Penalty strength (scikit-learn's default; for standardized features
        ``alpha_max_`` is at most ``max(tau, 1 - tau) * max_j mean|x_j|``, so smaller
        values such as 0.01 are usual).
    l1_ratio : float, default=1.0
        Mix of L1 (1.0) and L2 (0.0).
    fit_intercept : bool, default=True
        Fit an unpenalized intercept per level.
    penalty_factor : array-like of shape (n_features,), default=None
        Per-feature multipliers of the penalty (0 leaves a feature unpenalized).
    max_iter : int, default=5000
        ADMM iterations per level.
    tol : float, default=1e-6
        Target duality gap relative to the loss of the best constant prediction.
    noncrossing : bool, default=True
        With several levels, sort the predicted quantiles of each sample (never raises
        the pinball loss, Fakoor et al. 2023).
    solver : {"auto", "admm", "highs", "highs-ds", "highs-ipm", "interior-point", \
            "revised simplex"}, default="auto"
        ``"auto"``: the exact working-set / preprocessing LP solver for the L1 problem
        (``l1_ratio=1`` or ``alpha=0``) when ``n_features > n_samples`` or when
        ``n_samples > 20000`` (and the preprocessing's subsamples are smaller than half
        the data), ADMM otherwise. ``"admm"``: always sparsestat's ADMM (its dense
        ``n_features x n_features`` Gram matrix is refused with a ValueError naming the
        memory when it cannot fit). The others are scikit-learn's values and solve
        scikit-learn's linear program with :func:`scipy.optimize.linprog` (the
        ``"highs"`` family: scipy's HiGHS; the last two only where the installed scipy
        still has them, dense X only, as in scikit-learn); they need ``l1_ratio=1`` (a
        linear objective). ``max_iter`` and ``tol`` apply to ADMM only.
    solver_options : dict, default=None
        Passed to :func:`scipy.optimize.linprog` as ``options`` (HiGHS solvers only).

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_levels, n_features)
        Coefficients; one row per level when ``quantile`` is an array.
    intercept_ : float or ndarray of shape (n_levels,)
        Intercepts (0.0 when ``fit_intercept=False``); one per level when ``quantile``
        is an array.
    quantiles_ : ndarray of shape (n_levels,)
        The levels fitted, as an array (also for a scalar ``quantile``).
    n_iter_ : int
        Largest number of ADMM iterations over the levels (for the exact LP solver of
        ``solver="auto"``: of LPs solved; for the HiGHS solvers: of HiGHS iterations).
    dual_gap_ : float or ndarray of shape (n_levels,)
        Relative duality gaps reached.
    objective_ : float or ndarray of shape (n_levels,)
        Penalized objective (above) at the solution of each level.
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when X has feature
        names that are all strings.

    See Also
    --------
    sklearn.linear_model.QuantileRegressor : the linear-programming anchor.
    QuantileAggregator : combines quantile models.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.quantile import SparseQuantileRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((200, 5))
    >>> y = 2 * X[:, 0] + rng.standard_normal(200)
    >>> model = SparseQuantileRegressor(quantile=[0.1, 0.5, 0.9], alpha=0.05).fit(X, y)
    >>> model.predict(X[:2]).shape
    (2, 3)
    >>> np.count_nonzero(model.coef_, axis=1)
    array([1, 2, 1])
    """

    #: takes an array of levels in ``quantile`` and predicts one column per level
    _predicts_quantile_arrays = True

    _parameter_constraints = {
        "quantile": [Interval(numbers.Real, 0, 1, closed="neither"), "array-like"],
        "alpha": [Interval(numbers.Real, 0, None, closed="left")],
        "l1_ratio": [Interval(numbers.Real, 0, 1, closed="both")],
        "fit_intercept": ["boolean"],
        "penalty_factor": ["array-like", None],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "tol": [Interval(numbers.Real, 0, None, closed="left")],
        "noncrossing": ["boolean"],
        "solver": [StrOptions({"auto", "admm", "highs", "highs-ds", "highs-ipm", "interior-point",
                               "revised simplex"})],
        "solver_options": [dict, None],
    }

    def __init__(self, quantile=0.5, *, alpha=1.0, l1_ratio=1.0, fit_intercept=True,
                 penalty_factor=None, max_iter=5000, tol=1e-6, noncrossing=True,
                 solver="auto", solver_options=None):
        self.solver = solver
        self.solver_options = solver_options
        self.quantile = quantile
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.penalty_factor = penalty_factor
        self.max_iter = max_iter
        self.tol = tol
        self.noncrossing = noncrossing

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit one linear quantile model per level.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data, dense or sparse; never modified.
        y : array-like of shape (n_samples,)
            Target values.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights ``sw_i`` of the pinball losses (the loss is their weighted mean, so
            the scale of the weights does not matter).

        Returns
        -------
        self : object
            The fitted estimator.
        """
        taus, is_scalar = check_quantile_levels(self.quantile, "quantile")
        X, y = validate_data(self, X, y, accept_sparse="csc", dtype=np.float64, order="F",
                             y_numeric=True)
        sw = normalized_sample_weight(sample_weight, X)
        pf = check_penalty_factor(self.penalty_factor, X.shape[1])
        if self.solver not in ("admm", "auto"):
            return self._fit_highs(X, y, taus, is_scalar, sw, pf)
        n, p = X.shape
        linear = self.l1_ratio == 1.0 or self.alpha == 0.0
        if self.solver == "auto" and linear and use_exact_lp(n, p, self.fit_intercept):
            result = solve_l1_exact(X, y, taus, float(self.alpha), sample_weight=sw,
                                    fit_intercept=self.fit_intercept, penalty_factor=pf)
            if np.all(result.converged):
                return self._set_result(result, taus, is_scalar)
            # HiGHS failed (numerical difficulties on a badly scaled problem): say so and
            # try ADMM (which refuses up front a Gram matrix that cannot fit)
            failed = [m for m, ok in zip(result.messages, result.converged) if not ok]
            warnings.warn("The exact LP solver failed, falling back to ADMM:\n" + failed[0],
                          ConvergenceWarning, stacklevel=caller_stacklevel())
        result = solve_pinball(
            X, y, taus, ElasticNetPenalty(alpha=float(self.alpha), l1_ratio=float(self.l1_ratio)),
            sample_weight=sw, fit_intercept=self.fit_intercept, penalty_factor=pf,
            max_iter=self.max_iter, tol=self.tol)
        if not np.all(result.converged):
            warnings.warn(
                f"SparseQuantileRegressor did not converge: relative duality gap "
                f"{np.max(result.gap):.2e} after {np.max(result.n_iter)} ADMM iterations "
                f"(target {self.tol:.1e}; the solver stops early when the objective "
                "stagnates, e.g. on tied targets). Increase max_iter or standardize X.",
                ConvergenceWarning, stacklevel=caller_stacklevel())
        return self._set_result(result, taus, is_scalar)

    def _set_result(self, result, taus, is_scalar):
        check_finite_fit(self, coef_=result.coef, intercept_=result.intercept)
        self.quantiles_ = taus
        self.n_iter_ = int(np.max(result.n_iter))
        if is_scalar:
            self.coef_ = result.coef[0]
            self.intercept_ = float(result.intercept[0])
            self.dual_gap_ = float(result.gap[0])
            self.objective_ = float(result.objective[0])
        else:
            self.coef_ = result.coef
            self.intercept_ = result.intercept
            self.dual_gap_ = result.gap
            self.objective_ = result.objective
        return self

    def _fit_highs(self, X, y, taus, is_scalar, sw, pf):
        """scikit-learn's linear program on scipy's HiGHS (``solver="highs*"``)."""
        from .._engine._memory import check_memory
        from .._engine.families._quantile_lp import lp_memory, solve_quantile_lp

        import scipy
        import scipy.sparse as sp
        from sklearn.utils.fixes import parse_version

        if self.solver == "interior-point" and \
                parse_version(scipy.__version__) >= parse_version("1.11.0"):
            raise ValueError(
                f"Solver {self.solver} is not anymore available in SciPy >= 1.11.0.")
        if sp.issparse(X) and self.solver not in ("highs", "highs-ds", "highs-ipm"):
            raise ValueError(f"Solver {self.solver} does not support sparse X. Use solver "
                             "'highs' for example.")
        if self.l1_ratio != 1.0:
            raise ValueError(
                f"solver={self.solver!r} solves a linear program: it needs l1_ratio=1 "
                f"(got {self.l1_ratio}); use solver='admm' for the elastic net.")
        nnz = X.nnz if sp.issparse(X) else X.size
        check_memory(lp_memory(X.shape[0], X.shape[1], nnz),
                     f"scikit-learn's linear program on {X.shape[0]} x {X.shape[1]}",
                     "solver='auto' solves it in smaller pieces.")
        result = solve_quantile_lp(
            X, y, taus, float(self.alpha), sample_weight=sw,
            fit_intercept=self.fit_intercept, penalty_factor=pf, method=self.solver,
            options=self.solver_options)
        for ok, message in zip(result.converged, result.messages):
            if not ok:
                warnings.warn("Linear programming for QuantileRegressor did not succeed.\n"
                              + message, ConvergenceWarning, stacklevel=caller_stacklevel())
        self.quantiles_ = taus
        self.n_iter_ = int(np.max(result.n_iter))
        # HiGHS stops at an optimal vertex (gap 0) or reports failure above
        gap = np.where(result.converged, 0.0, np.nan)
        if is_scalar:
            self.coef_ = result.coef[0]
            self.intercept_ = float(result.intercept[0])
            self.dual_gap_ = float(gap[0])
            self.objective_ = float(result.objective[0])
        else:
            self.coef_ = result.coef
            self.intercept_ = result.intercept
            self.dual_gap_ = gap
            self.objective_ = result.objective
        return self

    def predict(self, X):
        """Predict the conditional quantile(s).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples, with the features seen in :term:`fit`.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_levels)
            Predicted quantile at each level (columns sorted per sample when
            ``noncrossing=True``).
        """
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse=["csr", "csc"], reset=False,
                          dtype=np.float64)
        pred = np.asarray(X @ self.coef_.T) + self.intercept_
        if pred.ndim == 2 and self.noncrossing:
            pred = np.sort(pred, axis=1)
        return pred

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
