"""Simplex projection, isotonic rows, the weight fit, and the noncrossing theorem."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.isotonic import isotonic_regression

from sparsestat._engine.families._simplex import fit_simplex_weights, isotonic_rows, project_simplex
from sparsestat.metrics import pinball_loss

finite = st.floats(-50, 50, allow_nan=False, allow_infinity=False)


@settings(max_examples=80, deadline=None)
@given(v=arrays(np.float64, st.integers(1, 12), elements=finite))
def test_projection_is_on_simplex_and_closest(v):
    x = project_simplex(v)
    assert np.all(x >= 0) and x.sum() == pytest.approx(1.0)
    # variational inequality: <v - x, s - x> <= 0 for every vertex s of the simplex
    for j in range(v.size):
        s = np.zeros(v.size)
        s[j] = 1.0
        assert (v - x) @ (s - x) <= 1e-8 * (1 + np.abs(v).max())


@settings(max_examples=60, deadline=None)
@given(Q=arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 9)), elements=finite))
def test_isotonic_rows_match_sklearn(Q):
    out = np.ascontiguousarray(Q.copy())
    isotonic_rows(out)
    for i in range(Q.shape[0]):
        np.testing.assert_allclose(out[i], isotonic_regression(Q[i]), atol=1e-9)


@settings(max_examples=100, deadline=None)
@given(data=st.data(), n=st.integers(1, 20), L=st.integers(2, 9))
def test_noncrossing_never_increases_pinball_loss(data, n, L):
    """Fakoor et al. (2023): sorting or isotonic regression across levels can only lower
    the summed pinball loss, for every sample."""
    taus = np.sort(data.draw(arrays(np.float64, L, elements=st.floats(0.01, 0.99),
                                    unique=True)))
    y = data.draw(arrays(np.float64, n, elements=finite))
    Q = data.draw(arrays(np.float64, (n, L), elements=finite))
    before = pinball_loss(y, Q, taus, multioutput="raw_values").sum()
    sorted_q = np.sort(Q, axis=1)
    iso = np.ascontiguousarray(Q.copy())
    isotonic_rows(iso)
    for fixed in (sorted_q, iso):
        after = pinball_loss(y, fixed, taus, multioutput="raw_values").sum()
        assert after <= before + 1e-9 * (1 + abs(before))


def test_weight_fit_finds_the_right_model(rng):
    from scipy.stats import norm

    n, taus = 400, np.array([0.1, 0.5, 0.9])
    y = rng.standard_normal(n)
    good = np.tile(norm.ppf(taus), (n, 1))
    bad = 3 * good + 1.0
    F = np.stack([good, bad], axis=2)  # (n, L, sources)
    W, info = fit_simplex_weights(F, y, taus, np.arange(3), 3)
    assert np.all(W >= 0)
    np.testing.assert_allclose(W.sum(axis=2), 1.0)
    assert np.all(W[0, :, 0] > 0.9)
    uniform = pinball_loss(y, F.mean(axis=2), taus)
    assert info["loss"] < uniform
