"""Datafits and penalties written by a user, solved by a generic proximal-gradient path.

The built-in pieces dispatch on integer codes inside kernels that are compiled once and
cached on disk. A user's piece cannot join that dispatch without recompiling every
solver, so it gets its own small path instead: the user's scalar functions are
compiled (in the user's process, not cached) into three vector kernels (datafit value,
datafit derivatives, penalty prox), and a proximal-gradient loop with backtracking and
adaptive restart (FISTA, Beck & Teboulle 2009; O'Donoghue & Candes 2015) drives them
from Python. Each iteration costs two products with ``X`` and compiled O(n + p) work.

A built-in datafit or penalty may be combined with a user-written one: it is handed to
the same path through its own numpy-level methods (``value``, ``raw_gradient``,
``prox``), so no generic code here needs to know which piece it holds.
"""

import functools

import numba
import numpy as np

from .datafits import Datafit
from .penalties import Penalty

__all__ = ["CustomDatafit", "CustomPenalty", "is_custom", "solve_custom"]


_COMPILED = {}  # (class, role) -> checked dispatcher, once per process


def _compiled(owner, role, *probe):
    """``owner``'s scalar function ``role`` as a numba dispatcher, checked on ``probe``.

    A plain Python function is compiled here. Compiling on a probe call turns numba's
    typing errors (raised otherwise from deep inside the solver) into one TypeError
    that names the piece and the function.
    """
    key = (type(owner), role)
    if key in _COMPILED:
        return _COMPILED[key]
    function = getattr(type(owner), role, None)
    name = f"{type(owner).__name__}.{role}"
    if not callable(function):
        raise TypeError(f"{name} must be a function that numba can compile, got "
                        f"{function!r}.")
    if not isinstance(function, numba.core.registry.CPUDispatcher):
        function = numba.njit(cache=False)(function)
    try:
        value = function(*probe)
    except numba.core.errors.NumbaError as err:
        first = str(err).strip().splitlines()[0]
        raise TypeError(f"numba cannot compile {name}: {first}") from err
    if not isinstance(value, (float, int, np.floating, np.integer)):
        raise TypeError(f"{name} must return a float, got {type(value).__name__}.")
    _COMPILED[key] = function
    return function


class CustomDatafit(Datafit):
    """Base class of a user-written datafit ``(1/n) sum_i sw_i f(y_i, x_i^T w + b)``.

    A subclass gives the per-sample loss ``f`` and its derivative in the score as two
    static functions ``loss_1d(y, score, params)`` and ``deriv_1d(y, score, params)``
    (the names of the built-in datafits' kernels) that numba can compile (plain Python
    functions are compiled on first use; decorating them with ``numba.njit`` is
    equivalent). ``params`` is the float64 array returned by :meth:`params_array`:
    the datafit's own parameters, so one compiled function serves every value of them.

    Attributes
    ----------
    loss_1d : callable
        ``loss_1d(y, score, params)``: the per-sample loss.
    deriv_1d : callable
        ``deriv_1d(y, score, params)``: its derivative with respect to ``score``.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat._engine import CustomDatafit
    >>> class Cauchy(CustomDatafit):
    ...     def __init__(self, scale=1.0):
    ...         self.scale = scale
    ...     def params_array(self):
    ...         return np.array([self.scale])
    ...     @staticmethod
    ...     def loss_1d(y, score, params):
    ...         return 0.5 * params[0] ** 2 * np.log1p(((y - score) / params[0]) ** 2)
    ...     @staticmethod
    ...     def deriv_1d(y, score, params):
    ...         r = score - y
    ...         return r / (1.0 + (r / params[0]) ** 2)
    >>> float(Cauchy().value(np.array([0.0, 1.0]), np.array([0.0, 0.0])))
    0.1732...
    """

    code = -1  # no kernel of the built-in dispatch: solved by solve_custom
    loss_1d = None
    deriv_1d = None

    def params_array(self):
        """The parameters handed to ``loss_1d`` and ``deriv_1d`` (float64 array)."""
        return np.empty(0)

    def _kernels(self):
        params = self.params_array()
        return _datafit_kernels(_compiled(self, "loss_1d", 1.0, 0.5, params),
                                _compiled(self, "deriv_1d", 1.0, 0.5, params))

    def value(self, y, scores, sample_weight=None):
        """Datafit value at the given scores ``X w + b``."""
        y, scores, sw = _as_samples(y, scores, sample_weight)
        return float(self._kernels()[0](y, scores, sw, self.params_array()))

    def raw_gradient(self, y, scores, sample_weight=None):
        """``sw_i f'(y_i, score_i)`` for every sample (the gradient is ``X^T`` of this / n)."""
        y, scores, sw = _as_samples(y, scores, sample_weight)
        out = np.empty_like(y)
        self._kernels()[1](y, scores, sw, self.params_array(), out)
        return out

    def raw_hessian(self, y, scores, sample_weight=None):
        """``sw_i f''(y_i, score_i)`` by central differences of ``deriv_1d``.

        Used only for the intercept-only fit behind ``alpha_max`` and the tolerance's
        units, never by the solver.
        """
        scores = np.ascontiguousarray(scores, dtype=np.float64)
        step = 1e-6 * np.maximum(1.0, np.abs(scores))
        return (self.raw_gradient(y, scores + step, sample_weight)
                - self.raw_gradient(y, scores - step, sample_weight)) / (2.0 * step)

    def curvature_bound(self):
        """No bound is known for a user's loss: the solver backtracks instead."""
        return np.inf

    def __repr__(self):
        return f"{type(self).__name__}()"

    def __eq__(self, other):
        return type(self) is type(other) and np.array_equal(
            self.params_array(), other.params_array())

    def __hash__(self):
        return hash((type(self).__name__, tuple(self.params_array())))


