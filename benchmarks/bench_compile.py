"""Cold compile cost per family: CPU seconds of a full warm-up and the first fit's wall time.

Each measurement runs in its own subprocess with a fresh, empty ``NUMBA_CACHE_DIR``, so
every kernel is compiled (nothing is loaded from disk). For each family:

* ``warmup CPU``: CPU seconds of ``import sparsestat.<family>`` plus its ``_warmup()``
  (what ``python -m sparsestat warmup`` pays for it on an empty cache);
* ``first fit``: wall seconds of one representative ``fit`` on tiny data in a fresh
  process with an empty cache (what a new user waits for), and its CPU seconds.

``--profile FAMILY`` instead lists that family's kernels by exclusive compile time
(numba's ``numba:compile`` events, CPU seconds, nested compiles subtracted from their
caller); ``--profile --only fit FAMILY`` profiles its first fit (``lasso_cd``: a p > n
Lasso, coordinate descent, where the family's row takes the Gram solver).

Usage::

    python benchmarks/bench_compile.py                  # every family
    python benchmarks/bench_compile.py linear_model dag
    python benchmarks/bench_compile.py --profile linear_model
    python benchmarks/bench_compile.py --tree /tmp/other_checkout   # time another tree

CPU seconds are stable on a loaded machine; wall times are not (say so when you report).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

FAMILIES = ["linear_model", "dag", "ordinal", "cluster", "quantile", "privacy", "nn"]

# one representative first fit per family, on tiny data
FIRST_FIT = {
    "linear_model": (
        "from sparsestat.linear_model import Lasso\n"
        "X = rng.standard_normal((50, 10)); y = X[:, 0] + 0.1 * rng.standard_normal(50)\n"
        "est = Lasso(alpha=0.01)\n"
        "args = (X, y)"
    ),
    "dag": (
        "from sparsestat.dag import CoLiDE\n"
        "X = rng.standard_normal((50, 4)); X[:, 1] += X[:, 0]\n"
        "est = CoLiDE()\n"
        "args = (X,)"
    ),
    "ordinal": (
        "from sparsestat.ordinal import PRESTOClassifier\n"
        "X = rng.uniform(-1, 1, size=(60, 3))\n"
        "y = np.digitize(X[:, 0] + rng.logistic(size=60), [-0.5, 0.5])\n"
        "est = PRESTOClassifier(alpha=0.01)\n"
        "args = (X, y)"
    ),
    "cluster": (
        "from sparsestat.cluster import ILASDP\n"
        "X = np.vstack([rng.normal(0.0, 0.5, (15, 2)), rng.normal(3.0, 0.5, (15, 2))])\n"
        "est = ILASDP(n_clusters=2, random_state=0)\n"
        "args = (X,)"
    ),
    "quantile": (
        "from sparsestat.quantile import SparseQuantileRegressor\n"
        "X = rng.standard_normal((50, 4)); y = X[:, 0] + rng.standard_normal(50)\n"
        "est = SparseQuantileRegressor(quantile=0.5, alpha=0.01)\n"
        "args = (X, y)"
    ),
    "privacy": (
        "from sparsestat.privacy import LDPSparseRegressor\n"
        "X = rng.choice([-1.0, 1.0], size=(64, 3)); y = X[:, 0] + 0.1 * rng.standard_normal(64)\n"
        "est = LDPSparseRegressor(epsilon=np.inf, clip_x=1.0, clip_y=2.0, alpha=0.01,\n"
        "                         noise='per_user', random_state=0)\n"
        "args = (X, y)"
    ),
    "nn": (
        "from sparsestat.nn import SparseMLPClassifier\n"
        "X = rng.standard_normal((24, 4)); y = (X[:, 0] > 0).astype(int)\n"
        "est = SparseMLPClassifier((4,), max_iter=5, device='cpu', random_state=0)\n"
        "args = (X, y)"
    ),
}

# first fits that take another solver than their family's row above
EXTRA_FITS = {
    "lasso_cd": (
        "from sparsestat.linear_model import Lasso\n"
        "X = rng.standard_normal((40, 80)); y = X[:, 0] + 0.1 * rng.standard_normal(40)\n"
        "est = Lasso(alpha=0.01)\n"
        "args = (X, y)"
    ),
}

_WARMUP = """
import json, time, warnings, importlib
warnings.simplefilter("ignore")
cpu0, wall0 = time.process_time(), time.perf_counter()
module = importlib.import_module("sparsestat.{family}")
module._warmup()
print(json.dumps({{"cpu": time.process_time() - cpu0, "wall": time.perf_counter() - wall0}}))
"""

_ALL = """
import json, time, warnings
warnings.simplefilter("ignore")
cpu0, wall0 = time.process_time(), time.perf_counter()
import sparsestat
sparsestat.warmup()
print(json.dumps({"cpu": time.process_time() - cpu0, "wall": time.perf_counter() - wall0}))
"""

_FIRST_FIT = """
import json, time, warnings
warnings.simplefilter("ignore")
import numpy as np
rng = np.random.default_rng(0)
{setup}
cpu0, wall0 = time.process_time(), time.perf_counter()
est.fit(*args)
print(json.dumps({{"cpu": time.process_time() - cpu0, "wall": time.perf_counter() - wall0}}))
"""

_PROFILE = """
import importlib, json, time, warnings
from numba.core import event
warnings.simplefilter("ignore")

