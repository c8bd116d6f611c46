"""Compiled pieces of the Cox proportional-hazards datafit (negative log partial likelihood).

Plain-array kernels, O(n) after one sort by time. The kernels see

* ``event``: float64 event indicators (1 observed, 0 censored), in the caller's sample order;
* ``struct``: int64 ``[n_groups, ptr_0 .. ptr_G, order_0 .. order_{n-1}]`` where ``order``
  sorts the samples by increasing time and tie group ``g`` (one distinct time) holds the
  samples ``order[ptr_g:ptr_{g+1}]`` (built by :func:`cox_struct`);
* ``efron``: False for Breslow's handling of ties, True for Efron's;
* ``scores``: the linear predictor ``s = X w`` and ``sw`` the sample weights.

With weights (as glmnet's coxnet and R's ``survival::coxph``) a weight multiplies the
sample's event term and its share ``sw_j exp(s_j)`` of every risk set it belongs to, so an
integer weight is a repeated row. For tie group ``g``: ``d_g`` = summed weight of its events,
``m_g`` = number of its events, ``R_g = sum_{t_j >= t_g} sw_j exp(s_j)`` and
``E_g = sum_{events i of g} sw_i exp(s_i)``. The datafit times n is

    n F = - sum_i sw_i delta_i s_i + sum_g (d_g / m_g) sum_{l < m_g} log(R_g - c_l E_g)

with ``c_l = 0`` (Breslow, where the inner sum is ``m_g log R_g``) or ``c_l = l / m_g``
(Efron). The gradient and the diagonal of the Hessian in score space are cumulative sums
over the groups in time order (Simon et al., 2011, section 2.2, give the Breslow ones).
The model is invariant to a constant added to every score (an intercept cancels), so the
kernels subtract the largest score before exponentiating.
"""

import numpy as np

from ._numba import jit
from ._sorting import sorted_unique, stable_argsort


def cox_struct(time):
    """Tie-group structure of the event times (see the module docstring), int64."""
    time = np.asarray(time, dtype=np.float64)
    order = np.argsort(time, kind="stable")
    t_sorted = time[order]
    n = t_sorted.shape[0]
    if n == 0:
        return np.array([0, 0], dtype=np.int64)
    starts = np.flatnonzero(np.concatenate([[True], t_sorted[1:] != t_sorted[:-1]]))
    ptr = np.concatenate([starts, [n]])
    return np.concatenate([[starts.shape[0]], ptr, order]).astype(np.int64)


@jit
def _group_sums(event, struct, scores, sw, efron):
    """Per-group risk-set pieces: exp-scores and the ``A, B, A2, C2`` sums of each group.

    ``A_g = (d/m) sum_l 1 / Q_l``, ``B_g = (d/m) sum_l c_l / Q_l``,
    ``A2_g = (d/m) sum_l 1 / Q_l^2``, ``C2_g = (d/m) sum_l (1 - c_l)^2 / Q_l^2`` with
    ``Q_l = R_g - c_l E_g``; also the value term ``V_g = (d/m) sum_l log Q_l``.
    """
    n = event.shape[0]
    n_groups = struct[0]
    base = 2 + n_groups
    smax = -np.inf
    for i in range(n):
        if scores[i] > smax:
            smax = scores[i]
    if not np.isfinite(smax):
        smax = 0.0
    ew = np.empty(n)  # sw_i exp(s_i - smax)
    for i in range(n):
        ew[i] = sw[i] * np.exp(scores[i] - smax)
    A = np.zeros(n_groups)
    B = np.zeros(n_groups)
    A2 = np.zeros(n_groups)
    C2 = np.zeros(n_groups)
    V = np.zeros(n_groups)
    risk = 0.0
    for g in range(n_groups - 1, -1, -1):
        d = 0.0
        m = 0
        E = 0.0
        for k in range(struct[1 + g], struct[2 + g]):
            i = struct[base + k]
            risk += ew[i]
            if event[i] != 0.0 and sw[i] != 0.0:
                d += sw[i] * event[i]
                m += 1
                E += ew[i]
        if m == 0:
            continue
        if not efron or m == 1:
            A[g] = d / risk
            A2[g] = d / (risk * risk)
            C2[g] = A2[g]
            V[g] = d * np.log(risk)
            continue
        f = d / m
        for l in range(m):
            c = l / m
            q = risk - c * E
            if q <= 0.0:
                # rounding when the events' terms are the whole risk set: keep Q > 0
                q = risk * 1e-300 + 1e-300
            A[g] += f / q
            B[g] += f * c / q
            A2[g] += f / (q * q)
            C2[g] += f * (1.0 - c) ** 2 / (q * q)
            V[g] += f * np.log(q)
    return ew, smax, A, B, A2, C2, V


