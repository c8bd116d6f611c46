"""Demo rows for ``python -m sparsestat demo``: SDP clustering on simulated clusters."""

import numpy as np
from sklearn.metrics import adjusted_rand_score

from .._demo import timed_fit
from ._sdp import ILASDP, SDPKMeans


def _heterogeneous(n, seed=0):
    rng = np.random.default_rng(seed)
    h = n // 2
    X = np.vstack([rng.normal(0.0, 0.5, (h, 2)),
                   rng.normal(0.0, 1.0, (h, 2)) * [3.0, 0.5] + [0.0, 3.0]])
    return X, np.repeat([0, 1], h)


def _blobs(n, seed=0):
    rng = np.random.default_rng(seed)
    centers = np.array([[0.0, 0.0], [4.0, 0.0], [2.0, 3.5]])
    y = np.repeat(np.arange(3), n // 3)
    return rng.normal(0.0, 1.0, (y.size, 2)) + centers[y], y


def demo_rows(quick=False):
    n = 150 if quick else 300  # --quick: half the samples
    X, y = _blobs(n)
    model, seconds = timed_fit(SDPKMeans(n_clusters=3, random_state=0), X)
    yield dict(estimator="SDPKMeans", data=f"3 gaussian blobs, n={n}",
               metric="ARI", score=float(adjusted_rand_score(y, model.labels_)),
               fit_time=seconds)
    X, y = _heterogeneous(2 * n + 400)
    model, seconds = timed_fit(ILASDP(n_clusters=2, random_state=0), X)
    yield dict(estimator="ILASDP", data=f"round + elongated clusters, n={2 * n + 400}",
               metric="ARI", score=float(adjusted_rand_score(y, model.labels_)),
               fit_time=seconds)
