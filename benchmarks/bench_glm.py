"""Sparse GLMs against glum, skglm and scikit-learn (issue 17; logistic rows: issue 23).

Run: ``python benchmarks/bench_glm.py [--quick] [--only ROW ...]``. One BLAS / numba
thread, every contender warmed up first (compilation excluded), runs interleaved,
median of ``--repeat``. Every row reports the objective each contender reached, in our
scaling (``(1/n) sum_i f_i + penalty``), minus the best of the row: times are only
comparable where these agree.

Engine rows (i17eng):

* ``logistic``: L1 logistic regression, dense 2000 x 5000, C = 0.05
  (``alpha = 1 / (C n)``), no intercept (issue 23, item 4): our proximal Newton at
  ``tol`` 1e-4, 1e-6, 1e-8 against skglm's ``ProxNewton`` and scikit-learn's liblinear
  at the same three tolerances (each its own stopping rule), glum and saga at 1e-4 (on the
  full sizes only with ``--slow-peers``: minutes per fit) and
  pybiglasso (it always fits an intercept and penalizes standardized columns: a nearby,
  not the same, problem). ``logistic_sparse``: the same on a sparse CSC 100000 x 20000
  design at 0.1 % nonzeros, alpha_max / 20. "max obj - best" is each contender's
  objective minus a reference (ours at ``tol=1e-11``, untimed), with its relative size;
  "peer/ours" is the time of the fastest peer run at least as close to the reference as
  ours, over ours (matched accuracy). A contender slower than ``LOGISTIC_CAP`` seconds
  runs once.
* ``poisson_dense`` / ``poisson_sparse``: a 20-alpha Poisson elastic-net path
  (``l1_ratio = 0.5``, alpha_max down to alpha_max / 100, warm starts, intercept), dense
  10000 x 1000 and sparse CSC 100000 x 10000 at 0.1 % nonzeros, against glum's path
  (``alpha_search=True``) and skglm's ``ProxNewton`` with warm starts. glum runs on the
  full sparse design only with ``--slow-peers``: it did not finish in 300 s.
* ``huber`` / ``sqhinge``: L1 Huber regression against skglm (``AndersonCD``), L1
  squared-hinge SVM against liblinear (skglm has no primal squared hinge), dense
  5000 x 2000.

Estimator rows (SparsePoissonRegressor & co.) are added below ``ENGINE_ROWS`` by i17est.

Cox and SLOPE rows (i17cox, ``SURVIVAL_SLOPE_ROWS``):

* ``cox``: a 20-alpha elastic-net Cox path (Breslow ties, ``l1_ratio = 0.5``, alpha_max
  down to alpha_max / 100) on simulated censored data with tied times, dense 5000 x 500
  (1000 x 200 with ``--quick``): :func:`~sparsestat.linear_model.cox_path` at its default
  ``tol=1e-4`` and at ``tol=1e-3`` against
  scikit-survival's ``CoxnetSurvivalAnalysis`` on the same alphas, at its default
  ``tol=1e-7`` (which stops ~1e-6 above the optimum: see "max obj - best") and at
  ``tol=1e-9``. "max obj - best" is against a reference path (ours at ``tol=1e-10``,
  untimed), so rows of similar gaps compare at matched accuracy. "peer/ours" is
  against the fastest peer, i.e. the less accurate default.
* ``slope``: SLOPE (BH weights, q = 0.1) least squares at alpha_max / 10, dense
  2000 x 2000 (300 x 500 with ``--quick``), our FISTA against skglm's ``FISTA`` with its
  ``SLOPE`` penalty.
"""

import argparse
import time
import warnings

import _common  # noqa: F401  (pins threads before numpy loads BLAS)
import numpy as np
import scipy.sparse as sp
from _common import interleaved_timings, print_table

from sparsestat._engine import (
    L1, ElasticNet, Huber, Logistic, Poisson, SquaredHinge, alpha_max_l1, solve, solve_path,
)

warnings.filterwarnings("ignore")

try:
    import skglm
    from skglm import datafits as sk_df
    from skglm import penalties as sk_pen
    from skglm.solvers import AndersonCD, ProxNewton
except ImportError:  # pragma: no cover
    skglm = None
try:
    import glum
except ImportError:  # pragma: no cover
    glum = None


