"""The client side: what leaves a user's device, and its noise."""

import dataclasses
import math

import numpy as np
import pytest
from scipy import stats

from sparsestat.privacy import (BudgetAccountant, BudgetError, LocalClients,
                                PrivacyLeakWarning, PrivateReports, privatize)
from sparsestat.privacy._client import noise_scales, sensitivities


def _variance_is(sample, sigma2, level=1e-6):
    """Two-sided chi-square test that iid zero-mean Gaussians have variance sigma2."""
    n = sample.size
    stat = float(np.sum(sample ** 2)) / sigma2  # known zero mean: chi2 with n dof
    lo, hi = stats.chi2.ppf([level / 2, 1 - level / 2], n)
    return lo <= stat <= hi


def _fixed_users(n, d, rng):
    x = rng.choice([-0.5, 0.25, 1.0], size=d)
    return np.tile(x, (n, 1)), np.full(n, 0.7), x


@pytest.mark.parametrize("mechanism", ["gaussian", "analytic_gaussian"])
@pytest.mark.parametrize("fit_intercept", [False, True])
def test_per_user_noise_variance_matches_the_mechanism(mechanism, fit_intercept):
    rng = np.random.default_rng(1)
    n, d, eps, delta = 20_000, 4, 0.8, 1e-5
    X, y, x = _fixed_users(n, d, rng)
    reports = privatize(X, y, eps, delta, clip_x=1.0, clip_y=1.0, fit_intercept=fit_intercept,
                        mechanism=mechanism, random_state=3)
    z = np.concatenate([[1.0], x]) if fit_intercept else x
    iu, ju = np.triu_indices(z.size)
    noise_xx = reports.xx - (z[iu] * z[ju])[None, :]
    noise_xy = reports.xy - (z * 0.7)[None, :]
    s1, s2 = reports.noise_scales["xx"], reports.noise_scales["xy"]
    assert _variance_is(noise_xx, s1 ** 2)
    assert _variance_is(noise_xy, s2 ** 2)
    # every entry has the same variance (isotropic mechanism), and mean zero
    per_entry = noise_xx.var(axis=0)
    assert np.all(np.abs(per_entry / s1 ** 2 - 1) < 6 * math.sqrt(2 / n))
    assert np.all(np.abs(noise_xy.mean(axis=0)) < 6 * s2 / math.sqrt(n))
    # and the test has power: a 3% wrong variance is rejected
    assert not _variance_is(noise_xx, 1.03 * s1 ** 2)


def test_aggregate_noise_is_the_sum_of_per_user_noise():
    rng = np.random.default_rng(2)
    n, d, eps, delta, reps = 50, 3, 1.0, 1e-5, 3000
    X, y, x = _fixed_users(n, d, rng)
    truth = privatize(X, y, np.inf, delta, 1.0, 1.0, fit_intercept=False,
                      noise="aggregate").xx[0]
    gen = np.random.default_rng(4)
    draws = np.array([privatize(X, y, eps, delta, 1.0, 1.0, fit_intercept=False,
                                noise="aggregate", random_state=gen).xx[0]
                      for _ in range(reps)])
    sigma1 = noise_scales(np.ones(d), 1.0, eps, delta, fit_intercept=False)["xx"]
    assert _variance_is(draws - truth, n * sigma1 ** 2)


def test_gaussian_formula_against_the_spec():
    """Classical calibration at eps/2, delta/2 per statistic, our tighter xx sensitivity."""
    d, tau1, tau2, eps, delta = 7, 0.5, 3.0, 0.9, 1e-6
    scales = noise_scales(np.full(d, tau1), tau2, eps, delta, fit_intercept=False,
                          mechanism="gaussian")
    spec1 = 32 * d ** 2 * tau1 ** 4 * math.log(2.5 / delta) / eps ** 2
    spec2 = 32 * d * tau1 ** 2 * tau2 ** 2 * math.log(2.5 / delta) / eps ** 2
    assert scales["xy"] ** 2 == pytest.approx(spec2)
    # the spec's 2 d tau1^2 bounds the Frobenius diameter of x x^T; the released upper
    # triangle has diameter at most tau1^2 sqrt(2 d^2 - d)
    assert scales["xx"] ** 2 == pytest.approx(spec1 * (2 * d * d - d) / (4 * d * d))


def test_sensitivity_bounds_every_pair_of_users():
    rng = np.random.default_rng(5)
    d, tau1, tau2 = 4, 0.7, 2.0
    sens = sensitivities(np.full(d, tau1), tau2, True)
    corners = rng.choice([-tau1, 0.0, tau1], size=(400, d))
    z = np.hstack([np.ones((400, 1)), corners])
    iu, ju = np.triu_indices(d + 1)
    zz = z[:, iu] * z[:, ju]
    zy = z * rng.choice([-tau2, tau2], size=(400, 1))
    dist_zz = np.linalg.norm(zz[:, None] - zz[None], axis=-1).max()
    dist_zy = np.linalg.norm(zy[:, None] - zy[None], axis=-1).max()
    assert dist_zz <= sens["xx"] + 1e-12 and dist_zy <= sens["xy"] + 1e-12
    assert dist_zy == pytest.approx(sens["xy"])  # attained: z y and -z y


