"""Proximal Newton: tight tolerances on ill-conditioned problems, Cox's exact Hessian."""

import numpy as np
import pytest

from sparsestat._engine import L1, Cox, Poisson, solve
from sparsestat._engine._cox import (cox_derivatives, cox_event_groups, cox_newton_parts,
                                     cox_struct)


def _design(seed, n, p):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    return rng, X, X[:, :3] @ np.array([1.0, -0.8, 0.5])


def _survival(seed=0, n=100, p=300):
    rng, X, s = _design(seed, n, p)
    t_event = rng.exponential(np.exp(-s))
    t_cens = rng.exponential(2.0, n)
    time = np.round(np.minimum(t_event, t_cens), 1) + 0.1  # tied times
    return X, np.column_stack([time, (t_event <= t_cens).astype(float)])


def _kkt(datafit, penalty, X, y, res):
    """The largest KKT violation, computed here from the numpy-level pieces."""
    raw = datafit.raw_gradient(y, X @ res.coef + res.intercept)
    return penalty.subdiff_distance(res.coef, X.T @ raw / X.shape[0]).max()


@pytest.mark.parametrize("ties", ["breslow", "efron"])
def test_cox_exact_hessian_matches_finite_differences(ties):
    # H = diag(diag1) - sum_g A2 SR SR^T - B2 (SR SD^T + SD SR^T) + G2 SD SD^T
    rng = np.random.default_rng(0)
    n = 14
    time = rng.integers(0, 5, n).astype(float)  # many ties
    event = (rng.random(n) < 0.7).astype(float)
    sw = rng.uniform(0.5, 2.0, n)
    sw[3] = 0.0
    scores = rng.standard_normal(n)
    struct = cox_struct(time)
    efron = ties == "efron"
    n_ev, risk_of, event_of = cox_event_groups(event, struct, sw)
    ew, diag1 = np.empty(n), np.empty(n)
    A2, B2, G2 = np.empty(n_ev), np.empty(n_ev), np.empty(n_ev)
    cox_newton_parts(event, struct, scores, sw, efron, ew, diag1, A2, B2, G2)
    SR = np.zeros((n_ev, n))  # SR[g] = ew * 1[at risk in event group g]
    SD = np.zeros((n_ev, n))
    for i in range(n):
        SR[: risk_of[i] + 1, i] = ew[i]
        if event_of[i] >= 0:
            SD[event_of[i], i] = ew[i]
    H = np.diag(diag1) - (SR.T * A2) @ SR + (SR.T * B2) @ SD + (SD.T * B2) @ SR \
        - (SD.T * G2) @ SD

    def grad(s):
        out = np.empty(n)
        cox_derivatives(event, struct, s, sw, efron, out)
        return out

    h = 1e-6
    H_fd = np.column_stack([(grad(scores + h * e) - grad(scores - h * e)) / (2 * h)
                            for e in np.eye(n)])
    np.testing.assert_allclose(H, H_fd, atol=1e-7)
    # the Hessian of a partial likelihood: symmetric, positive semidefinite, H 1 = 0
    assert np.linalg.eigvalsh(H).min() > -1e-12
    np.testing.assert_allclose(H @ np.ones(n), 0.0, atol=1e-12)


@pytest.mark.parametrize("ties", ["breslow", "efron"])
def test_cox_reaches_tol_1e10_on_an_ill_conditioned_problem(ties):
    # p > n: with the diagonal of the Hessian as its model (coxnet's), proximal Newton
    # crawled (3 % per step) and stopped after 1000 steps at a violation of 1.2e-9
    X, y = _survival()
    pen = L1(alpha=0.01)
    res = solve(X, y, Cox(ties), pen, fit_intercept=False, tol=1e-10, max_iter=300)
    assert res.converged and res.stop_crit <= 1e-10 and res.n_iter < 100
    assert _kkt(Cox(ties), pen, X, y, res) <= 1e-10


def test_poisson_reaches_tol_1e10_on_an_ill_conditioned_problem():
    # p > n: the Newton model needs hundreds of CD epochs; capped at 50 it was solved
    # halfway, the steps converged linearly and 1000 of them left a violation of 2.4e-9
    rng, X, s = _design(2, 60, 200)
    y = rng.poisson(np.exp(s)).astype(float)
    res = solve(X, y, Poisson(), L1(alpha=0.003), tol=1e-10, max_iter=300)
    assert res.converged and res.stop_crit <= 1e-10 and res.n_iter < 100
    assert _kkt(Poisson(), L1(alpha=0.003), X, y, res) <= 1e-10
    assert res.stop_measure == "KKT violation" and res.tol == 1e-10
