"""Squared-error fits from accumulated statistics: ``partial_fit``, dask input, ``fit(stats)``.

For least squares the data enter a fit only through a few additive statistics
(:class:`SufficientStatistics`). This module turns three kinds of input into them and
fits from them with the engine's Gram-form solvers:

* ``partial_fit(X_chunk, y_chunk)``: one block at a time, merged into
  ``sufficient_stats_``, refitted after every block;
* a dask array or dask DataFrame given to ``fit``: every block's statistics computed
  where the block lives, tree-reduced on the cluster, the (``p x p``) solve run here;
* a :class:`SufficientStatistics` given to ``fit`` (``y=None``): statistics merged by
  the caller, e.g. from many workers.

Cross-validation by row blocks needs the statistics of each fold only: a training set's
are the merge of the other folds', and a fold's validation error is a quadratic form in
its own statistics, so K-fold CV over a whole path costs one pass over the data.

dask stays optional: it is imported only when the input already is a dask collection
(which requires dask to be imported), never by importing this module.

The estimator classes take one of the mixins below and call ``_fit_scaleout`` first in
``fit``; the dask side (blockwise statistics, lazy predict, row-block folds) is
``_dask_input.py``.
"""

import warnings

import numpy as np
from sklearn.base import _fit_context
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.validation import _check_feature_names, _check_sample_weight, validate_data

from .._engine import Quadratic, solve_gram
from .._engine import _penalty_kernels as _pk
from .._engine._sufficient_stats import block_moments, pseudo_design
from ..exceptions import AlphaMaxWarning, caller_stacklevel
from ..utils._dask import is_dask_collection
from ..utils._validation import check_finite_fit, check_grid, check_penalty_factor
from ._dask_input import dask_predict, dask_statistics, row_block_folds, set_input_features
from ._sufficient_statistics import SufficientStatistics, check_out_of_core_features

__all__ = [
    "EnetStatsMixin",
    "PenalizedStatsMixin",
    "ICStatsMixin",
    "StatsPathCVMixin",
]

_GAP_CODES = (_pk.L1, _pk.ELASTIC_NET)


# ---------------------------------------------------------------------------------------
# fits from statistics
# ---------------------------------------------------------------------------------------
def _standardization(stats, fit_intercept, standardize):
    """Column scales as :func:`~sparsestat.linear_model._glm.standardize_design` computes them."""
    p = stats.n_features
    if not standardize:
        return np.ones(p)
    G = stats.gram(fit_intercept)[0]
    scale = np.sqrt(np.maximum(np.diag(G), 0.0))
    mean = stats.x_mean if fit_intercept else np.zeros(p)
    scale[scale <= 1e-10 * (1.0 + np.abs(mean))] = 1.0
    return scale


def _kkt_reference(stats, fit_intercept, scale, centered):
    """The in-memory solvers' gradient units (``_glm._gradient_reference``) from statistics."""
    yy = stats.gram(fit_intercept)[2]
    diag = np.diag(stats.gram(centered)[0]) / scale ** 2
    x_ref = np.sqrt(np.mean(diag)) if diag.size else 1.0
    ref = np.sqrt(yy) * x_ref
    return ref if ref > 0 and np.isfinite(ref) else 1.0


def _scaled_problem(stats, fit_intercept, scale):
    G, b, yy = stats.gram(fit_intercept)
    return G / np.outer(scale, scale), b / scale, yy


def _pseudo(stats, fit_intercept, scale):
    """Rows equivalent to the (scaled) Gram problem; cached on the statistics object."""
    key = ("pseudo", bool(fit_intercept), scale.tobytes())
    if key not in stats._cache:
        stats._cache[key] = pseudo_design(*_scaled_problem(stats, fit_intercept, scale))
    return stats._cache[key]


def _intercepts(stats, coefs, fit_intercept):
    if not fit_intercept:
        return np.zeros(np.shape(coefs)[1:]) if np.ndim(coefs) > 1 else 0.0
    out = stats.y_mean - stats.x_mean @ coefs
    return float(out) if np.ndim(out) == 0 else out


