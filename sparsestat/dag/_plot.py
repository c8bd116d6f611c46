"""Node-link drawing of a weighted DAG, and its conversion to networkx.

matplotlib and networkx are imported only when called: both are optional dependencies.
"""

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ..utils._plotting import get_axes

__all__ = ["DAGDisplay"]


def _check_square(W, name):
    W = np.asarray(W, dtype=np.float64)
    if W.ndim != 2 or W.shape[0] != W.shape[1]:
        raise ValueError(f"{name} must be a square matrix, got shape {W.shape}.")
    return W


def _node_names(feature_names, d):
    if feature_names is None:
        return list(range(d))
    names = list(feature_names)
    if len(names) != d:
        raise ValueError(f"feature_names has {len(names)} entries but the graph has {d} "
                         "nodes.")
    return names


def to_digraph(W, feature_names=None):
    """networkx DiGraph of the nonzero entries of ``W``: edge ``i -> j`` for ``W[i, j]``."""
    try:
        import networkx as nx
    except ImportError as exc:
        raise ImportError("to_networkx requires networkx; install it with "
                          "`pip install networkx`.") from exc
    W = _check_square(W, "W")
    names = _node_names(feature_names, W.shape[0])
    graph = nx.DiGraph()
    graph.add_nodes_from(names)
    for i, j in zip(*np.nonzero(W)):
        graph.add_edge(names[i], names[j], weight=float(W[i, j]))
    return graph


def _circular_layout(d):
    angle = np.pi / 2 - 2 * np.pi * np.arange(d) / max(d, 1)  # first node at the top
    return np.column_stack([np.cos(angle), np.sin(angle)])


def _layout(W, layout, seed):
    d = W.shape[0]
    if isinstance(layout, dict) or (layout is not None and not isinstance(layout, str)):
        pos = np.asarray([layout[k] for k in range(d)] if isinstance(layout, dict)
                         else layout, dtype=np.float64)
        if pos.shape != (d, 2):
            raise ValueError(f"layout must give {d} positions (x, y), got shape {pos.shape}.")
        return pos
    if layout == "circular":
        return _circular_layout(d)
    if layout != "auto":
        raise ValueError(f"layout must be 'auto', 'circular', a dict or an array of "
                         f"positions, got {layout!r}.")
    try:
        import networkx as nx
    except ImportError:
        return _circular_layout(d)
    graph = to_digraph(W)
    if nx.is_directed_acyclic_graph(graph) and graph.number_of_edges() > 0:
        # causes above their effects: one row per topological generation
        for layer, nodes in enumerate(nx.topological_generations(graph)):
            for node in nodes:
                graph.nodes[node]["layer"] = layer
        pos = nx.multipartite_layout(graph, subset_key="layer", align="horizontal")
        out = np.array([pos[k] for k in range(d)])
        out[:, 1] *= -1
        # fill the square: rows are short and many for sparse DAGs
        span = np.ptp(out, axis=0)
        out = np.where(span > 0, (out - out.min(axis=0)) / np.where(span > 0, span, 1) * 2 - 1,
                       out)
        return out
    pos = nx.spring_layout(graph, seed=seed)
    return np.array([pos[k] for k in range(d)])


