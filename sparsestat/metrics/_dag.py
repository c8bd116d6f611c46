"""Accuracy of an estimated DAG against the true one (NOTEARS definitions)."""

import numpy as np

__all__ = ["dag_metrics"]


def _as_square_bool(B, name):
    B = np.asarray(B)
    if B.ndim != 2 or B.shape[0] != B.shape[1]:
        raise ValueError(f"{name} must be a square matrix, got shape {B.shape}.")
    if B.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be numeric or boolean, got dtype {B.dtype}.")
    if B.dtype.kind == "f" and not np.all(np.isfinite(B)):
        raise ValueError(f"{name} contains NaN or infinity.")
    return B != 0


def dag_metrics(B_true, B_est):
    """Structural accuracy of an estimated graph, as defined in NOTEARS' ``count_accuracy``.

    Both graphs are read as directed: a nonzero ``B[i, j]`` is an edge ``i -> j`` (weighted
    matrices are fine; the diagonal must be zero). With ``E`` the estimated edges:

    * ``tp``: edges of ``E`` present in the truth with the same direction;
    * ``reverse``: edges of ``E`` present in the truth in the other direction;
    * ``fp``: edges of ``E`` absent from the truth's skeleton;
    * ``fdr = (reverse + fp) / max(|E|, 1)``; ``tpr = tp / max(n_true, 1)``;
      ``fpr = (reverse + fp) / max(d (d - 1) / 2 - n_true, 1)``;
    * ``shd = extra + missing + reverse`` where ``extra`` and ``missing`` compare the
      skeletons (a reversed edge counts once);
    * ``nshd = shd / d`` (normalized SHD).

    Parameters
    ----------
    B_true : array-like of shape (d, d)
        The true DAG.
    B_est : array-like of shape (d, d)
        The estimated graph (usually a DAG).

    Returns
    -------
    metrics : dict
        Keys ``shd``, ``nshd``, ``tpr``, ``fdr``, ``fpr``, ``nnz`` (number of estimated
        edges), ``tp``, ``fp``, ``reverse``, ``extra``, ``missing`` (skeleton counts).

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.metrics import dag_metrics
    >>> B = np.array([[0, 1, 0], [0, 0, 1], [0, 0, 0]])
    >>> E = np.array([[0, 1, 0], [0, 0, 0], [0, 1, 0]])  # 1 -> 2 reversed
    >>> m = dag_metrics(B, E)
    >>> m["shd"], m["tpr"], m["fdr"]
    (1, 0.5, 0.5)
    """
    T = _as_square_bool(B_true, "B_true")
    E = _as_square_bool(B_est, "B_est")
    if T.shape != E.shape:
        raise ValueError(f"B_true has shape {T.shape} but B_est has shape {E.shape}.")
    if np.any(np.diag(T)) or np.any(np.diag(E)):
        raise ValueError("Graphs must have no self-loops (nonzero diagonal found).")
    d = T.shape[0]
    n_true = int(T.sum())
    nnz = int(E.sum())
    tp = int((E & T).sum())
    reverse = int((E & ~T & T.T).sum())
    skeleton_true = T | T.T
    fp = int((E & ~skeleton_true).sum())
    iu = np.triu_indices(d, k=1)
    sk_est = (E | E.T)[iu]
    sk_true = skeleton_true[iu]
    extra = int((sk_est & ~sk_true).sum())
    missing = int((sk_true & ~sk_est).sum())
    shd = extra + missing + reverse
    cond_neg = 0.5 * d * (d - 1) - n_true
    return {
        "shd": shd,
        "nshd": shd / d,
        "tpr": tp / max(n_true, 1),
        "fdr": (reverse + fp) / max(nnz, 1),
        "fpr": (reverse + fp) / max(cond_neg, 1),
        "nnz": nnz,
        "tp": tp,
        "fp": fp,
        "reverse": reverse,
        "extra": extra,
        "missing": missing,
    }
