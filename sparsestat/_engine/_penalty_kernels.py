"""Compiled scalar pieces of every penalty, dispatched on an integer code.

A penalty reaches a kernel as ``(code, params, struct)``: ``params`` a float64 array of
its parameters and ``struct`` an int64 array for structure (group pointers...). Kernels
compiled over plain arrays load from numba's cache in milliseconds, where a jitclass per
penalty would recompile in every process.

Adding a separable penalty means: a code below, a branch in :func:`value_1d`,
:func:`prox_1d` and :func:`subdiff_interval`, and a small class in ``penalties.py``.
Per-feature ``pf`` (penalty factor) multiplies the whole penalty of feature ``j``;
``pf == 0`` leaves the feature unpenalized. Box bounds ``[lower_j, upper_j]`` are applied
by the solvers around these functions (exact for convex one-dimensional problems).
"""

import numpy as np

from ._numba import jit
from ._slope import slope_kkt, slope_prox, slope_value

# penalty codes: keep in sync with penalties.py
L1 = 0
ELASTIC_NET = 1
MCP = 2
SCAD = 3
L0 = 4
LQ = 5
LOG_SUM = 6
GROUP_L1 = 7  # not separable: block prox in prox_vec, served by FISTA
SLOPE = 8  # not separable: sorted-L1 prox (_slope.py) in prox_vec, served by FISTA


@jit(inline="always")
def soft_threshold(v, threshold):
    if v > threshold:
        return v - threshold
    if v < -threshold:
        return v + threshold
    return 0.0


# --- nonconvex scalar pieces -------------------------------------------------------
# MCP and SCAD follow ncvreg: the penalty factor scales the threshold (alpha_j =
# pf_j * alpha), so the concavity (1 / gamma) is the same for every feature. L0, Lq and
# log-sum are homogeneous in alpha, where both conventions agree.


@jit
def _mcp_value(a, gamma, u):
    # u = |w| >= 0, a = pf * alpha
    if u <= gamma * a:
        return a * u - u * u / (2.0 * gamma)
    return 0.5 * gamma * a * a


@jit
def _mcp_prox(v, step, a, gamma):
    u = abs(v)
    if step < gamma:
        # strictly convex 1-D problem: firm thresholding
        if u <= step * a:
            return 0.0
        if u <= gamma * a:
            return np.sign(v) * (u - step * a) / (1.0 - step / gamma)
        return v
    # step >= gamma: the inner piece is concave, the minimizer is 0 or v
    # (v wins iff gamma a^2 / 2 < v^2 / (2 step))
    if u * u > step * gamma * a * a:
        return v
    return 0.0


@jit
def _scad_value(a, gamma, u):
    if u <= a:
        return a * u
    if u <= gamma * a:
        return (2.0 * gamma * a * u - u * u - a * a) / (2.0 * (gamma - 1.0))
    return 0.5 * a * a * (gamma + 1.0)


@jit
def _scad_prox(v, step, a, gamma):
    u = abs(v)
    if step < gamma - 1.0:
        # strictly convex 1-D problem: closed form (Fan and Li, 2001)
        if u <= a * (1.0 + step):
            x = max(u - step * a, 0.0)
        elif u <= gamma * a:
            x = ((gamma - 1.0) * u - step * gamma * a) / (gamma - 1.0 - step)
        else:
            x = u
        return np.sign(v) * x
    # otherwise: best of the minimizers of the three quadratic pieces
    best_x = 0.0
    best = 0.5 * u * u / step
    c1 = min(max(u - step * a, 0.0), a)
    c3 = max(u, gamma * a)
    for k in range(4):
        if k == 0:
            x = c1
        elif k == 1:
            x = a
        elif k == 2:
            x = gamma * a
        else:
            x = c3
        f = 0.5 * (x - u) ** 2 / step + _scad_value(a, gamma, x)
        if f < best:
            best = f
            best_x = x
    return np.sign(v) * best_x


@jit
def _l0_prox(v, step, a, l2):
    # argmin (x - v)^2 / (2 step) + a [x != 0] + l2 x^2 (L0Learn's L0L2)
    c = 1.0 + 2.0 * step * l2
    if v * v > 2.0 * step * a * c:
        return v / c
    return 0.0


@jit
def _lq_threshold(step, a, q):
    # smallest |v| whose prox is nonzero (Marjanovic and Solo, 2012)
    beta = (2.0 * step * a * (1.0 - q)) ** (1.0 / (2.0 - q))
    return beta + step * a * q * beta ** (q - 1.0)


