"""sparsestat: sparse statistical estimators on one fast Numba engine.

The estimators live in subpackages, one per family, and are imported from there::

    from sparsestat.linear_model import Lasso

Importing :mod:`sparsestat` itself is cheap: it imports no estimator family, no cvxpy and
compiles nothing. Call :func:`sparsestat.warmup` to load (or compile) every kernel up front.
"""

from ._warmup import warmup

__version__ = "0.1.0"

__all__ = ["warmup", "__version__"]