@jit
def cox_value(event, struct, scores, sw, efron):
    """``(1/n) [- sum_i sw_i delta_i s_i + sum_g V_g]``: negative log partial likelihood / n."""
    n = event.shape[0]
    if n == 0:
        return 0.0
    ew, smax, A, B, A2, C2, V = _group_sums(event, struct, scores, sw, efron)
    total = 0.0
    for i in range(n):
        if event[i] != 0.0:
            total -= sw[i] * event[i] * (scores[i] - smax)
    for g in range(V.shape[0]):
        total += V[g]
    return total / n


@jit
def cox_derivatives(event, struct, scores, sw, efron, out):
    """``out_k = d(n F)/d s_k``, the gradient in score space times n."""
    n = event.shape[0]
    if n == 0:
        return
    ew, smax, A, B, A2, C2, V = _group_sums(event, struct, scores, sw, efron)
    n_groups = struct[0]
    base = 2 + n_groups
    cum = 0.0
    for g in range(n_groups):
        cum += A[g]
        for k in range(struct[1 + g], struct[2 + g]):
            i = struct[base + k]
            own = cum
            if efron and event[i] != 0.0 and sw[i] != 0.0:
                own -= B[g]
            out[i] = ew[i] * own - sw[i] * event[i]


@jit
def cox_hessian(event, struct, scores, sw, efron, out):
    """Diagonal of the Hessian of ``n F`` in score space (nonnegative).

    As coxnet's Newton steps use (Simon et al., 2011): ``out_k = d^2 (n F) / d s_k^2``.
    """
    n = event.shape[0]
    if n == 0:
        return
    ew, smax, A, B, A2, C2, V = _group_sums(event, struct, scores, sw, efron)
    n_groups = struct[0]
    base = 2 + n_groups
    cum = 0.0
    cum2 = 0.0
    for g in range(n_groups):
        cum += A[g]
        cum2 += A2[g]
        for k in range(struct[1 + g], struct[2 + g]):
            i = struct[base + k]
            e = ew[i]
            if efron and event[i] != 0.0 and sw[i] != 0.0:
                # own group: c_l discounts the event's share of Q_l
                first = cum - B[g]
                second = cum2 - A2[g] + C2[g]
            else:
                first = cum
                second = cum2
            out[i] = max(e * first - e * e * second, 0.0)


@jit
def cox_event_groups(event, struct, sw):
    """Sample-to-event-group maps for the exact Newton model (:func:`cox_newton_parts`).

    Only tie groups holding an event (with weight) enter the Hessian's low-rank part;
    they are numbered ``0 .. n_ev - 1`` in time order. ``risk_of[i]`` is the last event
    group whose risk set holds sample ``i`` (its time is ``>= `` the group's; -1 for none),
    so sample ``i`` is at risk in event groups ``0 .. risk_of[i]``; ``event_of[i]`` is the
    event group of an event ``i`` (-1 for a censored or zero-weight sample).
    Returns ``(n_ev, risk_of, event_of)``.
    """
    n = event.shape[0]
    n_groups = struct[0]
    base = 2 + n_groups
    risk_of = np.empty(n, dtype=np.int64)
    event_of = np.full(n, -1, dtype=np.int64)
    n_ev = 0
    for g in range(n_groups):
        has_event = False
        for k in range(struct[1 + g], struct[2 + g]):
            i = struct[base + k]
            if event[i] != 0.0 and sw[i] != 0.0:
                has_event = True
        if has_event:
            n_ev += 1
        for k in range(struct[1 + g], struct[2 + g]):
            i = struct[base + k]
            risk_of[i] = n_ev - 1
            if event[i] != 0.0 and sw[i] != 0.0:
                event_of[i] = n_ev - 1
    return n_ev, risk_of, event_of


