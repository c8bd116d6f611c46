"""
==========================================================
Claim frequencies with an exposure offset (sparse Poisson)
==========================================================

An insurer observes, for each policy, the number of claims over an exposure (the
fraction of a year the policy was in force). The claim frequency (claims per year) is
modeled as ``exp(x^T w + b)``, so the expected count is ``exposure * exp(x^T w + b)``:
a Poisson GLM with ``offset = log(exposure)``. Out of 40 simulated rating factors only 6
matter; :class:`~sparsestat.linear_model.SparsePoissonRegressorCV` picks the L1 strength
by cross-validated Poisson deviance, with the offsets split along with the policies.

scikit-learn's :class:`~sklearn.linear_model.PoissonRegressor` has no offset: it fits the
frequency ``claims / exposure`` with ``sample_weight=exposure`` (the same likelihood),
and its L2 penalty keeps every factor.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.linear_model import PoissonRegressor
from sklearn.metrics import d2_tweedie_score
from sklearn.model_selection import train_test_split

from sparsestat.linear_model import SparsePoissonRegressorCV

rng = np.random.default_rng(0)
n, p = 6000, 40
X = rng.standard_normal((n, p))
w_true = np.zeros(p)
w_true[:6] = [0.4, -0.3, 0.25, 0.2, -0.2, 0.15]
exposure = rng.uniform(0.1, 1.0, n)  # years in force
claims = rng.poisson(exposure * np.exp(-1.0 + X @ w_true))
print(f"{claims.sum()} claims over {exposure.sum():.0f} policy-years "
      f"({np.mean(claims == 0):.0%} of policies without a claim)")

X_tr, X_te, y_tr, y_te, e_tr, e_te = train_test_split(X, claims, exposure, random_state=0)

sparse = SparsePoissonRegressorCV(alphas=30, cv=5, alpha_select="1se").fit(
    X_tr, y_tr, offset=np.log(e_tr))
ridge = PoissonRegressor(alpha=1e-3).fit(X_tr, y_tr / e_tr, sample_weight=e_tr)

# %%
# Both are scored by D^2, the fraction of Poisson deviance explained on the held-out
# claim counts (expected counts = exposure x frequency), which is what ``score`` with
# the offset computes.
d2_sparse = sparse.score(X_te, y_te, offset=np.log(e_te))
d2_ridge = d2_tweedie_score(y_te, e_te * ridge.predict(X_te), power=1)
print(f"held-out D^2: sparse Poisson {d2_sparse:.4f}, PoissonRegressor {d2_ridge:.4f}")
print(f"nonzero factors: sparse {np.count_nonzero(sparse.coef_)} of {p} "
      f"(true 6), PoissonRegressor {np.count_nonzero(ridge.coef_)}")
print(f"alpha_ (1-SE rule) = {sparse.alpha_:.2e}, alpha_min_ = {sparse.alpha_min_:.2e}")

# %%
# The cross-validated deviance along the path, and the coefficients against the truth.
fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(10, 4))
mean = sparse.deviance_path_.mean(axis=1)
se = sparse.deviance_path_.std(axis=1, ddof=1) / np.sqrt(sparse.deviance_path_.shape[1])
ax0.errorbar(sparse.alphas_, mean, yerr=se, fmt=".-", ms=4)
ax0.axvline(sparse.alpha_min_, ls=":", c="k", label="alpha_min_")
ax0.axvline(sparse.alpha_, ls="--", c="k", label="alpha_ (1-SE)")
ax0.set(xscale="log", xlabel="alpha", ylabel="held-out Poisson deviance",
        title="5-fold CV on the warm-started path")
ax0.legend()
ax1.stem(w_true, markerfmt="ko", linefmt="k-", basefmt=" ", label="true")
ax1.plot(sparse.coef_, "o", mfc="none", label="SparsePoissonRegressorCV")
ax1.plot(ridge.coef_, "x", label="PoissonRegressor (L2)")
ax1.set(xlabel="factor", ylabel="coefficient", title="log-frequency effects")
ax1.legend()
fig.tight_layout()
plt.show()
