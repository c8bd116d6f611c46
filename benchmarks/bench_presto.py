"""PRESTO: the 20-alpha path with 5-fold CV at n=2500, p=10 against cvxpy.

The claim: PRESTOClassifierCV (20 alphas down to 0.01 alpha_max, 5 folds, refit) in well
under 2 s, 20x or more faster than the same problems solved by cvxpy (Clarabel, exponential
cones, the penalty parameter as a DPP Parameter so cvxpy compiles each problem once).

Rows:
* path: the 20-alpha path on all data, ours vs cvxpy, interleaved, median/min of 3 runs;
  accuracy: the largest objective excess over the better of the two solutions (our own
  numpy objective for both), and our largest KKT violation.
* path + 5-fold CV: the whole CV fit. Ours: median/min of 3 runs. cvxpy: the same folds and
  grid (6 paths of 20 solves) measured once with ``--cv-anchor`` (slow: minutes); without
  it, estimated as 6 x its full-data path time and marked "est.".
* cold: our first CV fit in a fresh process (numba kernels loaded from the on-disk cache).

Usage: ``python benchmarks/bench_presto.py [--cv-anchor] [--repeat 3]``
"""

import argparse
import os
import subprocess
import sys
import time
import warnings

sys.path.insert(0, os.path.dirname(__file__))
from _common import print_table  # noqa: E402

import numpy as np  # noqa: E402
from sklearn.model_selection import StratifiedKFold  # noqa: E402

from sparsestat.ordinal import PRESTOClassifierCV, presto_path  # noqa: E402
from sparsestat.ordinal._simulation import make_presto_simulation  # noqa: E402

N, P, K = 2500, 10, 4


def objective(X, y, coef, intercept, lam):
    """-(1/n) sum log p_{y_i} + lam sum_j s_j |psi_jk| in numpy."""
    eta = X @ coef.T + intercept
    F = np.hstack([np.zeros((len(y), 1)), 1 / (1 + np.exp(-eta)), np.ones((len(y), 1))])
    p = F[np.arange(len(y)), y + 1] - F[np.arange(len(y)), y]
    if np.any(p <= 0):
        return np.inf
    psi = np.diff(coef, axis=0, prepend=0.0)
    return -np.mean(np.log(p)) + lam * np.sum(X.std(axis=0)[None, :] * np.abs(psi))


class CvxpyPresto:
    """The PRESTO problem in cvxpy: one compiled problem, ``lam`` a Parameter."""

    def __init__(self, X, y):
        import cvxpy as cp

        n, p = X.shape
        self.mean = X.mean(axis=0)
        Xc = X - self.mean
        s = X.std(axis=0)
        self.B = cp.Variable((p, K - 1))
        self.a0 = cp.Variable(K - 1)
        self.lam = cp.Parameter(nonneg=True)
        eta = Xc @ self.B + np.ones((n, 1)) @ cp.reshape(self.a0, (1, K - 1), order="C")
        Sa = np.zeros((n, K - 1))
        Sb = np.zeros((n, K - 1))
        for i, c in enumerate(y):
            if c <= K - 2:
                Sa[i, c] = 1
            if c >= 1:
                Sb[i, c - 1] = 1
        a = cp.sum(cp.multiply(eta, Sa), axis=1)
        b = cp.sum(cp.multiply(eta, Sb), axis=1)
        mid = np.flatnonzero((y >= 1) & (y <= K - 2))
        lo = np.flatnonzero(y == 0)
        hi = np.flatnonzero(y == K - 1)
        t = cp.Variable(len(mid))  # t <= log(1 - exp(b - a)): exp(t) + exp(b - a) <= 1
        psi = self.B @ (np.eye(K - 1) - np.eye(K - 1, k=1))
        loss = (cp.sum(cp.logistic(-a[lo])) + cp.sum(cp.logistic(-a[mid]))
                + cp.sum(cp.logistic(b[mid])) - cp.sum(t) + cp.sum(cp.logistic(b[hi]))) / n
        penalty = cp.sum(cp.multiply(np.repeat(s[:, None], K - 1, axis=1), cp.abs(psi)))
        self.problem = cp.Problem(cp.Minimize(loss + self.lam * penalty),
                                  [cp.exp(t) + cp.exp(b[mid] - a[mid]) <= 1])

    def path(self, alphas):
        coefs, intercepts = [], []
        for lam in alphas:
            self.lam.value = lam
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self.problem.solve(solver="CLARABEL")
            coef = self.B.value.T
            coefs.append(coef)
            intercepts.append(self.a0.value - coef @ self.mean)
        return np.array(coefs), np.array(intercepts)


def brier(X, y, coef, intercept):
    from sparsestat.ordinal._base import class_probabilities

    P = class_probabilities(X @ coef.T + intercept)
    onehot = np.eye(K)[y]
    return np.mean(((P - onehot) ** 2).sum(axis=1))


def cvxpy_cv(X, y, alphas, folds):
    scores = []
    for train, test in folds:
        coefs, intercepts = CvxpyPresto(X[train], y[train]).path(alphas)
        scores.append([brier(X[test], y[test], c, b) for c, b in zip(coefs, intercepts)])
    mean = np.mean(scores, axis=0)
    best = int(np.flatnonzero(mean == mean.min())[0])
    coefs, intercepts = CvxpyPresto(X, y).path(alphas)
    return alphas[best], coefs[best]


