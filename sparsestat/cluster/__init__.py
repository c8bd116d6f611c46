"""Clustering by semidefinite relaxations: the K-means SDP and iLA-SDP."""

from ..utils._pickle import register_versioned_pickle
from ._sdp import ILASDP, SDPKMeans

__all__ = ["ILASDP", "SDPKMeans"]

register_versioned_pickle(__name__)  # pickles carry sparsestat's version


def _warmup():
    import numpy as np

    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0.0, 0.5, (15, 2)), rng.normal(3.0, 0.5, (15, 2))])
    ILASDP(n_clusters=2, max_iter=2, random_state=0).fit(X)
