"""Helpers shared by the benchmark scripts: thread pinning, interleaved timing, gaps."""

import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
os.environ.setdefault("NUMBA_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

threadpool_limits(limits=1)


def interleaved_timings(contenders, repeat=3):
    """Run ``{name: callable}`` A B C A B C ...; return ``{name: (times, last_result)}``."""
    out = {name: ([], None) for name in contenders}
    for _ in range(repeat):
        for name, fn in contenders.items():
            start = time.perf_counter()
            result = fn()
            elapsed = time.perf_counter() - start
            times, _ = out[name]
            out[name] = (times + [elapsed], result)
    return out


def lasso_gap(X, y, coef, alpha, intercept=0.0):
    """Duality gap of ``1/(2n)||y - Xw - b||^2 + alpha ||w||_1``, relative to ||y||^2/n."""
    n = X.shape[0]
    r = y - X @ coef - intercept
    xtr = np.asarray(X.T @ r).ravel() / n
    scale = min(1.0, alpha / max(np.abs(xtr).max(), 1e-300))
    theta = r * scale
    primal = 0.5 * (r @ r) / n + alpha * np.abs(coef).sum()
    dual = 0.5 * (y @ y) / n - 0.5 * ((y - theta) @ (y - theta)) / n
    return (primal - dual) / ((y @ y) / n)


def ar_design(n, p, rho, rng):
    """Gaussian rows with AR(1) correlation ``rho**|i-j|`` between columns."""
    X = np.empty((n, p))
    X[:, 0] = rng.standard_normal(n)
    scale = np.sqrt(1 - rho ** 2)
    for j in range(1, p):
        X[:, j] = rho * X[:, j - 1] + scale * rng.standard_normal(n)
    return np.asfortranarray(X)


def print_table(rows, columns):
    widths = [max(len(str(c)), *(len(f"{r[c]}") for r in rows)) for c in columns]
    line = "  ".join(f"{c:<{w}}" for c, w in zip(columns, widths))
    print(line)
    print("-" * len(line))
    for r in rows:
        print("  ".join(f"{str(r[c]):<{w}}" for c, w in zip(columns, widths)))
