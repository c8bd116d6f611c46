"""The CoLiDE engine: score, gradients, closed-form scales, acyclicity, parity with numpy."""

import importlib.util
import warnings
from pathlib import Path

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from sparsestat._engine.families._colide import (
    EQUAL_VARIANCE,
    NON_EQUAL_VARIANCE,
    STATUS_CONVERGED,
    colide_path,
    logdet_acyclicity,
    objective,
    profile_sigma,
    residual_products,
    score_and_grad,
)


def _cov(rng, n=200, d=5):
    X = rng.standard_normal((n, d))
    X[:, 1] += 0.8 * X[:, 0]
    X[:, 3] -= 0.5 * X[:, 1]
    X -= X.mean(axis=0)
    return X.T @ X / n


@pytest.mark.parametrize("variance", [EQUAL_VARIANCE, NON_EQUAL_VARIANCE])
def test_score_gradient_matches_finite_differences(rng, variance):
    d = 5
    C = _cov(rng, d=d)
    W = 0.3 * rng.standard_normal((d, d))
    np.fill_diagonal(W, 0.0)
    sigma = np.full(d, 0.7) if variance == EQUAL_VARIANCE else rng.uniform(0.5, 1.5, d)
    value, grad = score_and_grad(C, W, sigma, variance)
    # the score written out from its definition
    Q = (np.eye(d) - W).T @ C @ (np.eye(d) - W)
    if variance == EQUAL_VARIANCE:
        expected = np.trace(Q) / (2 * sigma[0]) + d * sigma[0] / 2
    else:
        expected = 0.5 * np.sum(np.diag(Q) / sigma + sigma)
    assert value == pytest.approx(expected, rel=1e-12)
    h = 1e-6
    fd = np.empty_like(W)
    for i in range(d):
        for j in range(d):
            E = np.zeros_like(W)
            E[i, j] = h
            fd[i, j] = (score_and_grad(C, W + E, sigma, variance)[0]
                        - score_and_grad(C, W - E, sigma, variance)[0]) / (2 * h)
    np.testing.assert_allclose(grad, fd, rtol=1e-6, atol=1e-8)


def test_acyclicity_gradient_matches_finite_differences(rng):
    d = 4
    W = 0.3 * rng.standard_normal((d, d))
    np.fill_diagonal(W, 0.0)
    for s in (1.0, 0.8):
        h0, grad, ok = logdet_acyclicity(W, s)
        assert ok
        eps = 1e-6
        fd = np.empty_like(W)
        for i in range(d):
            for j in range(d):
                E = np.zeros_like(W)
                E[i, j] = eps
                fd[i, j] = (logdet_acyclicity(W + E, s)[0]
                            - logdet_acyclicity(W - E, s)[0]) / (2 * eps)
        np.testing.assert_allclose(grad, fd, rtol=1e-6, atol=1e-9)


def test_acyclicity_zero_on_dags_positive_on_cycles(rng):
    from sparsestat.datasets import make_dag, make_linear_sem

    B = make_dag(8, 12, random_state=0)
    _, W = make_linear_sem(B, 10, random_state=0)
    # weights up to 2, yet W o W is nilpotent: det(sI - W o W) = s^d and h = 0 exactly
    for s in (1.0, 0.7):
        h, _, _ = logdet_acyclicity(W, s)
        assert h == pytest.approx(0.0, abs=1e-9)
    cyc = np.zeros((3, 3))
    cyc[0, 1] = cyc[1, 2] = cyc[2, 0] = 0.5
    h_cyc, _, ok = logdet_acyclicity(cyc, 1.0)
    assert ok and h_cyc > 1e-3
    # a 2-cycle outside the domain is flagged
    two = np.array([[0.0, 1.5], [1.5, 0.0]])
    assert not logdet_acyclicity(two, 1.0)[2]


@pytest.mark.parametrize("variance", [EQUAL_VARIANCE, NON_EQUAL_VARIANCE])
def test_closed_form_scale_is_the_grid_argmin(rng, variance):
    d = 4
    C = _cov(rng, d=d)
    W = 0.2 * rng.standard_normal((d, d))
    np.fill_diagonal(W, 0.0)
    R = np.empty((d, d))
    residual_products(C, W, R)
    sigma = np.empty(d)
    profile_sigma(W, R, variance, np.zeros(d), sigma)
    grid = np.linspace(0.2, 3.0, 2801)
    if variance == EQUAL_VARIANCE:
        values = [score_and_grad(C, W, np.full(d, g), variance)[0] for g in grid]
        assert abs(grid[int(np.argmin(values))] - sigma[0]) <= 1.5e-3
    else:
        for j in range(d):
            values = []
            for g in grid:
                trial = sigma.copy()
                trial[j] = g
                values.append(score_and_grad(C, W, trial, variance)[0])
            assert abs(grid[int(np.argmin(values))] - sigma[j]) <= 1.5e-3
    # the floor is honoured
    floor = np.full(d, 10.0)
    profile_sigma(W, R, variance, floor, sigma)
    assert np.all(sigma == 10.0)


