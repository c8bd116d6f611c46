"""Datafits of one linear score per sample: ``F(w) = (1/n) sum_i sw_i f(y_i, x_i^T w + b + o_i)``.

Like penalties, datafits are plain picklable objects naming compiled kernels and holding
their parameters: the solvers read ``code``, ``params_array()`` and what ``prepare()``
returns, and call the compiled pieces of ``_datafit_kernels``; no solver knows which
datafit it holds. Each datafit also owns the numbers generic code needs about it: its
curvature bound (``curvature_bound``), the intercept-only optimum (``intercept_only``,
behind ``alpha_max``), Newton weights (``raw_hessian``) and the size of its derivatives
(``derivative_scale``, the units of KKT tolerances). ``o`` is an optional offset
(exposure of a log-link model) given to ``solve(..., offset=)``.

The quadratic datafit in Gram form (only ``X^T X`` and ``X^T y`` known) is served by
:func:`sparsestat._engine.solve_gram`.
"""

import numpy as np

from . import _datafit_kernels as _dk

__all__ = ["Datafit", "Quadratic", "Logistic", "Huber", "SquaredHinge", "Poisson", "Gamma",
           "Tweedie", "Cox"]


def _weights(y, sample_weight):
    if sample_weight is None:
        return np.ones(y.shape[0])
    return np.ascontiguousarray(sample_weight, dtype=np.float64)


def _scores(scores):
    return np.ascontiguousarray(scores, dtype=np.float64)


class Datafit:
    """Base class. Subclasses set ``code`` and, when they have parameters, ``params_array``.

    Attributes
    ----------
    code : int
        Code of the datafit's compiled pieces (``_datafit_kernels``).
    is_separable : bool
        One loss term per sample: coordinate descent with per-sample derivatives works.
    has_intercept : bool
        Whether an intercept is identifiable (it cancels in Cox's partial likelihood).
    """

    code = -1
    is_separable = True
    has_intercept = True

    # ---- what the kernels see ----
    def params_array(self):
        """Parameters of the compiled pieces, float64 (empty when there are none)."""
        return np.empty(0)

    def prepare(self, y, sample_weight=None):
        """``(y_kernel, struct)``: the target as the kernels see it, validated.

        ``y_kernel`` is float64, 1-D; ``struct`` int64 (empty for separable datafits).
        Raises ValueError when ``y`` is outside the datafit's domain.
        """
        y = np.ascontiguousarray(y, dtype=np.float64)
        if y.ndim != 1:
            raise ValueError(f"{self!r} needs a 1-D target, got shape {y.shape}.")
        self._check_target(y)
        return y, np.empty(0, dtype=np.int64)

    def _check_target(self, y):
        """Raise ValueError when ``y`` is outside the domain (subclasses)."""

    def curvature_bound(self):
        """``sup_s f''(y, s)`` per unit weight, ``np.inf`` when there is none."""
        return float(_dk.curvature(self.code, self.params_array()))

    def shift_target(self, y, offset):
        """``y'`` with ``f(y', s) = f(y, s + offset)`` for all ``s``, or None.

        Where it exists (``f`` a function of ``y - s``) an offset is absorbed into the
        target, which keeps the solvers' special forms (centering, Gram, duality gap).
        """
        return None

    # ---- numbers generic code needs ----
    def intercept_only(self, y, sample_weight=None, offset=None):
        """Optimal intercept ``b`` of the model with no features (scores ``b + offset``).

        The base class solves ``sum_i sw_i f'(y_i, b + o_i) = 0`` (increasing in ``b`` for
        a convex ``f``) by safeguarded Newton steps inside a bracket; subclasses with a
        closed form override it. Returns ``+-inf`` when the optimum is at infinity.
        """
        yk, _ = self.prepare(y, sample_weight)
        sw = _weights(yk, sample_weight)
        o = np.zeros(yk.shape[0]) if offset is None else _scores(offset)

        def grad(b):
            return float(self.raw_gradient(y, o + b, sw).sum())

        def hess(b):
            return float(self.raw_hessian(y, o + b, sw).sum())

        return _root_increasing(grad, hess)

    def derivative_scale(self, y, sample_weight=None, fit_intercept=True, offset=None):
        """Typical size of ``f'`` at the intercept-only fit: the units of a gradient.

        KKT tolerances are relative to ``derivative_scale * rms(x_j)`` (a bound on
        ``|grad_j|`` at that fit, by Cauchy-Schwarz). The base class returns the weighted
        root mean square of the derivatives there, ``sqrt(sum_i sw_i f'_i^2 / n)``
        (1 when they vanish); without an intercept, at zero scores (plus the offset).
        """
        yk, _ = self.prepare(y, sample_weight)
        sw = _weights(yk, sample_weight)
        b = self.intercept_only(y, sw, offset) if fit_intercept and self.has_intercept \
            else 0.0
        if not np.isfinite(b):
            return 1.0
        o = np.zeros(yk.shape[0]) if offset is None else _scores(offset)
        raw = self.raw_gradient(y, o + b, np.ones_like(sw))
        top = float(np.max(np.abs(raw))) if raw.size else 0.0
        if not top > 0 or not np.isfinite(top):
            return 1.0
        return top * np.sqrt(float(sw @ (raw / top) ** 2) / raw.shape[0])

    # ---- numpy-level evaluation ----
    def value(self, y, scores, sample_weight=None):
        """Datafit value ``(1/n) sum_i sw_i f(y_i, s_i)`` at the scores ``s = X w + b``."""
        yk, struct = self.prepare(y, sample_weight)
        return float(_dk.datafit_value(self.code, self.params_array(), struct, yk,
                                       _scores(scores), _weights(yk, sample_weight)))

    def raw_gradient(self, y, scores, sample_weight=None):
        """``d/ds_i (n F)``, for a separable datafit ``sw_i f'(y_i, s_i)``.

        The gradient in ``w`` is ``X^T`` of this, divided by ``n``.
        """
        yk, struct = self.prepare(y, sample_weight)
        out = np.empty_like(yk)
        _dk.fill_derivatives(self.code, self.params_array(), struct, yk, _scores(scores),
                             _weights(yk, sample_weight), out)
        return out

    def raw_hessian(self, y, scores, sample_weight=None):
        """Diagonal Newton weights in score space, ``sw_i f''(y_i, s_i)`` when separable.

        ``X^T diag(h) X / n`` is the Hessian in ``w`` (see ``hess_1d`` for Tweedie above
        power 2, where the expected information replaces a negative ``f''``).
        """
        yk, struct = self.prepare(y, sample_weight)
        out = np.empty_like(yk)
        _dk.fill_hessian(self.code, self.params_array(), struct, yk, _scores(scores),
                         _weights(yk, sample_weight), out)
        return out

    def __repr__(self):
        params = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({params})"

    def __eq__(self, other):
        return type(self) is type(other) and vars(self) == vars(other)

    def __hash__(self):
        return hash((type(self).__name__, tuple(sorted(vars(self).items()))))