class CustomPenalty(Penalty):
    """Base class of a user-written separable penalty ``sum_j pf_j pen(w_j)``.

    A subclass gives the scalar penalty and its proximal operator as two functions that
    numba can compile: ``value_1d(w, params) -> float`` and ``prox_1d(v, step, params)
    -> float`` (the names of the built-in penalties' kernels), the minimizer of ``(x - v)**2 / (2 step) + pen(x)``, exact for every
    ``step > 0``. ``params`` is :meth:`params_array`, which must start with ``alpha``
    (the path functions replace it). A feature's penalty factor ``pf`` enters through
    the step (the prox of ``pf * pen`` with step ``s`` is that of ``pen`` with step
    ``pf * s``), so ``prox`` never sees it. Box bounds are applied by clipping the prox,
    which is exact for a convex ``pen``.

    Parameters
    ----------
    alpha : float
        Regularization strength, ``params_array()[0]``.

    Attributes
    ----------
    is_convex : bool
        Whether ``pen`` is convex (used only in messages and certificates).
    value_1d : callable
        ``value_1d(w, params)``: the penalty of one coefficient.
    prox_1d : callable
        ``prox_1d(v, step, params)``: its proximal operator.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat._engine import CustomPenalty
    >>> class CappedL1(CustomPenalty):
    ...     is_convex = False
    ...     def __init__(self, alpha=1.0, cap=1.0):
    ...         self.alpha, self.cap = alpha, cap
    ...     def params_array(self):
    ...         return np.array([self.alpha, self.cap])
    ...     @staticmethod
    ...     def value_1d(w, params):
    ...         return params[0] * min(abs(w), params[1])
    ...     @staticmethod
    ...     def prox_1d(v, step, params):
    ...         alpha, cap = params[0], params[1]
    ...         inner = np.sign(v) * min(max(abs(v) - step * alpha, 0.0), cap)
    ...         outer = np.sign(v) * max(abs(v), cap)
    ...         cost_in = (inner - v) ** 2 / (2 * step) + alpha * min(abs(inner), cap)
    ...         cost_out = (outer - v) ** 2 / (2 * step) + alpha * cap
    ...         return inner if cost_in <= cost_out else outer
    >>> CappedL1(alpha=1.0, cap=2.0).prox(np.array([0.5, 1.5, 5.0]), 1.0)
    array([0. , 0.5, 5. ])
    """

    code = -1  # no kernel of the built-in dispatch: solved by solve_custom
    is_convex = True
    is_separable = True
    value_1d = None
    prox_1d = None

    def __init__(self, alpha=1.0):
        self.alpha = alpha

    def params_array(self):
        """The parameters handed to ``value_1d`` and ``prox_1d``: ``[alpha, ...]``."""
        return np.array([float(self.alpha)])

    def _kernels(self):
        params = self.params_array()
        return _penalty_kernels(_compiled(self, "value_1d", 0.5, params),
                                _compiled(self, "prox_1d", 0.5, 1.0, params))

    def value(self, w, penalty_factor=None):
        """Penalty summed over the coefficients ``w``."""
        w = np.ascontiguousarray(np.asarray(w, dtype=np.float64).ravel())
        pf = _factors(w.shape[0], penalty_factor)
        return float(self._kernels()[0](w, pf, self.params_array()))

    def prox(self, v, step, penalty_factor=None, lower=None, upper=None):
        """Proximal operator ``argmin_x ||x - v||^2 / (2 step) + pen(x)`` (+ box bounds)."""
        v = np.asarray(v, dtype=np.float64)
        flat = np.ascontiguousarray(v.ravel())
        p = flat.shape[0]
        lo = np.full(p, -np.inf) if lower is None else np.broadcast_to(lower, (p,)).astype(float)
        hi = np.full(p, np.inf) if upper is None else np.broadcast_to(upper, (p,)).astype(float)
        out = np.empty(p)
        self._kernels()[1](flat, float(step), _factors(p, penalty_factor), lo, hi,
                           self.params_array(), out)
        return out.reshape(v.shape)

    def __repr__(self):
        return f"{type(self).__name__}(alpha={self.alpha!r})"

    def __eq__(self, other):
        return type(self) is type(other) and np.array_equal(
            self.params_array(), other.params_array())

    def __hash__(self):
        return hash((type(self).__name__, tuple(self.params_array())))


