"""CoLiDE: concomitant linear DAG estimation (Saboksayr, Mateos and Tepper, ICLR 2024)."""

import numbers
import time
import warnings

import numpy as np
from sklearn.base import BaseEstimator, _fit_context
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from .._engine.families._colide import (
    EQUAL_VARIANCE,
    NON_EQUAL_VARIANCE,
    STATUS_CONVERGED,
    STATUS_LR_UNDERFLOW,
    STATUS_MAX_ITER,
    STATUS_RESTARTS,
    colide_path,
    logdet_acyclicity,
    objective,
)
from .._engine._memory import check_memory
from ..datasets._dag import topological_order
from ..exceptions import caller_stacklevel
from ..utils._progress import progress, report

__all__ = ["CoLiDE", "threshold_to_dag", "is_dag"]

_MAX_RESTARTS = 100

# Default lower bound of the noise scales, relative to the initial scale (the node's own
# marginal standard deviation for NV, the smallest one for EV). It only keeps sigma > 0
# and must never bind on real fits: the residual variance q_j is computed from C with an
# absolute rounding error of about eps * C_jj, so a scale below sqrt(eps * C_jj) is
# rounding noise anyway. A floor at 1e-2 * sqrt(C_jj) (the former default) bound on
# ER4 graphs with weights +-[0.5, 2], whose deep nodes have marginal standard deviations
# of 1e3-1e4 times their noise scale, and wrecked the NV fit (issue 21).
_SCALE_GUARD = float(np.sqrt(np.finfo(np.float64).eps))


def is_dag(adjacency):
    """True when the directed graph ``adjacency`` (nonzero ``[i, j]`` = edge i -> j) is acyclic.

    Parameters
    ----------
    adjacency : array-like of shape (d, d)
        The graph: a nonzero ``adjacency[i, j]`` is an edge ``i -> j`` (a nonzero
        diagonal entry is a self-loop, hence a cycle).

    Returns
    -------
    acyclic : bool
        Whether the graph has no directed cycle.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.dag import is_dag
    >>> is_dag(np.array([[0, 1], [0, 0]])), is_dag(np.array([[0, 1], [1, 0]]))
    (True, False)
    """
    B = np.asarray(adjacency)
    if B.ndim != 2 or B.shape[0] != B.shape[1]:
        raise ValueError(f"adjacency must be a square matrix, got shape {B.shape}.")
    return topological_order(B != 0) is not None


def threshold_to_dag(W, threshold=0.3, *, keep=None):
    """Zero ``|W_ij| <= threshold``, then drop the weakest edges until the graph is acyclic.

    The weakest edges are removed by raising the threshold to the next edge magnitude, as
    in DAGMA and CoLiDE (found by bisection over the sorted magnitudes: acyclicity is
    monotone in the threshold). Edges in ``keep`` are never dropped.

    Parameters
    ----------
    W : array-like of shape (d, d)
        Weighted adjacency, ``W[i, j]`` the weight of the edge ``i -> j``.
    threshold : float, default=0.3
        Edges with ``|W_ij| <= threshold`` are dropped first (DAGMA and CoLiDE's
        default, for standardized-scale weights).
    keep : array-like of shape (d, d) of bool, default=None
        Edges that stay whatever their weight; they must form a DAG.

    Returns
    -------
    adjacency : ndarray of shape (d, d), dtype=bool
        ``adjacency[i, j]`` for a kept edge ``i -> j``; always a DAG.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.dag import threshold_to_dag
    >>> W = np.array([[0.0, 1.0], [0.5, 0.0]])   # a 2-cycle: the weaker edge goes
    >>> threshold_to_dag(W, 0.3).astype(int)
    array([[0, 1],
           [0, 0]])
    """
    W = np.asarray(W, dtype=np.float64)
    d = W.shape[0]
    keep = np.zeros((d, d), dtype=bool) if keep is None else np.asarray(keep, dtype=bool)
    if not is_dag(keep):
        raise ValueError("The edges to keep form a directed cycle.")
    A = np.abs(W)
    np.fill_diagonal(A, 0.0)
    free = (A > threshold) & ~keep
    B = free | keep
    if is_dag(B):
        return B
    # candidate thresholds: the magnitudes of the free edges, ascending
    mags = np.sort(A[free])
    lo, hi = 0, mags.size  # dropping mags[:hi] (all free edges) gives a DAG
    while lo < hi:
        mid = (lo + hi) // 2
        if is_dag((free & (A > mags[mid])) | keep):
            hi = mid
        else:
            lo = mid + 1
    if lo == mags.size:
        return keep.copy()
    return (free & (A > mags[lo])) | keep