def _objective(datafit, penalty, X, y, coef, intercept):
    s = np.asarray(X @ coef).ravel() + intercept
    return datafit.value(y, s) + penalty.value(coef)


def _row(name, results, datafit, penalty_of, X, y, what, reference=None):
    """Rows of the table from ``{contender: (times, (coefs, intercepts))}``.

    ``reference``: ``(coefs, intercepts)`` of a tighter, untimed solve; "max obj - best"
    is then against it too (the objective gap to a reference solution).
    """
    objs = {}
    fits = {c: fit for c, (_, fit) in results.items()}
    if reference is not None:
        fits["reference"] = reference
    for c, (coefs, b0s) in fits.items():
        objs[c] = [_objective(datafit, penalty_of(k), X, y, w, b)
                   for k, (w, b) in enumerate(zip(coefs, b0s))]
    best = np.min([o for o in objs.values()], axis=0)
    fastest_peer = min((np.median(t) for c, (t, _) in results.items()
                        if not c.startswith("sparsestat")), default=np.nan)
    rows = []
    for c, (times, (coefs, _)) in results.items():
        med = float(np.median(times))
        rows.append({
            "row": name, "contender": c, "median s": f"{med:.3f}",
            "peer/ours": f"{fastest_peer / med:.2f}" if c.startswith("sparsestat") else "",
            "max obj - best": f"{max(np.subtract(objs[c], best)):.1e}",
            "nnz (last)": int(np.count_nonzero(coefs[-1])), "what": what,
        })
    return rows


#: tolerances of the logistic single-fit rows (each contender's own stopping rule)
LOGISTIC_TOLS = (1e-4, 1e-6, 1e-8)
#: seconds: a logistic contender slower than this is timed once, not repeated
LOGISTIC_CAP = 10.0
try:  # optional peer (issue 23): intercept always fitted, columns standardized
    import pybiglasso
except ImportError:  # pragma: no cover
    pybiglasso = None


def _logistic_obj(X, y, alpha, coef):
    return float(np.logaddexp(0.0, -y * np.asarray(X @ coef).ravel()).mean()
                 + alpha * np.abs(coef).sum())


def _logistic_contenders(X, y, alpha, tols, slow=True):
    """``{name: fit() -> coef}``: ours and every peer that solves (or nearly solves) the
    same L1 logistic problem without intercept, at each tolerance of ``tols``."""
    from sklearn.linear_model import LogisticRegression

    n = X.shape[0]
    y01 = (y > 0).astype(float)
    out = {}
    for tol in tols:
        out[f"sparsestat prox_newton tol={tol:g}"] = lambda tol=tol: solve(
            X, y, Logistic(), L1(alpha), fit_intercept=False, tol=tol, max_iter=10_000).coef
    for tol in tols:
        if skglm is not None:
            out[f"skglm ProxNewton tol={tol:g}"] = lambda tol=tol: skglm.GeneralizedLinearEstimator(
                sk_df.Logistic(), sk_pen.L1(alpha),
                ProxNewton(tol=tol, fit_intercept=False, max_iter=100)).fit(X, y).coef_.ravel()
        if sp.issparse(X) and tol < 1e-6 and not slow:
            continue  # liblinear at 1e-8 on the sparse design: > 8 min (one try)
        out[f"scikit-learn liblinear tol={tol:g}"] = lambda tol=tol: LogisticRegression(
            C=1.0 / (alpha * n), l1_ratio=1.0, solver="liblinear", fit_intercept=False,
            tol=tol, max_iter=10_000).fit(X, y).coef_.ravel()
        if glum is not None and tol == tols[0] and slow:  # minutes per fit (full sizes)
            out[f"glum gradient_tol={tol:g}"] = lambda tol=tol: glum.GeneralizedLinearRegressor(
                family="binomial", alpha=alpha, l1_ratio=1.0, fit_intercept=False,
                gradient_tol=tol, max_iter=1000).fit(X, y01).coef_.ravel()
    if slow:
        out["scikit-learn saga tol=1e-4"] = lambda: LogisticRegression(
            C=1.0 / (alpha * n), l1_ratio=1.0, solver="saga", fit_intercept=False, tol=1e-4,
            max_iter=1000).fit(X, y).coef_.ravel()
    if pybiglasso is not None and not sp.issparse(X):
        out["pybiglasso (intercept, standardized)"] = lambda: pybiglasso.biglasso(
            X, y01, lambdas=[alpha], stop_on_saturation=False,
            n_threads=1).coef.toarray()[:, 0]  # (its column scans default to every core)
    return out


