"""
=====================================
Lasso and elastic-net paths, compared
=====================================

The regularization path of the Lasso and of the elastic net on scikit-learn's diabetes
data, computed with warm starts by :func:`sparsestat.linear_model.lasso_path` and
:func:`~sparsestat.linear_model.enet_path`. The objective is scikit-learn's::

    1 / (2 n) ||y - X w||^2 + alpha * (l1_ratio ||w||_1 + (1 - l1_ratio) / 2 ||w||^2)

so paths and ``alpha`` values are interchangeable with scikit-learn's. We check that on
the way: the two libraries give the same coefficients along the path.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn import linear_model as sk
from sklearn.datasets import load_diabetes
from sklearn.preprocessing import StandardScaler

from sparsestat.linear_model import enet_path, lasso_path

X, y = load_diabetes(return_X_y=True)
X = StandardScaler().fit_transform(X)
y = y - y.mean()  # the path functions do not fit an intercept, like scikit-learn's

alphas_lasso, coefs_lasso, _ = lasso_path(X, y, eps=5e-3, alphas=60)
alphas_enet, coefs_enet, _ = enet_path(X, y, l1_ratio=0.5, eps=5e-3, alphas=60)

_, coefs_ref, _ = sk.lasso_path(X, y, alphas=alphas_lasso, tol=1e-10, max_iter=100_000)
print(f"largest difference with scikit-learn's path: {np.abs(coefs_lasso - coefs_ref).max():.1e}")

# %%
# Plot the coefficients against ``-log10(alpha)``: features enter one by one as the
# penalty decreases; the elastic net keeps correlated features together.
fig, ax = plt.subplots(figsize=(7, 4.5))
colors = plt.cm.tab10(np.arange(X.shape[1]))
for coef_l, coef_e, color in zip(coefs_lasso, coefs_enet, colors):
    ax.plot(-np.log10(alphas_lasso), coef_l, color=color)
    ax.plot(-np.log10(alphas_enet), coef_e, color=color, linestyle="--")
ax.set_xlabel("-log10(alpha)")
ax.set_ylabel("coefficients")
ax.set_title("Lasso (solid) and elastic net, l1_ratio=0.5 (dashed)")
ax.axis("tight")
plt.show()
