"""Displays of regularization paths and cross-validation curves (scikit-learn's style).

matplotlib is imported only when a display is drawn, never when this module is imported.
"""

import warnings

import numpy as np
from sklearn.base import clone
from sklearn.utils.validation import check_array, check_is_fitted

from ..utils._plotting import get_axes
from .._engine import alpha_max_l1
from ..exceptions import AlphaMaxWarning
from ._base import normalized_sample_weight
from ._coordinate_descent import ElasticNet, enet_path
from ._cv import ElasticNetCV, MCPRegressorCV, alpha_grid
from ._glm import NonconvexWarning, standardize_design
from ._nonconvex import MCPRegressor

__all__ = ["CVCurveDisplay", "RegularizationPathDisplay"]


def _feature_names(feature_names, n_features, estimator=None):
    if feature_names is None and estimator is not None:
        feature_names = getattr(estimator, "feature_names_in_", None)
    if feature_names is None:
        return [f"x{j}" for j in range(n_features)]
    names = [str(name) for name in feature_names]
    if len(names) != n_features:
        raise ValueError(f"feature_names has {len(names)} entries but there are "
                         f"{n_features} features.")
    return names


def _selected_alphas(estimator):
    """The estimator's ``alphas_`` (row of the chosen ``l1_ratio_`` when 2-D), or None."""
    alphas = getattr(estimator, "alphas_", None)
    if alphas is None:
        return None
    alphas = np.asarray(alphas, dtype=np.float64)
    if alphas.ndim == 2:
        ratios = np.atleast_1d(estimator.l1_ratio)
        alphas = alphas[int(np.flatnonzero(ratios == estimator.l1_ratio_)[0])]
    return alphas


def _strongest_penalty_left(ax):
    # the sparsest model on the left, as glmnet draws paths; autoscaling keeps the
    # curves already on a shared ax visible
    ax.autoscale_view()
    if not ax.xaxis_inverted():
        ax.invert_xaxis()


def _warm_path(model, X, y, alphas, sample_weight):
    """Coefficients of ``model`` refitted down ``alphas`` with warm starts."""
    model = clone(model).set_params(warm_start=True)
    coefs = []
    with warnings.catch_warnings():
        # a path visits alphas where nonconvex fits are not locally convex: expected here
        warnings.simplefilter("ignore", NonconvexWarning)
        # the path starts at alpha_max on purpose
        warnings.simplefilter("ignore", AlphaMaxWarning)
        for a in alphas:
            model.set_params(alpha=float(a))
            if sample_weight is None:
                model.fit(X, y)
            else:
                model.fit(X, y, sample_weight=sample_weight)
            coef = np.asarray(model.coef_, dtype=np.float64)
            if coef.ndim == 2 and coef.shape[0] > 1:
                raise ValueError(
                    f"{type(model).__name__} has {coef.shape[0]} rows of coefficients "
                    "(one per class): compute the path of one row and use from_path.")
            coefs.append(coef.ravel())
    return np.column_stack(coefs)


def _l1_grid(model, X, y, sample_weight, n_alphas=50, eps=1e-3):
    """The L1 alpha grid the CV estimators use, on the design the model penalizes."""
    X = check_array(X, accept_sparse="csc", dtype=np.float64)
    y = check_array(y, ensure_2d=False, dtype=np.float64)
    sw = normalized_sample_weight(sample_weight, X)
    fit_intercept = model.get_params().get("fit_intercept", True)
    if model.get_params().get("standardize", False):
        X = standardize_design(X, sw, fit_intercept)[0]
    amax = alpha_max_l1(X, y, sample_weight=sw, fit_intercept=fit_intercept)
    return alpha_grid(amax, eps, n_alphas)


