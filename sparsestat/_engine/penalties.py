"""Penalties: small picklable objects that name a compiled kernel and hold its parameters.

A penalty object carries no compiled state, so estimators can store it, ``clone`` and
pickle it. The solvers read ``code``, ``params_array()`` and ``struct_array()`` and call
the compiled scalar functions of ``_penalty_kernels``.
"""

import numpy as np

from . import _penalty_kernels as _pk

__all__ = ["Penalty", "L1", "ElasticNet"]


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


class L1(Penalty):
    """``alpha * sum_j pf_j |w_j|``.

    Examples
    --------
    >>> from sparsestat._engine import L1
    >>> L1(alpha=1.0).prox([3.0, -0.5], step=1.0)
    array([2., 0.])
    """

    code = _pk.L1

    def __init__(self, alpha):
        self.alpha = alpha

    def params_array(self):
        return np.array([self.alpha], dtype=np.float64)


class ElasticNet(Penalty):
    """``alpha * sum_j pf_j (l1_ratio |w_j| + (1 - l1_ratio) w_j^2 / 2)`` (scikit-learn's).

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

    def params_array(self):
        return np.array([self.alpha, self.l1_ratio], dtype=np.float64)
