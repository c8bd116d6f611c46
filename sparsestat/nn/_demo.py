"""Demo rows for ``python -m sparsestat demo``: digits with each pruner."""

import warnings

from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler

from .._demo import timed_fit
from . import MagnitudePruner, NMPruner, SparseMLPClassifier


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
    return rows