def _root_increasing(grad, hess, max_iter=200):
    """Root of a nondecreasing ``grad`` by Newton steps safeguarded by bisection.

    Returns ``+inf`` / ``-inf`` when ``grad`` keeps its sign on the whole line (the
    minimum of the convex function is at infinity), a point of the flat zero set when
    there is one.
    """
    g0 = grad(0.0)
    if g0 == 0.0:
        return 0.0
    # bracket: walk away from 0 in the descent direction, doubling
    direction = -1.0 if g0 > 0 else 1.0
    lo_b, step = 0.0, 1.0
    hi_b = None
    for _ in range(1100):
        b = direction * step
        g = grad(b)
        if g == 0.0:
            return b
        if (g > 0) == (g0 > 0):
            lo_b = b
        else:
            hi_b = b
            break
        step *= 2.0
        if step > 1e300:
            break
    if hi_b is None:
        return direction * np.inf
    a, c = (lo_b, hi_b) if lo_b < hi_b else (hi_b, lo_b)
    b = 0.5 * (a + c)
    for _ in range(max_iter):
        g = grad(b)
        if g == 0.0:
            return b
        if g > 0:
            c = b
        else:
            a = b
        h = hess(b)
        nb = b - g / h if h > 0 else 0.5 * (a + c)
        if not a < nb < c:
            nb = 0.5 * (a + c)
        if abs(nb - b) <= 1e-15 * (1.0 + abs(b)) or c - a <= 1e-15 * (1.0 + abs(b)):
            return nb
        b = nb
    return b


