"""Tall dense quadratic problems: "auto" solves working sets on Gram blocks and switches to
the full Gram matrix when the working set outgrows ``gram_switch_size`` (issue 23)."""

import numpy as np
import pytest

from sparsestat._engine import L1, ElasticNet, Quadratic, alpha_max_l1, solve, solve_path
from sparsestat._engine import solvers
from sparsestat._engine._gram_cd import WorkingSetGram
from sparsestat._engine.solvers import gram_switch_size


def _tall(n=300, p=100, n_true=5, seed=0):
    rng = np.random.default_rng(seed)
    X = np.asfortranarray(rng.standard_normal((n, p)))
    y = X[:, :n_true] @ rng.standard_normal(n_true) + 0.5 * rng.standard_normal(n)
    return X, y


def test_switch_size_rule():
    assert gram_switch_size(20000, 500) == 125
    # not tall, or a Gram matrix too large: never
    assert gram_switch_size(500, 500) == 501
    assert gram_switch_size(10 ** 6, 6000) == 6001


def _count_full_grams(monkeypatch):
    """Count the full Gram matrices "auto" forms (``solvers._weighted_gram`` calls)."""
    calls = []
    original = solvers._weighted_gram

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(solvers, "_weighted_gram", counting)
    return calls


def _relative_gap(X, y, coef, intercept, alpha, sw=None):
    """Lasso duality gap over ||y - ybar||^2 / n, from scratch (numpy)."""
    n = X.shape[0]
    sw = np.ones(n) if sw is None else sw
    r = y - X @ coef - intercept
    xtr = X.T @ (sw * r) / n
    scale = min(1.0, alpha / np.abs(xtr).max())
    primal = 0.5 * (sw @ r ** 2) / n + alpha * np.abs(coef).sum()
    dual = scale * (sw @ (r * y)) / n - 0.5 * scale ** 2 * (sw @ r ** 2) / n
    yc = y - (sw @ y) / sw.sum() if intercept != 0.0 else y
    return (primal - dual) / ((sw @ yc ** 2) / n)


@pytest.mark.parametrize("fit_intercept", [False, True])
def test_small_support_solves_on_working_set_blocks(fit_intercept, monkeypatch):
    # the old rule formed the full Gram matrix for every tall dense problem; the working
    # set's Gram block is enough here, and CD's constants pass over X is never needed
    X, y = _tall()
    alpha = alpha_max_l1(X, y, fit_intercept=fit_intercept) / 5
    gram = solve(X, y, Quadratic(), L1(alpha), fit_intercept=fit_intercept, tol=1e-10,
                 solver="gram")
    calls = _count_full_grams(monkeypatch)
    monkeypatch.setattr(solvers, "coordinate_constants", None)
    auto = solve(X, y, Quadratic(), L1(alpha), fit_intercept=fit_intercept, tol=1e-10,
                 ws_start=10)
    assert calls == []
    assert auto.solver == "gram" and auto.converged
    assert 0 < np.count_nonzero(auto.coef) <= 12
    np.testing.assert_allclose(auto.coef, gram.coef, atol=1e-7)
    assert auto.intercept == pytest.approx(gram.intercept, abs=1e-7)
    assert auto.max_correlation == pytest.approx(gram.max_correlation)


@pytest.mark.parametrize("fit_intercept", [False, True])
def test_working_set_gram_meets_the_tolerance(fit_intercept):
    # the restricted problem's gap is the full one only when no feature outside the
    # working set violates its constraint: the full gap, recomputed, meets tol
    X, y = _tall(n=400, p=120, n_true=8, seed=3)
    sw = np.random.default_rng(2).uniform(0.5, 2.0, X.shape[0])
    for weights in (None, sw):
        alpha = alpha_max_l1(X, y, sample_weight=weights, fit_intercept=fit_intercept) / 20
        for tol in (1e-4, 1e-8):
            res = solve(X, y, Quadratic(), L1(alpha), sample_weight=weights,
                        fit_intercept=fit_intercept, tol=tol, ws_start=10)
            assert res.solver == "gram" and res.converged
            assert np.count_nonzero(res.coef) < gram_switch_size(*X.shape) // 2
            gap = _relative_gap(X, y, res.coef, res.intercept, alpha, weights)
            assert gap <= tol * (1 + 1e-6)


