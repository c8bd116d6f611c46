"""MCP / SCAD speed (vs our Lasso and skglm's MCP), Newton polish, support recovery.

Run: ``python benchmarks/bench_nonconvex.py [--quick]``. One BLAS / numba thread, all
contenders warmed up (skglm compiled) first, runs interleaved, median (and min) of the
repeats. Accuracy columns are computed by one formula for everybody: the objective and
the largest KKT violation (Clarke distance) relative to ``std(y)``.

1. Dense 1000 x 5000, AR(0.6) columns standardized, alpha = alpha_max / 20 and / 50:
   sparsestat Lasso, MCP, SCAD and skglm's ``MCPRegression`` with its KKT ``tol`` set to
   the absolute value our relative ``tol`` means, so both stop on the same criterion.
2. Newton polish: tight ``tol`` versus loose ``tol`` plus polish.
3. Support recovery (TPR, FDR) on random supports of AR(0.6) designs.
"""

import argparse
import os
import sys
import time
import warnings

import _common  # noqa: F401  (pins threads before numpy loads BLAS)
import numpy as np
from _common import ar_design, interleaved_timings, print_table

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "linear_model"))

from sparsestat._engine import L1, MCP, SCAD, alpha_max_l1  # noqa: E402
from sparsestat.linear_model import Lasso, MCPRegressor, SCADRegressor  # noqa: E402

warnings.filterwarnings("ignore")

try:
    from skglm import MCPRegression
except ImportError:  # pragma: no cover
    MCPRegression = None

TOL = 1e-6


def problem(n, p, seed=0):
    rng = np.random.default_rng(seed)
    X = ar_design(n, p, 0.6, rng)
    X = np.asfortranarray((X - X.mean(0)) / X.std(0))
    w = np.zeros(p)
    support = rng.choice(p, 50, replace=False)
    w[support] = rng.choice([-1, 1], 50) * rng.uniform(0.5, 2, 50)
    y = X @ w + rng.standard_normal(n)
    return X, y - y.mean()


def accuracy(X, y, coef, penalty):
    n = X.shape[0]
    r = y - X @ coef
    obj = 0.5 * r @ r / n + penalty.value(coef)
    kkt = penalty.subdiff_distance(coef, -X.T @ r / n).max() / y.std()
    return obj, kkt


def speed_table(X, y, factors, repeat):
    n = X.shape[0]
    amax = alpha_max_l1(X, y, fit_intercept=False)
    rows = []
    abs_tol = TOL * y.std()  # what our relative KKT tol means on unit columns
    for f in factors:
        alpha = amax / f
        cont = {
            "Lasso (ours)": lambda: Lasso(alpha, fit_intercept=False, tol=TOL,
                                          max_iter=100000).fit(X, y).coef_,
            "MCP (ours)": lambda: MCPRegressor(alpha, gamma=3.0, standardize=False,
                                               fit_intercept=False, tol=TOL,
                                               max_iter=100000).fit(X, y).coef_,
            "SCAD (ours)": lambda: SCADRegressor(alpha, gamma=3.7, standardize=False,
                                                 fit_intercept=False, tol=TOL,
                                                 max_iter=100000).fit(X, y).coef_,
        }
        if MCPRegression is not None:
            cont["MCP (skglm)"] = lambda: MCPRegression(
                alpha, gamma=3.0, fit_intercept=False, tol=abs_tol, max_iter=1000).fit(
                X, y).coef_
        for fn in cont.values():
            fn()  # warm up / compile
        res = interleaved_timings(cont, repeat=repeat)
        pens = {"Lasso (ours)": L1(alpha), "MCP (ours)": MCP(alpha, 3.0),
                "SCAD (ours)": SCAD(alpha, 3.7), "MCP (skglm)": MCP(alpha, 3.0)}
        lasso_t = np.median(res["Lasso (ours)"][0])
        mcp_t = np.median(res["MCP (ours)"][0])
        for name, (times, coef) in res.items():
            obj, kkt = accuracy(X, y, coef, pens[name])
            rows.append({
                "alpha": f"amax/{f}", "solver": name,
                "median s": f"{np.median(times):.3f}", "min s": f"{np.min(times):.3f}",
                "vs Lasso": f"{np.median(times) / lasso_t:.2f}x",
                "vs our MCP": f"{np.median(times) / mcp_t:.2f}x",
                "objective": f"{obj:.8f}", "rel KKT": f"{kkt:.1e}",
                "nnz": int(np.count_nonzero(coef)),
            })
    print_table(rows, ["alpha", "solver", "median s", "min s", "vs Lasso", "vs our MCP",
                       "objective", "rel KKT", "nnz"])
    _ = n


