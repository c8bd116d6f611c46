"""Lasso / ElasticNet check a dense float64 F-ordered X for NaN and infinity through
``X^T y`` (``validate_regression_input_xy``), a pass the tall Gram solver needs anyway:
the errors are scikit-learn's, word for word, wherever the bad entry sits."""

import warnings

import numpy as np
import pytest
from sklearn.utils import assert_all_finite

from sparsestat.linear_model import ElasticNet, Lasso
from sparsestat.linear_model import _coordinate_descent as cd_module
from sparsestat.linear_model._base import validate_regression_input_xy


def _data(n=60, p=8, seed=0):
    rng = np.random.default_rng(seed)
    X = np.asfortranarray(rng.standard_normal((n, p)))
    y = rng.standard_normal(n)
    return X, y


def _sklearn_message(X, name):
    with pytest.raises(ValueError) as info:
        assert_all_finite(X, input_name="X", estimator_name=name)
    return str(info.value)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("Est", [Lasso, ElasticNet])
@pytest.mark.parametrize("fit_intercept", [False, True])
def test_nan_and_inf_raise_sklearns_error(bad, Est, fit_intercept):
    # the bad entry sits where y is 0: nan * 0 and inf * 0 are NaN, so X^T y still shows it
    X, y = _data()
    y[3] = 0.0
    X[3, 2] = bad
    expected = _sklearn_message(X, Est.__name__)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning from the product either
        with pytest.raises(ValueError) as info:
            Est(alpha=0.01, fit_intercept=fit_intercept).fit(X, y)
    assert str(info.value) == expected


def test_x_error_comes_before_y_error():
    X, y = _data()
    X[0, 0] = np.nan
    y[5] = np.nan
    with pytest.raises(ValueError, match="Input X contains NaN"):
        Lasso(alpha=0.01).fit(X, y)
    with pytest.raises(ValueError, match="Input y contains NaN"):
        Lasso(alpha=0.01).fit(np.nan_to_num(X), y)


def test_overflowing_product_of_finite_values_still_fits():
    # X^T y overflows to inf although X is finite: scikit-learn's check passes, no xty
    X, y = _data()
    X[:, 0] *= 1e306
    y *= 1e10
    Xv, yv, xty = validate_regression_input_xy(Lasso(), X, y)
    assert xty is None and Xv is X
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        coef_f = Lasso(alpha=0.01, fit_intercept=False).fit(X, y).coef_
        coef_c = Lasso(alpha=0.01, fit_intercept=False).fit(np.ascontiguousarray(X), y).coef_
    np.testing.assert_allclose(coef_f, coef_c, rtol=1e-10)


def _xy_given(monkeypatch):
    seen = []
    original = cd_module.fit_penalized

    def spy(*args, **kwargs):
        seen.append(kwargs.get("xy"))
        return original(*args, **kwargs)

    monkeypatch.setattr(cd_module, "fit_penalized", spy)
    return seen


def test_xty_reaches_the_engine_only_where_it_is_the_designs(monkeypatch):
    X, y = _data(n=400, p=50)
    seen = _xy_given(monkeypatch)
    ref = Lasso(alpha=0.01, fit_intercept=False).fit(X, y)
    np.testing.assert_allclose(seen[-1], X.T @ y, rtol=1e-14)
    # C order (the old check), an intercept (centered design), weights: not handed on
    other = Lasso(alpha=0.01, fit_intercept=False).fit(np.ascontiguousarray(X), y)
    assert seen[-1] is None
    np.testing.assert_allclose(other.coef_, ref.coef_, rtol=1e-9, atol=1e-12)
    Lasso(alpha=0.01).fit(X, y)
    assert seen[-1] is None
    Lasso(alpha=0.01, fit_intercept=False).fit(X, y, sample_weight=np.full(400, 2.0))
    assert seen[-1] is None
    # a float32 X and a 2-D y keep scikit-learn's own check
    assert validate_regression_input_xy(Lasso(), X.astype(np.float32), y)[2] is None
    assert validate_regression_input_xy(Lasso(), X, y[:, None])[2] is None
    np.testing.assert_array_equal(X, _data(n=400, p=50)[0])  # X never modified
