"""Scale-out: the parallel work of sparsestat runs through joblib, so it runs unchanged on a
dask cluster under ``joblib.parallel_config(backend="dask")`` and gives the same answers as
one thread; ``n_jobs=2`` threads give the same answers as ``n_jobs=1``.

Needs the optional ``dask`` extra (``dask.distributed``); skipped cleanly without it.
"""

import warnings

import numpy as np
import pytest
from joblib import parallel_config
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV

from sparsestat.dag import CoLiDE, bootstrap_edge_frequency
from sparsestat.linear_model import Lasso, LassoCV
from sparsestat.quantile import QuantileAggregator

from ._instances import CHECK_PARAMS

distributed = pytest.importorskip("dask.distributed")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                       dashboard_address=None)
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


@pytest.fixture
def regression():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 8))
    y = X[:, 0] * 2 - X[:, 3] + 0.3 * rng.standard_normal(60)
    return X, y


@pytest.fixture
def sem():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((80, 4))
    X[:, 1] += 0.9 * X[:, 0]
    X[:, 3] -= 0.8 * X[:, 1]
    return X


def _on_dask(client, fn):
    """Run ``fn`` under the dask joblib backend; check that tasks reached the cluster."""
    with distributed.get_task_stream(client) as stream:
        with parallel_config(backend="dask"):
            out = fn()
    assert len(stream.data) > 0, "no task ran on the dask cluster"
    return out


def _quiet(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn()


def test_gridsearch_on_dask_matches_serial(client, regression):
    X, y = regression
    search = GridSearchCV(Lasso(), {"alpha": [0.01, 0.1, 0.5]}, cv=3, n_jobs=-1)
    serial = clone(search).set_params(n_jobs=1).fit(X, y)
    dasked = _on_dask(client, lambda: clone(search).fit(X, y))
    assert dasked.best_params_ == serial.best_params_
    np.testing.assert_allclose(dasked.cv_results_["mean_test_score"],
                               serial.cv_results_["mean_test_score"], rtol=1e-12)
    np.testing.assert_allclose(dasked.best_estimator_.coef_, serial.best_estimator_.coef_)


def test_lasso_cv_folds_on_dask_match_serial(client, regression):
    X, y = regression
    est = LassoCV(**CHECK_PARAMS["LassoCV"])
    serial = clone(est).set_params(n_jobs=1).fit(X, y)
    dasked = _on_dask(client, lambda: clone(est).set_params(n_jobs=-1).fit(X, y))
    assert dasked.alpha_ == serial.alpha_
    np.testing.assert_array_equal(dasked.mse_path_, serial.mse_path_)
    np.testing.assert_array_equal(dasked.coef_, serial.coef_)


def test_colide_bootstrap_on_dask_matches_serial(client, sem):
    est = CoLiDE(**CHECK_PARAMS["CoLiDE"])
    kw = dict(n_resamples=4, random_state=0)
    serial = _quiet(lambda: bootstrap_edge_frequency(est, sem, n_jobs=1, **kw))
    dasked = _on_dask(client, lambda: _quiet(
        lambda: bootstrap_edge_frequency(est, sem, n_jobs=-1, **kw)))
    np.testing.assert_array_equal(dasked, serial)
    assert serial.shape == (4, 4) and np.all((serial >= 0) & (serial <= 1))


def test_quantile_cross_fitting_on_dask_matches_serial(client, regression):
    X, y = regression
    est = QuantileAggregator(**CHECK_PARAMS["QuantileAggregator"])
    serial = _quiet(lambda: clone(est).set_params(n_jobs=1).fit(X, y))
    dasked = _on_dask(client, lambda: _quiet(
        lambda: clone(est).set_params(n_jobs=-1).fit(X, y)))
    np.testing.assert_array_equal(dasked.predict(X), serial.predict(X))


def test_two_threads_match_one(regression, sem):
    X, y = regression
    one = LassoCV(**CHECK_PARAMS["LassoCV"], n_jobs=1).fit(X, y)
    two = LassoCV(**CHECK_PARAMS["LassoCV"], n_jobs=2).fit(X, y)
    assert one.alpha_ == two.alpha_
    np.testing.assert_array_equal(one.mse_path_, two.mse_path_)
    np.testing.assert_array_equal(one.coef_, two.coef_)

    q = QuantileAggregator(**CHECK_PARAMS["QuantileAggregator"])
    q1 = _quiet(lambda: clone(q).set_params(n_jobs=1).fit(X, y))
    q2 = _quiet(lambda: clone(q).set_params(n_jobs=2).fit(X, y))
    np.testing.assert_array_equal(q1.predict(X), q2.predict(X))

    est = CoLiDE(**CHECK_PARAMS["CoLiDE"])
    f1 = _quiet(lambda: bootstrap_edge_frequency(est, sem, n_resamples=4, n_jobs=1,
                                                 random_state=0))
    f2 = _quiet(lambda: bootstrap_edge_frequency(est, sem, n_resamples=4, n_jobs=2,
                                                 random_state=0))
    np.testing.assert_array_equal(f1, f2)

    search = GridSearchCV(Lasso(), {"alpha": [0.01, 0.1, 0.5]}, cv=3)
    s1 = clone(search).set_params(n_jobs=1).fit(X, y)
    with parallel_config(backend="threading"):  # threads, not loky processes
        s2 = clone(search).set_params(n_jobs=2).fit(X, y)
    np.testing.assert_array_equal(s1.cv_results_["mean_test_score"],
                                  s2.cv_results_["mean_test_score"])
