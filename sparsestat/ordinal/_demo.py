"""Demo rows of the ordinal family (``python -m sparsestat demo``)."""

import warnings

import numpy as np

__all__ = ["demo_rows"]


def _fair():
    """statsmodels' bundled ``fair`` data: rate_marriage (5 = very good ... 1 = very poor)."""
    from statsmodels.datasets import fair

    data = fair.load_pandas().data
    X = data.drop(columns=["rate_marriage"]).to_numpy(dtype=float)
    return X, data["rate_marriage"].to_numpy().astype(int)


def demo_rows():
    from sklearn.model_selection import train_test_split

    from .._demo import timed_fit
    from . import PRESTOClassifier, PRESTOClassifierCV, ProportionalOddsClassifier
    from ._base import brier_score
    from ._simulation import make_presto_simulation

    rows = []
    X, y, _, _, X_test, P_test = make_presto_simulation(2500, 10, n_test=2500, random_state=0)
    for name, est in [("PRESTOClassifierCV", PRESTOClassifierCV()),
                      ("ProportionalOddsClassifier", ProportionalOddsClassifier())]:
        est, seconds = timed_fit(est, X, y)
        mse = np.mean((est.predict_proba(X_test)[:, -1] - P_test[:, -1]) ** 2)
        rows.append({"estimator": name, "data": "PRESTO simulation n=2500 p=10",
                     "metric": "rare-class MSE x1e4", "score": float(1e4 * mse),
                     "fit_time": seconds})

    try:
        X, y = _fair()
    except Exception:  # statsmodels missing: the simulation rows are enough
        return rows
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, stratify=y,
                                              random_state=0)
    # "very poor" (1) is the rare level: order the classes so that it comes last
    order = [5, 4, 3, 2, 1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est, seconds = timed_fit(PRESTOClassifier(alpha=1e-3, classes=order), X_tr, y_tr)
    codes = np.searchsorted(-np.asarray(order), -y_te)
    rows.append({"estimator": "PRESTOClassifier", "data": "statsmodels fair (rate_marriage)",
                 "metric": "test Brier score",
                 "score": brier_score(est.predict_proba(X_te), codes),
                 "fit_time": seconds})
    return rows