def _logistic_single_rows(name, X, y, alpha, repeat, what, small_size=False):
    """Time every contender (interleaved; one run for those slower than LOGISTIC_CAP);
    "max obj - best" is against a reference (ours at tol=1e-11, untimed), and
    "peer/ours" is the fastest peer run whose objective is at least as close to it as
    ours (matched accuracy; a relative excess below 1e-12 counts as 1e-12)."""
    fits = _logistic_contenders(X, y, alpha, LOGISTIC_TOLS, slow=SLOW_PEERS or small_size)
    first, coefs = {}, {}
    # warm-up (compilation, skglm's per process) on a slice of the same kind, untimed
    # (same memory layout as X: a numba peer compiles again for another one)
    small = X[: max(200, X.shape[0] // 50)]
    small = small.tocsc() if sp.issparse(X) else np.asfortranarray(small)
    for fit in _logistic_contenders(small, y[: small.shape[0]], alpha, LOGISTIC_TOLS,
                                    slow=SLOW_PEERS or small_size).values():
        fit()
    for c, fit in fits.items():
        start = time.perf_counter()
        coefs[c] = fit()
        first[c] = time.perf_counter() - start
        print(f"#   {c}: {first[c]:.3f} s (first timed run)", flush=True)
    fast = {c: f for c, f in fits.items() if first[c] <= LOGISTIC_CAP}
    res = interleaved_timings(fast, max(repeat - 1, 1)) if fast else {}
    times = {c: float(np.median(res[c][0] + [first[c]])) if c in res else first[c]
             for c in fits}
    ref = solve(X, y, Logistic(), L1(alpha), fit_intercept=False, tol=1e-11,
                max_iter=100_000).coef
    obj_ref = _logistic_obj(X, y, alpha, ref)
    excess = {c: max(_logistic_obj(X, y, alpha, w) - obj_ref, 0.0) / obj_ref
              for c, w in coefs.items()}
    rows = []
    for c in fits:
        ratio = ""
        if c.startswith("sparsestat"):
            ok = [times[o] for o in fits if not o.startswith("sparsestat")
                  and excess[o] <= max(excess[c], 1e-12)]
            ratio = f"{min(ok) / times[c]:.2f}" if ok else "no peer as close"
        rows.append({"row": name, "contender": c, "median s": f"{times[c]:.3f}",
                     "peer/ours": ratio,
                     "max obj - best": f"{excess[c] * obj_ref:.1e} (rel {excess[c]:.1e})",
                     "nnz (last)": int(np.count_nonzero(coefs[c])),
                     "what": what + ("" if c in res else " (run once: slow)")})
    return rows


def logistic_row(repeat, quick):
    n, p = (500, 1000) if quick else (2000, 5000)
    rng = np.random.default_rng(0)
    X = np.asfortranarray(rng.standard_normal((n, p)))
    w0 = np.zeros(p)
    w0[rng.choice(p, 20, replace=False)] = rng.standard_normal(20)
    y = np.where(X @ w0 + 0.5 * rng.standard_normal(n) > 0, 1.0, -1.0)
    C = 0.05
    alpha = 1.0 / (C * n)
    return _logistic_single_rows("logistic", X, y, alpha, repeat,
                                 f"{n}x{p} dense C={C} no intercept", small_size=quick)


def logistic_sparse_row(repeat, quick):
    """Sparse CSC 100000 x 20000 at 0.1 % nonzeros (drawn in O(nnz)), alpha_max / 20."""
    n, p = (20000, 4000) if quick else (100000, 20000)
    X, y = _logistic_sparse_data(n, p)
    alpha = alpha_max_l1(X, y, datafit=Logistic(), fit_intercept=False) / 20
    return _logistic_single_rows("logistic_sparse", X, y, alpha, repeat,
                                 f"{n}x{p} sparse 0.1% alpha_max/20 no intercept",
                                 small_size=quick)


def _logistic_sparse_data(n, p, seed=0):
    """The sparse design of issue 23 (also bench_cv.py's): 50 true features, labels from
    a logistic model of signal-to-noise 3."""
    rng = np.random.default_rng(seed)
    k = int(round(1e-3 * n * p))
    X = sp.csc_matrix((rng.standard_normal(k), (rng.integers(0, n, k),
                                                 rng.integers(0, p, k))), shape=(n, p))
    X.sum_duplicates()
    w = np.zeros(p)
    w[rng.choice(p, 50, replace=False)] = rng.uniform(-2, 2, 50)
    score = np.asarray(X @ w).ravel()
    score *= 3.0 / max(score.std(), 1e-12)
    y = np.where(score + rng.logistic(size=n) > 0, 1.0, -1.0)
    return X, y


def _poisson_data(n, p, density, seed=0):
    rng = np.random.default_rng(seed)
    if density is None:
        X = np.asfortranarray(rng.standard_normal((n, p)) / np.sqrt(p) * 2)
    else:
        # positions drawn directly (O(nnz)): scipy.sparse.random draws them out of all
        # n * p cells, which at 100000 x 10000 held 8 GB and ran for minutes
        k = int(round(density * n * p))
        X = sp.csc_matrix((rng.standard_normal(k), (rng.integers(0, n, k),
                                                     rng.integers(0, p, k))), shape=(n, p))
        X.sum_duplicates()
    w0 = np.zeros(p)
    w0[rng.choice(p, 20, replace=False)] = 0.5 * rng.standard_normal(20)
    y = rng.poisson(np.exp(np.asarray(X @ w0).ravel() + 0.2)).astype(float)
    return X, y


def poisson_path_row(name, repeat, quick, sparse):
    if sparse:
        n, p, dens = (20000, 2000, 0.005) if quick else (100000, 10000, 0.001)
    else:
        n, p, dens = (2000, 200, None) if quick else (10000, 1000, None)
    X, y = _poisson_data(n, p, dens)
    l1_ratio = 0.5
    amax = alpha_max_l1(X, y, datafit=Poisson(), l1_ratio=l1_ratio)
    alphas = amax * np.geomspace(1.0, 1e-2, 20)
    tol = 1e-6

    def ours():
        rs = solve_path(X, y, Poisson(), ElasticNet(1.0, l1_ratio), alphas, tol=tol,
                        max_iter=10_000)
        return [r.coef for r in rs], [r.intercept for r in rs]

    contenders = {"sparsestat prox_newton": ours}
    # glum's path on the full sparse design did not finish within 300 s (2026-12-07, one
    # run, shared 2-core machine; ours 1.4-1.8 s, skglm 23 s): left out unless asked for
    if glum is not None and (not sparse or quick or SLOW_PEERS):
        def gl():
            est = glum.GeneralizedLinearRegressor(
                family="poisson", l1_ratio=l1_ratio, alpha_search=True, alphas=alphas,
                gradient_tol=tol, max_iter=1000).fit(X, y)
            return list(est.coef_path_), list(est.intercept_path_)
        contenders["glum path"] = gl
    if skglm is not None:
        def sk():
            solver = ProxNewton(tol=tol, fit_intercept=True, warm_start=True)
            est = skglm.GeneralizedLinearEstimator(sk_df.Poisson(),
                                                   sk_pen.L1_plus_L2(alphas[0], l1_ratio),
                                                   solver)
            coefs, b0s = [], []
            for a in alphas:
                est.penalty = sk_pen.L1_plus_L2(a, l1_ratio)
                est.fit(X, y)
                coefs.append(est.coef_.copy())
                b0s.append(float(est.intercept_))
            return coefs, b0s
        contenders["skglm ProxNewton"] = sk
    for fn in contenders.values():
        fn()
    res = interleaved_timings(contenders, repeat)
    what = f"{n}x{p} {'sparse %.1f%%' % (100 * dens) if sparse else 'dense'} 20 alphas"
    return _row(name, res, Poisson(), lambda k: ElasticNet(alphas[k], l1_ratio), X, y, what)


def huber_row(repeat, quick):
    n, p = (1000, 400) if quick else (5000, 2000)
    rng = np.random.default_rng(1)
    X = np.asfortranarray(rng.standard_normal((n, p)))
    w0 = np.zeros(p)
    w0[:20] = rng.standard_normal(20)
    y = X @ w0 + rng.standard_t(2, n)
    d = Huber(delta=1.35)
    alpha = alpha_max_l1(X, y, datafit=d) / 20
    tol = 1e-6

    def ours(solver):
        def fit():
            r = solve(X, y, d, L1(alpha), tol=tol, solver=solver, max_iter=10_000)
            return [r.coef], [r.intercept]
        return fit

    contenders = {"sparsestat cd": ours("cd"), "sparsestat prox_newton": ours("prox_newton")}
    if skglm is not None:
        def sk():
            est = skglm.GeneralizedLinearEstimator(
                sk_df.Huber(1.35), sk_pen.L1(alpha),
                AndersonCD(tol=tol, fit_intercept=True)).fit(X, y)
            return [est.coef_.ravel()], [float(est.intercept_)]
        contenders["skglm AndersonCD"] = sk
    for fn in contenders.values():
        fn()
    res = interleaved_timings(contenders, repeat)
    return _row("huber", res, d, lambda k: L1(alpha), X, y, f"{n}x{p} dense amax/20")


def sqhinge_row(repeat, quick):
    from sklearn.svm import LinearSVC

    n, p = (1000, 400) if quick else (5000, 2000)
    rng = np.random.default_rng(2)
    X = np.asfortranarray(rng.standard_normal((n, p)))
    w0 = np.zeros(p)
    w0[:20] = rng.standard_normal(20)
    y = np.where(X @ w0 + rng.standard_normal(n) > 0, 1.0, -1.0)
    C = 0.01
    alpha = 1.0 / (C * n)
    d = SquaredHinge()

    def ours(solver):
        def fit():
            r = solve(X, y, d, L1(alpha), fit_intercept=False, tol=1e-6, solver=solver,
                      max_iter=10_000)
            return [r.coef], [0.0]
        return fit

    def lib():
        est = LinearSVC(penalty="l1", loss="squared_hinge", dual=False, C=C,
                        fit_intercept=False, tol=1e-6, max_iter=100_000).fit(X, y)
        return [est.coef_.ravel()], [0.0]

    contenders = {"sparsestat cd": ours("cd"), "sparsestat prox_newton": ours("prox_newton"),
                  "liblinear": lib}
    for fn in contenders.values():
        fn()
    res = interleaved_timings(contenders, repeat)
    return _row("sqhinge", res, d, lambda k: L1(alpha), X, y, f"{n}x{p} dense C={C}")


#: set by ``--slow-peers``: also run glum on the full sparse Poisson path (> 300 s), glum
#: and saga on the full-size logistic rows
SLOW_PEERS = False

ENGINE_ROWS = {
    "logistic": logistic_row,
    "logistic_sparse": logistic_sparse_row,
    "poisson_dense": lambda r, q: poisson_path_row("poisson_dense", r, q, sparse=False),
    "poisson_sparse": lambda r, q: poisson_path_row("poisson_sparse", r, q, sparse=True),
    "huber": huber_row,
    "sqhinge": sqhinge_row,
}


# ------------------------------------------------------------- Cox and SLOPE (i17cox)
def _cox_data(n, p, seed=0, n_signal=10, censoring=0.3):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    w = np.zeros(p)
    w[:n_signal] = rng.choice([-1, 1], n_signal) * rng.uniform(0.3, 1.0, n_signal)
    t_event = rng.exponential(np.exp(-(X @ w)))
    t_cens = rng.exponential(np.quantile(t_event, 1 - censoring) * 2, n)
    time_ = np.round(np.minimum(t_event, t_cens), 3)  # rounding makes ties
    return np.asfortranarray(X), time_, t_event <= t_cens


def cox_row(repeat, quick):
    from sksurv.linear_model import CoxnetSurvivalAnalysis
    from sksurv.util import Surv

    from sparsestat._engine import Cox
    from sparsestat.linear_model import cox_path

    n, p = (1000, 200) if quick else (5000, 500)
    l1_ratio = 0.5
    X, time_, event = _cox_data(n, p)
    y_struct = Surv.from_arrays(event, time_)
    y2 = np.column_stack([time_, event])
    alphas = CoxnetSurvivalAnalysis(l1_ratio=l1_ratio, n_alphas=20,
                                    alpha_min_ratio=0.01).fit(X, y_struct).alphas_
    zeros = [0.0] * len(alphas)

    def ours(tol):
        def fit():
            coefs = cox_path(X, y2, l1_ratio=l1_ratio, alphas=alphas, tol=tol)[1]
            return list(coefs.T), zeros
        return fit

    def sksurv(tol):
        def fit():
            coefs = CoxnetSurvivalAnalysis(l1_ratio=l1_ratio, alphas=alphas,
                                           tol=tol).fit(X, y_struct).coef_
            return list(coefs.T), zeros
        return fit

    # matched accuracy: each contender's objective gap to a reference (ours at tol=1e-10,
    # untimed); tol=1e-3 is ours at about sksurv's default accuracy
    contenders = {"sparsestat cox_path tol=1e-4 (default)": ours(1e-4),
                  "sparsestat cox_path tol=1e-3": ours(1e-3),
                  "sksurv Coxnet tol=1e-7 (default)": sksurv(1e-7),
                  "sksurv Coxnet tol=1e-9": sksurv(1e-9)}
    reference = ours(1e-10)()  # also compiles
    res = interleaved_timings(contenders, repeat)
    return _row("cox", res, Cox(), lambda k: ElasticNet(alphas[k], l1_ratio), X, y2,
                f"{n}x{p} dense, 20-alpha path, {event.mean():.0%} events, Breslow",
                reference=reference)


def slope_row(repeat, quick):
    from sparsestat._engine import SLOPE, Quadratic

    n, p = (300, 500) if quick else (2000, 2000)
    rng = np.random.default_rng(0)
    X = np.asfortranarray(rng.standard_normal((n, p)))
    beta = np.zeros(p)
    beta[:20] = rng.choice([-1, 1], 20) * 2.0
    y = X @ beta + rng.standard_normal(n)
    weights = SLOPE.bh_weights(p, 0.1)
    g = np.sort(np.abs(X.T @ y / n))[::-1]
    alpha = 0.1 * np.max(np.cumsum(g) / np.cumsum(weights))
    pen = SLOPE(alpha, weights)
    contenders = {
        "sparsestat FISTA": lambda: ([solve(X, y, Quadratic(), pen, fit_intercept=False,
                                            tol=1e-6, max_iter=5000).coef], [0.0]),
    }
    if skglm is not None:
        from skglm.solvers import FISTA

        contenders["skglm FISTA"] = lambda: ([FISTA(
            max_iter=5000, tol=1e-6, opt_strategy="fixpoint").solve(
            X, y, sk_df.Quadratic(), sk_pen.SLOPE(alpha * weights))[0]], [0.0])
    for fn in contenders.values():
        fn()  # compile
    res = interleaved_timings(contenders, repeat)
    return _row("slope", res, Quadratic(), lambda k: pen, X, y,
                f"{n}x{p} dense, BH q=0.1, alpha_max / 10")


SURVIVAL_SLOPE_ROWS = {"cox": cox_row, "slope": slope_row}


# estimator rows (i17est): SparsePoissonRegressor & co. against the peers' estimators
from _glm_estimator_rows import ESTIMATOR_ROWS  # noqa: E402

ROWS = {**ENGINE_ROWS, **SURVIVAL_SLOPE_ROWS, **ESTIMATOR_ROWS}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke test)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", nargs="*", choices=sorted(ROWS), default=None)
    parser.add_argument("--slow-peers", action="store_true",
                        help="run glum on the full sparse Poisson path too (> 300 s)")
    args = parser.parse_args()
    global SLOW_PEERS
    SLOW_PEERS = args.slow_peers
    rows = []
    for name in args.only or ROWS:
        start = time.perf_counter()
        new = ROWS[name](args.repeat, args.quick)
        rows += new
        print(f"# {name}: {time.perf_counter() - start:.0f} s", flush=True)
        for r in new:  # each row as soon as it is done (the sparse paths take minutes)
            print("#", " | ".join(str(v) for v in r.values()), flush=True)
    print_table(rows, ["row", "contender", "median s", "peer/ours", "max obj - best",
                       "nnz (last)", "what"])


if __name__ == "__main__":
    main()
