"""Returning to Python for Ctrl-C costs nothing measurable (issue 15).

Claim: the engine's solves run in bounded kernel calls (``_engine/_interrupt.py``) so a
KeyboardInterrupt is raised within about ``CHUNK_SECONDS``; the rows of
``bench_lasso.py`` (dense alpha_max/20 and /100) and a logistic fit take the same time
with the chunking on and off (off: one kernel call, as before). Interleaved runs, median.

Run: ``python benchmarks/bench_interrupt.py [--repeat 7]``.
"""

import argparse
import warnings

import _common  # noqa: F401  (pins threads before numpy loads BLAS)
import numpy as np
from _common import ar_design, interleaved_timings, print_table

from sparsestat._engine import _interrupt
from sparsestat.linear_model import Lasso, SparseLogisticRegression

warnings.filterwarnings("ignore")


def chunked(fit, on):
    def run():
        saved = _interrupt.FIRST_CHUNK
        _interrupt.FIRST_CHUNK = saved if on else 10 ** 9
        try:
            return fit()
        finally:
            _interrupt.FIRST_CHUNK = saved
    return run


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    n, p = 1000, 5000
    X = ar_design(n, p, 0.6, rng)
    w = np.zeros(p)
    w[rng.choice(p, 50, replace=False)] = rng.standard_normal(50)
    y = X @ w + 0.5 * rng.standard_normal(n)
    amax = np.max(np.abs(X.T @ (y - y.mean()))) / n
    Xl = rng.standard_normal((2000, 500))
    yl = (Xl[:, :10].sum(axis=1) + rng.standard_normal(2000) > 0).astype(int)
    problems = {
        "Lasso dense 1000x5000 alpha_max/20":
            lambda: Lasso(alpha=amax / 20, tol=1e-6, max_iter=10000).fit(X, y).coef_,
        "Lasso dense 1000x5000 alpha_max/100":
            lambda: Lasso(alpha=amax / 100, tol=1e-6, max_iter=10000).fit(X, y).coef_,
        "SparseLogisticRegression 2000x500 alpha=1e-3":
            lambda: SparseLogisticRegression(alpha=1e-3, tol=1e-8, max_iter=10000)
            .fit(Xl, yl).coef_,
    }
    columns = ["problem", "chunked s", "one call s", "ratio", "max |coef diff|"]
    rows = []
    for name, fit in problems.items():
        res = interleaved_timings({"chunked (now)": chunked(fit, True),
                                   "one call (before)": chunked(fit, False)},
                                  repeat=args.repeat)
        on, off = np.median(res["chunked (now)"][0]), np.median(res["one call (before)"][0])
        diff = np.max(np.abs(np.asarray(res["chunked (now)"][1])
                             - np.asarray(res["one call (before)"][1])))
        rows.append(dict(zip(columns, [name, f"{on:.4f}", f"{off:.4f}", f"{on / off:.3f}",
                                       f"{diff:.1e}"])))
    print_table(rows, columns)


if __name__ == "__main__":
    main()
