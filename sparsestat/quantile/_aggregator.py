"""Quantile model aggregation (Fakoor, Kim, Mueller, Smola, Tibshirani, JMLR 2023)."""

import math
import numbers
import time

import numpy as np
from joblib import Parallel
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context, clone
from sklearn.model_selection import KFold
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, check_random_state, validate_data

from .._engine.families._simplex import aggregate, fit_simplex_weights, isotonic_rows
from ._knn import KNeighborsQuantileRegressor
from ..utils._parallel import delayed
from ..utils._progress import progress, report
from ..utils._validation import check_quantile_levels
from ._sparse_quantile import SparseQuantileRegressor

__all__ = ["QuantileAggregator", "default_library"]

DEFAULT_QUANTILES = tuple(np.round(np.arange(1, 20) * 0.05, 2))


def default_library(random_state=0, n_neighbors=20):
    """The default base models: ``[(name, estimator), ...]``.

    A sparse linear quantile model (standardized features, ``alpha=0.01``), a
    histogram gradient-boosting quantile model (one per level) and a k-nearest-neighbours
    quantile model (standardized features, ``n_neighbors`` neighbours; the aggregator
    lowers it on small data, where the training folds hold fewer samples).

    Parameters
    ----------
    random_state : int, default=0
        Seed of the gradient-boosting model.
    n_neighbors : int, default=20
        Neighbours of the k-NN member.

    Returns
    -------
    library : list of (str, estimator)
        Unfitted models named "linear", "hgb" and "knn".

    Examples
    --------
    >>> from sparsestat.quantile import default_library
    >>> [name for name, _ in default_library()]
    ['linear', 'hgb', 'knn']
    """
    from sklearn.ensemble import HistGradientBoostingRegressor

    return [
        ("linear", make_pipeline(StandardScaler(), SparseQuantileRegressor(alpha=0.01))),
        ("hgb", HistGradientBoostingRegressor(loss="quantile", max_iter=100,
                                              random_state=random_state)),
        ("knn", make_pipeline(StandardScaler(), KNeighborsQuantileRegressor(n_neighbors=n_neighbors))),
    ]


def _final_step(estimator):
    if isinstance(estimator, Pipeline):
        name, last = estimator.steps[-1]
        prefix, last = _final_step(last)
        return f"{name}__{prefix}", last
    return "", estimator


def level_strategy(estimator):
    """How to ask ``estimator`` for quantiles: ``("multi" | "single", parameter name)``.

    Multi-level models (sparsestat's quantile models) take the whole level array at
    once; single-level models (scikit-learn's ``QuantileRegressor``,
    ``HistGradientBoostingRegressor(loss="quantile")``,
    ``GradientBoostingRegressor(loss="quantile")``, LightGBM's quantile objective) are
    cloned once per level. Anything else raises a TypeError.
    """
    prefix, last = _final_step(estimator)
    if not hasattr(last, "fit") or not hasattr(last, "predict") or not hasattr(
            last, "get_params"):
        raise TypeError(f"{estimator!r} is not a scikit-learn regressor (fit/predict).")
    params = last.get_params(deep=False)
    name = type(last).__name__
    if getattr(last, "_predicts_quantile_arrays", False):
        return "multi", prefix + "quantile"
    loss = params.get("loss", params.get("objective"))
    if "quantile" in params and (loss is None or loss == "quantile"):
        return "single", prefix + "quantile"
    if loss == "quantile" and "alpha" in params:
        return "single", prefix + "alpha"
    raise TypeError(
        f"{name} cannot predict quantiles: pass a quantile model (e.g. "
        "GradientBoostingRegressor(loss='quantile'), HistGradientBoostingRegressor("
        "loss='quantile'), QuantileRegressor, SparseQuantileRegressor, "
        f"KNeighborsQuantileRegressor); got {name} with loss={loss!r}.")