def polish_table(repeat):
    rng = np.random.default_rng(1)
    n, p = 2000, 300
    X = ar_design(n, p, 0.95, rng)  # strongly correlated: CD converges slowly
    X = np.asfortranarray((X - X.mean(0)) / X.std(0))
    w = np.zeros(p)
    w[rng.choice(p, 40, replace=False)] = rng.uniform(1, 2, 40)
    y = X @ w + rng.standard_normal(n)
    y -= y.mean()
    alpha = alpha_max_l1(X, y, fit_intercept=False) / 30
    pen = MCP(alpha, 3.0)
    rows = []
    for solver in ("cd", "gram"):
        from sparsestat.linear_model import GeneralizedLinearEstimator

        cont = {
            "tol=1e-12": lambda: GeneralizedLinearEstimator(
                None, pen, fit_intercept=False, solver=solver, tol=1e-12,
                max_iter=100000).fit(X, y).coef_,
            "tol=1e-3 + polish": lambda: GeneralizedLinearEstimator(
                None, pen, fit_intercept=False, solver=solver, tol=1e-3, polish=True,
                max_iter=100000).fit(X, y).coef_,
            "tol=1e-3": lambda: GeneralizedLinearEstimator(
                None, pen, fit_intercept=False, solver=solver, tol=1e-3,
                max_iter=100000).fit(X, y).coef_,
        }
        for fn in cont.values():
            fn()
        res = interleaved_timings(cont, repeat=repeat)
        for name, (times, coef) in res.items():
            obj, kkt = accuracy(X, y, coef, pen)
            rows.append({"solver": solver, "run": name, "median s": f"{np.median(times):.4f}",
                         "objective": f"{obj:.12f}", "rel KKT": f"{kkt:.1e}"})
    print_table(rows, ["solver", "run", "median s", "objective", "rel KKT"])


def greedy_table(repeat, quick):
    """Greedy GSL on a sparse Gram matrix versus working-set cyclic CD on X."""
    import scipy.sparse as sp
    from sklearn.linear_model import Lasso as SkLasso

    from sparsestat._engine import Quadratic
    from sparsestat._engine._greedy_cd import solve_greedy_gram
    from sparsestat.linear_model import GeneralizedLinearEstimator

    rng = np.random.default_rng(2)
    n, p = (5000, 10000) if quick else (20000, 50000)
    nnz_per_col = 3
    rows = rng.integers(0, n, size=p * nnz_per_col)
    cols = np.repeat(np.arange(p), nnz_per_col)
    X = sp.csc_matrix((rng.standard_normal(p * nnz_per_col), (rows, cols)), shape=(n, p))
    w = np.zeros(p)
    w[rng.choice(p, 30, replace=False)] = rng.uniform(1, 3, 30)
    y = X @ w + 0.1 * rng.standard_normal(n)
    alpha = alpha_max_l1(X, y, fit_intercept=False) / 10
    pen = L1(alpha)
    G = (X.T @ X).tocsr() / n
    b = np.asarray(X.T @ y).ravel() / n
    yy = float(y @ y) / n
    tol_kkt = 1e-6 * np.sqrt(yy) * np.sqrt(np.mean(G.diagonal()))

    cont = {
        "greedy GSL (given G)": lambda: solve_greedy_gram(G, b, pen, yy=yy, tol=tol_kkt)[0],
        "greedy GSL (estimator, builds G)": lambda: GeneralizedLinearEstimator(
            Quadratic(), pen, fit_intercept=False, solver="greedy", tol=1e-6).fit(
            X, y).coef_,
        "cyclic working-set CD": lambda: GeneralizedLinearEstimator(
            Quadratic(), pen, fit_intercept=False, solver="cd", tol=1e-6).fit(X, y).coef_,
        "scikit-learn Lasso": lambda: SkLasso(alpha, fit_intercept=False, tol=1e-6,
                                              max_iter=100000).fit(X, y).coef_,
    }
    for fn in cont.values():
        fn()
    res = interleaved_timings(cont, repeat=repeat)
    out = []
    for name, (times, coef) in res.items():
        r = y - X @ coef
        obj = 0.5 * r @ r / n + pen.value(coef)
        out.append({"solver": name, "median s": f"{np.median(times):.4f}",
                    "objective": f"{obj:.10f}", "nnz": int(np.count_nonzero(coef))})
    print(f"(sparse X {n} x {p}, {nnz_per_col} nonzeros per column, G has "
          f"{G.nnz / p:.1f} nonzeros per row; Lasso alpha_max/10)")
    print_table(out, ["solver", "median s", "objective", "nnz"])


