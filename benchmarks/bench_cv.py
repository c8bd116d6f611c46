"""Cross-validation on warm-started paths versus GridSearchCV over the same grid.

Run: ``python benchmarks/bench_cv.py [--quick]``. One BLAS / numba thread (``n_jobs=1``
everywhere, so the ratio is about the path, not parallelism; a last row shows our
``n_jobs=2`` threads). Warm-up first, interleaved, median of 3. The chosen alpha and the
held-out MSE at it are printed for every contender: the CV estimators and GridSearchCV
see the same folds and the same grid, so they must choose the same alpha (up to ties at
the tolerance).
"""

import argparse
import warnings

import _common  # noqa: F401  (pins threads before numpy loads BLAS)
import numpy as np
from _common import ar_design, interleaved_timings, print_table
from sklearn import linear_model as sk
from sklearn.model_selection import GridSearchCV, KFold

from sparsestat.linear_model import Lasso, LassoCV, MCPRegressor, MCPRegressorCV

warnings.filterwarnings("ignore")


def problem(n, p, seed=0):
    rng = np.random.default_rng(seed)
    X = ar_design(n, p, 0.6, rng)
    w = np.zeros(p)
    w[rng.choice(p, 20, replace=False)] = rng.uniform(-2, 2, 20)
    return X, X @ w + rng.standard_normal(n)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    n, p, n_alphas = (200, 500, 30) if args.quick else (500, 2000, 50)
    X, y = problem(n, p)
    cv = KFold(5, shuffle=True, random_state=0)
    tol = 1e-4
    lasso_cv = LassoCV(cv=cv, alphas=n_alphas, tol=tol)
    grid = lasso_cv.fit(X, y).alphas_
    mcp_cv = MCPRegressorCV(cv=cv, alphas=n_alphas, eps=1e-2, tol=tol)
    mcp_grid = mcp_cv.fit(X, y).alphas_

    def gs(est, alphas):
        return GridSearchCV(est, {"alpha": list(alphas)}, cv=cv,
                            scoring="neg_mean_squared_error", n_jobs=1)

    contenders = {
        "LassoCV (ours, path)": lambda: LassoCV(cv=cv, alphas=n_alphas, tol=tol).fit(X, y),
        "LassoCV (scikit-learn, path)": lambda: sk.LassoCV(cv=cv, alphas=n_alphas,
                                                           tol=tol).fit(X, y),
        "GridSearchCV(our Lasso)": lambda: gs(Lasso(tol=tol), grid).fit(X, y),
        "MCPRegressorCV (ours, path)": lambda: MCPRegressorCV(cv=cv, alphas=n_alphas,
                                                              eps=1e-2, tol=tol).fit(X, y),
        "GridSearchCV(our MCPRegressor)": lambda: gs(MCPRegressor(tol=tol),
                                                     mcp_grid).fit(X, y),
        "LassoCV (ours, n_jobs=2)": lambda: LassoCV(cv=cv, alphas=n_alphas, tol=tol,
                                                    n_jobs=2).fit(X, y),
    }
    for fn in contenders.values():
        fn()
    res = interleaved_timings(contenders, repeat=3)
    base = {"Lasso": np.median(res["GridSearchCV(our Lasso)"][0]),
            "MCP": np.median(res["GridSearchCV(our MCPRegressor)"][0])}
    rows = []
    for name, (times, model) in res.items():
        alpha = model.best_params_["alpha"] if hasattr(model, "best_params_") else model.alpha_
        if hasattr(model, "best_score_"):
            mse = -model.best_score_
        else:
            mse = model.mse_path_.mean(axis=1).min()
        family = "MCP" if "MCP" in name else "Lasso"
        rows.append({"contender": name, "median s": f"{np.median(times):.3f}",
                     "min s": f"{np.min(times):.3f}",
                     "speed-up vs GridSearchCV": f"{base[family] / np.median(times):.1f}x",
                     "alpha_": f"{alpha:.5g}", "CV MSE": f"{mse:.5f}"})
    print(f"== {n} x {p} AR(0.6), 5 folds, {n_alphas} alphas, tol {tol} ==")
    print_table(rows, ["contender", "median s", "min s", "speed-up vs GridSearchCV",
                       "alpha_", "CV MSE"])


if __name__ == "__main__":
    main()
