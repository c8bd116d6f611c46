"""Sparse linear support vector classification: the squared hinge loss, L1 or elastic net."""

import numpy as np
from sklearn.base import ClassifierMixin, _fit_context
from sklearn.utils.multiclass import check_classification_targets

from .._engine import SquaredHinge
from ._datafit_models import DatafitModel
from ._glm_regressors import datafit_params_doc

__all__ = ["SparseLinearSVC"]


class SparseLinearSVC(ClassifierMixin, DatafitModel):
    __doc__ = """Linear support vector classifier with the squared hinge loss and a sparse penalty.

    Minimizes::

        (1/n) sum_i sw_i max(0, 1 - y_i (x_i^T w + b))^2 + alpha * penalty(w)

    for labels ``y_i`` in {-1, +1} (the two classes of the target, in sorted order).
    This is scikit-learn's ``LinearSVC(penalty="l1", loss="squared_hinge",
    dual=False, C=C)`` with ``alpha = 1 / (C n_samples)``, except that the intercept
    here is unpenalized (liblinear penalizes it as a feature of value
    ``intercept_scaling``; the two agree for ``fit_intercept=False``). The squared hinge
    is differentiable with curvature at most 2.

    Parameters
    ----------""" + datafit_params_doc("""
    alpha : float, default=0.01
        Regularization strength, >= 0 (``1 / (C n_samples)`` for scikit-learn's ``C``).""", """
    solver : {"auto", "prox_newton", "cd", "fista"}, default="auto"
        The engine's solver: "auto" is its choice for the pair (the working-set
        proximal Newton method); "cd" and "fista" also apply (curvature at most 2).""", """
    classes_ : ndarray of shape (2,)
        The two class labels, sorted; ``classes_[1]`` is the positive class (+1).
    coef_ : ndarray of shape (1, n_features)
        Coefficients on the raw scale of X, as scikit-learn's binary ``LinearSVC``.
    intercept_ : ndarray of shape (1,)
        Intercept; 0.0 when ``fit_intercept=False``.""") + """
    See Also
    --------
    SparseLinearSVCCV : alpha chosen by cross-validation.
    sklearn.svm.LinearSVC : liblinear's solver (penalized intercept).

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.linear_model import SparseLinearSVC
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((200, 8))
    >>> y = np.where(X[:, 0] - X[:, 5] > 0, "spam", "ham")
    >>> clf = SparseLinearSVC(alpha=0.2).fit(X, y)
    >>> np.flatnonzero(clf.coef_[0])
    array([0, 5])
    >>> clf.score(X, y) > 0.95
    True
    """

    _parameter_constraints = {**DatafitModel._common_constraints}
    _y_numeric = False

    def __init__(self, alpha=0.01, *, penalty="l1", l1_ratio=0.5, gamma=None,
                 fit_intercept=True, standardize="auto", penalty_factor=None,
                 solver="auto", max_iter=1000, tol=1e-4, warm_start=False):
        self.alpha = alpha
        self.penalty = penalty
        self.l1_ratio = l1_ratio
        self.gamma = gamma
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.penalty_factor = penalty_factor
        self.solver = solver
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start

    def _datafit(self):
        return SquaredHinge()

    def _encode_target(self, y):
        check_classification_targets(y)
        classes, y_ind = np.unique(y, return_inverse=True)
        if classes.size > 2:  # scikit-learn's words for a binary-only classifier
            raise ValueError(
                "Only binary classification is supported. The type of the target is "
                f"multiclass: {type(self).__name__} needs exactly 2 classes in y, got "
                f"{classes.size}: {classes.tolist()[:10]}.")
        if classes.size < 2:
            raise ValueError(
                f"{type(self).__name__} needs samples of 2 classes, but the data contains "
                f"only one class: {classes.tolist()}.")
        self.classes_ = classes
        return np.where(y_ind == 1, 1.0, -1.0)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the model.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data, dense (float32 or float64) or sparse; never modified.
        y : array-like of shape (n_samples,)
            Two class labels (any type).
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the per-sample losses, rescaled internally to sum to n_samples.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        self._fit(X, y, sample_weight, None)
        # one row, as scikit-learn's binary linear classifiers
        self.coef_ = self.coef_.reshape(1, -1)
        self.intercept_ = np.array([self.intercept_])
        return self

    def _warm_start(self, p):
        if getattr(self, "warm_start", False) and np.shape(getattr(self, "coef_", None)) == (1, p):
            return (np.ravel(self.coef_).astype(np.float64),
                    float(np.ravel(getattr(self, "intercept_", [0.0]))[0]))
        return None, 0.0

    def decision_function(self, X):
        """Signed scores ``X @ coef_[0] + intercept_[0]`` (positive for ``classes_[1]``).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples, with the features seen in :term:`fit`.

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            Margins; ``|score| >= 1`` outside the margin.
        """
        return self._linear_predictor(X)

    def predict(self, X):
        """Predicted class labels.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples, with the features seen in :term:`fit`.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            ``classes_[1]`` where the score is positive, else ``classes_[0]``.
        """
        scores = self.decision_function(X)  # checks fitted before classes_ is read
        return self.classes_[(scores > 0).astype(int)]

    def __sklearn_tags__(self):
        from sklearn.utils import ClassifierTags

        tags = super().__sklearn_tags__()
        tags.classifier_tags = ClassifierTags(multi_class=False)
        return tags