def interleaved(contenders, repeat):
    """A B A B ...: ``{name: (wall times, CPU times, last result)}``.

    CPU time (``time.process_time``, one thread) is reported beside wall time because the
    shared machine's load changes wall times by several x between runs.
    """
    out = {name: ([], [], None) for name in contenders}
    for _ in range(repeat):
        for name, fn in contenders.items():
            wall, cpu = time.perf_counter(), time.process_time()
            result = fn()
            walls, cpus, _ = out[name]
            out[name] = (walls + [time.perf_counter() - wall],
                         cpus + [time.process_time() - cpu], result)
    return out


def cold_time():
    code = (
        "import time, numpy as np\n"
        "from sparsestat.ordinal._simulation import make_presto_simulation\n"
        f"X, y, *_ = make_presto_simulation({N}, {P}, random_state=0)\n"
        "t = time.perf_counter()\n"
        "from sparsestat.ordinal import PRESTOClassifierCV\n"
        "PRESTOClassifierCV().fit(X, y)\n"
        "print(time.perf_counter() - t)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cv-anchor", action="store_true",
                        help="measure cvxpy's full 5-fold CV (minutes) instead of estimating")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    X, y, *_ = make_presto_simulation(N, P, random_state=0)
    PRESTOClassifierCV(alphas=3, cv=2).fit(X, y)  # compile / load the kernels
    alphas, _, _ = presto_path(X, y, alphas=20, eps=1e-2)

    cvx = CvxpyPresto(X, y)
    cvx.path(alphas[:1])  # cvxpy's one-time canonicalization
    runs = interleaved({
        "ours": lambda: presto_path(X, y, alphas=alphas),
        "cvxpy": lambda: cvx.path(alphas),
    }, repeat=args.repeat)
    ours_t, ours_cpu, (_, our_coefs, our_ints) = runs["ours"]
    cvx_t, cvx_cpu, (cvx_coefs, cvx_ints) = runs["cvxpy"]
    excess_ours, excess_cvx = [], []
    for lam, c1, b1, c2, b2 in zip(alphas, our_coefs, our_ints, cvx_coefs, cvx_ints):
        f1, f2 = objective(X, y, c1, b1, lam), objective(X, y, c2, b2, lam)
        excess_ours.append(f1 - min(f1, f2))
        excess_cvx.append(f2 - min(f1, f2))
    rows = [{
        "problem": "20-alpha path (all data)",
        "ours wall med/min (CPU)": f"{np.median(ours_t):.3f}/{np.min(ours_t):.3f} "
                                   f"({np.median(ours_cpu):.3f})",
        "cvxpy wall med/min (CPU)": f"{np.median(cvx_t):.1f}/{np.min(cvx_t):.1f} "
                                    f"({np.median(cvx_cpu):.1f})",
        "ratio wall (CPU)": f"{np.median(np.array(cvx_t) / np.array(ours_t)):.0f}x "
                            f"({np.median(np.array(cvx_cpu) / np.array(ours_cpu)):.0f}x)",
        "objective excess ours / cvxpy": f"{max(excess_ours):.1e} / {max(excess_cvx):.1e}",
    }]

    folds = list(StratifiedKFold(5).split(X, y))
    cv_runs = interleaved({"ours": lambda: PRESTOClassifierCV(
        alphas=20, eps=1e-2, cv=5, n_jobs=1).fit(X, y)}, repeat=args.repeat)
    cv_times, cv_cpu, ours_cv = cv_runs["ours"]
    if args.cv_anchor:
        wall, cpu = time.perf_counter(), time.process_time()
        cvx_alpha, cvx_coef = cvxpy_cv(X, y, ours_cv.alphas_, folds)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        cvx_cv = f"{wall:.1f} ({cpu:.1f}), 1 run"
        same = "same alpha" if np.isclose(cvx_alpha, ours_cv.alpha_) else \
            f"alpha {cvx_alpha:.3g} vs ours {ours_cv.alpha_:.3g}"
        ratio = f"{wall / np.median(cv_times):.0f}x ({cpu / np.median(cv_cpu):.0f}x)"
    else:
        cvx_cv = f"{6 * np.median(cvx_t):.1f} ({6 * np.median(cvx_cpu):.1f}) est."
        same = "not run (--cv-anchor)"
        ratio = (f"{6 * np.median(cvx_t) / np.median(cv_times):.0f}x "
                 f"({6 * np.median(cvx_cpu) / np.median(cv_cpu):.0f}x) est.")
    rows.append({
        "problem": "20-alpha path + 5-fold CV",
        "ours wall med/min (CPU)": f"{np.median(cv_times):.3f}/{np.min(cv_times):.3f} "
                                   f"({np.median(cv_cpu):.3f})",
        "cvxpy wall med/min (CPU)": cvx_cv,
        "ratio wall (CPU)": ratio,
        "objective excess ours / cvxpy": same,
    })
    rows.append({
        "problem": "path + CV, cold process",
        "ours wall med/min (CPU)": f"{cold_time():.2f} wall",
        "cvxpy wall med/min (CPU)": "-",
        "ratio wall (CPU)": "-",
        "objective excess ours / cvxpy": "numba kernels from the disk cache",
    })
    print(f"PRESTO, n={N}, p={P}, K={K}, 20 alphas down to 0.01 alpha_max, one thread")
    print_table(rows, list(rows[0]))


if __name__ == "__main__":
    main()
