"""Whole paths in one compiled call (``_engine/_path.py``, issue 23 item 1).

The path kernels must give what one solve per alpha gave (warm-started in turn), solve
every alpha to the requested tolerance (no alpha skipped or left at its warm start when
it is not optimal), continue an alpha that needs more than one call's epochs exactly as
a one-alpha solve does, and split between alphas without changing a bit.
"""

import numpy as np
import pytest
import scipy.sparse as sp

from sparsestat._engine import (
    L1, MCP, ElasticNet, Logistic, Quadratic, alpha_max_l1, solve, solve_path,
)
from sparsestat._engine import _cd, _gram_cd, _interrupt


def _problem(n=80, p=120, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    X[:, 1:] = 0.6 * X[:, :-1] + 0.8 * X[:, 1:]  # correlated neighbours: real work
    w = np.zeros(p)
    w[:8] = rng.uniform(-2, 2, 8)
    return np.asfortranarray(X), X @ w + 0.5 * rng.standard_normal(n)


def _cases():
    X, y = _problem()
    mask = np.random.default_rng(1).random(X.shape) < 0.3
    Xs = sp.csc_matrix(X * mask)
    tall, y_tall = _problem(300, 40)
    return {
        "cd dense lasso": (X, y, Quadratic(), L1(1.0), {}),
        "cd sparse lasso": (Xs, y, Quadratic(), L1(1.0), {}),
        "cd enet positive": (X, y, Quadratic(), ElasticNet(1.0, 0.5), {"lower": 0.0}),
        "cd no intercept": (X, y, Quadratic(), L1(1.0), {"fit_intercept": False}),
        "cd mcp": (X, y, Quadratic(), MCP(1.0, 3.0), {}),
        "gram enet": (tall, y_tall, Quadratic(), ElasticNet(1.0, 0.7), {}),
        "prox newton logistic": (X, np.where(y > 0, 1.0, -1.0), Logistic(), L1(1.0), {}),
    }


@pytest.mark.parametrize("case", ["cd enet positive", "gram enet"])
def test_path_equals_the_specialized_solves(case):
    """Against the Lasso / elastic-net copies a fit from Python runs: the same optimum."""
    X, y, datafit, penalty, kwargs = _cases()[case]
    alphas = _grid(X, y, datafit)
    path = solve_path(X, y, datafit, penalty, alphas, tol=1e-10, **kwargs)
    ref = _one_solve_per_alpha(X, y, datafit, penalty, alphas, 1e-10, kwargs)
    for got, want in zip(path, ref):
        assert got.converged and want.converged
        # a gap <= 1e-10 * mean(y^2) bounds the coefficients' distance to the optimum
        np.testing.assert_allclose(got.coef, want.coef, rtol=0, atol=1e-5, err_msg=case)


def _grid(X, y, datafit, n_alphas=25, eps=1e-3):
    amax = alpha_max_l1(X, y, datafit=datafit)
    return np.geomspace(amax, amax * eps, n_alphas)


def _one_solve_per_alpha(X, y, datafit, penalty, alphas, tol, kwargs):
    """The path as it was: one solve per alpha, warm-started at the previous one."""
    out, w, b = [], None, 0.0
    for alpha in alphas:
        res = solve(X, y, datafit, penalty.with_alpha(alpha), coef_init=w, intercept_init=b,
                    tol=tol, **kwargs)
        w, b = res.coef, res.intercept
        out.append(res)
    return out


@pytest.mark.parametrize("case", list(_cases()))
def test_path_kernel_equals_one_solve_per_alpha(case, monkeypatch):
    X, y, datafit, penalty, kwargs = _cases()[case]
    alphas = _grid(X, y, datafit)
    tol = 1e-8
    path = solve_path(X, y, datafit, penalty, alphas, tol=tol, **kwargs)
    # A path kernel calls the generic cd_solve / gram_cd_solve from compiled code, where a
    # one-alpha quadratic elastic-net solve from Python runs their specialized copy
    # (_numba.jit(specialize=...)): the same arithmetic compiled twice, equal only to
    # rounding. The reference here runs the generic kernels, so the comparison is exact;
    # test_path_equals_the_specialized_solves compares with the copies at the tolerance.
    for kernel in (_cd.cd_solve, _gram_cd.gram_cd_solve):
        monkeypatch.setattr(kernel, "_specialize_values", -1 if np.ndim(
            kernel._specialize_values) == 0 else (-1,) * len(kernel._specialize_values))
    ref = _one_solve_per_alpha(X, y, datafit, penalty, alphas, tol, kwargs)
    monkeypatch.undo()
    assert len(path) == len(alphas)
    for a, (got, want) in enumerate(zip(path, ref)):
        assert got.solver == want.solver
        # (the sparse case leaves a few small alphas unconverged at 1000 epochs, both ways)
        assert got.converged == want.converged, (case, a)
        np.testing.assert_allclose(got.coef, want.coef, rtol=0, atol=1e-9, err_msg=case)
        assert abs(got.intercept - want.intercept) <= 1e-9, (case, a)
        # one solve per alpha at most repeats the first gradient pass; the same work
        assert got.n_iter == want.n_iter, (case, a)
        assert got.stop_crit <= max(want.stop_crit, 1e-300) * (1 + 1e-6) + 1e-15
    # the coefficients are the results' own (not one buffer shared by every alpha)
    assert not np.shares_memory(path[0].coef, path[-1].coef)
    path[0].coef[:] = 123.0
    assert not np.any(path[1].coef == 123.0)


def _relative_lasso_gap(X, y, coef, intercept, alpha, l1_ratio=1.0):
    """scikit-learn's duality gap of the (elastic-net) problem with an intercept,
    relative to ||y - ybar||^2 / n, computed from scratch."""
    n = X.shape[0]
    Xd = X.toarray() if sp.issparse(X) else X
    r = y - Xd @ coef - intercept
    r = r - r.mean()  # the optimal intercept for this coef
    l1, l2 = alpha * l1_ratio, alpha * (1.0 - l1_ratio)
    xtr = (Xd - Xd.mean(axis=0)).T @ r / n - l2 * coef
    scale = min(1.0, l1 / max(np.abs(xtr).max(), 1e-300))
    yc = y - y.mean()
    primal = 0.5 * (r @ r) / n + l1 * np.abs(coef).sum() + 0.5 * l2 * coef @ coef
    dual = (scale * (r @ yc) / n - 0.5 * scale ** 2 * (r @ r) / n
            - 0.5 * l2 * scale ** 2 * coef @ coef)
    return (primal - dual) / ((yc @ yc) / n)


@pytest.mark.parametrize("case", ["cd dense lasso", "cd sparse lasso", "gram enet"])
@pytest.mark.parametrize("tol", [1e-4, 1e-9])
def test_every_alpha_is_solved_to_the_tolerance(case, tol):
    """The gap at every alpha, computed here from scratch, meets tol: an alpha returned
    at its warm start (skipped) or solved against another alpha's penalty fails."""
    X, y, datafit, penalty, kwargs = _cases()[case]
    alphas = _grid(X, y, datafit, n_alphas=40, eps=1e-2)
    l1_ratio = getattr(penalty, "l1_ratio", 1.0)
    path = solve_path(X, y, datafit, penalty, alphas, tol=tol, **kwargs)
    warm_gaps = []
    for k, (alpha, res) in enumerate(zip(alphas, path)):
        assert res.converged, k
        gap = _relative_lasso_gap(X, y, res.coef, res.intercept, alpha, l1_ratio)
        assert gap <= tol * (1 + 1e-6) + 1e-13, (k, gap)
        if k:  # the previous alpha's solution, as a warm start left unchanged would be
            prev = path[k - 1]
            warm_gaps.append(_relative_lasso_gap(X, y, prev.coef, prev.intercept, alpha,
                                                 l1_ratio))
    # the check has teeth: many warm starts are not optimal at this tol
    assert sum(g > tol for g in warm_gaps) >= (10 if tol < 1e-6 else 3)


def test_an_alpha_longer_than_one_call_continues_as_a_one_alpha_solve(monkeypatch):
    """Budgets of 3 epochs (Newton steps): most alphas go on in Python after the kernel
    returns, and the path still equals one solve per alpha under the same budgets."""
    monkeypatch.setattr(_interrupt, "FIRST_CHUNK", 3)
    monkeypatch.setattr(_interrupt, "MIN_CHUNK", 3)
    for case in ("cd dense lasso", "gram enet", "prox newton logistic"):
        X, y, datafit, penalty, kwargs = _cases()[case]
        alphas = _grid(X, y, datafit, n_alphas=15)
        path = solve_path(X, y, datafit, penalty, alphas, tol=1e-10, **kwargs)
        ref = _one_solve_per_alpha(X, y, datafit, penalty, alphas, 1e-10, kwargs)
        assert max(r.n_iter for r in path) > 3, case
        for got, want in zip(path, ref):
            np.testing.assert_allclose(got.coef, want.coef, rtol=0, atol=1e-9)
            assert got.n_iter == want.n_iter and got.converged == want.converged
            assert len(got.objective) == len(want.objective)


def test_splitting_between_alphas_changes_nothing(monkeypatch):
    """One alpha per kernel call (what Ctrl-C needs on a long path) is bitwise the
    single call: everything the next alpha needs travels in the arguments."""
    count = [0]
    inner = _interrupt.reraise_interrupt

    def counting(call, *args, **kwargs):
        count[0] += 1
        return inner(call, *args, **kwargs)

    monkeypatch.setattr(_interrupt, "reraise_interrupt", counting)
    for case in ("cd sparse lasso", "gram enet", "prox newton logistic"):
        X, y, datafit, penalty, kwargs = _cases()[case]
        alphas = _grid(X, y, datafit, n_alphas=12)
        count[0] = 0
        one = solve_path(X, y, datafit, penalty, alphas, tol=1e-9, **kwargs)
        n_one = count[0]
        with monkeypatch.context() as m:
            m.setattr(_interrupt, "PROBE_WORK", 1.0)
            m.setattr(_interrupt, "CHUNK_SECONDS", 0.0)
            count[0] = 0
            split = solve_path(X, y, datafit, penalty, alphas, tol=1e-9, **kwargs)
        assert count[0] > n_one >= 1, case
        for a, b in zip(one, split):
            np.testing.assert_array_equal(a.coef, b.coef)
            assert a.intercept == b.intercept and a.n_iter == b.n_iter
            np.testing.assert_array_equal(a.objective, b.objective)


def test_path_in_extreme_units_and_fista_fallback():
    """A target of 1e200 (solved in units of a power of two) and a non-separable
    penalty (FISTA, one solve per alpha) still give one result per alpha."""
    from sparsestat._engine import SLOPE

    X, y = _problem(40, 30)
    alphas = _grid(X, y, Quadratic(), n_alphas=5)
    small = solve_path(X, y, Quadratic(), L1(1.0), alphas, tol=1e-10)
    big = solve_path(X, y * 1e200, Quadratic(), L1(1.0), alphas * 1e200, tol=1e-10)
    for a, b in zip(small, big):
        np.testing.assert_allclose(b.coef / 1e200, a.coef, rtol=1e-6, atol=1e-9)
    slope = solve_path(X, y, Quadratic(), SLOPE(alpha=1.0, weights=np.linspace(1.0, 0.5, 30)),
                       [0.5, 0.1])
    assert [r.solver for r in slope] == ["fista", "fista"]


# ------------------------------------------------ ws_gram_path (the CV folds' solver)
_WS_GRAM_CASES = {
    "lasso": (L1(1.0), {}),
    "enet": (ElasticNet(1.0, 0.5), {}),
    "enet positive": (ElasticNet(1.0, 0.7), {"lower": 0.0}),
    "lasso no intercept": (L1(1.0), {"fit_intercept": False}),
    "lasso unpenalized feature": (L1(1.0), {"penalty_factor": np.r_[0.0, np.ones(119)]}),
}


@pytest.mark.parametrize("case", ["lasso", "enet"])
@pytest.mark.parametrize("tol", [1e-4, 1e-9])
def test_ws_gram_path_solves_every_alpha_to_the_tolerance(case, tol):
    """Working-set CD on cached Gram rows: every alpha's gap, computed here from scratch,
    meets tol (and many warm starts do not: no alpha is skipped)."""
    penalty, kwargs = _WS_GRAM_CASES[case]
    X, y = _problem()
    alphas = _grid(X, y, Quadratic(), n_alphas=40, eps=1e-2)
    l1_ratio = getattr(penalty, "l1_ratio", 1.0)
    path = solve_path(X, y, Quadratic(), penalty, alphas, tol=tol, ws_gram=True, **kwargs)
    assert all(res.solver == "gram" for res in path)  # the ws_gram kernel ran
    warm_gaps = []
    for k, (alpha, res) in enumerate(zip(alphas, path)):
        assert res.converged, k
        gap = _relative_lasso_gap(X, y, res.coef, res.intercept, alpha, l1_ratio)
        assert gap <= tol * (1 + 1e-6) + 1e-13, (k, gap)
        if k:
            prev = path[k - 1]
            warm_gaps.append(_relative_lasso_gap(X, y, prev.coef, prev.intercept, alpha,
                                                 l1_ratio))
    assert sum(g > tol for g in warm_gaps) >= (10 if tol < 1e-6 else 3)


@pytest.mark.parametrize("case", list(_WS_GRAM_CASES))
def test_ws_gram_path_finds_the_coordinate_descent_optimum(case):
    """At a tight tol the Gram working-set path and CD on X reach the same optimum at
    every alpha (the duality gap bounds the distance; the working sets differ)."""
    penalty, kwargs = _WS_GRAM_CASES[case]
    X, y = _problem()
    alphas = _grid(X, y, Quadratic(), n_alphas=25)
    got = solve_path(X, y, Quadratic(), penalty, alphas, tol=1e-10, ws_gram=True, **kwargs)
    want = solve_path(X, y, Quadratic(), penalty, alphas, tol=1e-10, **kwargs)
    assert [r.solver for r in want] == ["cd"] * len(alphas)
    for k, (a, b) in enumerate(zip(got, want)):
        assert a.converged and b.converged
        # ours is within its reported gap of the CD optimum's objective, and close to it
        # (an unpenalized feature makes the optimum flat: 1e-5 there, and its part of
        # the gap, _gap.unpenalized_slack, is a one-coordinate-step estimate, not a
        # bound: twice the gap there)
        slack = 2.0 if "penalty_factor" in kwargs else 1.0
        assert _objective(X, y, a, alphas[k], penalty, kwargs) <= \
            _objective(X, y, b, alphas[k], penalty, kwargs) + slack * a.stop_crit + 1e-12
        np.testing.assert_allclose(a.coef, b.coef, rtol=0, atol=1e-4, err_msg=f"{case} {k}")
        np.testing.assert_allclose(a.intercept, b.intercept, rtol=0, atol=1e-4)
        assert a.solver == "gram"
        if kwargs.get("lower") == 0.0:
            assert a.coef.min() >= 0.0


def _objective(X, y, res, alpha, penalty, kwargs):
    pf = kwargs.get("penalty_factor", np.ones(X.shape[1]))
    l1 = getattr(penalty, "l1_ratio", 1.0)
    r = y - X @ res.coef - res.intercept
    return (0.5 * r @ r / len(y) + alpha * l1 * (pf * np.abs(res.coef)).sum()
            + 0.5 * alpha * (1 - l1) * (pf * res.coef ** 2).sum())


def test_ws_gram_path_is_only_taken_where_it_applies():
    """Sparse designs, sample weights, random selection and MCP keep their solver."""
    X, y = _problem()
    alphas = _grid(X, y, Quadratic(), n_alphas=5)
    sw = np.random.default_rng(0).uniform(0.5, 2.0, X.shape[0])
    runs = {
        "sparse": solve_path(sp.csc_matrix(X), y, Quadratic(), L1(1.0), alphas,
                             ws_gram=True),
        "weights": solve_path(X, y, Quadratic(), L1(1.0), alphas, sample_weight=sw,
                              ws_gram=True),
        "random": solve_path(X, y, Quadratic(), L1(1.0), alphas, random_seed=0,
                             ws_gram=True),
        "mcp": solve_path(X, y, Quadratic(), MCP(1.0, 3.0), alphas, ws_gram=True),
        "off": solve_path(X, y, Quadratic(), L1(1.0), alphas),
    }
    for name, path in runs.items():
        assert [r.solver for r in path] == ["cd"] * len(alphas), name


def test_ws_gram_path_in_extreme_units_and_budget():
    """y * 1e200 (the target scaling of solve_path) and a budget too small to converge:
    a ConvergenceWarning-worthy alpha is reported unconverged and the path goes on."""
    X, y = _problem(40, 30)  # n > p: one optimum, which both units must find
    alphas = _grid(X, y, Quadratic(), n_alphas=10)
    ref = solve_path(X, y, Quadratic(), L1(1.0), alphas, tol=1e-10, ws_gram=True)
    big = solve_path(X, y * 1e200, Quadratic(), L1(1.0), alphas * 1e200, tol=1e-10,
                     ws_gram=True)
    for a, b in zip(ref, big):
        assert b.converged
        np.testing.assert_allclose(b.coef / 1e200, a.coef, rtol=1e-6, atol=1e-9)
    X, y = _problem()
    short = solve_path(X, y, Quadratic(), L1(1.0), alphas, tol=1e-12, max_iter=2,
                       ws_gram=True)
    assert not all(r.converged for r in short)
    assert all(r.n_iter <= 2 for r in short)
    assert short[-1].n_iter >= 1  # the last alphas were still visited
