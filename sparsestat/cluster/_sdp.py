"""SDP clustering: Peng-Wei's K-means SDP and the iterative likelihood-adjusted SDP."""

import numbers
import time
import warnings

import numpy as np
from scipy import linalg
from sklearn.base import BaseEstimator, ClusterMixin, _fit_context
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, check_random_state, validate_data

from .._engine.families._burer_monteiro import kmeans_sdp_init, solve_la_sdp_bm
from ..exceptions import caller_stacklevel
from ..utils._progress import progress, report

__all__ = ["SDPKMeans", "ILASDP"]


#: ``sketch_size="auto"`` fits on a random subsample of this many points when there are
#: more (about 10-20 s for either estimator; scikit-learn's KMeans takes under a second
#: on 200000 points, the full SDP minutes): pass ``sketch_size=None`` to solve them all.
AUTO_SKETCH_SIZE = 5000


def _resolve_sketch(sketch_size, n, n_clusters, rng):
    """Sorted indices of the sketch, or None to fit every sample."""
    size = AUTO_SKETCH_SIZE if sketch_size == "auto" else sketch_size
    if size is None or size >= n:
        return None
    if size < n_clusters:
        raise ValueError(f"sketch_size={size} should be >= n_clusters={n_clusters}.")
    return np.sort(rng.choice(n, size=size, replace=False))


def _check_n_clusters(n_samples, n_clusters):
    if n_samples < n_clusters:
        raise ValueError(
            f"n_samples={n_samples} should be >= n_clusters={n_clusters}: every cluster "
            "of an SDP relaxation needs at least one point."
        )


def _seed(rng):
    return int(rng.randint(np.iinfo(np.int32).max))


def _spectral_round(V, n_clusters, rng, n_init):
    """k-means++ (with Lloyd refinement) on the rows of the top eigenvectors of Z."""
    km = KMeans(n_clusters=n_clusters, n_init=n_init, random_state=_seed(rng))
    return km.fit_predict(V)


def _kmeans_sdp(X, n_clusters, *, solver, rank, tol, max_iter, rng, n_init=10, verbose=0,
                desc="SDPKMeans"):
    """Solve the K-means SDP and round it. Returns labels, objective, n_iter, converged."""
    clock = time.perf_counter()
    if solver == "cvxpy":
        from ._cvxpy import kmeans_sdp_cvxpy

        Z, objective = kmeans_sdp_cvxpy(X, n_clusters)
        evals, evecs = linalg.eigh((Z + Z.T) / 2.0)
        V = evecs[:, ::-1][:, :n_clusters]
        return _spectral_round(V, n_clusters, rng, n_init), objective, 1, True, None
    r = max(rank, n_clusters)
    res = solve_la_sdp_bm(X[None], np.zeros(1), np.array([float(n_clusters)]), r,
                          tol=tol, max_iter=max_iter, rng=np.random.default_rng(_seed(rng)))
    report(verbose, desc, f"SDP solved: {res.n_iter} multiplier updates, feasibility "
           f"{res.feasibility:.1e} ({time.perf_counter() - clock:.1f} s); rounding")
    U = res.U[:, 0, :]
    left, _, _ = linalg.svd(U, full_matrices=False)
    V = left[:, :n_clusters]
    labels = _spectral_round(V, n_clusters, rng, n_init)
    return labels, res.objective, res.n_iter, res.converged, U