def _edge_mask(edges, d, name, feature_names):
    """Turn a list of (i, j) pairs (indices or feature names) or a (d, d) bool array into a mask."""
    mask = np.zeros((d, d), dtype=bool)
    if edges is None:
        return mask
    if isinstance(edges, np.ndarray) and edges.dtype == bool:
        if edges.shape != (d, d):
            raise ValueError(f"{name} has shape {edges.shape}, expected {(d, d)}.")
        return edges.copy()
    if not len(edges):
        return mask
    lookup = None if feature_names is None else {n: i for i, n in enumerate(feature_names)}
    for pair in edges:
        if len(pair) != 2:
            raise ValueError(f"{name} must be pairs (i, j) of nodes, got {pair!r}.")
        idx = []
        for node in pair:
            if isinstance(node, np.generic):
                node = node.item()
            if isinstance(node, str):
                if lookup is None or node not in lookup:
                    raise ValueError(f"{name} names an unknown feature {node!r}.")
                idx.append(lookup[node])
            elif isinstance(node, numbers.Integral) and 0 <= node < d:
                idx.append(int(node))
            else:
                raise ValueError(f"{name} has node {node!r}, expected an index in [0, {d}).")
        if idx[0] == idx[1]:
            raise ValueError(f"{name} contains the self-loop {tuple(pair)!r}.")
        mask[idx[0], idx[1]] = True
    return mask


#: Dense d x d arrays alive during a fit: about six float64 and two boolean ones
_BYTES_PER_NODE_PAIR = 50

