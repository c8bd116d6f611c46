"""
=====================================================
Lasso on a dask array: data larger than memory
=====================================================

For squared-error models the data enter a fit only through a few additive statistics:
``X^T W X``, ``X^T W y``, ``y^T W y``, the column sums and the weight sum
(:class:`~sparsestat.linear_model.SufficientStatistics`). Given a dask array,
:class:`~sparsestat.linear_model.LassoCV` computes them for every block where the block
lives, merges them up a tree on the cluster, and solves the small ``p x p`` problems
locally. Cross-validation by row blocks needs each fold's statistics only, so 5-fold CV
over a whole path of alphas reads the data once.

Here the array is generated block by block (each block exists only while a worker
processes it) on a :class:`~dask.distributed.LocalCluster`; the data are small enough
to check the answer against the in-memory fit. ``partial_fit`` gives the same model
from a stream of blocks without dask.
"""

import dask
import dask.array as da
import matplotlib.pyplot as plt
import numpy as np
from dask.distributed import Client, LocalCluster

from sparsestat.linear_model import Lasso, LassoCV

n_blocks, block_rows, n_features = 20, 2_000, 30
coef_true = np.zeros(n_features)
coef_true[:5] = [2.0, -1.5, 1.0, 0.5, -0.5]


def make_block(i):
    """Block ``i`` of the design and target, as a reader of files would return it."""
    rng = np.random.default_rng(i)
    X = rng.standard_normal((block_rows, n_features))
    return X, X @ coef_true + 3.0 + rng.standard_normal(block_rows)


blocks = [dask.delayed(make_block)(i) for i in range(n_blocks)]
X = da.concatenate([da.from_delayed(b[0], (block_rows, n_features), float) for b in blocks])
y = da.concatenate([da.from_delayed(b[1], (block_rows,), float) for b in blocks])
print(X)

# %%
# Fit on the cluster
# ------------------
# Two in-process workers stand in for a real cluster (``Client("tcp://...")``).
cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                       dashboard_address=None)
client = Client(cluster)

cv_dask = LassoCV(cv=5, alphas=40).fit(X, y)  # one pass over the blocks
pred = cv_dask.predict(X)  # a lazy dask array
print(f"alpha_ = {cv_dask.alpha_:.5f}, nonzeros = {np.count_nonzero(cv_dask.coef_)}")
print("prediction:", type(pred).__name__, pred.shape)

# %%
# The same model in memory and from a stream of blocks
# ----------------------------------------------------
# With contiguous row-block folds (``cv=5`` is scikit-learn's ``KFold(5)``) the
# in-memory ``LassoCV`` picks the same alpha; ``partial_fit`` over the blocks, one at a
# time, equals ``fit`` on all rows.
X_mem, y_mem = (np.concatenate(parts) for parts in zip(*map(make_block, range(n_blocks))))
cv_mem = LassoCV(cv=5, alphas=40).fit(X_mem, y_mem)
print(f"in memory: alpha_ = {cv_mem.alpha_:.5f}; "
      f"max |coef difference| = {np.abs(cv_mem.coef_ - cv_dask.coef_).max():.1e}")

stream = Lasso(alpha=cv_dask.alpha_)
for i in range(n_blocks):
    stream.partial_fit(*make_block(i))
print(f"partial_fit over {n_blocks} blocks: max |coef - LassoCV coef| = "
      f"{np.abs(stream.coef_ - cv_dask.coef_).max():.1e}")

client.close()
cluster.close()

# %%
# The cross-validation curve, from the fold statistics
# ----------------------------------------------------
mse = cv_dask.mse_path_
fig, ax = plt.subplots(figsize=(6, 4))
ax.semilogx(cv_dask.alphas_, mse, color="0.8", lw=0.8)
ax.semilogx(cv_dask.alphas_, mse.mean(axis=1), color="C0", lw=2, label="mean of 5 folds")
ax.semilogx(cv_mem.alphas_, cv_mem.mse_path_.mean(axis=1), "k:", lw=2, label="in memory")
ax.axvline(cv_dask.alpha_, color="C3", ls="--", label=r"chosen $\alpha$")
ax.set_xlabel(r"$\alpha$")
ax.set_ylabel("held-out mean squared error")
ax.legend()
fig.tight_layout()
plt.show()
