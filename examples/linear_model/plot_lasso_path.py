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

from sparsestat.linear_model import RegularizationPathDisplay, enet_path, lasso_path

diabetes = load_diabetes()
X, y, names = diabetes.data, diabetes.target, diabetes.feature_names
X = StandardScaler().fit_transform(X)
y = y - y.mean()  # the path functions do not fit an intercept, like scikit-learn's

# a tight duality-gap tolerance on both sides for the comparison: at the default
# ``tol=1e-4`` the two solvers stop at different points near the optimum (s1 and s2 are
# strongly correlated here) and differ by about 0.1 on coefficients of size 27
alphas_lasso, coefs_lasso, _ = lasso_path(X, y, eps=5e-3, alphas=60, tol=1e-10)
alphas_enet, coefs_enet, _ = enet_path(X, y, l1_ratio=0.5, eps=5e-3, alphas=60)

_, coefs_ref, _ = sk.lasso_path(X, y, alphas=alphas_lasso, tol=1e-10, max_iter=100_000)
print(f"largest difference with scikit-learn's path: {np.abs(coefs_lasso - coefs_ref).max():.1e}")

# %%
# Plot the coefficients with :class:`~sparsestat.linear_model.RegularizationPathDisplay`:
# features enter one by one as the penalty decreases (alpha decreases to the right);
# the elastic net shrinks more smoothly and keeps correlated features together.
fig, (ax_lasso, ax_enet) = plt.subplots(2, 1, figsize=(6.5, 7), sharex=True)
RegularizationPathDisplay.from_path(alphas_lasso, coefs_lasso, feature_names=names,
                                   ax=ax_lasso)
ax_lasso.set_title("Lasso")
RegularizationPathDisplay.from_path(alphas_enet, coefs_enet, feature_names=names,
                                   ax=ax_enet, legend=False)
ax_enet.set_title("Elastic net, l1_ratio=0.5")
ax_lasso.legend(loc="upper left", ncol=2, fontsize="small")
fig.tight_layout()
plt.show()
