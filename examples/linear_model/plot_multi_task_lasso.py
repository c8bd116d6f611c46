"""
===================================================
One support for several targets: MultiTaskLasso
===================================================

Fitting :class:`~sparsestat.linear_model.Lasso` on a 2-D ``y`` solves one problem per
target, so each target picks its own features. When the targets share their relevant
features (sensors recording the same sources, time points of one signal),
:class:`~sparsestat.linear_model.MultiTaskLasso` selects whole rows with its
:math:`\\ell_{2,1}` penalty: a feature is in for every target or for none. We compare
the two supports with the truth, and check the fit against scikit-learn's
``MultiTaskLasso`` (same objective, same ``tol``).
"""

import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn import linear_model as sk

from sparsestat.linear_model import LassoCV, MultiTaskLassoCV

rng = np.random.default_rng(0)
n_samples, n_features, n_tasks = 60, 30, 20
times = np.linspace(0, 2 * np.pi, n_tasks)
coef = np.zeros((n_tasks, n_features))
for k in range(5):  # five active features, a smooth signal over the tasks each
    coef[:, k] = np.sin((1.0 + rng.random()) * times + rng.random() * np.pi)
X = rng.standard_normal((n_samples, n_features))
Y = X @ coef.T + 2.0 * rng.standard_normal((n_samples, n_tasks))

# one support for all targets, alpha by 5-fold CV with the one-standard-error rule
multi = MultiTaskLassoCV(cv=5, alphas=30, alpha_select="1se", tol=1e-8).fit(X, Y)
reference = sk.MultiTaskLasso(alpha=multi.alpha_, tol=1e-8).fit(X, Y)
print(f"alpha_min_ = {multi.alpha_min_:.4f}, alpha_1se_ = {multi.alpha_1se_:.4f}")
print("max |coef - scikit-learn's| =",
      f"{np.abs(multi.coef_ - reference.coef_).max():.1e}")
# one LassoCV per target: each target picks its own features (the 1-SE rule leaves some
# targets empty, which Lasso reports with a UserWarning we silence here)
with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)
    separate = np.array([LassoCV(cv=5, alphas=30, alpha_select="1se").fit(X, Y[:, t]).coef_
                         for t in range(n_tasks)])
truth = np.abs(coef).sum(axis=0) > 0
for name, W in [("MultiTaskLassoCV", multi.coef_), ("LassoCV per target", separate)]:
    chosen = np.abs(W).sum(axis=0) > 0
    print(f"{name}: {np.count_nonzero(chosen & truth)} of 5 true features, "
          f"{np.count_nonzero(chosen & ~truth)} false ones")

fig, axes = plt.subplots(1, 3, figsize=(8, 3.2), sharey=True)
for ax, W, title in zip(axes, [coef, separate, multi.coef_],
                        ["truth", "LassoCV per target", "MultiTaskLassoCV"]):
    ax.spy(W.T, aspect="auto", markersize=2)
    ax.set_title(title)
    ax.set_xlabel("task")
axes[0].set_ylabel("feature")
fig.tight_layout()
plt.show()