class SDPKMeans(ClusterMixin, BaseEstimator):
    """K-means clustering by Peng and Wei's semidefinite relaxation.

    Solves::

        min_Z  < D / 2, Z >   s.t.  Z PSD,  Z >= 0,  Z 1 = 1,  tr Z = n_clusters

    where ``D`` holds the squared Euclidean distances between samples (equivalently
    ``max <X X^T, Z>``), then rounds ``Z`` by k-means++ on the rows of its top
    ``n_clusters`` eigenvectors. At an integral ``Z`` the objective is the K-means inertia;
    under enough separation the relaxation is tight and recovers the clusters exactly,
    independently of any initialization.

    The default solver is a nonnegative Burer-Monteiro factorization ``Z = U U^T``
    (``U >= 0``, rank ``2 * n_clusters``) with an augmented Lagrangian, compiled with
    numba: ``O(n p r)`` work per iteration and memory linear in ``n``. ``solver="cvxpy"``
    solves the full SDP with an interior-point/conic solver (a reference for a few hundred
    points at most).

    Parameters
    ----------
    n_clusters : int, default=2
        Number of clusters.
    solver : {"bm", "cvxpy"}, default="bm"
        Burer-Monteiro (scales to tens of thousands of points) or cvxpy (exact, small n).
    rank : int, default=None
        Columns of the factor ``U``; ``None`` means ``2 * n_clusters``.
    tol : float, default=1e-6
        Feasibility and stationarity tolerance of the Burer-Monteiro solver.
    max_iter : int, default=300
        Maximum number of augmented-Lagrangian (multiplier) updates.
    n_init : int, default=10
        Number of k-means++ starts of the spectral rounding.
    sketch_size : int, "auto" or None, default="auto"
        Fit on a random subsample of this size and give every sample the label of its
        nearest center (sketch-and-lift). "auto" sketches ``AUTO_SKETCH_SIZE = 5000``
        points when there are more; None always solves the SDP on every sample.
    random_state : int, RandomState instance or None, default=None
        Seeds the starting factor, the rounding and the sketch.
    verbose : int, default=0
        Progress (scikit-learn's meaning): 0 silent; >= 1 a line on standard error as
        each stage ends (SDP solve with its multiplier updates and time, rounding,
        lift). The result does not depend on it.

    Attributes
    ----------
    labels_ : ndarray of shape (n_samples,)
        Cluster index of each training sample, from the rounding of the SDP solution.
    cluster_centers_ : ndarray of shape (n_clusters, n_features)
        Mean of each rounded cluster.
    objective_ : float
        SDP objective ``<D / 2, Z>`` (a lower bound on the best K-means inertia when the
        solver reaches the global optimum).
    inertia_ : float
        Within-cluster sum of squares of the rounded labels.
    factor_ : ndarray of shape (n_sketch, rank) or None
        Nonnegative factor ``U`` with ``Z = U U^T`` over the samples the SDP was solved on
        (``None`` for the cvxpy solver).
    sketch_size_ : int or None
        Number of samples the SDP was solved on, None when it was every sample.
    n_iter_ : int
        Multiplier updates of the solver.
    converged_ : bool
        Whether the solver reached ``tol`` within ``max_iter`` updates (always True for
        the cvxpy solver).
    n_features_in_ : int
        Number of features seen during :term:`fit`.

    See Also
    --------
    ILASDP : Likelihood-adjusted SDP for clusters with different covariances.
    sklearn.cluster.KMeans : Lloyd's algorithm from k-means++ starts.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.cluster import SDPKMeans
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 0.3, (20, 2)), rng.normal(3, 0.3, (20, 2))])
    >>> model = SDPKMeans(n_clusters=2, random_state=0).fit(X)
    >>> np.bincount(model.labels_)
    array([20, 20])
    """

    _parameter_constraints = {
        "n_clusters": [Interval(numbers.Integral, 1, None, closed="left")],
        "solver": [StrOptions({"bm", "cvxpy"})],
        "rank": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "tol": [Interval(numbers.Real, 0, None, closed="neither")],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "n_init": [Interval(numbers.Integral, 1, None, closed="left")],
        "sketch_size": [Interval(numbers.Integral, 2, None, closed="left"),
                        StrOptions({"auto"}), None],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(self, n_clusters=2, *, solver="bm", rank=None, tol=1e-6, max_iter=300,
                 n_init=10, sketch_size="auto", random_state=None, verbose=0):
        self.n_clusters = n_clusters
        self.solver = solver
        self.rank = rank
        self.tol = tol
        self.max_iter = max_iter
        self.n_init = n_init
        self.sketch_size = sketch_size
        self.random_state = random_state
        self.verbose = verbose

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Solve the K-means SDP and round it.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples to cluster; never modified.
        y : Ignored
            Not used, present for API consistency by convention.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        X = validate_data(self, X, dtype=[np.float64, np.float32])
        _check_n_clusters(X.shape[0], self.n_clusters)
        rng = check_random_state(self.random_state)
        Xd = np.asarray(X, dtype=np.float64)
        sketch = _resolve_sketch(self.sketch_size, Xd.shape[0], self.n_clusters, rng)
        Xfit = Xd if sketch is None else Xd[sketch]
        Xc = Xfit - Xfit.mean(axis=0)
        rank = 2 * self.n_clusters if self.rank is None else self.rank
        report(self.verbose, "SDPKMeans", f"solving the K-means SDP on {Xc.shape[0]} "
               f"points ({self.solver}, rank {rank})")
        labels, objective, n_iter, converged, U = _kmeans_sdp(
            Xc, self.n_clusters, solver=self.solver, rank=rank, tol=self.tol,
            max_iter=self.max_iter, rng=rng, n_init=self.n_init,
            verbose=self.verbose, desc="SDPKMeans")
        if sketch is not None:  # lift: every sample joins its nearest sketch center
            report(self.verbose, "SDPKMeans", f"lifting the labels to {Xd.shape[0]} points")
            centers = np.array([Xfit[labels == k].mean(axis=0)
                                for k in range(self.n_clusters)])
            lifted = _nearest(Xd, centers)
            lifted[sketch] = labels
            labels = lifted
        self.sketch_size_ = None if sketch is None else int(sketch.size)
        if not converged:
            warnings.warn(
                "The Burer-Monteiro solver of the K-means SDP did not reach tol; increase "
                "max_iter or tol.", ConvergenceWarning, stacklevel=caller_stacklevel())
        self.labels_ = labels.astype(np.int64)
        self.cluster_centers_ = np.array(
            [Xd[labels == k].mean(axis=0) for k in range(self.n_clusters)])
        self.inertia_ = float(
            np.sum((Xd - self.cluster_centers_[labels]) ** 2))
        self.objective_ = float(objective)
        self.factor_ = U
        self.n_iter_ = int(n_iter)
        self.converged_ = bool(converged)
        return self

    def predict(self, X):
        """Assign each sample to the nearest cluster center.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples, with the features seen in :term:`fit`.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            Index of the nearest row of ``cluster_centers_`` (Euclidean distance).
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype=[np.float64, np.float32], reset=False)
        return _nearest(np.asarray(X, dtype=np.float64), self.cluster_centers_)


def _nearest(X, centers):
    """Index of the nearest center (Euclidean) for every row, in O(n K) memory."""
    d = ((X[:, None, :] - centers[None]) ** 2).sum(axis=2) if X.shape[1] <= 8 else \
        (centers ** 2).sum(axis=1)[None] - 2.0 * (X @ centers.T)
    return np.argmin(d, axis=1).astype(np.int64)


def _whiten(Xc, covariances, covariance_type, reg_covar):
    """Whitened designs Y_k = X Sigma_k^{-1/2} and costs c_k = log|S_k| + reg tr S_k^{-1}."""
    K = len(covariances)
    n, p = Xc.shape
    Ys = np.empty((K, n, p))
    cs = np.empty(K)
    for k, S in enumerate(covariances):
        if covariance_type == "full":
            C = linalg.cholesky(S, lower=True)
            Ys[k] = linalg.solve_triangular(C, Xc.T, lower=True).T
            logdet = 2.0 * np.sum(np.log(np.diag(C)))
            Cinv = linalg.solve_triangular(C, np.eye(p), lower=True)
            trinv = float(np.sum(Cinv * Cinv))
        else:
            d = np.full(p, S) if covariance_type == "spherical" else S
            Ys[k] = Xc / np.sqrt(d)
            logdet = float(np.sum(np.log(d)))
            trinv = float(np.sum(1.0 / d))
        cs[k] = logdet + reg_covar * trinv
    return Ys, cs


def _soft_covariances(Xc, memberships, XtZX, covariance_type, reg_covar):
    """Exact minimizer in Sigma_k of F for fixed Z_k: X^T (diag(Z_k 1) - Z_k) X / 1^T Z_k 1.

    Returns covariances, the weights n_k = 1^T Z_k 1, and F(Z, Sigma).
    """
    n, p = Xc.shape
    covs = []
    sizes = np.maximum(memberships.sum(axis=0), np.finfo(float).tiny)
    F = 0.0
    for k in range(memberships.shape[1]):
        W = (Xc * memberships[:, k:k + 1]).T @ Xc - XtZX[k]
        W = (W + W.T) / 2.0
        nk = sizes[k]
        if covariance_type == "full":
            S = W / nk + reg_covar * np.eye(p)
            C = linalg.cholesky(S, lower=True)
            Cinv = linalg.solve_triangular(C, np.eye(p), lower=True)
            F += np.sum(Cinv * (Cinv @ (W + reg_covar * nk * np.eye(p)))) \
                + nk * 2.0 * np.sum(np.log(np.diag(C)))
        elif covariance_type == "diag":
            S = np.maximum(np.diag(W), 0.0) / nk + reg_covar
            F += np.sum((np.diag(W) + reg_covar * nk) / S) + nk * np.sum(np.log(S))
        else:
            S = max(np.trace(W), 0.0) / (nk * p) + reg_covar
            F += (np.trace(W) + reg_covar * nk * p) / S + nk * p * np.log(S)
        covs.append(S)
    return covs, sizes, float(F)


def _block_memberships(labels, n_clusters):
    n = labels.shape[0]
    M = np.zeros((n, n_clusters))
    M[np.arange(n), labels] = 1.0
    return M


def _hard_XtZX(Xc, labels, n_clusters):
    """X^T Z_k X for the block matrices Z_k = 1_G 1_G^T / |G| of a labelling."""
    out = []
    for k in range(n_clusters):
        s = Xc[labels == k].sum(axis=0)
        out.append(np.outer(s, s) / max(int(np.sum(labels == k)), 1))
    return out


def _labels_from_memberships(M):
    """argmax_k (Z_k 1)_i; an empty cluster takes its strongest point from a larger one."""
    labels = np.argmax(M, axis=1)
    K = M.shape[1]
    for k in range(K):
        if np.any(labels == k):
            continue
        counts = np.bincount(labels, minlength=K)
        movable = counts[labels] > 1
        i = int(np.argmax(np.where(movable, M[:, k], -np.inf)))
        labels[i] = k
    return labels


class ILASDP(ClusterMixin, BaseEstimator):
    """Iterative likelihood-adjusted SDP (iLA-SDP) clustering of heterogeneous Gaussians.

    K-means and its SDP assume round clusters of equal size and spread. iLA-SDP
    (Zhuang, Chen and Yang, ICML 2023) keeps the labels as the unknowns of a Gaussian
    likelihood with one covariance per cluster, profiles the centers out, and relaxes the
    labels to per-cluster membership matrices ``Z_k``::

        min_{Z_1..Z_K}  sum_k < D_k / 2 + c_k J, Z_k >
        s.t.  Z_k PSD,  Z_k >= 0,  tr Z_k = 1,  sum_k Z_k 1 = 1

    with ``D_k`` the squared Mahalanobis distances under ``Sigma_k``, ``J = 1 1^T`` and
    ``c_k = log|Sigma_k| + reg_covar tr(Sigma_k^{-1})`` (the LA-SDP). It alternates this
    SDP with the exact covariance update for fixed ``Z``,
    ``Sigma_k = X^T (diag(Z_k 1) - Z_k) X / (1^T Z_k 1) + reg_covar I``, a block-coordinate
    descent on one objective ``F`` that never increases (``objective_``). The LA-SDP, the
    covariance update and the regularization term are our reconstruction of the paper; see
    the user guide.

    Parameters
    ----------
    n_clusters : int, default=2
        Number of clusters.
    init : {"sdp", "k-means++"} or array-like of shape (n_clusters, n_features), \
            default="sdp"
        Starting labels: the rounded K-means SDP (the authors' pipeline), k-means++ with
        Lloyd refinement, or the nearest of the given initial means.
    solver : {"bm", "cvxpy"}, default="bm"
        Compiled nonnegative Burer-Monteiro solver, or cvxpy's exact conic solver
        (reference for a few hundred points at most; needs ``cvxpy``).
    covariance_type : {"full", "diag", "spherical"}, default="full"
        Form of each cluster's covariance, as in ``GaussianMixture``.
    reg_covar : float, default=1e-6
        Added to the diagonal of each covariance; it enters ``F`` as the term
        ``reg_covar * 1^T Z_k 1 * tr(Sigma_k^{-1})`` so the update stays exact.
    max_iter : int, default=30
        Maximum number of alternations (SDP solve + covariance update).
    tol : float, default=1e-5
        Stop when the relative decrease of ``F`` is below ``tol`` or the labels repeat.
    rank : int, default=None
        Columns of each factor ``U_k`` (``Z_k = U_k U_k^T``); ``None`` means
        ``2 * n_clusters``.
    solver_tol : float, default=1e-6
        Feasibility and stationarity tolerance of each Burer-Monteiro solve.
    sketch_size : int, "auto" or None, default="auto"
        When smaller than ``n_samples``, fit on a random subsample of this size and
        assign the remaining samples by the likelihood rule (sketch-and-lift). "auto"
        sketches ``AUTO_SKETCH_SIZE = 5000`` points when there are more; None always fits
        every sample.
    random_state : int, RandomState instance or None, default=None
        Seeds the initialization, the solver's starting factor and the sketch.
    verbose : int, default=0
        Progress (scikit-learn's meaning): 0 silent; 1 a progress bar over the
        alternations (tqdm, if installed; about ten lines otherwise); 2 a line per
        alternation with ``F``. Standard error; the result does not depend on it.

    Attributes
    ----------
    labels_ : ndarray of shape (n_samples,)
        ``argmax_k (Z_k 1)_i`` (an empty cluster receives its strongest point).
    membership_ : ndarray of shape (n_samples, n_clusters)
        Row sums ``(Z_k 1)_i``; each row sums to one. Rows of samples outside the sketch are
        one-hot.
    sketch_size_ : int or None
        Number of samples the SDPs were solved on, None when it was every sample.
    means_ : ndarray of shape (n_clusters, n_features)
        ``X^T Z_k 1 / 1^T Z_k 1``.
    covariances_ : ndarray
        Shape (n_clusters, n_features, n_features) for "full", (n_clusters, n_features)
        for "diag", (n_clusters,) for "spherical".
    weights_ : ndarray of shape (n_clusters,)
        ``1^T Z_k 1 / n``, the soft cluster proportions.
    objective_ : ndarray of shape (`n_iter_` + 1,)
        ``F`` at the start and after each alternation (non-increasing).
    n_iter_ : int
        Alternations (SDP solve + covariance update) run.
    converged_ : bool
        Whether ``F`` stopped decreasing (or the labels repeated) within ``max_iter``
        alternations.
    n_features_in_ : int
        Number of features seen during :term:`fit`.

    See Also
    --------
    SDPKMeans : The homogeneous (isotropic, equal-spread) K-means SDP.
    sklearn.mixture.GaussianMixture : EM for the same model; sensitive to its start.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.cluster import ILASDP
    >>> rng = np.random.default_rng(0)
    >>> round_ = rng.normal(0.0, 0.5, (60, 2))
    >>> long_ = rng.normal(0.0, 1.0, (60, 2)) * [3.0, 0.5] + [0.0, 3.0]
    >>> X = np.vstack([round_, long_])
    >>> model = ILASDP(n_clusters=2, random_state=0).fit(X)
    >>> from sklearn.metrics import adjusted_rand_score
    >>> bool(adjusted_rand_score(np.repeat([0, 1], 60), model.labels_) > 0.9)
    True
    """

    _parameter_constraints = {
        "n_clusters": [Interval(numbers.Integral, 1, None, closed="left")],
        "init": [StrOptions({"sdp", "k-means++"}), "array-like"],
        "solver": [StrOptions({"bm", "cvxpy"})],
        "covariance_type": [StrOptions({"full", "diag", "spherical"})],
        "reg_covar": [Interval(numbers.Real, 0, None, closed="left")],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "tol": [Interval(numbers.Real, 0, None, closed="left")],
        "rank": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "solver_tol": [Interval(numbers.Real, 0, None, closed="neither")],
        "sketch_size": [Interval(numbers.Integral, 2, None, closed="left"),
                        StrOptions({"auto"}), None],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(self, n_clusters=2, *, init="sdp", solver="bm", covariance_type="full",
                 reg_covar=1e-6, max_iter=30, tol=1e-5, rank=None, solver_tol=1e-6,
                 sketch_size="auto", random_state=None, verbose=0):
        self.n_clusters = n_clusters
        self.init = init
        self.solver = solver
        self.covariance_type = covariance_type
        self.reg_covar = reg_covar
        self.max_iter = max_iter
        self.tol = tol
        self.rank = rank
        self.solver_tol = solver_tol
        self.sketch_size = sketch_size
        self.random_state = random_state
        self.verbose = verbose

    # -- fitting -------------------------------------------------------------------------
    def _initial_labels(self, Xc, center, rng):
        K = self.n_clusters
        if isinstance(self.init, str) and self.init == "sdp":
            report(self.verbose, "ILASDP", "initial labels from the K-means SDP")
            return _kmeans_sdp(Xc, K, solver=self.solver, rank=self._rank, tol=self.solver_tol,
                               max_iter=300, rng=rng, verbose=self.verbose, desc="ILASDP")[0]
        if isinstance(self.init, str):
            km = KMeans(n_clusters=K, n_init=1, random_state=_seed(rng))
            return km.fit_predict(Xc)
        means = np.asarray(self.init, dtype=np.float64)
        if means.shape != (K, Xc.shape[1]):
            raise ValueError(
                f"init has shape {means.shape}; an array init gives the initial means, of "
                f"shape (n_clusters, n_features) = ({K}, {Xc.shape[1]}).")
        if not np.all(np.isfinite(means)):
            raise ValueError("init contains NaN or infinity.")
        d = ((Xc[:, None, :] - (means - center)[None]) ** 2).sum(axis=2)
        return _labels_from_memberships(-d)

    def _z_step(self, Xc, Ys, cs, U, dual):
        """LA-SDP for fixed covariances. Returns memberships, X^T Z_k X, value, state."""
        K = self.n_clusters
        if self.solver == "cvxpy":
            from ._cvxpy import la_sdp_cvxpy

            Zs, value = la_sdp_cvxpy(Ys, cs)
            M = np.stack([Z.sum(axis=1) for Z in Zs], axis=1)
            XtZX = [Xc.T @ Z @ Xc for Z in Zs]
            return M, XtZX, value, (None, None, True)
        # Each alternation needs only a decrease of F, not an exact SDP solution: cap the
        # work per solve (the final, well-posed solves converge well within the caps).
        res = solve_la_sdp_bm(Ys, cs, np.ones(K), self._rank, U0=U, dual0=dual,
                              tol=self.solver_tol, max_iter=100, max_inner=50)
        M = res.memberships()
        XtZX = []
        for k in range(K):
            XU = Xc.T @ res.U[:, k, :]
            XtZX.append(XU @ XU.T)
        return M, XtZX, res.objective, (res.U, res.dual, res.converged)

    def _fit_core(self, Xc, center, rng):
        K = self.n_clusters
        labels0 = self._initial_labels(Xc, center, rng)
        M = _block_memberships(labels0, K)
        covs, sizes, F = _soft_covariances(Xc, M, _hard_XtZX(Xc, labels0, K),
                                           self.covariance_type, self.reg_covar)
        U = kmeans_sdp_init(labels0, K, self._rank, np.random.default_rng(_seed(rng)))
        dual = None
        history = [F]
        labels = labels0
        converged = False
        solver_ok = True
        n_iter = 0
        verbose = int(self.verbose)
        # verbose >= 2: the line with F below replaces progress()'s generic one
        for n_iter in progress(range(1, self.max_iter + 1), verbose if verbose < 2 else 0,
                               "ILASDP: alternations"):
            Ys, cs = _whiten(Xc, covs, self.covariance_type, self.reg_covar)
            M_new, XtZX, value, (U_new, dual_new, ok) = self._z_step(Xc, Ys, cs, U, dual)
            if value > F:
                # the SDP solve found no better Z than the current one (a local solution of
                # the factorized problem): F cannot decrease further, stop here.
                n_iter -= 1
                converged = True
                break
            solver_ok = ok
            M, U, dual = M_new, U_new, dual_new
            covs, sizes, F_new = _soft_covariances(Xc, M, XtZX, self.covariance_type,
                                                   self.reg_covar)
            history.append(F_new)
            report(verbose >= 2, "ILASDP", f"alternation {n_iter}: F={F_new:.6g}")
            new_labels = _labels_from_memberships(M)
            small = abs(F - F_new) <= self.tol * max(abs(F), 1.0)
            same = np.array_equal(new_labels, labels) and n_iter > 1
            labels, F = new_labels, F_new
            if small or same:
                converged = True
                break
        report(verbose, "ILASDP", f"{n_iter} alternation(s), F={history[-1]:.6g}, "
               f"{'converged' if converged else 'not converged'}")
        if not np.all(np.isfinite(history)):
            raise ValueError(
                "ILASDP produced a non-finite objective: a cluster collapsed onto fewer "
                "than n_features + 1 distinct points. Increase reg_covar or use "
                "covariance_type='diag' or 'spherical'.")
        return dict(labels=labels, M=M, covs=covs, sizes=sizes, history=history,
                    n_iter=n_iter, converged=converged, solver_ok=solver_ok)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Alternate LA-SDP solves and covariance updates until ``F`` stops decreasing.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples to cluster; never modified.
        y : Ignored
            Not used, present for API consistency by convention.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        X = validate_data(self, X, dtype=[np.float64, np.float32])
        n, p = X.shape
        K = self.n_clusters
        _check_n_clusters(n, K)
        if self.covariance_type == "full" and p >= n:
            raise ValueError(
                f"n_features={p} >= n_samples={n}: full covariances are singular. Use "
                "covariance_type='diag' or 'spherical' (regularized by reg_covar), or "
                "reduce the dimension first.")
        rng = check_random_state(self.random_state)
        self._rank = 2 * K if self.rank is None else self.rank
        Xd = np.asarray(X, dtype=np.float64)
        if len(np.unique(Xd, axis=0)) < K:
            raise ValueError(
                f"X has fewer distinct points than n_clusters={K}; duplicate points cannot "
                "be split into different clusters.")
        top = float(np.abs(Xd).max())
        if top > 1e150:  # covariances are squares of X: they overflow from about 1e154
            raise ValueError(
                f"X has entries of magnitude {top:.3g}: its covariances overflow float64 "
                "(|X| must stay below 1e150); rescale X.")
        sketch = _resolve_sketch(self.sketch_size, n, K, rng)
        self.sketch_size_ = None if sketch is None else int(sketch.size)
        Xfit = Xd if sketch is None else Xd[sketch]
        center = Xfit.mean(axis=0)
        Xc = Xfit - center
        out = self._fit_core(Xc, center, rng)
        del self._rank
        sizes = out["sizes"]
        self.means_ = (out["M"].T @ Xc) / sizes[:, None] + center
        self.covariances_ = np.array(out["covs"]) if self.covariance_type != "spherical" \
            else np.array([float(s) for s in out["covs"]])
        self.weights_ = sizes / Xc.shape[0]
        self.objective_ = np.asarray(out["history"], dtype=np.float64)
        self.n_iter_ = int(out["n_iter"])
        self.converged_ = bool(out["converged"])
        if sketch is None:
            self.labels_ = out["labels"].astype(np.int64)
            self.membership_ = out["M"]
        else:
            labels = self._likelihood_labels(Xd)
            labels[sketch] = out["labels"]
            M = _block_memberships(labels, K)
            M[sketch] = out["M"]
            self.labels_ = labels.astype(np.int64)
            self.membership_ = M
        if not self.converged_:
            warnings.warn(
                f"ILASDP did not converge in max_iter={self.max_iter} alternations; "
                "increase max_iter or tol.", ConvergenceWarning, stacklevel=caller_stacklevel())
        elif not out["solver_ok"]:
            warnings.warn(
                "The last LA-SDP solve stopped before reaching solver_tol; the memberships "
                "may be inaccurate. Increase solver_tol.", ConvergenceWarning,
                stacklevel=caller_stacklevel())
        return self

    # -- prediction ----------------------------------------------------------------------
    def _neg_log_likelihood_terms(self, X):
        """(x - mu_k)^T Sigma_k^{-1} (x - mu_k) + log|Sigma_k| for every sample and k."""
        K = self.means_.shape[0]
        out = np.empty((X.shape[0], K))
        for k in range(K):
            R = X - self.means_[k]
            S = self.covariances_[k]
            if self.covariance_type == "full":
                C = linalg.cholesky(S, lower=True)
                Y = linalg.solve_triangular(C, R.T, lower=True)
                out[:, k] = np.sum(Y * Y, axis=0) + 2.0 * np.sum(np.log(np.diag(C)))
            else:
                d = np.full(X.shape[1], S) if self.covariance_type == "spherical" else S
                out[:, k] = np.sum(R * R / d, axis=1) + np.sum(np.log(d))
        return out

    def _likelihood_labels(self, X):
        return np.argmin(self._neg_log_likelihood_terms(X), axis=1).astype(np.int64)

    def predict(self, X):
        """Label new samples by the likelihood rule.

        ``argmin_k (x - mu_k)^T Sigma_k^{-1} (x - mu_k) + log|Sigma_k|``, the rule whose
        labels the LA-SDP relaxes (no mixing proportions: labels are parameters).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples, with the features seen in :term:`fit`.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            Index of the cluster of smallest likelihood-rule cost for each sample.
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype=[np.float64, np.float32], reset=False)
        return self._likelihood_labels(np.asarray(X, dtype=np.float64))
