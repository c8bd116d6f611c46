"""Speed of sparse regression under local differential privacy (issue 8).

Claim: n = 4e6 users, d = 10 simulated end to end (data, privatization with aggregate
noise, server step) in under 10 s; per-user noise throughput in users per second.
No library implements LDP regression (diffprivlib is central DP and does not import with
scikit-learn 1.9), so the anchor is the non-private scikit-learn Lasso on the raw data:
the price of privacy in time and in accuracy.

Run: ``python benchmarks/bench_ldp.py [--quick]``. One thread, warm-up first, contenders
interleaved, median (and min) of 3 runs.
"""

import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("NUMBA_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from sklearn.linear_model import Lasso as SkLasso  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from sparsestat.privacy import LDPSparseRegressor, privatize  # noqa: E402

D, K, EPS = 10, 3, 4.0
THETA = np.zeros(D)
THETA[:K] = np.sqrt(0.5 / K)


def simulate(n, seed):
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 2, size=(n, D), dtype=np.int8).astype(np.float64) * 2 - 1
    return X, X @ THETA + 0.1 * rng.standard_normal(n)


def ldp(protocol, noise="aggregate", seed=0):
    return LDPSparseRegressor(epsilon=EPS, clip_x=1.0, clip_y=2.0, protocol=protocol,
                              noise=noise, fit_intercept=False, random_state=seed)


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def interleave(contenders, repeat):
    times = {name: [] for name in contenders}
    results = {}
    for _ in range(repeat):
        for name, fn in contenders.items():
            seconds, results[name] = timed(fn)
            times[name].append(seconds)
    return times, results


def main(quick=False):
    n = 1_000_000 if quick else 4_000_000
    n_user = 200_000 if quick else 1_000_000
    repeat = 3
    public_X, _ = simulate(100_000, 99)
    with threadpool_limits(limits=1):
        # warm-up: compile (or load) the Gram-form Lasso and touch every path
        Xw, yw = simulate(20_000, 1)
        for protocol in ("noninteractive", "interactive"):
            ldp(protocol).fit(Xw, yw)
        ldp("public").fit(Xw, yw, public_X=public_X)
        SkLasso(alpha=1e-3).fit(Xw, yw)

        def end_to_end():
            X, y = simulate(n, 0)
            return ldp("noninteractive").fit(X, y)

        e2e_times, e2e = interleave({"end to end": end_to_end}, repeat)
        X, y = simulate(n, 0)
        contenders = {
            "LDP non-interactive": lambda: ldp("noninteractive").fit(X, y),
            "LDP public x": lambda: ldp("public").fit(X, y, public_X=public_X),
            "LDP interactive IHT": lambda: ldp("interactive").fit(X, y),
            # rate-optimal penalty for the noise sd 0.1: the non-private accuracy reference
            "sklearn Lasso (no privacy)": lambda: SkLasso(
                alpha=0.1 * np.sqrt(2 * np.log(D) / n)).fit(X, y),
        }
        times, results = interleave(contenders, repeat)
        Xu, yu = X[:n_user], y[:n_user]
        per_user = {
            "privatize per_user": lambda: privatize(Xu, yu, EPS, 1e-5, 1.0, 2.0,
                                                    fit_intercept=False, random_state=0),
            "fit per_user non-int.": lambda: ldp("noninteractive", "per_user").fit(Xu, yu),
            "fit per_user interactive": lambda: ldp("interactive", "per_user").fit(Xu, yu),
        }
        user_times, _ = interleave(per_user, repeat)

    anchor = np.median(times["sklearn Lasso (no privacy)"])
    print(f"LDP sparse regression: n={n:.0e} users, d={D}, k={K}, epsilon={EPS}, "
          "Rademacher x, 1 thread")
    header = f"{'contender':<28} {'median s':>9} {'min s':>7} {'/ Lasso':>8} {'l2 error':>9}"
    print(header)
    print("-" * len(header))
    e2e_med = np.median(e2e_times["end to end"])
    print(f"{'end to end (sim + LDP)':<28} {e2e_med:>9.2f} {min(e2e_times['end to end']):>7.2f}"
          f" {e2e_med / anchor:>8.2f} {np.linalg.norm(e2e['end to end'].coef_ - THETA):>9.4f}")
    for name, ts in times.items():
        err = np.linalg.norm(results[name].coef_ - THETA)
        med = np.median(ts)
        print(f"{name:<28} {med:>9.2f} {min(ts):>7.2f} {med / anchor:>8.2f} {err:>9.4f}")
    print()
    print(f"per-user noise, n={n_user:.0e} users (every report perturbed)")
    header = f"{'contender':<28} {'median s':>9} {'users/s':>12}"
    print(header)
    print("-" * len(header))
    for name, ts in user_times.items():
        med = np.median(ts)
        print(f"{name:<28} {med:>9.2f} {n_user / med:>12.3g}")
    return e2e_med


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
