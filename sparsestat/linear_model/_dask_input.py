"""dask collections in, statistics out: blockwise moments tree-reduced on the cluster.

Imported only when an input already is a dask collection (so dask is already imported);
``import sparsestat`` never imports this module's dask dependencies.
"""

import numpy as np
from sklearn.utils.validation import _check_feature_names, check_array, check_is_fitted

from .._engine._sufficient_stats import block_moments, empty_moments, merge_moments
from ..utils._dask import is_dask_collection
from ._sufficient_statistics import SufficientStatistics, check_out_of_core_features

__all__ = ["dask_statistics", "dask_predict", "row_block_folds", "set_input_features"]

_TREE_FANIN = 8


def _as_numpy_block(block, what):
    """A pandas / numpy / scipy.sparse block as an array the engine takes."""
    if hasattr(block, "to_numpy") and not hasattr(block, "tocsr"):
        block = block.to_numpy()
    return block


def _block_fold_moments(Xb, yb, wb, offset, bounds, labels, n_groups):
    """Moments of every fold's rows within one block: a list of ``n_groups`` tuples.

    Rows are assigned to folds by ``bounds`` (contiguous folds: row ``offset + i`` is in
    fold ``searchsorted(bounds, ., "right")``) or by the block's slice of ``labels``.
    """
    Xb = check_array(_as_numpy_block(Xb, "X"), accept_sparse=["csr", "csc"],
                     dtype=[np.float64, np.float32], ensure_min_samples=0)
    yb = np.asarray(_as_numpy_block(yb, "y"), dtype=np.float64)
    if yb.ndim == 2 and yb.shape[1] == 1:
        yb = yb[:, 0]
    yb = check_array(yb, ensure_2d=False, dtype=np.float64, ensure_min_samples=0)
    if yb.ndim != 1:
        raise ValueError(f"y must be 1-d for a fit from accumulated statistics, got a "
                         f"block of shape {yb.shape}.")
    n = Xb.shape[0]
    if yb.shape[0] != n:
        raise ValueError(f"X and y blocks have {n} and {yb.shape[0]} rows: partition y "
                         "(and sample_weight) like X.")
    if wb is not None:
        wb = np.asarray(_as_numpy_block(wb, "sample_weight"), dtype=np.float64).ravel()
        if wb.shape[0] != n:
            raise ValueError(f"sample_weight block has {wb.shape[0]} rows, X {n}.")
        if not np.all(np.isfinite(wb)) or np.any(wb < 0):
            raise ValueError("sample_weight must be finite and nonnegative.")
    p = Xb.shape[1]
    if n_groups == 1:
        return [block_moments(Xb, yb, wb)]
    if labels is None:
        lab = np.searchsorted(bounds, np.arange(offset, offset + n), side="right")
    else:
        lab = np.asarray(labels)
    out = []
    for k in range(n_groups):
        idx = np.flatnonzero(lab == k)
        if idx.size == 0:
            out.append(empty_moments(p))
            continue
        rows = slice(idx[0], idx[-1] + 1) if idx[-1] - idx[0] + 1 == idx.size else idx
        out.append(block_moments(Xb[rows], yb[rows], None if wb is None else wb[rows]))
    return out


def _merge_lists(parts):
    out = parts[0]
    for other in parts[1:]:
        out = [merge_moments(a, b) for a, b in zip(out, other)]
    return out


