"""Scale-out: the parallel work of sparsestat runs through joblib, so it runs unchanged on a
dask cluster under ``joblib.parallel_config(backend="dask")`` and gives the same answers as
one thread; ``n_jobs=2`` threads give the same answers as ``n_jobs=1``. The squared-error
regressors also take dask arrays larger than memory: statistics computed blockwise on the
cluster equal the in-memory fit, and K-fold CV by row blocks costs one pass.

Needs the optional ``dask`` extra (``dask.distributed``); skipped cleanly without it.
"""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from joblib import parallel_config
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV

from sparsestat.dag import CoLiDE, bootstrap_edge_frequency
from sparsestat.linear_model import (
    MAX_FEATURES_OUT_OF_CORE,
    ElasticNet,
    ElasticNetCV,
    GroupLasso,
    L0Regressor,
    Lasso,
    LassoCV,
    MCPRegressor,
    MCPRegressorCV,
    SCADRegressor,
    SparseRegressorIC,
)
from sparsestat.quantile import QuantileAggregator

from ._instances import CHECK_PARAMS

distributed = pytest.importorskip("dask.distributed")
dask = pytest.importorskip("dask")
da = pytest.importorskip("dask.array")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
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


# ------------------------------------------------------------------ data larger than memory

OOC_ESTIMATORS = [
    Lasso(alpha=0.05, tol=1e-10),
    ElasticNet(alpha=0.05, l1_ratio=0.7, tol=1e-10),
    MCPRegressor(alpha=0.05, tol=1e-10),
    SCADRegressor(alpha=0.05, tol=1e-10),
    L0Regressor(alpha=0.01, tol=1e-10),
    GroupLasso(alpha=0.05, groups=2, tol=1e-10),
    SparseRegressorIC(penalty="l1", alphas=30, tol=1e-10),
]


@pytest.fixture(scope="module")
def big():
    """Rows with shifted columns and weights, in memory and as dask arrays of 6 blocks."""
    rng = np.random.default_rng(5)
    X = rng.standard_normal((600, 8)) + 3.0
    y = X[:, :3] @ np.array([1.0, -2.0, 0.5]) + 4.0 + rng.standard_normal(600)
    w = rng.uniform(0.2, 2.0, 600)
    return X, y, w, da.from_array(X, chunks=(100, 4)), da.from_array(y, chunks=150), \
        da.from_array(w, chunks=100)


@pytest.mark.filterwarnings("ignore::sparsestat.linear_model.NonconvexWarning")
@pytest.mark.parametrize("est", OOC_ESTIMATORS, ids=lambda e: type(e).__name__)
def test_dask_array_fit_equals_in_memory_fit(client, big, est):
    X, y, w, dX, dy, dw = big
    ref = clone(est).fit(X, y, sample_weight=w)
    with distributed.get_task_stream(client) as stream:
        got = clone(est).fit(dX, dy, sample_weight=dw)  # y and w chunked unlike X
    assert len(stream.data) > 0, "no task ran on the cluster"
    np.testing.assert_allclose(got.coef_, ref.coef_, rtol=0, atol=1e-8)
    assert abs(got.intercept_ - ref.intercept_) < 1e-8
    assert np.count_nonzero(ref.coef_) > 0
    pred = got.predict(dX)
    assert isinstance(pred, da.Array)
    np.testing.assert_allclose(pred.compute(), ref.predict(X), atol=1e-7)


def test_dask_sparse_chunks_equal_in_memory_fit(client):
    rng = np.random.default_rng(6)
    X = sp.random(500, 10, density=0.3, random_state=rng, format="csr")
    y = np.asarray(X @ rng.standard_normal(10)).ravel() + 0.1 * rng.standard_normal(500)
    w = rng.uniform(0.5, 1.5, 500)
    dX = da.from_array(X.toarray(), chunks=(100, 10)).map_blocks(
        sp.csr_matrix, meta=sp.csr_matrix((0, 0)))
    for est in (Lasso(alpha=0.01, tol=1e-10), ElasticNet(alpha=0.01, tol=1e-10)):
        ref = clone(est).set_params(precompute=True).fit(X, y, sample_weight=w)
        got = clone(est).fit(dX, da.from_array(y, chunks=100), sample_weight=w)
        np.testing.assert_allclose(got.coef_, ref.coef_, rtol=0, atol=1e-8)
        assert abs(got.intercept_ - ref.intercept_) < 1e-8


_BLOCK_READS = []  # module level: the in-process workers share it (a closure is copied)


def _read_block(X, i):
    """A block "read from disk", counting how often each block is touched."""
    _BLOCK_READS.append(i)
    return X[100 * i: 100 * (i + 1)]


