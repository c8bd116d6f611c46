"""QuantileAggregator: the must-show statistics, the API and clear errors."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_diabetes
from sklearn.ensemble import GradientBoostingRegressor, HistGradientBoostingRegressor
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sparsestat.metrics import (interval_coverage, pinball_loss, quantile_calibration_error,
                                weighted_interval_score)
from sparsestat.quantile import (KNeighborsQuantileRegressor, QuantileAggregator,
                                 SparseQuantileRegressor)
from sparsestat.quantile._aggregator import level_strategy

TAUS = np.round(np.arange(1, 10) * 0.1, 2)


def _small_library():
    return [
        ("linear", make_pipeline(StandardScaler(), SparseQuantileRegressor(alpha=0.01))),
        ("hgb", HistGradientBoostingRegressor(loss="quantile", max_iter=20, random_state=0)),
        ("knn", make_pipeline(StandardScaler(), KNeighborsQuantileRegressor(n_neighbors=20))),
    ]


def _standalone(est, X, y, Xte):
    kind, param = level_strategy(est)
    if kind == "multi":
        return clone(est).set_params(**{param: TAUS}).fit(X, y).predict(Xte)
    return np.sort(np.column_stack([clone(est).set_params(**{param: t}).fit(X, y).predict(Xte)
                                    for t in TAUS]), axis=1)


@pytest.fixture(scope="module")
def diabetes_split():
    X, y = load_diabetes(return_X_y=True)
    return train_test_split(X, y, test_size=0.3, random_state=0)


@pytest.fixture(scope="module")
def fitted(diabetes_split):
    Xtr, Xte, ytr, yte = diabetes_split
    return QuantileAggregator(_small_library(), quantiles=TAUS, cv=3,
                              random_state=0).fit(Xtr, ytr)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_diabetes_aggregate_beats_best_base_model_and_covers(diabetes_split, fitted):
    Xtr, Xte, ytr, yte = diabetes_split
    agg_wis = weighted_interval_score(yte, fitted.predict(Xte), TAUS)
    # each base model fitted alone on the whole training set (more data than inside
    # the aggregator, which holds out a calibration split)
    base_wis = {name: weighted_interval_score(yte, _standalone(est, Xtr, ytr, Xte), TAUS)
                for name, est in _small_library()}
    assert agg_wis <= min(base_wis.values()), (agg_wis, base_wis)
    coverage = interval_coverage(yte, fitted.predict_interval(Xte, coverage=0.8))
    assert abs(coverage - 0.8) <= 0.08


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_diabetes_mean_coverage_over_20_splits():
    X, y = load_diabetes(return_X_y=True)
    coverages = []
    for seed in range(20):
        Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, random_state=seed)
        agg = QuantileAggregator(_small_library(), quantiles=TAUS, cv=3,
                                 random_state=seed).fit(Xtr, ytr)
        coverages.append(interval_coverage(yte, agg.predict_interval(Xte, 0.8)))
    assert abs(np.mean(coverages) - 0.8) <= 0.03, coverages


def test_output_is_noncrossing_and_weights_on_simplex(diabetes_split, fitted):
    Xte = diabetes_split[1]
    Q = fitted.predict(Xte)
    assert Q.shape == (Xte.shape[0], TAUS.size)
    assert np.all(np.diff(Q, axis=1) >= 0)
    assert fitted.weights_.shape == (TAUS.size, 3)
    assert np.all(fitted.weights_ >= 0)
    np.testing.assert_allclose(fitted.weights_.sum(axis=1), 1.0)
    for model in fitted.base_estimators_:
        assert model.predict(Xte).shape == Q.shape
    assert set(fitted.oof_loss_) == {"linear", "hgb", "knn", "aggregate"}


@pytest.mark.parametrize("options, shape", [
    ({"weights": "coarse"}, (3,)),
    ({"weights": "fine"}, (5, 3, 5)),
    ({"local": True, "n_components": 3}, (3, 5, 3)),
    ({"noncrossing": "isotonic", "calibration": "shift"}, (5, 3)),
    ({"noncrossing": None, "calibration": None}, (5, 3)),
])
def test_weight_modes(options, shape, rng):
    X = rng.uniform(-2, 2, size=(160, 2))
    y = X[:, 0] + (0.5 + np.abs(X[:, 1])) * rng.standard_normal(160)
    taus = [0.1, 0.3, 0.5, 0.7, 0.9]
    lib = [SparseQuantileRegressor(alpha=0.01), KNeighborsQuantileRegressor(n_neighbors=15),
           GradientBoostingRegressor(loss="quantile", n_estimators=10)]
    agg = QuantileAggregator(lib, quantiles=taus, cv=3, random_state=0, **options).fit(X, y)
    assert agg.weights_.shape == shape
    assert np.all(agg.weights_ >= 0)
    assert pinball_loss(y, agg.predict(X), taus) < pinball_loss(y, np.zeros((160, 5)), taus)
    assert quantile_calibration_error(y, agg.predict(X), taus) < 0.2


def test_n_jobs_gives_the_same_fit(rng):
    X = rng.standard_normal((90, 3))
    y = X[:, 0] + rng.standard_normal(90)
    lib = [SparseQuantileRegressor(alpha=0.01), KNeighborsQuantileRegressor(n_neighbors=10)]
    one = QuantileAggregator(lib, quantiles=[0.2, 0.5, 0.8], cv=3, random_state=1).fit(X, y)
    two = QuantileAggregator(lib, quantiles=[0.2, 0.5, 0.8], cv=3, random_state=1,
                             n_jobs=2).fit(X, y)
    np.testing.assert_allclose(one.predict(X), two.predict(X))


def test_does_not_mutate_input_and_pickles(rng):
    import pickle

    X = rng.standard_normal((60, 2))
    y = X[:, 0] + rng.standard_normal(60)
    X0, y0 = X.copy(), y.copy()
    lib = [SparseQuantileRegressor(alpha=0.01), KNeighborsQuantileRegressor(n_neighbors=5)]
    agg = QuantileAggregator(lib, quantiles=[0.1, 0.5, 0.9], cv=2, random_state=0).fit(X, y)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)
    again = pickle.loads(pickle.dumps(agg))
    np.testing.assert_allclose(again.predict(X), agg.predict(X))


@pytest.mark.parametrize("quantiles, match", [
    ([0.0, 0.5], "between 0 and 1"), ([0.5, 1.2], "between 0 and 1"),
    ([0.9, 0.1], "sorted"), ([0.1, 0.1, 0.5], "duplicate")])
def test_bad_levels(quantiles, match, rng):
    X, y = rng.standard_normal((40, 2)), rng.standard_normal(40)
    with pytest.raises(ValueError, match=match):
        QuantileAggregator([SparseQuantileRegressor()], quantiles=quantiles).fit(X, y)


@pytest.mark.parametrize("estimator", [
    LinearRegression(), GradientBoostingRegressor(), HistGradientBoostingRegressor(),
    make_pipeline(StandardScaler(), LinearRegression())])
def test_base_model_that_cannot_predict_quantiles(estimator, rng):
    X, y = rng.standard_normal((40, 2)), rng.standard_normal(40)
    with pytest.raises(TypeError, match="cannot predict quantiles"):
        QuantileAggregator([estimator], quantiles=[0.1, 0.9]).fit(X, y)


def test_predict_interval_errors_and_interpolation(diabetes_split, fitted):
    Xte = diabetes_split[1][:5]
    with pytest.raises(ValueError, match="outside the fitted levels"):
        fitted.predict_interval(Xte, coverage=0.95)
    with pytest.raises(ValueError, match="coverage"):
        fitted.predict_interval(Xte, coverage=1.5)
    mid = fitted.predict_interval(Xte, coverage=0.7)
    wide = fitted.predict_interval(Xte, coverage=0.8)
    assert np.all(mid[:, 0] >= wide[:, 0]) and np.all(mid[:, 1] <= wide[:, 1])


def test_grid_search_over_weights(rng):
    from sklearn.model_selection import GridSearchCV

    X = rng.standard_normal((120, 2))
    y = X[:, 0] + rng.standard_normal(120)
    lib = [SparseQuantileRegressor(alpha=0.01), KNeighborsQuantileRegressor(n_neighbors=10)]
    search = GridSearchCV(QuantileAggregator(lib, quantiles=[0.1, 0.5, 0.9], cv=2,
                                             random_state=0),
                          {"weights": ["coarse", "medium"]}, cv=2).fit(X, y)
    assert search.best_params_["weights"] in ("coarse", "medium")
    assert search.best_score_ < 0  # negative pinball loss
