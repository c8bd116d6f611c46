"""Penalties: small picklable objects that name a compiled kernel and hold its parameters.

A penalty object carries no compiled state, so estimators can store it, ``clone`` and
pickle it. The solvers read ``code``, ``params_array()`` and ``struct_array()`` and call
the compiled scalar functions of ``_penalty_kernels``.
"""

import numpy as np

from . import _penalty_kernels as _pk

__all__ = ["Penalty", "L1", "ElasticNet", "MCP", "SCAD", "L0", "Lq", "LogSum", "GroupL1",
           "SLOPE"]


class Penalty:
    """Base class. Subclasses set ``code`` and implement ``params_array``.

    Attributes
    ----------
    is_convex : bool
        Convex penalties get duality-gap stopping (with the quadratic datafit).
    is_separable : bool
        Separable penalties can be solved by coordinate descent; the others need the
        proximal-gradient solver.
    """

    code = -1
    is_convex = True
    is_separable = True

    def params_array(self):
        raise NotImplementedError

    def struct_array(self):
        return np.empty(0, dtype=np.int64)

    def with_alpha(self, alpha):
        """A copy with another regularization strength (used along paths)."""
        clone = type(self).__new__(type(self))
        clone.__dict__.update(vars(self))
        clone.alpha = alpha
        return clone

    def scaled(self, s):
        """The penalty ``Q(v) = pen(s v) / s^2``, or None when it has no closed form.

        Solving ``||y / s - X v||^2 / (2n) + Q(v)`` and setting ``w = s v`` solves the
        quadratic problem for ``y``: the engine uses it to bring a target of extreme
        magnitude (``|y| > 1e120``, whose square overflows) to order one.
        """
        return None

    def _pf(self, n_features, penalty_factor):
        if penalty_factor is None:
            return np.ones(n_features)
        return np.broadcast_to(np.asarray(penalty_factor, dtype=np.float64), (n_features,))

    def value(self, w, penalty_factor=None):
        """Penalty summed over the coefficients ``w``."""
        w = np.asarray(w, dtype=np.float64).ravel()
        pf = np.ascontiguousarray(self._pf(w.shape[0], penalty_factor))
        return _pk.penalty_value(self.code, self.params_array(), self.struct_array(), pf, w)

    def prox(self, v, step, penalty_factor=None, lower=None, upper=None):
        """Proximal operator ``argmin_x ||x - v||^2 / (2 step) + pen(x)`` (+ box bounds)."""
        v = np.asarray(v, dtype=np.float64)
        shape = v.shape
        v = np.ascontiguousarray(v.ravel())
        p = v.shape[0]
        pf = np.ascontiguousarray(self._pf(p, penalty_factor))
        lo = np.full(p, -np.inf) if lower is None else np.broadcast_to(lower, (p,)).astype(float)
        hi = np.full(p, np.inf) if upper is None else np.broadcast_to(upper, (p,)).astype(float)
        out = np.empty(p)
        _pk.prox_vec(self.code, self.params_array(), self.struct_array(), pf, lo, hi, v,
                     float(step), out)
        return out.reshape(shape)

    def subdiff_distance(self, w, grad, penalty_factor=None):
        """Per-coordinate distance of ``-grad`` to the subdifferential at ``w``."""
        w = np.ascontiguousarray(np.asarray(w, dtype=np.float64).ravel())
        grad = np.ascontiguousarray(np.asarray(grad, dtype=np.float64).ravel())
        p = w.shape[0]
        out = np.empty(p)
        _pk.kkt_scores(self.code, self.params_array(), self.struct_array(),
                       np.ascontiguousarray(self._pf(p, penalty_factor)),
                       np.full(p, -np.inf), np.full(p, np.inf), w, grad, out)
        return out

    def __repr__(self):
        params = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({params})"

    def __eq__(self, other):
        return type(self) is type(other) and vars(self) == vars(other)

    def __hash__(self):
        return hash((type(self).__name__, tuple(sorted(vars(self).items()))))


