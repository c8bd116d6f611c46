"""Datafits as complete objects (issue 17): derivatives, intercept-only optimum, alpha_max,
and every datafit with every penalty through the solvers.

``DATAFITS`` and ``PENALTIES`` below must name every datafit and penalty class the engine
exports: :func:`test_every_engine_class_is_covered` fails when a new class is missing, so
a new piece cannot skip the property and solver tests.
"""

import inspect

import numpy as np
import pytest
import scipy.optimize as so
import scipy.sparse as sp
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import sparsestat._engine as eng
from sparsestat._engine import (
    L0, L1, MCP, SCAD, SLOPE, Cox, ElasticNet, Gamma, GroupL1, Huber, Logistic, LogSum, Lq,
    Poisson, Quadratic, SquaredHinge, Tweedie, alpha_max_l1, solve,
)
from sparsestat._engine.datafits import Datafit
from sparsestat._engine.penalties import Penalty


def _labels(rng, scores):
    return np.where(scores + 0.5 * rng.standard_normal(scores.shape[0]) > 0, 1.0, -1.0)


def _counts(rng, scores):
    return rng.poisson(np.exp(np.clip(scores, -5, 3))).astype(float)


def _positive(rng, scores):
    return rng.gamma(2.0, np.exp(np.clip(scores, -5, 3)) / 2.0)


def _real(rng, scores):
    return scores + rng.standard_normal(scores.shape[0])


def _survival(rng, scores):
    # [time, event]: exponential times with hazard exp(score), ~30 % censored, some ties
    n = scores.shape[0]
    t_event = rng.exponential(np.exp(-np.clip(scores, -5, 5)))
    t_cens = rng.exponential(2.0, n)
    return np.column_stack([np.round(np.minimum(t_event, t_cens), 2),
                            (t_event <= t_cens).astype(float)])


#: class -> (instances, target generator from true scores)
DATAFITS = {
    Quadratic: ([Quadratic()], _real),
    Logistic: ([Logistic()], _labels),
    Huber: ([Huber(delta=0.7)], _real),
    SquaredHinge: ([SquaredHinge()], _labels),
    Poisson: ([Poisson()], _counts),
    Gamma: ([Gamma()], _positive),
    Tweedie: ([Tweedie(power=1.5), Tweedie(power=3.0)], _positive),
    Cox: ([Cox(), Cox(ties="efron")], _survival),
}

#: class -> a factory of the penalty at strength ``alpha`` (None: not separable)
PENALTIES = {
    L1: lambda a: L1(alpha=a),
    ElasticNet: lambda a: ElasticNet(alpha=a, l1_ratio=0.5),
    MCP: lambda a: MCP(alpha=a, gamma=3.0),
    SCAD: lambda a: SCAD(alpha=a, gamma=3.7),
    L0: lambda a: L0(alpha=a * a),
    Lq: lambda a: Lq(alpha=a, q=0.5),
    LogSum: lambda a: LogSum(alpha=a, eps=0.1),
    GroupL1: None,
    SLOPE: None,
}

ALL_DATAFITS = [d for insts, _ in DATAFITS.values() for d in insts]
SEPARABLE = [d for d in ALL_DATAFITS if d.is_separable]


def test_every_engine_class_is_covered():
    exported = [getattr(eng, name) for name in eng.__all__]
    # the bases of user-written pieces have no maths of their own: tests/engine/
    # test_custom.py checks them through concrete subclasses
    datafits = {c for c in exported if inspect.isclass(c) and issubclass(c, Datafit)
                and c not in (Datafit, eng.CustomDatafit)}
    penalties = {c for c in exported if inspect.isclass(c) and issubclass(c, Penalty)
                 and c not in (Penalty, eng.CustomPenalty)}
    assert datafits - set(DATAFITS) == set(), "add the new datafit to DATAFITS"
    assert penalties - set(PENALTIES) == set(), "add the new penalty to PENALTIES"
    for cls, (instances, _) in DATAFITS.items():
        assert all(type(d) is cls for d in instances)


def _problem(datafit, n=60, p=12, seed=0, offset=False):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    w0 = np.zeros(p)
    w0[:3] = [0.6, -0.4, 0.3]
    o = 0.3 * rng.standard_normal(n) if offset else None
    scores = X @ w0 + (0.0 if o is None else o)
    y = DATAFITS[type(datafit)][1](rng, scores)
    sw = rng.uniform(0.5, 2.0, n)
    return X, y, sw, o