@jit
def _lq_prox(v, step, a, q):
    u = abs(v)
    if a == 0.0:
        return v
    if u <= _lq_threshold(step, a, q):
        return 0.0
    # h'(x) = (x - u) / step + a q x^(q-1) is convex and increasing right of its
    # inflexion, so Newton from x = u decreases monotonically to the local minimizer
    x = u
    for _ in range(100):
        g = (x - u) / step + a * q * x ** (q - 1.0)
        h = 1.0 / step + a * q * (q - 1.0) * x ** (q - 2.0)
        if h <= 0.0:
            break
        x_new = x - g / h
        if x_new <= 0.0:
            x_new = 0.5 * x
        if abs(x_new - x) <= 1e-15 * x:
            x = x_new
            break
        x = x_new
    # the threshold test guarantees a nonzero local minimizer; keep it only if it beats 0
    if 0.5 * (x - u) ** 2 / step + a * x ** q < 0.5 * u * u / step:
        return np.sign(v) * x
    return 0.0


@jit
def _log_sum_prox(v, step, a, eps):
    # argmin (x - u)^2 / (2 step) + a log(1 + x / eps) over x >= 0: the larger root of
    # x^2 + (eps - u) x + step a - u eps = 0, if it beats x = 0
    u = abs(v)
    disc = (u + eps) ** 2 - 4.0 * step * a
    if disc < 0.0:
        return 0.0
    x = 0.5 * ((u - eps) + np.sqrt(disc))
    if x <= 0.0:
        return 0.0
    if 0.5 * (x - u) ** 2 / step + a * np.log1p(x / eps) < 0.5 * u * u / step:
        return np.sign(v) * x
    return 0.0


@jit(inline="always")
def value_1d(code, params, w, pf):
    """Penalty of one coefficient."""
    if pf == 0.0 or w == 0.0:
        return 0.0
    alpha = params[0]
    if code == L1:
        return pf * alpha * abs(w)
    if code == ELASTIC_NET:
        l1_ratio = params[1]
        return pf * alpha * (l1_ratio * abs(w) + 0.5 * (1.0 - l1_ratio) * w * w)
    if code == MCP:
        return _mcp_value(pf * alpha, params[1], abs(w))
    if code == SCAD:
        return _scad_value(pf * alpha, params[1], abs(w))
    if code == L0:
        return pf * (alpha + params[1] * w * w)
    if code == LQ:
        return pf * alpha * abs(w) ** params[1]
    if code == LOG_SUM:
        return pf * alpha * np.log1p(abs(w) / params[1])
    return np.nan


@jit(inline="always")
def prox_1d(code, params, v, step, pf):
    """``argmin_x (x - v)**2 / (2 step) + pen(x)``, exact for every ``step > 0``."""
    if pf == 0.0:
        return v
    alpha = params[0]
    if code == L1:
        return soft_threshold(v, step * pf * alpha)
    if code == ELASTIC_NET:
        l1_ratio = params[1]
        return soft_threshold(v, step * pf * alpha * l1_ratio) / (
            1.0 + step * pf * alpha * (1.0 - l1_ratio)
        )
    if code == MCP:
        return _mcp_prox(v, step, pf * alpha, params[1])
    if code == SCAD:
        return _scad_prox(v, step, pf * alpha, params[1])
    if code == L0:
        return _l0_prox(v, step, pf * alpha, pf * params[1])
    if code == LQ:
        return _lq_prox(v, step, pf * alpha, params[1])
    if code == LOG_SUM:
        return _log_sum_prox(v, step, pf * alpha, params[1])
    return np.nan


@jit(inline="always")
def subdiff_interval(code, params, w, pf):
    """Return ``(a, b)``: the (Clarke) subdifferential of the penalty at ``w`` is [a, b]."""
    if pf == 0.0:
        return 0.0, 0.0
    alpha = params[0]
    if code == L1:
        if w == 0.0:
            return -pf * alpha, pf * alpha
        g = pf * alpha * np.sign(w)
        return g, g
    if code == ELASTIC_NET:
        l1 = pf * alpha * params[1]
        l2 = pf * alpha * (1.0 - params[1])
        if w == 0.0:
            return -l1, l1
        g = l1 * np.sign(w) + l2 * w
        return g, g
    if code == MCP or code == SCAD:
        a = pf * alpha
        gamma = params[1]
        if w == 0.0:
            return -a, a
        u = abs(w)
        if code == MCP:
            g = max(a - u / gamma, 0.0)
        elif u <= a:
            g = a
        else:
            g = max(gamma * a - u, 0.0) / (gamma - 1.0)
        g *= np.sign(w)
        return g, g
    if code == L0:
        # every w_j = 0 is stationary for L0; we score zeros by the prox threshold at unit
        # step, i.e. coordinatewise optimality on standardized columns (L0Learn's CW-min)
        if w == 0.0:
            t = np.sqrt(2.0 * pf * alpha * (1.0 + 2.0 * pf * params[1]))
            return -t, t
        g = 2.0 * pf * params[1] * w
        return g, g
    if code == LQ:
        # same convention as L0 at zero (the derivative is infinite there)
        if w == 0.0:
            t = _lq_threshold(1.0, pf * alpha, params[1])
            return -t, t
        g = pf * alpha * params[1] * abs(w) ** (params[1] - 1.0) * np.sign(w)
        return g, g
    if code == LOG_SUM:
        if w == 0.0:
            return -pf * alpha / params[1], pf * alpha / params[1]
        g = pf * alpha * np.sign(w) / (params[1] + abs(w))
        return g, g
    return np.nan, np.nan