def _as_samples(y, scores, sample_weight):
    y = np.ascontiguousarray(y, dtype=np.float64)
    scores = np.ascontiguousarray(scores, dtype=np.float64)
    sw = np.ones_like(y) if sample_weight is None else np.ascontiguousarray(
        sample_weight, dtype=np.float64)
    return y, scores, sw


def _factors(p, penalty_factor):
    if penalty_factor is None:
        return np.ones(p)
    return np.ascontiguousarray(np.broadcast_to(
        np.asarray(penalty_factor, dtype=np.float64), (p,)))


# One set of vector kernels per user function, built once per process (numba compiles a
# closure over a dispatcher into code that calls it directly).
@functools.lru_cache(maxsize=None)
def _datafit_kernels(loss_1d, deriv_1d):
    @numba.njit(cache=False)
    def value(y, scores, sw, params):
        total = 0.0
        for i in range(y.shape[0]):
            total += sw[i] * loss_1d(y[i], scores[i], params)
        return total / y.shape[0]

    @numba.njit(cache=False)
    def derivatives(y, scores, sw, params, out):
        for i in range(y.shape[0]):
            out[i] = sw[i] * deriv_1d(y[i], scores[i], params)

    return value, derivatives


@functools.lru_cache(maxsize=None)
def _penalty_kernels(value_1d, prox_1d):
    @numba.njit(cache=False)
    def value(w, pf, params):
        total = 0.0
        for j in range(w.shape[0]):
            if pf[j] != 0.0:
                total += pf[j] * value_1d(w[j], params)
        return total

    @numba.njit(cache=False)
    def prox(v, step, pf, lower, upper, params, out):
        for j in range(v.shape[0]):
            x = v[j] if pf[j] == 0.0 else prox_1d(v[j], step * pf[j], params)
            out[j] = min(max(x, lower[j]), upper[j])

    return value, prox


def is_custom(datafit, penalty):
    """Whether either piece is user-written (and so needs :func:`solve_custom`)."""
    return isinstance(datafit, CustomDatafit) or isinstance(penalty, CustomPenalty)


