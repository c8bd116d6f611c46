"""MLP speed claims: dense fit on digits vs scikit-learn; CSR vs dense inference.

1. SparseMLPClassifier((100,)) vs sklearn MLPClassifier((100,)), adam, same epochs
   (tol=0 so both run all of them), MinMax-scaled digits, one BLAS thread.
2. One (1024, 1024) layer at 90% sparsity, batch 1: our CSR kernel vs the dense
   ``x @ W`` (numpy/BLAS) and vs scipy.sparse.
3. GPU (numba.cuda) vs CPU: printed only when numba finds a real CUDA GPU.

Run: python benchmarks/bench_mlp.py
"""

import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import interleaved_timings  # noqa: E402

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.neural_network import MLPClassifier  # noqa: E402
from sklearn.preprocessing import MinMaxScaler  # noqa: E402

from sparsestat._engine.families._mlp import csr_forward_layer  # noqa: E402
from sparsestat.nn import SparseMLPClassifier  # noqa: E402
from sparsestat.nn._device import cuda_status  # noqa: E402

warnings.simplefilter("ignore", ConvergenceWarning)


def fit_table(epochs=100, repeat=3):
    X, y = load_digits(return_X_y=True)
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)
    sc = MinMaxScaler().fit(Xtr)
    Xtr, Xte = sc.transform(Xtr), sc.transform(Xte)
    kw = dict(hidden_layer_sizes=(100,), max_iter=epochs, tol=0.0, random_state=0)
    SparseMLPClassifier(**{**kw, "max_iter": 1}, device="cpu").fit(Xtr, ytr)  # warm up
    res = interleaved_timings({
        "ours": lambda: SparseMLPClassifier(**kw, device="cpu").fit(Xtr, ytr),
        "sklearn": lambda: MLPClassifier(**kw).fit(Xtr, ytr),
    }, repeat=repeat)
    t_o, m_o = res["ours"]
    t_s, m_s = res["sklearn"]
    ratios = [s / o for o, s in zip(t_o, t_s)]
    print(f"\nDense fit, digits, MLP (100,), adam, {epochs} epochs, 1 thread "
          f"(median of {repeat}, interleaved)")
    print(f"{'contender':<22}{'median s':>10}{'min s':>10}{'test acc':>10}")
    print(f"{'sparsestat':<22}{np.median(t_o):>10.3f}{min(t_o):>10.3f}"
          f"{m_o.score(Xte, yte):>10.4f}")
    print(f"{'sklearn MLPClassifier':<22}{np.median(t_s):>10.3f}{min(t_s):>10.3f}"
          f"{m_s.score(Xte, yte):>10.4f}")
    print(f"speedup (sklearn / ours), median of pairs: {np.median(ratios):.2f}x")
    return np.median(ratios)


def csr_table(n=1024, sparsity=0.9, repeat=5, inner=2000):
    rng = np.random.default_rng(0)
    W = rng.standard_normal((n, n))
    W[rng.random((n, n)) < sparsity] = 0.0
    b = np.zeros(n)
    x = rng.standard_normal((1, n))
    csr = sp.csr_matrix(W.T)
    indptr, indices, data = (csr.indptr.astype(np.uint64), csr.indices.astype(np.uint32),
                             csr.data)
    Wt_sp = sp.csr_matrix(W.T)
    csr_forward_layer(x, indptr, indices, data, b, -1)

    def loop(fn):
        def run():
            for _ in range(inner):
                fn()
        return run

    res = interleaved_timings({
        "ours CSR": loop(lambda: csr_forward_layer(x, indptr, indices, data, b, -1)),
        "dense x @ W": loop(lambda: x @ W + b),
        "scipy CSR": loop(lambda: (Wt_sp @ x.T).T + b),
    }, repeat=repeat)
    out = csr_forward_layer(x, indptr, indices, data, b, -1)
    assert np.allclose(out, x @ W + b)
    print(f"\nInference, one ({n}, {n}) layer at {sparsity:.0%} sparsity, batch 1 "
          f"(median of {repeat} x {inner} calls)")
    print(f"{'contender':<16}{'us / call':>12}{'vs ours':>10}")
    base = np.median(res["ours CSR"][0]) / inner * 1e6
    for name, (t, _) in res.items():
        us = np.median(t) / inner * 1e6
        print(f"{name:<16}{us:>12.1f}{us / base:>10.2f}")
    return np.median(res["dense x @ W"][0]) / np.median(res["ours CSR"][0])


def gpu_table():
    available, simulated = cuda_status()
    if not available or simulated:
        print("\nGPU: numba.cuda finds no CUDA GPU on this machine; GPU figures skipped.")
        return
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    for device in ("cpu", "cuda"):
        clf = SparseMLPClassifier((256,), max_iter=5, tol=0.0, random_state=0, device=device)
        clf.fit(X, y)
        t0 = time.perf_counter()
        clf.fit(X, y)
        print(f"GPU table: device={device:<5} 5 epochs {time.perf_counter() - t0:.3f} s")


if __name__ == "__main__":
    fit_table()
    csr_table()
    gpu_table()
