"""Ordinal regression: PRESTO (sparse, shrunk towards proportional odds) and its baselines."""

from ..utils._pickle import register_versioned_pickle
from ._presto import PRESTOClassifier, PRESTOClassifierCV, presto_path
from ._proportional_odds import ProportionalOddsClassifier

__all__ = [
    "PRESTOClassifier",
    "PRESTOClassifierCV",
    "ProportionalOddsClassifier",
    "presto_path",
]

register_versioned_pickle(__name__)  # pickles carry sparsestat's version


def _warmup():
    import numpy as np
    import scipy.sparse as sp

    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(60, 3))
    y = np.digitize(X[:, 0] + rng.logistic(size=60), [-0.5, 0.5])
    for design in (X, sp.csc_matrix(X)):
        PRESTOClassifier(alpha=0.01).fit(design, y).predict_proba(X)
    ProportionalOddsClassifier(alpha=0.0).fit(X, y)
