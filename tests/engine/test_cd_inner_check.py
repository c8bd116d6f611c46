"""cd_solve's inner convergence check (issue 23). From a warm start (path alphas): checks
after epochs 1, 2, 3, 4, 6, ... of a small working set, and a working set left on the KKT
ratio only once its epochs cost a share of an outer pass (``INNER_MIN_WORK``); cold
single fits keep the fixed schedule (a check after epochs 1, 11, 21, ...).

Whatever the schedule, convergence is only ever reported from a fresh full gradient: every
fit reported converged has, from scratch, a relative duality gap within ``tol``, and the
reported gap is the one of the returned point (never a stale inner value).
"""

import numpy as np
import pytest
import scipy.sparse as sp

from sparsestat._engine import L1, ElasticNet, Quadratic, alpha_max_l1, solve, solve_path
from sparsestat._engine import _cd


def _wide(n=60, p=600, seed=0, sparse=False):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    X[:, 1:] = 0.6 * X[:, :-1] + 0.8 * X[:, 1:]  # correlated neighbours: real work
    if sparse:
        X = X * (rng.random(X.shape) < 0.2)
    w = np.zeros(p)
    w[rng.choice(p, 10, replace=False)] = rng.uniform(-2, 2, 10)
    y = X @ w + 0.3 * rng.standard_normal(n)
    return (sp.csc_matrix(X) if sparse else np.asfortranarray(X)), y


def _relative_gap(X, y, coef, intercept, alpha, l1_ratio, fit_intercept, positive=False):
    """Duality gap from scratch, relative to ||y - ybar||^2 / n (||y||^2 / n without an
    intercept): the scale of cd_solve's stopping test."""
    n = X.shape[0]
    Xd = X.toarray() if sp.issparse(X) else X
    r = y - Xd @ coef - intercept
    yc = y - y.mean() if fit_intercept else y
    Xc = Xd - Xd.mean(axis=0) if fit_intercept else Xd
    if fit_intercept:
        r = r - r.mean()
    l1, l2 = alpha * l1_ratio, alpha * (1.0 - l1_ratio)
    xtr = Xc.T @ r / n - l2 * coef
    dual_norm = (np.maximum(xtr, 0.0) if positive else np.abs(xtr)).max()
    scale = min(1.0, l1 / max(dual_norm, 1e-300))
    primal = 0.5 * (r @ r) / n + l1 * np.abs(coef).sum() + 0.5 * l2 * coef @ coef
    dual = (scale * (r @ yc) / n - 0.5 * scale ** 2 * (r @ r) / n
            - 0.5 * l2 * scale ** 2 * coef @ coef)
    return (primal - dual) / ((yc @ yc) / n)


CASES = [
    # (sparse, fit_intercept, l1_ratio, positive)
    (False, False, 1.0, False),
    (False, True, 1.0, False),
    (True, False, 1.0, False),
    (True, True, 0.7, False),
    (False, True, 1.0, True),
]


@pytest.mark.parametrize("sparse, fit_intercept, l1_ratio, positive", CASES)
@pytest.mark.parametrize("tol", [1e-4, 1e-8])
@pytest.mark.parametrize("ratio", [5, 100])
def test_every_converged_fit_meets_tol_from_scratch(sparse, fit_intercept, l1_ratio, positive,
                                                    tol, ratio):
    """Small working sets (ws_start=10 of 600 features), cold and warm-started (the
    warm start, a coarser solution, runs the early checks)."""
    X, y = _wide(sparse=sparse)
    alpha = alpha_max_l1(X, y, fit_intercept=fit_intercept) / ratio
    pen = L1(alpha) if l1_ratio == 1.0 else ElasticNet(alpha, l1_ratio)
    res = solve(X, y, Quadratic(), pen, fit_intercept=fit_intercept, tol=tol,
                max_iter=100000, ws_start=10, lower=0.0 if positive else None)
    assert res.converged and res.solver == "cd"
    gap = _relative_gap(X, y, res.coef, res.intercept, alpha, l1_ratio, fit_intercept,
                        positive)
    assert gap <= tol * (1 + 1e-6) + 1e-13, gap
    coarse = solve(X, y, Quadratic(), pen, fit_intercept=fit_intercept, tol=1e-2,
                   max_iter=100000, ws_start=10, lower=0.0 if positive else None)
    warm = solve(X, y, Quadratic(), pen, fit_intercept=fit_intercept, tol=tol,
                 max_iter=100000, ws_start=10, lower=0.0 if positive else None,
                 coef_init=coarse.coef.copy(), intercept_init=coarse.intercept)
    assert warm.converged
    gap = _relative_gap(X, y, warm.coef, warm.intercept, alpha, l1_ratio, fit_intercept,
                        positive)
    assert gap <= tol * (1 + 1e-6) + 1e-13, gap


@pytest.mark.parametrize("sparse", [False, True])
def test_no_budget_reports_convergence_on_a_stale_gap(sparse):
    """Budgets of 1, 2, ... epochs stop at every point of the check schedule: a fit
    reported converged meets tol from scratch, and the reported gap is that of the
    returned point (a stale inner gap would differ from it)."""
    X, y = _wide(sparse=sparse, seed=3)
    alpha = alpha_max_l1(X, y, fit_intercept=False) / 50
    tol = 1e-7
    n_converged = 0
    budgets = list(range(1, 25)) + list(range(25, 260, 7))
    for budget in budgets:
        res = solve(X, y, Quadratic(), L1(alpha), fit_intercept=False, tol=tol,
                    max_iter=budget, ws_start=10)
        gap = _relative_gap(X, y, res.coef, 0.0, alpha, 1.0, False)
        # (stop_crit is the absolute gap, scikit-learn's dual_gap_)
        assert res.stop_crit == pytest.approx(gap * (y @ y) / len(y), rel=1e-6, abs=1e-13), \
            budget
        if res.converged:
            n_converged += 1
            assert gap <= tol * (1 + 1e-6), budget
        else:
            assert gap > tol * (1 - 1e-6), budget
    assert 0 < n_converged < len(budgets) - 5  # both sides were exercised


@pytest.mark.parametrize("sparse", [False, True])
def test_path_alphas_solved_and_inner_loops_stop_between_the_old_checks(sparse):
    """Every alpha of a warm-started path meets tol from scratch; and some working set
    stopped after 2-10 epochs. The old schedule (a check after epoch 1, then every 10)
    made every working set run 1, 11, 21, ... epochs, so an alpha's epochs were then
    congruent modulo 10 to its working-set count (objective records - 1)."""
    X, y = _wide(p=1000, sparse=sparse, seed=1)
    amax = alpha_max_l1(X, y, fit_intercept=True)
    alphas = np.geomspace(amax, amax / 100, 20)
    tol = 1e-6
    path = solve_path(X, y, Quadratic(), L1(1.0), alphas, tol=tol, ws_start=10)
    off_schedule = 0
    for alpha, res in zip(alphas, path):
        assert res.converged and res.solver == "cd"
        gap = _relative_gap(X, y, res.coef, res.intercept, alpha, 1.0, True)
        assert gap <= tol * (1 + 1e-6) + 1e-13, gap
        n_ws = len(res.objective) - 1
        if n_ws > 0 and (res.n_iter - n_ws) % 10 != 0:
            off_schedule += 1
    assert off_schedule >= 3


def test_constants_of_the_schedule():
    assert _cd.INNER_CHECK_EVERY == 10 and 0 < _cd.INNER_MIN_WORK < 1
    assert _cd.INNER_CHEAP_CHECK > 1
