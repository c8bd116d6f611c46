"""The family benchmarks' fits, timed in two source trees: did the Ctrl-C chunking cost?

Issue 15: every long solve returns to Python about every 0.3 s (``_engine/_interrupt.py``)
so that Ctrl-C is acted on. This times one representative fit per solver family (the
sizes of bench_colide.py, bench_presto.py, bench_multitask.py, bench_mlp.py,
bench_ilasdp.py, bench_scaleout.py, scaled to run in 0.05-2 s), alternately from two
checkouts (each round a fresh process per tree, each tree with its own kernel cache),
and prints each tree's median and the ratio; it also checks that both trees return the
same numbers (``same``: bit for bit, else the largest difference).

Usage::

    git archive <base commit> | tar -x -C /tmp/base
    python benchmarks/compare_families.py /tmp/base .   [--rounds 3] [--repeat 3]
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

_TIMER = r"""
import json, sys, time, warnings
sys.path.insert(0, {bench!r})
import _common  # noqa: F401  (pins threads)
import numpy as np
warnings.simplefilter("ignore")
repeat, only = {repeat}, {only!r}
rng = np.random.default_rng(0)


def ar(n, p, rho):
    X = np.empty((n, p)); X[:, 0] = rng.standard_normal(n)
    for j in range(1, p):
        X[:, j] = rho * X[:, j - 1] + np.sqrt(1 - rho ** 2) * rng.standard_normal(n)
    return X


def colide():
    from sparsestat.dag import CoLiDE
    B = np.triu(rng.uniform(0.5, 2.0, (20, 20)) * (rng.random((20, 20)) < 0.2), 1)
    X = rng.standard_normal((500, 20)) @ np.linalg.inv(np.eye(20) - B)
    return lambda: CoLiDE(alpha=0.05).fit(X).coef_


def presto():
    from sparsestat.ordinal import PRESTOClassifierCV
    from sparsestat.ordinal._simulation import make_presto_simulation
    X, y = make_presto_simulation(2500, 10, random_state=0)[:2]
    return lambda: PRESTOClassifierCV(alphas=20, cv=5).fit(X, y).coef_


def multinomial():
    from sparsestat.linear_model import SparseLogisticRegression
    X = rng.standard_normal((2000, 300))
    y = np.digitize(X[:, :10].sum(axis=1) + rng.standard_normal(2000), [-1, 1])
    return lambda: SparseLogisticRegression(alpha=2e-3, tol=1e-6, max_iter=10000).fit(X, y).coef_


def group():
    from sparsestat.linear_model import GroupLasso
    X = ar(1000, 1000, 0.6)
    y = X[:, :20] @ rng.standard_normal(20) + rng.standard_normal(1000)
    return lambda: GroupLasso(alpha=0.02, groups=5, tol=1e-8, max_iter=100000).fit(X, y).coef_


def multitask():
    from sparsestat.linear_model import MultiTaskLasso
    X = ar(500, 2000, 0.6)
    Y = X[:, :20] @ rng.standard_normal((20, 4)) + rng.standard_normal((500, 4))
    return lambda: MultiTaskLasso(0.05, fit_intercept=False, tol=1e-8, max_iter=100000).fit(X, Y).coef_


def greedy():
    from sparsestat._engine import L1, Quadratic
    from sparsestat.linear_model import GeneralizedLinearEstimator
    X = ar(300, 400, 0.6)
    y = X[:, :20] @ rng.standard_normal(20) + rng.standard_normal(300)
    return lambda: GeneralizedLinearEstimator(Quadratic(), L1(alpha=0.01), solver="greedy", tol=1e-8,
                                              max_iter=10000).fit(X, y).coef_


def sdp():
    from sparsestat.cluster import SDPKMeans
    X = np.r_[rng.standard_normal((150, 5)), rng.standard_normal((150, 5)) + 1.5,
              rng.standard_normal((150, 5)) - 1.5]
    return lambda: SDPKMeans(3, n_init=1, sketch_size=None, random_state=0).fit(X).labels_


