"""Pickles that carry sparsestat's version and warn when another version loads them.

scikit-learn stores ``_sklearn_version`` only in its own estimators' pickles (its
``BaseEstimator.__getstate__`` checks the class's module). Our estimators share no base
class of their own, so instead of a mixin on every class each family registers its
public estimators here (one call at the end of its ``__init__``): :mod:`copyreg` then
pickles them as ``_restore(cls, version)`` + the usual state, and loading runs
``_restore``, which warns with :class:`~sparsestat.exceptions.InconsistentVersionWarning`
when the versions differ. The state itself is unchanged (``__getstate__`` /
``__setstate__`` of scikit-learn's ``BaseEstimator``), so ``copy.deepcopy`` and
``clone`` behave as before.
"""

import copyreg
import importlib
import warnings

from sklearn.base import BaseEstimator

__all__ = ["register_versioned_pickle"]


def _version():
    import sparsestat

    return sparsestat.__version__


def _restore(cls, version):
    """Called by ``pickle.load``: an empty instance; warns when ``version`` differs."""
    current = _version()
    if version != current:
        from ..exceptions import InconsistentVersionWarning

        warnings.warn(InconsistentVersionWarning(
            estimator_name=cls.__name__, current_version=current, original_version=version),
            stacklevel=2)
    return cls.__new__(cls)


def _reduce(estimator):
    # what object.__reduce_ex__(2) gives, with the version in the constructor's arguments
    return _restore, (type(estimator), _version()), estimator.__getstate__()


def register_versioned_pickle(module_name):
    """Pickle every public estimator of a family with sparsestat's version.

    Parameters
    ----------
    module_name : str
        The family's module (its ``__name__``); the :class:`~sklearn.base.BaseEstimator`
        classes in its ``__all__`` are registered.

    Returns
    -------
    classes : list of type
        The registered classes.
    """
    module = importlib.import_module(module_name)
    classes = [obj for obj in (getattr(module, name) for name in module.__all__)
               if isinstance(obj, type) and issubclass(obj, BaseEstimator)]
    for cls in classes:
        copyreg.pickle(cls, _reduce)
    return classes
