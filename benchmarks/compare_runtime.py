"""Our side of bench_lasso.py, timed in two source trees: did a change cost runtime?

A compile-time change (fewer inlined helpers, a hand-written selection...) must not slow
the solvers. This runs bench_lasso.py's problems with sparsestat only, alternately from
two checkouts (each in its own processes, each with its own warm kernel cache), and prints
each tree's median and the ratio. bench_lasso.py's ratios against the anchors move by
the same factor.

Usage::

    python benchmarks/compare_runtime.py /tmp/base_checkout .   [--rounds 3] [--repeat 5]
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
import scipy.sparse as sp
from _common import ar_design
from sparsestat._engine import alpha_max_l1
from sparsestat.linear_model import Lasso, lasso_path
warnings.simplefilter("ignore")
TOL, repeat = 1e-6, {repeat}
rng = np.random.default_rng(0)
X = ar_design(1000, 5000, 0.6, rng)
w = np.zeros(5000); w[rng.choice(5000, 50, replace=False)] = rng.standard_normal(50)
y = X @ w + 0.5 * rng.standard_normal(1000)
Xs = sp.random(5000, 50000, density=500_000 / (5000 * 50000), format="csc", random_state=0)
ys = Xs @ (rng.standard_normal(50000) * (rng.random(50000) < 0.002)) \
    + 0.1 * rng.standard_normal(5000)
Xg = ar_design(20000, 500, 0.6, rng)
yg = Xg[:, :10] @ rng.standard_normal(10) + rng.standard_normal(20000)

def single(X, y, ratio):
    alpha = alpha_max_l1(X, y, fit_intercept=False) / ratio
    return lambda: Lasso(alpha, fit_intercept=False, tol=TOL, max_iter=100000).fit(X, y)

amax = alpha_max_l1(X, y, fit_intercept=False)
alphas = np.geomspace(amax, amax / 100, 20)
problems = {{
    "dense /20": single(X, y, 20), "dense /100": single(X, y, 100),
    "path 20 alphas": lambda: lasso_path(X, y, alphas=alphas, tol=TOL, max_iter=100000,
                                         precompute=False),
    "sparse /20": single(Xs, ys, 20), "sparse /100": single(Xs, ys, 100),
    "n>>p gram /100": single(Xg, yg, 100), "n>>p /1000": single(Xg, yg, 1000),
}}
out = {{}}
only = {only!r}
for name, fn in problems.items():
    if only and name not in only:
        continue
    fn()  # compile or load
    times = []
    for _ in range(repeat):
        t = time.perf_counter(); fn(); times.append(time.perf_counter() - t)
    out[name] = times
print(json.dumps(out))
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("new")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--problem", action="append", help="only this problem (repeatable)")
    args = parser.parse_args()
    bench = os.path.dirname(os.path.abspath(__file__))
    code = _TIMER.format(bench=bench, repeat=args.repeat, only=args.problem or [])
    trees = {"base": os.path.abspath(args.base), "new": os.path.abspath(args.new)}
    caches = {name: tempfile.mkdtemp(prefix=f"compare_runtime_{name}_") for name in trees}
    times = {name: {} for name in trees}
    for _ in range(args.rounds):
        for name, tree in trees.items():
            env = dict(os.environ, PYTHONPATH=tree, NUMBA_CACHE_DIR=caches[name],
                       SPARSESTAT_QUIET_COMPILE="1")
            done = subprocess.run([sys.executable, "-c", code], env=env, cwd=tree,
                                  capture_output=True, text=True, check=True)
            for problem, ts in json.loads(done.stdout.strip().splitlines()[-1]).items():
                times[name].setdefault(problem, []).extend(ts)
    for cache in caches.values():
        shutil.rmtree(cache, ignore_errors=True)
    print(f"{'problem':<16} {'base (s)':>9} {'new (s)':>9} {'new / base':>10}")
    for problem in times["base"]:
        b = sorted(times["base"][problem])[len(times["base"][problem]) // 2]
        n = sorted(times["new"][problem])[len(times["new"][problem]) // 2]
        print(f"{problem:<16} {b:>9.4f} {n:>9.4f} {n / b:>10.3f}")


if __name__ == "__main__":
    main()
