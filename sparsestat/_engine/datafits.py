"""Datafits of one linear score per sample: ``F(w) = (1/n) sum_i sw_i f(y_i, x_i^T w + b)``.

Like penalties, datafits are plain picklable objects naming a compiled kernel. The
quadratic datafit in Gram form (only ``X^T X`` and ``X^T y`` known) is served by
:func:`sparsestat._engine.solve_gram`.
"""

import numpy as np

from . import _datafit_kernels as _dk

__all__ = ["Datafit", "Quadratic", "Logistic"]


class Datafit:
    code = -1

    def value(self, y, scores, sample_weight=None):
        """Datafit value at the given scores ``X w + b``."""
        y = np.ascontiguousarray(y, dtype=np.float64)
        scores = np.ascontiguousarray(scores, dtype=np.float64)
        sw = np.ones_like(y) if sample_weight is None else np.asarray(sample_weight, float)
        return _dk.datafit_value(self.code, y, scores, sw)

    def raw_gradient(self, y, scores, sample_weight=None):
        """``sw_i f'(y_i, score_i)`` for every sample (the gradient is ``X^T`` of this / n)."""
        y = np.ascontiguousarray(y, dtype=np.float64)
        scores = np.ascontiguousarray(scores, dtype=np.float64)
        sw = np.ones_like(y) if sample_weight is None else np.asarray(sample_weight, float)
        out = np.empty_like(y)
        _dk.fill_derivatives(self.code, y, scores, sw, out)
        return out

    def __repr__(self):
        return f"{type(self).__name__}()"

    def __eq__(self, other):
        return type(self) is type(other)

    def __hash__(self):
        return hash(type(self).__name__)


class Quadratic(Datafit):
    """Least squares, ``f(y, s) = (y - s)^2 / 2``."""

    code = _dk.QUADRATIC


class Logistic(Datafit):
    """Logistic loss for labels in {-1, +1}, ``f(y, s) = log(1 + exp(-y s))``."""

    code = _dk.LOGISTIC
