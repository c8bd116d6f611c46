"""
==========================================
Accuracy vs sparsity on digits, per pruner
==========================================

Each pruner prunes a :class:`~sparsestat.nn.SparseMLPClassifier` with 100 hidden units
*during training* on MinMax-scaled digits (stratified 75/25 split), at several target
sparsities. Magnitude pruning on the cubic schedule, PDP and ISS-P learn the mask from the
weights; random ERK masks are fixed at initialization. Short training (40 epochs) keeps
the example quick, so the dense score is a little below the full 200-epoch one.
"""

import warnings

import matplotlib.pyplot as plt
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler

from sparsestat.nn import (MagnitudePruner, PDPPruner, RandomPruner, SoftShrinkagePruner,
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
ax.axhline(dense_score, color="k", ls="--", label=f"dense ({dense_score:.3f})")
ax.set_xlabel("sparsity (fraction of weights pruned)")
ax.set_ylabel("test accuracy")
ax.set_title("digits, MLP (100,), pruned during training")
ax.legend()
fig.tight_layout()
plt.show()
