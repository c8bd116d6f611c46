"""Random DAGs, linear structural equation models and the Sachs protein data."""

import numbers
from importlib import resources

import numpy as np
from sklearn.utils import check_random_state

__all__ = ["make_dag", "make_linear_sem", "load_sachs"]

_NOISES = ("gaussian", "exponential", "laplace", "gumbel")


def _check_int(value, name, minimum):
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}.")
    return int(value)


def make_dag(n_nodes, n_edges, *, graph_type="ER", random_state=None):
    """Draw a random directed acyclic graph (Erdos-Renyi or scale-free).

    "ERk" and "SFk" graphs in the DAG-learning literature have ``k * n_nodes`` edges.

    * ``"ER"``: ``n_edges`` node pairs drawn uniformly without replacement, oriented by a
      random order of the nodes (so the graph has exactly ``n_edges`` edges).
    * ``"SF"``: Barabasi-Albert preferential attachment: nodes arrive one by one and each
      links to ``round(n_edges / n_nodes)`` earlier nodes chosen with probability
      proportional to (in-degree + 1); edges point from the new node to the earlier ones
      (hubs gather many parents, as in igraph's directed ``Barabasi``), and the nodes are
      then relabeled at random. The first nodes have fewer earlier nodes
      to link to, so the graph has slightly fewer than ``n_edges`` edges.

    Parameters
    ----------
    n_nodes : int
        Number of nodes ``d`` (>= 2).
    n_edges : int
        Number of edges (``ER``) or target number of edges (``SF``); at most
        ``d (d - 1) / 2``.
    graph_type : {"ER", "SF"}, default="ER"
        Erdos-Renyi or scale-free (see above).
    random_state : int, RandomState instance or None, default=None
        Seeds the graph. Pass an int for a reproducible graph.

    Returns
    -------
    adjacency : ndarray of shape (n_nodes, n_nodes), dtype=bool
        ``adjacency[i, j]`` is True when the graph has the edge ``i -> j``.

    Examples
    --------
    >>> from sparsestat.datasets import make_dag
    >>> B = make_dag(10, 20, random_state=0)
    >>> B.shape, int(B.sum())
    ((10, 10), 20)
    """
    d = _check_int(n_nodes, "n_nodes", 2)
    max_edges = d * (d - 1) // 2
    m = _check_int(n_edges, "n_edges", 0)
    if m > max_edges:
        raise ValueError(
            f"n_edges={m} exceeds the d (d - 1) / 2 = {max_edges} edges a DAG on {d} nodes "
            "can have.")
    if graph_type not in ("ER", "SF"):
        raise ValueError(f"graph_type must be 'ER' or 'SF', got {graph_type!r}.")
    rng = check_random_state(random_state)
    B = np.zeros((d, d), dtype=bool)
    if graph_type == "ER":
        rows, cols = np.triu_indices(d, k=1)
        chosen = rng.choice(rows.size, size=m, replace=False)
        B[rows[chosen], cols[chosen]] = True
    else:
        per_node = max(1, int(round(m / d))) if m > 0 else 0
        in_degree = np.zeros(d)
        for new in range(1, d):
            k = min(per_node, new)
            if k == 0:
                continue
            weights = in_degree[:new] + 1.0
            targets = rng.choice(new, size=k, replace=False, p=weights / weights.sum())
            B[new, targets] = True
            in_degree[targets] += 1.0
    order = rng.permutation(d)
    return B[np.ix_(order, order)]


def _noise(rng, kind, variance, n, d):
    scale = np.sqrt(variance)
    if kind == "gaussian":
        return rng.normal(scale=scale, size=(n, d))
    if kind == "exponential":
        return rng.exponential(scale=scale, size=(n, d))
    if kind == "laplace":
        return rng.laplace(scale=scale / np.sqrt(2.0), size=(n, d))
    return rng.gumbel(scale=scale * np.sqrt(6.0) / np.pi, size=(n, d))