def _alpha_max(b, pf, penalty=None, positive=False):
    """Smallest alpha zeroing every penalized coefficient, from ``b = X^T W y / W``.

    With ``positive`` only positive correlations can move a coefficient off zero (as
    :func:`~sparsestat._engine.alpha_max_l1`).
    """
    if positive:
        b = np.maximum(b, 0.0)
    if penalty is not None and penalty.code == _pk.GROUP_L1:
        weights = penalty.group_weights()
        norms = np.array([np.linalg.norm(b[g]) for g in penalty.group_list()])
        pos = weights > 0
        return float(np.max(norms[pos] / weights[pos])) if np.any(pos) else 0.0
    pen = pf > 0
    return float(np.max(np.abs(b[pen]) / pf[pen])) if np.any(pen) else 0.0


def stats_path(stats, penalty, alphas, *, fit_intercept, standardize, penalty_factor,
               positive, max_iter, tol):
    """Warm-started path from statistics: ``(coefs (p, k), intercepts (k,), results)``.

    The Gram-form twin of :func:`~sparsestat.linear_model._glm.path_penalized`: same
    standardization, same stopping rule, same solver as the in-memory Gram path.
    """
    scale = _standardization(stats, fit_intercept, standardize)
    G, b, yy = _scaled_problem(stats, fit_intercept, scale)
    tol_eff = tol
    if penalty.code not in _GAP_CODES:
        tol_eff = tol * _kkt_reference(stats, fit_intercept, scale,
                                       standardize and fit_intercept)
    w = np.zeros(stats.n_features)
    results = []
    for alpha in alphas:
        res = solve_gram(G, b, penalty.with_alpha(float(alpha)), yy=yy,
                         penalty_factor=penalty_factor, lower=0.0 if positive else None,
                         coef_init=w, max_iter=max_iter, tol=tol_eff)
        w = res.coef.copy()
        results.append(res)
    coefs = (np.column_stack([r.coef for r in results]) if results
             else np.zeros((stats.n_features, 0))) / scale[:, None]
    intercepts = np.atleast_1d(_intercepts(stats, coefs, fit_intercept)).astype(np.float64)
    return coefs, intercepts, results


def _warm_coef(est, p):
    if getattr(est, "warm_start", False) and getattr(est, "coef_", None) is not None \
            and np.shape(est.coef_) == (p,):
        return np.asarray(est.coef_, dtype=np.float64), float(est.intercept_)
    return None, 0.0


def _fit_enet_stats(est, stats):
    """:class:`ElasticNet` / :class:`Lasso` from statistics (the Gram CD of the in-memory fit)."""
    p = stats.n_features
    pf = check_penalty_factor(est.penalty_factor, p)
    G, b, yy = stats.gram(est.fit_intercept)
    coef_init, _ = _warm_coef(est, p)
    res = solve_gram(G, b, est._penalty(), yy=yy, penalty_factor=pf,
                     lower=0.0 if est.positive else None, coef_init=coef_init,
                     max_iter=est.max_iter, tol=est.tol)
    est.alpha_max_ = _alpha_max(b, pf, positive=est.positive) / max(est.l1_ratio, 1e-3)
    if est.l1_ratio > 0 and est.alpha >= est.alpha_max_ and np.any(pf > 0):
        warnings.warn(
            f"alpha={est.alpha:.4g} >= alpha_max={est.alpha_max_:.4g}: every penalized "
            "coefficient is zero. The objective is 1/(2n)||y - Xw||^2 + alpha * penalty; "
            "try a smaller alpha.", AlphaMaxWarning, stacklevel=caller_stacklevel())
    intercept = _intercepts(stats, res.coef, est.fit_intercept)
    check_finite_fit(est, coef_=res.coef, intercept_=intercept)
    if not res.converged:
        warnings.warn(
            "Objective did not converge. You might want to increase the number of iterations "
            f"(max_iter) or scale the features. Duality gap {res.stop_crit:.3e} after "
            f"{res.n_iter} epochs (target {est.tol:.1e} relative).", ConvergenceWarning,
            stacklevel=caller_stacklevel())
    est.coef_ = res.coef
    est.intercept_ = float(intercept)
    est.n_iter_ = res.n_iter
    est.dual_gap_ = res.stop_crit
    est.objective_history_ = res.objective