def mlp():
    from sklearn.datasets import load_digits
    from sparsestat.nn import SparseMLPClassifier
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    return lambda: SparseMLPClassifier((100,), max_iter=30, tol=0.0, random_state=0,
                                       device="cpu").fit(X, y).coefs_[0]


def aggregator():
    from sparsestat._engine.families._simplex import fit_simplex_weights
    y = rng.standard_normal(2000)
    F = np.stack([np.stack([y + rng.standard_normal(2000) * s + q for s in (0.3, 0.6, 1.0, 2.0)], -1)
                  for q in (-1.3, -0.7, 0.0, 0.7, 1.3)], 1)
    taus = np.array([0.1, 0.25, 0.5, 0.75, 0.9])
    return lambda: fit_simplex_weights(F, y, taus, np.arange(5), 5, max_iter=500, tol=1e-9)[0]


def gram():
    from sparsestat._engine import L1, solve_gram
    X = ar(2000, 1000, 0.6)
    G, b = X.T @ X / 2000, X.T @ (X[:, :20] @ rng.standard_normal(20)) / 2000
    return lambda: solve_gram(G, b, L1(alpha=0.01), tol=1e-10, max_iter=100000).coef


makers = {{"CoLiDE d=20": colide, "PRESTOClassifierCV": presto,
          "multinomial 2000x300": multinomial, "GroupLasso 1000x1000": group,
          "MultiTaskLasso 500x2000": multitask, "greedy CD 300x400": greedy,
          "SDPKMeans n=450": sdp, "MLP digits 30 ep": mlp, "aggregator weights": aggregator,
          "solve_gram p=1000": gram}}
out = {{}}
for name, make in makers.items():
    if only and name not in only:
        continue
    fn = make()
    result = np.asarray(fn())  # compile or load
    times = []
    for _ in range(repeat):
        t = time.perf_counter(); fn(); times.append(time.perf_counter() - t)
    out[name] = [times, result.ravel().tolist()]
print(json.dumps(out))
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("new")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--problem", action="append", help="only this problem (repeatable)")
    args = parser.parse_args()
    import numpy as np

    bench = os.path.dirname(os.path.abspath(__file__))
    code = _TIMER.format(bench=bench, repeat=args.repeat, only=args.problem or [])
    trees = {"base": os.path.abspath(args.base), "new": os.path.abspath(args.new)}
    caches = {name: tempfile.mkdtemp(prefix=f"compare_families_{name}_") for name in trees}
    times = {name: {} for name in trees}
    results = {name: {} for name in trees}
    for _ in range(args.rounds):
        for name, tree in trees.items():
            env = dict(os.environ, PYTHONPATH=tree, NUMBA_CACHE_DIR=caches[name],
                       SPARSESTAT_QUIET_COMPILE="1")
            done = subprocess.run([sys.executable, "-c", code], env=env, cwd=tree,
                                  capture_output=True, text=True, check=True)
            for problem, (ts, res) in json.loads(
                    done.stdout.strip().splitlines()[-1]).items():
                times[name].setdefault(problem, []).extend(ts)
                results[name][problem] = np.asarray(res)
    for cache in caches.values():
        shutil.rmtree(cache, ignore_errors=True)
    print(f"{'problem':<24} {'base (s)':>9} {'new (s)':>9} {'new / base':>10}  result")
    for problem in times["base"]:
        b = float(np.median(times["base"][problem]))
        n = float(np.median(times["new"][problem]))
        rb, rn = results["base"][problem], results["new"][problem]
        same = ("same" if rb.shape == rn.shape and np.array_equal(rb, rn) else
                f"max diff {np.max(np.abs(rb - rn)):.1e}" if rb.shape == rn.shape
                else "shapes differ")
        print(f"{problem:<24} {b:>9.4f} {n:>9.4f} {n / b:>10.3f}  {same}")


if __name__ == "__main__":
    main()
