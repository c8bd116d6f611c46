"""Demo rows for ``python -m sparsestat demo``: the three LDP protocols on simulated users."""

import numpy as np

__all__ = ["demo_rows"]


def demo_rows(quick=False):
    """Fit each protocol on 1e6 simulated users (d = 10, k = 3, epsilon = 4).

    ``quick=True`` simulates 1e5 users (and 1e4 public rows) instead.

    Yields
    ------
    row : dict
        ``estimator, data, metric, score, fit_time``; the score is the l2 error of the
        coefficients (``||theta*|| = 0.707``).
    """
    from .._demo import timed_fit
    from ._ldp_regression import LDPSparseRegressor

    d, k, n = 10, 3, 100_000 if quick else 1_000_000
    rng = np.random.default_rng(0)
    theta = np.zeros(d)
    theta[:k] = np.sqrt(0.5 / k)
    X = rng.integers(0, 2, size=(n, d), dtype=np.int8).astype(np.float64) * 2 - 1
    y = X @ theta + 0.1 * rng.standard_normal(n)
    public_X = rng.integers(0, 2, size=(n // 10, d), dtype=np.int8).astype(np.float64) * 2 - 1
    labels = {"noninteractive": "nonint", "public": "public", "interactive": "iht"}
    for protocol in ("noninteractive", "public", "interactive"):
        model = LDPSparseRegressor(epsilon=4.0, clip_x=1.0, clip_y=2.0, protocol=protocol,
                                   fit_intercept=False, random_state=0)
        extra = {"public_X": public_X} if protocol == "public" else {}
        model, seconds = timed_fit(model, X, y, **extra)
        yield {
            "estimator": f"LDPSparseRegressor[{labels[protocol]}]",
            "data": f"{n:.0e} users, d=10, k=3, eps=4".replace("+0", ""),
            "metric": "l2 coef error",
            "score": float(np.linalg.norm(model.coef_ - theta)),
            "fit_time": seconds,
        }
