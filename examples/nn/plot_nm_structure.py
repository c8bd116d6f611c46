"""
========================
The 2:4 sparsity pattern
========================

:class:`~sparsestat.nn.NMPruner` keeps the 2 largest of every 4 consecutive inputs of
each unit (axis 0 of ``coefs_[0]``). Trained with SR-STE on digits, the first layer's mask
has exactly two nonzeros in every group of four rows, in every column. The picture shows
the top-left corner of the mask, with the group boundaries drawn.
"""

import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning

from sparsestat.nn import NMPruner, SparseMLPClassifier

warnings.simplefilter("ignore", ConvergenceWarning)
X, y = load_digits(return_X_y=True)
clf = SparseMLPClassifier((32,), max_iter=30, random_state=0, pruner=NMPruner(2, 4))
clf.fit(X / 16.0, y)
mask = clf.masks_[0]
per_group = mask.reshape(-1, 4, mask.shape[1]).sum(axis=1)
print("nonzeros per group of 4:", np.unique(per_group), "train accuracy",
      round(clf.score(X / 16.0, y), 3))

fig, ax = plt.subplots(figsize=(6, 5))
ax.imshow(mask[:32, :32], cmap="Greys", interpolation="nearest")
for g in range(4, 32, 4):
    ax.axhline(g - 0.5, color="tab:red", lw=0.8)
ax.set_xlabel("hidden unit (column of coefs_[0])")
ax.set_ylabel("input pixel (row; groups of 4 in red)")
ax.set_title("2:4 mask of the first layer (black = kept)")
fig.tight_layout()
plt.show()