def _check_alpha(penalty):
    alpha = penalty.alpha
    if not (np.isfinite(alpha) and alpha >= 0):
        raise ValueError(f"{type(penalty).__name__} needs a finite alpha >= 0, got {alpha}.")
    return alpha


class L1(Penalty):
    """``alpha * sum_j pf_j |w_j|``.

    Parameters
    ----------
    alpha : float
        Regularization strength, >= 0 (multiplied by each feature's penalty factor
        ``pf_j`` where the solver is given one).

    Examples
    --------
    >>> from sparsestat._engine import L1
    >>> L1(alpha=1.0).prox([3.0, -0.5], step=1.0)
    array([2., 0.])
    """

    code = _pk.L1

    def __init__(self, alpha):
        self.alpha = alpha

    def scaled(self, s):
        return L1(self.alpha / s)

    def params_array(self):
        return np.array([_check_alpha(self)], dtype=np.float64)


class ElasticNet(Penalty):
    """``alpha * sum_j pf_j (l1_ratio |w_j| + (1 - l1_ratio) w_j^2 / 2)`` (scikit-learn's).

    Parameters
    ----------
    alpha : float
        Regularization strength, >= 0 (multiplied by each feature's penalty factor
        ``pf_j`` where the solver is given one).
    l1_ratio : float, default=0.5
        Mix of L1 (1.0) and L2 (0.0), in [0, 1].

    Examples
    --------
    >>> from sparsestat._engine import ElasticNet
    >>> ElasticNet(alpha=1.0, l1_ratio=0.5).prox([3.0], step=1.0)
    array([1.66666667])
    """

    code = _pk.ELASTIC_NET

    def __init__(self, alpha, l1_ratio=0.5):
        self.alpha = alpha
        self.l1_ratio = l1_ratio

    def scaled(self, s):
        l1, l2 = self.alpha * self.l1_ratio / s, self.alpha * (1.0 - self.l1_ratio)
        total = l1 + l2
        if not np.isfinite(total):
            return None
        return ElasticNet(total, l1 / total if total > 0 else self.l1_ratio)

    def params_array(self):
        if not 0.0 <= self.l1_ratio <= 1.0:
            raise ValueError(f"ElasticNet needs 0 <= l1_ratio <= 1, got {self.l1_ratio}.")
        return np.array([_check_alpha(self), self.l1_ratio], dtype=np.float64)


class MCP(Penalty):
    """Minimax concave penalty (Zhang, 2010), per feature with ``a = pf_j * alpha``::

        a |w| - w^2 / (2 gamma)   if |w| <= gamma a
        gamma a^2 / 2             otherwise

    The prox is exact for every step, including ``step >= gamma`` where it is a hard
    threshold at ``a sqrt(step gamma)``.

    Parameters
    ----------
    alpha : float
        Regularization strength ``a`` (times ``pf_j``), >= 0: the L1 slope at 0.
    gamma : float, default=3.0
        Concavity, > 0: the penalty is flat beyond ``gamma a``; large values approach
        the L1 penalty.

    Examples
    --------
    >>> from sparsestat._engine import MCP
    >>> MCP(alpha=1.0, gamma=3.0).prox([0.5, 2.0, 4.0], step=1.0)
    array([0. , 1.5, 4. ])
    """

    code = _pk.MCP
    is_convex = False

    def __init__(self, alpha, gamma=3.0):
        self.alpha = alpha
        self.gamma = gamma

    def scaled(self, s):
        return MCP(self.alpha / s, self.gamma)

    def params_array(self):
        if not self.gamma > 0:
            raise ValueError(f"MCP needs gamma > 0, got {self.gamma}.")
        return np.array([self.alpha, self.gamma], dtype=np.float64)


