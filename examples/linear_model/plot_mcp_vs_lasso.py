"""
=====================================================
MCP versus Lasso: support recovery, correlated design
=====================================================

On a design with AR(0.6) correlated columns and a random support of 10 features out of
500, we follow the warm-started path of the Lasso, of MCP (``gamma=3``) and of SCAD
(``gamma=3.7``) from ``alpha_max`` down, and plot the false discovery rate at the first alpha
of each path that reaches a given true positive rate, averaged over 6 random designs. The Lasso must admit many false positives before it
finds the whole support, because its shrinkage of the large coefficients leaves signal
in the residual that correlated noise features pick up. MCP stops shrinking large
coefficients, so it reaches the same TPR with far fewer false discoveries.

The columns are standardized here; the nonconvex estimators would also do it internally
(ncvreg's habit), so ``gamma`` is scale-free.
"""

import warnings

import matplotlib.pyplot as plt
import numpy as np

from sparsestat.linear_model import Lasso, MCPRegressor, NonconvexWarning, SCADRegressor

warnings.simplefilter("ignore", NonconvexWarning)



def design(seed, n=200, p=500, k=10, rho=0.6):
    rng = np.random.default_rng(seed)
    X = np.empty((n, p))
    X[:, 0] = rng.standard_normal(n)
    for j in range(1, p):
        X[:, j] = rho * X[:, j - 1] + np.sqrt(1 - rho ** 2) * rng.standard_normal(n)
    support = set(rng.choice(p, k, replace=False).tolist())
    w = np.zeros(p)
    w[list(support)] = rng.choice([-1, 1], k) * rng.uniform(0.5, 1.5, k)
    y = X @ w + rng.standard_normal(n) * np.std(X @ w) / np.sqrt(3.0)
    return (X - X.mean(0)) / X.std(0), y, support


def path_rates(est, X, y, support, n_alphas=30):
    alpha_max = np.max(np.abs(X.T @ (y - y.mean()))) / X.shape[0]
    tpr, fdr = [], []
    for alpha in np.geomspace(alpha_max, alpha_max / 100, n_alphas):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            est.set_params(alpha=alpha).fit(X, y)
        found = set(np.flatnonzero(est.coef_).tolist())
        tpr.append(len(found & support) / len(support))
        fdr.append(len(found - support) / max(len(found), 1))
    return np.array(tpr), np.array(fdr)


levels = np.array([0.5, 0.6, 0.7, 0.8, 0.9, 1.0])
methods = {"Lasso": Lasso(warm_start=True),
           "MCP (gamma=3)": MCPRegressor(gamma=3.0, warm_start=True),
           "SCAD (gamma=3.7)": SCADRegressor(gamma=3.7, warm_start=True)}
fdr_at = {name: [] for name in methods}
for seed in range(6):
    X, y, support = design(seed)
    for name, est in methods.items():
        est.set_params(warm_start=False).fit(X, y)  # a fresh path for every design
        est.set_params(warm_start=True)
        tpr, fdr = path_rates(est, X, y, support)
        # FDR at the first alpha of the path that reaches each TPR level
        fdr_at[name].append([fdr[np.argmax(tpr >= t)] if np.any(tpr >= t) else np.nan
                             for t in levels])

fig, ax = plt.subplots(figsize=(6, 4))
for name, rows in fdr_at.items():
    mean = np.nanmean(np.array(rows), axis=0)
    ax.plot(levels, mean, marker="o", label=name)
    print(f"{name:17s} mean FDR at TPR >= 0.9: {mean[levels == 0.9][0]:.2f}")
ax.set_xlabel("true positive rate reached along the path")
ax.set_ylabel("false discovery rate (mean of 6 designs)")
ax.set_title("AR(0.6) design, 10 of 500 features active")
ax.legend()
fig.tight_layout()
plt.show()
