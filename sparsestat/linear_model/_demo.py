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
    rows.extend(_nonconvex_rows(Xs, ys, X_train, X_test, y_train, y_test))
    rows.extend(_cox_slope_rows(Xs, ys))
    rows.extend(_datafit_rows())
    return rows


def _cox_slope_rows(Xs, ys):
    """SLOPE on the simulated data; sparse Cox on simulated censored data, with
    scikit-survival's CoxnetSurvivalAnalysis on the same objective when it is installed."""
    import warnings

    from ._cox import SparseCoxRegressor
    from ._slope import SLOPE

    rows = []
    est, seconds = timed_fit(SLOPE(alpha=0.05), Xs[:400], ys[:400])
    rows.append({"estimator": "SLOPE", "data": "simulated 400x2000, 10 active",
                 "metric": "R^2", "score": est.score(Xs[400:], ys[400:]), "fit_time": seconds})
    rng = np.random.default_rng(1)
    X = rng.standard_normal((1000, 200))
    risk = X[:, :10] @ rng.choice([-1.0, 1.0], 10) * 0.5
    t_event, t_cens = rng.exponential(np.exp(-risk)), rng.exponential(2.0, 1000)
    time, event = np.minimum(t_event, t_cens), t_event <= t_cens
    y = np.column_stack([time, event])
    data = "simulated censored 800x200, 10 active (held-out 200)"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est, seconds = timed_fit(SparseCoxRegressor(alpha=0.02, l1_ratio=0.5), X[:800], y[:800])
    rows.append({"estimator": "SparseCoxRegressor", "data": data, "metric": "C-index",
                 "score": est.score(X[800:], y[800:]), "fit_time": seconds})
    try:
        from sksurv.linear_model import CoxnetSurvivalAnalysis
        from sksurv.util import Surv
    except ImportError:
        return rows
    from ..metrics import concordance_index

    ref, seconds = timed_fit(CoxnetSurvivalAnalysis(alphas=[0.02], l1_ratio=0.5), X[:800],
                             Surv.from_arrays(event[:800], time[:800]))
    rows.append({"estimator": "CoxnetSurvivalAnalysis (scikit-survival, same objective)",
                 "data": data, "metric": "C-index",
                 "score": concordance_index(y[800:], X[800:] @ ref.coef_[:, 0]),
                 "fit_time": seconds})
    return rows



def _datafit_rows():
    """Poisson with exposure, Huber with outliers, linear SVM: ours and scikit-learn's."""
    import warnings

    from sklearn.linear_model import HuberRegressor, PoissonRegressor
    from sklearn.metrics import d2_tweedie_score
    from sklearn.svm import LinearSVC

    from ._datafit_cv import SparsePoissonRegressorCV
    from ._huber import SparseHuberRegressor
    from ._svc import SparseLinearSVC

    rng = np.random.default_rng(0)
    n, p = 3000, 40
    X = rng.standard_normal((n, p))
    w = np.zeros(p)
    w[:6] = [0.4, -0.3, 0.25, 0.2, -0.2, 0.15]
    expo = rng.uniform(0.1, 1.0, n)
    y = rng.poisson(expo * np.exp(-1.0 + X @ w))
    tr, te = slice(0, 2000), slice(2000, None)
    data = "simulated claims 2000x40, exposure"
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est, sec = timed_fit(SparsePoissonRegressorCV(alphas=20, cv=5), X[tr], y[tr],
                             offset=np.log(expo[tr]))
        rows.append({"estimator": "SparsePoissonRegressorCV", "data": data, "metric": "D^2",
                     "score": est.score(X[te], y[te], offset=np.log(expo[te])),
                     "fit_time": sec})
        est, sec = timed_fit(PoissonRegressor(alpha=1e-3), X[tr], y[tr] / expo[tr],
                             sample_weight=expo[tr])
        rows.append({"estimator": "sklearn PoissonRegressor", "data": data, "metric": "D^2",
                     "score": d2_tweedie_score(y[te], expo[te] * est.predict(X[te]), power=1),
                     "fit_time": sec})
        # Huber: 5 % gross outliers in the training targets, scored on clean ones
        yl = X @ (3 * w) + 0.5 * rng.standard_normal(n)
        y_dirty = yl.copy()
        y_dirty[:100] += 30.0
        data = "simulated 2000x40, 5% outliers"
        for est in (SparseHuberRegressor(delta=0.7, alpha=0.01),
                    HuberRegressor(epsilon=1.35, alpha=1e-3)):
            est, sec = timed_fit(est, X[tr], y_dirty[tr])
            rows.append({"estimator": ("sklearn " if est.__module__.startswith("sklearn")
                                       else "") + type(est).__name__, "data": data,
                         "metric": "R^2 (clean test)", "score": est.score(X[te], yl[te]),
                         "fit_time": sec})
        labels = (yl > 0).astype(int)
        data = "simulated 2000x40, y > 0"
        for est in (SparseLinearSVC(alpha=0.005),
                    LinearSVC(penalty="l1", loss="squared_hinge", dual=False, C=0.1)):
            est, sec = timed_fit(est, X[tr], labels[tr])
            rows.append({"estimator": ("sklearn " if est.__module__.startswith("sklearn")
                                       else "") + type(est).__name__, "data": data,
                         "metric": "accuracy", "score": est.score(X[te], labels[te]),
                         "fit_time": sec})
    return rows


