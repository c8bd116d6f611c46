"""The proportional odds (cumulative logit) model, optionally L1-penalized."""

from ._presto import PRESTOClassifier

__all__ = ["ProportionalOddsClassifier"]


class ProportionalOddsClassifier(PRESTOClassifier):
    """Proportional odds model: one weight vector shared by every threshold.

    ``P(y <= k | x) = sigmoid(intercept_[k] + x @ beta)``, fitted by::

        -(1/n) sum_i w_i log p_{y_i}(x_i) + alpha * sum_j s_j |beta_j|

    (``s_j`` the standard deviation of column ``j``; ``alpha=0``, the default, is the
    unpenalized maximum likelihood estimate, as statsmodels' ``OrderedModel`` with
    ``distr="logit"`` up to the sign of ``beta``). It is :class:`PRESTOClassifier` with
    every difference ``beta_k - beta_{k-1}`` fixed at zero, solved by the same proximal
    Newton kernel; the two classes case is logistic regression for ``y > classes_[0]``.

    Parameters
    ----------
    alpha : float, default=0.0
        L1 strength on ``beta`` (scaled by the column standard deviations).
    l1_ratio : float, default=1.0
        Mix of L1 (1.0) and ridge (0.0) penalties on ``beta`` when ``alpha > 0``.
    classes : array-like, default=None
        Every label of ``y`` in order, lowest first (default: an ordered pandas
        Categorical's order, else the sorted labels).
    max_iter : int, default=100
        Maximum number of proximal Newton iterations.
    tol : float, default=1e-7
        Stop when the largest violation of the optimality (KKT) conditions, in the
        units of the averaged loss gradient, is below ``tol``.
    warm_start : bool, default=False
        Start from the previous ``coef_`` and ``intercept_`` when refitting on data with
        the same number of classes and features.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Labels, lowest first.
    coef_ : ndarray of shape (n_classes - 1, n_features)
        The common ``beta``, repeated on every row.
    intercept_ : ndarray of shape (n_classes - 1,)
        Thresholds ``intercept_[k]`` for the user's (uncentered) ``X``, increasing in k.
    psi_ : ndarray of shape (n_classes - 1, n_features)
        ``beta`` then zero rows.
    alpha_max_ : float
        Smallest alpha at which ``beta`` is zero (the intercept-only model).
    n_iter_ : int
        Proximal Newton iterations run.
    kkt_violation_ : float
        Largest KKT violation at the returned solution.
    objective_ : float
        Value of the penalized objective at the returned solution.
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when X has feature
        names that are all strings.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.ordinal import ProportionalOddsClassifier
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((400, 2))
    >>> y = np.digitize(-X[:, 0] + rng.logistic(size=400), [-1.0, 1.0])
    >>> clf = ProportionalOddsClassifier().fit(X, y)
    >>> bool(np.all(clf.coef_[0] == clf.coef_[1]))
    True
    >>> clf.coef_[0].round(1)
    array([1. , 0.2])
    """

    _n_levels_all = False
    _min_classes = 2

    def __init__(self, alpha=0.0, *, l1_ratio=1.0, classes=None, max_iter=100, tol=1e-7,
                 warm_start=False):
        super().__init__(alpha=alpha, l1_ratio=l1_ratio, classes=classes, max_iter=max_iter,
                         tol=tol, warm_start=warm_start)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # one common direction for all thresholds: non-ordinal blobs are not separable by it
        tags.classifier_tags.poor_score = True
        return tags
