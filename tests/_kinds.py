"""Tiny data and fitted outputs per estimator kind, shared by the hardening tests."""

import numpy as np
import scipy.sparse as sp

from sparsestat.utils import all_estimators

from ._instances import CHECK_PARAMS

ESTIMATORS = all_estimators()
N_SAMPLES, N_FEATURES = 30, 4


def _make(name):
    """Return (estimator with CHECK_PARAMS and a fixed seed, kind)."""
    cls = dict(ESTIMATORS)[name]
    est = cls(**CHECK_PARAMS.get(name, {}))
    if "random_state" in est.get_params():
        est.set_params(random_state=0)
    tags = est.__sklearn_tags__()
    if cls.__module__.startswith("sparsestat.ordinal"):
        kind = "ordinal"
    elif tags.estimator_type == "classifier":
        kind = "classifier"
    elif tags.estimator_type == "regressor" and not tags.target_tags.single_output:
        kind = "multitask"  # MultiTask*: y of shape (n_samples, n_targets)
    elif tags.estimator_type == "regressor" and tags.target_tags.positive_only:
        kind = "positive_regressor"  # log-link GLMs: counts or positive amounts
    elif tags.estimator_type == "regressor":
        kind = "regressor"
    elif tags.estimator_type == "clusterer":
        kind = "clusterer"
    elif tags.target_tags.required:
        kind = "supervised_transformer"  # nn pruners: train the (classifier) MLP on X, y
    else:
        kind = "structure"  # CoLiDE: X only
    return est, kind


def _data(kind, n=N_SAMPLES, p=N_FEATURES, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    if kind == "clusterer":
        X[: n // 2] += 4.0
        return X, None
    if kind == "structure":
        if p > 1:
            X[:, 1] += 0.8 * X[:, 0]
        if p > 2:
            X[:, 2] -= 0.6 * X[:, 1]
        return X, None
    score = X[:, 0] - 0.8 * X[:, min(1, p - 1)] + 0.3 * rng.standard_normal(n)
    if kind == "regressor":
        return X, score
    if kind == "positive_regressor":
        return X, np.exp(0.5 * score)
    if kind == "multitask":
        return X, np.column_stack([score, 0.5 * score + 0.3 * rng.standard_normal(n)])
    if kind == "ordinal":
        cuts = np.quantile(score, [1 / 3, 2 / 3])
        return X, np.digitize(score, cuts)
    return X, (score > np.median(score)).astype(int)  # classifier, supervised_transformer


def _supervised(kind):
    return kind not in ("clusterer", "structure")


def _outputs(est, X):
    """What a fitted estimator returns on X: predictions, transform or fitted graph."""
    if hasattr(est, "predict"):
        return np.asarray(est.predict(X))
    if hasattr(est, "transform"):
        out = est.transform(X)
        return out.toarray() if sp.issparse(out) else np.asarray(out)
    return np.asarray(est.coef_)
