"""The family hooks: warm-up and demo rows."""

import numpy as np


def test_warmup_runs():
    import sparsestat

    timings = sparsestat.warmup(["quantile"])
    assert set(timings) == {"quantile"}


def test_default_library_predicts_quantiles():
    from sparsestat.quantile import default_library
    from sparsestat.quantile._aggregator import level_strategy

    kinds = [level_strategy(est)[0] for _, est in default_library()]
    assert kinds == ["multi", "single", "multi"]


def test_quantile_model_wrapper_shapes(rng):
    from sparsestat.quantile import KNeighborsQuantileRegressor, QuantileModel

    X = rng.standard_normal((30, 2))
    y = rng.standard_normal(30)
    multi = KNeighborsQuantileRegressor(quantile=[0.2, 0.8], n_neighbors=5).fit(X, y)
    singles = [KNeighborsQuantileRegressor(quantile=t, n_neighbors=5).fit(X, y)
               for t in (0.2, 0.8)]
    a = QuantileModel([multi], np.array([0.2, 0.8])).predict(X)
    b = QuantileModel(singles, np.array([0.2, 0.8])).predict(X)
    np.testing.assert_allclose(a, b)
