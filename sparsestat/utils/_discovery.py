"""Find every public estimator of sparsestat."""

import importlib
import inspect

from sklearn.base import BaseEstimator

__all__ = ["all_estimators"]


def all_estimators(type_filter=None):
    """List every public estimator of sparsestat.

    An estimator is public when its class is named in the ``__all__`` of a public
    subpackage (``sparsestat.linear_model``, ``sparsestat.dag``, ...).

    Parameters
    ----------
    type_filter : {"classifier", "regressor", "cluster", "transformer"} or list, default=None
        Keep only estimators of these kinds (scikit-learn's mixins decide).

    Returns
    -------
    estimators : list of (str, type)
        ``(name, class)`` pairs sorted by name.

    Examples
    --------
    >>> from sparsestat.utils import all_estimators
    >>> names = [name for name, _ in all_estimators()]
    >>> "Lasso" in names
    True
    """
    from sklearn.base import ClassifierMixin, ClusterMixin, RegressorMixin, TransformerMixin

    from .._warmup import public_families

    mixins = {
        "classifier": ClassifierMixin,
        "regressor": RegressorMixin,
        "cluster": ClusterMixin,
        "transformer": TransformerMixin,
    }
    if type_filter is not None:
        kinds = [type_filter] if isinstance(type_filter, str) else list(type_filter)
        unknown = set(kinds) - set(mixins)
        if unknown:
            raise ValueError(f"type_filter must be among {sorted(mixins)}, got {sorted(unknown)}.")
    found = {}
    for family in public_families():
        module = importlib.import_module(f"sparsestat.{family}")
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if (
                inspect.isclass(obj)
                and issubclass(obj, BaseEstimator)
                and not inspect.isabstract(obj)
            ):
                found[name] = obj
    estimators = sorted(found.items())
    if type_filter is not None:
        estimators = [
            (name, cls)
            for name, cls in estimators
            if any(issubclass(cls, mixins[kind]) for kind in kinds)
        ]
    return estimators
