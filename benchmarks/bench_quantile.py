"""SparseQuantileRegressor vs scikit-learn's QuantileRegressor (HiGHS), and the cost of
quantile aggregation next to fitting its base models.

Run: ``python benchmarks/bench_quantile.py`` (``--shapes`` runs only the shape rows).
Claims: (issue 7) at least 5x faster than ``QuantileRegressor(solver="highs")`` at
n=5000, p=50 at equal objective; aggregation overhead small next to the base-model fits.
(issue 15) wide (8 x 5000, 8 x 200000) and tall (300000 x 3, 1e6 x 3) data: at least as
fast as ``QuantileRegressor(solver="highs")`` at equal objective, in O(n p) memory.
scikit-learn's HiGHS dual simplex grows about as n^2 on tall data; where it would take
hours its run is capped by HiGHS's ``time_limit`` (``--cap``, default 120 s) and the row
says so.
"""

import sys
import time

from _common import interleaved_timings, print_table  # noqa: I001  (pins threads first)

import numpy as np
from sklearn.linear_model import QuantileRegressor

from sparsestat.quantile import QuantileAggregator, SparseQuantileRegressor


def objective(X, y, coef, intercept, tau, alpha):
    r = y - X @ coef - intercept
    return float(np.mean(np.maximum(tau * r, (tau - 1) * r)) + alpha * np.abs(coef).sum())