def test_working_set_gram_options_match_cd():
    # elastic net, positivity, penalty factors with an unpenalized feature, weights
    X, y = _tall(n=400, p=120, n_true=8, seed=4)
    sw = np.random.default_rng(5).uniform(0.5, 2.0, X.shape[0])
    pf = np.ones(X.shape[1])
    pf[[7, 50]] = 0.0, 3.0
    alpha = alpha_max_l1(X, y, sample_weight=sw, penalty_factor=pf) / 10
    for pen, lower in ((ElasticNet(alpha, l1_ratio=0.7), None), (L1(alpha), 0.0)):
        kw = dict(sample_weight=sw, penalty_factor=pf, lower=lower, tol=1e-10, ws_start=10)
        auto = solve(X, y, Quadratic(), pen, **kw)
        cd = solve(X, y, Quadratic(), pen, solver="cd", **kw)
        assert auto.solver == "gram" and auto.converged and cd.converged
        # the unpenalized feature is in every working set (negative: 0 with positivity)
        assert auto.coef[7] < 0.0 if lower is None else np.all(auto.coef >= 0.0)
        np.testing.assert_allclose(auto.coef, cd.coef, atol=1e-6)
        assert auto.intercept == pytest.approx(cd.intercept, abs=1e-6)


def test_working_set_gram_out_of_budget_reports_the_full_gap():
    X, y = _tall(n=400, p=120, n_true=30, seed=6)
    alpha = alpha_max_l1(X, y, fit_intercept=False) / 50
    res = solve(X, y, Quadratic(), L1(alpha), fit_intercept=False, tol=1e-12, ws_start=10,
                max_iter=2, anderson=False)
    assert res.solver == "gram" and not res.converged and res.n_iter == 2
    gap = _relative_gap(X, y, res.coef, 0.0, alpha)
    assert res.stop_crit / (y @ y / X.shape[0]) == pytest.approx(gap, rel=1e-6)


@pytest.mark.parametrize("fit_intercept", [False, True])
def test_large_support_switches_to_gram(fit_intercept, monkeypatch):
    X, y = _tall()
    calls = _count_full_grams(monkeypatch)
    alpha = alpha_max_l1(X, y, fit_intercept=fit_intercept) / 1000
    sw = np.random.default_rng(1).uniform(0.5, 1.5, X.shape[0])
    for weights in (None, sw):
        auto = solve(X, y, Quadratic(), ElasticNet(alpha, l1_ratio=0.9), sample_weight=weights,
                     fit_intercept=fit_intercept, tol=1e-10, ws_start=10)
        cd = solve(X, y, Quadratic(), ElasticNet(alpha, l1_ratio=0.9), sample_weight=weights,
                   fit_intercept=fit_intercept, tol=1e-10, ws_start=10, solver="cd")
        assert auto.solver == "gram" and auto.converged and cd.converged
        assert np.count_nonzero(auto.coef) > gram_switch_size(*X.shape) // 2
        np.testing.assert_allclose(auto.coef, cd.coef, atol=1e-6)
        assert auto.intercept == pytest.approx(cd.intercept, abs=1e-6)
        # the Gram solver holds X^T y: alpha_max comes with the result
        assert auto.max_correlation is not None
    assert len(calls) == 2  # once per fit: the working set's blocks are not kept


def test_small_p_forms_the_gram_from_the_start():
    # even the first working set (ws_start=100 features) exceeds p / 4
    X, y = _tall(n=400, p=60)
    alpha = alpha_max_l1(X, y) / 10
    auto = solve(X, y, Quadratic(), L1(alpha), tol=1e-8)
    gram = solve(X, y, Quadratic(), L1(alpha), tol=1e-8, solver="gram")
    assert auto.solver == "gram"
    assert auto.n_iter == gram.n_iter
    np.testing.assert_array_equal(auto.coef, gram.coef)


