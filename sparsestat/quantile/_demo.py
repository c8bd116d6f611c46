"""Demo rows for ``python -m sparsestat demo``: quantile models on diabetes."""

import warnings

import numpy as np

from .._demo import timed_fit


def demo_rows(quick=False):
    """Fit each quantile estimator on diabetes (30% held out) and report test WIS.

    ``quick=True`` cross-fits the aggregator on 2 folds instead of 3.
    """
    from sklearn.datasets import load_diabetes
    from sklearn.ensemble import HistGradientBoostingRegressor
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from ..metrics import weighted_interval_score
    from . import KNeighborsQuantileRegressor, QuantileAggregator, SparseQuantileRegressor

    X, y = load_diabetes(return_X_y=True)
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, random_state=0)
    taus = np.round(np.arange(1, 10) * 0.1, 2)
    data = "diabetes (442 x 10), 30% test"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # tied integer targets
        linear = make_pipeline(StandardScaler(),
                               SparseQuantileRegressor(quantile=taus, alpha=0.01))
        knn = make_pipeline(StandardScaler(), KNeighborsQuantileRegressor(quantile=taus))
        library = [
            ("linear", make_pipeline(StandardScaler(), SparseQuantileRegressor(alpha=0.01))),
            ("hgb", HistGradientBoostingRegressor(loss="quantile", max_iter=30,
                                                  random_state=0)),
            ("knn", make_pipeline(StandardScaler(), KNeighborsQuantileRegressor())),
        ]
        agg = QuantileAggregator(library, quantiles=taus, cv=2 if quick else 3,
                                 random_state=0)
        for name, est in (("SparseQuantileRegressor", linear),
                          ("KNeighborsQuantileRegressor", knn),
                          ("QuantileAggregator", agg)):
            est, seconds = timed_fit(est, Xtr, ytr)
            yield {"estimator": name, "data": data, "metric": "test WIS (9 levels)",
                   "score": weighted_interval_score(yte, est.predict(Xte), taus),
                   "fit_time": seconds}