def _domain_target(datafit, u):
    """A valid target from a uniform draw ``u`` in [0, 1]."""
    gen = DATAFITS[type(datafit)][1]
    if gen is _labels:
        return 1.0 if u > 0.5 else -1.0
    if gen is _counts:
        return float(np.floor(10 * u))
    if gen is _positive:
        return 0.05 + 5 * u
    return 10 * u - 5


# ---------------------------------------------------------------------------------------
# derivatives against finite differences


@pytest.mark.parametrize("datafit", SEPARABLE, ids=repr)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(u=st.floats(0.0, 1.0), s=st.floats(-4.0, 4.0), wt=st.floats(0.1, 3.0))
def test_derivative_and_hessian_match_finite_differences(datafit, u, s, wt):
    y = np.array([_domain_target(datafit, u)])
    sw = np.array([wt])
    if isinstance(datafit, Huber):
        assume(abs(abs(y[0] - s) - datafit.delta) > 1e-3)  # the kinks
    if isinstance(datafit, SquaredHinge):
        assume(abs(1 - y[0] * s) > 1e-3)
    h = 1e-5

    def value(t):
        return datafit.value(y, np.array([t]), sw)

    def deriv(t):
        return datafit.raw_gradient(y, np.array([t]), sw)[0]

    fd1 = (value(s + h) - value(s - h)) / (2 * h)
    assert deriv(s) == pytest.approx(fd1, rel=1e-6, abs=1e-7)
    fd2 = (deriv(s + h) - deriv(s - h)) / (2 * h)
    hess = datafit.raw_hessian(y, np.array([s]), sw)[0]
    if isinstance(datafit, Tweedie) and datafit.power > 2 and fd2 <= 0:
        # nonconvex region: the Newton weight is the expected information mu^(2-p)
        assert hess == pytest.approx(wt * np.exp((2 - datafit.power) * s), rel=1e-12)
    else:
        assert hess == pytest.approx(fd2, rel=1e-5, abs=1e-7)
    curv = datafit.curvature_bound()
    assert hess <= wt * curv * (1 + 1e-12)


@pytest.mark.parametrize("datafit", ALL_DATAFITS, ids=repr)
@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_vector_gradient_is_the_directional_derivative(datafit, seed):
    """``raw_gradient / n`` is the gradient of ``value`` in the scores (any datafit)."""
    X, y, sw, _ = _problem(datafit, n=15, p=3, seed=seed)
    rng = np.random.default_rng(seed)
    s = rng.uniform(-2, 2, y.shape[0])
    v = rng.standard_normal(y.shape[0])
    h = 1e-6
    fd = (datafit.value(y, s + h * v, sw) - datafit.value(y, s - h * v, sw)) / (2 * h)
    grad = datafit.raw_gradient(y, s, sw) / y.shape[0]
    assert grad @ v == pytest.approx(fd, rel=1e-5, abs=1e-8)
    if datafit.is_separable:
        # diagonal Newton weights: exact second directional derivative where f'' >= 0
        fd2 = (datafit.raw_gradient(y, s + h * v, sw)
               - datafit.raw_gradient(y, s - h * v, sw)) / (2 * h)
        hess = datafit.raw_hessian(y, s, sw)
        convex = fd2 * v > 0
        kink = np.zeros(y.shape[0], dtype=bool)
        if isinstance(datafit, Huber):
            kink = np.abs(np.abs(y - s) - datafit.delta) < 1e-4
        if isinstance(datafit, SquaredHinge):
            kink = np.abs(1 - y * s) < 1e-4
        nonconvex_fit = isinstance(datafit, Tweedie) and datafit.power > 2
        ok = ~kink & (convex | (not nonconvex_fit))
        np.testing.assert_allclose(hess[ok] * v[ok], fd2[ok], rtol=1e-5, atol=1e-8)


# ---------------------------------------------------------------------------------------
# intercept-only optimum and alpha_max


@pytest.mark.parametrize("with_offset", [False, True])
@pytest.mark.parametrize("datafit", [d for d in ALL_DATAFITS if d.has_intercept], ids=repr)
def test_intercept_only_is_the_minimizer(datafit, with_offset):
    X, y, sw, o = _problem(datafit, seed=3, offset=with_offset)
    o0 = np.zeros(y.shape[0]) if o is None else o
    b = datafit.intercept_only(y, sw, o)

    def f(t):
        return datafit.value(y, o0 + t, sw)

    ref = so.minimize_scalar(f, bracket=(-3.0, 3.0), tol=1e-12)
    assert np.isfinite(b)
    assert f(b) <= ref.fun + 1e-12 * (1 + abs(ref.fun))
    # and the gradient vanishes there (the minimum is strict for these targets)
    assert datafit.raw_gradient(y, o0 + b, sw).sum() / y.shape[0] == pytest.approx(0,
                                                                               abs=1e-9)


