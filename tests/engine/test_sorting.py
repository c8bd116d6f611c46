"""The engine's compiled sorts agree with numpy's (order, stability, NaN placement)."""

import numpy as np
import pytest

from sparsestat._engine._sorting import sorted_unique, stable_argsort


def _keys():
    rng = np.random.default_rng(0)
    yield np.array([])
    yield np.array([3.0])
    yield rng.standard_normal(1000)
    # many ties: stability decides the order of equal keys
    yield rng.integers(0, 5, 257).astype(float)
    yield np.array([2.0, np.nan, -1.0, np.nan, 2.0, -np.inf, np.inf, 0.0, -0.0])
    yield np.arange(100, 0, -1).astype(float)
    yield rng.integers(-3, 3, 64)


@pytest.mark.parametrize("key", list(_keys()), ids=lambda k: f"n{k.shape[0]}")
def test_stable_argsort_is_numpys_stable_argsort(key):
    np.testing.assert_array_equal(stable_argsort(key), np.argsort(key, kind="stable"))


@pytest.mark.parametrize("key", list(_keys()), ids=lambda k: f"n{k.shape[0]}")
def test_sorted_unique_is_numpys_unique(key):
    np.testing.assert_array_equal(sorted_unique(key), np.unique(key))


def test_stable_argsort_leaves_the_key_alone():
    key = np.array([3.0, 1.0, 2.0, 1.0])
    before = key.copy()
    stable_argsort(key)
    np.testing.assert_array_equal(key, before)
