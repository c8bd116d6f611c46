"""Quantile regression: sparse linear quantile models, k-NN quantiles, and the quantile
model aggregation of Fakoor et al. (JMLR 2023) with noncrossing and conformal
calibration."""

from ..utils._pickle import register_versioned_pickle
from ._aggregator import QuantileAggregator, QuantileModel, default_library
from ._knn import KNeighborsQuantileRegressor
from ._plot import QuantileCalibrationDisplay, QuantileFanDisplay
from ._sparse_quantile import SparseQuantileRegressor

__all__ = [
    "SparseQuantileRegressor", "KNeighborsQuantileRegressor", "QuantileAggregator",
    "QuantileModel", "default_library",
]
__all__ += ["QuantileCalibrationDisplay", "QuantileFanDisplay"]

register_versioned_pickle(__name__)  # pickles carry sparsestat's version


def _warmup():
    import numpy as np

    from .._engine.families._simplex import fit_simplex_weights, isotonic_rows

    rng = np.random.default_rng(0)
    X = rng.standard_normal((30, 3))
    y = X[:, 0] + rng.standard_normal(30)
    SparseQuantileRegressor(quantile=[0.2, 0.8], alpha=0.01).fit(X, y)
    F = rng.standard_normal((30, 2, 2))
    fit_simplex_weights(F, y, np.array([0.2, 0.8]), np.arange(2), 2, max_iter=5)
    isotonic_rows(np.ascontiguousarray(F[:, 0, :]))
