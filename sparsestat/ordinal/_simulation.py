"""The sparse simulation design of Faletto and Bien (2023), section 5 (private helper)."""

import numpy as np
from sklearn.utils import check_random_state

from ._base import class_probabilities

__all__ = ["make_presto_simulation"]


def _truth(X, intercepts, beta):
    return class_probabilities(X @ beta.T + intercepts)


def make_presto_simulation(n_samples=2500, n_features=10, *, intercepts=(0.0, 3.0, 5.0),
                           pi=0.5, n_test=0, random_state=None):
    """Ordinal data with a rare top class and sparse differences between thresholds.

    ``X ~ U(-1, 1)``; ``beta_1 = 0.5 * Bernoulli(pi)`` per feature; each difference
    ``beta_k - beta_{k-1}`` is ``+-0.5`` (random sign) with probability ``pi``, else 0;
    ``P(y <= k | x) = sigmoid(intercepts[k] + x @ beta_k)``. Rows where the true
    cumulative probabilities would cross are redrawn, so the truth is a valid model.

    Returns ``X, y, proba, beta, X_test, proba_test`` (the test arrays have ``n_test``
    rows; ``proba`` holds the true class probabilities).
    """
    rng = check_random_state(random_state)
    intercepts = np.asarray(intercepts, dtype=float)
    n_thr = intercepts.shape[0]
    psi = np.zeros((n_thr, n_features))
    psi[0] = 0.5 * (rng.uniform(size=n_features) < pi)
    for k in range(1, n_thr):
        signs = rng.choice([-1.0, 1.0], size=n_features)
        psi[k] = 0.5 * signs * (rng.uniform(size=n_features) < pi)
    beta = np.cumsum(psi, axis=0)

    def draw(n):
        rows = []
        total = 0
        while total < n:
            X = rng.uniform(-1.0, 1.0, size=(2 * n, n_features))
            eta = X @ beta.T + intercepts
            ok = np.all(np.diff(eta, axis=1) > 0, axis=1)
            rows.append(X[ok])
            total += int(ok.sum())
        return np.vstack(rows)[:n]

    X = draw(n_samples)
    proba = _truth(X, intercepts, beta)
    cum = np.cumsum(proba, axis=1)
    y = (rng.uniform(size=(n_samples, 1)) > cum[:, :-1]).sum(axis=1)
    X_test = draw(n_test) if n_test > 0 else np.empty((0, n_features))
    proba_test = _truth(X_test, intercepts, beta) if n_test > 0 else np.empty((0, n_thr + 1))
    return X, y, proba, beta, X_test, proba_test
