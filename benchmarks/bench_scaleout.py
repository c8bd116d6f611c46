"""A Lasso path with 5-fold CV on a dask array that is never materialized, vs dask-ml.

Run::

    python benchmarks/bench_scaleout.py                 # 2e6 x 100 (1.6 GB generated)
    python benchmarks/bench_scaleout.py --rows 20000000 # the full 2e7 x 100 (16 GB)
    python benchmarks/bench_scaleout.py --no-anchor     # ours only

The array is generated block by block on the workers (``block_rows`` rows each, seeded
per block): no process ever holds more than a few blocks. Each contender runs on a fresh
``LocalCluster`` of worker *processes* (2 workers x 1 thread; BLAS pinned to one thread
through the environment the workers inherit),
so the peak resident memory of every worker (``ru_maxrss``) is its own.

* ours: ``LassoCV(cv=5, alphas=100).fit(X, y)``: one pass over the blocks computes
  every fold's statistics, then 5 paths of 100 alphas and the refit run locally on
  ``p x p`` matrices.
* the anchor: dask-ml's ``LinearRegression(penalty="l1")`` (dask-glm's ``admm`` and
  ``proximal_grad``), one fit at the alpha our CV chose (it has no path and no CV; a
  5-fold path of 100 alphas would cost 500 such fits). Its objective is
  ``||y - X b||^2 + lamduh ||b||_1`` with the intercept column penalized too; we set
  ``lamduh = 2 n alpha`` (the same problem up to the intercept's penalty, which is
  negligible here: the true intercept is 0 and the columns are centered). Each of its
  iterations is a pass over the (regenerated) blocks; ``--anchor-iter`` caps them.

The objective ``1/(2n)||y - Xw - b||^2 + alpha ||w||_1`` each solution reaches is
computed exactly from the statistics of the whole data (no further pass).
"""

import argparse
import resource
import time

import _common  # noqa: F401  (pins threads before numpy loads BLAS)
import numpy as np

P = 100


def make_block(i, block_rows, seed=0):
    """Rows ``[i * block_rows, (i + 1) * block_rows)``: X then y in the last column."""
    rng = np.random.default_rng([seed, i])
    X = rng.standard_normal((block_rows, P))
    coef = np.zeros(P)
    coef[:10] = np.linspace(2.0, -2.0, 10)
    y = X @ coef + 2.0 * rng.standard_normal(block_rows)
    return np.column_stack([X, y])


def generated_array(n_rows, block_rows):
    import dask
    import dask.array as da

    n_blocks = n_rows // block_rows
    blocks = [da.from_delayed(dask.delayed(make_block, pure=True)(i, block_rows),
                              shape=(block_rows, P + 1), dtype=np.float64)
              for i in range(n_blocks)]
    A = da.concatenate(blocks)
    return A[:, :P], A[:, P]


def _peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _on_fresh_cluster(fn):
    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None, memory_limit="6GB") as cluster, \
            Client(cluster) as client:
        base = client.run(_peak_rss_mb)
        start = time.perf_counter()
        result = fn()
        wall = time.perf_counter() - start
        peaks = client.run(_peak_rss_mb)
    return result, wall, sorted(base.values()), sorted(peaks.values())


def objective(stats, coef, intercept, alpha):
    return float(stats.sq_errors(coef, intercept)[0]) / (2 * stats.weight_sum) \
        + alpha * np.abs(coef).sum()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=float, default=2e6)
    parser.add_argument("--block-rows", type=int, default=200_000)
    parser.add_argument("--no-anchor", action="store_true")
    parser.add_argument("--anchor-iter", type=int, default=20)
    args = parser.parse_args()
    n_rows = int(args.rows) // args.block_rows * args.block_rows

    from sparsestat.linear_model import LassoCV

    X, y = generated_array(n_rows, args.block_rows)
    gb = n_rows * (P + 1) * 8 / 1e9
    print(f"{n_rows:.2g} x {P} generated in {n_rows // args.block_rows} blocks of "
          f"{args.block_rows} rows ({gb:.1f} GB as float64, never materialized; "
          f"block {args.block_rows * (P + 1) * 8 / 1e6:.0f} MB)")

    reg, wall, base, peaks = _on_fresh_cluster(
        lambda: LassoCV(cv=5, alphas=100).fit(X, y))
    stats = reg.sufficient_stats_
    alpha = reg.alpha_
    obj = objective(stats, reg.coef_, reg.intercept_, alpha)
    rows = [("sparsestat LassoCV, 5 folds x 100 alphas + refit", wall, peaks, base, obj,
             f"{np.count_nonzero(reg.coef_)} nonzeros")]

    if not args.no_anchor:
        try:
            from dask_ml.linear_model import LinearRegression
        except ImportError as exc:
            print(f"dask-ml not available ({exc}); anchor skipped")
        else:
            lamduh = 2 * n_rows * alpha
            for solver, kw in (("admm", {"max_iter": args.anchor_iter}),
                               ("proximal_grad", {"max_iter": args.anchor_iter})):
                est = LinearRegression(penalty="l1", C=1.0 / lamduh, solver=solver,
                                       fit_intercept=True, max_iter=kw["max_iter"])
                fitted, wall_a, base_a, peaks_a = _on_fresh_cluster(
                    lambda est=est: est.fit(X, y))
                coef = np.asarray(fitted.coef_, dtype=np.float64)
                obj_a = objective(stats, coef, float(fitted.intercept_), alpha)
                rows.append((f"dask-ml {solver}, 1 alpha, max_iter={kw['max_iter']}", wall_a,
                             peaks_a, base_a, obj_a,
                             f"{np.count_nonzero(np.abs(coef) > 1e-10)} nonzeros"))

    print(f"\nalpha chosen by our CV: {alpha:.4g}; objective 1/(2n)||y - Xw - b||^2 + "
          "alpha ||w||_1 at each solution (from the statistics of all rows)\n")
    print(f"{'contender':55s} {'wall':>8s}  {'peak RSS per worker (start)':>30s}  "
          f"{'objective':>14s}  {'excess':>9s}")
    for name, wall_c, peaks_c, base_c, obj_c, note in rows:
        mem = ", ".join(f"{p:.0f} MB" for p in peaks_c) + " (" + \
            ", ".join(f"{b:.0f}" for b in base_c) + ")"
        print(f"{name:55s} {wall_c:7.1f}s  {mem:>30s}  {obj_c:14.8f}  "
              f"{(obj_c - obj) / obj:9.2e}  {note}")


if __name__ == "__main__":
    main()
