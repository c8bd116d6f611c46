"""Every scalar prox against brute-force 1-D minimization, for every step size.

The prox must return a global minimizer of ``(x - v)^2 / (2 step) + pen(x)``: we check its
objective is no larger than a fine grid's best (refined by a bounded scalar search), and
that it is a point where the penalty's subdifferential condition holds.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize_scalar

from sparsestat._engine import L0, L1, MCP, SCAD, ElasticNet, GroupL1, LogSum, Lq

finite = dict(allow_nan=False, allow_infinity=False)
values = st.floats(-20.0, 20.0, **finite)
steps = st.floats(1e-3, 50.0, **finite)
alphas = st.floats(1e-3, 5.0, **finite)
pfs = st.sampled_from([0.0, 0.3, 1.0, 2.5])

PENALTIES = {
    "l1": lambda a: L1(alpha=a),
    "enet": lambda a: ElasticNet(alpha=a, l1_ratio=0.7),
    "mcp": lambda a: MCP(alpha=a, gamma=2.0),
    "mcp_small_gamma": lambda a: MCP(alpha=a, gamma=0.05),
    "scad": lambda a: SCAD(alpha=a, gamma=3.7),
    "scad_small_gamma": lambda a: SCAD(alpha=a, gamma=2.1),
    "l0": lambda a: L0(alpha=a),
    "l0l2": lambda a: L0(alpha=a, l2_reg=0.7),
    "l_half": lambda a: Lq(alpha=a, q=0.5),
    "l_two_thirds": lambda a: Lq(alpha=a, q=2.0 / 3.0),
    "log_sum": lambda a: LogSum(alpha=a, eps=0.3),
}


def _reference_value(pen, x, pf):
    """Penalty of each entry of ``x``, written independently of the kernels (numpy)."""
    u = np.abs(np.asarray(x, dtype=float))
    a = pf * pen.alpha
    if pf == 0:
        return np.zeros_like(u)
    if isinstance(pen, ElasticNet):
        return a * (pen.l1_ratio * u + 0.5 * (1 - pen.l1_ratio) * u ** 2)
    if isinstance(pen, L1):
        return a * u
    if isinstance(pen, MCP):
        g = pen.gamma
        return np.where(u <= g * a, a * u - u ** 2 / (2 * g), 0.5 * g * a ** 2)
    if isinstance(pen, SCAD):
        g = pen.gamma
        mid = (2 * g * a * u - u ** 2 - a ** 2) / (2 * (g - 1))
        return np.where(u <= a, a * u, np.where(u <= g * a, mid, 0.5 * a ** 2 * (g + 1)))
    if isinstance(pen, L0):
        return np.where(u != 0, pf * (pen.alpha + pen.l2_reg * u ** 2), 0.0)
    if isinstance(pen, Lq):
        return a * u ** pen.q
    if isinstance(pen, LogSum):
        return a * np.log1p(u / pen.eps)
    raise AssertionError(pen)


def _brute_force_min(pen, v, step, pf):
    def f(x):
        return float((x - v) ** 2 / (2 * step) + _reference_value(pen, x, pf))

    span = abs(v) + 1.0
    grid = np.concatenate([np.linspace(-span, span, 20001), [0.0, v]])
    vals = (grid - v) ** 2 / (2 * step) + _reference_value(pen, grid, pf)
    best = vals.min()
    k = int(np.argmin(vals))
    lo, hi = grid[max(k - 1, 0)], grid[min(k + 1, grid.size - 1)]
    if hi > lo:
        res = minimize_scalar(f, bounds=(lo, hi), method="bounded",
                              options={"xatol": 1e-12})
        best = min(best, res.fun)
    return best, f


@pytest.mark.parametrize("name", sorted(PENALTIES))
@settings(max_examples=80, deadline=None)
@given(v=values, step=steps, alpha=alphas, pf=pfs)
def test_prox_is_global_minimizer(name, v, step, alpha, pf):
    pen = PENALTIES[name](alpha)
    x = float(pen.prox([v], step, penalty_factor=[pf])[0])
    assert np.isfinite(x)
    best, f = _brute_force_min(pen, v, step, pf)
    scale = 1.0 + v * v / step
    assert f(x) <= best + 1e-9 * scale, (x, f(x), best)
    # the kernel's own penalty value agrees with the reference
    assert pen.value([x], penalty_factor=[pf]) == pytest.approx(
        float(_reference_value(pen, x, pf)), rel=1e-12, abs=1e-12)
    # the prox never changes sign and never moves away from v further than |v|
    assert x * v >= 0.0
    assert abs(x) <= abs(v) + 1e-12


@pytest.mark.parametrize("step", [0.5, 1.0, 2.0, 3.0, 10.0, 100.0])
def test_mcp_prox_when_step_exceeds_gamma(step):
    # skglm's MCP prox returns 0 here for every v; the true prox is v beyond the threshold
    gamma, alpha = 1.0, 1.0
    pen = MCP(alpha=alpha, gamma=gamma)
    threshold = alpha * np.sqrt(step * gamma) if step >= gamma else alpha * step
    v = 1.01 * max(threshold, gamma * alpha)
    x = pen.prox([v], step)[0]
    assert x == pytest.approx(v) if step >= gamma else x > 0
    assert pen.prox([0.99 * threshold], step)[0] == 0.0
    best, f = _brute_force_min(pen, v, step, 1.0)
    assert f(x) <= best + 1e-10


@pytest.mark.parametrize("name", ["mcp", "scad", "l0", "l_half", "log_sum"])
def test_positive_box_clipping_is_exact(name):
    pen = PENALTIES[name](0.7)
    rng = np.random.default_rng(0)
    for v, step in zip(rng.normal(scale=4, size=200), rng.uniform(0.01, 10, size=200)):
        x = pen.prox([v], step, lower=0.0)[0]
        grid = np.linspace(0, abs(v) + 1, 20001)
        vals = (grid - v) ** 2 / (2 * step) + _reference_value(pen, grid, 1.0)
        assert (x - v) ** 2 / (2 * step) + pen.value([x]) <= vals.min() + 1e-9


def test_subdiff_distance_zero_at_prox_fixed_points():
    # a nonzero fixed point of the unit-step prox is stationary: -grad in the subdifferential
    rng = np.random.default_rng(1)
    for name in ["l1", "mcp", "scad", "l0l2", "l_half", "log_sum"]:
        pen = PENALTIES[name](0.5)
        for _ in range(50):
            v = rng.normal(scale=5)
            w = pen.prox([v], 1.0)[0]
            grad = w - v  # w = prox(w - grad) means w - grad = v
            d = pen.subdiff_distance([w], [grad])[0]
            assert d <= 1e-8 * (1 + abs(v)), (name, v, w, d)


@settings(max_examples=100, deadline=None)
@given(v=st.lists(st.floats(-10, 10, **finite), min_size=5, max_size=5), step=steps,
       alpha=alphas)
def test_group_prox_is_block_soft_threshold(v, step, alpha):
    pen = GroupL1(alpha=alpha, groups=[[0, 3], [1, 2, 4]], n_features=5)
    x = pen.prox(v, step)
    v = np.asarray(v)
    weights = np.sqrt([2.0, 3.0])
    for g, wg in zip([[0, 3], [1, 2, 4]], weights):
        norm = np.linalg.norm(v[g])
        expect = max(1 - step * alpha * wg / norm, 0) * v[g] if norm > 0 else 0 * v[g]
        np.testing.assert_allclose(x[g], expect, atol=1e-12)
    # and it minimizes the block objective: no random perturbation does better
    def obj(z):
        return np.sum((z - v) ** 2) / (2 * step) + pen.value(z)

    rng = np.random.default_rng(0)
    base = obj(x)
    for _ in range(20):
        assert obj(x + 1e-3 * rng.standard_normal(5)) >= base - 1e-12


def test_group_struct_validation():
    with pytest.raises(ValueError, match="partition"):
        GroupL1(alpha=1.0, groups=[[0, 1], [1, 2]], n_features=3).struct_array()
    with pytest.raises(ValueError, match="one per group"):
        GroupL1(alpha=1.0, groups=2, weights=[1.0], n_features=4).params_array()
    assert GroupL1(1.0, 2, n_features=5).struct_array().tolist() == [
        3, 0, 2, 4, 5, 0, 1, 2, 3, 4]


def test_penalty_parameter_validation():
    with pytest.raises(ValueError, match="gamma > 2"):
        SCAD(alpha=1.0, gamma=1.5).params_array()
    with pytest.raises(ValueError, match="0 < q < 1"):
        Lq(alpha=1.0, q=1.5).params_array()
