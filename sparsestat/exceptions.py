"""Warning and error categories of sparsestat, in one place to import and filter from.

Each category subclasses the scikit-learn or Python category users already filter, so an
existing ``warnings.simplefilter("ignore", UserWarning)`` keeps working, while
``warnings.simplefilter("ignore", AlphaMaxWarning)`` silences only ours::

    import warnings
    from sparsestat.exceptions import AlphaMaxWarning

    warnings.simplefilter("ignore", AlphaMaxWarning)  # e.g. in a grid search

* ``AlphaMaxWarning``: ``alpha >= alpha_max``, every penalized coefficient is zero
  (a :class:`UserWarning`).
* ``NonconvexWarning``: an MCP / SCAD solution where the objective is locally nonconvex
  (a :class:`UserWarning`).
* ``PrivacyLeakWarning``: a privacy guarantee rests on an implicit assumption
  (a :class:`RuntimeWarning`).
* ``BudgetError``: a release would overspend the privacy budget (a :class:`ValueError`).
* ``KernelCacheWarning``: a cached numba kernel could not be loaded and was rebuilt
  (a :class:`RuntimeWarning`).
* ``InconsistentVersionWarning``: an estimator pickled by another sparsestat version was
  loaded (a subclass of scikit-learn's
  :class:`~sklearn.exceptions.InconsistentVersionWarning`).

Non-convergence keeps scikit-learn's :class:`~sklearn.exceptions.ConvergenceWarning`.
Our warnings point at the line of the caller's code that called ``fit`` (not at
scikit-learn's or sparsestat's internals).
"""

import concurrent.futures
import multiprocessing
import os
import sys
import threading

import joblib
import sklearn
from sklearn.exceptions import InconsistentVersionWarning as _SkInconsistentVersionWarning

from ._engine._numba import KernelCacheWarning

__all__ = ["AlphaMaxWarning", "NonconvexWarning", "PrivacyLeakWarning", "BudgetError",
           "KernelCacheWarning", "InconsistentVersionWarning"]


class AlphaMaxWarning(UserWarning):
    """``alpha >= alpha_max``: the fit is all zeros (every penalized coefficient).

    A hint, not an error: a grid search that crosses ``alpha_max`` raises it once per
    fit; filter it by category.

    Examples
    --------
    >>> import warnings
    >>> import numpy as np
    >>> from sparsestat.exceptions import AlphaMaxWarning
    >>> from sparsestat.linear_model import Lasso
    >>> X, y = np.eye(3), np.array([1.0, 0.0, 0.0])
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("error", AlphaMaxWarning)
    ...     try:
    ...         Lasso(alpha=10.0).fit(X, y)
    ...     except AlphaMaxWarning as w:
    ...         print("all zeros:", "alpha_max" in str(w))
    all zeros: True
    """


class NonconvexWarning(UserWarning):
    """The penalized objective is not convex around the solution found (a local minimum).

    Raised by the MCP and SCAD estimators (``locally_convex_`` is then False); a larger
    ``gamma`` or ``alpha`` gives a locally convex problem.

    Examples
    --------
    >>> import warnings
    >>> import numpy as np
    >>> from sparsestat.linear_model import MCPRegressor, NonconvexWarning
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((50, 3)); y = X[:, 0]
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", NonconvexWarning)  # silence it on purpose
    ...     reg = MCPRegressor(alpha=0.1).fit(X, y)
    >>> reg.locally_convex_
    True
    """


class PrivacyLeakWarning(RuntimeWarning):
    """The privacy guarantee rests on an assumption the caller did not make explicit.

    Raised when clip bounds are not given (a data-independent default is used, which
    may clip the data hard or waste budget) or when a mechanism's calibration does not
    provably meet the requested ``(epsilon, delta)``.

    Examples
    --------
    >>> import warnings
    >>> import numpy as np
    >>> from sparsestat.privacy import PrivacyLeakWarning, privatize
    >>> X, y = np.zeros((10, 2)), np.zeros(10)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     reports = privatize(X, y, epsilon=1.0, delta=1e-5, random_state=0)
    >>> any(issubclass(w.category, PrivacyLeakWarning) for w in caught)
    True
    """


