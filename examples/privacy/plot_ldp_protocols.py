"""
======================================================
Three private protocols against the non-private Lasso
======================================================

One million users, ``d = 10`` features, 3 of them active, ``epsilon = 4``:

* **non-interactive**: every user releases noisy ``x x^T`` and ``x y`` once;
* **public**: the server holds public unlabeled features and users spend their whole
  budget on ``x y``;
* **interactive**: users answer in groups, one noisy gradient each, and the server runs
  iterative hard thresholding.

All three find the support; the public-data variant and the interactive protocol are
several times more accurate than the non-interactive one, and the non-private Lasso
shows what privacy costs.
"""

import time

import matplotlib.pyplot as plt
import numpy as np

from sparsestat.linear_model import Lasso
from sparsestat.privacy import LDPSparseRegressor

d, k, n = 10, 3, 1_000_000
rng = np.random.default_rng(0)
theta = np.zeros(d)
theta[:k] = np.sqrt(0.5 / k)
X = rng.integers(0, 2, size=(n, d), dtype=np.int8).astype(np.float64) * 2 - 1
y = X @ theta + 0.1 * rng.standard_normal(n)
public_X = rng.integers(0, 2, size=(200_000, d), dtype=np.int8).astype(np.float64) * 2 - 1

models = {}
for protocol in ("noninteractive", "public", "interactive"):
    model = LDPSparseRegressor(epsilon=4.0, clip_x=1.0, clip_y=2.0, protocol=protocol,
                               fit_intercept=False, random_state=0)
    start = time.perf_counter()
    model.fit(X, y, public_X=public_X if protocol == "public" else None)
    models[protocol] = model
    print(f"{protocol:<16} {time.perf_counter() - start:5.2f} s  "
          f"error {np.linalg.norm(model.coef_ - theta):.4f}  noise {model.noise_scales_}")
models["non-private Lasso"] = Lasso(alpha=0.1 * np.sqrt(2 * np.log(d) / n),
                                   fit_intercept=False).fit(X, y)

# %%
# Coefficients
# ------------
fig, ax = plt.subplots(figsize=(8, 3.5))
width = 0.18
ax.bar(np.arange(d) - 2 * width, theta, width, color="k", label="truth")
for i, (name, model) in enumerate(models.items()):
    err = np.linalg.norm(model.coef_ - theta)
    ax.bar(np.arange(d) + (i - 1) * width, model.coef_, width, label=f"{name} ({err:.3f})")
ax.set_xticks(np.arange(d))
ax.set_xlabel("feature")
ax.set_ylabel("coefficient")
ax.set_title("n = 1e6 users, epsilon = 4 (l2 error in brackets)")
ax.legend(fontsize=8)
fig.tight_layout()
plt.show()