class SCAD(Penalty):
    """Smoothly clipped absolute deviation (Fan and Li, 2001), ``a = pf_j * alpha``::

        a |w|                                         if |w| <= a
        (2 gamma a |w| - w^2 - a^2) / (2 (gamma - 1))  if a < |w| <= gamma a
        a^2 (gamma + 1) / 2                           otherwise

    Parameters
    ----------
    alpha : float
        Regularization strength ``a`` (times ``pf_j``), >= 0: the L1 slope up to ``a``.
    gamma : float, default=3.7
        Concavity, > 2: the penalty is flat beyond ``gamma a``.

    Examples
    --------
    >>> from sparsestat._engine import SCAD
    >>> SCAD(alpha=1.0, gamma=3.7).prox([0.5, 1.5, 5.0], step=1.0)
    array([0. , 0.5, 5. ])
    """

    code = _pk.SCAD
    is_convex = False

    def __init__(self, alpha, gamma=3.7):
        self.alpha = alpha
        self.gamma = gamma

    def scaled(self, s):
        return SCAD(self.alpha / s, self.gamma)

    def params_array(self):
        if not self.gamma > 2:
            raise ValueError(f"SCAD needs gamma > 2, got {self.gamma}.")
        return np.array([self.alpha, self.gamma], dtype=np.float64)


class L0(Penalty):
    """``sum_j pf_j (alpha [w_j != 0] + l2_reg w_j^2)``: best subset, with L0Learn's
    optional ridge term (its L0L2 penalty, ``gamma`` there is ``l2_reg`` here).

    Parameters
    ----------
    alpha : float
        Price of one nonzero coefficient (times ``pf_j``), >= 0.
    l2_reg : float, default=0.0
        Ridge strength (times ``pf_j``), >= 0.

    Examples
    --------
    >>> from sparsestat._engine import L0
    >>> L0(alpha=0.5).prox([0.9, 1.1], step=1.0)
    array([0. , 1.1])
    """

    code = _pk.L0
    is_convex = False

    def __init__(self, alpha, l2_reg=0.0):
        self.alpha = alpha
        self.l2_reg = l2_reg

    def scaled(self, s):
        return L0(self.alpha / s / s, self.l2_reg)

    def params_array(self):
        if not self.l2_reg >= 0:
            raise ValueError(f"L0 needs l2_reg >= 0, got {self.l2_reg}.")
        return np.array([self.alpha, self.l2_reg], dtype=np.float64)


class Lq(Penalty):
    """``alpha * sum_j pf_j |w_j|^q`` for ``0 < q < 1`` (bridge penalty; q = 1/2, 2/3 are
    the usual choices). The prox is computed by a monotone Newton iteration.

    Parameters
    ----------
    alpha : float
        Regularization strength, >= 0 (multiplied by each feature's penalty factor
        ``pf_j`` where the solver is given one).
    q : float, default=0.5
        Exponent, in (0, 1).

    Examples
    --------
    >>> from sparsestat._engine import Lq
    >>> Lq(alpha=1.0, q=0.5).prox([1.0, 3.0], step=1.0).round(4)
    array([0.    , 2.6955])
    """

    code = _pk.LQ
    is_convex = False

    def __init__(self, alpha, q=0.5):
        self.alpha = alpha
        self.q = q

    def scaled(self, s):
        return Lq(float(self.alpha * np.power(s, self.q - 2.0)), self.q)

    def params_array(self):
        if not 0 < self.q < 1:
            raise ValueError(f"Lq needs 0 < q < 1, got {self.q}.")
        return np.array([self.alpha, self.q], dtype=np.float64)


