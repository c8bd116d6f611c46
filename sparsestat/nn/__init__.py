"""Torch-free sparse MLPs, pruning methods, and a numba.cuda path.

Networks are numpy arrays in scikit-learn's layout (``coefs_[l]`` of shape
``(n_in, n_out)``). Pruners prune a fitted MLP (ours or scikit-learn's) or drive pruning
during training; :func:`shrink` and :class:`SparseNetwork` make pruned models really
smaller and faster.
"""

from ..utils._pickle import register_versioned_pickle
from ._multilayer import SparseMLPClassifier, SparseMLPRegressor
from ._pruners import (GroupEnvelopePruner, MagnitudePruner, NMPruner, PDPPruner,
                       RandomPruner, SoftShrinkagePruner)
from ._plot import PruningDisplay
from ._selftest import cuda_selftest
from ._shrink import SparseNetwork, pruning_report, shrink
from ._soup import SparseModelSoup

__all__ = [
    "SparseMLPClassifier",
    "SparseMLPRegressor",
    "MagnitudePruner",
    "RandomPruner",
    "NMPruner",
    "GroupEnvelopePruner",
    "PDPPruner",
    "SoftShrinkagePruner",
    "SparseModelSoup",
    "SparseNetwork",
    "shrink",
    "pruning_report",
    "cuda_selftest",
]
__all__ += ["PruningDisplay"]

register_versioned_pickle(__name__)  # pickles carry sparsestat's version


def _warmup():
    import numpy as np

    rng = np.random.default_rng(0)
    X = rng.standard_normal((24, 4))
    y = (X[:, 0] > 0).astype(int)
    for pruner in (None, NMPruner(2, 4), PDPPruner(0.5), SoftShrinkagePruner(0.5),
                   GroupEnvelopePruner(k=2), MagnitudePruner(0.5, scope="global"),
                   MagnitudePruner(0.5)):
        clf = SparseMLPClassifier((4,), max_iter=2, pruner=pruner, device="cpu",
                                  random_state=0)
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            clf.fit(X, y)
    clf.predict_proba(X)
    SparseNetwork(clf).forward(X)
