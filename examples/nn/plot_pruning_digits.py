"""
==========================================
Accuracy vs sparsity on digits, per pruner
==========================================

Each pruner prunes a :class:`~sparsestat.nn.SparseMLPClassifier` with 100 hidden units
*during training* on MinMax-scaled digits (stratified 75/25 split), at several target
sparsities. Magnitude pruning on the cubic schedule, PDP and ISS-P learn the mask from the
weights; random ERK masks are fixed at initialization. The structured pruners fix a
pattern instead of a sparsity: N:M patterns (SR-STE) and WGSEF unit pruning (k hidden
units kept; the sparsity counts the removed units' incoming weights) are plotted where
they land. Short training (40 epochs) keeps the example quick, so the scores are a
little below those of full 200-epoch training (dense: 0.98; 90% magnitude: 0.96).
"""

import warnings

import matplotlib.pyplot as plt
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler

from sparsestat.nn import (GroupEnvelopePruner, MagnitudePruner, NMPruner, PDPPruner,
                           PruningDisplay, RandomPruner, SoftShrinkagePruner,
                           SparseMLPClassifier)

warnings.simplefilter("ignore", ConvergenceWarning)
X, y = load_digits(return_X_y=True)
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)
scaler = MinMaxScaler().fit(Xtr)
Xtr, Xte = scaler.transform(Xtr), scaler.transform(Xte)

sparsities = [0.5, 0.8, 0.9, 0.95]
pruners = {
    "magnitude (cubic)": lambda s: MagnitudePruner(s),
    "random ERK": lambda s: RandomPruner(s, distribution="erk"),
    "PDP": lambda s: PDPPruner(s),
    "ISS-P": lambda s: SoftShrinkagePruner(s),
}
dense = SparseMLPClassifier((100,), max_iter=40, random_state=0).fit(Xtr, ytr)
dense_score = dense.score(Xte, yte)

fig, ax = plt.subplots(figsize=(6, 4))
for name, make in pruners.items():
    scores = []
    for s in sparsities:
        clf = SparseMLPClassifier((100,), max_iter=40, random_state=0, pruner=make(s))
        scores.append(clf.fit(Xtr, ytr).score(Xte, yte))
    ax.plot(sparsities, scores, marker="o", label=name)
    print(name, [round(v, 3) for v in scores])

# structured pruners set the structure, not the sparsity: plot where they land
structured = {
    "N:M (SR-STE) 2:4, 1:4, 1:8 (padded)": [NMPruner(2, 4), NMPruner(1, 4), NMPruner(1, 8, pad=True)],
    "WGSEF units k=50, 20, 10": [GroupEnvelopePruner(k=k, alpha=0.1) for k in (50, 20, 10)],
}
for name, group in structured.items():
    points = []
    for pruner in group:
        clf = SparseMLPClassifier((100,), max_iter=40, random_state=0, pruner=pruner)
        clf.fit(Xtr, ytr)
        points.append((clf.sparsity_, clf.score(Xte, yte)))
    ax.plot(*zip(*points), marker="s", ls=":", label=name)
    print(name, [(round(a, 3), round(b, 3)) for a, b in points])
ax.axhline(dense_score, color="k", ls="--", label=f"dense ({dense_score:.3f})")
ax.set_xlabel("sparsity (fraction of weights pruned)")
ax.set_ylabel("test accuracy")
ax.set_title("digits, MLP (100,), pruned during training")
ax.legend(fontsize=7)
fig.tight_layout()
plt.show()

# %%
# Where the weights go
# --------------------
# :class:`~sparsestat.nn.PruningDisplay` draws the density of each layer. At 90% overall
# sparsity, global magnitude pruning and ERK keep a larger share of the small output
# layer (100 x 10) than of the input layer (64 x 100); layer-wise magnitude pruning
# keeps 10% of each.
fig, axes = plt.subplots(1, 3, figsize=(8, 3.0), sharey=True)
for ax, (title, pruner) in zip(axes, [
        ("magnitude, per layer", MagnitudePruner(0.9)),
        ("magnitude, global", MagnitudePruner(0.9, scope="global")),
        ("random ERK", RandomPruner(0.9, distribution="erk", random_state=0))]):
    PruningDisplay.from_estimator(pruner.fit(dense), ax=ax)
    ax.set_title(title)
    if ax is not axes[0]:
        ax.set_ylabel("")
fig.tight_layout()
plt.show()