def test_path_forms_the_gram_once_and_keeps_it():
    X, y = _tall()
    amax = alpha_max_l1(X, y)
    alphas = np.geomspace(amax, amax / 1000, 12)
    auto = solve_path(X, y, Quadratic(), L1(1.0), alphas, tol=1e-10, ws_start=10)
    gram = solve_path(X, y, Quadratic(), L1(1.0), alphas, tol=1e-10, solver="gram")
    solvers = [r.solver for r in auto]
    assert solvers[0] == "cd" and solvers[-1] == "gram"
    first = solvers.index("gram")
    assert all(s == "gram" for s in solvers[first:])
    for a, g in zip(auto, gram):
        assert a.converged
        np.testing.assert_allclose(a.coef, g.coef, atol=1e-6)


def test_growing_working_sets_never_run_cd_on_x(monkeypatch):
    # 10000 x 2000 at alpha_max/1000 (issue 23) reached p / 4 only at the fourth working
    # set, after CD epochs on X over each: the blocks of the growing sets replace them,
    # and the full Gram matrix is formed once, at the switch
    X, y = _tall(n=1200, p=200, n_true=60, seed=7)
    alpha = alpha_max_l1(X, y) / 1000
    cd = solve(X, y, Quadratic(), L1(alpha), tol=1e-10, ws_start=5, solver="cd")
    calls = _count_full_grams(monkeypatch)
    monkeypatch.setattr(solvers, "cd_solve", None)
    monkeypatch.setattr(solvers, "coordinate_constants", None)
    auto = solve(X, y, Quadratic(), L1(alpha), tol=1e-10, ws_start=5)
    assert auto.solver == "gram" and auto.converged and cd.converged
    assert len(calls) == 1
    assert np.count_nonzero(auto.coef) > gram_switch_size(*X.shape)
    np.testing.assert_allclose(auto.coef, cd.coef, atol=1e-6)
    assert auto.intercept == pytest.approx(cd.intercept, abs=1e-6)


def _mid_shape(seed=8, n_true=10):
    # p / 4 = 100 = ws_start: the first working set alone can reach the switch
    return _tall(n=4000, p=400, n_true=n_true, seed=seed)


def _count_calls(monkeypatch, cls, name):
    calls = []
    original = getattr(cls, name)

    def counting(self, *args, **kwargs):
        calls.append(args)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(cls, name, counting)
    return calls


def test_large_support_meets_the_tighter_gram_tolerance(monkeypatch):
    # a large support (alpha_max/1000, noise): the working sets outgrow p / 4 and the
    # full Gram matrix is formed once per fit; its phase stops at GRAM_TOL_SHARE * tol
    X, y = _mid_shape()
    X0 = X.copy()
    alpha = alpha_max_l1(X, y, fit_intercept=False) / 1000
    gram = solve(X, y, Quadratic(), L1(alpha), fit_intercept=False, tol=1e-10,
                 solver="gram")
    calls = _count_full_grams(monkeypatch)
    for tol in (1e-6, 1e-10):
        auto = solve(X, y, Quadratic(), L1(alpha), fit_intercept=False, tol=tol)
        assert auto.solver == "gram" and auto.converged
        # the Gram phases of "auto" stop at GRAM_TOL_SHARE * tol
        gap = _relative_gap(X, y, auto.coef, 0.0, alpha)
        assert gap <= solvers.GRAM_TOL_SHARE * tol * (1 + 1e-6)
    assert len(calls) == 2
    assert np.count_nonzero(auto.coef) > gram_switch_size(*X.shape)
    np.testing.assert_allclose(auto.coef, gram.coef, atol=1e-6)
    np.testing.assert_array_equal(X, X0)


