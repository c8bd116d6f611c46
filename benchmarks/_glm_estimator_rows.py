"""Estimator-level rows of ``bench_glm.py`` (i17est): the issue-17 estimators vs the peers'.

One fit (or one cross-validation) of each estimator against the peers' estimators on
the same data and settings, interleaved, median of ``repeat``, in ``bench_glm.py``'s
columns: the objective each reached minus the best of the row (times are comparable
only where these agree; for the CV row, where grids and folds differ, the chosen
``alpha_`` instead). Rows: ``est_poisson`` (SparsePoissonRegressor, elastic net with an
exposure offset, vs glum), ``est_huber`` (SparseHuberRegressor vs skglm's Huber + L1),
``est_svc`` (SparseLinearSVC vs liblinear's LinearSVC), ``est_poisson_cv``
(SparsePoissonRegressorCV vs glum's GeneralizedLinearRegressorCV, 20 alphas, 5 folds).
Run through ``python benchmarks/bench_glm.py --only est_poisson ...`` or alone.
"""

import argparse
import warnings

import _common  # noqa: F401  (pins threads before numpy loads BLAS)
import numpy as np
from _common import interleaved_timings, print_table

warnings.filterwarnings("ignore")


def _poisson_data(n, p, rng, density=None):
    import scipy.sparse as sp

    if density is None:
        X = rng.standard_normal((n, p)) / np.sqrt(p / 20)
    else:
        X = sp.random(n, p, density=density, format="csc", random_state=rng,
                      data_rvs=rng.standard_normal)
    w = np.zeros(p)
    w[:20] = rng.uniform(-0.5, 0.5, 20)
    off = np.log(rng.uniform(0.5, 1.0, n))
    y = rng.poisson(np.exp(np.asarray(X @ w).ravel() + off)).astype(float)
    return X, y, off


def _half_poisson(X, y, coef, b, off, alpha, l1_ratio):
    eta = np.asarray(X @ coef).ravel() + b + off
    return np.mean(np.exp(eta) - y * eta) + alpha * (
        l1_ratio * np.abs(coef).sum() + (1 - l1_ratio) / 2 * coef @ coef)


def _rows(row, res, objective, what):
    """``bench_glm.py``'s rows from ``{contender: (times, model)}`` and ``objective(model)``."""
    objs = {c: objective(m) for c, (_, m) in res.items()}
    best = min(objs.values())
    peer = min(float(np.median(t)) for c, (t, _) in res.items() if not c.startswith("sparsestat"))
    out = []
    for c, (times, m) in res.items():
        med = float(np.median(times))
        out.append({"row": row, "contender": c, "median s": f"{med:.3f}",
                    "peer/ours": f"{peer / med:.2f}" if c.startswith("sparsestat") else "",
                    "max obj - best": f"{objs[c] - best:.1e}",
                    "nnz (last)": int(np.count_nonzero(m.coef_)), "what": what})
    return out


def poisson_rows(repeat, quick):
    """SparsePoissonRegressor (elastic net, offset) vs glum at one alpha."""
    import glum

    from sparsestat.linear_model import SparsePoissonRegressor

    rng = np.random.default_rng(0)
    n, p = (2000, 200) if quick else (10000, 1000)
    X, y, off = _poisson_data(n, p, rng)
    alpha, l1 = 0.005, 0.5
    contenders = {
        "sparsestat SparsePoissonRegressor": lambda: SparsePoissonRegressor(
            alpha=alpha, penalty="elasticnet", l1_ratio=l1, tol=1e-6).fit(X, y, offset=off),
        "glum GeneralizedLinearRegressor": lambda: glum.GeneralizedLinearRegressor(
            family="poisson", alpha=alpha, l1_ratio=l1, gradient_tol=1e-6).fit(
                X, y, offset=off),
    }
    for fn in contenders.values():
        fn()
    res = interleaved_timings(contenders, repeat)
    return _rows("est_poisson", res, lambda m: _half_poisson(
        X, y, np.ravel(m.coef_), float(m.intercept_), off, alpha, l1),
        f"{n}x{p} dense, offset, alpha={alpha}, l1_ratio={l1}")


def _huber_svc_data(quick):
    rng = np.random.default_rng(1)
    n, p = (1000, 500) if quick else (5000, 2000)
    X = rng.standard_normal((n, p))
    w = np.zeros(p)
    w[:20] = rng.uniform(-1, 1, 20)
    return X, w, rng


