"""Fan charts and calibration plots of quantile predictions (scikit-learn's Display style).

matplotlib is imported only when a display is drawn, never when this module is imported.
"""

import numpy as np
from sklearn.utils.validation import check_array, check_is_fitted

from ..metrics._quantile import _check_inputs
from ..utils._plotting import get_axes
from ..utils._validation import check_quantile_levels

__all__ = ["QuantileCalibrationDisplay", "QuantileFanDisplay"]


def _predict_quantiles(estimator, X):
    """``(predictions of shape (n_samples, n_levels), levels)`` of a fitted quantile model."""
    check_is_fitted(estimator)
    if not hasattr(estimator, "quantiles_"):
        raise TypeError(f"{type(estimator).__name__} has no quantiles_ attribute; pass a "
                        "fitted quantile regressor of sparsestat.quantile, or use "
                        "from_predictions.")
    taus = np.atleast_1d(np.asarray(estimator.quantiles_, dtype=np.float64))
    Q = np.asarray(estimator.predict(X), dtype=np.float64)
    return Q.reshape(Q.shape[0], taus.size), taus


def _feature_column(X, feature, estimator=None):
    """Values and name of one column of X, selected by index or by feature name."""
    if isinstance(feature, str):
        names = getattr(estimator, "feature_names_in_", None)
        if hasattr(X, "columns"):
            return np.asarray(X[feature], dtype=np.float64), feature
        if names is None or feature not in list(names):
            raise ValueError(f"feature {feature!r} is not a feature name of X.")
        feature = list(names).index(feature)
    column = np.asarray(X.iloc[:, feature] if hasattr(X, "iloc") else
                        check_array(X, dtype=np.float64)[:, feature], dtype=np.float64)
    name = str(X.columns[feature]) if hasattr(X, "columns") else f"x{feature}"
    return column, name