class CoLiDE(BaseEstimator):
    """Concomitant linear DAG estimation: sparse linear SEM with a jointly estimated noise scale.

    Learns a weighted DAG ``W`` from data ``X`` assumed to follow ``X = X W + Z``
    (``W[i, j] != 0`` is an edge ``i -> j``) by minimizing the CoLiDE score

    * ``variance="equal"`` (CoLiDE-EV)::

          tr((I - W)^T C (I - W)) / (2 sigma) + d sigma / 2 + alpha ||W||_1

    * ``variance="non-equal"`` (CoLiDE-NV, one scale per node)::

          1/2 sum_j [((I - W)^T C (I - W))_jj / sigma_j + sigma_j] + alpha ||W||_1

    with ``C = Xc^T Xc / n`` (columns centred, not scaled) under DAGMA's log-det
    acyclicity constraint, by path following over stages ``k`` minimizing
    ``mu_k (score) + h_{s_k}(W)``, where ``h_s(W) = -log det(sI - W o W) + d log s``.
    Each stage runs Adam on W with the closed-form update of the scales after every step;
    the whole path runs in one compiled call. Jointly estimating the noise scale makes
    ``alpha`` insensitive to the noise level (a square-root-lasso effect).

    Parameters
    ----------
    variance : {"equal", "non-equal"}, default="equal"
        One noise scale for all nodes (EV) or one per node (NV, for heteroscedastic data).
    alpha : float, default=0.05
        L1 weight ``lambda`` (about ``sqrt(log d / n)``; the authors' default).
    threshold : float, default=0.3
        Weights with ``|w| <= threshold`` are dropped from ``adjacency_``.
    s : tuple of float, default=(1.0, 0.9, 0.8, 0.7)
        Log-det parameter of each stage; its length is the number of stages.
    mu_init : float, default=1.0
        Weight of the score at the first stage.
    mu_factor : float, default=0.1
        Decay of the score weight between stages (``mu_k = mu_init mu_factor^k``).
    learning_rate : float, default=3e-4
        Adam's step size.
    beta1 : float, default=0.99
        Adam's decay rate of the first-moment estimates, in [0, 1).
    beta2 : float, default=0.999
        Adam's decay rate of the second-moment estimates, in [0, 1).
    max_iter : int, default=20000
        Adam steps allowed in each stage but the last.
    max_iter_last : int, default=70000
        Adam steps allowed in the last stage.
    tol : float, default=1e-6
        Stop a stage when the relative change of its objective over ``checkpoint`` steps is
        at most ``tol``.
    checkpoint : int, default=1000
        Number of Adam steps between two convergence checks of a stage.
    sigma_min : float or None, default=None
        Lower bound of the noise scales (the paper's ``s0``), the same for every node.
        ``None``: no statistical floor, only a numerical guard that keeps the scales
        positive, ``sqrt(eps) ~ 1.5e-8`` times the initial scale (``min_j sqrt(C_jj)``
        for EV, ``sqrt(C_jj)`` per node for NV); below it the residual variance is at
        the rounding level of ``C``. As in the authors' code, which applies no floor.
    solver : {"adam", "prox"}, default="adam"
        ``"adam"``: the authors' algorithm (subgradient of the L1 term inside Adam).
        ``"prox"``: Adam on the smooth part followed by an exact soft-threshold in Adam's
        diagonal metric, which gives exact zeros (a sparsestat variant).
    exclude_edges : list of (i, j) pairs or bool ndarray of shape (d, d), default=None
        Edges that are forbidden: always absent from ``coef_`` and ``adjacency_``. Nodes
        are column indices, or feature names when X is a DataFrame.
    include_edges : list of (i, j) pairs or bool ndarray of shape (d, d), default=None
        Edges that are required: unpenalized during the fit and always present in
        ``adjacency_`` (they must form a DAG and not meet ``exclude_edges``).
    verbose : int, default=0
        Progress of the path (scikit-learn's meaning): 0 silent; 1 a progress bar over
        the stages (tqdm, if installed; a line per stage otherwise); 2 a line per stage
        with its Adam steps and log-det parameter. Standard error; the result does not
        depend on it.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features, n_features)
        Raw weighted adjacency from the optimizer (before thresholding); zero diagonal.
    adjacency_ : ndarray of shape (n_features, n_features), dtype=bool
        The estimated DAG: ``adjacency_[i, j]`` for an edge ``i -> j``, after thresholding
        and removal of the weakest edges until acyclic. Always a DAG. The weighted DAG is
        ``coef_ * adjacency_``.
    sigma_ : float or ndarray of shape (n_features,)
        Estimated noise scale (standard deviation): one for EV, one per node for NV.
    n_iter_ : int
        Adam steps over the whole path (stage restarts included).
    h_ : float
        Acyclicity ``h_1(coef_)`` of the raw weights (0 for an exact DAG).
    score_ : float
        CoLiDE score (with the L1 term) of ``coef_`` and ``sigma_`` on the training data.
    s_ : ndarray of shape (n_stages,)
        Log-det parameters the stages ended with (raised by restarts).
    mean_ : ndarray of shape (n_features,)
        Column means of the training data.
    n_features_in_ : int
        Number of features (nodes) seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (n_features,)
        Defined when X has feature names that are all strings.

    See Also
    --------
    bootstrap_edge_frequency : edge stability over bootstrap resamples.

    Notes
    -----
    The time per Adam step is O(d^3) and does not depend on ``n_samples``. The algorithm
    is deterministic (it starts from ``W = 0``), hence no ``random_state``; use
    :func:`bootstrap_edge_frequency` for resampling-based edge confidence.

    References
    ----------
    S. S. Saboksayr, G. Mateos and M. Tepper, "CoLiDE: Concomitant linear DAG estimation",
    ICLR 2024. K. Bello, B. Aragam and P. Ravikumar, "DAGMA: Learning DAGs via M-matrices
    and a log-determinant acyclicity characterization", NeurIPS 2022.

    Examples
    --------
    >>> from sparsestat.dag import CoLiDE
    >>> from sparsestat.datasets import make_dag, make_linear_sem
    >>> from sparsestat.metrics import dag_metrics
    >>> B = make_dag(8, 8, random_state=0)
    >>> X, W = make_linear_sem(B, 500, random_state=0)
    >>> model = CoLiDE().fit(X)
    >>> dag_metrics(B, model.adjacency_)["shd"]
    0
    """

    _parameter_constraints = {
        "variance": [StrOptions({"equal", "non-equal"})],
        "alpha": [Interval(numbers.Real, 0, None, closed="left")],
        "threshold": [Interval(numbers.Real, 0, None, closed="left")],
        "s": ["array-like"],
        "mu_init": [Interval(numbers.Real, 0, None, closed="neither")],
        "mu_factor": [Interval(numbers.Real, 0, 1, closed="right")],
        "learning_rate": [Interval(numbers.Real, 0, None, closed="neither")],
        "beta1": [Interval(numbers.Real, 0, 1, closed="left")],
        "beta2": [Interval(numbers.Real, 0, 1, closed="left")],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "max_iter_last": [Interval(numbers.Integral, 1, None, closed="left")],
        "tol": [Interval(numbers.Real, 0, None, closed="left")],
        "checkpoint": [Interval(numbers.Integral, 1, None, closed="left")],
        "sigma_min": [Interval(numbers.Real, 0, None, closed="neither"), None],
        "solver": [StrOptions({"adam", "prox"})],
        "exclude_edges": ["array-like", None],
        "include_edges": ["array-like", None],
        "verbose": ["verbose"],
    }

    def __init__(
        self, variance="equal", alpha=0.05, *, threshold=0.3, s=(1.0, 0.9, 0.8, 0.7),
        mu_init=1.0, mu_factor=0.1, learning_rate=3e-4, beta1=0.99, beta2=0.999,
        max_iter=20000, max_iter_last=70000, tol=1e-6, checkpoint=1000, sigma_min=None,
        solver="adam", exclude_edges=None, include_edges=None, verbose=0,
    ):
        self.variance = variance
        self.alpha = alpha
        self.threshold = threshold
        self.s = s
        self.mu_init = mu_init
        self.mu_factor = mu_factor
        self.learning_rate = learning_rate
        self.beta1 = beta1
        self.beta2 = beta2
        self.max_iter = max_iter
        self.max_iter_last = max_iter_last
        self.tol = tol
        self.checkpoint = checkpoint
        self.sigma_min = sigma_min
        self.solver = solver
        self.exclude_edges = exclude_edges
        self.include_edges = include_edges
        self.verbose = verbose

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = False
        return tags

    def _schedule(self):
        s = np.asarray(self.s, dtype=np.float64).ravel()
        if s.size == 0 or not np.all(np.isfinite(s)) or np.any(s <= 0):
            raise ValueError(f"s must be a non-empty sequence of positive numbers, got {self.s!r}.")
        return s

    def _masks(self, d):
        names = getattr(self, "feature_names_in_", None)
        exclude = _edge_mask(self.exclude_edges, d, "exclude_edges", names)
        include = _edge_mask(self.include_edges, d, "include_edges", names)
        np.fill_diagonal(include, False)
        if np.any(exclude & include):
            raise ValueError("An edge is both in include_edges and exclude_edges.")
        if not is_dag(include):
            raise ValueError("include_edges form a directed cycle: no DAG contains them.")
        free = ~exclude
        np.fill_diagonal(free, False)
        return free, include

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the DAG from the rows of X.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Observations of the ``n_features`` nodes; never modified. At least 2 samples
            and 2 features, no constant column.
        y : None
            Ignored.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        X = validate_data(self, X, dtype=np.float64, ensure_min_samples=2,
                          ensure_min_features=2)
        n, d = X.shape
        # dense d x d work arrays (covariance, weights, gradient, inverse, masks): refuse
        # a size that cannot fit before allocating any of them
        check_memory(_BYTES_PER_NODE_PAIR * d * d,
                     f"CoLiDE on {d} features (about {_BYTES_PER_NODE_PAIR} d^2 bytes)",
                     "Restrict the graph to fewer nodes (e.g. screen variables first).")
        s_schedule = self._schedule()
        free, include = self._masks(d)
        self.mean_ = X.mean(axis=0)
        Xc = X - self.mean_
        C = Xc.T @ Xc / n
        scale0 = np.sqrt(np.clip(np.diag(C), 0.0, None))
        # the scale must be positive: a constant column has no noise to estimate
        constant = np.flatnonzero(scale0 <= 1e-12 * max(1.0, float(np.abs(X).max())))
        if constant.size:
            raise ValueError(
                f"X has constant column(s) {constant.tolist()}: CoLiDE estimates a noise "
                "scale per node and needs every column to vary.")
        if self.variance == "equal":
            code = EQUAL_VARIANCE
            sigma = np.full(d, scale0.min())
        else:
            code = NON_EQUAL_VARIANCE
            sigma = scale0.copy()
        # sigma_min=None: a numerical guard, not the paper's s0 (see _SCALE_GUARD)
        floor = (np.full(d, float(self.sigma_min)) if self.sigma_min is not None
                 else _SCALE_GUARD * sigma)
        sigma = np.maximum(sigma, floor)
        pen = np.where(include, 0.0, 1.0)
        W = np.zeros((d, d))
        status, n_iter, s_used = self._path(C, W, sigma, code, free.astype(np.float64),
                                            pen, s_schedule, floor)
        if status == STATUS_RESTARTS:
            raise ValueError(
                "CoLiDE could not keep W inside the log-det domain after "
                f"{_MAX_RESTARTS} stage restarts; try a smaller learning_rate or larger s.")
        if not (np.all(np.isfinite(W)) and np.all(np.isfinite(sigma))):
            raise ValueError(
                "CoLiDE produced non-finite weights: the data are badly scaled "
                "(try standardizing X or a smaller learning_rate).")
        if status == STATUS_MAX_ITER:
            warnings.warn(
                f"CoLiDE's last stage stopped after max_iter_last={self.max_iter_last} Adam "
                f"steps without reaching tol={self.tol}; increase max_iter_last.",
                ConvergenceWarning, stacklevel=caller_stacklevel())
        elif status == STATUS_LR_UNDERFLOW:
            warnings.warn(
                "CoLiDE's domain backtracking drove the learning rate below 1e-16; the "
                "result may be inaccurate.", ConvergenceWarning, stacklevel=caller_stacklevel())
        self.coef_ = W
        self.sigma_ = float(sigma[0]) if code == EQUAL_VARIANCE else sigma
        self.n_iter_ = int(n_iter)
        self.s_ = s_used
        self.h_ = float(logdet_acyclicity(W, 1.0)[0])
        self.score_ = float(objective(C, W, sigma, code, float(self.alpha), pen, 1.0,
                                      1.0)) - self.h_
        self.adjacency_ = threshold_to_dag(W, self.threshold, keep=include)
        return self

    def _path(self, C, W, sigma, code, free, pen, s_schedule, floor):
        """The path, one stage per engine call (a progress step each).

        ``colide_path`` over one stage with that stage's ``mu``, ``s`` and step cap runs
        exactly the operations of its loop over all stages (W and sigma carry over in
        place, Adam restarts per stage), so the result is the same bit for bit as one
        call; the status is combined as the engine combines it.
        """
        T = s_schedule.size
        status, n_iter = STATUS_CONVERGED, 0
        s_used = s_schedule.copy()
        mu = float(self.mu_init)
        verbose = int(self.verbose)
        clock = time.perf_counter()
        # verbose >= 2: the detailed line below replaces the generic one of progress()
        for k in progress(range(T), verbose if verbose < 2 else 0,
                          f"CoLiDE ({W.shape[0]} nodes): stages"):
            cap = int(self.max_iter_last if k == T - 1 else self.max_iter)
            st, it, _, s_k = colide_path(
                C, W, sigma, code, float(self.alpha), free, pen, mu, float(self.mu_factor),
                s_schedule[k:k + 1], float(self.learning_rate), float(self.beta1),
                float(self.beta2), 1e-8, cap, cap, float(self.tol), int(self.checkpoint),
                floor, self.solver == "prox", _MAX_RESTARTS)
            n_iter += it
            s_used[k] = s_k[0]
            if st == STATUS_RESTARTS:
                return st, n_iter, s_used
            if st == STATUS_LR_UNDERFLOW:
                status = st
            elif st == STATUS_MAX_ITER and k == T - 1 and status == STATUS_CONVERGED:
                status = st
            if verbose >= 2:
                report(verbose, "CoLiDE", f"stage {k + 1}/{T}: {it} Adam steps, "
                       f"mu={mu:.3g}, s={s_used[k]:.3g} ({time.perf_counter() - clock:.1f} s)")
            mu *= float(self.mu_factor)
        return status, n_iter, s_used

    def score(self, X, y=None):
        """Average Gaussian log-likelihood of X under the fitted linear SEM.

        Uses the DAG's weights (``coef_ * adjacency_``), the training means and
        ``sigma_``: ``mean_i sum_j log N(x_ij - (x_i W)_j; 0, sigma_j^2)`` with centred x.
        Higher is better, so it can drive :class:`~sklearn.model_selection.GridSearchCV`.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Observations of the nodes seen in :term:`fit`.
        y : None
            Ignored.

        Returns
        -------
        score : float
            Mean over the samples of their log-likelihood (summed over the nodes).
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        Xc = X - self.mean_
        W = self.coef_ * self.adjacency_
        resid = Xc - Xc @ W
        sig = np.broadcast_to(np.asarray(self.sigma_, dtype=np.float64), (X.shape[1],))
        ll = -0.5 * (resid / sig) ** 2 - np.log(sig) - 0.5 * np.log(2.0 * np.pi)
        return float(ll.sum(axis=1).mean())

    def to_networkx(self):
        """The estimated DAG as a :class:`networkx.DiGraph` (networkx must be installed).

        Nodes are ``feature_names_in_`` when the model was fitted on a DataFrame, else
        column indices; each edge ``i -> j`` of ``adjacency_`` carries its ``weight``
        ``coef_[i, j]``.

        Returns
        -------
        graph : networkx.DiGraph
            The weighted DAG ``coef_ * adjacency_``, every node included.

        Examples
        --------
        >>> import numpy as np
        >>> from sparsestat.dag import CoLiDE
        >>> rng = np.random.default_rng(0)
        >>> X = rng.standard_normal((200, 3))
        >>> X[:, 1] += 2 * X[:, 0]
        >>> graph = CoLiDE().fit(X).to_networkx()
        >>> graph.number_of_nodes()
        3
        """
        from ._plot import to_digraph

        check_is_fitted(self)
        return to_digraph(self.coef_ * self.adjacency_,
                          getattr(self, "feature_names_in_", None))
