"""The must-show statistics of the issue (slow: millions of simulated users).

d = 10, k = 3, Rademacher x, epsilon = 4, ||theta*|| = 0.707 (spec's prototype setting),
y = <x, theta*> + N(0, 0.1^2), clip_x = 1 (exact for Rademacher x), clip_y = 2, no
intercept (the spec's protocol). Errors are averaged over three seeds.
"""

import numpy as np
import pytest

from sparsestat.privacy import LDPSparseRegressor

pytestmark = pytest.mark.slow

D, K, EPS = 10, 3, 4.0
THETA = np.zeros(D)
THETA[:K] = np.sqrt(0.5 / K)
SEEDS = (0, 1, 2)


def _data(n, seed):
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 2, size=(n, D), dtype=np.int8).astype(np.float64) * 2 - 1
    return X, X @ THETA + 0.1 * rng.standard_normal(n)


def _error(X, y, protocol, seed, public_X=None, epsilon=EPS):
    model = LDPSparseRegressor(epsilon=epsilon, clip_x=1.0, clip_y=2.0, protocol=protocol,
                               fit_intercept=False, random_state=seed)
    model.fit(X, y, public_X=public_X)
    return float(np.linalg.norm(model.coef_ - THETA))


@pytest.fixture(scope="module")
def errors():
    public_X, _ = _data(200_000, 99)
    table = {}
    for n in (250_000, 1_000_000, 4_000_000):
        X, y = _data(n, n)
        for protocol in ("noninteractive", "public", "interactive"):
            table[n, protocol] = np.mean([
                _error(X, y, protocol, s, public_X if protocol == "public" else None)
                for s in SEEDS])
        del X, y
    return table


def test_error_at_four_million_users(errors):
    assert errors[4_000_000, "noninteractive"] <= 0.2


def test_error_decays_like_one_over_root_n(errors):
    ns = np.array([250_000, 1_000_000, 4_000_000])
    for protocol in ("noninteractive", "public", "interactive"):
        errs = np.array([errors[n, protocol] for n in ns])
        slope = np.polyfit(np.log(ns), np.log(errs), 1)[0]
        assert -0.8 <= slope <= -0.3, (protocol, slope, errs)


def test_public_features_help_by_at_least_two(errors):
    assert errors[1_000_000, "public"] * 2 <= errors[1_000_000, "noninteractive"]


def test_interaction_helps(errors):
    assert errors[1_000_000, "interactive"] < errors[1_000_000, "noninteractive"]


def test_error_decays_like_one_over_epsilon_for_small_epsilon():
    """In the small-epsilon regime the noise, hence the error, scales like 1 / epsilon."""
    X, y = _data(4_000_000, 7)
    eps = np.array([0.25, 0.5, 1.0])
    errs = [np.mean([_error(X, y, "public", s, X[:200_000], epsilon=e) for s in SEEDS])
            for e in eps]
    slope = np.polyfit(np.log(eps), np.log(errs), 1)[0]
    assert -1.3 <= slope <= -0.6, (slope, errs)
