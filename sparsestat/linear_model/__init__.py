"""Sparse linear models: Lasso, ElasticNet and their paths."""

from ._coordinate_descent import ElasticNet, Lasso, enet_path, lasso_path
from ._glm import GeneralizedLinearEstimator, NonconvexWarning
from ._logistic import SparseLogisticRegression
from ._nonconvex import GroupLasso, L0Regressor, MCPRegressor, SCADRegressor

__all__ = ["ElasticNet", "Lasso", "enet_path", "lasso_path"]
__all__ += [
    "GeneralizedLinearEstimator",
    "GroupLasso",
    "L0Regressor",
    "MCPRegressor",
    "NonconvexWarning",
    "SCADRegressor",
    "SparseLogisticRegression",
]


def _warmup():
    import numpy as np
    import scipy.sparse as sp

    rng = np.random.default_rng(0)
    X = rng.standard_normal((20, 5))
    y = X[:, 0] + 0.1 * rng.standard_normal(20)
    for design in (X, X.astype(np.float32), sp.csc_matrix(X)):
        Lasso(alpha=0.01, precompute=False).fit(design, y)
    Lasso(alpha=0.01, precompute=True).fit(X, y)
