"""Demo rows for ``python -m sparsestat demo``: the sparse linear models."""

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from .._demo import timed_fit
from ._coordinate_descent import ElasticNet, Lasso


def demo_rows():
    X, y = load_diabetes(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)
    rows = []
    for est in (Lasso(alpha=0.5), ElasticNet(alpha=0.05, l1_ratio=0.5)):
        est, seconds = timed_fit(est, X_train, y_train)
        rows.append({"estimator": type(est).__name__, "data": "diabetes (held-out 30%)",
                     "metric": "R^2", "score": est.score(X_test, y_test),
                     "fit_time": seconds})
    rng = np.random.default_rng(0)
    Xs = rng.standard_normal((500, 2000))
    ys = Xs[:, :10] @ rng.standard_normal(10) + 0.5 * rng.standard_normal(500)
    est, seconds = timed_fit(Lasso(alpha=0.05), Xs[:400], ys[:400])
    rows.append({"estimator": "Lasso", "data": "simulated 400x2000, 10 active",
                 "metric": "R^2", "score": est.score(Xs[400:], ys[400:]),
                 "fit_time": seconds})
    return rows