class LogSum(Penalty):
    """``alpha * sum_j pf_j log(1 + |w_j| / eps)`` (Candes, Wakin and Boyd's reweighting).

    Parameters
    ----------
    alpha : float
        Regularization strength, >= 0 (multiplied by each feature's penalty factor
        ``pf_j`` where the solver is given one).
    eps : float, default=1.0
        Scale, > 0, below which the penalty grows like ``alpha |w| / eps``.

    Examples
    --------
    >>> from sparsestat._engine import LogSum
    >>> LogSum(alpha=0.1, eps=0.1).prox([0.5, 3.0], step=1.0).round(4)
    array([0.    , 2.9674])
    """

    code = _pk.LOG_SUM
    is_convex = False

    def __init__(self, alpha, eps=1.0):
        self.alpha = alpha
        self.eps = eps

    def scaled(self, s):
        return LogSum(self.alpha / s / s, self.eps / s)

    def params_array(self):
        if not self.eps > 0:
            raise ValueError(f"LogSum needs eps > 0, got {self.eps}.")
        return np.array([self.alpha, self.eps], dtype=np.float64)


def _group_list(groups, n_features):
    import numbers

    if isinstance(groups, numbers.Integral):
        size = int(groups)
        if size < 1:
            raise ValueError(f"groups as an int is a group size >= 1, got {size}.")
        return [np.arange(s, min(s + size, n_features)) for s in range(0, n_features, size)]
    groups = list(groups)
    if groups and all(isinstance(g, numbers.Integral) and not isinstance(g, bool)
                      for g in groups):
        # a flat list of consecutive group sizes (celer's and skglm's convention)
        sizes = np.asarray(groups, dtype=np.int64)
        if np.any(sizes < 1):
            raise ValueError(f"groups as a list of sizes needs sizes >= 1, got {groups}.")
        ends = np.cumsum(sizes)
        return [np.arange(e - s, e) for s, e in zip(sizes, ends)]
    out = [np.asarray(g, dtype=np.int64).ravel() for g in groups]
    for k, g in enumerate(out):
        if g.size == 0:
            raise ValueError(f"groups[{k}] is empty: every group needs at least one feature.")
    return out


class GroupL1(Penalty):
    """``alpha * sum_g weight_g ||w_g||_2`` (group lasso; block soft-thresholding prox).

    Parameters
    ----------
    alpha : float
        Regularization strength, >= 0, multiplying the weighted sum of group norms.
    groups : int, list of int or list of array-like of int
        A group size (consecutive features), a flat list of consecutive group sizes, or
        the feature indices of each group. The
        groups must partition the features (``n_features`` is checked by
        :meth:`struct_array`).
    weights : array-like of shape (n_groups,), default=None
        Group weights; default ``sqrt(group size)`` (Yuan and Lin, 2006).
    n_features : int, default=None
        Needed when ``groups`` is an int. The penalty factor of the other penalties is
        not used: give ``weights`` instead.

    Examples
    --------
    >>> from sparsestat._engine import GroupL1
    >>> GroupL1(alpha=1.0, groups=2, weights=[1.0, 1.0], n_features=4).prox(
    ...     [3.0, 4.0, 0.3, 0.4], step=1.0)
    array([2.4, 3.2, 0. , 0. ])
    """

    code = _pk.GROUP_L1
    is_separable = False

    def __init__(self, alpha, groups, weights=None, n_features=None):
        self.alpha = alpha
        self.groups = groups
        self.weights = weights
        self.n_features = n_features

    def group_list(self, n_features=None):
        n_features = self.n_features if n_features is None else n_features
        if n_features is None:
            n_features = int(max(int(np.max(g)) for g in _group_list(self.groups, 1)) + 1)
        return _group_list(self.groups, n_features)

    def group_weights(self, n_features=None):
        glist = self.group_list(n_features)
        if self.weights is None:
            return np.sqrt([len(g) for g in glist]).astype(np.float64)
        weights = np.asarray(self.weights, dtype=np.float64).ravel()
        if weights.shape != (len(glist),):
            raise ValueError(
                f"weights has shape {weights.shape}, expected ({len(glist)},): one per group.")
        if not np.all(np.isfinite(weights)) or np.any(weights < 0):
            raise ValueError("Group weights must be finite and nonnegative.")
        return weights

    def scaled(self, s):
        return self.with_alpha(self.alpha / s)

    def params_array(self):
        return np.concatenate([[float(self.alpha)], self.group_weights()])

    def struct_array(self):
        glist = self.group_list()
        p = self.n_features
        idx = np.concatenate(glist) if glist else np.empty(0, dtype=np.int64)
        if p is None:
            p = idx.shape[0]
        if idx.shape[0] != p or not np.array_equal(np.sort(idx), np.arange(p)):
            raise ValueError(
                f"groups must partition the {p} features: every index exactly once.")
        ptr = np.concatenate([[0], np.cumsum([len(g) for g in glist])])
        return np.concatenate([[len(glist)], ptr, idx]).astype(np.int64)

    def __eq__(self, other):
        if type(self) is not type(other):
            return False
        try:
            return (self.alpha == other.alpha and self.n_features == other.n_features
                    and np.array_equal(self.struct_array(), other.struct_array())
                    and np.array_equal(self.group_weights(), other.group_weights()))
        except ValueError:
            return self is other

    def __hash__(self):
        return hash((type(self).__name__, self.alpha, self.n_features))