class Quadratic(Datafit):
    """Least squares, ``f(y, s) = (y - s)^2 / 2``.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat._engine import Quadratic
    >>> Quadratic().value(np.array([1.0, 2.0]), np.array([0.0, 2.0]))
    0.25
    """

    code = _dk.QUADRATIC

    def raw_gradient(self, y, scores, sample_weight=None):
        # numpy, not the generic kernel: a Lasso fit asks for alpha_max, and the kernel
        # would compile every datafit's derivative (Cox included) into a first fit
        yk, _ = self.prepare(y, sample_weight)
        return _weights(yk, sample_weight) * (_scores(scores) - yk)

    def shift_target(self, y, offset):
        return np.ascontiguousarray(y, dtype=np.float64) - _scores(offset)

    def intercept_only(self, y, sample_weight=None, offset=None):
        y = np.asarray(y, dtype=np.float64)
        sw = _weights(y, sample_weight)
        if offset is not None:
            y = y - _scores(offset)
        return float(sw @ y) / sw.sum()

    def derivative_scale(self, y, sample_weight=None, fit_intercept=True, offset=None):
        y = np.asarray(y, dtype=np.float64)
        sw = _weights(y, sample_weight)
        if offset is not None:
            y = y - _scores(offset)
        ref = y - float(sw @ y) / sw.sum() if fit_intercept else y
        # scaled by max |ref| first: the square overflows from |y| ~ 1e154
        top = float(np.max(np.abs(ref))) if ref.size else 0.0
        if not top > 0 or not np.isfinite(top):
            return 1.0
        return top * np.sqrt(float(sw @ (ref / top) ** 2) / ref.shape[0])


class _Labels(Datafit):
    """A classification datafit of labels in {-1, +1}."""

    def _check_target(self, y):
        if not np.all((y == 1.0) | (y == -1.0)):
            bad = y[(y != 1.0) & (y != -1.0)][:5]
            raise ValueError(f"{self!r} needs labels in {{-1, 1}}, got {bad.tolist()}.")


class Logistic(_Labels):
    """Logistic loss for labels in {-1, +1}, ``f(y, s) = log(1 + exp(-y s))``.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat._engine import Logistic
    >>> round(Logistic().intercept_only(np.array([1.0, 1.0, -1.0])), 6)
    0.693147
    """

    code = _dk.LOGISTIC

    def intercept_only(self, y, sample_weight=None, offset=None):
        if offset is not None:
            return super().intercept_only(y, sample_weight, offset)
        y = np.asarray(y, dtype=np.float64)
        sw = _weights(y, sample_weight)
        pos = float(sw[y > 0].sum())
        neg = float(sw[y <= 0].sum())
        if pos > 0 and neg > 0:
            return float(np.log(pos / neg))
        return np.inf if pos > 0 else -np.inf

    def derivative_scale(self, y, sample_weight=None, fit_intercept=True, offset=None):
        return 1.0  # |f'| <= 1


class Huber(Datafit):
    """Huber loss of the residual ``r = y - s``: ``r^2 / 2`` for ``|r| <= delta``, else
    ``delta (|r| - delta / 2)``.

    Parameters
    ----------
    delta : float, default=1.0
        Where the loss turns from quadratic to linear, > 0.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat._engine import Huber
    >>> Huber(delta=1.0).value(np.array([3.0]), np.array([0.0]))
    2.5
    """

    code = _dk.HUBER

    def __init__(self, delta=1.0):
        delta = float(delta)
        if not (np.isfinite(delta) and delta > 0):
            raise ValueError(f"Huber needs a finite delta > 0, got {delta}.")
        self.delta = delta

    def params_array(self):
        return np.array([self.delta])

    def shift_target(self, y, offset):
        return np.ascontiguousarray(y, dtype=np.float64) - _scores(offset)


class SquaredHinge(_Labels):
    """Squared hinge loss for labels in {-1, +1}, ``f(y, s) = max(0, 1 - y s)^2``.

    With ``alpha = 1 / (C n)`` and an L1 penalty this is scikit-learn's
    ``LinearSVC(penalty="l1", loss="squared_hinge", dual=False)`` up to the factor ``C``.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat._engine import SquaredHinge
    >>> SquaredHinge().value(np.array([1.0, -1.0]), np.array([0.5, 1.0]))
    2.125
    """

    code = _dk.SQUARED_HINGE


class _LogLink(Datafit):
    """Tweedie-family deviance with a log link: ``mu = exp(s)``.

    ``f`` is half the unit deviance up to a constant in ``s``; ``F`` therefore differs from
    glum's / scikit-learn's objective only by a constant (and their normalization of the
    weights).
    """

    power = None

    def _check_target(self, y):
        if self.power >= 2.0:
            if not np.all(y > 0):
                raise ValueError(f"{self!r} needs targets > 0, got min {y.min()}.")
        elif not np.all(y >= 0):
            raise ValueError(f"{self!r} needs targets >= 0, got min {y.min()}.")

    def intercept_only(self, y, sample_weight=None, offset=None):
        # sum_i sw_i (mu_i^(2-p) - y_i mu_i^(1-p)) = 0 with mu_i = exp(b + o_i) gives
        # exp(b) = sum sw y e^((1-p) o) / sum sw e^((2-p) o), for every power
        yk, _ = self.prepare(y, sample_weight)
        sw = _weights(yk, sample_weight)
        p = self.power
        o = np.zeros(yk.shape[0]) if offset is None else _scores(offset)
        shift = float(o.max()) if o.size else 0.0  # exponents computed relative to max(o)
        num = float(sw @ (yk * np.exp((1.0 - p) * (o - shift))))
        den = float(sw @ np.exp((2.0 - p) * (o - shift)))
        if num <= 0.0:
            return -np.inf
        return float(np.log(num) - np.log(den)) - shift


