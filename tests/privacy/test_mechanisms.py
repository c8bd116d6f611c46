"""Gaussian mechanisms and the budget accountant."""

import math

import numpy as np
import pytest
from scipy import integrate, stats

from sparsestat.privacy import (BudgetAccountant, BudgetError, analytic_gaussian_sigma,
                                gaussian_delta, gaussian_sigma)


def _delta_by_integration(sigma, sensitivity, epsilon):
    """Independent route: delta = E[(1 - exp(eps - L))_+] for the privacy loss L.

    For the Gaussian mechanism L ~ N(mu, 2 mu) with mu = Delta^2 / (2 sigma^2).
    """
    mu = sensitivity ** 2 / (2 * sigma ** 2)
    sd = math.sqrt(2 * mu)
    f = lambda l: (1 - math.exp(epsilon - l)) * stats.norm.pdf(l, mu, sd)  # noqa: E731
    value, _ = integrate.quad(f, epsilon, mu + 40 * sd, epsabs=1e-14, epsrel=1e-10,
                              limit=200)
    return value


@pytest.mark.parametrize("epsilon", [0.1, 0.5, 1.0, 2.0, 4.0, 20.0])
@pytest.mark.parametrize("sensitivity", [0.3, 1.0, 7.0])
def test_analytic_sigma_meets_the_exact_condition_with_equality(epsilon, sensitivity):
    delta = 1e-5
    sigma = analytic_gaussian_sigma(sensitivity, epsilon, delta)
    assert gaussian_delta(sigma, sensitivity, epsilon) <= delta
    assert gaussian_delta(sigma, sensitivity, epsilon) == pytest.approx(delta, rel=1e-6)
    # a slightly smaller sigma violates it: sigma is the smallest one
    assert gaussian_delta(sigma * (1 - 1e-4), sensitivity, epsilon) > delta
    # the profile formula agrees with an independent integral of the privacy loss
    assert _delta_by_integration(sigma, sensitivity, epsilon) == pytest.approx(delta, rel=1e-5)


def test_analytic_sigma_scales_with_sensitivity_and_beats_classical():
    for epsilon in [0.05, 0.3, 0.9]:
        a = analytic_gaussian_sigma(1.0, epsilon, 1e-6)
        assert analytic_gaussian_sigma(5.0, epsilon, 1e-6) == pytest.approx(5 * a, rel=1e-9)
        assert a < gaussian_sigma(1.0, epsilon, 1e-6)
    sigmas = [analytic_gaussian_sigma(1.0, e, 1e-5) for e in [0.1, 1, 10, 1e3, 1e6]]
    assert np.all(np.diff(sigmas) < 0)


def test_classical_formula_and_infinite_epsilon():
    assert gaussian_sigma(2.0, 0.5, 1e-5) == pytest.approx(
        2.0 * math.sqrt(2 * math.log(1.25e5)) / 0.5)
    assert gaussian_sigma(1.0, np.inf, 1e-5) == 0.0
    assert analytic_gaussian_sigma(1.0, np.inf, 1e-5) == 0.0
    assert gaussian_delta(1.0, 1.0, np.inf) == 0.0


def test_accountant_refuses_overspending():
    acc = BudgetAccountant(1.0, 1e-5)
    acc.spend(0.5, 5e-6, "a")
    acc.spend(0.5, 5e-6, "b")  # exactly the budget, up to rounding
    assert acc.remaining() == (0.0, 0.0)
    with pytest.raises(BudgetError, match="Privacy budget exceeded: 'c'"):
        acc.spend(1e-3, 0.0, "c")
    assert [label for label, _, _ in acc.ledger] == ["a", "b"]
    with pytest.raises(BudgetError):
        BudgetAccountant(1.0, 1e-5).spend(0.1, 2e-5)
    with pytest.raises(BudgetError):
        BudgetAccountant(1.0, 1e-5).spend(np.inf, 0.0)
    unlimited = BudgetAccountant(np.inf, 1e-5)
    unlimited.spend(np.inf, 0.5)
    assert issubclass(BudgetError, ValueError)


@pytest.mark.parametrize("epsilon, delta", [(0.0, 1e-5), (-1.0, 1e-5), (np.nan, 1e-5),
                                            (1.0, 0.0), (1.0, 1.0), (1.0, -0.1), (1.0, 2.0)])
def test_accountant_rejects_bad_budgets(epsilon, delta):
    with pytest.raises(ValueError, match="epsilon|delta"):
        BudgetAccountant(epsilon, delta)
