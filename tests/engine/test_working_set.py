"""Working-set selection of the CD solver: the k-th order statistic without np.partition."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sparsestat._engine._cd import _kth_smallest, _select_working_set

scores = st.lists(st.floats(-1e3, 1e3, allow_nan=False) | st.integers(0, 3).map(float),
                  min_size=1, max_size=60)


@settings(max_examples=200, deadline=None)
@given(values=scores, data=st.data())
def test_kth_smallest_matches_numpy_partition(values, data):
    v = np.array(values)
    k = data.draw(st.integers(0, v.size - 1))
    before = v.copy()
    assert _kth_smallest(v, k) == np.partition(v, k)[k]
    np.testing.assert_array_equal(v, before)  # works on a copy


@settings(max_examples=100, deadline=None)
@given(values=scores, data=st.data())
def test_working_set_holds_the_largest_scores(values, data):
    kkt = np.array(values)
    size = data.draw(st.integers(1, kkt.size))
    ws = _select_working_set(kkt, size)
    assert ws.size == size and np.all(np.diff(ws) > 0)
    # every score left out is at most every score kept
    out = np.setdiff1d(np.arange(kkt.size), ws)
    if out.size:
        assert kkt[out].max() <= kkt[ws].min()