def _local_convexity(stats, scale, coef_std, penalty, max_support=1000):
    """``local_convexity`` of ``_glm`` from statistics: (margin, checked)."""
    from ._glm import concavity

    kappa = concavity(penalty)
    if kappa is None or kappa == 0.0:
        return np.inf, kappa == 0.0
    support = np.flatnonzero(coef_std)
    if support.size == 0:
        return np.inf, True
    if support.size > stats.n_samples:
        return -kappa, True
    if support.size > max_support:
        return np.nan, False
    H = stats.gram(True)[0][np.ix_(support, support)] / np.outer(scale[support],
                                                                 scale[support])
    return float(np.linalg.eigvalsh(H)[0]) - kappa, True


def _fit_penalized_stats(est, stats):
    """MCP / SCAD / L0 / group-lasso regressors from statistics.

    The scaled Gram problem is handed to the in-memory machinery (solver, coordinatewise
    certificate, polish) as its exact row form (:func:`pseudo_design`), so a fit from
    statistics follows the same steps as the in-memory Gram fit.
    """
    from ._glm import convergence_warning, fit_penalized

    p = stats.n_features
    pf = check_penalty_factor(getattr(est, "penalty_factor", None), p)
    penalty = est._penalty(p)
    standardize = getattr(est, "standardize", False)
    scale = _standardization(stats, est.fit_intercept, standardize)
    _, b, _ = _scaled_problem(stats, est.fit_intercept, scale)
    Z, t = _pseudo(stats, est.fit_intercept, scale)
    est.alpha_max_ = _alpha_max(b, pf, penalty, positive=getattr(est, "positive", False))
    if est._warn_alpha_max and est.alpha >= est.alpha_max_ and np.any(pf > 0):
        warnings.warn(
            f"alpha={est.alpha:.4g} >= alpha_max={est.alpha_max_:.4g}: every penalized "
            "coefficient is zero. The objective is 1/(2n)||y - Xw||^2 + alpha * penalty"
            + (" on standardized columns" if standardize else "")
            + "; try a smaller alpha.", AlphaMaxWarning, stacklevel=caller_stacklevel())
    coef_init, _ = _warm_coef(est, p)
    beta_init = None if coef_init is None else coef_init * scale
    # fit_penalized measures its KKT tolerance in the units of the rows it is given;
    # rescale so that tol means what it means for the in-memory fit of the same data
    m = Z.shape[0]
    ref_rows = np.sqrt(t @ t / m) * np.sqrt(np.mean(np.einsum("ij,ij->j", Z, Z) / m)) \
        if p else 1.0
    ref_rows = ref_rows if ref_rows > 0 and np.isfinite(ref_rows) else 1.0
    tol = est.tol * _kkt_reference(stats, est.fit_intercept, scale,
                                   standardize and est.fit_intercept) / ref_rows
    seed = None
    if getattr(est, "selection", "cyclic") == "random":
        from sklearn.utils.validation import check_random_state

        seed = int(check_random_state(est.random_state).randint(np.iinfo(np.int32).max))
    fit = fit_penalized(
        Z, t, Quadratic(), penalty, fit_intercept=False, standardize=False,
        penalty_factor=pf, positive=getattr(est, "positive", False), coef_init=beta_init,
        solver="gram" if penalty.is_separable else "auto", max_iter=est.max_iter, tol=tol,
        random_seed=seed, polish=getattr(est, "polish", False))
    coef = fit.coef / scale
    intercept = _intercepts(stats, coef, est.fit_intercept)
    check_finite_fit(est, coef_=coef, intercept_=intercept)
    convergence_warning(est, fit.result, est.tol)
    if not penalty.is_convex:
        from ._glm import NonconvexWarning

        margin, checked = _local_convexity(stats, scale, fit.coef, penalty)
        est.locally_convex_ = bool(margin > 0) if checked else None
        if checked and not margin > 0:
            warnings.warn(
                f"{type(est).__name__}: the objective is locally nonconvex at the solution "
                "found: a local minimum that may depend on the starting point. Increase "
                "gamma or alpha for a locally convex problem.", NonconvexWarning,
                stacklevel=caller_stacklevel())
    est.coef_ = coef
    est.intercept_ = float(intercept)
    est.n_iter_ = fit.result.n_iter
    est.stop_crit_ = fit.result.stop_crit
    est.objective_history_ = fit.result.objective


