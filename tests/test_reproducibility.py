"""Reproducibility: the same ``random_state`` gives identical fitted attributes, and
pickle / ``clone`` round trips work for every public estimator, fitted and unfitted."""

import pickle
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import BaseEstimator, clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted

from ._kinds import ESTIMATORS, _data, _make, _outputs

NAMES = [name for name, _ in ESTIMATORS]


def _fit(est, kind, seed=0):
    X, y = _data(kind, seed=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return (est.fit(X) if y is None else est.fit(X, y)), X


def _fitted_attributes(est):
    # wall-clock timings (e.g. QuantileAggregator.fit_times_) are the one legitimate
    # difference between two identical fits
    return {k: v for k, v in vars(est).items()
            if k.endswith("_") and not k.startswith("_") and "time" not in k}


def _assert_identical(a, b, path):
    """Exact equality, recursing into containers and fitted sub-estimators."""
    if isinstance(a, BaseEstimator):
        assert type(a) is type(b), path
        fa, fb = _fitted_attributes(a), _fitted_attributes(b)
        assert fa.keys() == fb.keys(), f"{path}: fitted attributes {fa.keys()} != {fb.keys()}"
        for key in fa:
            _assert_identical(fa[key], fb[key], f"{path}.{key}")
    elif sp.issparse(a):
        assert sp.issparse(b) and a.shape == b.shape and (a != b).nnz == 0, path
    elif isinstance(a, np.ndarray):
        assert isinstance(b, np.ndarray) and a.shape == b.shape, path
        if a.dtype == object:
            for i, (u, v) in enumerate(zip(a.ravel(), b.ravel())):
                _assert_identical(u, v, f"{path}[{i}]")
        else:
            equal_nan = a.dtype.kind in "fc"
            assert np.array_equal(a, b, equal_nan=equal_nan), f"{path} differs"
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), path
        for i, (u, v) in enumerate(zip(a, b)):
            _assert_identical(u, v, f"{path}[{i}]")
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), path
        for key in a:
            _assert_identical(a[key], b[key], f"{path}[{key!r}]")
    elif isinstance(a, (float, np.floating)):
        assert (np.isnan(a) and np.isnan(b)) or a == b, f"{path}: {a} != {b}"
    elif isinstance(a, (int, str, bool, type(None), np.integer, np.bool_)):
        assert a == b, f"{path}: {a!r} != {b!r}"
    else:  # other objects (accountants, penalty objects): equal state
        assert type(a) is type(b), path
        if hasattr(a, "__dict__"):
            _assert_identical(vars(a), vars(b), path)
        else:
            assert repr(a) == repr(b), path


@pytest.mark.parametrize("name", NAMES)
def test_same_random_state_gives_identical_fit(name):
    est, kind = _make(name)
    first, X = _fit(clone(est), kind)
    second, _ = _fit(clone(est), kind)
    assert _fitted_attributes(first), f"{name} has no fitted attributes"
    _assert_identical(first, second, name)
    np.testing.assert_array_equal(_outputs(first, X), _outputs(second, X))


@pytest.mark.parametrize("name", NAMES)
def test_pickle_and_clone_fitted(name):
    est, kind = _make(name)
    fitted, X = _fit(est, kind)
    out = _outputs(fitted, X)

    loaded = pickle.loads(pickle.dumps(fitted))
    _assert_identical(fitted, loaded, f"{name} (unpickled)")
    np.testing.assert_array_equal(_outputs(loaded, X), out)

    cloned = clone(fitted)
    assert cloned is not fitted
    assert not _fitted_attributes(cloned), "clone must drop fitted attributes"
    with pytest.raises(NotFittedError):
        check_is_fitted(cloned)
    assert pickle.dumps(cloned.get_params(deep=False)) == \
        pickle.dumps(fitted.get_params(deep=False)) or \
        repr(cloned.get_params(deep=False)) == repr(fitted.get_params(deep=False))
    refit, _ = _fit(cloned, kind)
    _assert_identical(fitted, refit, f"{name} (clone refitted)")


@pytest.mark.parametrize("name", NAMES)
def test_pickle_and_clone_unfitted(name):
    est, kind = _make(name)
    loaded = pickle.loads(pickle.dumps(est))
    cloned = pickle.loads(pickle.dumps(clone(est)))
    assert repr(loaded.get_params(deep=False)) == repr(est.get_params(deep=False))
    assert not _fitted_attributes(loaded)
    a, _ = _fit(loaded, kind)
    b, _ = _fit(cloned, kind)
    _assert_identical(a, b, f"{name} (unfitted round trips)")