def test_intercept_only_at_infinity():
    y = np.ones(5)
    assert Logistic().intercept_only(y) == np.inf
    assert Poisson().intercept_only(np.zeros(5)) == -np.inf
    # squared hinge with one class: any b >= 1 is optimal (loss 0)
    b = SquaredHinge().intercept_only(y)
    assert SquaredHinge().value(y, np.full(5, b)) == 0.0


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("datafit", ALL_DATAFITS, ids=repr)
def test_alpha_max_is_where_the_solution_leaves_zero(datafit, fit_intercept):
    offset = isinstance(datafit, (Poisson, Gamma, Tweedie))
    X, y, sw, o = _problem(datafit, seed=5, offset=offset)
    am = alpha_max_l1(X, y, sample_weight=sw, fit_intercept=fit_intercept, datafit=datafit,
                      offset=o)
    assert am > 0
    kw = dict(sample_weight=sw, fit_intercept=fit_intercept, offset=o, tol=1e-10,
              max_iter=2000)
    above = solve(X, y, datafit, L1(alpha=1.001 * am), **kw)
    below = solve(X, y, datafit, L1(alpha=0.99 * am), **kw)
    assert above.converged and below.converged
    assert np.all(above.coef == 0)
    assert np.count_nonzero(below.coef) >= 1
    # the elastic-net alpha_max scales as 1 / l1_ratio
    am_en = alpha_max_l1(X, y, sample_weight=sw, fit_intercept=fit_intercept,
                         datafit=datafit, offset=o, l1_ratio=0.5)
    assert am_en == pytest.approx(2 * am, rel=1e-12)


