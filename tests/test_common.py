"""scikit-learn's own estimator checks over every public sparsestat estimator."""

import pickle

import pytest
from sklearn.base import clone
from sklearn.utils.estimator_checks import parametrize_with_checks

from sparsestat.utils import all_estimators

from ._instances import CHECK_PARAMS, EXPECTED_FAILED

ESTIMATORS = all_estimators()


def _instances():
    for name, cls in ESTIMATORS:
        yield cls(**CHECK_PARAMS.get(name, {}))


def _expected_failed(estimator):
    return EXPECTED_FAILED.get(type(estimator).__name__, {})


@parametrize_with_checks(list(_instances()), expected_failed_checks=_expected_failed)
def test_sklearn_compatible(estimator, check):
    check(estimator)


def test_every_estimator_has_check_settings_or_defaults():
    names = {name for name, _ in ESTIMATORS}
    assert "Lasso" in names
    unknown = (set(CHECK_PARAMS) | set(EXPECTED_FAILED)) - names
    assert not unknown, f"settings for estimators that do not exist: {sorted(unknown)}"


@pytest.mark.parametrize("name, cls", ESTIMATORS)
def test_clone_and_pickle_unfitted(name, cls):
    est = cls(**CHECK_PARAMS.get(name, {}))
    again = pickle.loads(pickle.dumps(clone(est)))
    assert again.get_params().keys() == est.get_params().keys()


@pytest.mark.parametrize("name, cls", ESTIMATORS)
def test_docstring_has_runnable_example(name, cls):
    assert "Examples" in (cls.__doc__ or ""), f"{name} has no Examples section"
    assert ">>>" in cls.__doc__