def _dask_blocks(X, y, sample_weight):
    """Row blocks of ``X, y, sample_weight`` as lists of delayed objects, plus row counts.

    Returns ``(X_blocks, y_blocks, w_blocks, lengths, n_features, meta)``; ``lengths`` may
    hold NaN for unknown partition sizes; ``meta`` is an empty pandas frame (for the
    feature names) or None.
    """
    import dask.array as da

    meta = None
    if hasattr(X, "columns") and hasattr(X, "to_dask_array"):  # dask DataFrame
        meta = X._meta
        X = X.to_dask_array()
    elif hasattr(X, "to_dask_array"):
        raise ValueError("X must be 2-d: a dask array or DataFrame, not a Series.")
    if not isinstance(X, da.Array):
        raise TypeError(f"X must be a dask array or dask DataFrame, got {type(X).__name__}.")
    if X.ndim != 2:
        raise ValueError(f"Expected a 2-d X, got a dask array of shape {X.shape}.")
    if X.numblocks[1] > 1:
        X = X.rechunk({1: -1})  # whole rows in each block: the statistics are p x p
    n_features = int(X.shape[1])
    row_chunks = X.chunks[0]
    known = not any(np.isnan(c) for c in row_chunks)

    def rows_like_X(v, name):
        if v is None:
            return None
        if hasattr(v, "to_dask_array"):
            v = v.to_dask_array()
        if not is_dask_collection(v):
            v = np.asarray(v)
            if not known:
                raise ValueError(f"{name} is in memory but X's partition sizes are unknown: "
                                 f"give {name} as a dask collection partitioned like X.")
            if v.shape[0] != X.shape[0]:
                raise ValueError(f"Found input variables with inconsistent numbers of "
                                 f"samples: [{X.shape[0]}, {v.shape[0]}]")
            v = da.from_array(v, chunks=(row_chunks,) + v.shape[1:])
        if v.ndim == 2 and v.numblocks[1] > 1:
            v = v.rechunk({1: -1})
        if known and not any(np.isnan(c) for c in v.chunks[0]):
            if v.shape[0] != X.shape[0]:
                raise ValueError(f"Found input variables with inconsistent numbers of "
                                 f"samples: [{X.shape[0]}, {v.shape[0]}]")
            if v.chunks[0] != row_chunks:
                v = v.rechunk({0: row_chunks})
        elif v.numblocks[0] != X.numblocks[0]:
            raise ValueError(f"{name} has {v.numblocks[0]} partitions, X {X.numblocks[0]}, "
                             "and their sizes are unknown: partition them alike.")
        return v.to_delayed().ravel().tolist()

    x_blocks = X.to_delayed().ravel().tolist()
    y_blocks = rows_like_X(y, "y")
    w_blocks = rows_like_X(sample_weight, "sample_weight")
    return x_blocks, y_blocks, w_blocks, list(row_chunks), n_features, meta


def dask_statistics(X, y, sample_weight=None, *, bounds=None, labels=None, n_groups=1):
    """Statistics of a dask collection, one :class:`SufficientStatistics` per group, one pass.

    ``bounds`` (contiguous row groups) or ``labels`` (a group label per row) split the
    rows into ``n_groups``; without them there is one group. Each block's moments are
    computed where the block lives, then merged up a tree of fan-in 8 on the cluster.
    """
    import dask

    x_blocks, y_blocks, w_blocks, lengths, p, _ = _dask_blocks(X, y, sample_weight)
    check_out_of_core_features(p)
    if y_blocks is None:
        raise ValueError("y is required.")
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]]) if lengths else []
    if n_groups > 1 and labels is None and np.any(np.isnan(offsets)):
        raise ValueError("row-block folds need X's partition sizes: compute them first "
                         "(dask array: X.compute_chunk_sizes()).")
    fn = dask.delayed(_block_fold_moments, pure=True)
    parts = []
    for i, xb in enumerate(x_blocks):
        lab = None
        if labels is not None:
            lab = labels[int(offsets[i]): int(offsets[i] + lengths[i])]
        parts.append(fn(xb, y_blocks[i], None if w_blocks is None else w_blocks[i],
                        int(offsets[i]) if n_groups > 1 and labels is None else 0,
                        bounds, lab, n_groups))
    merge = dask.delayed(_merge_lists, pure=True)
    while len(parts) > 1:
        parts = [merge(parts[i:i + _TREE_FANIN]) for i in range(0, len(parts), _TREE_FANIN)]
    (moments,) = dask.compute(parts[0])
    stats = [SufficientStatistics._from_moments(m) for m in moments]
    for s in stats:
        _check_finite_stats(s)
    return stats