@jit
def cox_newton_parts(event, struct, scores, sw, efron, ew, diag1, A2, B2, G2):
    """The Hessian of ``n F`` in score space as a diagonal minus a low-rank part.

    ``H = diag(diag1) - sum_g sum_l (d_g/m_g) v_gl v_gl^T / Q_l^2`` with
    ``v_gl = ew * (1[R_g] - c_l 1[D_g])`` (see the module docstring): for vectors ``a, b``
    the low-rank part is ``sum_g A2_g SR_g(a) SR_g(b) - B2_g (SR_g(a) SD_g(b) +
    SD_g(a) SR_g(b)) + G2_g SD_g(a) SD_g(b)`` with ``SR_g(a) = sum_{R_g} ew a`` and
    ``SD_g(a) = sum_{D_g} ew a``, over the event groups of :func:`cox_event_groups`.
    Fills ``ew = sw exp(s - max s)``, ``diag1`` (n) and ``A2, B2, G2`` (one per event
    group; ``B2 = G2 = 0`` for Breslow). Newton steps on this exact model converge where
    the diagonal of ``H`` alone (:func:`cox_hessian`, coxnet's) crawls on ill-conditioned
    problems (p > n, near-separable risk scores).
    """
    n = event.shape[0]
    if n == 0:
        return
    _ew, smax, A, B, _A2, _C2, _V = _group_sums(event, struct, scores, sw, efron)
    ew[:] = _ew
    n_groups = struct[0]
    base = 2 + n_groups
    # the events' own sums per group, for Efron's c_l (recomputed: _group_sums keeps them
    # local)
    risk = 0.0
    risk_at = np.empty(n_groups)
    for g in range(n_groups - 1, -1, -1):
        for k in range(struct[1 + g], struct[2 + g]):
            risk += ew[struct[base + k]]
        risk_at[g] = risk
    cum = 0.0
    e_idx = -1
    for g in range(n_groups):
        cum += A[g]
        d = 0.0
        m = 0
        E = 0.0
        for k in range(struct[1 + g], struct[2 + g]):
            i = struct[base + k]
            if event[i] != 0.0 and sw[i] != 0.0:
                d += sw[i] * event[i]
                m += 1
                E += ew[i]
        if m > 0:
            e_idx += 1
            R = risk_at[g]
            a2 = 0.0
            b2 = 0.0
            g2 = 0.0
            if not efron or m == 1:
                a2 = d / (R * R)
            else:
                f = d / m
                for l in range(m):
                    c = l / m
                    q = R - c * E
                    if q <= 0.0:
                        q = R * 1e-300 + 1e-300
                    a2 += f / (q * q)
                    b2 += f * c / (q * q)
                    g2 += f * c * c / (q * q)
            A2[e_idx] = a2
            B2[e_idx] = b2
            G2[e_idx] = g2
        for k in range(struct[1 + g], struct[2 + g]):
            i = struct[base + k]
            own = cum
            if efron and event[i] != 0.0 and sw[i] != 0.0:
                own -= B[g]
            diag1[i] = ew[i] * own


@jit
def cox_curvature_bound(event, sw):
    """Bound on the Hessian's spectral norm in score space, for ``n F``.

    Each event's term is a log-sum-exp over its risk set, whose Hessian
    ``diag(p) - p p^T`` has norm at most 1/2; each event counts with its weight.
    """
    total = 0.0
    for i in range(event.shape[0]):
        total += sw[i] * event[i]
    return 0.5 * total


