"""Estimator-level rows of ``bench_glm.py``: the issue-17 estimators against their anchors.

One fit (or one cross-validation) of each estimator against the peers' estimators on
the same data and settings, interleaved, median of ``repeat``; the objective (or held-out
score) of each is printed next to its time so a fast but wrong fit shows. Run alone with
``python benchmarks/_glm_estimator_rows.py [--quick]`` or through ``bench_glm.py``.
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


def _row(name, times, objective, anchor_median):
    med = float(np.median(times))
    return {"estimator": name, "median (s)": f"{med:.3f}",
            "ratio": f"{med / anchor_median:.2f}", "objective": f"{objective:.8f}"}


def poisson_rows(quick, repeat):
    """SparsePoissonRegressor (elastic net, offset) vs glum and skglm at one alpha."""
    import glum

    from sparsestat.linear_model import SparsePoissonRegressor

    rng = np.random.default_rng(0)
    n, p = (2000, 200) if quick else (10000, 1000)
    X, y, off = _poisson_data(n, p, rng)
    alpha, l1 = 0.005, 0.5
    contenders = {
        "SparsePoissonRegressor (ours)": lambda: SparsePoissonRegressor(
            alpha=alpha, penalty="elasticnet", l1_ratio=l1, tol=1e-6).fit(X, y, offset=off),
        "glum GeneralizedLinearRegressor": lambda: glum.GeneralizedLinearRegressor(
            family="poisson", alpha=alpha, l1_ratio=l1, gradient_tol=1e-6).fit(
                X, y, offset=off),
    }
    res = interleaved_timings(contenders, repeat)
    anchor = float(np.median(res["glum GeneralizedLinearRegressor"][0]))
    return [_row(name, t, _half_poisson(X, y, np.ravel(m.coef_), float(m.intercept_), off,
                                        alpha, l1), anchor)
            for name, (t, m) in res.items()]


def huber_svc_rows(quick, repeat):
    """SparseHuberRegressor vs skglm's Huber, SparseLinearSVC vs LinearSVC and skglm."""
    from skglm import GeneralizedLinearEstimator
    from skglm.datafits import Huber
    from skglm.penalties import L1
    from sklearn.svm import LinearSVC

    from sparsestat.linear_model import SparseHuberRegressor, SparseLinearSVC

    rng = np.random.default_rng(1)
    n, p = (1000, 500) if quick else (5000, 2000)
    X = rng.standard_normal((n, p))
    w = np.zeros(p)
    w[:20] = rng.uniform(-1, 1, 20)
    y = X @ w + rng.standard_t(2, n)
    delta, alpha = 1.0, 0.02
    hub = {
        "SparseHuberRegressor (ours)": lambda: SparseHuberRegressor(
            delta=delta, alpha=alpha, tol=1e-6).fit(X, y),
        "skglm Huber + L1": lambda: GeneralizedLinearEstimator(Huber(delta), L1(alpha)).fit(
            X, y),
    }
    res = interleaved_timings(hub, repeat)
    anchor = float(np.median(res["skglm Huber + L1"][0]))

    def huber_obj(m):
        r = y - X @ m.coef_ - m.intercept_
        h = np.where(np.abs(r) <= delta, r ** 2 / 2, delta * np.abs(r) - delta ** 2 / 2)
        return h.mean() + alpha * np.abs(m.coef_).sum()

    rows = [_row(name, t, huber_obj(m), anchor) for name, (t, m) in res.items()]
    labels = np.where(X @ w + 0.5 * rng.standard_normal(n) > 0, 1, -1)
    C = 1.0 / (alpha * n)
    svc = {
        "SparseLinearSVC (ours)": lambda: SparseLinearSVC(alpha=alpha, fit_intercept=False,
                                                          tol=1e-6).fit(X, labels),
        "sklearn LinearSVC (liblinear)": lambda: LinearSVC(
            penalty="l1", loss="squared_hinge", dual=False, C=C, fit_intercept=False,
            tol=1e-6).fit(X, labels),
    }
    res = interleaved_timings(svc, repeat)
    anchor = float(np.median(res["sklearn LinearSVC (liblinear)"][0]))

    def svc_obj(m):
        c = np.ravel(m.coef_)
        return np.mean(np.maximum(0, 1 - labels * (X @ c)) ** 2) + alpha * np.abs(c).sum()

    return rows + [_row(name, t, svc_obj(m), anchor) for name, (t, m) in res.items()]


def cv_rows(quick, repeat):
    """SparsePoissonRegressorCV (20 alphas, 5 folds) vs glum's GeneralizedLinearRegressorCV."""
    import glum

    from sparsestat.linear_model import SparsePoissonRegressorCV

    rng = np.random.default_rng(2)
    n, p = (2000, 100) if quick else (10000, 500)
    X, y, off = _poisson_data(n, p, rng)
    contenders = {
        "SparsePoissonRegressorCV (ours)": lambda: SparsePoissonRegressorCV(
            alphas=20, cv=5, penalty="l1", tol=1e-6).fit(X, y, offset=off),
        "glum GeneralizedLinearRegressorCV": lambda: glum.GeneralizedLinearRegressorCV(
            family="poisson", l1_ratio=1.0, n_alphas=20, cv=5, gradient_tol=1e-6).fit(
                X, y, offset=off),
    }
    res = interleaved_timings(contenders, repeat)
    anchor = float(np.median(res["glum GeneralizedLinearRegressorCV"][0]))
    rows = []
    for name, (t, m) in res.items():
        row = _row(name, t, 0.0, anchor)
        # different grids and folds: the chosen alpha, not an objective, is comparable
        row["objective"] = f"alpha_ = {m.alpha_:.4g}"
        rows.append(row)
    return rows


def estimator_rows(quick=False, repeat=3):
    return poisson_rows(quick, repeat) + huber_svc_rows(quick, repeat) + \
        cv_rows(quick, repeat)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    rows = estimator_rows(args.quick)
    print("Estimator level (ratio: time / the anchor's, the row under ours; objective at "
          "the fitted coefficients, lower is better)")
    print_table(rows, ["estimator", "median (s)", "ratio", "objective"])


if __name__ == "__main__":
    main()
