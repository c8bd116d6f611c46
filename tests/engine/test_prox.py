"""Every scalar proximal operator equals brute-force 1-D minimization."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sparsestat._engine import L1, ElasticNet

finite = st.floats(-50, 50, allow_nan=False, allow_infinity=False)
positive = st.floats(1e-3, 20, allow_nan=False, allow_infinity=False)

PENALTIES = {
    "l1": lambda a, r: L1(alpha=a),
    "enet": lambda a, r: ElasticNet(alpha=a, l1_ratio=r),
}

# Reference values written from the definitions, independent of the compiled kernels.
REFERENCE_VALUE = {
    L1: lambda pen, x, pf: pf * pen.alpha * np.abs(x),
    ElasticNet: lambda pen, x, pf: pf * pen.alpha * (
        pen.l1_ratio * np.abs(x) + 0.5 * (1 - pen.l1_ratio) * x ** 2),
}


def brute_force_prox(penalty, v, step, pf=1.0, lower=-np.inf, upper=np.inf):
    lo = max(lower, -abs(v) - 10)
    hi = min(upper, abs(v) + 10)
    value = REFERENCE_VALUE[type(penalty)]
    grid = np.linspace(lo, hi, 20001)
    # refine around the grid minimum, plus the candidates 0 and the bounds
    obj = (grid - v) ** 2 / (2 * step) + value(penalty, grid, pf)
    center = grid[np.argmin(obj)]
    fine = np.linspace(max(lo, center - 2e-3), min(hi, center + 2e-3), 4001)
    cands = np.concatenate([fine, [x for x in (0.0, lower, upper) if lo <= x <= hi]])
    obj = (cands - v) ** 2 / (2 * step) + value(penalty, cands, pf)
    return cands[np.argmin(obj)], obj.min()


def prox_objective(penalty, x, v, step, pf=1.0):
    return (x - v) ** 2 / (2 * step) + REFERENCE_VALUE[type(penalty)](penalty, x, pf)


@pytest.mark.parametrize("name", sorted(PENALTIES))
@settings(max_examples=40, deadline=None)
@given(v=finite, step=positive, alpha=positive, l1_ratio=st.floats(0, 1), pf=positive)
def test_prox_is_the_minimizer(name, v, step, alpha, l1_ratio, pf):
    penalty = PENALTIES[name](alpha, l1_ratio)
    x = penalty.prox([v], step, penalty_factor=pf)[0]
    _, best = brute_force_prox(penalty, v, step, pf)
    assert prox_objective(penalty, x, v, step, pf) <= best + 1e-9 * (1 + abs(best))


@pytest.mark.parametrize("name", sorted(PENALTIES))
@settings(max_examples=30, deadline=None)
@given(v=finite, step=positive, alpha=positive, lower=st.floats(-5, 0), width=st.floats(0, 5))
def test_prox_with_box_is_the_constrained_minimizer(name, v, step, alpha, lower, width):
    penalty = PENALTIES[name](alpha, 0.5)
    upper = lower + width
    x = penalty.prox([v], step, lower=lower, upper=upper)[0]
    assert lower <= x <= upper
    _, best = brute_force_prox(penalty, v, step, lower=lower, upper=upper)
    assert prox_objective(penalty, x, v, step) <= best + 1e-9 * (1 + abs(best))


def test_zero_penalty_factor_is_identity():
    assert L1(alpha=3.0).prox([2.5], 1.0, penalty_factor=0.0)[0] == 2.5


@given(w=finite, grad=finite, alpha=positive)
@settings(max_examples=50, deadline=None)
def test_subdiff_distance_zero_iff_prox_fixed_point(w, grad, alpha):
    # w is optimal for the 1-D model iff it is a fixed point of the prox-gradient map
    pen = L1(alpha=alpha)
    dist = pen.subdiff_distance([w], [grad])[0]
    fixed = pen.prox([w - grad], 1.0)[0]
    scale = 1e-9 * (1 + abs(w) + abs(grad) + alpha)
    if dist > scale:
        assert abs(fixed - w) > 0
    if dist == 0:
        assert abs(fixed - w) <= scale
