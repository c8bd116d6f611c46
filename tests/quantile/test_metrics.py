"""Quantile metrics: definitions, the WIS identity, input errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sparsestat.metrics import (interval_coverage, pinball_loss, quantile_calibration_error,
                                weighted_interval_score)

finite = st.floats(-100, 100, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), n=st.integers(1, 15), K=st.integers(1, 5), median=st.booleans())
def test_wis_is_twice_mean_pinball_for_symmetric_levels(data, n, K, median):
    # levels on a 0.001 grid: floats that differ in the last bits (0.01 and 0.01 + 1ulp)
    # both map to 0.99 under 1 - x, which is not a valid (strictly increasing) level set
    lower = np.sort(data.draw(arrays(np.int64, K, elements=st.integers(10, 490),
                                     unique=True))) / 1000.0
    taus = np.concatenate([lower, [0.5] if median else [], 1 - lower[::-1]])
    y = data.draw(arrays(np.float64, n, elements=finite))
    Q = np.sort(data.draw(arrays(np.float64, (n, taus.size), elements=finite)), axis=1)
    wis = weighted_interval_score(y, Q, taus)
    assert wis == pytest.approx(2 * pinball_loss(y, Q, taus), rel=1e-9, abs=1e-9)


def test_pinball_by_hand():
    y = np.array([1.0, 3.0])
    Q = np.array([[2.0], [2.0]])
    # r = -1 -> (0.3 - 1) * -1 = 0.7 ; r = 1 -> 0.3
    assert pinball_loss(y, Q, [0.3]) == pytest.approx(0.5)
    np.testing.assert_allclose(pinball_loss(y, np.hstack([Q, Q]), [0.3, 0.6],
                                            multioutput="raw_values"), [0.5, 0.5])


def test_coverage_and_calibration():
    y = np.arange(10.0)
    assert interval_coverage(y, np.full(10, 2.0), np.full(10, 5.0)) == pytest.approx(0.4)
    Q = np.tile([4.0, 7.0], (10, 1))  # P(y <= 4) = 0.5, P(y <= 7) = 0.8
    assert quantile_calibration_error(y, Q, [0.5, 0.8]) == pytest.approx(0.0)
    assert quantile_calibration_error(y, Q, [0.4, 0.9]) == pytest.approx(0.1)


@pytest.mark.parametrize("levels, match", [
    ([0.0, 0.5], "between 0 and 1"), ([0.7, 0.3], "increasing"), ([0.3, 0.3], "increasing")])
def test_bad_levels(levels, match):
    with pytest.raises(ValueError, match=match):
        pinball_loss([1.0], [[0.0, 1.0]], levels)


def test_shape_mismatch_and_asymmetric_wis():
    with pytest.raises(ValueError, match="columns"):
        pinball_loss([1.0], [[0.0, 1.0]], [0.5])
    with pytest.raises(ValueError, match="symmetric"):
        weighted_interval_score([1.0], [[0.0, 1.0]], [0.1, 0.8])
    with pytest.raises(ValueError, match="NaN"):
        pinball_loss([np.nan], [[0.0]], [0.5])