class Poisson(_LogLink):
    """Poisson deviance with a log link, ``f(y, s) = exp(s) - y s`` (targets ``y >= 0``).

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat._engine import Poisson
    >>> float(np.exp(Poisson().intercept_only(np.array([1.0, 3.0]))))
    2.0
    """

    code = _dk.POISSON
    power = 1.0


class Gamma(_LogLink):
    """Gamma deviance with a log link, ``f(y, s) = y exp(-s) + s`` (targets ``y > 0``).

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat._engine import Gamma
    >>> float(np.exp(Gamma().intercept_only(np.array([1.0, 3.0]))))
    2.0
    """

    code = _dk.GAMMA
    power = 2.0


class Tweedie(_LogLink):
    """Tweedie deviance with a log link, power ``p`` in [1, 2] or above 2.

    ``f(y, s) = exp((2-p) s) / (2-p) - y exp((1-p) s) / (1-p)`` (Poisson at ``p = 1``,
    Gamma at ``p = 2``); targets ``y >= 0`` for ``p < 2``, ``y > 0`` from ``p = 2``.
    Above power 2 ``f`` is not convex in ``s`` everywhere: Newton weights there are the
    expected information.

    Parameters
    ----------
    power : float, default=1.5
        The variance power: 1 <= power (compound Poisson-Gamma for 1 < power < 2).

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat._engine import Tweedie
    >>> float(np.exp(Tweedie(power=1.5).intercept_only(np.array([1.0, 3.0]))))
    2.0
    """

    code = _dk.TWEEDIE

    def __init__(self, power=1.5):
        power = float(power)
        if not (np.isfinite(power) and power >= 1.0):
            raise ValueError(
                f"Tweedie with a log link needs a finite power >= 1, got {power} (powers "
                "in (0, 1) have no distribution; power 0 is the quadratic datafit).")
        self.power = power

    def params_array(self):
        return np.array([self.power])


class Cox(Datafit):
    """Cox proportional hazards: the negative log partial likelihood over ``n``.

    ``n F(s) = - sum_i sw_i delta_i s_i + sum_g d_g log sum_{t_j >= t_g} sw_j exp(s_j)``
    over the distinct event times ``t_g`` (``d_g`` their summed event weight), Breslow's
    handling of ties; Efron's (``ties="efron"``) discounts the tied events' share of the
    risk set. Not separable (every score enters every earlier risk set); an intercept
    cancels. Kernels in ``_cox.py``: value, score-space gradient and Hessian diagonal in
    O(n) after one sort by time.

    Parameters
    ----------
    ties : {"breslow", "efron"}, default="breslow"
        Handling of tied event times.

    Notes
    -----
    The target is scikit-survival's structured array (a boolean event field and a time
    field), an ``(n, 2)`` array of columns ``[time, event]``, or a 1-D array of times
    (every event observed); see :func:`sparsestat._engine._cox.survival_target`.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat._engine import Cox
    >>> y = np.array([[1.0, 1], [2.0, 1], [3.0, 0]])  # [time, event]
    >>> round(Cox().value(y, np.zeros(3)), 6)  # (log 3 + log 2) / 3
    0.597253
    """

    code = _dk.COX
    is_separable = False
    has_intercept = False

    def __init__(self, ties="breslow"):
        if ties not in ("breslow", "efron"):
            raise ValueError(f"Cox ties must be 'breslow' or 'efron', got {ties!r}.")
        self.ties = ties

    def params_array(self):
        return np.array([1.0 if self.ties == "efron" else 0.0])

    def prepare(self, y, sample_weight=None):
        from ._cox import cox_struct, survival_target

        time, event = survival_target(y)
        if sample_weight is not None and np.shape(sample_weight) != time.shape:
            raise ValueError(f"sample_weight has shape {np.shape(sample_weight)} for "
                             f"{time.shape[0]} samples.")
        return np.ascontiguousarray(event), cox_struct(time)

    def curvature_bound(self):
        return np.inf

    def intercept_only(self, y, sample_weight=None, offset=None):
        return 0.0  # any constant: it cancels in the partial likelihood
