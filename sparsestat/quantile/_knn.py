"""k-nearest-neighbours conditional quantiles (a base model of the default library)."""

import numbers

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context
from sklearn.neighbors import NearestNeighbors
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from ..utils._validation import check_quantile_levels

__all__ = ["KNeighborsQuantileRegressor"]


class KNeighborsQuantileRegressor(RegressorMixin, BaseEstimator):
    """Conditional quantiles from the targets of the k nearest training samples.

    The prediction at ``x`` for level ``tau`` is the empirical ``tau``-quantile (linear
    interpolation, numpy's default) of ``y`` over the ``n_neighbors`` training samples
    closest to ``x``; with ``weights="distance"`` it is the weighted quantile with weights
    ``1 / distance``. Predictions at increasing levels never cross.

    Parameters
    ----------
    quantile : float or array-like of shape (n_levels,), default=0.5
        Level(s) in (0, 1), strictly increasing when several.
    n_neighbors : int, default=20
        At most the number of training samples (a ValueError otherwise, as in
        scikit-learn).
    weights : {"uniform", "distance"}, default="uniform"
        Equal weights for the neighbours, or weights ``1 / distance`` (distances
        floored at 1e-12).
    metric : str, default="minkowski"
        Passed to :class:`~sklearn.neighbors.NearestNeighbors`.
    n_jobs : int, default=None
        Parallel neighbour searches (joblib).

    Attributes
    ----------
    quantiles_ : ndarray of shape (n_levels,)
        The levels, as an array (also for a scalar ``quantile``).
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when X has feature
        names that are all strings.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.quantile import KNeighborsQuantileRegressor
    >>> X = np.arange(10.0).reshape(-1, 1)
    >>> model = KNeighborsQuantileRegressor(quantile=[0.1, 0.9], n_neighbors=3).fit(X, X[:, 0])
    >>> model.predict([[5.0]])
    array([[4.2, 5.8]])
    """

    #: takes an array of levels in ``quantile`` and predicts one column per level
    _predicts_quantile_arrays = True

    _parameter_constraints = {
        "quantile": [Interval(numbers.Real, 0, 1, closed="neither"), "array-like"],
        "n_neighbors": [Interval(numbers.Integral, 1, None, closed="left")],
        "weights": [StrOptions({"uniform", "distance"})],
        "metric": [str],
        "n_jobs": [numbers.Integral, None],
    }

    def __init__(self, quantile=0.5, *, n_neighbors=20, weights="uniform", metric="minkowski",
                 n_jobs=None):
        self.quantile = quantile
        self.n_neighbors = n_neighbors
        self.weights = weights
        self.metric = metric
        self.n_jobs = n_jobs

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Store the training data and index it for neighbour searches.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data (stored, with a copy of ``y``).
        y : array-like of shape (n_samples,)
            Target values.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        self.quantiles_, self._scalar = check_quantile_levels(self.quantile, "quantile")
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=True)
        self._y = np.asarray(y, dtype=np.float64).copy()
        if self.n_neighbors > X.shape[0]:  # scikit-learn's KNeighborsRegressor raises too
            raise ValueError(f"Expected n_neighbors <= n_samples_fit, but n_neighbors = "
                             f"{self.n_neighbors}, n_samples_fit = {X.shape[0]}, "
                             f"n_samples = {X.shape[0]}.")
        self._nn = NearestNeighbors(n_neighbors=self.n_neighbors, metric=self.metric,
                                    n_jobs=self.n_jobs).fit(X)
        return self

    def predict(self, X):
        """Predict the conditional quantile(s).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Query samples, with the features seen in :term:`fit`.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_levels)
            Quantile of the neighbours' targets at each level.
        """
        check_is_fitted(self, "_nn")
        X = validate_data(self, X, reset=False, dtype=np.float64)
        dist, idx = self._nn.kneighbors(X)
        Y = self._y[idx]
        if self.weights == "uniform":
            pred = np.quantile(Y, self.quantiles_, axis=1).T
        else:
            pred = _weighted_quantiles(Y, 1.0 / np.maximum(dist, 1e-12), self.quantiles_)
        return pred[:, 0] if self._scalar else pred


def _weighted_quantiles(Y, W, taus):
    """Row-wise weighted quantiles (interpolated weighted CDF, Hazen plotting positions)."""
    order = np.argsort(Y, axis=1)
    Ys = np.take_along_axis(Y, order, axis=1)
    Ws = np.take_along_axis(W, order, axis=1)
    cum = np.cumsum(Ws, axis=1)
    pos = (cum - 0.5 * Ws) / cum[:, -1:]
    out = np.empty((Y.shape[0], taus.size))
    for i in range(Y.shape[0]):
        out[i] = np.interp(taus, pos[i], Ys[i])
    return out
