"""Sparse GLM speed and objective against the anchors (issue 17).

Run: ``python benchmarks/bench_glm.py [--section cox|slope|all] [--quick]``. One BLAS /
numba thread, every contender warmed up (compiled) first, runs interleaved, median (and
min) of the repeats; on a shared machine the ratios are what to read, not the seconds.

Sections (each a function of its own, so other datafits can add theirs):

* ``cox``: an elastic-net Cox path (Breslow ties) on simulated censored data, sparsestat's
  :func:`~sparsestat.linear_model.cox_path` against scikit-survival's
  ``CoxnetSurvivalAnalysis`` on the same alphas; objective of both at every alpha, by one
  formula (``-loglik / n + alpha (l1_ratio |w|_1 + (1 - l1_ratio) / 2 |w|^2)``).
* ``slope``: SLOPE (BH weights) least squares, sparsestat's FISTA against skglm's
  ``FISTA`` with its ``SLOPE`` penalty; objective of both by one formula.
"""

import argparse
import warnings

import _common  # noqa: F401  (pins threads before numpy loads BLAS)
import numpy as np
from _common import interleaved_timings, print_table

warnings.filterwarnings("ignore")


def _table(columns, rows, title):
    print(f"\n{title}")
    print_table([dict(zip(columns, r)) for r in rows], columns)


# ------------------------------------------------------------------------------- Cox
def cox_problem(n, p, seed=0, n_signal=10, censoring=0.3):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    w = np.zeros(p)
    w[:n_signal] = rng.choice([-1, 1], n_signal) * rng.uniform(0.3, 1.0, n_signal)
    t_event = rng.exponential(np.exp(-(X @ w)))
    t_cens = rng.exponential(np.quantile(t_event, 1 - censoring) * 2, n)
    time = np.round(np.minimum(t_event, t_cens), 3)  # rounding makes ties
    event = t_event <= t_cens
    return np.asfortranarray(X), time, event


def cox_objective(X, time, event, coef, alpha, l1_ratio):
    from sparsestat._engine import Cox

    y2 = np.column_stack([time, event])
    return (Cox().value(y2, X @ coef) + alpha * (l1_ratio * np.abs(coef).sum()
                                                 + 0.5 * (1 - l1_ratio) * coef @ coef))


def bench_cox(quick=False):
    """Timing at matched accuracy: each contender's worst objective excess over the best
    objective any contender reached at that alpha, next to its time. scikit-survival's
    ``tol`` is on its coordinate updates: its default 1e-7 stops ~1e-6 above the optimum
    on the larger problem, 1e-9 reaches it."""
    from sksurv.linear_model import CoxnetSurvivalAnalysis
    from sksurv.util import Surv

    from sparsestat.linear_model import cox_path

    sizes = [(500, 100)] if quick else [(1000, 200), (5000, 500)]
    l1_ratio, n_alphas, repeat = 0.5, 20, 3 if quick else 5
    rows = []
    for n, p in sizes:
        X, time, event = cox_problem(n, p)
        y_struct = Surv.from_arrays(event, time)
        y2 = np.column_stack([time, event])
        alphas = CoxnetSurvivalAnalysis(l1_ratio=l1_ratio, n_alphas=n_alphas,
                                        alpha_min_ratio=0.01).fit(X, y_struct).alphas_

        def sksurv(tol):
            return lambda: CoxnetSurvivalAnalysis(l1_ratio=l1_ratio, alphas=alphas,
                                                  tol=tol).fit(X, y_struct).coef_

        contenders = {
            "sparsestat tol=1e-5": lambda: cox_path(X, y2, l1_ratio=l1_ratio, alphas=alphas,
                                                    tol=1e-5)[1],
            "sksurv tol=1e-7 (default)": sksurv(1e-7),
            "sksurv tol=1e-9": sksurv(1e-9),
        }
        contenders["sparsestat tol=1e-5"]()  # compile
        out = interleaved_timings(contenders, repeat)
        objs = {name: np.array([cox_objective(X, time, event, coefs[:, k], a, l1_ratio)
                                for k, a in enumerate(alphas)])
                for name, (_, coefs) in out.items()}
        best = np.min(np.vstack(list(objs.values())), axis=0)
        base = np.median(out["sksurv tol=1e-7 (default)"][0])
        for name, (times, _) in out.items():
            rows.append([f"{n}x{p}", name, f"{np.median(times):.3f}", f"{min(times):.3f}",
                         f"{np.median(times) / base:.2f}", f"{np.max(objs[name] - best):.1e}"])
    _table(["data", "solver", "median s", "min s", "ratio", "max obj - best"], rows,
           title=f"Cox elastic-net path ({n_alphas} alphas, l1_ratio={l1_ratio}, Breslow)")


# ----------------------------------------------------------------------------- SLOPE
def bench_slope(quick=False):
    from skglm.datafits import Quadratic as SkQuadratic
    from skglm.penalties import SLOPE as SkSLOPE
    from skglm.solvers import FISTA

    from sparsestat._engine import SLOPE, Quadratic, solve

    sizes = [(300, 500)] if quick else [(500, 1000), (2000, 2000)]
    repeat = 3 if quick else 5
    rows = []
    for n, p in sizes:
        rng = np.random.default_rng(0)
        X = np.asfortranarray(rng.standard_normal((n, p)))
        beta = np.zeros(p)
        beta[:20] = rng.choice([-1, 1], 20) * 2.0
        y = X @ beta + rng.standard_normal(n)
        weights = SLOPE.bh_weights(p, 0.1)
        g = np.sort(np.abs(X.T @ y / n))[::-1]
        alpha = 0.1 * np.max(np.cumsum(g) / np.cumsum(weights))
        pen = SLOPE(alpha, weights)

        def obj(w):
            return np.mean((y - X @ w) ** 2) / 2 + pen.value(w)

        contenders = {
            "sparsestat": lambda: solve(X, y, Quadratic(), pen, fit_intercept=False,
                                        tol=1e-6, max_iter=5000).coef,
            "skglm": lambda: FISTA(max_iter=5000, tol=1e-6, opt_strategy="fixpoint").solve(
                X, y, SkQuadratic(), SkSLOPE(alpha * weights))[0],
        }
        for fn in contenders.values():
            fn()  # compile
        out = interleaved_timings(contenders, repeat)
        base = np.median(out["skglm"][0])
        ref_obj = obj(out["skglm"][1])
        for name, (times, coef) in out.items():
            rows.append([f"{n}x{p}", name, f"{np.median(times):.3f}", f"{min(times):.3f}",
                         f"{np.median(times) / base:.2f}", f"{obj(coef) - ref_obj:+.1e}"])
    _table(["data", "solver", "median s", "min s", "ratio", "obj - skglm"], rows,
           title="SLOPE (BH q=0.1) least squares, alpha = alpha_max / 10")


SECTIONS = {"cox": bench_cox, "slope": bench_slope}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--section", default="all", choices=["all", *SECTIONS])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    for name, fn in SECTIONS.items():
        if args.section in ("all", name):
            fn(args.quick)


if __name__ == "__main__":
    main()
