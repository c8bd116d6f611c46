"""Our warning categories, where they point, and pickles that carry sparsestat's version."""

import copyreg
import pickle
import warnings

import joblib
import numpy as np
import pytest
import sklearn.exceptions
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import sparsestat
from sparsestat import exceptions
from sparsestat.exceptions import (
    AlphaMaxWarning, InconsistentVersionWarning, NonconvexWarning, PrivacyLeakWarning,
)
from sparsestat.linear_model import ElasticNet, Lasso, MCPRegressor
from sparsestat.utils import all_estimators


def _record(fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn()
    return caught


def test_categories_subclass_what_users_already_filter():
    assert issubclass(exceptions.AlphaMaxWarning, UserWarning)
    assert issubclass(exceptions.NonconvexWarning, UserWarning)
    assert issubclass(exceptions.PrivacyLeakWarning, RuntimeWarning)
    assert issubclass(exceptions.BudgetError, ValueError)
    assert issubclass(exceptions.KernelCacheWarning, RuntimeWarning)
    assert issubclass(InconsistentVersionWarning, sklearn.exceptions.InconsistentVersionWarning)
    # one class each, re-exported by the families that raise them
    from sparsestat import linear_model, privacy
    from sparsestat._engine import KernelCacheWarning

    assert linear_model.NonconvexWarning is exceptions.NonconvexWarning
    assert privacy.PrivacyLeakWarning is exceptions.PrivacyLeakWarning
    assert privacy.BudgetError is exceptions.BudgetError
    assert KernelCacheWarning is exceptions.KernelCacheWarning
    for name in exceptions.__all__:
        assert getattr(exceptions, name).__module__ in ("sparsestat.exceptions",
                                                        "sparsestat._engine._numba")


def test_alpha_max_warning_has_its_own_category_and_can_be_filtered():
    X, y = np.eye(3), np.array([1.0, 0.0, 0.0])
    caught = _record(lambda: Lasso(alpha=10.0).fit(X, y))
    assert [w.category for w in caught] == [AlphaMaxWarning]
    # a grid search crossing alpha_max: silenced by category, other warnings still shown
    grid = GridSearchCV(ElasticNet(), {"alpha": [0.01, 10.0, 100.0]}, cv=2)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.simplefilter("ignore", AlphaMaxWarning)
        grid.fit(np.tile(X, (2, 1)), np.tile(y, 2))
    assert not [w for w in caught if issubclass(w.category, AlphaMaxWarning)]
    caught = _record(lambda: MCPRegressor(alpha=10.0).fit(X, y))
    assert AlphaMaxWarning in [w.category for w in caught]


def test_warnings_point_at_the_callers_line():
    # each fit goes through scikit-learn's _fit_context wrapper: stacklevel=2 inside our
    # fit named sklearn/base.py; the warning must name this file and the calling line
    rng = np.random.default_rng(0)
    X = rng.standard_normal((40, 30))
    y = X[:, 0] + 0.1 * rng.standard_normal(40)
    cases = [
        (AlphaMaxWarning, lambda: Lasso(alpha=100.0).fit(X, y)),
        (AlphaMaxWarning, lambda: MCPRegressor(alpha=100.0).fit(X, y)),
        (ConvergenceWarning, lambda: Lasso(alpha=1e-4, max_iter=1, tol=1e-12).fit(X, y)),
        # through a Pipeline: more scikit-learn frames between the caller and our fit
        (AlphaMaxWarning, lambda: make_pipeline(StandardScaler(), Lasso(alpha=100.0)).fit(X, y)),
    ]
    for category, fit in cases:
        caught = [w for w in _record(fit) if issubclass(w.category, category)]
        assert caught, category
        for w in caught:
            assert w.filename == __file__, (category, w.filename)
            assert w.lineno == fit.__code__.co_firstlineno, (category, w.lineno)


def test_nonconvex_and_privacy_warnings_point_at_the_caller():
    from sparsestat.privacy import privatize

    rng = np.random.default_rng(3)
    X = rng.standard_normal((15, 20))
    y = X[:, :5].sum(axis=1)
    caught = _record(lambda: MCPRegressor(alpha=0.01, gamma=1.1).fit(X, y))
    nonconvex = [w for w in caught if issubclass(w.category, NonconvexWarning)]
    assert nonconvex and all(w.filename == __file__ for w in nonconvex)
    caught = _record(lambda: privatize(np.zeros((10, 2)), np.zeros(10), epsilon=1.0,
                                       delta=1e-5, random_state=0))
    leaks = [w for w in caught if issubclass(w.category, PrivacyLeakWarning)]
    assert leaks and all(w.filename == __file__ for w in leaks)


def test_caller_stacklevel_outside_the_package_is_the_direct_caller():
    def warn_here():
        warnings.warn("x", UserWarning, stacklevel=exceptions.caller_stacklevel())

    caught = _record(warn_here)  # _record is in this file: the first frame outside
    assert caught[0].filename == __file__
    assert caught[0].lineno == _record.__code__.co_firstlineno + 3


def test_every_public_estimator_pickles_with_the_version():
    for name, cls in all_estimators():
        assert copyreg.dispatch_table.get(cls) is not None, f"{name} not registered"


def _fitted_lasso():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((30, 4))
    return Lasso(alpha=0.01).fit(X, X[:, 0])


def test_pickle_round_trip_without_warning_for_the_same_version():
    model = _fitted_lasso()
    caught = _record(lambda: pickle.loads(pickle.dumps(model)))
    assert not caught
    clone = pickle.loads(pickle.dumps(model))
    assert type(clone) is Lasso and clone.get_params() == model.get_params()
    np.testing.assert_array_equal(clone.coef_, model.coef_)
    assert clone.__dict__.keys() == model.__dict__.keys()


@pytest.mark.parametrize("dump", ["pickle", "joblib"])
def test_pickle_from_another_version_warns(monkeypatch, tmp_path, dump):
    model = _fitted_lasso()
    path = tmp_path / "model.pkl"
    monkeypatch.setattr(sparsestat, "__version__", "0.0.1")
    if dump == "pickle":
        path.write_bytes(pickle.dumps(model))
    else:
        joblib.dump(model, path)
    monkeypatch.undo()
    with pytest.warns(InconsistentVersionWarning, match="from sparsestat version 0.0.1") as rec:
        loaded = pickle.loads(path.read_bytes()) if dump == "pickle" else joblib.load(path)
    w = rec[0].message
    assert (w.original_sparsestat_version, w.current_sparsestat_version) == (
        "0.0.1", sparsestat.__version__)
    assert w.estimator_name == "Lasso"
    # scikit-learn users' filter catches ours as well
    assert isinstance(w, sklearn.exceptions.InconsistentVersionWarning)
    np.testing.assert_array_equal(loaded.coef_, model.coef_)


def test_module_examples_run():
    import doctest

    result = doctest.testmod(exceptions, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 10 and result.failed == 0


def _worker_warnings(fit, category=ConvergenceWarning):
    caught = [w for w in _record(fit) if issubclass(w.category, category)]
    assert caught, category
    return {(w.filename, w.lineno) for w in caught}


def test_warnings_in_joblib_worker_threads_point_at_the_callers_line():
    # the worker thread's stack holds no frame of this file: the warnings named
    # joblib's (or the thread pool's) file before sparsestat.utils._parallel.delayed
    from sparsestat.dag import CoLiDE, bootstrap_edge_frequency
    from sparsestat.datasets import make_dag, make_linear_sem
    from sparsestat.quantile import QuantileAggregator, SparseQuantileRegressor

    B = make_dag(5, 4, random_state=0)
    X, _ = make_linear_sem(B, 100, random_state=0)
    fit = lambda: bootstrap_edge_frequency(  # noqa: E731
        CoLiDE(max_iter=5, max_iter_last=5), X, n_resamples=4, n_jobs=2, random_state=0)
    assert _worker_warnings(fit) == {(__file__, fit.__code__.co_firstlineno)}

    rng = np.random.default_rng(0)
    Xq = rng.uniform(-2, 2, size=(80, 2))
    yq = Xq[:, 0] + rng.standard_normal(80)
    agg = QuantileAggregator(
        [SparseQuantileRegressor(alpha=0.01, l1_ratio=0.5, solver="admm", max_iter=2)],
        quantiles=[0.2, 0.8], cv=2, n_jobs=2, random_state=0)
    fit = lambda: agg.fit(Xq, yq)  # noqa: E731
    assert _worker_warnings(fit) == {(__file__, fit.__code__.co_firstlineno)}


def test_warnings_through_a_sequential_joblib_loop_point_at_the_caller():
    # GridSearchCV's fits run inside joblib's frames (n_jobs=None: in this thread)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((40, 5))
    y = X[:, 0]
    fit = lambda: GridSearchCV(Lasso(), {"alpha": [100.0]}, cv=2).fit(X, y)  # noqa: E731
    assert _worker_warnings(fit, AlphaMaxWarning) == {(__file__, fit.__code__.co_firstlineno)}


def test_parallel_tasks_pickle_without_the_callers_globals():
    from sparsestat.utils._parallel import delayed

    fn, args, kwargs = delayed(abs)(-3)
    clone = pickle.loads(pickle.dumps(fn))  # what a process backend would ship
    assert clone(*args, **kwargs) == 3 and clone._globals is None
    assert (clone.filename, clone.lineno) == (__file__, fn.lineno)


@pytest.mark.parametrize("name", ["LassoCV", "SparseLogisticRegressionCV",
                                  "MultiTaskLassoCV", "SparsePoissonRegressorCV"])
def test_parallel_cv_folds_leave_the_warning_filters_alone(name):
    # the folds ran ``catch_warnings`` in joblib worker threads: not thread-safe, the
    # threads restored each other's filter lists and about one LassoCV(n_jobs=2) fit in
    # two left e.g. an "ignore ConvergenceWarning" filter behind for the whole process
    from sparsestat import linear_model

    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 8))
    if name == "MultiTaskLassoCV":
        y = X[:, :2] @ np.ones((2, 2))
    elif name == "SparseLogisticRegressionCV":
        y = (X[:, 0] > 0).astype(int)
    elif name == "SparsePoissonRegressorCV":
        y = rng.poisson(np.exp(0.3 * X[:, 0]))
    else:
        y = X[:, 0] + 0.1 * rng.standard_normal(60)
    est = getattr(linear_model, name)(cv=4, n_jobs=2)
    with warnings.catch_warnings():
        before = list(warnings.filters)
        for _ in range(6):
            est.fit(X, y)
            assert warnings.filters == before


def test_mlp_early_stopping_scores_without_touching_the_warning_filters():
    # its validation score suppressed the feature-names warning with catch_warnings,
    # inside SparseModelSoup's worker threads; now nothing to suppress
    pd = pytest.importorskip("pandas")
    from sparsestat.nn import MagnitudePruner, SparseMLPClassifier, SparseModelSoup

    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.standard_normal((120, 4)), columns=list("abcd"))
    y = (X["a"] > 0).astype(int)
    mlp = SparseMLPClassifier((8,), early_stopping=True, max_iter=15, random_state=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        before = list(warnings.filters)
        mlp.fit(X, y)
        soup = SparseModelSoup(MagnitudePruner(0.5), n_models=2, n_jobs=2, random_state=0)
        soup.set_params(estimator=mlp).fit(X, y)
        assert warnings.filters == before
    assert not [w for w in caught if "feature names" in str(w.message)]
    assert list(mlp.feature_names_in_) == list("abcd") and len(mlp.validation_scores_)
