"""Harrell's concordance index against scikit-survival and a direct O(n^2) count; the
survival-target parser."""

import numpy as np
import pytest

from sparsestat._engine._cox import survival_target
from sparsestat.metrics import concordance_index


def _direct(time, event, est, sw, tol=1e-8):
    num = den = 0.0
    for i in range(len(time)):
        if not event[i]:
            continue
        for j in range(len(time)):
            if time[i] < time[j] or (time[i] == time[j] and not event[j]):
                w = sw[i] * sw[j]
                den += w
                if abs(est[i] - est[j]) <= tol:
                    num += 0.5 * w
                elif est[i] > est[j]:
                    num += w
    return num / den


@pytest.mark.parametrize("seed, n_times, n_scores", [(0, 5, 4), (1, 50, 1000), (2, 3, 2)])
def test_matches_scikit_survival_and_direct_count(seed, n_times, n_scores):
    from sksurv.metrics import concordance_index_censored

    rng = np.random.default_rng(seed)
    n = 80
    time = rng.integers(0, n_times, n).astype(float)  # ties in time
    event = rng.random(n) < 0.6
    est = rng.integers(0, n_scores, n) * 0.5  # ties in the scores
    ref = concordance_index_censored(event, time, est)[0]
    y = np.column_stack([time, event])
    assert concordance_index(y, est) == pytest.approx(ref, rel=1e-14)
    sw = rng.uniform(0.5, 2, n)
    assert concordance_index(y, est, sample_weight=sw) == pytest.approx(
        _direct(time, event, est, sw), rel=1e-12)


def test_integer_weights_are_repeated_samples():
    rng = np.random.default_rng(4)
    time = rng.integers(0, 10, 30).astype(float)
    event = (rng.random(30) < 0.5).astype(float)
    est = rng.standard_normal(30)
    sw = rng.integers(0, 3, 30)
    rep = np.repeat(np.arange(30), sw)
    y = np.column_stack([time, event])
    assert concordance_index(y, est, sample_weight=sw) == pytest.approx(
        concordance_index(y[rep], est[rep]), rel=1e-14)


def test_structured_and_one_dimensional_targets():
    from sksurv.util import Surv

    time = np.array([5.0, 1.0, 3.0, 2.0])
    event = np.array([True, True, False, True])
    est = np.array([0.1, 2.0, 0.3, 1.0])
    y_struct = Surv.from_arrays(event, time)
    assert concordance_index(y_struct, est) == concordance_index(
        np.column_stack([time, event]), est)
    # a 1-D target: every event observed
    assert concordance_index(time, -time) == 1.0
    assert concordance_index(time, time) == 0.0


@pytest.mark.parametrize("y, match", [
    (np.array([[1.0, 2.0], [2.0, 1.0]]), "0 \\(censored\\) or 1"),
    (np.array([[np.nan, 1.0], [2.0, 1.0]]), "finite"),
    (np.zeros((3, 3)), "shape"),
    (np.array([(1.0, 2.0)], dtype=[("a", float), ("b", float)]), "exactly one boolean"),
])
def test_bad_targets_raise(y, match):
    with pytest.raises(ValueError, match=match):
        survival_target(y)


def test_no_comparable_pair_and_length_mismatch_raise():
    with pytest.raises(ValueError, match="No comparable"):
        concordance_index(np.column_stack([[1.0, 2.0], [0, 0]]), [1.0, 2.0])
    with pytest.raises(ValueError, match="3 values for 2"):
        concordance_index(np.array([1.0, 2.0]), [1.0, 2.0, 3.0])
