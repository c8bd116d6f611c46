"""Cox partial-likelihood kernels: value against direct O(n^2) sums and scikit-survival,
gradient and Hessian diagonal against finite differences, weights as repeated rows."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sparsestat._engine._cox import (cox_curvature_bound, cox_derivatives, cox_hessian,
                                     cox_struct, cox_value)


def _direct_value(time, event, s, sw, efron):
    """n F written straight from the definition, O(n^2), no sorting or cumulative sums."""
    total = 0.0
    for t in np.unique(time[event != 0]):
        ev = (time == t) & (event != 0) & (sw != 0)
        m = ev.sum()
        if m == 0:
            continue
        d = np.sum(sw[ev] * event[ev])
        risk = np.sum(sw[time >= t] * np.exp(s[time >= t]))
        E = np.sum(sw[ev] * np.exp(s[ev]))
        total -= np.sum(sw[ev] * event[ev] * s[ev])
        for l in range(m):
            c = l / m if efron else 0.0
            total += d / m * np.log(risk - c * E)
    return total / len(time)


def _kernels(time, event, s, sw, efron):
    struct = cox_struct(time)
    ev = np.ascontiguousarray(event, dtype=np.float64)
    g = np.empty(len(time))
    h = np.empty(len(time))
    cox_derivatives(ev, struct, s, sw, efron, g)
    cox_hessian(ev, struct, s, sw, efron, h)
    return cox_value(ev, struct, s, sw, efron), g, h


def _data(seed, n, n_times):
    rng = np.random.default_rng(seed)
    time = rng.integers(0, n_times, n).astype(float)  # few distinct times: many ties
    event = (rng.random(n) < 0.7).astype(float)
    s = rng.standard_normal(n)
    sw = rng.uniform(0.2, 2.0, n)
    return time, event, s, sw


@pytest.mark.parametrize("efron", [False, True])
@pytest.mark.parametrize("n_times", [3, 8, 1000])
def test_value_matches_direct_sum(efron, n_times):
    time, event, s, sw = _data(1, 40, n_times)
    value, _, _ = _kernels(time, event, s, sw, efron)
    assert value == pytest.approx(_direct_value(time, event, s, sw, efron), rel=1e-12)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(2, 25), n_times=st.integers(1, 30),
       efron=st.booleans(), scale=st.sampled_from([0.1, 1.0, 5.0]))
def test_gradient_and_hessian_diagonal_match_finite_differences(seed, n, n_times, efron,
                                                                scale):
    time, event, s, sw = _data(seed, n, n_times)
    s = s * scale
    n_f = lambda v: n * _kernels(time, event, v, sw, efron)[0]  # noqa: E731
    _, g, h = _kernels(time, event, s, sw, efron)
    eps = 1e-5
    for k in range(n):
        e = np.zeros(n)
        e[k] = eps
        fp, fm = n_f(s + e), n_f(s - e)
        assert g[k] == pytest.approx((fp - fm) / (2 * eps), abs=1e-6 * (1 + abs(g[k])))
        # the Hessian diagonal against differences of the (checked) gradient: a second
        # difference of the value loses too many digits at eps = 1e-5
        gp = _kernels(time, event, s + e, sw, efron)[1][k]
        gm = _kernels(time, event, s - e, sw, efron)[1][k]
        assert h[k] == pytest.approx((gp - gm) / (2 * eps), abs=1e-6 * (1 + abs(h[k])))
        assert h[k] >= 0


@pytest.mark.parametrize("ties", ["breslow", "efron"])
def test_value_matches_scikit_survival(ties):
    from sksurv.linear_model.coxph import CoxPHOptimizer

    rng = np.random.default_rng(3)
    n, p = 60, 4
    X = rng.standard_normal((n, p))
    w = rng.standard_normal(p) * 0.5
    time = rng.integers(1, 15, n).astype(float)
    event = rng.random(n) < 0.6
    ref = CoxPHOptimizer(X, event, time, np.zeros(p), ties).nlog_likelihood(w)
    ours, _, _ = _kernels(time, event.astype(float), X @ w, np.ones(n), ties == "efron")
    assert ours == pytest.approx(ref, rel=1e-12)


def test_integer_weights_are_repeated_rows_with_breslow_ties():
    # Breslow is exact frequency weighting; Efron's weighted form (survival::coxph's)
    # counts tied events by their number of rows, so repeated rows differ there
    time, event, s, _ = _data(5, 15, 5)
    sw = np.random.default_rng(0).integers(0, 3, 15).astype(float)
    value, g, h = _kernels(time, event, s, sw, False)
    rep = np.repeat(np.arange(15), sw.astype(int))
    v2, g2, h2 = _kernels(time[rep], event[rep], s[rep], np.ones(rep.size), False)
    # F is an average over n samples: compare n F
    assert 15 * value == pytest.approx(rep.size * v2, rel=1e-12)
    # the gradient of a weight-2 row is the summed gradient of its two copies
    np.testing.assert_allclose(g, np.bincount(rep, weights=g2, minlength=15), rtol=1e-10,
                               atol=1e-12)
    assert np.all(h[sw == 0] == 0) and np.all(g[sw == 0] == 0)


def test_shift_invariance_and_large_scores():
    time, event, s, sw = _data(7, 30, 6)
    v0, g0, h0 = _kernels(time, event, s, sw, True)
    v1, g1, h1 = _kernels(time, event, s + 800.0, sw, True)  # exp(800) overflows
    # adding c to every score changes n F by -c * sum(sw * event) + c * sum(d_g) = 0
    assert v1 == pytest.approx(v0, rel=1e-10)
    np.testing.assert_allclose(g1, g0, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(h1, h0, rtol=1e-9, atol=1e-12)


def test_no_events_is_zero_and_gradient_sums_to_zero():
    time, event, s, sw = _data(8, 20, 4)
    v, g, _ = _kernels(time, np.zeros(20), s, sw, False)
    assert v == 0.0 and np.all(g == 0.0)
    # shift invariance means the score-space gradient is orthogonal to the ones vector
    _, g, _ = _kernels(time, event, s, sw, False)
    assert abs(g.sum()) < 1e-12 * np.abs(g).sum()


def test_curvature_bound_bounds_the_hessian():
    time, event, s, sw = _data(9, 25, 25)
    struct = cox_struct(time)
    n_f = lambda v: 25 * cox_value(event, struct, v, sw, False)  # noqa: E731
    H = np.empty((25, 25))
    eps = 1e-4
    for k in range(25):
        e = np.zeros(25)
        e[k] = eps
        gp = np.empty(25)
        gm = np.empty(25)
        cox_derivatives(event, struct, s + e, sw, False, gp)
        cox_derivatives(event, struct, s - e, sw, False, gm)
        H[:, k] = (gp - gm) / (2 * eps)
    assert n_f(s) > 0
    assert np.linalg.eigvalsh(0.5 * (H + H.T)).max() <= cox_curvature_bound(event, sw) + 1e-6
