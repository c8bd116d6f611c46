"""Model-selection pieces shared by every ``*CV`` estimator of the families.

scikit-learn's metadata routing of ``fit`` to the splitter (as its ``LinearModelCV``)
and glmnet's one-standard-error rule.
"""

import numpy as np
from sklearn.model_selection import check_cv
from sklearn.utils._metadata_requests import MetadataRouter, MethodMapping, _raise_for_params
from sklearn.utils.metadata_routing import _routing_enabled, process_routing
from sklearn.utils.validation import _num_samples

__all__ = ["CVRoutingMixin", "one_se_index", "routed_folds"]


def routed_folds(estimator, X, y, sample_weight, params, *, classifier=False):
    """The folds of ``estimator.cv``, with metadata routed to its ``split`` as scikit-learn.

    Without metadata routing enabled, extra fit parameters raise scikit-learn's own
    error (``_raise_for_params``); with it, ``groups`` and any other metadata requested
    by the splitter reach ``split`` (scikit-learn's ``LinearModelCV.fit``).
    """
    _raise_for_params(params, estimator, "fit")
    cv = check_cv(estimator.cv, y, classifier=classifier)
    split_params = {}
    if _routing_enabled():
        routed = process_routing(estimator, "fit", sample_weight=sample_weight, **params)
        split_params = routed.splitter.split
    n = _num_samples(X)
    return [(_fold_indices(train, n), _fold_indices(test, n))
            for train, test in cv.split(X, y, **split_params)]


def _fold_indices(idx, n):
    """A fold's rows as an integer array: a splitter, or an iterable of ``(train, test)``
    pairs given as ``cv``, may hold lists or boolean masks (scikit-learn indexes with
    either); out-of-range rows get numpy's IndexError."""
    idx = np.asarray(idx)
    if idx.dtype == bool:
        if idx.shape != (n,):
            raise ValueError(f"A boolean fold mask must have one entry per sample ({n}); "
                             f"got shape {idx.shape}.")
        return np.flatnonzero(idx)
    if idx.size == 0:
        return np.zeros(0, dtype=np.intp)
    if idx.ndim != 1 or idx.dtype.kind not in "iu":
        raise ValueError(f"Fold indices must be a 1-D array of integers; got {idx.dtype} "
                         f"of shape {idx.shape}.")
    if idx.min() < -n or idx.max() >= n:
        raise IndexError(f"A fold index is out of range for {n} samples.")
    return np.where(idx < 0, idx + n, idx).astype(np.intp, copy=False)


def one_se_index(mean, folds_values, best, *, higher_is_better=False):
    """glmnet's ``lambda.1se`` on a decreasing grid: the largest alpha whose mean CV
    error is within one standard error of the best one's.

    ``folds_values`` is ``(n_alphas, n_folds)``; the standard error of the mean over
    ``K`` folds is ``std(ddof=1) / sqrt(K)`` (glmnet's ``cvsd``), 0 for one fold.
    """
    k = folds_values.shape[1]
    se = folds_values.std(axis=1, ddof=1) / np.sqrt(k) if k > 1 else \
        np.zeros(folds_values.shape[0])
    if higher_is_better:
        ok = mean >= mean[best] - se[best]
    else:
        ok = mean <= mean[best] + se[best]
    return int(np.argmax(ok))


class CVRoutingMixin:
    """scikit-learn's metadata routing of a ``*CV`` estimator: ``fit`` to ``cv.split``."""

    def get_metadata_routing(self):
        """Get the metadata routing of this object (scikit-learn's ``LinearModelCV``).

        Returns
        -------
        routing : MetadataRouter
            Routes ``fit``'s metadata (e.g. ``groups``) to the ``split`` of ``cv``, and
            the estimator's own requests (``sample_weight``).
        """
        return (
            MetadataRouter(owner=self)
            .add_self_request(self)
            .add(splitter=check_cv(self.cv),
                 method_mapping=MethodMapping().add(caller="fit", callee="split"))
        )