class QuantileFanDisplay:
    """Fan chart: nested bands between symmetric predicted quantiles.

    Levels are paired from the outside in (``tau_1`` with ``tau_L``, ``tau_2`` with
    ``tau_{L-1}``...) and each pair fills a band, darker towards the centre; the median
    (level 0.5, when predicted) is a line; observations, when given, are points.

    Use :meth:`from_estimator` with a fitted :class:`SparseQuantileRegressor`,
    :class:`QuantileAggregator` or :class:`KNeighborsQuantileRegressor`, or
    :meth:`from_predictions`.

    Parameters
    ----------
    x : ndarray of shape (n_samples,)
        Horizontal coordinate (a feature, or the sample index).
    y_quantiles : ndarray of shape (n_samples, n_levels)
        Predicted quantiles, one column per level.
    quantiles : ndarray of shape (n_levels,)
        Levels, strictly increasing in (0, 1).
    y : ndarray of shape (n_samples,), default=None
        Observations to draw as points.
    xlabel : str, default="sample index"
        Label of the x axis.

    Attributes
    ----------
    bands_ : list of matplotlib.collections.PolyCollection
        One band per pair of levels, outermost first.
    band_levels_ : list of (float, float)
        The pair of levels of each band.
    median_line_ : matplotlib.lines.Line2D or None
        The level-0.5 curve, when 0.5 is among the levels.
    points_ : matplotlib.collections.PathCollection or None
        The observations, when ``y`` is given.
    ax_ : matplotlib.axes.Axes
        Axes the chart is drawn on.
    figure_ : matplotlib.figure.Figure
        Figure holding ``ax_``.

    See Also
    --------
    QuantileCalibrationDisplay : observed against nominal coverage of each level.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from sparsestat.quantile import QuantileFanDisplay, SparseQuantileRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.uniform(0, 1, (100, 1))
    >>> y = 2 * X[:, 0] + rng.standard_normal(100)
    >>> reg = SparseQuantileRegressor([0.1, 0.5, 0.9], alpha=0.0).fit(X, y)
    >>> display = QuantileFanDisplay.from_estimator(reg, X, y, feature=0)
    >>> display.band_levels_
    [(0.1, 0.9)]
    """

    def __init__(self, x, y_quantiles, quantiles, *, y=None, xlabel="sample index"):
        self.x = x
        self.y_quantiles = y_quantiles
        self.quantiles = quantiles
        self.y = y
        self.xlabel = xlabel

    def plot(self, ax=None, *, color="tab:blue"):
        """Draw the fan chart.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, default=None
            Axes to draw on; a new figure when None.
        color : str, default="tab:blue"
            Colour of the bands (the median line is black).

        Returns
        -------
        display : QuantileFanDisplay
            The display, with its artists stored.
        """
        taus, _ = check_quantile_levels(self.quantiles)
        Q = np.asarray(self.y_quantiles, dtype=np.float64).reshape(-1, taus.size)
        x = np.asarray(self.x, dtype=np.float64).ravel()
        if x.size != Q.shape[0]:
            raise ValueError(f"x has {x.size} values but y_quantiles has {Q.shape[0]} rows.")
        order = np.argsort(x, kind="stable")
        ax, fig = get_axes(ax, type(self).__name__)
        n_pairs = taus.size // 2
        self.bands_, self.band_levels_ = [], []
        for k in range(n_pairs):
            lo, hi = k, taus.size - 1 - k
            band = ax.fill_between(
                x[order], Q[order, lo], Q[order, hi], color=color,
                alpha=0.15 + 0.35 * (k + 1) / max(n_pairs, 1), linewidth=0,
                label=f"{taus[lo]:g} - {taus[hi]:g}")
            self.bands_.append(band)
            self.band_levels_.append((float(taus[lo]), float(taus[hi])))
        self.median_line_ = None
        median = np.flatnonzero(np.isclose(taus, 0.5))
        if median.size:
            # black: the median must stand out on the darkest (central) band
            (self.median_line_,) = ax.plot(x[order], Q[order, median[0]], color="k",
                                           linewidth=1.2, label="median")
        self.points_ = None
        if self.y is not None:
            y = np.asarray(self.y, dtype=np.float64).ravel()
            if y.size != x.size:
                raise ValueError(f"y has {y.size} values but x has {x.size}.")
            self.points_ = ax.scatter(x, y, s=8, color="0.3", zorder=3, label="observed")
        ax.set_xlabel(self.xlabel)
        ax.set_ylabel("y")
        ax.legend(loc="best", fontsize="small")
        self.ax_, self.figure_ = ax, fig
        return self

    @classmethod
    def from_predictions(cls, y_quantiles, quantiles, *, x=None, y=None, xlabel=None,
                         ax=None, color="tab:blue"):
        """Draw a fan chart of predicted quantiles.

        Parameters
        ----------
        y_quantiles : array-like of shape (n_samples, n_levels)
            Predicted quantiles, one column per level.
        quantiles : array-like of shape (n_levels,)
            Levels, strictly increasing in (0, 1).
        x : array-like of shape (n_samples,), default=None
            Horizontal coordinate; the sample index when None.
        y : array-like of shape (n_samples,), default=None
            Observations to draw as points.
        xlabel : str, default=None
            Label of the x axis; ``"sample index"`` or ``"x"`` when None.
        ax : matplotlib.axes.Axes, default=None
            Axes to draw on; a new figure when None.
        color : str, default="tab:blue"
            Colour of the bands (the median line is black).

        Returns
        -------
        display : QuantileFanDisplay
            The display, with its artists stored.
        """
        Q = np.asarray(y_quantiles, dtype=np.float64)
        Q = Q.reshape(Q.shape[0], -1)
        if xlabel is None:
            xlabel = "sample index" if x is None else "x"
        if x is None:
            x = np.arange(Q.shape[0])
        display = cls(x, Q, quantiles, y=y, xlabel=xlabel)
        return display.plot(ax=ax, color=color)

    @classmethod
    def from_estimator(cls, estimator, X, y=None, *, feature=None, ax=None,
                       color="tab:blue"):
        """Draw the fan chart of a fitted quantile regressor's predictions on X.

        Parameters
        ----------
        estimator : fitted estimator
            With ``quantiles_`` and a ``predict`` returning one column per level
            (:class:`SparseQuantileRegressor`, :class:`QuantileAggregator`,
            :class:`KNeighborsQuantileRegressor`).
        X : array-like of shape (n_samples, n_features)
            Inputs to predict.
        y : array-like of shape (n_samples,), default=None
            Observations to draw as points.
        feature : int or str, default=None
            Column of X on the x axis (index, or name for a DataFrame); the sample index
            when None.
        ax : matplotlib.axes.Axes, default=None
            Axes to draw on; a new figure when None.
        color : str, default="tab:blue"
            Colour of the bands (the median line is black).

        Returns
        -------
        display : QuantileFanDisplay
            The display, with its artists stored.
        """
        Q, taus = _predict_quantiles(estimator, X)
        if feature is None:
            x, xlabel = np.arange(Q.shape[0]), "sample index"
        else:
            x, xlabel = _feature_column(X, feature, estimator)
        return cls.from_predictions(Q, taus, x=x, y=y, xlabel=xlabel, ax=ax, color=color)


