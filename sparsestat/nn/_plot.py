"""Bar chart of the density of each layer of a pruned MLP (scikit-learn's Display style).

matplotlib is imported only when a display is drawn, never when this module is imported.
"""

import numpy as np

from ..utils._plotting import get_axes

__all__ = ["PruningDisplay"]


def _layer_masks(estimator):
    """Boolean keep-masks of each weight matrix of a pruner, a sparse MLP or an MLP."""
    masks = getattr(estimator, "masks_", None)
    if masks is not None:
        return [np.asarray(m, dtype=bool) for m in masks]
    coefs = getattr(estimator, "coefs_", None)
    if coefs is None:
        raise TypeError(f"{type(estimator).__name__} has neither masks_ nor coefs_: pass a "
                        "fitted pruner or a fitted MLP.")
    return [np.asarray(c) != 0 for c in coefs]  # a plain MLP: its nonzero weights


class PruningDisplay:
    """Fraction of weights kept (density) in each layer of a pruned network, as bars.

    Use :meth:`from_estimator` with a fitted pruner of :mod:`sparsestat.nn`, a fitted
    :class:`SparseMLPClassifier` / :class:`SparseMLPRegressor` (its ``masks_``) or a
    scikit-learn MLP (its nonzero ``coefs_``).

    Parameters
    ----------
    densities : ndarray of shape (n_layers,)
        Fraction of kept weights of each weight matrix.
    n_weights : ndarray of shape (n_layers,), default=None
        Size of each weight matrix; sets the overall density line (weighted by size).
    layer_names : list of str, default=None
        Bar labels; ``"layer 1"``, ``"layer 2"``... when None.

    Attributes
    ----------
    bars_ : matplotlib.container.BarContainer
        One bar per layer, its height the density.
    overall_line_ : matplotlib.lines.Line2D or None
        Horizontal line at the overall density, when ``n_weights`` is given.
    ax_ : matplotlib.axes.Axes
        Axes the bars are drawn on.
    figure_ : matplotlib.figure.Figure
        Figure holding ``ax_``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from sklearn.neural_network import MLPClassifier
    >>> from sparsestat.nn import MagnitudePruner, PruningDisplay
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((60, 4)); y = (X[:, 0] > 0).astype(int)
    >>> mlp = MLPClassifier((8,), solver="lbfgs", random_state=0).fit(X, y)
    >>> pruner = MagnitudePruner(0.5).fit(mlp)
    >>> display = PruningDisplay.from_estimator(pruner)
    >>> np.round([bar.get_height() for bar in display.bars_], 2)
    array([0.5, 0.5])
    """

    def __init__(self, densities, *, n_weights=None, layer_names=None):
        self.densities = densities
        self.n_weights = n_weights
        self.layer_names = layer_names

    def plot(self, ax=None, *, color="tab:blue"):
        """Draw one bar per layer.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, default=None
            Axes to draw on; a new figure when None.
        color : str, default="tab:blue"
            Colour of the bars.

        Returns
        -------
        display : PruningDisplay
            The display, with its artists stored.
        """
        dens = np.asarray(self.densities, dtype=np.float64).ravel()
        if np.any((dens < 0) | (dens > 1)):
            raise ValueError(f"densities must lie in [0, 1], got {dens.tolist()}.")
        names = (self.layer_names if self.layer_names is not None
                 else [f"layer {k + 1}" for k in range(dens.size)])
        if len(names) != dens.size:
            raise ValueError(f"layer_names has {len(names)} entries for {dens.size} layers.")
        ax, fig = get_axes(ax, type(self).__name__)
        self.bars_ = ax.bar(np.arange(dens.size), dens, color=color,
                            tick_label=list(names))
        ax.bar_label(self.bars_, labels=[f"{d:.0%}" for d in dens], fontsize="small")
        self.overall_line_ = None
        if self.n_weights is not None:
            sizes = np.asarray(self.n_weights, dtype=np.float64).ravel()
            if sizes.size != dens.size:
                raise ValueError(f"n_weights has {sizes.size} entries for {dens.size} "
                                 "layers.")
            overall = float(sizes @ dens / sizes.sum())
            self.overall_line_ = ax.axhline(overall, color="k", linestyle="--",
                                            label=f"overall {overall:.0%}")
            ax.legend(loc="upper right")
        ax.set_ylim(0, 1.1)
        ax.set_ylabel("density (fraction of weights kept)")
        self.ax_, self.figure_ = ax, fig
        return self

    @classmethod
    def from_estimator(cls, estimator, *, ax=None, color="tab:blue"):
        """Draw the layer densities of a fitted pruner or MLP.

        Parameters
        ----------
        estimator : fitted pruner or MLP
            With ``masks_`` (pruners, sparse MLPs) or ``coefs_`` (scikit-learn MLPs,
            density of nonzero weights).
        ax : matplotlib.axes.Axes, default=None
            Axes to draw on; a new figure when None.
        color : str, default="tab:blue"
            Colour of the bars.

        Returns
        -------
        display : PruningDisplay
            The display, with its artists stored.
        """
        masks = _layer_masks(estimator)
        densities = [float(m.mean()) for m in masks]
        names = [f"layer {k + 1}\n{m.shape[0]}x{m.shape[1]}" for k, m in enumerate(masks)]
        display = cls(densities, n_weights=[m.size for m in masks], layer_names=names)
        return display.plot(ax=ax, color=color)
