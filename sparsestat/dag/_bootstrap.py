"""Edge stability of a DAG learner over bootstrap resamples, fitted in parallel."""

import numbers

import numpy as np
from joblib import Parallel
from sklearn.base import clone
from sklearn.utils import _safe_indexing, check_random_state
from sklearn.utils.validation import check_array

from ..utils._parallel import delayed
from ..utils._progress import progress

__all__ = ["bootstrap_edge_frequency"]


def _fit_adjacency(estimator, X, indices):
    fitted = estimator.fit(_safe_indexing(X, indices))
    return np.asarray(fitted.adjacency_, dtype=bool)


def bootstrap_edge_frequency(estimator, X, *, n_resamples=50, n_jobs=None,
                             random_state=None, verbose=0):
    """How often each edge appears when the DAG is learned again on bootstrap resamples.

    Clones ``estimator``, fits it on ``n_resamples`` resamples of the rows of X (drawn with
    replacement) and averages the fitted ``adjacency_``. The fits run through joblib:
    threads by default (the CoLiDE kernel releases the GIL), or whatever backend is active,
    e.g. on a dask cluster::

        from dask.distributed import Client
        from joblib import parallel_config
        with Client(), parallel_config(backend="dask"):
            freq = bootstrap_edge_frequency(CoLiDE(), X, n_jobs=-1)

    Parameters
    ----------
    estimator : estimator object
        Unfitted DAG learner with a fitted attribute ``adjacency_`` (e.g. :class:`CoLiDE`).
    X : array-like or DataFrame of shape (n_samples, n_features)
        Observations of the nodes; resampled by rows, never modified.
    n_resamples : int, default=50
        Number of bootstrap resamples (and of fits).
    n_jobs : int, default=None
        Parallel fits (``None`` means 1 unless in a joblib ``parallel_config`` context;
        ``-1`` means all workers).
    random_state : int, RandomState instance or None, default=None
        Seeds the resampling.
    verbose : int, default=0
        Progress over the resamples (scikit-learn's meaning): 0 silent; 1 a progress
        bar (tqdm, if installed; about ten lines otherwise); 2 a line per fit. Standard
        error; the result does not depend on it. The estimator's own ``verbose`` is
        left as given.

    Returns
    -------
    frequency : ndarray of shape (n_features, n_features)
        Fraction of resamples whose DAG has the edge ``i -> j``.

    Examples
    --------
    >>> from sparsestat.dag import CoLiDE, bootstrap_edge_frequency
    >>> from sparsestat.datasets import make_dag, make_linear_sem
    >>> B = make_dag(5, 4, random_state=0)
    >>> X, _ = make_linear_sem(B, 300, random_state=0)
    >>> freq = bootstrap_edge_frequency(CoLiDE(), X, n_resamples=4, random_state=0)
    >>> freq.shape
    (5, 5)
    """
    if not isinstance(n_resamples, numbers.Integral) or n_resamples < 1:
        raise ValueError(f"n_resamples must be a positive integer, got {n_resamples!r}.")
    if not hasattr(estimator, "fit"):
        raise TypeError(f"estimator must have a fit method, got {type(estimator).__name__}.")
    if not hasattr(X, "iloc"):
        X = check_array(X, dtype=np.float64, ensure_min_samples=2, ensure_min_features=2)
    n = X.shape[0]
    rng = check_random_state(random_state)
    if not isinstance(verbose, numbers.Integral) or verbose < 0:
        raise ValueError(f"verbose must be a non-negative integer, got {verbose!r}.")
    draws = [rng.randint(0, n, size=n) for _ in range(n_resamples)]
    task = delayed(_fit_adjacency)  # here: warnings of the fits name the caller's line
    adjacencies = list(progress(
        Parallel(n_jobs=n_jobs, prefer="threads", return_as="generator")(
            task(clone(estimator), X, idx) for idx in draws),
        verbose, "bootstrap_edge_frequency: fits", total=n_resamples))
    return np.mean(np.stack(adjacencies).astype(np.float64), axis=0)
