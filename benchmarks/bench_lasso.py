"""Lasso speed against scikit-learn, skglm and celer, at matched duality gaps.

Run: ``python benchmarks/bench_lasso.py [--quick]``. One BLAS / numba thread, every
contender warmed up first, runs interleaved, median of the repeats. The gap column is the
relative duality gap each solver actually reached (same formula for all), so times are
compared at equal accuracy. Missing anchors are reported as such.
"""

import argparse
import subprocess
import sys
import time
import warnings

import _common  # noqa: F401  (pins threads before numpy loads BLAS)
import numpy as np
import scipy.sparse as sp
from _common import ar_design, interleaved_timings, lasso_gap, print_table
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import Lasso as SkLasso
from sklearn.linear_model import lasso_path as sk_lasso_path

from sparsestat._engine import alpha_max_l1
from sparsestat.linear_model import Lasso, lasso_path

warnings.filterwarnings("ignore", category=ConvergenceWarning)

try:
    from skglm import Lasso as SkglmLasso
    from skglm.penalties import L1 as SkglmL1
    from skglm.solvers import GramCD
except ImportError:  # pragma: no cover
    SkglmLasso = None
try:
    import celer
except ImportError:  # pragma: no cover
    celer = None

TOL = 1e-6


def contenders_single(X, y, alpha, tall=False):
    """Every contender on one problem; ``tall`` adds skglm's GramCD (peers of issue 23)."""
    out = {
        "sparsestat": lambda: Lasso(alpha, fit_intercept=False, tol=TOL, max_iter=100000)
        .fit(X, y).coef_,
        "scikit-learn": lambda: SkLasso(alpha, fit_intercept=False, tol=TOL,
                                        max_iter=100000).fit(X, y).coef_,
    }
    if SkglmLasso is not None:
        # skglm's tol is a KKT bound, not a gap: tightened so its gap matches ours
        out["skglm"] = lambda: SkglmLasso(alpha, fit_intercept=False, tol=1e-8)\
            .fit(X, y).coef_
        if tall:
            # GramCD is called on raw arrays (it has no estimator)
            out["skglm GramCD"] = lambda: GramCD(tol=1e-8, fit_intercept=False,
                                                 max_iter=10000)\
                .solve(X, y, None, SkglmL1(alpha))[0]
    if celer is not None:
        out["celer"] = lambda: celer.Lasso(alpha, fit_intercept=False, tol=TOL)\
            .fit(X, y).coef_
    return out


def run_single(name, X, y, ratio, repeat, tall=False):
    alpha = alpha_max_l1(X, y, fit_intercept=False) / ratio
    contenders = contenders_single(X, y, alpha, tall)
    for fn in contenders.values():  # warm-up: compile / load caches
        fn()
    res = interleaved_timings(contenders, repeat)
    ours = np.median(res["sparsestat"][0])
    rows = []
    for solver, (times, coef) in res.items():
        med = np.median(times)
        rows.append({
            "problem": f"{name} alpha_max/{ratio}", "solver": solver,
            "median s": f"{med:.3f}", "min s": f"{min(times):.3f}",
            "it / ours": f"{med / ours:.2f}",
            "rel gap": f"{lasso_gap(X, y, coef, alpha):.1e}", "nnz": int(np.sum(coef != 0)),
        })
    return rows


def run_path(X, y, repeat, n_alphas=20):
    amax = alpha_max_l1(X, y, fit_intercept=False)
    alphas = np.geomspace(amax, amax / 100, n_alphas)
    contenders = {
        "sparsestat": lambda: lasso_path(X, y, alphas=alphas, tol=TOL, max_iter=100000,
                                         precompute=False)[1],
        "scikit-learn": lambda: sk_lasso_path(X, y, alphas=alphas, tol=TOL,
                                              max_iter=100000, precompute=False)[1],
    }
    if celer is not None:
        contenders["celer"] = lambda: celer.celer_path(X, y, "lasso", alphas=alphas,
                                                       tol=TOL)[1]
    for fn in contenders.values():
        fn()
    res = interleaved_timings(contenders, repeat)
    ours = np.median(res["sparsestat"][0])
    rows = []
    for solver, (times, coefs) in res.items():
        med = np.median(times)
        worst_gap = max(lasso_gap(X, y, coefs[:, k], a) for k, a in enumerate(alphas))
        rows.append({
            "problem": f"path {n_alphas} alphas to /100", "solver": solver,
            "median s": f"{med:.3f}", "min s": f"{min(times):.3f}",
            "it / ours": f"{med / ours:.2f}", "rel gap": f"{worst_gap:.1e}",
            "nnz": int(np.sum(coefs[:, -1] != 0)),
        })
    return rows