def make_problem(n=5000, p=50, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    w = np.zeros(p)
    w[:8] = rng.uniform(-3, 3, 8)
    y = X @ w + (1 + 0.5 * np.abs(X[:, 0])) * rng.standard_t(3, n)
    return X, y


def bench_solver(repeat=3):
    X, y = make_problem()
    SparseQuantileRegressor(quantile=0.5, alpha=0.01).fit(X[:200], y[:200])  # compile
    rows = []
    for tau, alpha in [(0.5, 0.01), (0.9, 0.01), (0.5, 0.0)]:
        res = interleaved_timings({
            "ours": lambda: SparseQuantileRegressor(quantile=tau, alpha=alpha).fit(X, y),
            "sklearn": lambda: QuantileRegressor(quantile=tau, alpha=alpha,
                                                 solver="highs").fit(X, y),
        }, repeat=repeat)
        (t_ours, m_ours), (t_sk, m_sk) = res["ours"], res["sklearn"]
        ratios = [b / a for a, b in zip(t_ours, t_sk)]
        f_ours = objective(X, y, m_ours.coef_, m_ours.intercept_, tau, alpha)
        f_sk = objective(X, y, m_sk.coef_, m_sk.intercept_, tau, alpha)
        rows.append({
            "problem": f"n=5000 p=50 tau={tau} alpha={alpha}",
            "ours (s)": f"{np.median(t_ours):.3f}", "sklearn (s)": f"{np.median(t_sk):.3f}",
            "ratio (median, min)": f"{np.median(ratios):.1f}x, {np.min(ratios):.1f}x",
            "objective ours": f"{f_ours:.10f}", "objective sklearn": f"{f_sk:.10f}",
            "gap ours": f"{m_ours.dual_gap_:.1e}",
        })
    # nine levels at once (one Gram matrix, warm starts) vs nine LP solves
    taus = np.round(np.arange(1, 10) * 0.1, 2)
    res = interleaved_timings({
        "ours": lambda: SparseQuantileRegressor(quantile=taus, alpha=0.01).fit(X, y),
        "sklearn": lambda: [QuantileRegressor(quantile=t, alpha=0.01).fit(X, y) for t in taus],
    }, repeat=repeat)
    (t_ours, m_ours), (t_sk, m_sk) = res["ours"], res["sklearn"]
    ratios = [b / a for a, b in zip(t_ours, t_sk)]
    f_sk = sum(objective(X, y, m.coef_, m.intercept_, t, 0.01) for m, t in zip(m_sk, taus))
    rows.append({
        "problem": "same, 9 levels 0.1..0.9 in one fit",
        "ours (s)": f"{np.median(t_ours):.3f}", "sklearn (s)": f"{np.median(t_sk):.3f}",
        "ratio (median, min)": f"{np.median(ratios):.1f}x, {np.min(ratios):.1f}x",
        "objective ours": f"{m_ours.objective_.sum():.10f}",
        "objective sklearn": f"{f_sk:.10f}", "gap ours": f"{m_ours.dual_gap_.max():.1e}",
    })
    print_table(rows, list(rows[0]))


def make_wide_or_tall(n, p, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    w = np.zeros(p)
    w[:3] = [1.0, -2.0, 0.5]
    return X, X @ w + rng.standard_t(3, n)


def bench_shapes(cap=120.0):
    """Issue 15: wide and tall shapes, ours (solver="auto") vs scikit-learn's HiGHS."""
    SparseQuantileRegressor(alpha=0.01).fit(*make_wide_or_tall(50, 3))  # compile
    rows = []
    for n, p, repeat in [(8, 5000, 3), (8, 200_000, 3), (20_000, 3, 1), (300_000, 3, 1),
                         (1_000_000, 3, 1)]:
        X, y = make_wide_or_tall(n, p)
        tau, alpha = 0.5, 0.01
        options = {"time_limit": cap}

        def sklearn_fit():
            try:
                return QuantileRegressor(quantile=tau, alpha=alpha, solver="highs",
                                         solver_options=options).fit(X, y)
            except Exception:  # stopped by time_limit without a primal point
                return None

        res = interleaved_timings({
            "ours": lambda: SparseQuantileRegressor(quantile=tau, alpha=alpha).fit(X, y),
            "sklearn": sklearn_fit,
        }, repeat=repeat)
        (t_ours, m_ours), (t_sk, m_sk) = res["ours"], res["sklearn"]
        f_ours = objective(X, y, m_ours.coef_, m_ours.intercept_, tau, alpha)
        f_sk = np.nan if m_sk is None else objective(X, y, m_sk.coef_, m_sk.intercept_,
                                                     tau, alpha)
        capped = min(t_sk) >= 0.95 * cap
        ratios = [b / a for a, b in zip(t_ours, t_sk)]
        rows.append({
            "problem (tau=0.5 alpha=0.01)": f"{n} x {p}",
            "repeats": str(repeat),
            "ours (s)": f"{np.median(t_ours):.3f}",
            "sklearn (s)": (f">{cap:.0f} (time_limit hit)" if capped
                            else f"{np.median(t_sk):.3f}"),
            "ratio sklearn/ours": (">" if capped else "") + f"{np.median(ratios):.1f}x",
            "objective ours": f"{f_ours:.10f}",
            "objective sklearn": f"{f_sk:.10f}" + (" (unfinished)" if capped else ""),
            "gap ours": f"{m_ours.dual_gap_:.1e}",
        })
        print_table(rows[-1:], list(rows[0]))
    print()
    print_table(rows, list(rows[0]))


def bench_aggregation():
    from sklearn.datasets import load_diabetes
    from sklearn.model_selection import train_test_split

    from sparsestat.metrics import interval_coverage, weighted_interval_score

    X, y = load_diabetes(return_X_y=True)
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, random_state=0)
    rows = []
    for weights, local in [("coarse", False), ("medium", False), ("fine", False),
                           ("medium", True)]:
        start = time.perf_counter()
        agg = QuantileAggregator(weights=weights, local=local, random_state=0).fit(Xtr, ytr)
        total = time.perf_counter() - start
        t = agg.fit_times_
        taus = agg.quantiles_
        rows.append({
            "aggregator (default library, 19 levels)": f"{weights}{' local' if local else ''}",
            "fit (s)": f"{total:.2f}", "base models (s)": f"{t['base_models']:.2f}",
            "weights (s)": f"{t['weights']:.3f}", "calibration (s)": f"{t['calibration']:.3f}",
            "overhead": f"{(t['weights'] + t['calibration']) / t['base_models']:.1%}",
            "test WIS": f"{weighted_interval_score(yte, agg.predict(Xte), taus):.2f}",
            "80% coverage": f"{interval_coverage(yte, agg.predict_interval(Xte, 0.8)):.3f}",
        })
    print_table(rows, list(rows[0]))


if __name__ == "__main__":
    import warnings

    from sklearn.exceptions import ConvergenceWarning

    warnings.simplefilter("ignore", ConvergenceWarning)
    cap = float(sys.argv[sys.argv.index("--cap") + 1]) if "--cap" in sys.argv else 120.0
    bench_shapes(cap)
    if "--shapes" in sys.argv:
        sys.exit()
    print()
    bench_solver()
    print()
    bench_aggregation()