@pytest.mark.parametrize("cv", [5, "blocks"])
def test_lasso_cv_on_dask_picks_the_in_memory_alpha_in_one_pass(client, big, cv):
    X, y, w, _, _, _ = big
    if cv == "blocks":  # any splitter with contiguous disjoint test blocks
        from sklearn.model_selection import PredefinedSplit

        cv = PredefinedSplit(np.repeat(np.arange(4), 150))
    ref = LassoCV(cv=cv, alphas=30).fit(X, y, sample_weight=w)
    _BLOCK_READS.clear()
    blocks = [da.from_delayed(dask.delayed(_read_block)(X, i), shape=(100, 8), dtype=float)
              for i in range(6)]
    dX = da.concatenate(blocks)
    got = LassoCV(cv=cv, alphas=30).fit(dX, da.from_array(y, chunks=100),
                                       sample_weight=da.from_array(w, chunks=100))
    assert sorted(_BLOCK_READS) == list(range(6)), "K-fold CV must read every block once"
    assert got.alpha_ == pytest.approx(ref.alpha_, rel=1e-12)
    assert np.argmin(got.mse_path_.mean(axis=1)) == np.argmin(ref.mse_path_.mean(axis=1))
    np.testing.assert_allclose(got.mse_path_, ref.mse_path_, rtol=1e-8)
    np.testing.assert_allclose(got.coef_, ref.coef_, atol=1e-8)


def test_enet_and_mcp_cv_on_dask_match_in_memory(client, big):
    X, y, w, dX, dy, dw = big
    for est in (ElasticNetCV(l1_ratio=[0.5, 1.0], alphas=15, cv=3),
                MCPRegressorCV(alphas=15, cv=4)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = clone(est).fit(X, y, sample_weight=w)
            got = clone(est).fit(dX, dy, sample_weight=dw)
        assert got.alpha_ == pytest.approx(ref.alpha_, rel=1e-12)
        assert got.l1_ratio_ == ref.l1_ratio_
        np.testing.assert_allclose(got.mse_path_, ref.mse_path_, rtol=1e-7)
        np.testing.assert_allclose(got.coef_, ref.coef_, atol=1e-7)


def test_dask_input_errors(client, big):
    X, y, w, dX, dy, _ = big
    bad = X.copy()
    bad[250, 3] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        Lasso().fit(da.from_array(bad, chunks=(100, 8)), dy)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        Lasso().fit(dX, y[:-1])
    with pytest.raises(TypeError, match="X is not"):
        Lasso().fit(X, dy)
    with pytest.raises(ValueError, match="nonnegative"):
        Lasso().fit(dX, dy, sample_weight=da.from_array(-w, chunks=100))
    wide = da.zeros((4, MAX_FEATURES_OUT_OF_CORE + 1), chunks=(2, 5000))
    with pytest.raises(ValueError, match="in-memory estimator"):
        Lasso().fit(wide, da.zeros(4, chunks=2))
    with pytest.raises(ValueError, match="complement"):
        LassoCV(cv=[(np.arange(100), np.arange(100, 200))]).fit(dX, dy)
    cv_est = LassoCV(alphas=5).fit(dX, dy)
    with pytest.raises(TypeError, match="needs the rows"):
        cv_est.fit(cv_est.sufficient_stats_, None)
    assert not hasattr(cv_est.fit(X, y), "sufficient_stats_")  # in memory: no stale stats


def test_dask_dataframe_fit_keeps_feature_names(client, big):
    pd = pytest.importorskip("pandas")
    dd = pytest.importorskip("dask.dataframe")
    X, y, _, _, _, _ = big
    frame = pd.DataFrame(X, columns=[f"f{j}" for j in range(X.shape[1])])
    ddf = dd.from_pandas(frame, npartitions=4)
    dys = dd.from_pandas(pd.Series(y), npartitions=4)
    ref = Lasso(alpha=0.05, tol=1e-10).fit(frame, y)
    got = Lasso(alpha=0.05, tol=1e-10).fit(ddf, dys)
    np.testing.assert_array_equal(got.feature_names_in_, frame.columns)
    np.testing.assert_allclose(got.coef_, ref.coef_, atol=1e-8)
    np.testing.assert_allclose(got.predict(ddf).compute().to_numpy(), ref.predict(frame),
                               atol=1e-7)
    assert LassoCV(alphas=20).fit(ddf, dys).alpha_ == pytest.approx(
        LassoCV(alphas=20).fit(X, y).alpha_, rel=1e-12)


def test_ldp_reports_reduced_on_the_cluster(client):
    from sparsestat.privacy import LDPSparseRegressor, PrivateReports, privatize

    pytest.importorskip("dask.bag")

    rng = np.random.default_rng(7)
    X = rng.uniform(-1, 1, (4000, 4))
    y = X @ np.array([1.0, -1.0, 0.0, 0.0]) + 0.1 * rng.standard_normal(4000)
    batches = [privatize(X[i:i + 1000], y[i:i + 1000], 4.0, 1e-5, 1.0, 2.0,
                         noise="per_user", random_state=i) for i in range(0, 4000, 1000)]
    ref = LDPSparseRegressor(alpha=0.01).fit_reports(PrivateReports.concatenate(batches))
    bag = dask.bag.from_sequence(batches, npartitions=2)
    for reports in (iter(batches), bag, [dask.delayed(b) for b in batches],
                    client.scatter(batches)):
        got = LDPSparseRegressor(alpha=0.01).fit_reports(reports)
        np.testing.assert_allclose(got.coef_, ref.coef_, atol=1e-12)
        assert got.n_users_ == 4000
    other = privatize(X[:100], y[:100], 4.0, 1e-5, 0.5, 2.0, noise="per_user", random_state=0)
    with pytest.raises(ValueError, match="different public parameters"):
        LDPSparseRegressor().fit_reports(iter([batches[0], other]))