def make_linear_sem(adjacency, n_samples=1000, *, weights=None, weight_range=(0.5, 2.0),
                    noise="gaussian", noise_variance=1.0, random_state=None):
    """Sample data from a linear structural equation model ``X = X W + Z``.

    Parameters
    ----------
    adjacency : array-like of shape (d, d)
        The DAG; nonzero ``adjacency[i, j]`` means an edge ``i -> j``. Must be acyclic.
    n_samples : int, default=1000
        Number of rows of X.
    weights : array-like of shape (d, d), default=None
        Edge weights to use as given (their support must be the DAG's). ``None`` draws
        each weight uniformly from ``[-high, -low] U [low, high]`` with
        ``(low, high) = weight_range`` (the literature's ``+-[0.5, 2]``).
    weight_range : tuple of float, default=(0.5, 2.0)
        ``(low, high)`` with ``0 <= low <= high``, the range of the absolute values of drawn
        weights (with random signs); unused when ``weights`` is given. CoLiDE's
        heteroscedastic experiments use ``(0.25, 1.0)`` with ``noise_variance`` drawn from
        ``U(0.5, 10)`` per node.
    noise : {"gaussian", "exponential", "laplace", "gumbel"}, default="gaussian"
        Noise law, scaled to the requested variance (the exponential noise is not
        centred: its mean is its standard deviation).
    noise_variance : float or array-like of shape (d,), default=1.0
        One variance for every node (equal variance) or one per node.
    random_state : int, RandomState instance or None, default=None
        Seeds the weights and the noise. Pass an int for reproducible data.

    Returns
    -------
    X : ndarray of shape (n_samples, d)
        The samples, one column per node.
    W : ndarray of shape (d, d)
        The weighted adjacency matrix used.

    Examples
    --------
    >>> from sparsestat.datasets import make_dag, make_linear_sem
    >>> B = make_dag(5, 5, random_state=0)
    >>> X, W = make_linear_sem(B, 200, random_state=0)
    >>> X.shape, bool(((W != 0) == B).all())
    ((200, 5), True)
    """
    B = np.asarray(adjacency)
    if B.ndim != 2 or B.shape[0] != B.shape[1] or B.shape[0] < 1:
        raise ValueError(f"adjacency must be a square matrix, got shape {B.shape}.")
    B = B != 0
    d = B.shape[0]
    order = topological_order(B)
    if order is None:
        raise ValueError("adjacency has a directed cycle: a linear SEM needs a DAG.")
    n = _check_int(n_samples, "n_samples", 1)
    if noise not in _NOISES:
        raise ValueError(f"noise must be one of {_NOISES}, got {noise!r}.")
    var = np.asarray(noise_variance, dtype=np.float64)
    if var.ndim == 0:
        var = np.full(d, float(var))
    if var.shape != (d,) or not np.all(np.isfinite(var)) or np.any(var <= 0):
        raise ValueError(
            f"noise_variance must be a positive number or {d} positive numbers.")
    rng = check_random_state(random_state)
    if weights is None:
        low, high = weight_range
        if not 0 <= low <= high:
            raise ValueError(f"weight_range must satisfy 0 <= low <= high, got {weight_range}.")
        mag = rng.uniform(low, high, size=(d, d))
        sign = np.where(rng.uniform(size=(d, d)) < 0.5, -1.0, 1.0)
        W = np.where(B, mag * sign, 0.0)
    else:
        W = np.array(weights, dtype=np.float64)
        if W.shape != (d, d):
            raise ValueError(f"weights has shape {W.shape}, expected {(d, d)}.")
        if np.any((W != 0) & ~B):
            raise ValueError("weights has nonzero entries outside the adjacency's edges.")
    Z = _noise(rng, noise, var, n, d)
    X = np.zeros((n, d))
    for j in order:
        X[:, j] = X @ W[:, j] + Z[:, j]
    return X, W


def topological_order(adjacency):
    """A topological order of the nodes (Kahn's algorithm), or None if there is a cycle."""
    B = np.asarray(adjacency) != 0
    d = B.shape[0]
    indeg = B.sum(axis=0).astype(np.int64)
    stack = list(np.flatnonzero(indeg == 0))
    order = []
    while stack:
        i = stack.pop()
        order.append(i)
        for j in np.flatnonzero(B[i]):
            indeg[j] -= 1
            if indeg[j] == 0:
                stack.append(j)
    return order if len(order) == d else None