class QuantileCalibrationDisplay:
    """Observed coverage ``P(y <= q_tau(x))`` against the nominal level ``tau``.

    A calibrated model puts its points on the diagonal; points below it mean the
    predicted quantiles are too low.

    Use :meth:`from_estimator` with a fitted quantile regressor on held-out data, or
    :meth:`from_predictions`.

    Parameters
    ----------
    quantiles : ndarray of shape (n_levels,)
        Nominal levels.
    observed : ndarray of shape (n_levels,)
        Fraction of observations at or below each predicted quantile.
    name : str, default=None
        Legend label of the points.

    Attributes
    ----------
    line_ : matplotlib.lines.Line2D
        Observed against nominal coverage.
    diagonal_ : matplotlib.lines.Line2D or None
        The line ``observed = nominal`` (None when ``ref_line=False``).
    ax_ : matplotlib.axes.Axes
        Axes the plot is drawn on.
    figure_ : matplotlib.figure.Figure
        Figure holding ``ax_``.

    See Also
    --------
    sparsestat.metrics.quantile_calibration_error : the mean distance to the diagonal.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sparsestat.quantile import QuantileCalibrationDisplay
    >>> y = [0.0, 1.0, 2.0, 3.0]
    >>> Q = [[0.5, 2.5], [0.5, 2.5], [0.5, 2.5], [0.5, 2.5]]
    >>> display = QuantileCalibrationDisplay.from_predictions(y, Q, [0.25, 0.75])
    >>> display.observed
    array([0.25, 0.75])
    """

    def __init__(self, quantiles, observed, *, name=None):
        self.quantiles = quantiles
        self.observed = observed
        self.name = name

    def plot(self, ax=None, *, name=None, ref_line=True):
        """Draw observed against nominal coverage, with the diagonal.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, default=None
            Axes to draw on; a new figure when None.
        name : str, default=None
            Legend label of the points; ``self.name`` when None.
        ref_line : bool, default=True
            Whether to draw the diagonal (turn it off when adding a second model to the
            same axes).

        Returns
        -------
        display : QuantileCalibrationDisplay
            The display, with its artists stored.
        """
        taus, _ = check_quantile_levels(self.quantiles)
        observed = np.asarray(self.observed, dtype=np.float64).ravel()
        if observed.size != taus.size:
            raise ValueError(f"observed has {observed.size} values for {taus.size} levels.")
        name = self.name if name is None else name
        ax, fig = get_axes(ax, type(self).__name__)
        self.diagonal_ = None
        if ref_line:
            (self.diagonal_,) = ax.plot([0, 1], [0, 1], color="0.5", linestyle="--",
                                        label="calibrated")
        (self.line_,) = ax.plot(taus, observed, marker="o",
                                label=name if name is not None else "observed")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_aspect("equal")
        ax.set_xlabel("nominal level")
        ax.set_ylabel("observed coverage")
        ax.legend(loc="upper left")
        self.ax_, self.figure_ = ax, fig
        return self

    @classmethod
    def from_predictions(cls, y_true, y_quantiles, quantiles, *, sample_weight=None,
                         name=None, ax=None, ref_line=True):
        """Draw the calibration of predicted quantiles against observations.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            Observations.
        y_quantiles : array-like of shape (n_samples, n_levels)
            Predicted quantiles, one column per level.
        quantiles : array-like of shape (n_levels,)
            Levels, strictly increasing in (0, 1).
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the observations in the coverage.
        name : str, default=None
            Legend label of the points.
        ax : matplotlib.axes.Axes, default=None
            Axes to draw on; a new figure when None.
        ref_line : bool, default=True
            Whether to draw the diagonal.

        Returns
        -------
        display : QuantileCalibrationDisplay
            The display, with its artists stored.
        """
        y, Q, taus, sw = _check_inputs(y_true, y_quantiles, quantiles, sample_weight)
        observed = (sw @ (y[:, None] <= Q)) / sw.sum()
        return cls(taus, observed, name=name).plot(ax=ax, ref_line=ref_line)

    @classmethod
    def from_estimator(cls, estimator, X, y, *, sample_weight=None, name=None, ax=None,
                       ref_line=True):
        """Draw the calibration of a fitted quantile regressor on ``(X, y)``.

        Parameters
        ----------
        estimator : fitted estimator
            With ``quantiles_`` and a ``predict`` returning one column per level.
        X : array-like of shape (n_samples, n_features)
            Inputs, preferably held out from the fit.
        y : array-like of shape (n_samples,)
            Observations.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the observations in the coverage.
        name : str, default=None
            Legend label; the estimator's class name when None.
        ax : matplotlib.axes.Axes, default=None
            Axes to draw on; a new figure when None.
        ref_line : bool, default=True
            Whether to draw the diagonal.

        Returns
        -------
        display : QuantileCalibrationDisplay
            The display, with its artists stored.
        """
        Q, taus = _predict_quantiles(estimator, X)
        return cls.from_predictions(y, Q, taus, sample_weight=sample_weight,
                                    name=type(estimator).__name__ if name is None else name,
                                    ax=ax, ref_line=ref_line)