def group_table(repeat):
    """GroupLasso (working-set block CD) against skglm's GroupLasso, same weights."""
    from sparsestat.linear_model import GroupLasso

    rng = np.random.default_rng(3)
    n, p, size = 500, 1000, 5
    X = ar_design(n, p, 0.5, rng)
    X = np.asfortranarray((X - X.mean(0)) / X.std(0))
    w = np.zeros(p)
    w[:25] = rng.standard_normal(25)
    y = X @ w + rng.standard_normal(n)
    y -= y.mean()
    ones = np.ones(p // size)
    amax = GroupLasso(alpha=1.0, groups=size, weights=ones, fit_intercept=False).fit(
        X, y).alpha_max_
    rows = []
    for f in (10, 50):
        alpha = amax / f
        cont = {"GroupLasso (ours, BCD)": lambda: GroupLasso(
            alpha, groups=size, weights=ones, fit_intercept=False, tol=1e-6,
            max_iter=100000).fit(X, y).coef_}
        try:
            from skglm import GroupLasso as SkglmGroupLasso

            cont["GroupLasso (skglm)"] = lambda: SkglmGroupLasso(
                groups=size, alpha=alpha, fit_intercept=False, tol=1e-8).fit(X, y).coef_
        except ImportError:  # pragma: no cover
            pass
        for fn in cont.values():
            fn()
        res = interleaved_timings(cont, repeat=repeat)
        for name, (times, coef) in res.items():
            r = y - X @ coef
            obj = 0.5 * r @ r / n + alpha * np.linalg.norm(coef.reshape(-1, size), axis=1).sum()
            rows.append({"alpha": f"amax/{f}", "solver": name,
                         "median s": f"{np.median(times):.4f}", "objective": f"{obj:.10f}",
                         "nnz": int(np.count_nonzero(coef))})
    print_table(rows, ["alpha", "solver", "median s", "objective", "nnz"])


def recovery_table(n_rep):
    from test_support_recovery import ar_design as rs_design
    from test_support_recovery import fdr_at_tpr

    rows = []
    for name, pen in [("Lasso", L1(1.0)), ("MCP (gamma=3)", MCP(1.0, 3.0)),
                      ("SCAD (gamma=3.7)", SCAD(1.0, 3.7))]:
        start = time.perf_counter()
        vals = np.array([fdr_at_tpr(*rs_design(s, 200, 500, 10), pen, n_alphas=40)
                         for s in range(n_rep)])
        tpr, fdr = vals.mean(axis=0)
        rows.append({"penalty": name, "TPR": f"{tpr:.3f}", "FDR": f"{fdr:.3f}",
                     "F1-ish 1-FDR": f"{1 - fdr:.3f}", "reps": n_rep,
                     "path time s": f"{(time.perf_counter() - start) / n_rep:.2f}"})
    print_table(rows, ["penalty", "TPR", "FDR", "F1-ish 1-FDR", "reps", "path time s"])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    repeat = 3
    if args.quick:
        X, y = problem(300, 1000)
        speed_table(X, y, [20], repeat)
    else:
        X, y = problem(1000, 5000)
        print("== dense 1000 x 5000, AR(0.6), tol 1e-6 (our relative KKT / gap) ==")
        speed_table(X, y, [20, 50], repeat)
    print("\n== Newton polish, dense 2000 x 300, AR(0.95), MCP alpha_max/30 ==")
    polish_table(repeat)
    print("\n== group lasso, dense 500 x 1000 AR(0.5), groups of 5, unit weights ==")
    group_table(repeat)
    print("\n== greedy Gauss-Southwell-Lipschitz vs cyclic CD ==")
    greedy_table(repeat, args.quick)
    print("\n== support recovery, 200 x 500, AR(0.6), k=10 random support, SNR 3; FDR at "
          "the first alpha of the path with TPR >= 0.9 ==")
    recovery_table(5 if args.quick else 20)


if __name__ == "__main__":
    main()
