"""Sparse linear regression under local differential privacy.

The client side (:func:`privatize`, what leaves a user's device) and the server side
(:class:`LDPSparseRegressor`, which estimates from privatized reports only), with the
privacy bookkeeping (:class:`BudgetAccountant`) and the Gaussian mechanisms.
"""

from ..utils._pickle import register_versioned_pickle
from ._accountant import BudgetAccountant, BudgetError, PrivacyLeakWarning
from ._client import LocalClients, PrivateReports, pool_reports, privatize
from ._ldp_regression import LDPSparseRegressor
from ._mechanisms import analytic_gaussian_sigma, gaussian_delta, gaussian_sigma

__all__ = [
    "LDPSparseRegressor",
    "privatize",
    "PrivateReports",
    "pool_reports",
    "LocalClients",
    "BudgetAccountant",
    "BudgetError",
    "PrivacyLeakWarning",
    "gaussian_sigma",
    "analytic_gaussian_sigma",
    "gaussian_delta",
]

register_versioned_pickle(__name__)  # pickles carry sparsestat's version


def _warmup():
    """Run the compiled kernels (per-user reports, Gram-form Lasso) once on tiny data."""
    import numpy as np

    rng = np.random.default_rng(0)
    X = rng.choice([-1.0, 1.0], size=(64, 3))
    y = X[:, 0] + 0.1 * rng.standard_normal(64)
    LDPSparseRegressor(epsilon=np.inf, clip_x=1.0, clip_y=2.0, alpha=0.01, noise="per_user",
                       random_state=0).fit(X, y)