class RegularizationPathDisplay:
    """Coefficient paths against the regularization strength, with the chosen alphas.

    Use :meth:`from_estimator` to compute the path of a fitted estimator (a ``*CV``
    estimator marks its ``alpha_`` and ``alpha_1se_``), or :meth:`from_path` with the
    output of :func:`lasso_path` / :func:`enet_path`. Creating a display by hand stores
    the data; :meth:`plot` draws it.

    Parameters
    ----------
    alphas : ndarray of shape (n_alphas,)
        Regularization strengths of the path.
    coefs : ndarray of shape (n_features, n_alphas)
        Coefficients at each alpha, one row per feature (the layout of :func:`lasso_path`).
    feature_names : list of str, default=None
        Names for the legend; ``x0, x1, ...`` when None.
    alpha : float, default=None
        The chosen alpha (e.g. ``alpha_`` of a ``*CV`` estimator), drawn as a vertical
        dashed line when not None.
    alpha_1se : float, default=None
        The alpha of the one-standard-error rule, drawn as a vertical dotted line when not
        None.

    Attributes
    ----------
    lines_ : list of matplotlib.lines.Line2D
        One path per feature, in feature order.
    alpha_line_ : matplotlib.lines.Line2D or None
        Vertical line at ``alpha``.
    alpha_1se_line_ : matplotlib.lines.Line2D or None
        Vertical line at ``alpha_1se``.
    legend_ : matplotlib.legend.Legend or None
        Legend naming the features with the largest ``max |coef|``.
    ax_ : matplotlib.axes.Axes
        Axes the paths are drawn on.
    figure_ : matplotlib.figure.Figure
        Figure holding ``ax_``.

    See Also
    --------
    CVCurveDisplay : the cross-validation error along the same alphas.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from sparsestat.linear_model import LassoCV, RegularizationPathDisplay
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((60, 5))
    >>> y = X[:, 0] - 2 * X[:, 1] + 0.1 * rng.standard_normal(60)
    >>> reg = LassoCV(alphas=20, cv=3).fit(X, y)
    >>> display = RegularizationPathDisplay.from_estimator(reg, X, y)
    >>> len(display.lines_)
    5
    """

    def __init__(self, alphas, coefs, *, feature_names=None, alpha=None, alpha_1se=None):
        self.alphas = alphas
        self.coefs = coefs
        self.feature_names = feature_names
        self.alpha = alpha
        self.alpha_1se = alpha_1se

    def plot(self, ax=None, *, max_legend=10, legend=True):
        """Draw the paths.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, default=None
            Axes to draw on; a new figure when None.
        max_legend : int, default=10
            With more features than this, only the ``max_legend`` features of largest
            ``max |coef|`` are coloured and named in the legend; the others are thin grey
            lines.
        legend : bool, default=True
            Whether to draw the legend.

        Returns
        -------
        display : RegularizationPathDisplay
            The display, with its artists stored.
        """
        alphas = np.asarray(self.alphas, dtype=np.float64).ravel()
        coefs = np.atleast_2d(np.asarray(self.coefs, dtype=np.float64))
        if coefs.shape[1] != alphas.size:
            raise ValueError(f"coefs must have shape (n_features, n_alphas={alphas.size}), "
                             f"got {coefs.shape}.")
        names = _feature_names(self.feature_names, coefs.shape[0])
        ax, fig = get_axes(ax, type(self).__name__)
        strength = np.abs(coefs).max(axis=1)
        # stable order: ties keep feature order
        top = set(np.argsort(-strength, kind="stable")[:max_legend].tolist())
        self.lines_ = []
        for j in range(coefs.shape[0]):
            if j in top:
                (line,) = ax.plot(alphas, coefs[j], label=names[j])
            else:
                (line,) = ax.plot(alphas, coefs[j], color="0.75", linewidth=0.8,
                                  label="_nolegend_")
            self.lines_.append(line)
        ax.set_xscale("log")
        _strongest_penalty_left(ax)
        self.alpha_line_ = self.alpha_1se_line_ = None
        if self.alpha is not None:
            self.alpha_line_ = ax.axvline(self.alpha, color="k", linestyle="--",
                                          label=f"alpha_ = {self.alpha:.3g}")
        if self.alpha_1se is not None:
            self.alpha_1se_line_ = ax.axvline(self.alpha_1se, color="k", linestyle=":",
                                              label=f"alpha_1se_ = {self.alpha_1se:.3g}")
        ax.set_xlabel("alpha")
        ax.set_ylabel("coefficients")
        self.legend_ = ax.legend(loc="best", fontsize="small") if legend else None
        self.ax_, self.figure_ = ax, fig
        return self

    @classmethod
    def from_path(cls, alphas, coefs, *, feature_names=None, alpha=None, alpha_1se=None,
                  ax=None, max_legend=10, legend=True):
        """Plot a computed path, e.g. the output of :func:`lasso_path`.

        Parameters
        ----------
        alphas : array-like of shape (n_alphas,)
            Regularization strengths.
        coefs : array-like of shape (n_features, n_alphas)
            Coefficients at each alpha.
        feature_names : list of str, default=None
            Names for the legend; ``x0, x1, ...`` when None.
        alpha : float, default=None
            A chosen alpha to mark with a dashed vertical line.
        alpha_1se : float, default=None
            The one-standard-error alpha to mark with a dotted vertical line.
        ax : matplotlib.axes.Axes, default=None
            Axes to draw on; a new figure when None.
        max_legend : int, default=10
            Number of features named in the legend (those of largest ``max |coef|``).
        legend : bool, default=True
            Whether to draw the legend.

        Returns
        -------
        display : RegularizationPathDisplay
            The display, with its artists stored.
        """
        display = cls(alphas, coefs, feature_names=feature_names, alpha=alpha,
                      alpha_1se=alpha_1se)
        return display.plot(ax=ax, max_legend=max_legend, legend=legend)

    @classmethod
    def from_estimator(cls, estimator, X, y, *, alphas=None, sample_weight=None,
                       feature_names=None, ax=None, max_legend=10, legend=True):
        """Compute and plot the path of a fitted estimator's penalty on ``(X, y)``.

        :class:`ElasticNet`, :class:`Lasso`, :class:`ElasticNetCV` and :class:`LassoCV`
        use :func:`enet_path` with the estimator's parameters (``l1_ratio_`` for the CV
        estimators). :class:`MCPRegressorCV`, and any estimator with ``alpha`` and
        ``warm_start`` parameters (:class:`MCPRegressor`, :class:`SCADRegressor`...),
        are refitted down the alphas with warm starts, so the path is the one the
        estimator follows. A fitted ``alpha_`` and ``alpha_1se_`` are marked.

        Parameters
        ----------
        estimator : fitted estimator
            A sparse linear regressor of this module.
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The data the path is computed on (normally the training data).
        y : array-like of shape (n_samples,)
            Targets.
        alphas : array-like of shape (n_alphas,), default=None
            Alphas of the path. None means the estimator's ``alphas_`` when it has them,
            else 50 alphas from ``alpha_max`` down to ``1e-3 alpha_max``.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights of the path fits.
        feature_names : list of str, default=None
            Names for the legend; None means ``feature_names_in_`` when the estimator
            was fitted on a DataFrame, else ``x0, x1, ...``.
        ax : matplotlib.axes.Axes, default=None
            Axes to draw on; a new figure when None.
        max_legend : int, default=10
            Number of features named in the legend (those of largest ``max |coef|``).
        legend : bool, default=True
            Whether to draw the legend.

        Returns
        -------
        display : RegularizationPathDisplay
            The display, with its artists stored.
        """
        check_is_fitted(estimator)
        if alphas is None:
            alphas = _selected_alphas(estimator)
        if isinstance(estimator, (ElasticNet, ElasticNetCV)):
            l1_ratio = getattr(estimator, "l1_ratio_", getattr(estimator, "l1_ratio", 1.0))
            alphas, coefs, _ = enet_path(
                X, y, l1_ratio=float(l1_ratio), eps=1e-3,
                alphas=50 if alphas is None else alphas,
                fit_intercept=estimator.fit_intercept, positive=estimator.positive,
                penalty_factor=estimator.penalty_factor,
                sample_weight=normalized_sample_weight(sample_weight, X),
                max_iter=estimator.max_iter, tol=estimator.tol)
        else:
            if isinstance(estimator, MCPRegressorCV):
                model = MCPRegressor(
                    gamma=estimator.gamma, fit_intercept=estimator.fit_intercept,
                    standardize=estimator.standardize, positive=estimator.positive,
                    penalty_factor=estimator.penalty_factor, max_iter=estimator.max_iter,
                    tol=estimator.tol)
            elif {"alpha", "warm_start"} <= set(estimator.get_params(deep=False)):
                model = estimator
            else:
                raise TypeError(
                    f"RegularizationPathDisplay.from_estimator cannot compute the path of "
                    f"{type(estimator).__name__}; compute it and use from_path.")
            if alphas is None:
                alphas = _l1_grid(model, X, y, sample_weight)
            alphas = np.sort(np.asarray(alphas, dtype=np.float64).ravel())[::-1]
            coefs = _warm_path(model, X, y, alphas, sample_weight)
        names = _feature_names(feature_names, coefs.shape[0], estimator)
        return cls.from_path(alphas, coefs, feature_names=names,
                             alpha=getattr(estimator, "alpha_", None),
                             alpha_1se=getattr(estimator, "alpha_1se_", None),
                             ax=ax, max_legend=max_legend, legend=legend)