class Exclusive(event.Listener):
    def __init__(self):
        self.stack, self.total = [], {{}}
    def on_start(self, ev):
        self.stack.append([time.process_time(), 0.0])
    def on_end(self, ev):
        start, children = self.stack.pop()
        spent = time.process_time() - start
        if self.stack:
            self.stack[-1][1] += spent
        disp = ev.data["dispatcher"]
        name = disp.py_func.__module__.rsplit(".", 1)[-1] + "." + disp.py_func.__qualname__
        key = name + str(tuple(str(a) for a in ev.data["args"]))
        self.total[key] = self.total.get(key, 0.0) + spent - children

listener = Exclusive()
import numpy as np
rng = np.random.default_rng(0)
{setup}
with event.install_listener("numba:compile", listener):
    if {fit}:
        est.fit(*args)
    else:
        importlib.import_module("sparsestat.{family}")._warmup()
print(json.dumps(listener.total))
"""


def _run(code, tree):
    with tempfile.TemporaryDirectory(prefix="bench_compile_") as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache, PYTHONPATH=tree, OMP_NUM_THREADS="1",
                   OPENBLAS_NUM_THREADS="1", PYTHONDONTWRITEBYTECODE="1")
        env.pop("XDG_CACHE_HOME", None)
        done = subprocess.run([sys.executable, "-c", code], env=env, cwd=tree,
                              capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def profile(family, tree, fit=False, top=int(os.environ.get("BENCH_TOP", 30))):
    setup = EXTRA_FITS.get(family) or FIRST_FIT[family]
    family = "linear_model" if family in EXTRA_FITS else family
    total = _run(_PROFILE.format(family=family, setup=setup, fit=fit), tree)
    rows = sorted(total.items(), key=lambda kv: -kv[1])
    print(f"{family}: {sum(total.values()):.1f} s of compile in {len(total)} signatures")
    for key, seconds in rows[:top]:
        print(f"{seconds:7.2f}  {key[:150]}")


def _median(values):
    values = sorted(values)
    return values[len(values) // 2] if values else float("nan")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("families", nargs="*", default=FAMILIES)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--tree", action="append",
                        help="source tree to time (repeat to compare trees, interleaved); "
                             "default: this checkout")
    parser.add_argument("--rounds", type=int, default=1, help="median over this many runs")
    parser.add_argument("--only", choices=["warmup", "fit"], help="one of the two columns")
    parser.add_argument("--all-in-one", action="store_true",
                        help="also time sparsestat.warmup() of every family in one process")
    args = parser.parse_args()
    trees = args.tree or [os.path.dirname(os.path.dirname(os.path.abspath(__file__)))]
    if args.profile:
        for family in args.families:
            profile(family, trees[0], fit=args.only == "fit")
        return
    rows = list(args.families)
    fits = dict(FIRST_FIT)
    if args.only != "warmup" and "linear_model" in rows:
        rows += list(EXTRA_FITS)
        fits.update(EXTRA_FITS)
    if args.all_in_one and args.only != "fit":
        rows.append("all, 1 process")
    res = {tree: {row: {"warm": [], "wall": [], "cpu": []} for row in rows} for tree in trees}
    for _ in range(args.rounds):
        for row in rows:
            for tree in trees:  # interleaved: the machine's load hits every tree alike
                cell = res[tree][row]
                if row == "all, 1 process":
                    cell["warm"].append(_run(_ALL, tree)["cpu"])
                    continue
                if row in FIRST_FIT and args.only != "fit":
                    cell["warm"].append(_run(_WARMUP.format(family=row), tree)["cpu"])
                if args.only != "warmup":
                    fit = _run(_FIRST_FIT.format(setup=fits[row]), tree)
                    cell["wall"].append(fit["wall"])
                    cell["cpu"].append(fit["cpu"])
    for tree in trees:
        print(f"tree {tree} (median of {args.rounds})")
        print(f"{'':<16} {'warmup CPU (s)':>15} {'first fit wall (s)':>19} "
              f"{'first fit CPU (s)':>18}")
        for row in rows:
            cell = res[tree][row]
            print(f"{row:<16} {_median(cell['warm']):>15.1f} {_median(cell['wall']):>19.2f} "
                  f"{_median(cell['cpu']):>18.2f}")
        total = sum(_median(res[tree][row]["warm"]) for row in args.families)
        print(f"{'sum of families':<16} {total:>15.1f}")
    if len(trees) == 2:
        a, b = trees
        print(f"\nratio {b} / {a} (CPU seconds)")
        for row in rows:
            ra, rb = res[a][row], res[b][row]
            print(f"{row:<16} {_median(rb['warm']) / _median(ra['warm']):>15.2f} "
                  f"{'':>19} {_median(rb['cpu']) / _median(ra['cpu']):>18.2f}")


if __name__ == "__main__":
    main()