class BudgetError(ValueError):
    """A release would spend more privacy budget than the accountant holds.

    Raised before any noise is drawn, so nothing leaves the user.

    Examples
    --------
    >>> from sparsestat.privacy import BudgetAccountant, BudgetError
    >>> accountant = BudgetAccountant(1.0, 1e-5)
    >>> try:
    ...     accountant.spend(2.0, 0.0, "x y")
    ... except BudgetError:
    ...     print("refused")
    refused
    """


class InconsistentVersionWarning(_SkInconsistentVersionWarning):
    """An estimator pickled by one sparsestat version was loaded by another.

    Pickles are not guaranteed to load correctly across versions (fitted attributes
    may have changed meaning); refit, or load with the version that wrote it. Subclass
    of scikit-learn's warning of the same name, so one filter covers both.

    Parameters
    ----------
    estimator_name : str
        Class name of the loaded estimator.
    current_version : str
        The sparsestat version loading it.
    original_version : str
        The sparsestat version that pickled it.

    Attributes
    ----------
    estimator_name : str
        Class name of the loaded estimator.
    current_sparsestat_version : str
        The sparsestat version loading it.
    original_sparsestat_version : str
        The sparsestat version that pickled it.

    Examples
    --------
    >>> from sparsestat.exceptions import InconsistentVersionWarning
    >>> w = InconsistentVersionWarning(estimator_name="Lasso", current_version="0.2.0",
    ...                                original_version="0.1.0")
    >>> w.original_sparsestat_version
    '0.1.0'
    """

    def __init__(self, *, estimator_name, current_version, original_version):
        super().__init__(estimator_name=estimator_name,
                         current_sklearn_version=sklearn.__version__,
                         original_sklearn_version=sklearn.__version__)
        self.current_sparsestat_version = current_version
        self.original_sparsestat_version = original_version

    def __str__(self):
        return (
            f"Trying to unpickle estimator {self.estimator_name} from sparsestat version "
            f"{self.original_sparsestat_version} when using version "
            f"{self.current_sparsestat_version}. This might lead to breaking code or invalid "
            "results. Use at your own risk, or refit the estimator with this version.")


# frames in these folders are library internals: a warning skips them to reach the caller
# (joblib's too: a sequential Parallel, e.g. GridSearchCV's, runs fits inside its frames)
# and the standard library's thread pools (a worker thread's stack holds no user line)
_INTERNAL = tuple(
    os.path.dirname(os.path.abspath(module.__file__)) + os.sep
    for module in (sys.modules["sparsestat"], sklearn, joblib, concurrent.futures,
                   multiprocessing)) + (os.path.abspath(threading.__file__),)


def _is_internal(frame):
    return os.path.abspath(frame.f_code.co_filename).startswith(_INTERNAL)


def caller_frame():
    """The innermost frame of the current thread outside sparsestat, scikit-learn, joblib.

    The frame of the user's line that called into the library (None when the thread
    has none, e.g. a worker thread). :func:`sparsestat.utils._parallel.delayed` records
    it where a parallel loop is dispatched, so that warnings raised in the workers name
    that line.

    Returns
    -------
    frame : frame or None
        The caller's frame.
    """
    frame = sys._getframe(1)
    while frame is not None and _is_internal(frame):
        frame = frame.f_back
    return frame


def caller_stacklevel():
    """``stacklevel`` for a ``warnings.warn`` call that names the caller's own line.

    Counted from the function that calls ``warnings.warn``: skips every frame inside
    sparsestat and scikit-learn (scikit-learn's ``_fit_context`` wrapper sits between a
    user's ``fit`` call and ours) and joblib, so the warning's filename and line are the
    first outside them. In a worker thread of our parallel loops, the first such frame is
    the one :func:`sparsestat.utils._parallel.delayed` puts there with the file, line
    and module of the call that started the loop. Use as ``warnings.warn(msg, Category, stacklevel=caller_stacklevel())``.

    Returns
    -------
    stacklevel : int
        At least 2 (the caller of the function that warns).

    Examples
    --------
    >>> import warnings
    >>> from sparsestat.exceptions import caller_stacklevel
    >>> def f():
    ...     warnings.warn("here", UserWarning, stacklevel=caller_stacklevel())
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     f()
    >>> caught[0].lineno == 3  # the line ``f()`` of this example
    True
    """
    frame = sys._getframe(1)  # the function that calls warnings.warn
    level = 1
    while frame.f_back is not None:
        frame = frame.f_back
        level += 1
        if not _is_internal(frame):
            return level
    return max(level, 2)