#: held-out errors stored by the single-datafit *CV estimators, and their axis labels
_OTHER_PATHS = {"deviance_path_": "held-out mean deviance",
                "loss_path_": "held-out mean Huber loss", "error_path_": "held-out error"}


class CVCurveDisplay:
    """Mean cross-validated error (or score) against alpha, with one standard error.

    Use :meth:`from_estimator` on a fitted ``*CV`` estimator: it reads ``mse_path_``
    (:class:`LassoCV`, :class:`ElasticNetCV`, :class:`MCPRegressorCV`) or ``scores_``
    (:class:`SparseLogisticRegressionCV`) and refits nothing. The band is the mean
    +- one standard error across folds, ``std(ddof=1) / sqrt(n_folds)``.

    Parameters
    ----------
    alphas : ndarray of shape (n_alphas,)
        Regularization strengths.
    fold_values : ndarray of shape (n_alphas, n_folds)
        Held-out error (or score) of every alpha on every fold.
    alpha : float, default=None
        The chosen alpha, drawn as a dashed vertical line when not None.
    alpha_1se : float, default=None
        The one-standard-error alpha, drawn as a dotted vertical line when not None.
    ylabel : str, default="held-out mean squared error"
        Label of the y axis.

    Attributes
    ----------
    mean_ : ndarray of shape (n_alphas,)
        Mean over folds.
    se_ : ndarray of shape (n_alphas,)
        Standard error over folds (0 with a single fold).
    line_ : matplotlib.lines.Line2D
        The mean curve.
    band_ : matplotlib.collections.PolyCollection
        The mean +- one standard error band.
    alpha_line_ : matplotlib.lines.Line2D or None
        Vertical line at ``alpha``.
    alpha_1se_line_ : matplotlib.lines.Line2D or None
        Vertical line at ``alpha_1se``.
    ax_ : matplotlib.axes.Axes
        Axes the curve is drawn on.
    figure_ : matplotlib.figure.Figure
        Figure holding ``ax_``.

    See Also
    --------
    RegularizationPathDisplay : the coefficients along the same alphas.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from sparsestat.linear_model import CVCurveDisplay, LassoCV
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((60, 5))
    >>> y = X[:, 0] - 2 * X[:, 1] + 0.1 * rng.standard_normal(60)
    >>> reg = LassoCV(alphas=20, cv=3).fit(X, y)
    >>> display = CVCurveDisplay.from_estimator(reg)
    >>> display.mean_.shape
    (20,)
    """

    def __init__(self, alphas, fold_values, *, alpha=None, alpha_1se=None,
                 ylabel="held-out mean squared error"):
        self.alphas = alphas
        self.fold_values = fold_values
        self.alpha = alpha
        self.alpha_1se = alpha_1se
        self.ylabel = ylabel

    def plot(self, ax=None, *, label=None):
        """Draw the curve and its band.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, default=None
            Axes to draw on; a new figure when None.
        label : str, default=None
            Legend label of the mean curve (a legend is drawn when given).

        Returns
        -------
        display : CVCurveDisplay
            The display, with its artists stored.
        """
        alphas = np.asarray(self.alphas, dtype=np.float64).ravel()
        values = np.asarray(self.fold_values, dtype=np.float64)
        if values.ndim != 2 or values.shape[0] != alphas.size:
            raise ValueError(f"fold_values must have shape (n_alphas={alphas.size}, "
                             f"n_folds), got {values.shape}.")
        n_folds = values.shape[1]
        self.mean_ = values.mean(axis=1)
        self.se_ = (values.std(axis=1, ddof=1) / np.sqrt(n_folds) if n_folds > 1
                    else np.zeros_like(self.mean_))
        ax, fig = get_axes(ax, type(self).__name__)
        (self.line_,) = ax.plot(alphas, self.mean_, label=label)
        self.band_ = ax.fill_between(alphas, self.mean_ - self.se_, self.mean_ + self.se_,
                                     color=self.line_.get_color(), alpha=0.2)
        ax.set_xscale("log")
        _strongest_penalty_left(ax)
        self.alpha_line_ = self.alpha_1se_line_ = None
        if self.alpha is not None:
            self.alpha_line_ = ax.axvline(self.alpha, color=self.line_.get_color(),
                                          linestyle="--", label="_nolegend_")
        if self.alpha_1se is not None:
            self.alpha_1se_line_ = ax.axvline(self.alpha_1se, color=self.line_.get_color(),
                                              linestyle=":", label="_nolegend_")
        ax.set_xlabel("alpha")
        ax.set_ylabel(self.ylabel)
        if label is not None:
            ax.legend(loc="best")
        self.ax_, self.figure_ = ax, fig
        return self

    @classmethod
    def from_estimator(cls, estimator, *, ax=None, label=None):
        """Plot the cross-validation curve stored by a fitted ``*CV`` estimator.

        Parameters
        ----------
        estimator : fitted estimator
            With ``alphas_`` and ``mse_path_`` (regressors; the row of the chosen
            ``l1_ratio_`` when several were tried), ``scores_`` (classifiers), or
            ``deviance_path_`` / ``loss_path_`` / ``error_path_`` (the GLM, Huber and
            linear-SVM ``*CV`` estimators).
        ax : matplotlib.axes.Axes, default=None
            Axes to draw on; a new figure when None.
        label : str, default=None
            Legend label of the mean curve.

        Returns
        -------
        display : CVCurveDisplay
            The display, with its artists stored.
        """
        check_is_fitted(estimator, "alphas_")
        if hasattr(estimator, "mse_path_"):
            values = np.asarray(estimator.mse_path_, dtype=np.float64)
            if values.ndim == 3:
                ratios = np.atleast_1d(estimator.l1_ratio)
                values = values[int(np.flatnonzero(ratios == estimator.l1_ratio_)[0])]
            ylabel = "held-out mean squared error"
        elif hasattr(estimator, "scores_"):
            values = np.asarray(estimator.scores_, dtype=np.float64)
            scoring = getattr(estimator, "scoring", "score")
            ylabel = ("held-out mean log-likelihood" if scoring == "log_loss"
                      else f"held-out {scoring}")
        elif any(hasattr(estimator, name) for name in _OTHER_PATHS):
            name = next(name for name in _OTHER_PATHS if hasattr(estimator, name))
            values = np.asarray(getattr(estimator, name), dtype=np.float64)
            ylabel = _OTHER_PATHS[name]
        else:
            raise TypeError(f"{type(estimator).__name__} has neither mse_path_ nor "
                            "scores_; CVCurveDisplay needs a fitted *CV estimator.")
        display = cls(_selected_alphas(estimator), values,
                      alpha=getattr(estimator, "alpha_", None),
                      alpha_1se=getattr(estimator, "alpha_1se_", None), ylabel=ylabel)
        return display.plot(ax=ax, label=label)