def cold_start():
    """``import sparsestat`` + first fit in a fresh process (numba's on-disk cache warm)."""
    code = ("import time; t=time.perf_counter(); import numpy as np; "
            "from sparsestat.linear_model import Lasso; "
            "X=np.random.default_rng(0).standard_normal((100, 50)); "
            "Lasso(alpha=0.1).fit(X, X[:, 0]); print(time.perf_counter()-t)")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    times = [float(subprocess.run([sys.executable, "-c", code], check=True,
                                  capture_output=True, text=True).stdout) for _ in range(3)]
    sk = ("import time; t=time.perf_counter(); import numpy as np; "
          "from sklearn.linear_model import Lasso; "
          "X=np.random.default_rng(0).standard_normal((100, 50)); "
          "Lasso(alpha=0.1).fit(X, X[:, 0]); print(time.perf_counter()-t)")
    sk_times = [float(subprocess.run([sys.executable, "-c", sk], check=True,
                                     capture_output=True, text=True).stdout)
                for _ in range(3)]
    return np.median(times), np.median(sk_times)


def problems(quick=False):
    """``{name: (X, y, [ratios], tall)}``: the problems of the table."""
    rng = np.random.default_rng(0)
    scale = 5 if quick else 1
    n, p = 1000 // scale, 5000 // scale
    X = ar_design(n, p, 0.6, rng)
    w_true = np.zeros(p)
    w_true[rng.choice(p, 50 // scale, replace=False)] = rng.standard_normal(50 // scale)
    y = X @ w_true + 0.5 * rng.standard_normal(n)
    out = {f"dense {n}x{p} AR(0.6)": (X, y, [20, 100], False)}
    ns, ps = 5000 // scale, 50000 // scale
    Xs = sp.random(ns, ps, density=500_000 / (5000 * 50000), format="csc", random_state=0)
    ys = Xs @ (rng.standard_normal(ps) * (rng.random(ps) < 0.002)) \
        + 0.1 * rng.standard_normal(ns)
    out[f"sparse {ns}x{ps} nnz {Xs.nnz}"] = (Xs, ys, [20, 100], False)
    # tall (issue 23): 20 true features, AR(0.6) columns
    ng, pg = 20000 // scale, 500 // scale
    Xg = ar_design(ng, pg, 0.6, rng)
    yg = Xg[:, :20] @ rng.standard_normal(20) + rng.standard_normal(ng)
    out[f"tall {ng}x{pg}"] = (Xg, yg, [100, 1000], True)
    return out


TITLE = "Lasso (``sparsestat.linear_model``)"
NOTES = (
    "One BLAS / numba thread, warm numba cache, contenders interleaved, median of the "
    f"repeats. scikit-learn and celer at ``tol={TOL}`` (relative duality gap, as ours); "
    "skglm's ``tol`` is a KKT bound, so it runs at 1e-8 to reach a comparable gap. "
    "\"rel gap\" is the relative duality gap each contender reached, by one formula for "
    "all. \"it / ours\": its time over ours (> 1: we are faster). The path row reports "
    "the worst gap over its 20 alphas.")


def rows(quick=False, repeat=None):
    """The table's rows (one per problem and contender), for ``run_all.py``."""
    repeat = (1 if quick else 3) if repeat is None else repeat
    out = []
    for i, (name, (X, y, ratios, tall)) in enumerate(problems(quick).items()):
        for ratio in ratios:
            out += run_single(name, X, y, ratio, repeat, tall=tall)
        if i == 0:
            out += run_path(X, y, repeat)
    return out


def readme_rows(table):
    """``(problem, ours, their time over ours)`` per problem, for the README."""
    by_problem = {}
    for r in table:
        by_problem.setdefault(r["problem"], []).append(r)
    lines = []
    for problem, group in by_problem.items():
        ours = next(r for r in group if r["solver"] == "sparsestat")
        peers = ", ".join(f"{r['solver']} {r['it / ours']}x" for r in group
                          if r["solver"] != "sparsestat")
        lines.append((f"Lasso, {problem}", f"{ours['median s']} s", peers))
    return lines


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="smaller problems, 1 repeat")
    parser.add_argument("--repeat", type=int, default=None)
    parser.add_argument("--no-cold", action="store_true", help="skip the cold-start timing")
    args = parser.parse_args()
    table = rows(args.quick, args.repeat)
    print(f"Lasso benchmark, {time.strftime('%Y-%m-%d')}, one thread, tol {TOL} "
          "(relative duality gap; skglm run at a tighter KKT tol to match)")
    print_table(table, list(table[0]))
    if not args.no_cold:
        ours, sk = cold_start()
        print(f"\ncold start (fresh process, warm numba cache): import + first Lasso fit "
              f"{ours:.2f} s (scikit-learn: {sk:.2f} s)")


if __name__ == "__main__":
    main()
