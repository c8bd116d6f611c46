"""Proximal Newton: tight tolerances on ill-conditioned problems, Cox's exact Hessian, the
gradient carried from one solve (or outer iteration) to the next."""

import numpy as np
import pytest
import scipy.sparse as sp

from sparsestat._engine import (
    L1, Cox, ElasticNet, Logistic, Poisson, alpha_max_l1, solve, solve_path,
)
from sparsestat._engine._cox import (cox_derivatives, cox_event_groups, cox_newton_parts,
                                     cox_struct)
from sparsestat._engine._prox_newton import carry_buffers, prox_newton_carry, prox_newton_solve


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


# ------------------------------------------------ gradient reuse (issue 23, logistic speed)
def _logistic_problem(sparse, seed=3, n=150, p=400):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    if sparse:
        X = sp.csc_matrix(X * (rng.random((n, p)) < 0.05))
    w = np.zeros(p)
    w[:10] = rng.uniform(-2, 2, 10)
    s = np.asarray(X @ w).ravel()
    y = np.where(s + rng.logistic(size=n) > 0, 1.0, -1.0)
    return X, y


def _logistic_kkt(X, y, coef, alpha):
    """Largest KKT violation of L1 logistic regression without intercept, from scratch."""
    raw = Logistic().raw_gradient(y, np.asarray(X @ coef).ravel())
    return L1(alpha).subdiff_distance(coef, np.asarray(X.T @ raw).ravel() / X.shape[0]).max()


def _kernel_args(X, y, alpha):
    from sparsestat._engine.solvers import _Problem

    pr = _Problem(X, y, Logistic(), L1(alpha), None, False, None, None, None, "prox_newton")
    pen = L1(alpha)
    return (*pr.design, pr.y, pr.sw, pr.offset, pr.datafit.code, pr.dparams, pr.dstruct,
            pen.code, pen.params_array(), pen.struct_array(), pr.pf, pr.lower, pr.upper)


@pytest.mark.parametrize("sparse", [False, True])
def test_carried_gradient_is_the_gradient_at_the_returned_coefficients(sparse):
    # the outer pass skips the working set's columns (their gradient comes from the last
    # Newton step) and a path skips the first pass of every alpha: the gradient handed
    # on must be the exact one at the returned w, else a later alpha is certified (or
    # its working set chosen) on stale values
    X, y = _logistic_problem(sparse)
    alpha = 0.3 * alpha_max_l1(X, y, datafit=Logistic(), fit_intercept=False)
    args = _kernel_args(X, y, alpha)
    w = np.zeros(X.shape[1])
    grad, valid = carry_buffers(X.shape[1])
    b, n_iter, crit, converged, _ = prox_newton_carry(*args, w, 0.0, False, 1000, 1e-10, 10,
                                                      grad, valid)
    assert converged and n_iter > 2 and valid[0] == 1
    raw = Logistic().raw_gradient(y, np.asarray(X @ w).ravel())
    np.testing.assert_allclose(grad, np.asarray(X.T @ raw).ravel() / X.shape[0],
                               rtol=0, atol=1e-13)
    assert _logistic_kkt(X, y, w, alpha) <= 1e-10
    assert abs(crit - _logistic_kkt(X, y, w, alpha)) <= 1e-13

    # carried into a solve at a smaller alpha: the same steps as a solve that recomputes
    # the gradient (the first pass and the screened columns are all it saves)
    alpha2 = 0.5 * alpha
    args2 = _kernel_args(X, y, alpha2)
    w_fresh, w_carry = w.copy(), w.copy()
    fresh = prox_newton_solve(*args2, w_fresh, 0.0, False, 1000, 1e-10, 10)
    carried = prox_newton_carry(*args2, w_carry, 0.0, False, 1000, 1e-10, 10, grad, valid)
    assert carried[1] == fresh[1] and carried[3] and fresh[3]
    np.testing.assert_allclose(w_carry, w_fresh, rtol=0, atol=1e-12)
    assert _logistic_kkt(X, y, w_carry, alpha2) <= 1e-10


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("tol", [1e-4, 1e-9])
def test_logistic_path_certifies_every_alpha_from_scratch(sparse, tol):
    # every alpha of a path that reuses the previous alpha's gradient meets tol by a KKT
    # violation computed here from scratch, and equals a cold one-alpha solve (the
    # reference at tol 1e-12) to the accuracy the tolerance implies
    X, y = _logistic_problem(sparse)
    amax = alpha_max_l1(X, y, datafit=Logistic(), fit_intercept=False)
    alphas = np.geomspace(amax, amax / 50, 20)
    path = solve_path(X, y, Logistic(), L1(1.0), alphas, fit_intercept=False, tol=tol)
    not_optimal_at_start = 0
    for k, (res, alpha) in enumerate(zip(path, alphas)):
        assert res.converged and res.stop_crit <= tol
        assert _logistic_kkt(X, y, res.coef, alpha) <= tol * (1 + 1e-9)
        if k and _logistic_kkt(X, y, path[k - 1].coef, alpha) > tol:
            not_optimal_at_start += 1
        if k % 5 == 4:
            ref = solve(X, y, Logistic(), L1(alpha), fit_intercept=False, tol=1e-12)
            obj = [np.logaddexp(0, -y * np.asarray(X @ c).ravel()).mean()
                   + alpha * np.abs(c).sum() for c in (res.coef, ref.coef)]
            # convexity: F(w) - F* <= tol ||w - w*||_1 for a KKT violation <= tol
            bound = tol * (np.abs(res.coef).sum() + np.abs(ref.coef).sum())
            assert obj[0] - obj[1] <= bound * (1 + 1e-6) + 1e-13
    assert not_optimal_at_start >= 10  # the warm starts were not already solutions


@pytest.mark.parametrize("penalty", ["l1", "enet"])
def test_sparse_design_gives_the_dense_solution(penalty):
    # a sparse design's model CD reads h_i x_ij from a per-Newton-step copy of the working
    # set's columns (_weighted_columns); the dense branch reads h and X: the same steps
    X, y = _logistic_problem(True, seed=5)
    alpha = 0.1 * alpha_max_l1(X, y, datafit=Logistic(), fit_intercept=False)
    pen = L1(alpha) if penalty == "l1" else ElasticNet(alpha, 0.5)
    got = solve(X, y, Logistic(), pen, fit_intercept=True, tol=1e-10, solver="prox_newton")
    want = solve(np.asfortranarray(X.toarray()), y, Logistic(), pen, fit_intercept=True,
                 tol=1e-10, solver="prox_newton")
    assert got.converged and want.converged and np.count_nonzero(got.coef) > 5
    np.testing.assert_allclose(got.coef, want.coef, rtol=0, atol=1e-8)
    assert abs(got.intercept - want.intercept) <= 1e-8