def test_alpha_max_huber_regression():
    """Issue 17: with a Huber datafit the logistic intercept gave 0.5156 (true 0.5791)."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((50, 5))
    y = X[:, 0] + rng.standard_t(2, 50) + 3.0
    d = Huber(delta=1.0)
    am = alpha_max_l1(X, y, datafit=d)
    b = so.minimize_scalar(lambda t: d.value(y, np.full(50, t)), bracket=(0, 6),
                           tol=1e-12).x
    grad = X.T @ d.raw_gradient(y, np.full(50, b)) / 50
    assert am == pytest.approx(np.abs(grad).max(), rel=1e-6)
    logistic_style = X.T @ d.raw_gradient(y, np.zeros(50)) / 50
    assert abs(am - np.abs(logistic_style).max()) > 1e-3


# ---------------------------------------------------------------------------------------
# every datafit with every penalty


def _kkt(X, y, datafit, penalty, res, sw, o):
    n = X.shape[0]
    s = X @ res.coef + res.intercept + (0.0 if o is None else o)
    raw = datafit.raw_gradient(y, s, sw)
    viol = penalty.subdiff_distance(res.coef, X.T @ raw / n)
    return max(viol.max(), abs(raw.sum()) / n)


@pytest.mark.parametrize("pen_cls", [c for c, f in PENALTIES.items() if f is not None],
                         ids=lambda c: c.__name__)
@pytest.mark.parametrize("datafit", ALL_DATAFITS, ids=repr)
def test_prox_newton_serves_every_separable_pair(datafit, pen_cls):
    X, y, sw, o = _problem(datafit, seed=1, offset=not isinstance(datafit, (Logistic,
                                                                             SquaredHinge)))
    am = alpha_max_l1(X, y, sample_weight=sw, datafit=datafit, offset=o)
    penalty = PENALTIES[pen_cls](0.2 * am)
    res = solve(X, y, datafit, penalty, sample_weight=sw, offset=o, solver="prox_newton",
                tol=1e-9, max_iter=500)
    assert res.solver == "prox_newton"
    if pen_cls in (L0, Lq):
        # their KKT score at zero is the prox threshold at unit step (CW-minimality on
        # standardized columns), which a stationary point need not meet: compare with
        # the other solvers' objective instead, and the solve must stop by itself
        assert res.n_iter < 500
        ref = solve(X, y, datafit, penalty, sample_weight=sw, offset=o, solver="fista",
                    tol=1e-9, max_iter=5000)
        s, s_ref = (X @ r.coef + r.intercept + (0.0 if o is None else o)
                    for r in (res, ref))
        obj = datafit.value(y, s, sw) + penalty.value(res.coef)
        obj_ref = datafit.value(y, s_ref, sw) + penalty.value(ref.coef)
        assert obj <= obj_ref + 1e-6 * (1 + abs(obj_ref))
        return
    assert res.converged, (res.stop_crit, res.n_iter)
    if pen_cls in (L1, ElasticNet):
        # a convex problem: FISTA reaches the same objective, and the KKT check is exact
        assert _kkt(X, y, datafit, penalty, res, sw, o) < 1e-7
        ref = solve(X, y, datafit, penalty, sample_weight=sw, offset=o, solver="fista",
                    tol=1e-10, max_iter=50_000)
        s, s_ref = (X @ r.coef + r.intercept + (0.0 if o is None else o)
                    for r in (res, ref))
        obj = datafit.value(y, s, sw) + penalty.value(res.coef)
        obj_ref = datafit.value(y, s_ref, sw) + penalty.value(ref.coef)
        assert obj <= obj_ref + 1e-9 * (1 + abs(obj_ref))
    # objective history never increases (line search)
    assert np.all(np.diff(res.objective) <= 1e-12 * (1 + np.abs(res.objective[:-1])))


@pytest.mark.parametrize("datafit", ALL_DATAFITS, ids=repr)
def test_box_bounds_with_prox_newton(datafit):
    X, y, sw, o = _problem(datafit, seed=2)
    am = alpha_max_l1(X, y, sample_weight=sw, datafit=datafit)
    res = solve(X, y, datafit, L1(alpha=0.05 * am), sample_weight=sw, lower=0.0,
                upper=0.25, solver="prox_newton", tol=1e-9)
    assert res.converged
    assert np.all(res.coef >= 0) and np.all(res.coef <= 0.25)
    ref = solve(X, y, datafit, L1(alpha=0.05 * am), sample_weight=sw, lower=0.0,
                upper=0.25, solver="fista", tol=1e-10, max_iter=50_000)
    np.testing.assert_allclose(res.coef, ref.coef, atol=1e-5)


@pytest.mark.parametrize("datafit", [d for d in ALL_DATAFITS if d.is_separable
                                     and np.isfinite(d.curvature_bound())], ids=repr)
def test_cd_and_prox_newton_agree(datafit):
    X, y, sw, _ = _problem(datafit, seed=4)
    Xs = sp.csc_matrix(np.where(np.abs(X) > 0.8, X, 0.0))
    am = alpha_max_l1(Xs, y, sample_weight=sw, datafit=datafit)
    pen = ElasticNet(alpha=0.1 * am, l1_ratio=0.7)
    a = solve(Xs, y, datafit, pen, sample_weight=sw, solver="cd", tol=1e-10, max_iter=5000)
    b = solve(Xs, y, datafit, pen, sample_weight=sw, solver="prox_newton", tol=1e-10)
    assert a.converged and b.converged
    np.testing.assert_allclose(a.coef, b.coef, atol=1e-6)
    assert a.intercept == pytest.approx(b.intercept, abs=1e-6)


def test_auto_choice_and_pair_errors():
    X, y, sw, _ = _problem(Poisson())
    assert solve(X, y, Poisson(), L1(alpha=0.01)).solver == "prox_newton"
    Xl, yl, _, _ = _problem(Logistic())
    assert solve(Xl, yl, Logistic(), L1(alpha=0.01)).solver == "prox_newton"
    assert solve(Xl, yl, Quadratic(), L1(alpha=0.01)).solver in ("cd", "gram")
    with pytest.raises(ValueError, match=r"solver='cd'.*Poisson\(\) with L1"):
        solve(X, y, Poisson(), L1(alpha=0.01), solver="cd")
    with pytest.raises(ValueError, match=r"prox_newton.*Poisson\(\) with GroupL1"):
        solve(X, y, Poisson(), GroupL1(alpha=0.1, groups=[[0, 1], [2, 3]]),
              solver="prox_newton")
    with pytest.raises(ValueError, match=r"gram.*Huber"):
        solve(X, y, Huber(), L1(alpha=0.01), solver="gram")
    with pytest.raises(ValueError, match="Unknown solver"):
        solve(X, y, Poisson(), L1(alpha=0.01), solver="newton")
    from sparsestat._engine._group_cd import solve_group
    with pytest.raises(ValueError, match=r"GroupL1.*Poisson\(\)"):
        solve_group(X, y, Poisson(), GroupL1(alpha=0.1, groups=[[0, 1], [2, 3]]))


@pytest.mark.parametrize("datafit, bad", [
    (Logistic(), [0.0, 1.0]), (SquaredHinge(), [2.0, 1.0]), (Poisson(), [-1.0, 1.0]),
    (Gamma(), [0.0, 1.0]), (Tweedie(power=3.0), [0.0, 1.0]), (Tweedie(power=1.5), [-1, 1]),
])
def test_targets_outside_the_domain_are_refused(datafit, bad):
    with pytest.raises(ValueError, match=type(datafit).__name__):
        solve(np.eye(2), np.array(bad, dtype=float), datafit, L1(alpha=0.1))


def test_parameters_are_validated_and_part_of_identity():
    with pytest.raises(ValueError, match="delta"):
        Huber(delta=0.0)
    with pytest.raises(ValueError, match="power"):
        Tweedie(power=0.5)
    assert Huber(delta=2.0) == Huber(delta=2.0) != Huber(delta=1.0)
    assert hash(Tweedie(power=1.2)) == hash(Tweedie(power=1.2))
    assert repr(Tweedie(power=1.2)) == "Tweedie(power=1.2)"
    import pickle
    assert pickle.loads(pickle.dumps(Huber(delta=3.0))) == Huber(delta=3.0)
    np.testing.assert_array_equal(Huber(delta=3.0).params_array(), [3.0])


# ---------------------------------------------------------------------------------------
# offsets


def test_offset_of_log_link_is_exposure():
    """A constant offset c moves only the intercept (by -c); absorbed for Quadratic."""
    for datafit in (Poisson(), Gamma(), Tweedie(power=1.5), Quadratic(), Huber()):
        X, y, sw, _ = _problem(datafit, seed=7)
        pen = L1(alpha=0.02)
        a = solve(X, y, datafit, pen, sample_weight=sw, tol=1e-10)
        b = solve(X, y, datafit, pen, sample_weight=sw, tol=1e-10,
                  offset=np.full(y.shape[0], 0.7))
        np.testing.assert_allclose(a.coef, b.coef, atol=1e-7)
        assert b.intercept == pytest.approx(a.intercept - 0.7, abs=1e-7)
    with pytest.raises(ValueError, match="offset must have shape"):
        solve(X, y, Poisson(), pen, offset=np.zeros(3))


def test_offset_in_every_solver():
    X, y, sw, o = _problem(Logistic(), seed=8, offset=True)
    pen = L1(alpha=0.01)
    results = [solve(X, y, Logistic(), pen, sample_weight=sw, offset=o, solver=s,
                     tol=1e-10, max_iter=50_000) for s in ("cd", "fista", "prox_newton")]
    for r in results[1:]:
        np.testing.assert_allclose(r.coef, results[0].coef, atol=1e-6)


@pytest.mark.parametrize("code", [1, 0])  # logistic (one pass), quadratic (the kernels)
def test_value_with_newton_parts_equals_the_three_kernels_bitwise(code):
    from sparsestat._engine._datafit_kernels import (
        datafit_value, fill_derivatives, fill_hessian, value_with_newton_parts)
    rng = np.random.default_rng(0)
    n = 257
    y = np.where(rng.random(n) < 0.5, -1.0, 1.0) if code == 1 else rng.standard_normal(n)
    scores = rng.standard_normal(n) * np.array([1e-3, 1.0, 30.0, 800.0])[rng.integers(0, 4, n)]
    sw = rng.uniform(0.5, 2.0, n)
    dparams, dstruct = np.zeros(1), np.zeros(1, dtype=np.int64)
    derivs, hess = np.empty(n), np.empty(n)
    value = value_with_newton_parts(code, dparams, dstruct, y, scores, sw, derivs, hess)
    d_ref, h_ref = np.empty(n), np.empty(n)
    fill_derivatives(code, dparams, dstruct, y, scores, sw, d_ref)
    fill_hessian(code, dparams, dstruct, y, scores, sw, h_ref)
    assert value == datafit_value(code, dparams, dstruct, y, scores, sw)
    np.testing.assert_array_equal(derivs, d_ref)
    np.testing.assert_array_equal(hess, h_ref)