def _nonconvex_rows(Xs, ys, X_train, X_test, y_train, y_test):
    """MCP, SCAD, L0, CV, IC and sparse logistic regression on the same data."""
    import warnings

    from .._engine import SCAD, Quadratic
    from ._cv import ElasticNetCV, LassoCV, MCPRegressorCV, SparseLogisticRegressionCV
    from ._glm import GeneralizedLinearEstimator
    from ._information_criterion import SparseRegressorIC
    from ._logistic import SparseLogisticRegression
    from ._nonconvex import GroupLasso, L0Regressor, MCPRegressor, SCADRegressor

    rows = []
    data = "simulated 400x2000, 10 active"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for est in (MCPRegressor(alpha=0.05), SCADRegressor(alpha=0.05),
                    L0Regressor(alpha=0.01), SparseRegressorIC("mcp", criterion="bic", alphas=50)):
            est, seconds = timed_fit(est, Xs[:400], ys[:400])
            rows.append({"estimator": type(est).__name__, "data": data, "metric": "R^2",
                         "score": est.score(Xs[400:], ys[400:]), "fit_time": seconds})
        for est in (LassoCV(cv=5, alphas=30), MCPRegressorCV(cv=5, alphas=30)):
            est, seconds = timed_fit(est, X_train, y_train)
            rows.append({"estimator": type(est).__name__, "data": "diabetes (held-out 30%)",
                         "metric": "R^2", "score": est.score(X_test, y_test),
                         "fit_time": seconds})
        est, seconds = timed_fit(ElasticNetCV(cv=5, alphas=30, l1_ratio=0.5), X_train, y_train)
        rows.append({"estimator": "ElasticNetCV", "data": "diabetes (held-out 30%)",
                     "metric": "R^2", "score": est.score(X_test, y_test), "fit_time": seconds})
        # groups of 5 consecutive features; the 10 active ones fill the first two groups
        est, seconds = timed_fit(GroupLasso(alpha=0.05, groups=5), Xs[:400], ys[:400])
        rows.append({"estimator": "GroupLasso", "data": data + " (groups of 5)",
                     "metric": "R^2", "score": est.score(Xs[400:], ys[400:]),
                     "fit_time": seconds})
        glm = GeneralizedLinearEstimator(Quadratic(), SCAD(alpha=0.05, gamma=3.7))
        est, seconds = timed_fit(glm, Xs[:400], ys[:400])
        rows.append({"estimator": "GeneralizedLinearEstimator", "data": data + " (SCAD)",
                     "metric": "R^2", "score": est.score(Xs[400:], ys[400:]),
                     "fit_time": seconds})
        labels = (ys > np.median(ys)).astype(int)
        for est in (SparseLogisticRegression(alpha=0.01),
                    SparseLogisticRegressionCV(cv=3, alphas=10)):
            est, seconds = timed_fit(est, Xs[:400], labels[:400])
            rows.append({"estimator": type(est).__name__, "data": data + " (y > median)",
                         "metric": "accuracy", "score": est.score(Xs[400:], labels[400:]),
                         "fit_time": seconds})
    return rows