def survival_target(y):
    """``(time, event)`` float64 arrays from a survival target, validated.

    Accepts scikit-survival's structured array (one boolean field is the event, the other
    the time, in either order), a 2-column array ``[time, event]`` (skglm's layout) or a
    1-D array of times, read as every event observed (no censoring). Raises ValueError
    naming what is wrong otherwise.
    """
    arr = np.asarray(y)
    if arr.dtype.names is not None:
        names = arr.dtype.names
        if len(names) != 2:
            raise ValueError(
                f"A structured survival target needs 2 fields (event, time), got {names}.")
        is_bool = [arr.dtype[name] == np.bool_ for name in names]
        if sum(is_bool) != 1:
            raise ValueError(
                "A structured survival target needs exactly one boolean field (the event "
                f"indicator) and one numeric field (the time); got fields {names} of types "
                f"{[str(arr.dtype[name]) for name in names]}.")
        ev_name = names[is_bool.index(True)]
        t_name = names[is_bool.index(False)]
        time = np.asarray(arr[t_name], dtype=np.float64).ravel()
        event = np.asarray(arr[ev_name], dtype=np.float64).ravel()
    elif arr.ndim == 2 and arr.shape[1] == 2:
        try:
            time = np.asarray(arr[:, 0], dtype=np.float64)
            event = np.asarray(arr[:, 1], dtype=np.float64)
        except (TypeError, ValueError):
            raise ValueError(f"Unknown label type: a survival target of dtype {arr.dtype} "
                             "whose columns [time, event] are not numbers.") from None
    elif arr.ndim == 1 or (arr.ndim == 2 and arr.shape[1] == 1):
        try:
            time = np.asarray(arr, dtype=np.float64).ravel()
        except (TypeError, ValueError):
            raise ValueError(f"Unknown label type: survival target of dtype {arr.dtype} "
                             "whose times are not numbers (cannot convert to float).") from None
        event = np.ones_like(time)
    else:
        raise ValueError(
            f"Survival target of shape {arr.shape}: expected a structured array (event, "
            "time), an (n_samples, 2) array [time, event] or a 1-D array of times.")
    if not np.all(np.isfinite(time)):
        raise ValueError("Survival times must be finite (no NaN or infinity).")
    if not np.all((event == 0) | (event == 1)):
        raise ValueError("Event indicators must be 0 (censored) or 1 (event observed).")
    return time, event


@jit
def _fenwick_add(tree, pos, value):
    pos += 1
    while pos < tree.shape[0]:
        tree[pos] += value
        pos += pos & (-pos)


@jit
def _fenwick_prefix(tree, pos):
    # sum of the first ``pos`` ranks
    total = 0.0
    while pos > 0:
        total += tree[pos]
        pos -= pos & (-pos)
    return total


@jit
def concordance_counts(time, event, estimate, sw, tied_tol):
    """Weighted concordant, discordant and risk-tied comparable pairs (Harrell's C).

    A pair (i, j) is comparable when i has an event and ``t_i < t_j``, or ``t_i == t_j``
    with j censored; it counts ``sw_i sw_j``. O(n log n): samples enter a Fenwick tree
    over the ranks of the estimates in decreasing time order, and each event queries the
    weight of the estimates below, within and above ``estimate_i -+ tied_tol``.
    """
    n = time.shape[0]
    order = stable_argsort(-time)
    vals = sorted_unique(estimate)
    rank = np.searchsorted(vals, estimate)
    tree = np.zeros(vals.shape[0] + 1)
    con = 0.0
    dis = 0.0
    tie = 0.0
    total = 0.0
    k = 0
    while k < n:
        end = k
        while end < n and time[order[end]] == time[order[k]]:
            end += 1
        # censored samples at this time are comparable with this time's events
        for m in range(k, end):
            i = order[m]
            if event[i] == 0.0:
                _fenwick_add(tree, rank[i], sw[i])
                total += sw[i]
        for m in range(k, end):
            i = order[m]
            if event[i] != 0.0:
                lo = np.searchsorted(vals, estimate[i] - tied_tol, side="left")
                hi = np.searchsorted(vals, estimate[i] + tied_tol, side="right")
                below = _fenwick_prefix(tree, lo)
                within = _fenwick_prefix(tree, hi)
                con += sw[i] * below
                tie += sw[i] * (within - below)
                dis += sw[i] * (total - within)
        for m in range(k, end):
            i = order[m]
            if event[i] != 0.0:
                _fenwick_add(tree, rank[i], sw[i])
                total += sw[i]
        k = end
    return con, dis, tie