@pytest.mark.parametrize("weighted", [False, True])
def test_small_support_stays_on_blocks_at_the_tighter_tolerance(weighted, monkeypatch):
    # alpha_max/10: the working set stays small, no full Gram matrix is formed, and the
    # blocks' phase stops at GRAM_TOL_SHARE * tol
    X, y = _mid_shape()
    sw = np.random.default_rng(4).uniform(0.5, 2.0, X.shape[0]) if weighted else None
    alpha = alpha_max_l1(X, y, sample_weight=sw) / 10
    gram = solve(X, y, Quadratic(), L1(alpha), sample_weight=sw, tol=1e-10, solver="gram")
    adds = _count_calls(monkeypatch, WorkingSetGram, "add")
    calls = _count_full_grams(monkeypatch)
    auto = solve(X, y, Quadratic(), L1(alpha), sample_weight=sw, tol=1e-10)
    assert auto.solver == "gram" and auto.converged
    assert len(adds) >= 1 and calls == []
    assert 0 < np.count_nonzero(auto.coef) <= gram_switch_size(*X.shape) // 2
    np.testing.assert_allclose(auto.coef, gram.coef, atol=1e-7)
    assert auto.intercept == pytest.approx(gram.intercept, abs=1e-7)
    gap = _relative_gap(X, y, auto.coef, auto.intercept, alpha, sw)
    assert gap <= solvers.GRAM_TOL_SHARE * 1e-10 * (1 + 1e-6)


def test_explicit_gram_keeps_the_tolerance_asked():
    # GRAM_TOL_SHARE is "auto"'s choice on tall data; solver="gram" stops at tol
    X, y = _mid_shape()
    alpha = alpha_max_l1(X, y, fit_intercept=False) / 1000
    tol = 1e-4
    res = solve(X, y, Quadratic(), L1(alpha), fit_intercept=False, tol=tol, solver="gram")
    auto = solve(X, y, Quadratic(), L1(alpha), fit_intercept=False, tol=tol)
    assert res.converged and auto.converged
    gap = _relative_gap(X, y, res.coef, 0.0, alpha)
    gap_auto = _relative_gap(X, y, auto.coef, 0.0, alpha)
    assert gap <= tol and gap_auto <= solvers.GRAM_TOL_SHARE * tol * (1 + 1e-6)
    assert auto.n_iter >= res.n_iter


def test_a_callers_xy_replaces_the_pass_over_x(monkeypatch):
    # solve(xy=X^T y) on tall data ("auto", Gram blocks): the blocks take that b instead
    # of computing X^T y again, and the solution is the one without it
    X, y = _tall(n=1000, p=400)
    alpha = alpha_max_l1(X, y, fit_intercept=False) / 20
    plain = solve(X, y, Quadratic(), L1(alpha), fit_intercept=False, tol=1e-10)
    given = []
    original = WorkingSetGram.__init__

    def spy(self, *args, b=None, **kwargs):
        given.append(b)
        original(self, *args, b=b, **kwargs)

    monkeypatch.setattr(WorkingSetGram, "__init__", spy)
    with_xy = solve(X, y, Quadratic(), L1(alpha), fit_intercept=False, tol=1e-10,
                    xy=X.T @ y)
    assert with_xy.solver == plain.solver == "gram"
    assert len(given) == 1 and given[0] is not None
    np.testing.assert_allclose(given[0], X.T @ y / X.shape[0], rtol=1e-14)
    np.testing.assert_allclose(with_xy.coef, plain.coef, rtol=1e-9, atol=1e-12)
    # small p, the full Gram from the start: its b is xy too
    X, y = _tall(n=400, p=100)
    plain = solve(X, y, Quadratic(), L1(alpha), fit_intercept=False, tol=1e-10)
    with_xy = solve(X, y, Quadratic(), L1(alpha), fit_intercept=False, tol=1e-10,
                    xy=X.T @ y)
    assert with_xy.solver == plain.solver == "gram"
    np.testing.assert_allclose(with_xy.coef, plain.coef, rtol=1e-9, atol=1e-12)