@jit(inline="always")
def subdiff_distance(code, params, w, grad, pf, lower, upper):
    """Distance of ``-grad`` to the subdifferential of ``pen + box indicator`` at ``w``.

    Zero exactly when coordinate ``j`` satisfies its first-order optimality condition.
    """
    a, b = subdiff_interval(code, params, w, pf)
    if w <= lower:
        a = -np.inf
    if w >= upper:
        b = np.inf
    target = -grad
    if target < a:
        return a - target
    if target > b:
        return target - b
    return 0.0


@jit(inline="always")
def prox_box_1d(code, params, v, step, pf, lower, upper):
    """Prox of ``pen + indicator[lower, upper]``: clipping is exact for convex penalties.

    It is also exact for the nonconvex penalties here (even, nondecreasing in ``|w|``)
    when the box contains 0 on one side only up to infinity (``positive``): their prox
    has the sign of ``v``. Finite boxes with nonconvex penalties are not exact.
    """
    x = prox_1d(code, params, v, step, pf)
    if x < lower:
        return lower
    if x > upper:
        return upper
    return x


@jit
def group_norm(struct, w, g):
    """Euclidean norm of group ``g`` of ``w``.

    Group structure: ``struct = [n_groups, ptr_0 .. ptr_G, idx_0 .. idx_{p-1}]``; group
    ``g`` holds the features ``idx[ptr_g:ptr_{g+1}]``. ``params = [alpha, weight_0 ..]``.
    """
    n_groups = struct[0]
    start = 1 + n_groups + 1
    acc = 0.0
    for k in range(struct[1 + g], struct[2 + g]):
        acc += w[struct[start + k]] ** 2
    return np.sqrt(acc)


@jit
def penalty_value(code, params, struct, pf, w):
    """Sum of the penalty over all coefficients."""
    total = 0.0
    if code == GROUP_L1:
        for g in range(struct[0]):
            total += params[0] * params[1 + g] * group_norm(struct, w, g)
        return total
    if code == SLOPE:
        return slope_value(params, w)
    for j in range(w.shape[0]):
        total += value_1d(code, params, w[j], pf[j])
    return total


@jit
def prox_vec(code, params, struct, pf, lower, upper, v, step, out):
    """Vector prox used by the proximal-gradient solver (block soft-thresholding for groups).

    For the group penalty, box bounds are applied after the block prox: exact only for
    unbounded groups (the estimators do not offer bounds with groups).
    """
    if code == GROUP_L1:
        n_groups = struct[0]
        start = 1 + n_groups + 1
        for g in range(n_groups):
            norm = group_norm(struct, v, g)
            t = step * params[0] * params[1 + g]
            scale = max(1.0 - t / norm, 0.0) if norm > 0.0 else 0.0
            for k in range(struct[1 + g], struct[2 + g]):
                j = struct[start + k]
                out[j] = min(max(scale * v[j], lower[j]), upper[j])
        return
    if code == SLOPE:
        # no box bounds: the estimators do not offer them with SLOPE
        slope_prox(params, v, step, out)
        return
    for j in range(v.shape[0]):
        out[j] = prox_box_1d(code, params, v[j], step, pf[j], lower[j], upper[j])


@jit
def kkt_scores(code, params, struct, pf, lower, upper, w, grad, out):
    """Per-coordinate optimality violation (``subdiff_distance``).

    For groups, every feature of a group gets the group's violation: the distance of
    ``-grad_g`` to ``alpha * weight_g * d||w_g||``.
    """
    if code == GROUP_L1:
        n_groups = struct[0]
        start = 1 + n_groups + 1
        for g in range(n_groups):
            t = params[0] * params[1 + g]
            norm = group_norm(struct, w, g)
            acc = 0.0
            if norm == 0.0:
                gnorm = group_norm(struct, grad, g)
                acc = max(gnorm - t, 0.0)
            else:
                for k in range(struct[1 + g], struct[2 + g]):
                    j = struct[start + k]
                    acc += (grad[j] + t * w[j] / norm) ** 2
                acc = np.sqrt(acc)
            for k in range(struct[1 + g], struct[2 + g]):
                out[struct[start + k]] = acc
        return
    if code == SLOPE:
        slope_kkt(params, w, grad, out)
        return
    for j in range(w.shape[0]):
        out[j] = subdiff_distance(code, params, w[j], grad[j], pf[j], lower[j], upper[j])