class DAGDisplay:
    """Node-link drawing of a weighted directed graph, e.g. a DAG learned by CoLiDE.

    An edge ``i -> j`` is drawn for every nonzero ``W[i, j]``, its width proportional to
    ``|W[i, j]|``, blue when positive and red when negative, labelled by its weight.
    Bootstrap edge frequencies (:func:`bootstrap_edge_frequency`) set each edge's
    opacity and are added to its label.

    Use :meth:`from_estimator` with a fitted :class:`CoLiDE` or :meth:`from_adjacency`.

    Parameters
    ----------
    W : ndarray of shape (n_nodes, n_nodes)
        Weighted adjacency: ``W[i, j] != 0`` for an edge ``i -> j``.
    feature_names : list of str, default=None
        Node names; node indices when None.
    frequency : ndarray of shape (n_nodes, n_nodes), default=None
        Edge frequencies in [0, 1] (opacity and label of each drawn edge).

    Attributes
    ----------
    positions_ : ndarray of shape (n_nodes, 2)
        Node coordinates.
    nodes_ : matplotlib.collections.PathCollection
        The node markers.
    node_labels_ : list of matplotlib.text.Text
        The node names.
    edges_ : dict of (int, int) to matplotlib.patches.FancyArrowPatch
        The arrow of each edge ``(i, j)``.
    edge_labels_ : dict of (int, int) to matplotlib.text.Text
        The label of each edge (empty when ``edge_labels=False``).
    ax_ : matplotlib.axes.Axes
        Axes the graph is drawn on.
    figure_ : matplotlib.figure.Figure
        Figure holding ``ax_``.

    See Also
    --------
    CoLiDE.to_networkx : the same graph as a :class:`networkx.DiGraph`.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from sparsestat.dag import DAGDisplay
    >>> W = np.array([[0.0, 1.5, 0.0], [0.0, 0.0, -0.7], [0.0, 0.0, 0.0]])
    >>> display = DAGDisplay.from_adjacency(W, feature_names=["a", "b", "c"])
    >>> sorted(display.edges_)
    [(0, 1), (1, 2)]
    """

    def __init__(self, W, *, feature_names=None, frequency=None):
        self.W = W
        self.feature_names = feature_names
        self.frequency = frequency

    def plot(self, ax=None, *, layout="auto", edge_labels=True, node_size=900,
             max_width=4.0, seed=0):
        """Draw the graph.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, default=None
            Axes to draw on; a new figure when None.
        layout : {"auto", "circular"}, dict or array-like of shape (n_nodes, 2), \
default="auto"
            Node positions. ``"auto"`` uses networkx when it is installed (one row per
            topological generation for a DAG, a seeded spring layout otherwise) and a
            circle without it; a dict maps node index to ``(x, y)``.
        edge_labels : bool, default=True
            Whether to label edges with their weight (and frequency).
        node_size : float, default=900
            Marker area of the nodes, in points^2.
        max_width : float, default=4.0
            Line width of the edge of largest ``|W|``.
        seed : int, default=0
            Seed of the spring layout.

        Returns
        -------
        display : DAGDisplay
            The display, with its artists stored.
        """
        from matplotlib.patches import FancyArrowPatch

        W = _check_square(self.W, "W")
        d = W.shape[0]
        freq = None if self.frequency is None else _check_square(self.frequency,
                                                                  "frequency")
        if freq is not None and freq.shape != W.shape:
            raise ValueError(f"frequency has shape {freq.shape}, W has {W.shape}.")
        names = _node_names(self.feature_names, d)
        ax, fig = get_axes(ax, type(self).__name__)
        pos = _layout(W, layout, seed)
        self.positions_ = pos
        scale = np.abs(W).max() or 1.0
        self.edges_, self.edge_labels_ = {}, {}
        radius = np.sqrt(node_size) / 2  # points: arrows stop at the marker's edge
        for i, j in zip(*np.nonzero(W)):
            i, j = int(i), int(j)
            w = W[i, j]
            opacity = 1.0 if freq is None else float(np.clip(freq[i, j], 0.05, 1.0))
            arrow = FancyArrowPatch(
                pos[i], pos[j], arrowstyle="-|>", mutation_scale=12,
                linewidth=0.5 + (max_width - 0.5) * abs(w) / scale,
                color="tab:blue" if w > 0 else "tab:red", alpha=opacity,
                shrinkA=radius, shrinkB=radius, connectionstyle="arc3,rad=0.08",
                zorder=1)
            ax.add_patch(arrow)
            self.edges_[(i, j)] = arrow
            if edge_labels:
                text = f"{w:.2g}" if freq is None else f"{w:.2g} ({freq[i, j]:.0%})"
                mid = (pos[i] + pos[j]) / 2
                self.edge_labels_[(i, j)] = ax.text(
                    mid[0], mid[1], text, fontsize="x-small", ha="center", va="center",
                    bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none",
                          "alpha": 0.8}, zorder=3)
        self.nodes_ = ax.scatter(pos[:, 0], pos[:, 1], s=node_size, c="white",
                                 edgecolors="0.2", zorder=2)
        self.node_labels_ = [ax.text(x, y, str(name), ha="center", va="center",
                                     fontsize="small", zorder=4)
                             for (x, y), name in zip(pos, names)]
        margin = 0.25
        ax.set_xlim(pos[:, 0].min() - margin, pos[:, 0].max() + margin)
        ax.set_ylim(pos[:, 1].min() - margin, pos[:, 1].max() + margin)
        ax.set_aspect("equal", adjustable="box")
        ax.set_axis_off()
        self.ax_, self.figure_ = ax, fig
        return self

    @classmethod
    def from_adjacency(cls, W, *, feature_names=None, frequency=None, ax=None,
                       layout="auto", edge_labels=True, node_size=900, max_width=4.0,
                       seed=0):
        """Draw a weighted adjacency matrix.

        Parameters
        ----------
        W : array-like of shape (n_nodes, n_nodes)
            Weighted adjacency: ``W[i, j] != 0`` for an edge ``i -> j``.
        feature_names : list of str, default=None
            Node names; node indices when None.
        frequency : array-like of shape (n_nodes, n_nodes), default=None
            Edge frequencies in [0, 1], e.g. from :func:`bootstrap_edge_frequency`.
        ax : matplotlib.axes.Axes, default=None
            Axes to draw on; a new figure when None.
        layout : {"auto", "circular"}, dict or array-like, default="auto"
            Node positions; see :meth:`plot`.
        edge_labels : bool, default=True
            Whether to label edges with their weight (and frequency).
        node_size : float, default=900
            Marker area of the nodes, in points^2.
        max_width : float, default=4.0
            Line width of the edge of largest ``|W|``.
        seed : int, default=0
            Seed of the spring layout.

        Returns
        -------
        display : DAGDisplay
            The display, with its artists stored.
        """
        display = cls(W, feature_names=feature_names, frequency=frequency)
        return display.plot(ax=ax, layout=layout, edge_labels=edge_labels,
                            node_size=node_size, max_width=max_width, seed=seed)

    @classmethod
    def from_estimator(cls, estimator, *, frequency=None, feature_names=None, ax=None,
                       layout="auto", edge_labels=True, node_size=900, max_width=4.0,
                       seed=0):
        """Draw the weighted DAG of a fitted DAG learner (``coef_ * adjacency_``).

        Parameters
        ----------
        estimator : fitted estimator
            With ``coef_`` and ``adjacency_`` of shape (n_features, n_features), e.g.
            :class:`CoLiDE`.
        frequency : array-like of shape (n_features, n_features), default=None
            Edge frequencies, e.g. from :func:`bootstrap_edge_frequency`.
        feature_names : list of str, default=None
            Node names; None means ``feature_names_in_`` when the estimator was fitted
            on a DataFrame, else ``x0, x1, ...``.
        ax : matplotlib.axes.Axes, default=None
            Axes to draw on; a new figure when None.
        layout : {"auto", "circular"}, dict or array-like, default="auto"
            Node positions; see :meth:`plot`.
        edge_labels : bool, default=True
            Whether to label edges with their weight (and frequency).
        node_size : float, default=900
            Marker area of the nodes, in points^2.
        max_width : float, default=4.0
            Line width of the edge of largest ``|W|``.
        seed : int, default=0
            Seed of the spring layout.

        Returns
        -------
        display : DAGDisplay
            The display, with its artists stored.
        """
        check_is_fitted(estimator, ["coef_", "adjacency_"])
        W = np.asarray(estimator.coef_, dtype=np.float64) * np.asarray(estimator.adjacency_)
        if feature_names is None:
            names = getattr(estimator, "feature_names_in_", None)
            feature_names = ([str(n) for n in names] if names is not None
                             else [f"x{j}" for j in range(W.shape[0])])
        return cls.from_adjacency(W, feature_names=feature_names, frequency=frequency,
                                  ax=ax, layout=layout, edge_labels=edge_labels,
                                  node_size=node_size, max_width=max_width, seed=seed)
