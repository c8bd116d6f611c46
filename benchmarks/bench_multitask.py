"""MultiTaskLasso speed against scikit-learn and skglm, at matched duality gaps.

Run: ``python benchmarks/bench_multitask.py [--quick]``. One BLAS / numba thread, every
contender warmed up first, runs interleaved, median of the repeats. The gap column is the
relative duality gap each solver reached (the same formula for all: scikit-learn's
multi-task gap divided by ``||Y||_F^2``), so times are compared at equal accuracy.
"""

import argparse
import warnings

import _common  # noqa: F401  (pins threads before numpy loads BLAS)
import numpy as np
from _common import ar_design, interleaved_timings, print_table
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import MultiTaskLasso as SkMultiTaskLasso

from sparsestat._engine._multitask import alpha_max_multitask
from sparsestat.linear_model import MultiTaskLasso

warnings.filterwarnings("ignore", category=ConvergenceWarning)

try:
    from skglm import MultiTaskLasso as SkglmMultiTaskLasso
except ImportError:  # pragma: no cover
    SkglmMultiTaskLasso = None

TOL = 1e-6


def multitask_gap(X, Y, W, alpha):
    """Relative duality gap of ``1/(2n)||Y - X W^T||^2 + alpha sum_j ||W[:, j]||``."""
    n = X.shape[0]
    R = Y - X @ W.T
    XtR = X.T @ R
    dual_norm = np.sqrt((XtR ** 2).sum(axis=1)).max()
    scale = min(1.0, alpha * n / max(dual_norm, 1e-300))
    primal = 0.5 * (R ** 2).sum() / n + alpha * np.sqrt((W ** 2).sum(axis=0)).sum()
    theta = R * scale
    dual = 0.5 * (Y ** 2).sum() / n - 0.5 * ((Y - theta) ** 2).sum() / n
    return (primal - dual) / ((Y ** 2).sum() / n)


def contenders(alpha):
    out = {
        "sparsestat": lambda X, Y: MultiTaskLasso(
            alpha, fit_intercept=False, tol=TOL, max_iter=100000).fit(X, Y).coef_,
        "scikit-learn": lambda X, Y: SkMultiTaskLasso(
            alpha, fit_intercept=False, tol=TOL, max_iter=100000).fit(X, Y).coef_,
    }
    if SkglmMultiTaskLasso is not None:
        # skglm's tol bounds the KKT violation, not the gap: compare the gap column
        out["skglm"] = lambda X, Y: SkglmMultiTaskLasso(
            alpha, fit_intercept=False, tol=1e-6, max_iter=100).fit(X, Y).coef_
    return out


TITLE = "MultiTaskLasso (``sparsestat.linear_model``)"
NOTES = ("scikit-learn and sparsestat at ``tol=1e-6`` (the same relative duality gap), "
         "skglm at ``tol=1e-6`` (a KKT bound). \"gap\": the relative duality gap each "
         "reached, by one formula for all. Ratios: scikit-learn's time over each one's.")


def rows(quick=False, repeat=5):
    """The table's rows (one per problem and contender), for ``run_all.py``."""
    rng = np.random.default_rng(0)
    problems = [(200, 1000, 10, 20), (1000, 200, 10, 10)]
    if not quick:
        problems.append((500, 5000, 20, 20))
    rows = []
    for n, p, T, ratio in problems:
        X = ar_design(n, p, 0.5, rng)
        W0 = np.zeros((T, p))
        support = rng.choice(p, 10, replace=False)
        W0[:, support] = rng.standard_normal((T, 10))
        Y = X @ W0.T + rng.standard_normal((n, T))
        alpha = alpha_max_multitask(X, Y, fit_intercept=False) / ratio
        fns = contenders(alpha)
        for fn in fns.values():  # compile / warm up on the real problem once
            fn(X, Y)
        timings = interleaved_timings({k: (lambda f=f: f(X, Y)) for k, f in fns.items()},
                                      repeat=repeat)
        base = np.median(timings["scikit-learn"][0])
        for name, (times, coef) in timings.items():
            med = float(np.median(times))
            rows.append({
                "problem": f"n={n} p={p} T={T} a_max/{ratio}", "solver": name,
                "time (s)": f"{med:.3f}", "vs scikit-learn": f"{base / med:.2f}x",
                "gap": f"{multitask_gap(X, Y, coef, alpha):.1e}",
                "nnz rows": int(np.count_nonzero(np.abs(coef).sum(axis=0))),
            })
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print_table(rows(args.quick, args.repeat), ["problem", "solver", "time (s)",
                                                "vs scikit-learn", "gap", "nnz rows"])


if __name__ == "__main__":
    main()
