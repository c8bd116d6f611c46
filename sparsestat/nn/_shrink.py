"""Make pruned networks really smaller and faster: ``shrink``, CSR inference, a report."""

import copy
import time

import numpy as np
import scipy.sparse as sp

from .._engine.families._mlp import ACTIVATIONS, OUTPUTS, csr_forward_layer, forward, output_activation

__all__ = ["shrink", "SparseNetwork", "pruning_report"]


def _act_value(x, name):
    if name == "logistic":
        return 1.0 / (1.0 + np.exp(-x))
    if name == "tanh":
        return np.tanh(x)
    if name == "relu":
        return np.maximum(x, 0.0)
    return x


def _effective(mlp):
    masks = getattr(mlp, "masks_", None)
    coefs = [np.asarray(c, dtype=np.float64) for c in mlp.coefs_]
    if masks is not None:
        coefs = [c * m for c, m in zip(coefs, masks)]
    return coefs, [np.asarray(b, dtype=np.float64).copy() for b in mlp.intercepts_]


def shrink(mlp):
    """Remove dead hidden units physically; predictions are unchanged.

    A hidden unit whose incoming weights are all zero outputs the constant
    ``act(b_j)``: its contribution ``act(b_j) * coefs_[l+1][j]`` is folded into the
    next layer's biases and the unit is removed (its column of ``coefs_[l]``, its bias
    and its row of ``coefs_[l+1]``). A unit whose outgoing weights are all zero is
    removed too. Repeats until nothing changes. A layer keeps at least one unit.

    Parameters
    ----------
    mlp : fitted MLP estimator
        :class:`SparseMLPClassifier`, :class:`SparseMLPRegressor` or scikit-learn's
        ``MLPClassifier`` / ``MLPRegressor``.

    Returns
    -------
    small : estimator
        A deep copy with smaller ``coefs_`` / ``intercepts_`` (and ``masks_``) and
        ``hidden_layer_sizes`` updated.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.neural_network import MLPRegressor
    >>> from sparsestat.nn import shrink
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((50, 3)); y = X[:, 0]
    >>> mlp = MLPRegressor(hidden_layer_sizes=(6,), max_iter=50, random_state=0).fit(X, y)
    >>> mlp.coefs_[0][:, :2] = 0.0
    >>> small = shrink(mlp)
    >>> small.coefs_[0].shape, bool(np.allclose(small.predict(X), mlp.predict(X)))
    ((3, 4), True)
    """
    if not hasattr(mlp, "coefs_"):
        raise ValueError(f"shrink needs a fitted MLP; {type(mlp).__name__} has no coefs_.")
    coefs, icpts = _effective(mlp)
    act = mlp.activation
    changed = True
    while changed:
        changed = False
        for l in range(len(coefs) - 1):
            W, Wn = coefs[l], coefs[l + 1]
            dead_in = ~np.any(W != 0, axis=0)
            dead_out = ~np.any(Wn != 0, axis=1)
            remove = dead_in | dead_out
            if remove.all():
                remove[np.argmax(~dead_in if (~dead_in).any() else np.ones_like(dead_in))] = False
            if not remove.any():
                continue
            const = remove & dead_in
            if const.any():
                icpts[l + 1] = icpts[l + 1] + _act_value(icpts[l][const], act) @ Wn[const]
            keep = ~remove
            if keep.sum() == 1 and dead_in[keep].all():
                # the last unit is constant: fold it too and zero it out
                icpts[l + 1] = icpts[l + 1] + _act_value(icpts[l][keep], act) @ Wn[keep]
                Wn = Wn.copy()
                Wn[keep] = 0.0
            changed = changed or W.shape[1] != int(keep.sum())
            coefs[l] = W[:, keep]
            icpts[l] = icpts[l][keep]
            coefs[l + 1] = Wn[keep]
    out = copy.deepcopy(mlp)
    out.coefs_ = [c.astype(np.asarray(o).dtype) for c, o in zip(coefs, mlp.coefs_)]
    out.intercepts_ = [b.astype(np.asarray(o).dtype) for b, o in zip(icpts, mlp.intercepts_)]
    if hasattr(out, "masks_"):
        out.masks_ = [c != 0 for c in coefs]
    out.hidden_layer_sizes = tuple(c.shape[1] for c in coefs[:-1])
    return out


