"""
======================================================
Error rates of locally private sparse regression
======================================================

Each of ``n`` users holds one ``(x, y)`` with ``x`` of ``d = 10`` Rademacher features and
``y = <x, theta*> + noise`` for a 3-sparse ``theta*`` (``||theta*|| = 0.707``). Users
privatize their data on their own device; the server only sees the reports.

The theory (Zhu et al., ICLR 2024) predicts an l2 error decaying like ``1 / sqrt(n)``
and, for small ``epsilon``, like ``1 / epsilon``. The dashed lines have those slopes.
With ``noise="aggregate"`` the summed privacy noise is drawn once from its exact
distribution, so millions of users simulate in about a second.
"""

import matplotlib.pyplot as plt
import numpy as np

from sparsestat.linear_model import Lasso
from sparsestat.privacy import LDPSparseRegressor

d, k = 10, 3
theta = np.zeros(d)
theta[:k] = np.sqrt(0.5 / k)


def simulate(n, seed):
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 2, size=(n, d), dtype=np.int8).astype(np.float64) * 2 - 1
    return X, X @ theta + 0.1 * rng.standard_normal(n)


def error(X, y, protocol, epsilon, seed, public_X=None):
    model = LDPSparseRegressor(epsilon=epsilon, clip_x=1.0, clip_y=2.0, protocol=protocol,
                               fit_intercept=False, random_state=seed)
    model.fit(X, y, public_X=public_X)
    return np.linalg.norm(model.coef_ - theta)


public_X, _ = simulate(200_000, 99)
protocols = {"noninteractive": "C0", "public": "C1", "interactive": "C2"}
ns = np.array([100_000, 300_000, 1_000_000, 2_000_000])
seeds = [0, 1]

# %%
# Error against the number of users (epsilon = 4)
# ------------------------------------------------
errors = {p: [] for p in protocols}
errors["non-private Lasso"] = []
for n in ns:
    X, y = simulate(n, int(n))
    for protocol in protocols:
        extra = public_X if protocol == "public" else None
        errors[protocol].append(np.mean([error(X, y, protocol, 4.0, s, extra)
                                         for s in seeds]))
    # the usual rate-optimal penalty for noise sd 0.1: 0.1 sqrt(2 log(d) / n)
    lasso = Lasso(alpha=0.1 * np.sqrt(2 * np.log(d) / n), fit_intercept=False).fit(X, y)
    errors["non-private Lasso"].append(np.linalg.norm(lasso.coef_ - theta))

# one figure per section: the gallery draws a section's figures when the section ends
fig, ax = plt.subplots(figsize=(6, 4))
for name, errs in errors.items():
    ax.loglog(ns, errs, "o-", color=protocols.get(name, "k"), label=name)
ref = errors["noninteractive"][0] * np.sqrt(ns[0] / ns)
ax.loglog(ns, ref, "k--", lw=1, label="slope -1/2")
ax.set_xlabel("number of users n")
ax.set_ylabel("l2 error of the coefficients")
ax.set_title("epsilon = 4")
ax.legend(fontsize=8)
fig.tight_layout()

# %%
# Error against the privacy budget (n = 1e6)
# ------------------------------------------
# For small epsilon the Gaussian noise scales like 1 / epsilon; for large epsilon the
# analytic calibration decays more slowly (like 1 / sqrt(epsilon)).
epsilons = np.array([0.25, 0.5, 1.0, 2.0, 4.0, 8.0])
X, y = simulate(1_000_000, 5)
fig, ax = plt.subplots(figsize=(6, 4))
for protocol in ("noninteractive", "public"):
    extra = public_X if protocol == "public" else None
    errs = [error(X, y, protocol, e, 0, extra) for e in epsilons]
    ax.loglog(epsilons, errs, "o-", color=protocols[protocol], label=protocol)
    print(protocol, np.round(errs, 4))
# reference line through the public variant's error at epsilon = 1 (at the smallest
# epsilon the noise swamps the signal and the estimate is all zeros: error 0.707)
small = (epsilons >= 0.5) & (epsilons <= 2.0)
at_one = errs[int(np.flatnonzero(epsilons == 1.0)[0])]
ax.loglog(epsilons[small], at_one / epsilons[small], "k--", lw=1, label="slope -1")
ax.xaxis.set_minor_locator(plt.NullLocator())
ax.set_xticks(epsilons, [f"{e:g}" for e in epsilons])
ax.set_xlabel("epsilon")
ax.set_ylabel("l2 error of the coefficients")
ax.set_title("n = 1e6 users")
ax.legend(fontsize=8)
fig.tight_layout()
plt.show()

for name, errs in errors.items():
    print(f"{name:<20}", np.round(errs, 4))