class QuantileModel:
    """A fitted base model answering ``predict(X) -> (n_samples, n_levels)``.

    Wraps one multi-level estimator or one single-level estimator per level, so that
    every entry of :attr:`QuantileAggregator.base_estimators_` predicts the aggregator's
    levels and can be compared with it.

    Parameters
    ----------
    estimators : list of estimators
        Fitted: one multi-level estimator, or one single-level estimator per level.
    quantiles : ndarray of shape (n_levels,)
        The levels the model predicts, in increasing order.

    Attributes
    ----------
    estimators : list of estimators
        One (multi-level) or one per level.
    quantiles : ndarray of shape (n_levels,)
        The levels the model predicts, in increasing order.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.quantile import KNeighborsQuantileRegressor, QuantileModel
    >>> X = np.arange(10.0).reshape(-1, 1)
    >>> knn = KNeighborsQuantileRegressor(quantile=[0.1, 0.9], n_neighbors=3).fit(X, X[:, 0])
    >>> QuantileModel([knn], np.array([0.1, 0.9])).predict([[5.0]])
    array([[4.2, 5.8]])
    """

    def __init__(self, estimators, quantiles):
        self.estimators = estimators
        self.quantiles = quantiles

    def predict(self, X):
        """Quantiles at ``self.quantiles``, shape (n_samples, n_levels).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples, as the wrapped estimators expect them.

        Returns
        -------
        y_quantiles : ndarray of shape (n_samples, n_levels)
            One column per level of ``quantiles``.
        """
        if len(self.estimators) == 1 and len(self.quantiles) > 1:
            pred = np.asarray(self.estimators[0].predict(X), dtype=np.float64)
            return pred.reshape(pred.shape[0], -1)
        return np.column_stack([np.asarray(e.predict(X), dtype=np.float64).ravel()
                                for e in self.estimators])

    def __repr__(self):
        return f"QuantileModel({self.estimators[0]!r}, levels={len(self.quantiles)})"


def _fit_predict(template, param, level, X, y, train, test):
    est = clone(template).set_params(**{param: level})
    est.fit(X[train], y[train])
    pred = None if test is None else np.asarray(est.predict(X[test]), dtype=np.float64)
    return est, pred


def _conformal_rank(n, level):
    """1-based rank of the order statistic giving coverage ``level`` (capped at n)."""
    return int(min(max(math.ceil(level * (n + 1) - 1e-12), 1), n))