SACHS_NODES = ("praf", "pmek", "plcg", "PIP2", "PIP3", "p44/42", "pakts473", "PKA", "PKC",
               "P38", "pjnk")
# The 17-edge consensus network (as distributed with the bnlearn repository's "sachs"
# Bayesian network), in the column names of the cytometry data.
SACHS_EDGES = (
    ("p44/42", "pakts473"), ("PKA", "pakts473"), ("pmek", "p44/42"), ("PKA", "p44/42"),
    ("PKA", "pjnk"), ("PKC", "pjnk"), ("PKA", "pmek"), ("PKC", "pmek"), ("praf", "pmek"),
    ("PKA", "P38"), ("PKC", "P38"), ("PIP3", "PIP2"), ("plcg", "PIP2"), ("plcg", "PIP3"),
    ("PKC", "PKA"), ("PKA", "praf"), ("PKC", "praf"),
)


def load_sachs(*, return_X_y=False, as_frame=False):
    """Load the Sachs et al. (2005) flow-cytometry data, observational condition.

    853 single-cell measurements of 11 phosphorylated proteins and phospholipids in human
    T cells under the general stimulation cd3/cd28 only (no intervention), with the
    17-edge consensus network used as ground truth in the DAG-learning literature.
    Raw concentrations (not logged, not standardized).

    Parameters
    ----------
    return_X_y : bool, default=False
        Return ``(data, adjacency)`` instead of a Bunch, as scikit-learn's loaders return
        ``(data, target)``: the known graph plays the part of the target.
    as_frame : bool, default=False
        Return the data as a pandas DataFrame with the original column names (and fill
        ``frame``). Needs pandas.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the attributes

        data : ndarray of shape (853, 11) or DataFrame
            The measurements, one column per protein.
        adjacency : ndarray of shape (11, 11), dtype=bool
            The consensus graph: ``adjacency[i, j]`` is True for the edge ``i -> j``.
        feature_names : list of str
            The 11 protein names, in column order.
        frame : DataFrame or None
            The data as a DataFrame when ``as_frame=True``, else None.
        DESCR : str
            A description of the data set and its source.
    (data, adjacency) : tuple
        When ``return_X_y=True``.

    Notes
    -----
    The data are the first of the nine experimental conditions of K. Sachs, O. Perez,
    D. Pe'er, D. A. Lauffenburger and G. P. Nolan, "Causal protein-signaling networks
    derived from multiparameter single-cell data", Science 308(5721):523-529, 2005
    (file "1. cd3cd28"), as redistributed in the Causal Discovery Toolbox (``cdt``, whose
    pooled file concatenates the nine conditions in order). See
    ``sparsestat/datasets/data/sachs_README.txt``.

    Examples
    --------
    >>> from sparsestat.datasets import load_sachs
    >>> sachs = load_sachs()
    >>> sachs.data.shape, int(sachs.adjacency.sum()), sachs.feature_names[:2]
    ((853, 11), 17, ['praf', 'pmek'])
    >>> X, B = load_sachs(return_X_y=True)
    """
    from sklearn.utils import Bunch

    package = resources.files("sparsestat.datasets")
    with package.joinpath("data", "sachs_cd3cd28.csv").open("r") as fh:
        header = fh.readline().strip().split(",")
        X = np.loadtxt(fh, delimiter=",", dtype=np.float64)
    names = list(header)
    index = {name: i for i, name in enumerate(names)}
    B = np.zeros((len(names), len(names)), dtype=bool)
    for a, b in SACHS_EDGES:
        B[index[a], index[b]] = True
    frame = None
    if as_frame:
        import pandas as pd

        X = frame = pd.DataFrame(X, columns=names)
    if return_X_y:
        return X, B
    descr = package.joinpath("data", "sachs_README.txt").read_text()
    return Bunch(data=X, adjacency=B, feature_names=names, frame=frame, DESCR=descr)