def _numpy_anchor():
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_colide.py"
    spec = importlib.util.spec_from_file_location("bench_colide", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _parity_data(kind):
    """Small problems for the step-for-step parity tests.

    ``"ev"``: equal-variance data, weights +-[0.5, 2]. ``"deep"``: per-node noise variances
    U(0.5, 10) and weights +-[1, 2] on a dense 10-node DAG: one node's marginal standard
    deviation is 250 times its noise scale, so a scale floor at 1e-2 x the marginal
    standard deviation (the default before issue 21) lies 2.5x above the truth and binds.
    """
    from sparsestat.datasets import make_dag, make_linear_sem

    if kind == "ev":
        B = make_dag(6, 6, random_state=3)
        return make_linear_sem(B, 300, random_state=3)[0]
    B = make_dag(10, 25, random_state=1)
    var = np.random.default_rng(1).uniform(0.5, 10.0, 10)
    X, _ = make_linear_sem(B, 300, weight_range=(1.0, 2.0), noise_variance=var,
                           random_state=1)
    assert np.max(1e-2 * X.std(axis=0) / np.sqrt(var)) > 2.0
    return X


@pytest.mark.parametrize("data", ["ev", "deep"])
@pytest.mark.parametrize("variance", ["equal", "non-equal"])
def test_compiled_path_matches_the_numpy_transcription(variance, data):
    """Same steps, same stages, same stopping: the compiled loop is the authors' loop.

    The authors' variant (diagonal of W free, no scale floor) through the engine entry
    point, as ``benchmarks/bench_colide.py`` runs it.
    """
    anchor = _numpy_anchor()
    X = _parity_data(data)
    W_np, sigma_np, steps_np = anchor.colide_numpy(X, variance=variance, warm_iter=3000,
                                                   max_iter=3000)
    W, sigma, n_iter = anchor.colide_authors_compiled(X, variance=variance, warm_iter=3000,
                                                      max_iter=3000)
    assert n_iter == steps_np
    assert np.any(np.diag(W) != 0.0)  # the authors' loop leaves the diagonal free
    np.testing.assert_allclose(W, W_np, atol=1e-8)
    np.testing.assert_allclose(sigma, sigma_np, rtol=1e-8)


@pytest.mark.parametrize("variance", ["equal", "non-equal"])
def test_estimator_is_the_authors_loop_with_a_zero_diagonal(variance):
    """``CoLiDE.fit`` with its default scale floor = the authors' loop with diag(W) = 0.

    Regression (issue 21): the former default floor, 1e-2 x each node's marginal standard
    deviation, bound on the deep node of this problem and changed the trajectory; the
    default is now a numerical guard that never binds, so the only difference from the
    authors' algorithm is the masked diagonal.
    """
    from sparsestat.dag import CoLiDE

    anchor = _numpy_anchor()
    X = _parity_data("deep")
    W_np, sigma_np, steps_np = anchor.colide_numpy(X, variance=variance, warm_iter=3000,
                                                   max_iter=3000, free_diagonal=False)
    est = CoLiDE(variance=variance, max_iter=3000, max_iter_last=3000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        est.fit(X)
    assert est.n_iter_ == steps_np
    np.testing.assert_array_equal(np.diag(est.coef_), 0.0)
    np.testing.assert_allclose(est.coef_, W_np, atol=1e-8)
    np.testing.assert_allclose(est.sigma_, sigma_np, rtol=1e-8)


def test_objective_is_the_sum_of_its_parts(rng):
    d = 4
    C = _cov(rng, d=d)
    W = 0.2 * rng.standard_normal((d, d))
    np.fill_diagonal(W, 0.0)
    sigma = np.full(d, 0.9)
    pen = np.ones((d, d))
    S, _ = score_and_grad(C, W, sigma, EQUAL_VARIANCE)
    h, _, _ = logdet_acyclicity(W, 0.8)
    expected = 0.1 * (S + 0.05 * np.abs(W).sum()) + h
    assert objective(C, W, sigma, EQUAL_VARIANCE, 0.05, pen, 0.1, 0.8) == pytest.approx(
        expected, rel=1e-10)
    assert STATUS_CONVERGED == 0


@pytest.mark.parametrize("d", [1, 5, 50, 51, 130])
def test_domain_inverse_matches_numpy_on_both_paths(rng, d):
    """Gauss-Jordan up to d = 128, LAPACK above: both give (sI - W o W)^{-T} and the domain."""
    from sparsestat._engine.families._colide import _domain_inverse_t

    scratch = [np.empty(d) for _ in range(4)]
    W = rng.uniform(-1.0, 1.0, (d, d)) / np.sqrt(d)  # W o W has spectral radius < 1
    MT = np.empty((d, d))
    assert _domain_inverse_t(W, 1.0, MT, *scratch)
    np.testing.assert_allclose(MT, np.linalg.inv(np.eye(d) - W * W).T, rtol=1e-10, atol=1e-12)
    if d > 1:
        # a 2-cycle of weight 2: spectral radius of W o W is 4 > s, outside the domain
        W[0, 1] = W[1, 0] = 2.0
        assert not _domain_inverse_t(W, 1.0, MT, *scratch)