def _fit_ic_stats(est, stats):
    """:class:`SparseRegressorIC` from statistics: the path, then the RSS from the statistics."""
    from ._cv import alpha_grid

    p = stats.n_features
    pf = check_penalty_factor(est.penalty_factor, p)
    standardize = (est.penalty != "l1") if est.standardize == "auto" \
        else bool(est.standardize)
    if isinstance(est.alphas, (int, np.integer)):
        scale = _standardization(stats, est.fit_intercept, standardize)
        amax = _alpha_max(_scaled_problem(stats, est.fit_intercept, scale)[1], pf,
                          positive=est.positive)
        if est.penalty == "l0":
            amax = 0.5 * amax ** 2
        alphas = alpha_grid(amax, est.eps, int(est.alphas))
    else:
        alphas = np.sort(np.asarray(est.alphas, dtype=np.float64).ravel())[::-1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        coefs, intercepts, results = stats_path(
            stats, est._engine_penalty(), alphas, fit_intercept=est.fit_intercept,
            standardize=standardize, penalty_factor=pf, positive=est.positive,
            max_iter=est.max_iter, tol=est.tol)
    # as in memory, the weights are precisions rescaled to average 1 (the criterion does not
    # depend on their scale); the statistics cannot tell zero-weight rows apart, so n_eff
    # here is the row count: rows of zero weight should be dropped before accumulating
    n_eff = float(stats.n_samples)
    rss = stats.sq_errors(coefs, intercepts) * (n_eff / stats.weight_sum)
    est._select_from_path(alphas, coefs, intercepts, results, rss, n_eff,
                          stats.n_samples, p)


class StatsRegressorMixin:
    """``partial_fit``, dask input and ``fit(SufficientStatistics)`` for a least-squares regressor.

    The class says how it fits from statistics in ``_stats_fitter`` (one of the
    functions above); ``fit`` calls :meth:`_fit_scaleout` first.
    """

    _stats_fitter = None

    def _fit_stats(self, stats):
        check_out_of_core_features(stats.n_features, type(self).__name__)
        if stats.weight_sum <= 0:
            raise ValueError("The statistics hold no rows of positive weight: nothing to "
                             "fit.")
        type(self)._stats_fitter(self, stats)
        self.sufficient_stats_ = stats

    def _fit_scaleout(self, X, y, sample_weight):
        """Fit from statistics when ``X`` is a dask collection or statistics; True if done.

        Called first in ``fit``. An in-memory ``fit`` also drops the statistics of
        earlier ``partial_fit`` calls (a new fit starts a new accumulation).
        """
        self.__dict__.pop("sufficient_stats_", None)
        if isinstance(X, SufficientStatistics):
            if y is not None or sample_weight is not None:
                raise ValueError("fit(stats) takes the statistics alone: y and the sample "
                                 "weights are already in them (pass y=None).")
            set_input_features(self, X, X.n_features)
            self._fit_stats(X)
            return True
        if not (is_dask_collection(X) or is_dask_collection(y)
                or is_dask_collection(sample_weight)):
            return False
        if not is_dask_collection(X):
            raise TypeError("y or sample_weight is a dask collection but X is not: give X "
                            "as a dask array or dask DataFrame too.")
        (stats,) = dask_statistics(X, y, sample_weight)
        set_input_features(self, X, stats.n_features)
        self._fit_stats(stats)
        return True

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None):
        """Add a block of rows to the accumulated statistics and refit from them.

        The block's weighted least-squares statistics (:class:`SufficientStatistics`) are
        merged into ``sufficient_stats_`` with a numerically stable pairwise update, and
        the model is refitted from them by the Gram-form solver: after any number of
        blocks the model is the one ``fit`` gives on all the rows seen (up to the
        solver's tolerance). The cost per call is one pass over the block plus a
        ``p x p`` solve, whatever the number of rows seen; at most
        ``MAX_FEATURES_OUT_OF_CORE`` features. An in-memory ``fit`` starts a new
        accumulation.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            One block of training rows; its number of features must match the blocks
            seen before. Never modified.
        y : array-like of shape (n_samples,)
            Targets of the block's rows.
        sample_weight : array-like of shape (n_samples,), default=None
            Nonnegative weights of the block's rows (on the scale of every other block:
            they are not rescaled per block).

        Returns
        -------
        self : object
            The estimator, refitted on every row seen so far.
        """
        previous = getattr(self, "sufficient_stats_", None)
        if previous is None and hasattr(self, "coef_"):  # fitted, but not from statistics
            warnings.warn(
                f"{type(self).__name__}.partial_fit after an in-memory fit: the statistics "
                "start from this block (the rows given to fit are not in them).",
                UserWarning, stacklevel=caller_stacklevel())
        X, y = validate_data(self, X, y, reset=previous is None,
                             accept_sparse=["csr", "csc"], dtype=[np.float64, np.float32],
                             y_numeric=True, multi_output=False)
        check_out_of_core_features(X.shape[1], type(self).__name__)
        sw = None
        if sample_weight is not None:
            sw = _check_sample_weight(sample_weight, X, dtype=np.float64,
                                      ensure_non_negative=True)
        block = SufficientStatistics._from_moments(block_moments(X, y, sw))
        stats = block if previous is None else previous + block
        self.sufficient_stats_ = stats  # kept even if this block alone cannot be fitted yet
        self._fit_stats(stats)
        return self

    def predict(self, X):
        """Predict with the fitted linear model; a dask collection gives a dask collection.

        Parameters
        ----------
        X : {array-like, sparse matrix, dask array, dask DataFrame} of shape (n_samples, n_features)
            Samples to predict; a dask collection is predicted block by block on its
            workers, without gathering it.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,), dask array or dask Series
            ``X @ coef_ + intercept_``: an ndarray for in-memory input, a lazy dask array
            for a dask array and a lazy dask Series for a dask DataFrame.
        """
        if is_dask_collection(X):
            return dask_predict(self, X)
        return self._decision_function(X)


