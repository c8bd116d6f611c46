"""Sparse model soups (Zimmer et al., ICLR 2024): prune, retrain copies, average."""

import copy
import numbers

import numpy as np
from joblib import Parallel
from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone, is_classifier
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import train_test_split
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, check_random_state, validate_data

from ..utils._parallel import delayed

__all__ = ["SparseModelSoup"]


def _fit(model, X, y):
    return model.fit(X, y)


def _estimator_has(attr):
    def check(self):
        est = self.estimator_ if hasattr(self, "estimator_") else self._base()
        return hasattr(est, attr)

    return check


class SparseModelSoup(MetaEstimatorMixin, BaseEstimator):
    """Average of sparse MLPs that share one mask (sparse model soup).

    Trains ``estimator`` densely, then runs ``phases`` rounds; round ``p`` prunes the
    current soup to the cumulative sparsity ``1 - (1 - s)^(p / P)`` (so each phase
    removes ``1 - (1 - s)^(1/P)`` of what is left) with ``pruner`` (one-shot, on the
    soup's weights), retrains ``n_models`` copies from the pruned soup with the mask
    fixed, each with a different value of one hyperparameter (``vary``), and averages
    them: all copies (``soup="uniform"``) or greedily, adding copies in order of their
    validation score while the soup's validation score does not drop
    (``soup="greedy"``). Every ingredient shares the mask, so the soup keeps it.

    Parameters
    ----------
    pruner : pruner with a ``sparsity`` parameter or None, default=None
        ``MagnitudePruner(sparsity=0.9, scope="global")`` when None.
    n_models : int, default=3
        Number of retrained copies (ingredients) averaged in each phase.
    vary : {"random_state", "alpha", "learning_rate_init"}, default="random_state"
        ``random_state`` varies the batch order; the others take ``values``.
    values : array-like or None, default=None
        One value per model for ``vary``; required unless ``vary="random_state"``,
        whose default is ``seed + 1, ..., seed + n_models`` with ``seed`` drawn from
        ``random_state``.
    phases : int, default=1
        Number of prune-retrain-average rounds reaching the pruner's sparsity.
    soup : {"uniform", "greedy"}, default="uniform"
        Average every ingredient, or greedily only those that do not lower the soup's
        score on a held-out ``validation_fraction`` (accuracy or R^2).
    validation_fraction : float, default=0.1
        Held out for the greedy soup.
    estimator : estimator or None, default=None
        ``SparseMLPClassifier()`` when None.
    n_jobs : int or None, default=None
        Ingredients trained in parallel threads (the compiled epoch releases the GIL).
    random_state : int, RandomState instance or None, default=None
        Seeds the validation split, the dense model and the default ``values``. Pass an
        int for reproducible fits.

    Attributes
    ----------
    estimator_ : MLP estimator
        The soup.
    ingredients_ : list of estimators
        The retrained copies of the last phase.
    classes_ : ndarray of shape (n_classes,)
        Class labels of the soup (classifiers only).
    masks_ : list of ndarray of bool
        The shared masks (shapes of ``coefs_``), ``True`` where a weight is kept.
    sparsity_ : float
        Fraction of pruned weights in the soup.
    n_features_in_ : int
        Number of features seen during :term:`fit`.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from sparsestat.nn import MagnitudePruner, SparseMLPClassifier, SparseModelSoup
    >>> X, y = load_digits(return_X_y=True)
    >>> soup = SparseModelSoup(MagnitudePruner(0.8, scope="global"), n_models=2,
    ...                        estimator=SparseMLPClassifier((32,), max_iter=15),
    ...                        random_state=0).fit(X / 16, y)
    >>> round(soup.sparsity_, 2), soup.score(X / 16, y) > 0.8
    (0.8, True)
    """

    _parameter_constraints = {
        "pruner": [HasMethods(["fit", "_masks"]), None],
        "n_models": [Interval(numbers.Integral, 1, None, closed="left")],
        "vary": [StrOptions({"random_state", "alpha", "learning_rate_init"})],
        "values": ["array-like", None],
        "phases": [Interval(numbers.Integral, 1, None, closed="left")],
        "soup": [StrOptions({"uniform", "greedy"})],
        "validation_fraction": [Interval(numbers.Real, 0, 1, closed="neither")],
        "estimator": [HasMethods(["fit"]), None],
        "n_jobs": [None, numbers.Integral],
        "random_state": ["random_state"],
    }

    def __init__(self, pruner=None, *, n_models=3, vary="random_state", values=None, phases=1,
                 soup="uniform", validation_fraction=0.1, estimator=None, n_jobs=None,
                 random_state=None):
        self.pruner = pruner
        self.n_models = n_models
        self.vary = vary
        self.values = values
        self.phases = phases
        self.soup = soup
        self.validation_fraction = validation_fraction
        self.estimator = estimator
        self.n_jobs = n_jobs
        self.random_state = random_state

    def _base(self):
        if self.estimator is not None:
            return self.estimator
        from ._multilayer import SparseMLPClassifier

        return SparseMLPClassifier()

    def _pruner(self):
        if self.pruner is not None:
            return self.pruner
        from ._pruners import MagnitudePruner

        return MagnitudePruner(0.9, scope="global")

    def _score(self, est, X, y):
        pred = est.predict(X)
        return accuracy_score(y, pred) if is_classifier(est) else r2_score(y, pred)

    def fit(self, X, y):
        """Train the dense model, then prune, retrain and average ``phases`` times.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Target values or class labels (as ``estimator`` expects).

        Returns
        -------
        self : object
            The fitted soup.
        """
        self._validate_params()
        X, y = validate_data(self, X, y, multi_output=True, dtype=np.float64)
        rng = check_random_state(self.random_state)
        pruner = self._pruner()
        if not hasattr(pruner, "sparsity"):
            raise ValueError(f"SparseModelSoup needs a pruner with a `sparsity` parameter; "
                             f"got {type(pruner).__name__}.")
        if self.values is not None and len(self.values) != self.n_models:
            raise ValueError(f"values has {len(self.values)} entries; n_models is "
                             f"{self.n_models}.")
        if self.vary != "random_state" and self.values is None:
            raise ValueError(f"vary={self.vary!r} needs `values` (one per model).")
        X_val = y_val = None
        if self.soup == "greedy":
            X, X_val, y, y_val = train_test_split(X, y, test_size=self.validation_fraction,
                                                  random_state=rng)
        seed = int(rng.randint(np.iinfo(np.int32).max))
        soup = clone(self._base()).set_params(random_state=seed, pruner=None).fit(X, y)
        target = float(pruner.sparsity)
        values = self.values if self.values is not None else \
            [seed + i + 1 for i in range(self.n_models)]
        ingredients = []
        for phase in range(1, self.phases + 1):
            s_p = 1.0 - (1.0 - target) ** (phase / self.phases)
            step = clone(pruner).set_params(sparsity=s_p, random_state=seed)
            soup = step.fit(soup).estimator_
            models = [copy.deepcopy(soup).set_params(warm_start=True, **{self.vary: value})
                      for value in values]
            task = delayed(_fit)  # here: warnings of the fits name the caller's line
            ingredients = Parallel(n_jobs=self.n_jobs, prefer="threads")(
                task(model, X, y) for model in models)
            soup = self._average(ingredients, X_val, y_val)
        self.estimator_ = soup
        self.ingredients_ = ingredients
        self.masks_ = [np.asarray(m, dtype=bool) for m in soup.masks_]
        return self

    def _average(self, models, X_val, y_val):
        def mean_of(chosen):
            out = copy.deepcopy(chosen[0])
            out.coefs_ = [np.mean([m.coefs_[l] for m in chosen], axis=0)
                          for l in range(len(out.coefs_))]
            out.intercepts_ = [np.mean([m.intercepts_[l] for m in chosen], axis=0)
                               for l in range(len(out.intercepts_))]
            return out

        if self.soup == "uniform":
            return mean_of(models)
        ranked = sorted(models, key=lambda m: -self._score(m, X_val, y_val))
        chosen = [ranked[0]]
        best = self._score(ranked[0], X_val, y_val)
        for m in ranked[1:]:
            trial = mean_of(chosen + [m])
            score = self._score(trial, X_val, y_val)
            if score >= best:
                chosen.append(m)
                best = score
        return mean_of(chosen)

    @property
    def sparsity_(self):
        """Fraction of pruned weights in the soup."""
        check_is_fitted(self, "masks_")
        return 1.0 - sum(int(m.sum()) for m in self.masks_) / sum(m.size for m in self.masks_)

    def predict(self, X):
        """Predict with the soup.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples, with the features seen in :term:`fit`.

        Returns
        -------
        y : ndarray of shape (n_samples,)
            The soup's predictions (class labels or values).
        """
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict(validate_data(self, X, reset=False, dtype=np.float64))

    @available_if(_estimator_has("predict_proba"))
    def predict_proba(self, X):
        """Class probabilities of the soup.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples, with the features seen in :term:`fit`.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probability of each class, columns in the order of ``classes_``.
        """
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict_proba(
            validate_data(self, X, reset=False, dtype=np.float64))

    def score(self, X, y, sample_weight=None):
        """Accuracy (classifier) or R^2 (regressor) of the soup.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Test samples.
        y : array-like of shape (n_samples,)
            True labels or values.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples in the score.

        Returns
        -------
        score : float
            Accuracy or coefficient of determination of the soup's predictions.
        """
        check_is_fitted(self, "estimator_")
        return self.estimator_.score(X, y, sample_weight=sample_weight)

    @property
    def classes_(self):
        """Class labels (classifiers only)."""
        check_is_fitted(self, "estimator_")
        return self.estimator_.classes_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        base = self._base().__sklearn_tags__()
        tags.estimator_type = base.estimator_type
        tags.classifier_tags = base.classifier_tags
        tags.regressor_tags = base.regressor_tags
        tags.target_tags.required = True
        tags.target_tags.multi_output = base.target_tags.multi_output
        return tags