class SLOPE(Penalty):
    """``alpha * sum_j weights_j |w|_(j)``: sorted L1 (SLOPE, Bogdan et al., 2015).

    ``|w|_(1) >= |w|_(2) >= ...`` are the coefficients' magnitudes in decreasing order, so
    the largest coefficient gets the largest weight. Convex, not separable: served by FISTA
    through its vector prox (the stack algorithm, O(p log p)).

    Parameters
    ----------
    alpha : float
        Regularization strength, >= 0, multiplying the whole sequence.
    weights : array-like of shape (n_features,)
        Nonnegative, nonincreasing weights; see :meth:`bh_weights` for the
        Benjamini-Hochberg sequence. Equal weights give the Lasso. The penalty factor of
        the separable penalties is not used.

    Examples
    --------
    >>> from sparsestat._engine import SLOPE
    >>> SLOPE(alpha=1.0, weights=[2.0, 1.0]).prox([3.0, -3.0], step=1.0)
    array([ 1.5, -1.5])
    """

    code = _pk.SLOPE
    is_separable = False

    def __init__(self, alpha, weights):
        self.alpha = alpha
        self.weights = weights

    @staticmethod
    def bh_weights(n_features, q=0.1):
        """Benjamini-Hochberg weights ``Phi^{-1}(1 - q j / (2 p))``, j = 1..p.

        With an orthogonal design and unit noise, SLOPE at ``alpha = 1`` controls the
        false discovery rate at level ``q`` (Bogdan et al., 2015, Theorem 1.1).
        """
        from scipy.stats import norm

        if not 0.0 < q < 1.0:
            raise ValueError(f"q must lie in (0, 1), got {q}.")
        j = np.arange(1, n_features + 1)
        return norm.isf(q * j / (2.0 * n_features))

    def checked_weights(self, n_features=None):
        weights = np.asarray(self.weights, dtype=np.float64).ravel()
        if n_features is not None and weights.shape != (n_features,):
            raise ValueError(
                f"SLOPE weights have shape {weights.shape}, expected ({n_features},): one per "
                "feature.")
        if not np.all(np.isfinite(weights)) or np.any(weights < 0):
            raise ValueError("SLOPE weights must be finite and nonnegative.")
        if np.any(np.diff(weights) > 0):
            raise ValueError("SLOPE weights must be nonincreasing (largest first).")
        return weights

    def _pf(self, n_features, penalty_factor):
        self.checked_weights(n_features)
        return super()._pf(n_features, penalty_factor)

    def scaled(self, s):
        return self.with_alpha(self.alpha / s)

    def params_array(self):
        return np.concatenate([[float(_check_alpha(self))], self.checked_weights()])

    def __eq__(self, other):
        return (type(self) is type(other) and self.alpha == other.alpha
                and np.array_equal(np.asarray(self.weights, float),
                                   np.asarray(other.weights, float)))

    def __hash__(self):
        return hash((type(self).__name__, self.alpha,
                     tuple(np.asarray(self.weights, float).ravel())))