def _check_finite_stats(stats):
    if not (np.isfinite(stats.weight_sum) and np.isfinite(stats.yy_centered)
            and np.all(np.isfinite(stats.xx_centered)) and np.all(np.isfinite(stats.x_mean))):
        raise ValueError("Input contains NaN, infinity or a value too large for float64 "
                         "(found in the accumulated statistics).")


def set_input_features(estimator, X, n_features):
    """``n_features_in_`` / ``feature_names_in_`` from a dask collection or statistics."""
    meta = getattr(X, "_meta", None)
    if meta is not None and hasattr(meta, "columns"):
        _check_feature_names(estimator, meta, reset=True)
    elif hasattr(estimator, "feature_names_in_"):
        del estimator.feature_names_in_
    estimator.n_features_in_ = int(n_features)


def _predict_block(block, estimator):
    return estimator._decision_function(block)


def _predict_partition(frame, estimator):
    import pandas as pd

    return pd.Series(estimator._decision_function(frame), index=frame.index)


def dask_predict(estimator, X):
    """Blockwise ``predict`` of a fitted linear model on a dask array or DataFrame."""
    check_is_fitted(estimator)
    if hasattr(X, "map_partitions") and hasattr(X, "columns"):
        return X.map_partitions(_predict_partition, estimator, meta=(None, "f8"))
    if getattr(X, "ndim", None) != 2:
        raise ValueError(f"Expected a 2-d dask array, got {type(X).__name__} of "
                         f"{getattr(X, 'ndim', '?')} dimensions.")
    if X.shape[1] != estimator.n_features_in_:
        raise ValueError(f"X has {X.shape[1]} features, but {type(estimator).__name__} is "
                         f"expecting {estimator.n_features_in_} features as input.")
    if X.numblocks[1] > 1:
        X = X.rechunk({1: -1})
    return X.map_blocks(_predict_block, estimator, drop_axis=1, dtype=np.float64)


def row_block_folds(cv, n_samples):
    """``(bounds, labels, n_folds)``: contiguous folds as bounds when the splitter is KFold.

    ``None``, an int or a ``KFold`` without shuffling give scikit-learn's contiguous
    folds (no index arrays are built); any other splitter is run on the row positions
    and must give disjoint test folds whose training sets are their complements.
    """
    from sklearn.model_selection import KFold, check_cv

    if cv is None or isinstance(cv, (int, np.integer)) or (
            isinstance(cv, KFold) and not cv.shuffle):
        k = 5 if cv is None else (int(cv) if not isinstance(cv, KFold) else cv.n_splits)
        if k < 2 or k > n_samples:
            raise ValueError(f"Cannot have number of splits n_splits={k} greater than the "
                             f"number of samples: n_samples={n_samples}, or fewer than 2.")
        sizes = np.full(k, n_samples // k)
        sizes[: n_samples % k] += 1
        return np.cumsum(sizes)[:-1], None, k
    splitter = check_cv(cv)
    labels = np.full(n_samples, -1, dtype=np.int64)
    splits = list(splitter.split(np.broadcast_to(np.float64(0.0), (n_samples, 1))))
    for k, (train, test) in enumerate(splits):
        if np.any(labels[test] >= 0):
            raise ValueError("Fitting a dask collection by row-block folds needs disjoint "
                             "test folds (KFold-like splitters); this cv reuses rows.")
        labels[test] = k
        if train.size + test.size != n_samples:
            raise ValueError("Fitting a dask collection by row-block folds needs each "
                             "training set to be the complement of its test fold.")
    n_folds = len(splits)
    labels[labels < 0] = n_folds  # rows in no test fold: in every training set
    return None, labels, n_folds
