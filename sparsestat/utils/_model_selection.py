"""Model-selection pieces shared by every ``*CV`` estimator of the families.

scikit-learn's metadata routing of ``fit`` to the splitter (as its ``LinearModelCV``)
and glmnet's one-standard-error rule.
"""

import numpy as np
from sklearn.model_selection import check_cv
from sklearn.utils._metadata_requests import MetadataRouter, MethodMapping, _raise_for_params
from sklearn.utils.metadata_routing import _routing_enabled, process_routing

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
    return list(cv.split(X, y, **split_params))


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
