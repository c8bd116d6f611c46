"""Sparse linear models: Lasso, ElasticNet and their paths."""

from ._coordinate_descent import ElasticNet, Lasso, enet_path, lasso_path

__all__ = ["ElasticNet", "Lasso", "enet_path", "lasso_path"]


def _warmup():
    import numpy as np
    import scipy.sparse as sp

    rng = np.random.default_rng(0)
    X = rng.standard_normal((20, 5))
    y = X[:, 0] + 0.1 * rng.standard_normal(20)
    for design in (X, X.astype(np.float32), sp.csc_matrix(X)):
        Lasso(alpha=0.01, precompute=False).fit(design, y)
    Lasso(alpha=0.01, precompute=True).fit(X, y)