def huber_rows(repeat, quick):
    """SparseHuberRegressor vs skglm's Huber + L1 (its GeneralizedLinearEstimator)."""
    from skglm import GeneralizedLinearEstimator
    from skglm.datafits import Huber
    from skglm.penalties import L1

    from sparsestat.linear_model import SparseHuberRegressor

    X, w, rng = _huber_svc_data(quick)
    y = X @ w + rng.standard_t(2, X.shape[0])
    delta, alpha = 1.0, 0.02
    contenders = {
        "sparsestat SparseHuberRegressor": lambda: SparseHuberRegressor(
            delta=delta, alpha=alpha, tol=1e-6).fit(X, y),
        "skglm Huber + L1": lambda: GeneralizedLinearEstimator(Huber(delta), L1(alpha)).fit(
            X, y),
    }
    for fn in contenders.values():
        fn()
    res = interleaved_timings(contenders, repeat)

    def objective(m):
        r = y - X @ m.coef_ - m.intercept_
        h = np.where(np.abs(r) <= delta, r ** 2 / 2, delta * np.abs(r) - delta ** 2 / 2)
        return h.mean() + alpha * np.abs(m.coef_).sum()

    return _rows("est_huber", res, objective,
                 f"{X.shape[0]}x{X.shape[1]} dense, t(2) noise, delta={delta}")


def svc_rows(repeat, quick):
    """SparseLinearSVC vs liblinear's LinearSVC(penalty="l1", loss="squared_hinge")."""
    from sklearn.svm import LinearSVC

    from sparsestat.linear_model import SparseLinearSVC

    X, w, rng = _huber_svc_data(quick)
    n = X.shape[0]
    labels = np.where(X @ w + 0.5 * rng.standard_normal(n) > 0, 1, -1)
    alpha = 0.02
    C = 1.0 / (alpha * n)
    contenders = {
        "sparsestat SparseLinearSVC": lambda: SparseLinearSVC(
            alpha=alpha, fit_intercept=False, tol=1e-6).fit(X, labels),
        "sklearn LinearSVC (liblinear)": lambda: LinearSVC(
            penalty="l1", loss="squared_hinge", dual=False, C=C, fit_intercept=False,
            tol=1e-6).fit(X, labels),
    }
    for fn in contenders.values():
        fn()
    res = interleaved_timings(contenders, repeat)

    def objective(m):
        c = np.ravel(m.coef_)
        return np.mean(np.maximum(0, 1 - labels * (X @ c)) ** 2) + alpha * np.abs(c).sum()

    return _rows("est_svc", res, objective, f"{n}x{X.shape[1]} dense, C={C:.3g}")


def cv_rows(repeat, quick):
    """SparsePoissonRegressorCV (20 alphas, 5 folds) vs glum's GeneralizedLinearRegressorCV."""
    import glum

    from sparsestat.linear_model import SparsePoissonRegressorCV

    rng = np.random.default_rng(2)
    n, p = (2000, 100) if quick else (10000, 500)
    X, y, off = _poisson_data(n, p, rng)
    contenders = {
        "sparsestat SparsePoissonRegressorCV": lambda: SparsePoissonRegressorCV(
            alphas=20, cv=5, penalty="l1", tol=1e-6).fit(X, y, offset=off),
        "glum GeneralizedLinearRegressorCV": lambda: glum.GeneralizedLinearRegressorCV(
            family="poisson", l1_ratio=1.0, n_alphas=20, cv=5, gradient_tol=1e-6).fit(
                X, y, offset=off),
    }
    res = interleaved_timings(contenders, repeat)
    rows = _rows("est_poisson_cv", res, lambda m: 0.0,
                 f"{n}x{p} dense, offset, 20 alphas x 5 folds")
    for row, (_, m) in zip(rows, res.values()):
        # different grids and folds: the chosen alpha, not an objective, is comparable
        row["max obj - best"] = f"alpha_={m.alpha_:.3g}"
    return rows


ESTIMATOR_ROWS = {"est_poisson": poisson_rows, "est_huber": huber_rows, "est_svc": svc_rows,
                  "est_poisson_cv": cv_rows}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = []
    for fn in ESTIMATOR_ROWS.values():
        rows += fn(args.repeat, args.quick)
    print_table(rows, ["row", "contender", "median s", "peer/ours", "max obj - best",
                       "nnz (last)", "what"])


if __name__ == "__main__":
    main()