class SparseNetwork:
    """CSR inference for a pruned MLP: only the nonzero weights are stored and used.

    Each layer keeps ``coefs_[l].T`` in CSR (one row per output unit) and runs a
    compiled sparse kernel, so a layer at density ``d`` costs about ``d`` of the dense
    work and memory.

    Parameters
    ----------
    mlp : fitted MLP estimator
        :class:`SparseMLPClassifier`, :class:`SparseMLPRegressor` or scikit-learn's
        ``MLPClassifier`` / ``MLPRegressor``, usually pruned (its ``masks_`` are
        applied) and shrunk (:func:`shrink`). It is not modified.

    Attributes
    ----------
    layers : list of (indptr, indices, data, bias)
        ``indptr`` uint64, ``indices`` uint32 (unsigned: faster gathers in numba).
    n_params : int
        Stored weights and biases.
    nbytes : int
        Memory held by ``layers``, in bytes.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.neural_network import MLPRegressor
    >>> from sparsestat.nn import MagnitudePruner, SparseNetwork
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((50, 3)); y = X[:, 0]
    >>> dense = MLPRegressor(hidden_layer_sizes=(16,), max_iter=50, random_state=0)
    >>> mlp = MagnitudePruner(0.8).fit(dense.fit(X, y)).estimator_
    >>> net = SparseNetwork(mlp)
    >>> bool(np.allclose(net.predict(X), mlp.predict(X)))
    True
    """

    def __init__(self, mlp):
        coefs, icpts = _effective(mlp)
        self.layers = []
        for W, b in zip(coefs, icpts):
            csr = sp.csr_matrix(W.T)
            csr.sort_indices()
            self.layers.append((csr.indptr.astype(np.uint64), csr.indices.astype(np.uint32),
                                csr.data.astype(np.float64), b))
        self.activation = mlp.activation
        self.out_activation = mlp.out_activation_
        self.classes_ = getattr(mlp, "classes_", None)
        self._y_1d = getattr(mlp, "_y_1d", getattr(mlp, "n_outputs_", 1) == 1)
        self.n_params = int(sum(layer[2].size + layer[3].size for layer in self.layers))
        self.nbytes = int(sum(a.nbytes for layer in self.layers for a in layer))

    def forward(self, X):
        """Output activations (probabilities for classifiers) for ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        P : ndarray of shape (n_samples, n_outputs)
            Output layer after its activation (identity, logistic or softmax).
        """
        A = np.ascontiguousarray(X, dtype=np.float64)
        last = len(self.layers) - 1
        hidden = ACTIVATIONS[self.activation]
        for l, (indptr, indices, data, b) in enumerate(self.layers):
            A = csr_forward_layer(A, indptr, indices, data, b, -1 if l == last else hidden)
        output_activation(A, OUTPUTS.get(self.out_activation, 0))
        return A

    def predict(self, X):
        """Predictions (classes for a classifier, values for a regressor).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            What the MLP's ``predict`` returns: class labels (an indicator matrix for
            multilabel), or values.
        """
        P = self.forward(X)
        if self.classes_ is None:
            return P.ravel() if P.shape[1] == 1 else P
        if P.shape[1] == 1:
            return self.classes_[(P[:, 0] > 0.5).astype(int)]
        if self.out_activation == "logistic":  # multilabel
            return (P > 0.5).astype(int)
        return self.classes_[np.argmax(P, axis=1)]


def pruning_report(mlp, X, *, n_repeats=20):
    """Real size and inference time of a (pruned) MLP: dense, shrunk, shrunk CSR.

    Three forms of the same function: the dense masked network, the network after
    :func:`shrink` (dense matrices, dead units removed: the right form for unit
    pruning), and the shrunk network in CSR (:class:`SparseNetwork`: the right form for
    unstructured sparsity on large layers). Timings are interleaved medians.

    Parameters
    ----------
    mlp : fitted MLP estimator
        :class:`SparseMLPClassifier`, :class:`SparseMLPRegressor` or scikit-learn's
        ``MLPClassifier`` / ``MLPRegressor``, usually pruned; not modified.
    X : array-like of shape (n_samples, n_features)
        Inference batch used for timing.
    n_repeats : int, default=20
        Timing repeats (the median is reported).

    Returns
    -------
    report : dict
        ``dense_params``, ``nonzero_params``, ``shrunk_params``; ``dense_bytes``,
        ``shrunk_bytes``, ``sparse_bytes``; ``dense_time``, ``shrunk_time``,
        ``sparse_time`` (seconds per batch); ``speedup`` (dense / sparse),
        ``shrunk_speedup`` (dense / shrunk); ``hidden_units_before`` and
        ``hidden_units_after``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.neural_network import MLPRegressor
    >>> from sparsestat.nn import pruning_report
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((50, 3)); y = X[:, 0]
    >>> mlp = MLPRegressor(hidden_layer_sizes=(16,), max_iter=50, random_state=0).fit(X, y)
    >>> report = pruning_report(mlp, X[:1], n_repeats=3)
    >>> report["dense_params"]
    81
    """
    X = np.ascontiguousarray(X, dtype=np.float64)
    coefs, icpts = _effective(mlp)
    small = shrink(mlp)
    net = SparseNetwork(small)
    hid, out = ACTIVATIONS[mlp.activation], OUTPUTS.get(mlp.out_activation_, 0)

    def dense_fn(cs, bs):
        sizes = np.array([c.shape[0] for c in cs] + [cs[-1].shape[1]], dtype=np.int64)
        flat_w = np.concatenate([c.ravel() for c in cs])
        flat_b = np.concatenate(bs)
        return (lambda: forward(X, flat_w, flat_b, sizes, hid, out, sizes.size - 1)), \
            flat_w, flat_b

    dense, flat_w, flat_b = dense_fn(coefs, icpts)
    small_c, small_b = _effective(small)
    shrunk, small_w, small_bias = dense_fn(small_c, small_b)
    contenders = {"dense": dense, "shrunk": shrunk, "sparse": lambda: net.forward(X)}
    times = {name: [] for name in contenders}
    for fn in contenders.values():  # compile / warm up
        fn()
    for _ in range(n_repeats):
        for name, fn in contenders.items():
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    med = {name: float(np.median(t)) for name, t in times.items()}
    return {
        "dense_params": int(flat_w.size + flat_b.size),
        "nonzero_params": int(np.count_nonzero(flat_w) + flat_b.size),
        "shrunk_params": int(small_w.size + small_bias.size),
        "dense_bytes": int(flat_w.nbytes + flat_b.nbytes),
        "shrunk_bytes": int(small_w.nbytes + small_bias.nbytes),
        "sparse_bytes": net.nbytes,
        "dense_time": med["dense"],
        "shrunk_time": med["shrunk"],
        "sparse_time": med["sparse"],
        "speedup": med["dense"] / med["sparse"],
        "shrunk_speedup": med["dense"] / med["shrunk"],
        "hidden_units_before": [c.shape[1] for c in coefs[:-1]],
        "hidden_units_after": [c.shape[1] for c in small.coefs_[:-1]],
    }
