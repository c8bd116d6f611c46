"""Demo rows for ``python -m sparsestat demo``: digits with each pruner."""

import warnings

from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler

from .._demo import timed_fit
from . import (
    GroupEnvelopePruner, MagnitudePruner, NMPruner, PDPPruner, RandomPruner,
    SoftShrinkagePruner, SparseMLPClassifier, SparseMLPRegressor, SparseModelSoup,
)


def demo_rows():
    X, y = load_digits(return_X_y=True)
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)
    scaler = MinMaxScaler().fit(Xtr)
    Xtr, Xte = scaler.transform(Xtr), scaler.transform(Xte)
    rows = []
    for label, pruner in [("dense", None), ("90% magnitude", MagnitudePruner(0.9)),
                          ("2:4 SR-STE", NMPruner(2, 4))]:
        clf = SparseMLPClassifier((100,), max_iter=60, random_state=0, pruner=pruner)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf, seconds = timed_fit(clf, Xtr, ytr)
        rows.append({"estimator": "SparseMLPClassifier", "data": f"digits, {label}",
                     "metric": "test accuracy", "score": float(clf.score(Xte, yte)),
                     "fit_time": seconds})
    # every pruner as a transformer over a fitted MLP: a pruned copy, original untouched
    base = SparseMLPClassifier((100,), max_iter=60, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        base.fit(Xtr, ytr)
    for pruner in (RandomPruner(0.5, random_state=0), GroupEnvelopePruner(k=50),
                   PDPPruner(0.8), SoftShrinkagePruner(0.8)):
        pruner, seconds = timed_fit(pruner, base)
        pruned = pruner.transform(base)
        rows.append({"estimator": type(pruner).__name__, "data": "digits, one-shot on MLP",
                     "metric": "test accuracy", "score": float(pruned.score(Xte, yte)),
                     "fit_time": seconds})
    soup = SparseModelSoup(MagnitudePruner(0.8), n_models=2, random_state=0,
                           estimator=SparseMLPClassifier((64,), max_iter=30, random_state=0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        soup, seconds = timed_fit(soup, Xtr, ytr)
    rows.append({"estimator": "SparseModelSoup", "data": "digits, 80% magnitude, 2 models",
                 "metric": "test accuracy", "score": float(soup.score(Xte, yte)),
                 "fit_time": seconds})
    reg = SparseMLPRegressor((32,), max_iter=200, learning_rate_init=0.01, random_state=0,
                             pruner=MagnitudePruner(0.5))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        reg, seconds = timed_fit(reg, Xtr, ytr.astype(float))
    rows.append({"estimator": "SparseMLPRegressor", "data": "digits, label as a number, 50%",
                 "metric": "R^2", "score": float(reg.score(Xte, yte)), "fit_time": seconds})
    return rows
