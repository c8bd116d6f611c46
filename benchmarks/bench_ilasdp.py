"""iLA-SDP clustering: time and error against KMeans, GaussianMixture and cvxpy + SCS.

Claim (issue 6): ``ILASDP`` fits n = 2000, p = 2, K = 2 in under 30 s on one core, where
cvxpy + SCS needs ~100 s for one K-means SDP already at n = 120. Data: one round cluster
(sd 0.5) and one elongated cluster (sd (3, 0.5)) shifted by 3, equal sizes.

Run ``python benchmarks/bench_ilasdp.py`` (``--quick`` skips n = 10000; ``--only-large``
runs only n = 10000).
"""

import subprocess
import sys
import time
import warnings

from _common import interleaved_timings, print_table  # pins BLAS / numba threads

import numpy as np  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.mixture import GaussianMixture  # noqa: E402

from sparsestat._engine.families._burer_monteiro import solve_la_sdp_bm  # noqa: E402
from sparsestat.cluster import ILASDP  # noqa: E402
from sparsestat.cluster._cvxpy import la_sdp_cvxpy  # noqa: E402
from sparsestat.cluster._sdp import _whiten  # noqa: E402


def data(n, seed=0):
    rng = np.random.default_rng(seed)
    h = n // 2
    X = np.vstack([rng.normal(0.0, 0.5, (h, 2)),
                   rng.normal(0.0, 1.0, (h, 2)) * [3.0, 0.5] + [0.0, 3.0]])
    return X, np.repeat([0, 1], h)


def error(y, labels):
    e = float(np.mean(y != labels))
    return min(e, 1.0 - e)


def fit_rows(sizes, repeat):
    rows = []
    for n in sizes:
        X, y = data(n)
        contenders = {
            "ILASDP (bm)": lambda: ILASDP(sketch_size=None, random_state=0).fit(X).labels_,
            "KMeans (n_init=10)": lambda: KMeans(2, n_init=10, random_state=0).fit_predict(X),
            "GaussianMixture (k-means init)":
                lambda: GaussianMixture(2, random_state=0).fit(X).predict(X),
            "GaussianMixture (random init)":
                lambda: GaussianMixture(2, init_params="random", random_state=0)
                .fit(X).predict(X),
        }
        if n >= 5000:
            contenders["ILASDP (bm, sketch_size=2000)"] = \
                lambda: ILASDP(sketch_size=2000, random_state=0).fit(X).labels_
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = interleaved_timings(contenders, repeat=repeat)
        ours = np.median(res["ILASDP (bm)"][0])
        for name, (times, labels) in res.items():
            rows.append(dict(n=n, method=name, median_s=f"{np.median(times):.3f}",
                             min_s=f"{np.min(times):.3f}",
                             vs_ours=f"{np.median(times) / ours:.3g}x",
                             error=f"{error(y, labels):.4f}"))
    return rows


def solver_rows(n=60, repeat=3):
    """One LA-SDP solve at the k-means covariances: BM against cvxpy (SCS, Clarabel)."""
    X, y = data(n)
    Xc = X - X.mean(axis=0)
    labels = KMeans(2, n_init=10, random_state=0).fit_predict(Xc)
    covs = [np.cov(Xc[labels == k].T) + 1e-6 * np.eye(2) for k in range(2)]
    Ys, cs = _whiten(Xc, covs, "full", 1e-6)
    contenders = {
        "BM (ours, rank 2K=4, tol 1e-6)":
            lambda: solve_la_sdp_bm(Ys, cs, np.ones(2), 4).objective,
        # rank about sqrt(2 * n constraints): where Burer-Monteiro theory rules out
        # spurious local minima for generic SDPs; the rank-4 factor can stop in one here
        "BM (ours, rank 11, tol 1e-6)":
            lambda: solve_la_sdp_bm(Ys, cs, np.ones(2), 11).objective,
        "cvxpy + SCS (eps 1e-6)":
            lambda: la_sdp_cvxpy(Ys, cs, solver="SCS", eps_abs=1e-6, eps_rel=1e-6)[1],
        "cvxpy + Clarabel": lambda: la_sdp_cvxpy(Ys, cs, solver="CLARABEL")[1],
    }
    res = interleaved_timings(contenders, repeat=repeat)
    ref = res["cvxpy + Clarabel"][1]
    ours = np.median(res["BM (ours, rank 2K=4, tol 1e-6)"][0])
    return [dict(n=n, method=name, median_s=f"{np.median(t):.3f}", min_s=f"{np.min(t):.3f}",
                 vs_ours=f"{np.median(t) / ours:.3g}x", objective=f"{obj:.6f}",
                 rel_gap=f"{abs(obj - ref) / abs(ref):.1e}")
            for name, (t, obj) in res.items()]


def cold_seconds(n=500):
    """A fresh process: import, numba cache load, data (as ``data(n)``), fit."""
    code = (
        "import time; t = time.perf_counter(); import numpy as np; "
        "from sparsestat.cluster import ILASDP; "
        "rng = np.random.default_rng(0); "
        "X = np.vstack([rng.normal(0.0, 0.5, ({h}, 2)), "
        "rng.normal(0.0, 1.0, ({h}, 2)) * [3.0, 0.5] + [0.0, 3.0]]); "
        "ILASDP(sketch_size=None, random_state=0).fit(X); print(time.perf_counter() - t)"
    ).format(h=n // 2)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main():
    quick = "--quick" in sys.argv
    # warm up: compile (or load) the kernels and import cvxpy
    ILASDP(random_state=0).fit(data(100)[0])
    start = time.perf_counter()
    print(f"cold fit (fresh process, warm numba cache), n=500: {cold_seconds():.2f} s")
    print()
    print("ILASDP against the anchors (median of 3 interleaved runs, one thread)")
    sizes = [500, 2000] if quick else [500, 2000, 10000]
    if "--only-large" in sys.argv:
        sizes = [10000]
    print_table(fit_rows(sizes, repeat=3),
                ["n", "method", "median_s", "min_s", "vs_ours", "error"])
    if "--only-large" in sys.argv:
        return
    print()
    print("one LA-SDP solve, n=60 (objective gap relative to Clarabel)")
    print_table(solver_rows(), ["n", "method", "median_s", "min_s", "vs_ours", "objective",
                                "rel_gap"])
    print(f"\ntotal {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