class EnetStatsMixin(StatsRegressorMixin):
    """Out-of-core fitting of :class:`ElasticNet` and :class:`Lasso`."""

    _stats_fitter = _fit_enet_stats


class PenalizedStatsMixin(StatsRegressorMixin):
    """Out-of-core fitting of the MCP, SCAD, L0 and group-lasso regressors."""

    _stats_fitter = _fit_penalized_stats


class ICStatsMixin(StatsRegressorMixin):
    """Out-of-core fitting of :class:`SparseRegressorIC`."""

    _stats_fitter = _fit_ic_stats


# ---------------------------------------------------------------------------------------
# cross-validation by row blocks
# ---------------------------------------------------------------------------------------
class StatsPathCVMixin:
    """Dask input for the cross-validated regressors: K-fold CV in one pass over the data."""

    def _fit_scaleout(self, X, y, sample_weight):
        self.__dict__.pop("sufficient_stats_", None)
        if isinstance(X, SufficientStatistics):
            raise TypeError(
                f"{type(self).__name__} cross-validates by row blocks and needs the rows: "
                "give a dask collection, or fit the plain estimator on merged statistics.")
        if not (is_dask_collection(X) or is_dask_collection(y)
                or is_dask_collection(sample_weight)):
            return False
        if not is_dask_collection(X):
            raise TypeError("y or sample_weight is a dask collection but X is not: give X "
                            "as a dask array or dask DataFrame too.")
        meta = None
        if hasattr(X, "to_dask_array") and hasattr(X, "columns"):
            meta = X._meta
            X = X.to_dask_array(lengths=True)  # fold bounds need the partition sizes
        n = X.shape[0]
        if np.isnan(n):
            X = X.compute_chunk_sizes()
            n = X.shape[0]
        bounds, labels, n_folds = row_block_folds(self.cv, int(n))
        n_groups = n_folds + (1 if labels is not None and np.any(labels == n_folds) else 0)
        folds = dask_statistics(X, y, sample_weight, bounds=bounds, labels=labels,
                                n_groups=max(n_groups, n_folds))
        if meta is not None:
            _check_feature_names(self, meta, reset=True)
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        self.n_features_in_ = folds[0].n_features
        self._fit_folds(folds, n_folds)
        return True

    def _fit_folds(self, groups, n_folds):
        """The CV of :class:`~._cv._RegressorPathCV` on fold statistics."""
        from ._cv import alpha_grid

        total = sum(groups)
        check_out_of_core_features(total.n_features, type(self).__name__)
        p = total.n_features
        pf = check_penalty_factor(self.penalty_factor, p)
        standardize = self._standardize and getattr(self, "standardize", False)
        l1_ratios = self._l1_ratios()
        scale = _standardization(total, self.fit_intercept, standardize)
        b_full = _scaled_problem(total, self.fit_intercept, scale)[1]
        grids = []
        for l1_ratio in l1_ratios:
            if isinstance(self.alphas, (int, np.integer)):
                amax = _alpha_max(b_full, pf, positive=self.positive) / max(l1_ratio, 1e-3)
                grids.append(alpha_grid(amax, self.eps, int(self.alphas)))
            else:
                grids.append(np.sort(check_grid(self.alphas, "alphas"))[::-1])
        mse = np.empty((len(l1_ratios), len(grids[0]), n_folds))
        for k in range(n_folds):
            # the training set's statistics: the other groups merged (no pass over data)
            train = sum(g for i, g in enumerate(groups) if i != k)
            test = groups[k]
            if test.weight_sum <= 0:
                raise ValueError(f"fold {k} holds no rows of positive weight.")
            for i, l1_ratio in enumerate(l1_ratios):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", ConvergenceWarning)
                    coefs, intercepts, _ = stats_path(
                        train, self._penalty(l1_ratio), grids[i],
                        fit_intercept=self.fit_intercept, standardize=standardize,
                        penalty_factor=pf, positive=self.positive, max_iter=self.max_iter,
                        tol=self.tol)
                mse[i, :, k] = test.sq_errors(coefs, intercepts) / test.weight_sum
        self._select_and_refit(
            l1_ratios, grids, mse, mse,
            lambda alpha, l1_ratio, path: self._refit(alpha, l1_ratio, total, None, None, path))
        self.sufficient_stats_ = total

    def predict(self, X):
        """Predict with the refitted model; a dask collection gives a dask collection.

        Parameters
        ----------
        X : {array-like, sparse matrix, dask array, dask DataFrame} of shape (n_samples, n_features)
            Samples to predict; a dask collection is predicted block by block on its
            workers, without gathering it.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,), dask array or dask Series
            The refitted model's predictions: an ndarray for in-memory input, a lazy dask
            array or dask Series for dask input.
        """
        if is_dask_collection(X):
            return dask_predict(self, X)
        return self._decision_function(X)
