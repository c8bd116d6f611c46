"""sparsestat: sparse statistical estimators on one fast Numba engine.

The estimators live in subpackages, one per family, and are imported from there::

    from sparsestat.linear_model import Lasso

Importing :mod:`sparsestat` itself is cheap: it imports no estimator family, no cvxpy and
compiles nothing. The families are loaded on first attribute access, so
``import sparsestat; sparsestat.linear_model.Lasso`` works too. Call
:func:`sparsestat.warmup` to load (or compile) every kernel up front.
"""

import importlib

from ._warmup import warmup

__version__ = "0.1.0"

__all__ = ["warmup", "__version__"]

# Listed by hand rather than discovered: discovery at import time would cost a directory scan
# in every process; tests/test_package.py checks that this list matches the subpackages.
_SUBPACKAGES = ("cluster", "dag", "datasets", "linear_model", "metrics", "nn", "ordinal",
                "privacy", "quantile", "utils")


def __getattr__(name):
    # PEP 562: import a family on first access instead of at ``import sparsestat``.
    if name in _SUBPACKAGES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_SUBPACKAGES))
