"""
==================================================
Sparse Cox regression on censored survival times
==================================================

We simulate survival times from a proportional-hazards model whose risk depends on 5 of
100 features, censor about 40 % of them, and fit
:class:`~sparsestat.linear_model.SparseCoxRegressorCV`: the elastic-net Cox path is fitted
on each training fold and scored by the cross-validated partial-likelihood deviance
(Verweij and van Houwelingen, glmnet's default). The left panel shows the path of
:func:`~sparsestat.linear_model.cox_path` with the chosen alpha, the right panel the
held-out deviance with one standard error per alpha.

On held-out samples the model's risk scores ``X @ coef_`` are ranked against the observed
times by Harrell's concordance index (:func:`sparsestat.metrics.concordance_index`, the
``score`` of the estimator). The same estimator accepts scikit-survival's structured
targets, e.g. those of ``sksurv.datasets.load_whas500()``.
"""

import matplotlib.pyplot as plt
import numpy as np

from sparsestat.linear_model import SparseCoxRegressorCV, cox_path

rng = np.random.default_rng(0)
n, p = 600, 100
X = rng.standard_normal((n, p))
w_true = np.zeros(p)
w_true[:5] = [1.0, -0.8, 0.6, -0.5, 0.4]
t_event = rng.exponential(np.exp(-(X @ w_true)))
t_censor = rng.exponential(1.5, n)
time = np.minimum(t_event, t_censor)
event = t_event <= t_censor
y = np.column_stack([time, event])  # or scikit-survival's Surv.from_arrays(event, time)
print(f"{event.mean():.0%} of the times are observed events")

train, test = np.arange(450), np.arange(450, n)
cv = SparseCoxRegressorCV(alphas=30, l1_ratio=0.9, cv=5, alpha_select="1se")
cv.fit(X[train], y[train])
print(f"alpha_min = {cv.alpha_min_:.4f}, alpha_1se = {cv.alpha_1se_:.4f}")
print("selected features:", np.flatnonzero(cv.coef_))
print(f"held-out concordance index: {cv.score(X[test], y[test]):.3f}")
oracle = np.mean([
    (X[test] @ w_true)[i] > (X[test] @ w_true)[j]
    for i in range(len(test)) for j in range(len(test))
    if event[test][i] and time[test][i] < time[test][j]])
print(f"the true risk's concordance: {oracle:.3f}")

alphas, coefs = cox_path(X[train], y[train], l1_ratio=0.9, alphas=cv.alphas_)
mean = cv.cv_scores_.mean(axis=1)
se = cv.cv_scores_.std(axis=1, ddof=1) / np.sqrt(cv.cv_scores_.shape[1])

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
for j in range(p):
    ax1.plot(alphas, coefs[j], color="C0" if w_true[j] != 0 else "0.7",
             lw=1.5 if w_true[j] != 0 else 0.7)
ax1.axvline(cv.alpha_, color="k", ls="--", lw=1)
ax1.set(xscale="log", xlabel="alpha", ylabel="coefficient (log hazard ratio)",
        title="Cox path (blue: true risk features)")
ax1.invert_xaxis()
ax2.errorbar(cv.alphas_, mean, yerr=se, fmt="o-", ms=3, capsize=2)
ax2.axvline(cv.alpha_min_, color="C1", ls=":", label="alpha_min")
ax2.axvline(cv.alpha_1se_, color="k", ls="--", label="alpha_1se (refit)")
ax2.set(xscale="log", xlabel="alpha", ylabel="held-out deviance per event",
        title="5-fold cross-validation")
ax2.invert_xaxis()
ax2.legend()
fig.tight_layout()
plt.show()