class QuantileAggregator(RegressorMixin, BaseEstimator):
    """Aggregate several conditional-quantile models into one (Fakoor et al., JMLR 2023).

    The base models are cross-fitted: their out-of-fold predictions at every level form
    the inputs of an aggregate ``q(x, tau_l) = sum w . q_m(x, .)`` whose weights lie on
    the simplex and minimize the mean pinball loss over levels (engine: FISTA with an
    exact simplex projection, on a Huber smoothing of the pinball loss with
    continuation). Predicted quantiles are then made noncrossing (sorting or isotonic
    regression across levels, which never raise the pinball loss) and conformally
    calibrated on a held-out split.

    Parameters
    ----------
    estimators : list of estimators or (name, estimator) tuples, default=None
        Quantile regressors: multi-level ones (:class:`SparseQuantileRegressor`,
        :class:`KNeighborsQuantileRegressor`) or single-level ones cloned per level
        (``GradientBoostingRegressor(loss="quantile")``, ``HistGradientBoostingRegressor(
        loss="quantile")``, ``QuantileRegressor``), possibly at the end of a Pipeline.
        None uses :func:`default_library`.
    quantiles : float or array-like of shape (n_levels,), default=(0.05, 0.10, ..., 0.95)
        Strictly increasing levels in (0, 1).
    weights : {"coarse", "medium", "fine"}, default="medium"
        One weight per model; per model and level; or, for each level, weights over every
        (model, level) pair.
    local : bool, default=False
        Weights that vary with ``x``: a convex combination, with Gaussian-kernel
        memberships around ``n_components`` k-means centers of the standardized
        features, of ``n_components`` simplex weight sets (reconstructed design: the
        paper uses a neural network).
    n_components : int, default=4
        Local components when ``local=True``.
    noncrossing : {"sort", "isotonic"} or None, default="sort"
        How the aggregate quantiles of a sample are made nondecreasing across levels:
        sorting, or isotonic regression (both never raise the pinball loss); None
        leaves them as they are (they may cross).
    calibration : {"cqr", "shift"} or None, default="cqr"
        Conformalized quantile regression per symmetric pair of levels (``tau``,
        ``1 - tau``; one-sided shift for unpaired levels), or a one-sided shift per level,
        computed on a held-out calibration split.
    calibration_size : float, default=0.25
        Fraction of the samples held out for calibration.
    cv : int, default=5
        Folds of the cross-fitting.
    max_iter : int, default=500
        FISTA iterations per smoothing level of the weight fit.
    n_jobs : int, default=None
        Parallel base-model fits (joblib) during cross-fitting and refitting.
    random_state : int, RandomState instance or None, default=None
        Seeds the calibration split, the folds and the local components.
    verbose : int, default=0
        Progress (scikit-learn's meaning): 0 silent; 1 a progress bar over the base-model
        fits of the cross-fitting and refitting (tqdm, if installed; about ten lines
        otherwise) and a line per later stage; 2 a line per base-model fit. Standard
        error; the result does not depend on it.

    Attributes
    ----------
    base_estimators_ : list of QuantileModel
        Base models refit on the training part (all samples but the calibration split);
        each ``predict`` returns (n_samples, n_levels) quantiles at ``quantiles_``.
    estimator_names_ : list of str
        Names of the base models: the given names, or ``<class name lowercased>_<k>``.
    weights_ : ndarray
        Simplex weights: shape (n_models,) for "coarse", (n_levels, n_models) for
        "medium", (n_levels, n_models, n_levels) for "fine"; with ``local=True`` a
        leading axis of ``n_components``.
    quantiles_ : ndarray of shape (n_levels,)
        The levels, as an array (also for a scalar ``quantiles``).
    calibration_offsets_ : ndarray of shape (n_levels,)
        Conformal corrections added to the aggregate (zeros when ``calibration=None``).
    oof_loss_ : dict
        Mean pinball loss of each base model's and of the aggregate's out-of-fold
        predictions.
    n_iter_ : int
        FISTA iterations of the weight fit.
    fit_times_ : dict
        Seconds spent cross-fitting and refitting the base models ("base_models"),
        fitting the weights ("weights") and calibrating ("calibration").
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when X has feature
        names that are all strings.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.ensemble import GradientBoostingRegressor
    >>> from sparsestat.quantile import QuantileAggregator, SparseQuantileRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.uniform(-2, 2, size=(300, 2))
    >>> y = X[:, 0] + (1 + np.abs(X[:, 1])) * rng.standard_normal(300)
    >>> agg = QuantileAggregator(
    ...     [SparseQuantileRegressor(alpha=0.01),
    ...      GradientBoostingRegressor(loss="quantile", n_estimators=20)],
    ...     quantiles=[0.1, 0.5, 0.9], cv=3, random_state=0).fit(X, y)
    >>> agg.predict(X[:4]).shape
    (4, 3)
    >>> agg.predict_interval(X[:4], coverage=0.8).shape
    (4, 2)
    """

    _parameter_constraints = {
        "estimators": [list, None],
        "quantiles": [Interval(numbers.Real, 0, 1, closed="neither"), "array-like"],
        "weights": [StrOptions({"coarse", "medium", "fine"})],
        "local": ["boolean"],
        "n_components": [Interval(numbers.Integral, 1, None, closed="left")],
        "noncrossing": [StrOptions({"sort", "isotonic"}), None],
        "calibration": [StrOptions({"cqr", "shift"}), None],
        "calibration_size": [Interval(numbers.Real, 0, 1, closed="neither")],
        "cv": [Interval(numbers.Integral, 2, None, closed="left")],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "n_jobs": [numbers.Integral, None],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(self, estimators=None, *, quantiles=DEFAULT_QUANTILES, weights="medium",
                 local=False, n_components=4, noncrossing="sort", calibration="cqr",
                 calibration_size=0.25, cv=5, max_iter=500, n_jobs=None, random_state=None,
                 verbose=0):
        self.estimators = estimators
        self.quantiles = quantiles
        self.weights = weights
        self.local = local
        self.n_components = n_components
        self.noncrossing = noncrossing
        self.calibration = calibration
        self.calibration_size = calibration_size
        self.cv = cv
        self.max_iter = max_iter
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    # ------------------------------------------------------------------ layout
    def _library(self, n_samples=None):
        # the default k-NN member needs k <= the smallest training fold (about n / 4
        # with cv=2 and a held-out calibration part)
        k = 20 if n_samples is None else max(1, min(20, n_samples // 4))
        items = default_library(n_neighbors=k) if self.estimators is None else self.estimators
        if len(items) == 0:
            raise ValueError("estimators is empty: pass at least one quantile model.")
        names, templates = [], []
        for k, item in enumerate(items):
            if isinstance(item, tuple):
                name, est = item
            else:
                name, est = f"{type(_final_step(item)[1]).__name__.lower()}_{k}", item
            names.append(str(name))
            templates.append(est)
        if len(set(names)) != len(names):
            raise ValueError(f"estimator names must be unique, got {names}.")
        strategies = [level_strategy(est) for est in templates]
        return names, templates, strategies

    def _features(self, Q):
        """Base predictions (n, M, L) -> the weight problem's (n, L or 1, S) inputs."""
        n, M, L = Q.shape
        if self.weights == "fine":
            return Q.reshape(n, 1, M * L)
        return np.ascontiguousarray(Q.transpose(0, 2, 1))

    def _groups(self, L):
        if self.weights == "coarse":
            return np.zeros(L, dtype=np.int64), 1
        return np.arange(L, dtype=np.int64), L

    def _memberships(self, X):
        if not self.local:
            return None
        Z = (X - self._x_mean) / self._x_scale
        d2 = ((Z[:, None, :] - self._centers[None, :, :]) ** 2).sum(axis=2)
        logits = -d2 / (2.0 * self._bandwidth2)
        logits -= logits.max(axis=1, keepdims=True)
        pi = np.exp(logits)
        return pi / pi.sum(axis=1, keepdims=True)

    def _fit_memberships(self, X, rng):
        from sklearn.cluster import KMeans

        self._x_mean = X.mean(axis=0)
        self._x_scale = np.where(X.std(axis=0) > 0, X.std(axis=0), 1.0)
        Z = (X - self._x_mean) / self._x_scale
        k = min(self.n_components, X.shape[0])
        km = KMeans(n_clusters=k, n_init=3, random_state=rng.randint(2**31 - 1)).fit(Z)
        self._centers = km.cluster_centers_
        d2 = ((Z[:, None, :] - self._centers[None, :, :]) ** 2).sum(axis=2)
        self._bandwidth2 = max(float(np.mean(d2.min(axis=1))), 1e-12)

    def _base_predictions(self, X):
        return np.stack([m.predict(X) for m in self.base_estimators_], axis=1)

    def _combine(self, Q, X):
        group, _ = self._groups(Q.shape[2])
        agg = aggregate(self._features(Q), self._W, group, self._memberships(X))
        return self._uncross(agg)

    def _uncross(self, agg):
        if self.noncrossing == "sort":
            return np.sort(agg, axis=1)
        if self.noncrossing == "isotonic":
            agg = np.ascontiguousarray(agg)
            isotonic_rows(agg)
        return agg

    # ------------------------------------------------------------------ fit
    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Cross-fit the base models, fit the weights, calibrate.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data; ``calibration_size`` of it is held out for calibration when
            ``calibration`` is set.
        y : array-like of shape (n_samples,)
            Target values.

        Returns
        -------
        self : object
            The fitted aggregator.
        """
        taus, self._scalar = check_quantile_levels(self.quantiles, "quantiles")
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=True)
        y = np.asarray(y, dtype=np.float64)
        names, templates, strategies = self._library(X.shape[0])
        rng = check_random_state(self.random_state)
        n = X.shape[0]
        L = taus.size
        perm = rng.permutation(n)
        n_cal = int(round(self.calibration_size * n)) if self.calibration is not None else 0
        if self.calibration is not None and (n_cal < 2 or n - n_cal < 2 * self.cv):
            raise ValueError(
                f"{n} samples are too few for calibration_size={self.calibration_size} and "
                f"cv={self.cv}: need at least 2 calibration samples and 2 per fold.")
        if n < 2 * self.cv:
            raise ValueError(f"{n} samples are too few for cv={self.cv} folds.")
        cal = np.sort(perm[:n_cal])
        train = np.sort(perm[n_cal:])
        Xt, yt = X[train], y[train]
        folds = list(KFold(self.cv, shuffle=True,
                           random_state=rng.randint(2**31 - 1)).split(Xt))
        tasks = []
        for m, (template, (kind, param)) in enumerate(zip(templates, strategies)):
            levels = [taus] if kind == "multi" else list(taus)
            for j, level in enumerate(levels):
                level = level if kind == "multi" else float(level)
                for f, (tr, te) in enumerate(folds):
                    tasks.append((m, j, f, template, param, level, tr, te))
                tasks.append((m, j, -1, template, param, level, np.arange(len(train)), None))
        # threads: our kernels and scikit-learn's tree/neighbour code release the GIL, and
        # worker processes would each pay numba's start-up
        clock = time.perf_counter()
        task = delayed(_fit_predict)  # here: warnings of the fits name the caller's line
        results = list(progress(
            Parallel(n_jobs=self.n_jobs, prefer="threads", return_as="generator")(
                task(template, param, level, Xt, yt, tr, te)
                for (m, j, f, template, param, level, tr, te) in tasks),
            self.verbose, f"QuantileAggregator: {len(templates)} base models x "
            f"({self.cv} folds + refit)", total=len(tasks)))
        oof = np.empty((len(train), len(templates), L))
        refit = [[None] * (1 if kind == "multi" else L) for kind, _ in strategies]
        for (m, j, f, _, _, _, tr, te), (est, pred) in zip(tasks, results):
            if f < 0:
                refit[m][j] = est
                continue
            if strategies[m][0] == "multi":
                pred = pred.reshape(len(te), -1)
                if pred.shape[1] != L:
                    raise ValueError(
                        f"{names[m]} predicted {pred.shape[1]} quantile columns, expected "
                        f"{L}.")
                oof[te, m, :] = pred
            else:
                oof[te, m, j] = pred.ravel()
        self.fit_times_ = {"base_models": time.perf_counter() - clock}
        clock = time.perf_counter()
        if not np.all(np.isfinite(oof)):
            raise ValueError("A base model produced non-finite predictions.")
        self.base_estimators_ = [QuantileModel(ests, taus) for ests in refit]
        self.estimator_names_ = names
        self.quantiles_ = taus

        # weights on the simplex, fitted on the out-of-fold predictions
        group, n_groups = self._groups(L)
        if self.local:
            self._fit_memberships(Xt, rng)
        pi = self._memberships(Xt)
        report(self.verbose, "QuantileAggregator", "fitting the weights")
        W, info = fit_simplex_weights(self._features(oof), yt, taus, group, n_groups, pi=pi,
                                      max_iter=self.max_iter)
        self._W = W
        self.n_iter_ = info["n_iter"]
        self.fit_times_["weights"] = time.perf_counter() - clock
        clock = time.perf_counter()
        M = len(templates)
        if self.weights == "coarse":
            weights = W[:, 0, :]
        elif self.weights == "medium":
            weights = W
        else:
            weights = W.reshape(W.shape[0], L, M, L)
        self.weights_ = weights if self.local else weights[0]
        from ..metrics import pinball_loss

        self.oof_loss_ = {name: pinball_loss(yt, oof[:, m, :], taus)
                          for m, name in enumerate(names)}
        self.oof_loss_["aggregate"] = pinball_loss(yt, self._combine(oof, Xt), taus)

        # conformal calibration on the held-out split
        self.calibration_offsets_ = np.zeros(L)
        if self.calibration is not None:
            report(self.verbose, "QuantileAggregator", f"calibrating ({self.calibration})")
            Qc = self._combine(self._base_predictions(X[cal]), X[cal])
            self.calibration_offsets_ = self._calibrate(Qc, y[cal], taus)
        self.fit_times_["calibration"] = time.perf_counter() - clock
        return self

    def _calibrate(self, Q, y, taus):
        n, L = Q.shape
        offsets = np.zeros(L)
        paired = np.zeros(L, dtype=bool)
        if self.calibration == "cqr":
            for lo in range(L):
                hi = int(np.argmin(np.abs(taus - (1.0 - taus[lo]))))
                if taus[lo] < 0.5 and abs(taus[hi] + taus[lo] - 1.0) < 1e-9:
                    scores = np.maximum(Q[:, lo] - y, y - Q[:, hi])
                    k = _conformal_rank(n, taus[hi] - taus[lo])
                    q_hat = np.sort(scores)[k - 1]
                    offsets[lo], offsets[hi] = -q_hat, q_hat
                    paired[lo] = paired[hi] = True
        for level in np.flatnonzero(~paired):
            resid = np.sort(y - Q[:, level])
            offsets[level] = resid[_conformal_rank(n, taus[level]) - 1]
        return offsets

    # ------------------------------------------------------------------ predict
    def predict(self, X):
        """Noncrossing, calibrated conditional quantiles.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples, with the features seen in :term:`fit`.

        Returns
        -------
        y_quantiles : ndarray of shape (n_samples, n_levels) or (n_samples,)
            Quantiles at ``quantiles_``, one column per level (1-d when ``quantiles`` is
            a single float).
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        Q = self._combine(self._base_predictions(X), X) + self.calibration_offsets_
        if self.calibration is not None and self.noncrossing is not None:
            Q = self._uncross(Q)
        return Q[:, 0] if self._scalar else Q

    def predict_interval(self, X, coverage=0.8):
        """Central prediction interval ``[q_{(1-c)/2}, q_{(1+c)/2}]``.

        Levels missing from ``quantiles_`` are linearly interpolated between the
        neighbouring fitted levels (exact, and conformally calibrated with "cqr", when
        both levels were fitted).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples, with the features seen in :term:`fit`.
        coverage : float, default=0.8
            Nominal coverage in (0, 1).

        Returns
        -------
        interval : ndarray of shape (n_samples, 2)
            Lower and upper bounds of each sample's interval.
        """
        if not isinstance(coverage, numbers.Real) or not 0 < coverage < 1:
            raise ValueError(f"coverage must be a float in (0, 1), got {coverage!r}.")
        Q = np.atleast_2d(self.predict(X).T).T
        taus = self.quantiles_
        bounds = [(1.0 - coverage) / 2.0, (1.0 + coverage) / 2.0]
        out = np.empty((Q.shape[0], 2))
        for b, level in enumerate(bounds):
            hit = np.flatnonzero(np.abs(taus - level) < 1e-9)
            if hit.size:
                out[:, b] = Q[:, hit[0]]
            elif taus[0] <= level <= taus[-1]:
                out[:, b] = [np.interp(level, taus, row) for row in Q]
            else:
                raise ValueError(
                    f"coverage={coverage} needs the level {level:.4g}, outside the fitted "
                    f"levels [{taus[0]}, {taus[-1]}].")
        return out

    def score(self, X, y, sample_weight=None):
        """Negative mean pinball loss over the levels (higher is better).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples, with the features seen in :term:`fit`.
        y : array-like of shape (n_samples,)
            True values.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples in the mean.

        Returns
        -------
        score : float
            Minus the mean pinball loss of :meth:`predict` over samples and levels.
        """
        from ..metrics import pinball_loss

        return -pinball_loss(y, self.predict(X), self.quantiles_, sample_weight=sample_weight)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.regressor_tags.poor_score = True
        return tags
