"""
===================================================
Cross-validation curves on warm-started paths
===================================================

:class:`~sparsestat.linear_model.LassoCV` and
:class:`~sparsestat.linear_model.MCPRegressorCV` fit one warm-started path per fold and
score every alpha on the held-out part, instead of refitting every (alpha, fold) pair
from scratch as ``GridSearchCV`` does. With the same folds, ``LassoCV`` chooses the same
alpha as scikit-learn's; we check it, plot the mean held-out error with one standard
error across folds, and the Lasso path with the chosen alpha.
"""

import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn import linear_model as sk
from sklearn.model_selection import KFold

from sparsestat.linear_model import (CVCurveDisplay, LassoCV, MCPRegressorCV, NonconvexWarning,
                                     RegularizationPathDisplay)

warnings.simplefilter("ignore", NonconvexWarning)

rng = np.random.default_rng(1)
n, p = 200, 300
X = rng.standard_normal((n, p))
w = np.zeros(p)
w[:8] = rng.uniform(1, 2, 8) * rng.choice([-1, 1], 8)
y = X @ w + 1.5 * rng.standard_normal(n)

cv = KFold(5, shuffle=True, random_state=0)
lasso = LassoCV(cv=cv, alphas=50, n_jobs=2).fit(X, y)
sk_alpha = sk.LassoCV(cv=cv, alphas=50).fit(X, y).alpha_
print(f"LassoCV alpha_: ours {lasso.alpha_:.5f}, scikit-learn {sk_alpha:.5f}")
mcp = MCPRegressorCV(cv=cv, alphas=50, n_jobs=2).fit(X, y)
print(f"nonzeros: Lasso {np.count_nonzero(lasso.coef_)}, MCP {np.count_nonzero(mcp.coef_)}"
      f" (true 8)")

# %%
# :class:`~sparsestat.linear_model.CVCurveDisplay` draws the mean held-out error with one
# standard error across folds, from the fitted ``mse_path_`` (no refitting), and marks
# the chosen ``alpha_`` (dashed).
fig, ax = plt.subplots(figsize=(6, 4))
for name, model in [("Lasso", lasso), ("MCP (standardized scale)", mcp)]:
    CVCurveDisplay.from_estimator(model, ax=ax, label=name)
ax.set_title("5-fold CV on warm-started paths")
fig.tight_layout()

# %%
# :class:`~sparsestat.linear_model.RegularizationPathDisplay` recomputes the Lasso path on
# the same alphas and marks ``alpha_``; the legend names the 8 features of largest
# coefficient, the other 292 are grey.
fig, ax = plt.subplots(figsize=(6, 4))
RegularizationPathDisplay.from_estimator(lasso, X, y, ax=ax, max_legend=8)
ax.legend(loc="upper left", ncol=2, fontsize="small")
fig.tight_layout()
plt.show()