def solve_custom(X, y, datafit, penalty, *, sample_weight=None, fit_intercept=True,
                 penalty_factor=None, lower=None, upper=None, coef_init=None,
                 intercept_init=0.0, max_iter=1000, tol=1e-4, offset=None):
    """Accelerated proximal gradient for any datafit and separable penalty.

    Uses only the pieces' numpy-level methods (``datafit.value`` / ``raw_gradient``,
    ``penalty.value`` / ``prox``), so a user-written piece and a built-in one mix. The
    step is found by backtracking on the datafit's quadratic upper bound (no curvature
    bound needed); an iterate that raises the objective restarts the momentum and is
    not taken, so the objective never increases. Stops when the prox-gradient mapping,
    the optimality residual ``L ||w_+ - z||_inf`` (intercept included), is ``<= tol``.

    Parameters and return value are those of :func:`sparsestat._engine.solve` (the
    result's ``solver`` is "custom"); ``offset`` is added to every score.
    """
    from .solvers import SolverResult

    n, p = X.shape
    y = np.ascontiguousarray(y, dtype=np.float64)
    sw = np.ones(n) if sample_weight is None else np.ascontiguousarray(
        sample_weight, dtype=np.float64)
    pf = _factors(p, penalty_factor)
    lo = np.full(p, -np.inf) if lower is None else np.broadcast_to(
        np.asarray(lower, dtype=np.float64), (p,))
    hi = np.full(p, np.inf) if upper is None else np.broadcast_to(
        np.asarray(upper, dtype=np.float64), (p,))
    w = np.zeros(p) if coef_init is None else np.array(coef_init, dtype=np.float64)
    w = np.clip(w, lo, hi)
    b = float(intercept_init) if fit_intercept else 0.0

    shift = 0.0 if offset is None else np.broadcast_to(
        np.asarray(offset, dtype=np.float64), (n,))

    def scores_at(coef, intercept):
        return np.asarray(X @ coef).ravel() + intercept + shift

    def objective(coef, scores):
        return datafit.value(y, scores, sw) + penalty.value(coef, pf)

    # a first step size from the columns' scale; backtracking corrects it either way
    col_sq = np.asarray(X.multiply(X).sum(axis=0) if hasattr(X, "multiply")
                        else (X * X).sum(axis=0)).ravel()
    L = max(float(col_sq.max(initial=0.0)) / n, 1.0 if fit_intercept else 0.0, 1e-12)
    scores = scores_at(w, b)
    F = objective(w, scores)
    history = [F]
    z, zb, t = w.copy(), b, 1.0
    crit, converged, n_iter = np.inf, False, 0
    for n_iter in range(1, max_iter + 1):
        z_scores = scores_at(z, zb)
        f_z = datafit.value(y, z_scores, sw)
        raw = datafit.raw_gradient(y, z_scores, sw)
        grad = np.asarray(X.T @ raw).ravel() / n
        grad_b = float(raw.sum()) / n if fit_intercept else 0.0
        L *= 0.9  # let the step grow again where the curvature is lower
        while True:
            w_new = penalty.prox(z - grad / L, 1.0 / L, pf, lo, hi)
            b_new = zb - grad_b / L
            new_scores = scores_at(w_new, b_new)
            f_new = datafit.value(y, new_scores, sw)
            d, db = w_new - z, b_new - zb
            bound = f_z + grad @ d + grad_b * db + 0.5 * L * (d @ d + db * db)
            if f_new <= bound + 8.0 * np.finfo(float).eps * abs(f_z) or not np.isfinite(L):
                break
            L *= 2.0
        crit = L * max(float(np.abs(d).max(initial=0.0)), abs(db))
        F_new = f_new + penalty.value(w_new, pf)
        # (the slack: near the optimum a true descent step can lose to rounding)
        if F_new <= F + 4.0 * np.finfo(float).eps * abs(F):
            t_next = 0.5 * (1.0 + np.sqrt(1.0 + 4.0 * t * t))
            z = w_new + ((t - 1.0) / t_next) * (w_new - w)
            zb = b_new + ((t - 1.0) / t_next) * (b_new - b)
            w, b, F, t = w_new, b_new, F_new, t_next
        else:
            if t == 1.0:
                # a plain prox-gradient step from the best point raised the objective:
                # the step only passed the bound by rounding, so take shorter ones
                L *= 4.0
            # adaptive restart: momentum overshot, start again from the best point
            z, zb, t = w.copy(), b, 1.0
        history.append(F)
        if crit <= tol:
            converged = True
            break
    return SolverResult(coef=w, intercept=float(b), n_iter=n_iter, stop_crit=float(crit),
                        converged=converged, solver="custom", objective=np.asarray(history),
                        stop_measure="prox-gradient residual", tol=float(tol))