def test_reports_hold_only_privatized_statistics():
    names = {f.name for f in dataclasses.fields(PrivateReports)}
    assert names == {"xy", "xx", "n_users", "n_features", "fit_intercept", "clip_x",
                     "clip_y", "noise_scales", "epsilon", "delta", "mechanism", "aggregated"}
    rng = np.random.default_rng(0)
    X, y = rng.uniform(-1, 1, (500, 3)), rng.uniform(-1, 1, 500)
    rep = privatize(X, y, 1.0, 1e-5, 1.0, 1.0, fit_intercept=False, random_state=0)
    exact = privatize(X, y, np.inf, 1e-5, 1.0, 1.0, fit_intercept=False)
    assert np.array_equal(exact.xy, X * y[:, None])  # sanity: eps = inf is the statistic
    assert np.min(np.abs(rep.xy - exact.xy)) > 0  # every released value is perturbed


def test_refused_release_draws_no_noise():
    X, y = np.zeros((10, 2)), np.zeros(10)
    acc = BudgetAccountant(1.0, 1e-5)
    privatize(X, y, 1.0, 1e-5, 1.0, 1.0, accountant=acc, random_state=0)
    assert acc.remaining()[0] == pytest.approx(0.0, abs=1e-12)
    gen = np.random.default_rng(0)
    state = gen.bit_generator.state
    with pytest.raises(BudgetError):
        privatize(X, y, 1.0, 1e-5, 1.0, 1.0, accountant=acc, random_state=gen)
    assert gen.bit_generator.state == state
    assert len(acc.ledger) == 2


def test_interactive_clients_answer_each_round_once():
    rng = np.random.default_rng(0)
    X, y = rng.uniform(-1, 1, (100, 3)), rng.uniform(-1, 1, 100)
    clients = LocalClients(X, y, 1.0, 1e-5, 1.0, 1.0, n_groups=4, random_state=0)
    total, count = clients.respond(0, np.zeros(4))
    assert total.shape == (4,) and count == 25
    with pytest.raises(BudgetError):
        clients.respond(0, np.zeros(4))
    assert sum(clients.group_sizes) == 100


def test_concatenate_and_sum_pool_reports():
    rng = np.random.default_rng(0)
    X, y = rng.uniform(-1, 1, (300, 3)), rng.uniform(-1, 1, 300)
    a = privatize(X[:100], y[:100], 1.0, 1e-5, 1.0, 1.0, random_state=1)
    b = privatize(X[100:], y[100:], 1.0, 1e-5, 1.0, 1.0, random_state=2)
    pooled = PrivateReports.concatenate([a, b])
    assert pooled.n_users == 300 and pooled.xy.shape == (300, 4)
    both = PrivateReports.concatenate([a.sum(), b])
    assert both.aggregated and both.xy.shape == (1, 4)
    assert np.allclose(both.xy[0], pooled.xy.sum(axis=0))
    other = privatize(X[:10], y[:10], 2.0, 1e-5, 1.0, 1.0)
    with pytest.raises(ValueError, match="different public parameters"):
        PrivateReports.concatenate([a, other])


def test_privatize_validates_its_input():
    X, y = np.zeros((5, 2)), np.zeros(5)
    with pytest.raises(ValueError, match="epsilon"):
        privatize(X, y, 0.0, 1e-5, 1.0, 1.0)
    with pytest.raises(ValueError, match="delta"):
        privatize(X, y, 1.0, 1.0, 1.0, 1.0)
    with pytest.raises(ValueError, match="clip_x"):
        privatize(X, y, 1.0, 1e-5, -1.0, 1.0)
    with pytest.raises(ValueError, match="clip_x"):
        privatize(X, y, 1.0, 1e-5, [1.0, 1.0, 1.0], 1.0)
    with pytest.raises(ValueError, match="clip_y"):
        privatize(X, y, 1.0, 1e-5, 1.0, 0.0)
    with pytest.raises(ValueError, match="NaN"):
        privatize(np.full((5, 2), np.nan), y, 1.0, 1e-5, 1.0, 1.0)
    with pytest.raises(ValueError, match="inconsistent"):
        privatize(X, y[:3], 1.0, 1e-5, 1.0, 1.0)
    with pytest.raises(ValueError, match="noise"):
        privatize(X, y, 1.0, 1e-5, 1.0, 1.0, noise="none")
    with pytest.warns(PrivacyLeakWarning, match="clip_x"):
        privatize(X, y, 1.0, 1e-5, None, 1.0)


@pytest.mark.parametrize("noise", ["per_user", "aggregate"])
def test_gradient_noise_variance_matches_the_mechanism(noise):
    """Interactive reports: with x = 0 the clipped gradient is 0, only noise remains."""
    n_groups, size, d = 3000, 4, 3
    X, y = np.zeros((n_groups * size, d)), np.ones(n_groups * size)
    clients = LocalClients(X, y, 1.5, 1e-5, 1.0, 2.0, fit_intercept=False, noise=noise,
                           n_groups=n_groups, random_state=0)
    sums = np.array([clients.respond(t, np.zeros(d))[0] for t in range(n_groups)])
    sigma = clients.noise_scales["gradient"]
    expected = noise_scales(np.ones(d), 2.0, 1.5, 1e-5, fit_intercept=False,
                            release="gradient")["gradient"]
    assert sigma == pytest.approx(expected)
    assert _variance_is(sums, size * sigma ** 2)
    assert not _variance_is(sums, 1.1 * size * sigma ** 2)  # the test has power
