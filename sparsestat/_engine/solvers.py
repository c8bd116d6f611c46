"""Python entry points of the engine: arrays in, :class:`SolverResult` out.

``solve`` picks a compiled solver (working-set CD, Gram CD or FISTA), does the one-time
layout work (centering for the intercept, Gram matrix) and hands plain arrays over.
Validation of user input belongs to the estimators; these functions trust their input.
"""

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from . import _datafit_kernels as _dk
from . import _penalty_kernels as _pk
from ._cd import WS_MIN_SHARE, cd_solve, coordinate_constants
from ._colops import centered_f_copy, design_entries, split_design
from ._fista import fista_solve
from ._custom import is_custom, solve_custom
from ._gap import enet_duality_gap, unpenalized_slack
from ._gram_cd import WorkingSetGram, gram_cd_solve, gram_rounding
from ._greedy_cd import solve_greedy
from ._group_cd import solve_group
from ._interrupt import first_budget, run_in_chunks
from ._path import cd_path, gram_path, prox_newton_path, ws_gram_path
from ._prox_newton import prox_newton_solve
from .datafits import Quadratic

__all__ = ["SolverResult", "solve", "solve_path", "solve_gram", "alpha_max_l1", "GRAM_MAX_FEATURES"]

#: "auto" may switch to Gram CD when n_samples >= 2 n_features and n_features is at most
#: this (the Gram matrix is dense, p x p); see :func:`gram_switch_size`.
GRAM_MAX_FEATURES = 5000
ANDERSON_SIZE = 5


@dataclass
class SolverResult:
    """What a solve returns.

    Attributes
    ----------
    coef : ndarray of shape (n_features,)
        The coefficients found.
    intercept : float
        The intercept (0.0 without one).
    n_iter : int
        Epochs (CD), iterations (FISTA) or Newton steps (proximal Newton) run.
    stop_crit : float
        The duality gap (quadratic datafit with L1 / elastic net) or the largest KKT
        violation, at the returned solution.
    converged : bool
        Whether ``stop_crit`` reached the tolerance.
    solver : str
        The solver that ran: "cd", "gram", "fista", "prox_newton", "bcd" or "greedy".
    objective : ndarray
        The objective at each convergence check (for plots).
    max_correlation : float or None
        ``max_j |x_j^T sw (y - ybar)| / (n pf_j)`` over the penalized features
        (``alpha_max`` of the Lasso; signed, clipped at 0, with positivity) when the
        solver had it for free (Gram CD holds ``X^T y``; a cold CD start's first
        gradient is it, for any datafit: ``alpha_max_l1``'s value), else None.
    stop_measure : str
        What ``stop_crit`` measures, for messages: ``"duality gap"`` (relative to
        ``||y - ybar||^2 / n``), ``"KKT violation"`` (the largest distance of a gradient
        to the penalty's subdifferential, intercept included) or ``"prox-gradient
        residual"`` (user-written pieces).
    tol : float or None
        The tolerance that ``stop_crit`` was held to, in the same units (an estimator's
        relative ``tol`` times its gradient scale, for a KKT violation); None when unknown.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat._engine import L1, Quadratic, solve
    >>> res = solve(np.eye(3), np.array([2.0, 0.1, -1.0]), Quadratic(), L1(alpha=0.1),
    ...             fit_intercept=False)
    >>> res.solver, res.converged
    ('cd', True)
    """

    coef: np.ndarray
    intercept: float
    n_iter: int
    stop_crit: float
    converged: bool
    solver: str
    objective: np.ndarray = field(repr=False)
    max_correlation: float | None = None
    stop_measure: str = "KKT violation"
    tol: float | None = None


#: the solvers ``solve`` knows; "auto" chooses among them (see :func:`_choose_solver`)
SOLVERS = ("auto", "cd", "gram", "fista", "prox_newton")


def _choose_solver(solver, datafit, penalty, sparse, n, p):
    """The solver for a datafit / penalty pair; a ValueError names a pair that cannot work.

    "auto": FISTA for a non-separable penalty, coordinate descent for a quadratic
    problem (on a dense tall one the Lasso and elastic net run it on Gram blocks of the
    working sets, and every penalty moves to the full Gram matrix when the working set
    grows past :func:`gram_switch_size`), proximal Newton for every other datafit (the only choice
    for those without a curvature bound: Poisson, Gamma, Tweedie, Cox).
    """
    if solver not in SOLVERS:
        raise ValueError(f"Unknown solver {solver!r}; expected one of {SOLVERS}.")
    is_quadratic = datafit.code == Quadratic.code
    bounded = datafit.is_separable and np.isfinite(datafit.curvature_bound())
    if solver == "auto":
        if not penalty.is_separable:
            solver = "fista"
        elif not is_quadratic:
            # measured (bench_glm.py): 2-3x CD on single logistic / Huber / squared-hinge
            # fits, 6-15x on logistic paths; and the only choice without a curvature bound
            solver = "prox_newton"
        else:
            solver = "cd"
    pair = f"{datafit!r} with {type(penalty).__name__}"
    if solver == "gram" and not is_quadratic:
        raise ValueError(f"solver='gram' needs the quadratic datafit, not {pair}.")
    if solver in ("cd", "gram", "prox_newton") and not penalty.is_separable:
        raise ValueError(f"solver={solver!r} needs a separable penalty; {pair} is not: "
                         "use solver='fista'.")
    if solver == "cd" and not bounded:
        raise ValueError(
            f"solver='cd' needs a separable datafit with a curvature bound; {pair} has "
            "none (coordinate steps 1 / L_j would be 0): use solver='prox_newton' or "
            "'auto'.")
    return solver


#: share of the features (see :func:`gram_switch_size`)
GRAM_SWITCH_SHARE = 0.25
#: "auto"'s Gram CD phases on tall data stop at this share of ``tol`` (see
#: ``_Problem.tight_gram``): a gap at least as tight as scikit-learn's on
#: bench_lasso.py's tall rows (at ``tol``: 8e-7 vs scikit-learn's 5e-7), for about one
#: more millisecond of Gram epochs
GRAM_TOL_SHARE = 0.25


def gram_switch_size(n, p):
    """Working-set size past which "auto" forms the full Gram matrix (tall dense data).

    ``p + 1`` (never) unless the problem is tall (``n >= 2 p``) and the Gram matrix fits
    (``p <= GRAM_MAX_FEATURES``); else a quarter of the features. Below it, working sets
    are solved on their Gram blocks (Lasso, elastic net) or by CD on ``X``. Forming
    ``X^T X`` (BLAS syrk) costs about ``p / 28`` passes over ``X`` (20000 x 500: 88 ms vs
    5 ms), which a small support never repays and a large one does; measurements in
    docs/engine.rst ("When auto forms the Gram matrix").
    """
    if n < 2 * p or p > GRAM_MAX_FEATURES:
        return p + 1
    return max(1, int(GRAM_SWITCH_SHARE * p))


def _bounds(p, lower, upper):
    lo = np.full(p, -np.inf) if lower is None else np.broadcast_to(
        np.asarray(lower, dtype=np.float64), (p,)).copy()
    hi = np.full(p, np.inf) if upper is None else np.broadcast_to(
        np.asarray(upper, dtype=np.float64), (p,)).copy()
    return lo, hi


def _gap_mode(datafit_code, penalty, lo, hi):
    if datafit_code != Quadratic.code or penalty.code not in (_pk.L1, _pk.ELASTIC_NET):
        return 0
    if np.all(np.isneginf(lo)) and np.all(np.isposinf(hi)):
        return 1
    if np.all(lo == 0.0) and np.all(np.isposinf(hi)):
        return 2
    return 0


#: A quadratic problem whose target exceeds this in magnitude (or is below its inverse)
#: is solved on ``y / s`` for a power of two ``s``: ``||y||^2`` overflows from 1e154.
_Y_MAGNITUDE_LIMIT = 2.0 ** 400


def magnitude_unit(y):
    """A power of two ``s`` bringing ``max |y|`` to order one when it is extreme, else 1.

    Extreme means above ``2^400`` (about 1e120; squares overflow from 1e154) or below
    its inverse. Dividing by a power of two is exact, and ordinary magnitudes keep
    ``s = 1`` so their computations are bitwise unchanged.
    """
    y = np.asarray(y)
    top = float(np.max(np.abs(y))) if y.size else 0.0
    if not np.isfinite(top) or not (
            top > _Y_MAGNITUDE_LIMIT or 0.0 < top < 1.0 / _Y_MAGNITUDE_LIMIT):
        return 1.0
    return float(2.0 ** np.round(np.log2(top)))


def _target_scale(y, datafit, penalty):
    """:func:`magnitude_unit` of ``y`` for a problem that can be solved in its units.

    Only for the quadratic datafit (scale-equivariant) and a penalty with ``scaled``.
    """
    if datafit.code != Quadratic.code:
        return 1.0
    s = magnitude_unit(y)
    if s == 1.0:
        return 1.0
    scaled = penalty.scaled(s)
    if scaled is None or not np.all(np.isfinite(scaled.params_array())):
        return 1.0
    return s


def _unscale(result, s, penalty):
    """Map a result on ``y / s`` back to the caller's units (in place)."""
    result.coef *= s
    result.intercept *= s
    # the gap and the objective are quadratic in s, a KKT violation (a gradient) linear
    factor = s * s if penalty.code in (_pk.L1, _pk.ELASTIC_NET) else s
    result.stop_crit = float(result.stop_crit * factor)
    if result.tol is not None:
        result.tol = float(result.tol * factor)  # held to tol in the same units
    result.objective = np.asarray(result.objective) * (s * s)
    if result.max_correlation is not None:
        result.max_correlation *= s
    return result


def _stop_measure(solver, gap_mode):
    # CD and Gram CD stop on the duality gap where ``_gap_mode`` allows one; every other
    # solve (proximal Newton, FISTA, other datafits / penalties) on the KKT violation
    return "duality gap" if gap_mode and solver in ("cd", "gram") else "KKT violation"


def _is_positive(lo, hi):
    return bool(lo.size) and bool(np.all(lo == 0.0) and np.all(np.isposinf(hi)))


def _max_correlation(corr, positive):
    """``max_j |corr_j|``, or ``max(max_j corr_j, 0)`` under positivity (KKT at w = 0)."""
    if corr.size == 0:
        return 0.0
    return max(float(np.max(corr)), 0.0) if positive else float(np.max(np.abs(corr)))


def _penalty_factor(p, penalty_factor):
    if penalty_factor is None:
        return np.ones(p)
    # a writable copy: a read-only view (broadcast_to) would compile every kernel twice
    return np.array(np.broadcast_to(np.asarray(penalty_factor, dtype=np.float64), (p,)))


def _weighted_center(X, y, sw):
    """Weighted means and centered copies of a dense X and y."""
    sw_sum = sw.sum()
    x_mean = (sw @ X) / sw_sum
    y_mean = float(sw @ y) / sw_sum
    if X.dtype == np.float64 and X.ndim == 2 and X.flags.c_contiguous \
            and not X.flags.f_contiguous:
        Xc = np.empty(X.shape, order="F")  # (a CV fold's rows come C-ordered)
        centered_f_copy(X, x_mean, Xc)
    else:
        Xc = np.asfortranarray(X - x_mean.astype(X.dtype, copy=False))
    return Xc, y - y_mean, x_mean, y_mean


def _lipschitz_estimate(X, sw, curv, n, n_power=20, seed=0):
    """Power iteration on ``X^T diag(sw) X / n``; backtracking corrects an underestimate."""
    rng = np.random.default_rng(seed)
    v = rng.standard_normal(X.shape[1])
    v /= np.linalg.norm(v)
    lam = 1.0
    for _ in range(n_power):
        u = X.T @ (sw * (X @ v))
        lam = float(np.linalg.norm(u))
        if lam == 0.0:
            return 1e-12
        v = u / lam
    return curv * lam / n


def _weighted_gram(X, sw=None):
    """``X^T diag(sw) X`` as float64.

    numpy recognizes ``A.T @ A`` and calls BLAS syrk (half the flops of a gemm), then
    mirrors the triangle; measured 5-10 % faster than calling scipy's syrk and
    symmetrizing by hand (20000 x 500, one thread).
    """
    if sw is not None:
        X = X * np.sqrt(sw)[:, None].astype(X.dtype, copy=False)
    return np.ascontiguousarray(X.T @ X, dtype=np.float64)


class _Problem:
    """One-time layout work shared by every solve on the same data (e.g. along a path)."""

    def __init__(self, X, y, datafit, penalty, sample_weight, fit_intercept, penalty_factor,
                 lower, upper, solver, gram=None, xy=None, offset=None, ws_start=100):
        n, p = X.shape
        self.n_samples, self.n_features = n, p
        self.datafit = datafit
        self.sw = np.ones(n) if sample_weight is None else np.ascontiguousarray(
            sample_weight, dtype=np.float64)
        self.y, self.dstruct = datafit.prepare(y, self.sw)
        self.y_given = y  # for the datafit's numpy-level methods (see _cold_gradient)
        self._cold_grad = None
        self.dparams = np.ascontiguousarray(datafit.params_array(), dtype=np.float64)
        self.offset = np.zeros(n) if offset is None else np.ascontiguousarray(
            offset, dtype=np.float64)
        self.pf = _penalty_factor(p, penalty_factor)
        self.lower, self.upper = _bounds(p, lower, upper)
        fit_intercept = bool(fit_intercept and datafit.has_intercept)
        self.fit_intercept = fit_intercept
        is_quadratic = datafit.code == Quadratic.code
        sparse = sp.issparse(X)
        requested = solver
        solver = _choose_solver(solver, datafit, penalty, sparse, n, p)
        # "auto" on dense tall quadratic data: CD on X until its working set outgrows
        # ws_max, then Gram CD from there on (formed once, kept along a path)
        self.ws_max = p + 1
        if requested == "auto" and solver == "cd" and is_quadratic and not sparse:
            self.ws_max = gram_switch_size(n, p)
            if self.ws_max < min(p, max(ws_start, p // WS_MIN_SHARE)):
                solver = "gram"  # even the first working set would pass it
        if solver == "gram" and sparse:
            X = X.toarray()
        self.solver = solver
        # Gram CD phases that "auto" chose on tall data (blocks, or the full Gram after
        # the switch) solve to GRAM_TOL_SHARE * tol: their epochs cost O(p) per move
        self.tight_gram = requested == "auto" and solver == "cd" and self.ws_max <= p

        self.x_mean = self.y_mean = None
        y, sw = self.y, self.sw
        if is_quadratic and fit_intercept and not sp.issparse(X):
            # Centering makes the intercept drop out of the problem (and copies X once).
            X, y, self.x_mean, self.y_mean = _weighted_center(np.asarray(X), y, sw)
            self.y = y
            self.kernel_intercept = False
        else:
            self.kernel_intercept = fit_intercept
        # scikit-learn's scale for the relative duality gap: ||y - ybar||^2 / n
        y_ref = y - float(sw @ y) / sw.sum() if self.kernel_intercept else y
        self.y_scale = float(sw @ y_ref ** 2) / n

        self.weighted = sample_weight is not None
        # CD's constants (one pass over X) are computed when CD on X first runs: "auto" on
        # tall data may solve on Gram blocks only (``_gram_blocks_step``)
        self._constants = None
        self.gram_blocks = None
        self.on_gram_blocks = False
        # kept with Gram CD too: where G cannot certify a gap, CD on X takes over
        self.design = split_design(X)
        # a caller's X^T diag(sw) y (scikit-learn's Xy, or the estimator's finite check)
        self.xy = None if xy is None else np.ascontiguousarray(
            xy, dtype=np.float64).ravel() / n
        if solver == "gram":
            self._form_gram(np.asarray(X), gram, xy)
        else:
            self.lipschitz = None
            if solver == "fista":
                curv = datafit.curvature_bound()
                weights = sw
                if not np.isfinite(curv):
                    # no global bound: the curvature at the start (w = 0, b = 0) is a first
                    # guess, which FISTA's backtracking doubles wherever it is too small
                    # (kernel-level: ``y`` is already prepared, which Cox's
                    # numpy-level methods would read as a new target)
                    weights = np.empty(n)
                    _dk.fill_hessian(datafit.code, self.dparams, self.dstruct, y,
                                     self.offset, sw, weights)
                    curv = 1.0
                L = _lipschitz_estimate(X, weights, curv, n)
                if self.kernel_intercept:
                    L = max(L, curv * weights.max())
                if not np.isfinite(L):
                    # ||X||^2 overflows (entries near 1e300): no step size is representable
                    raise ValueError(
                        "The design's scale overflows the gradient's Lipschitz constant "
                        f"(largest |X| entry {abs(X).max():.3g}): rescale X, e.g. with "
                        "sklearn.preprocessing.StandardScaler.")
                self.lipschitz = L

    @property
    def lips(self):
        """CD's coordinate Lipschitz constants (:func:`coordinate_constants`), once."""
        if self._constants is None:
            self._constants = coordinate_constants(
                *self.design, self.sw, self.datafit.code, self.dparams, self.kernel_intercept)
        return self._constants[0]

    @property
    def xsw(self):
        """``X[:, j]^T sw`` of :func:`coordinate_constants`."""
        self.lips  # noqa: B018  (computes both)
        return self._constants[1]

    def _form_gram(self, Xd, gram=None, xy=None):
        """``G``, ``b``, ``yy`` of the design as solved (centered, weighted), over ``n``."""
        n, sw, y = self.n_samples, self.sw, self.y
        # a caller's Gram matrix / X^T y (scikit-learn's ``precompute`` / ``Xy``) are
        # X^T diag(sw) X and X^T (sw y) of the design as solved (centered, weighted)
        if gram is not None:
            self.G = np.ascontiguousarray(gram, dtype=np.float64) / n
        else:
            self.G = _weighted_gram(Xd, sw if self.weighted else None)
            self.G /= n  # (a fresh array: no second p x p one)
        if xy is not None:
            self.b = np.ascontiguousarray(xy, dtype=np.float64).ravel() / n
        elif self.gram_blocks is not None:
            self.b = self.gram_blocks.b  # the working-set phase's X^T y, not another pass
        else:
            self.b = np.ascontiguousarray(Xd.T @ (sw * y), dtype=np.float64) / n
        self.yy = float(sw @ y ** 2) / n
        # (a caller's Gram matrix is taken as formed by the same n-term sums)
        self.gram_eps = self._gram_eps(np.diagonal(self.G))

    def _gram_eps(self, diag, columns=None):
        """``gram_eps`` (:func:`gram_rounding`) of the Gram matrix of the design's
        ``columns`` (all by default), with diagonal ``diag``: the ``n``-term sums, and
        the centering, which rounded each entry by up to ``eps |mean_j|``; relative to the
        column's norm that can exceed the sums' own rounding (columns with large means)."""
        eps = gram_rounding(self.n_samples, diag.shape[0])
        if self.x_mean is not None:
            means = self.x_mean if columns is None else self.x_mean[columns]
            gnorm = np.sqrt(np.maximum(diag, 0.0))
            ratio = np.abs(means) / np.where(gnorm > 0.0, gnorm, np.inf)
            eps += 4.0 * np.finfo(np.float64).eps * float(ratio.max(initial=0.0))
        return eps

    def _gap_on_x(self, pen, params, w, gap_mode):
        """The duality gap of ``w`` from a fresh residual ``y - X w`` (dense ``X``).

        ``gram_cd_solve`` reports ``certified = False`` where rounding in ``G`` could
        hide more than a quarter of the target gap (nearly collinear columns, a fit that
        nearly interpolates, a tiny tol): two passes over ``X`` decide instead, against
        the ``n p^2 / 2`` of forming ``G``.
        """
        X = self.design[0]
        n, positive = self.n_samples, gap_mode == 2
        resid = self.y - X @ w
        swr = self.sw * resid
        grad = -(X.T @ swr) / n
        lips = np.einsum("i,ij,ij->j", self.sw, X, X) / n  # (no n x p temporary)
        return (enet_duality_gap(pen, params, self.pf, w, grad, float(swr @ resid) / n,
                                 float(swr @ self.y) / n, positive)
                + unpenalized_slack(params, self.pf, w, grad, lips, positive))

    def _leave_gram(self):
        """CD on ``X`` from here on: Gram values cannot certify this problem's gaps, and
        a fresh residual found the Gram solve short of the target (:meth:`_gap_on_x`)."""
        self.solver = "cd"
        self.ws_max = self.n_features + 1
        self.gram_blocks = None
        self.on_gram_blocks = False
        self.G = None

    def run(self, penalty, w, intercept, max_iter, tol, ws_start, anderson, random_seed):
        """Solve for one penalty, warm-started at ``w`` (updated in place)."""
        if self.solver in ("cd", "gram") and not penalty.is_separable:
            raise ValueError(f"{type(penalty).__name__} is not separable: use solver='fista'.")
        params, struct = penalty.params_array(), penalty.struct_array()
        if not self.kernel_intercept:
            intercept = 0.0  # none, or centered away
        gap_mode = _gap_mode(self.datafit.code, penalty, self.lower, self.upper)
        dcode, dparams, dstruct = self.datafit.code, self.dparams, self.dstruct
        n_anderson = ANDERSON_SIZE if anderson else 0
        # bounded kernel calls, warm-started in turn, so that Ctrl-C is seen (_interrupt.py)
        state = {"b0": float(intercept), "crit": np.inf, "converged": False, "history": []}
        grad_buffer = np.empty(self.n_features)
        self.on_gram_blocks = self._gram_blocks_apply(penalty, gap_mode)
        gram_tol = tol * GRAM_TOL_SHARE if self.tight_gram and gap_mode > 0 else tol

        def step(budget):
            n_before = 0
            if self.solver == "cd" and self.on_gram_blocks:
                n_done, crit, converged, switch = self._gram_blocks_step(
                    penalty.code, params, struct, w, budget, gram_tol, gap_mode, ws_start,
                    n_anderson, state["history"])
                if switch is None:
                    state.update(b0=0.0, crit=crit, converged=converged)
                    return n_done, bool(converged)
                if switch == "gram":
                    # the working set would outgrow ws_max: the full Gram matrix from
                    # here on, for this alpha and the next ones of a path
                    self._form_gram(self.design[0])
                    self.gram_blocks = None
                    self.solver = "gram"
                else:
                    self._leave_gram()
                n_before, budget = n_done, budget - n_done
            if self.solver == "cd":
                flags = 0
                cold = self._cold_gradient(w)
                if cold is not None:
                    grad_buffer[:] = cold
                    flags = 4  # the start gradient, a cold start (see cd_solve)
                b0, n_done, crit, converged, history = cd_solve(
                    *self.design, self.y, self.sw, self.offset, dcode, dparams, dstruct,
                    penalty.code, params, struct, self.pf, self.lower, self.upper, w, state["b0"],
                    self.kernel_intercept, self.lips, self.xsw, int(budget), float(tol),
                    gap_mode, self.y_scale, int(ws_start), n_anderson,
                    -1 if random_seed is None else int(random_seed), int(self.ws_max),
                    grad_buffer, flags)
                if converged or n_done >= budget or self.ws_max > self.n_features:
                    state.update(b0=float(b0), crit=crit, converged=converged)
                    state["history"].append(np.asarray(history))
                    return n_before + n_done, bool(converged)
                # the working set outgrew ws_max: Gram CD from here on, for this alpha
                # and the next ones of a path (the intercept is centered away here)
                state["history"].append(np.asarray(history))
                self._form_gram(self.design[0])
                self.solver = "gram"
                n_before, budget = n_before + n_done, budget - n_done
            if self.solver == "gram":
                n_done, crit, converged, history, certified = gram_cd_solve(
                    self.G, self.b, self.yy, penalty.code, params, struct, self.pf,
                    self.lower, self.upper, w, int(budget), float(gram_tol), gap_mode,
                    self.y_scale, n_anderson, self.gram_eps)
                if not certified:
                    crit = self._gap_on_x(penalty.code, params, w, gap_mode)
                    converged = crit <= tol * self.y_scale
                    if not converged:
                        state["history"].append(np.asarray(history))
                        self._leave_gram()
                        n_more, finished = step(budget - n_done)
                        return n_before + n_done + n_more, finished
                n_done += n_before
                b0 = 0.0
            elif self.solver == "prox_newton":
                b0, n_done, crit, converged, history = prox_newton_solve(
                    *self.design, self.y, self.sw, self.offset, dcode, dparams, dstruct,
                    penalty.code, params, struct, self.pf, self.lower, self.upper, w,
                    state["b0"], self.kernel_intercept, int(budget), float(tol),
                    int(ws_start))
            else:
                b0, n_done, crit, converged, history = fista_solve(
                    *self.design, self.y, self.sw, self.offset, dcode, dparams, dstruct,
                    penalty.code, params, struct, self.pf, self.lower, self.upper, w, state["b0"],
                    self.kernel_intercept, int(budget), float(tol), self.lipschitz)
            state.update(b0=float(b0), crit=crit, converged=converged)
            state["history"].append(np.asarray(history))
            return n_done, bool(converged)

        n_iter = run_in_chunks(step, int(max_iter), self.work())
        # Gram CD ran, on working-set blocks or on the full matrix
        solver = "gram" if self.on_gram_blocks else self.solver
        self.on_gram_blocks = False
        b0, crit, converged = state["b0"], state["crit"], state["converged"]
        if gram_tol < tol and not converged and crit <= tol * self.y_scale:
            converged = True  # out of budget before GRAM_TOL_SHARE * tol, not before tol
        history = state["history"][0] if len(state["history"]) == 1 else np.concatenate(
            state["history"])
        if self.x_mean is not None:
            b0 = self.y_mean - float(self.x_mean @ w)
        return SolverResult(coef=w, intercept=float(b0), n_iter=int(n_iter),
                            stop_crit=float(crit), converged=bool(converged),
                            solver=solver, objective=np.asarray(history),
                            max_correlation=self.max_correlation(),
                            stop_measure=_stop_measure(self.solver, gap_mode),
                            tol=float(tol))

    def _gram_blocks_apply(self, penalty, gap_mode):
        """Whether "auto" solves this penalty on Gram blocks of working sets (tall data).

        The Lasso and the elastic net with an L1 part, where a feature outside the
        working set enters only if it violates its dual constraint, so that the
        restricted problem's duality gap is the full one when none does. Dense float64,
        the intercept centered away (see :meth:`_gram_blocks_step`).
        """
        if self.solver != "cd" or self.ws_max > self.n_features or gap_mode == 0:
            return False
        params = penalty.params_array()
        l1 = params[0] * (params[1] if penalty.code == _pk.ELASTIC_NET else 1.0)
        X = self.design[0]
        return bool(l1 > 0.0 and not self.kernel_intercept and X.dtype == np.float64
                    and X.shape[1] == self.n_features and not np.any(self.offset))

    def _gram_blocks_step(self, pen, params, struct, w, budget, tol, gap_mode, ws_start,
                      n_anderson, history):
        """Working-set CD on Gram blocks (:class:`~._gram_cd.WorkingSetGram`), in place.

        Each working set (the support, unpenalized features, then the worst violators of
        the dual constraint, sized as :func:`~._cd.cd_solve` sizes its own) is solved by
        :func:`gram_cd_solve` on its Gram block to the tolerance; one pass over ``X``
        then gives every feature's gradient. When no feature outside the set violates
        its constraint, the dual point of the restricted problem is feasible for the
        full one and both gaps are equal (features outside are zero): converged. The
        Gram block grows with the working set, never past ``ws_max``: a working set
        that would is left to the full Gram matrix (``switch = "gram"``), and one whose
        gap the block cannot certify (see :func:`gram_cd_solve`) to CD on ``X``
        (``switch = "cd"``).

        Returns ``(n_epochs, stop_crit, converged, switch)``, ``switch`` None when done
        here.
        """
        if self.gram_blocks is None:
            self.gram_blocks = WorkingSetGram(self.design[0], self.y, self.sw, self.weighted,
                                              self.ws_max + 1, b=self.xy)
        wsg = self.gram_blocks
        p = self.n_features
        positive = gap_mode == 2
        l1 = params[0] * (params[1] if pen == _pk.ELASTIC_NET else 1.0) * self.pf
        unpenalized = self.pf == 0.0
        n_done, crit, solved, uncertain = 0, np.inf, False, False
        while True:
            keep = (w != 0.0) | unpenalized
            size = min(p, max(ws_start, p // WS_MIN_SHARE, 2 * int(np.count_nonzero(keep))))
            if size > self.ws_max and n_done < budget:
                return n_done, crit, False, "gram"
            if wsg.features.size == 0 and not np.any(w):
                grad = -wsg.b  # the gradient at 0, free
            else:
                grad = wsg.gradient(np.ascontiguousarray(w[wsg.features]))
            outside = ~wsg.in_ws
            ratio = (-grad if positive else np.abs(grad)) / np.where(unpenalized, 1.0, l1)
            forced = outside & keep
            violating = outside & ~keep & (ratio > 1.0)
            if solved and not np.any(forced) and not np.any(violating):
                if not uncertain:
                    return n_done, crit, True, None
                # w is zero outside the block: the fresh residual's gap is the full one
                crit = self._gap_on_x(pen, params, w, gap_mode)
                if crit <= tol * self.y_scale:
                    return n_done, crit, True, None
                return n_done, crit, False, "cd"
            if n_done >= budget:
                # the restricted gap only bounds the full one from below: report the latter
                ws = wsg.features
                wb, wg = float(w @ wsg.b), float(w @ grad)
                crit = enet_duality_gap(pen, params, self.pf, w, grad,
                                        wsg.yy - wb + wg, wsg.yy - wb, positive)
                crit += unpenalized_slack(params, self.pf[ws], w[ws], grad[ws],
                                          np.ascontiguousarray(np.diag(wsg.G)), positive)
                return n_done, crit, False, None
            if wsg.features.size == 0:
                candidates = np.flatnonzero(outside & ~keep)  # the first set: best scores
            else:
                candidates = np.flatnonzero(violating)
            room = max(size - wsg.features.size - int(np.count_nonzero(forced)),
                       1 if candidates.size else 0)
            if candidates.size > room:
                candidates = candidates[np.argpartition(-ratio[candidates], room - 1)[:room]]
            wsg.add(np.sort(np.concatenate([np.flatnonzero(forced), candidates])))
            ws = wsg.features
            w_ws = w[ws]
            n_epochs, crit, solved, hist, certified = gram_cd_solve(
                wsg.G, wsg.b[ws], wsg.yy, pen, params, struct, self.pf[ws], self.lower[ws],
                self.upper[ws], w_ws, int(budget - n_done), float(tol), gap_mode,
                self.y_scale, n_anderson, self._gram_eps(np.diagonal(wsg.G), ws))
            w[ws] = w_ws
            n_done += n_epochs
            history.append(np.asarray(hist))
            # a block G cannot certify counts as solved for the working-set loop; once
            # no feature outside violates, a fresh residual decides (see above)
            uncertain = not certified
            solved = solved or uncertain

    def work(self):
        """Matrix entries an epoch may touch (sizes the chunks of :func:`run_in_chunks`)."""
        if self.solver == "gram":
            return self.G.size
        if self.on_gram_blocks:
            return self.n_features ** 2  # an epoch on a Gram block
        return design_entries(self.design)

    def _cold_gradient(self, w):
        """The full gradient at a cold start ``w = 0`` for :func:`cd_solve`, else None.

        ``cd_solve``'s first pass at ``w = 0`` is the gradient at the intercept-only fit
        (the intercept kept at its optimum by implicit centering, a centered ``X``, or
        none), which is also the pass of ``alpha_max`` (:func:`alpha_max_l1`): done here
        once, kept for :meth:`max_correlation`. None where the kernel's start differs:
        a nonzero ``w``, an intercept the kernel steps on first (no implicit centering),
        and a float32 design (``X^T v`` in numpy would copy it to float64).
        """
        if np.any(w) or (self.kernel_intercept and self.datafit.code != Quadratic.code):
            return None
        X = self.design[0]
        if X.dtype != np.float64:
            return None
        if self._cold_grad is None and self.xy is not None and not self.kernel_intercept \
                and self.datafit.code == Quadratic.code and not np.any(self.offset):
            # the caller's X^T diag(sw) y / n of the design as solved (an estimator's
            # finite check made it): the quadratic's gradient at w = 0, no pass needed
            self._cold_grad = -self.xy
        if self._cold_grad is None:
            n, p = self.n_samples, self.n_features
            if self.design[3].shape[0] > 1:  # sparse: CSC arrays of the kernels' layout
                X = sp.csc_matrix(self.design[1:], shape=(n, p))
            offset = self.offset if np.any(self.offset) else None
            self._cold_grad = _intercept_only_gradient(X, self.y_given, self.datafit, self.sw,
                                                       self.fit_intercept, offset)
        return self._cold_grad

    def max_correlation(self):
        """``alpha_max`` of the Lasso when the solver has ``X^T y`` for free (Gram CD, or
        the gradient of a cold CD start: :meth:`_cold_gradient`), else None."""
        penalized = self.pf > 0
        b = self.gram_blocks.b if self.gram_blocks is not None else (
            self.b if self.solver == "gram" else None)
        if b is None and self._cold_grad is not None:
            b = -self._cold_grad
        if b is None or not np.any(penalized):
            return None
        return _max_correlation(b[penalized] / self.pf[penalized],
                                _is_positive(self.lower, self.upper))


def _block_or_greedy(solver, datafit, penalty, lower, upper, p):
    """"bcd" or "greedy" where one of them serves the problem, else None.

    They run outside :func:`_choose_solver`'s table: block CD (``_group_cd.py``) for the
    group penalty, greedy Gauss-Southwell CD on the Gram form (``_greedy_cd.py``).
    "auto" takes block CD for :class:`GroupL1` with a datafit that has a curvature bound
    and at most positivity bounds (else FISTA, as before).
    """
    if solver == "greedy":
        return "greedy"
    group = penalty.code == _pk.GROUP_L1
    if solver not in ("auto", "bcd") or (solver == "auto" and not group):
        return None
    if not group:
        raise ValueError(f"solver='bcd' needs the GroupL1 penalty, not {type(penalty).__name__}.")
    lo, hi = _bounds(p, lower, upper)
    boxed = not (_is_positive(lo, hi) or (np.all(np.isneginf(lo)) and np.all(np.isposinf(hi))))
    if solver == "bcd" and boxed:
        raise ValueError("solver='bcd' takes no box bounds other than lower=0 (positivity).")
    bounded = datafit.is_separable and np.isfinite(datafit.curvature_bound())
    if solver == "auto" and (boxed or not bounded):
        return None
    return "bcd"


def solve(
    X, y, datafit, penalty, *, sample_weight=None, fit_intercept=True, penalty_factor=None,
    lower=None, upper=None, coef_init=None, intercept_init=0.0, solver="auto",
    max_iter=1000, tol=1e-4, ws_start=100, anderson=True, random_seed=None, gram=None,
    xy=None, offset=None,
):
    """Minimize ``datafit(X w + b + offset) + penalty(w)`` subject to ``lower <= w <= upper``.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features) or scipy.sparse matrix
        float32 or float64; converted to F-order / CSC without copy when possible.
    y : ndarray of shape (n_samples,)
        Targets, as the datafit's ``prepare`` accepts them ({-1, +1} labels for the
        logistic and squared-hinge datafits, counts for Poisson...).
    datafit : Datafit
        The loss, e.g. :class:`Quadratic` (``1/(2n) ||y - Xw - b||^2``).
    penalty : Penalty
        The penalty, with its ``alpha``.
    sample_weight : ndarray of shape (n_samples,), default=None
        Enters as ``(1/n) sum_i sw_i f_i``: the caller normalizes it.
    fit_intercept : bool, default=True
        Fit an unpenalized intercept.
    penalty_factor : float or ndarray of shape (n_features,), default=None
        Multiplies the penalty of each feature; 0 leaves a feature unpenalized.
    lower, upper : float or ndarray of shape (n_features,), default=None
        Box bounds on the coefficients (``lower=0`` for positivity).
    coef_init, intercept_init : ndarray of shape (n_features,) and float, default=None, 0.0
        Warm start (zeros when ``coef_init`` is None).
    solver : {"auto", "cd", "gram", "fista", "prox_newton", "bcd", "greedy"}, \
default="auto"
        "auto" uses CD for a quadratic problem (Gram CD on dense data with n >= 2p and
        p <= ``GRAM_MAX_FEATURES``: on the Gram blocks of the working sets for the
        Lasso and elastic net, on the full Gram matrix once the working set outgrows
        :func:`gram_switch_size`; ``SolverResult.solver`` then says "gram"), working-set
        block CD ("bcd", :func:`~sparsestat._engine._group_cd.solve_group`) for
        :class:`GroupL1` with a datafit that has a curvature bound (its box bounds
        at most ``lower=0``; ``penalty_factor`` does not apply, the group weights do),
        FISTA for other non-separable penalties, proximal Newton for every other
        datafit. "greedy" is Gauss-Southwell-Lipschitz CD on the Gram matrix
        (:func:`~sparsestat._engine._greedy_cd.solve_greedy`; least squares, ``tol`` a
        KKT violation, ``max_iter`` counting ``n_features`` updates). A pair that
        cannot work raises a ValueError naming it. A user-written piece
        (:class:`CustomDatafit`, :class:`CustomPenalty`) always runs on
        :func:`~sparsestat._engine._custom.solve_custom`, whatever this says.
    max_iter : int, default=1000
        Epochs (CD), iterations (FISTA) or Newton steps (proximal Newton).
    tol : float, default=1e-4
        Duality gap relative to ``||y - ybar||^2 / n`` for the quadratic datafit with L1
        or elastic net (scikit-learn's convention), else the largest KKT violation.
    ws_start : int, default=100
        Size of the first working set of CD and proximal Newton (it then grows to twice
        the support; block CD starts from 10 groups). A full
        gradient pass per outer iteration costs as much as an epoch over all features,
        so starting moderately large saves outer iterations.
    anderson : bool, default=True
        Anderson acceleration of the CD iterates (5 iterates).
    random_seed : int or None, default=None
        If given, CD visits the working set in a random order seeded by it.
    gram, xy : ndarray, default=None
        With ``solver="gram"``: ``X^T diag(sw) X`` and ``X^T (sw * y)`` of the design as
        solved (after centering), computed by the caller; trusted as given. ``xy`` alone
        also serves "auto" on tall data (its Gram blocks, or the full Gram): one pass
        over ``X`` less.
    offset : ndarray of shape (n_samples,), default=None
        Added to every score (e.g. ``log(exposure)`` of a log-link model).

    Returns
    -------
    result : SolverResult
        Coefficients, intercept and the solver's report.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat._engine import L1, Quadratic, solve
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> res = solve(X, np.array([1.0, 0.0, 1.0]), Quadratic(), L1(alpha=0.1))
    >>> res.converged
    True
    """
    if is_custom(datafit, penalty):
        return solve_custom(
            X, y, datafit, penalty, sample_weight=sample_weight, fit_intercept=fit_intercept,
            penalty_factor=penalty_factor, lower=lower, upper=upper, coef_init=coef_init,
            intercept_init=intercept_init, max_iter=max_iter, tol=tol, offset=offset)
    y, offset = _absorb_offset(y, datafit, offset, X.shape[0])
    other = _block_or_greedy(solver, datafit, penalty, lower, upper, X.shape[1])
    if other == "bcd":  # its own first working set (groups) and rescaling of an extreme |y|
        lo, hi = _bounds(X.shape[1], lower, upper)
        return solve_group(
            X, y, datafit, penalty, sample_weight=sample_weight, fit_intercept=fit_intercept,
            coef_init=coef_init, intercept_init=intercept_init, max_iter=max_iter, tol=tol,
            positive=_is_positive(lo, hi), offset=offset)
    if other == "greedy":  # least squares only: an offset was taken into y above
        return solve_greedy(
            X, y, datafit, penalty, sample_weight=sample_weight, fit_intercept=fit_intercept,
            penalty_factor=penalty_factor, lower=lower, upper=upper, coef_init=coef_init,
            max_iter=max_iter, tol=tol)
    s = _target_scale(np.asarray(y), datafit, penalty)
    if s != 1.0:
        # same problem in units of s: tol is relative to ||y||^2 (gap) or absolute (KKT)
        gap = _gap_mode(datafit.code, penalty, *_bounds(X.shape[1], lower, upper))
        return _unscale(solve(
            X, np.asarray(y, dtype=np.float64) / s, datafit, penalty.scaled(s),
            sample_weight=sample_weight, fit_intercept=fit_intercept,
            penalty_factor=penalty_factor,
            lower=None if lower is None else np.asarray(lower, dtype=np.float64) / s,
            upper=None if upper is None else np.asarray(upper, dtype=np.float64) / s,
            coef_init=None if coef_init is None else np.asarray(coef_init) / s,
            intercept_init=intercept_init / s, solver=solver, max_iter=max_iter,
            tol=tol if gap else tol / s,
            ws_start=ws_start, anderson=anderson, random_seed=random_seed, gram=gram,
            xy=None if xy is None else np.asarray(xy, dtype=np.float64) / s), s, penalty)
    problem = _Problem(X, y, datafit, penalty, sample_weight, fit_intercept, penalty_factor,
                       lower, upper, solver, gram=gram, xy=xy, offset=offset,
                       ws_start=ws_start)
    p = problem.n_features
    w = np.zeros(p) if coef_init is None else np.array(coef_init, dtype=np.float64)
    return problem.run(penalty, w, intercept_init, max_iter, tol, ws_start, anderson,
                       random_seed)


def solve_path(
    X, y, datafit, penalty, alphas, *, sample_weight=None, fit_intercept=True,
    penalty_factor=None, lower=None, upper=None, coef_init=None, solver="auto",
    max_iter=1000, tol=1e-4, ws_start=100, anderson=True, random_seed=None, gram=None,
    xy=None, offset=None, ws_gram=False, records=True,
):
    """Solve along a grid of ``alphas`` with warm starts, reusing the layout work.

    ``penalty`` gives the other parameters; its ``alpha`` is replaced by each value of
    ``alphas`` in turn (visit them from large to small for good warm starts). CD, Gram CD
    and proximal Newton run the whole grid in compiled calls (:mod:`._path`), with the
    same result at every alpha as one warm-started solve per alpha.

    Parameters
    ----------
    X, y, datafit, penalty, sample_weight, fit_intercept, penalty_factor : see :func:`solve`
        The problem, as for :func:`solve`.
    alphas : array-like of shape (n_alphas,)
        The regularization strengths, visited in the given order, each solve
        warm-started at the previous solution.
    lower, upper, coef_init, solver, max_iter, tol, ws_start, anderson, random_seed, \
gram, xy, offset : see :func:`solve`
        As for :func:`solve`, for every alpha (``coef_init`` starts the first one).
    ws_gram : bool, default=False
        Where coordinate descent on a dense, unweighted Lasso / elastic-net problem
        would run (and ``p <= GRAM_MAX_FEATURES``), run :func:`~._path.ws_gram_path`
        instead: the same outer loop and stopping test, inner epochs on cached Gram
        rows of the working set (the cross-validation folds' solver; ``solver`` then
        reads "gram" in the results). Its gap checks read the cached rows instead of
        a pass over ``X`` (certified by a rounding bound, see
        :func:`~._path.ws_gram_path`).
    records : bool, default=True
        False: return the path as arrays, ``(coefs, intercepts, converged)`` of shapes
        ``(n_alphas, n_features)``, ``(n_alphas,)``, ``(n_alphas,)``, the same numbers
        without a :class:`SolverResult` per alpha (what a cross-validation fold reads;
        the records were ~3 % of a ``LassoCV`` fit at 200 x 500).

    Returns
    -------
    results : list of SolverResult, or tuple of ndarray
        One per alpha, coefficients copied; the arrays above with ``records=False``.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat._engine import L1, Quadratic, solve_path
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, 0.5]])
    >>> y = np.array([1.0, 0.5, 1.0, 3.0])
    >>> results = solve_path(X, y, Quadratic(), L1(alpha=1.0), [1.0, 0.1, 0.001])
    >>> [int(np.count_nonzero(r.coef)) for r in results]
    [0, 1, 2]
    """
    y, offset = _absorb_offset(y, datafit, offset, X.shape[0])
    s = _target_scale(np.asarray(y), datafit, penalty)
    if s != 1.0:  # see solve
        y = np.asarray(y, dtype=np.float64) / s
        lower = None if lower is None else np.asarray(lower, dtype=np.float64) / s
        upper = None if upper is None else np.asarray(upper, dtype=np.float64) / s
        coef_init = None if coef_init is None else np.asarray(coef_init) / s
        xy = None if xy is None else np.asarray(xy, dtype=np.float64) / s
        if not _gap_mode(datafit.code, penalty, *_bounds(X.shape[1], lower, upper)):
            tol = tol / s
    problem = _Problem(X, y, datafit, penalty, sample_weight, fit_intercept, penalty_factor,
                       lower, upper, solver, gram=gram, xy=xy, offset=offset,
                       ws_start=ws_start)
    w = np.zeros(problem.n_features) if coef_init is None else np.array(
        coef_init, dtype=np.float64)
    pens = _PathPenalties(penalty, alphas)
    results = _run_path(problem, pens if s == 1.0 else [pen.scaled(s) for pen in pens], w,
                        max_iter, tol, ws_start, anderson, random_seed, ws_gram,
                        records=records or s != 1.0)
    if s != 1.0:
        results = [_unscale(res, s, pen) for res, pen in zip(results, pens)]
    if records or isinstance(results, tuple):
        return results
    # (FISTA's per-alpha solves, a scaled target)
    return (np.array([r.coef for r in results]).reshape(len(results), problem.n_features),
            np.array([r.intercept for r in results], dtype=np.float64),
            np.array([r.converged for r in results], dtype=np.bool_))


#: objectives kept per alpha by ws_gram_path (one per full gap check; a handful is usual)
_WS_GRAM_HISTORY = 100


def _ws_gram_applies(problem, pen, gap_mode, random_seed):
    """Whether :func:`~._path.ws_gram_path` solves this path (see ``solve_path``)."""
    X = problem.design[0] if problem.solver == "cd" else None
    return (X is not None and problem.design[3].shape[0] == 1 and X.ndim == 2
            and X.dtype == np.float64 and X.flags.f_contiguous
            and problem.datafit.code == Quadratic.code and not problem.kernel_intercept
            and not problem.weighted and not np.any(problem.offset)
            and pen.code in (_pk.L1, _pk.ELASTIC_NET) and gap_mode > 0
            and random_seed is None and 0 < problem.n_features <= GRAM_MAX_FEATURES)


#: ws_gram_path checks the gaps on its cached Gram rows (rounding-bounded) instead of a
#: pass over X per check (see ws_gram_path); False: always on a fresh residual
GRAM_CHECKS = True


class _PathPenalties:
    """``[penalty.with_alpha(a) for a in alphas]``, each made when read: a compiled path
    reads the first one and the alphas (100 copies per fold path were ~0.5 % of a
    ``LassoCV`` fit at 200 x 500)."""

    def __init__(self, penalty, alphas):
        self.penalty = penalty
        self.alphas = np.array([float(a) for a in alphas], dtype=np.float64)

    def __len__(self):
        return self.alphas.shape[0]

    def __getitem__(self, k):
        return self.penalty.with_alpha(float(self.alphas[k]))

    def __iter__(self):
        return (self[k] for k in range(len(self)))


def _run_path(problem, pens, w, max_iter, tol, ws_start, anderson, random_seed,
              ws_gram=False, records=True):
    """Solve ``problem`` at each penalty of ``pens`` in turn, warm-started at ``w``.

    Returns a list of SolverResult, or with ``records=False`` (compiled paths only) the
    arrays ``(coefs, intercepts, converged)`` of :func:`solve_path`.

    CD, Gram CD and proximal Newton run the whole path in compiled kernels
    (:mod:`._path`), a few alphas per call (Ctrl-C is seen between calls); an alpha that
    needs more than one call's epochs continues here exactly as a one-alpha solve
    would. FISTA (non-separable penalties) runs one solve per alpha.
    """
    n_alphas = len(pens)
    if problem.solver == "fista" or n_alphas == 0:
        intercept = 0.0
        results = []
        for pen in pens:
            res = problem.run(pen, w, intercept, max_iter, tol, ws_start, anderson,
                              random_seed)
            intercept = res.intercept
            res.coef = w.copy()
            results.append(res)
        return results
    if problem.solver in ("cd", "gram") and not pens[0].is_separable:
        raise ValueError(f"{type(pens[0]).__name__} is not separable: use solver='fista'.")
    p = problem.n_features
    alphas = pens.alphas if isinstance(pens, _PathPenalties) else np.array(
        [pen.alpha for pen in pens], dtype=np.float64)
    if pens[0].code in (_pk.L1, _pk.ELASTIC_NET) and np.all(np.isfinite(alphas) & (alphas >= 0)):
        # alpha is their first parameter and the only one a path changes: one array
        # operation instead of a checked params_array() per alpha
        params_path = np.tile(pens[0].params_array(), (n_alphas, 1))
        params_path[:, 0] = alphas
    else:
        params_path = np.ascontiguousarray([pen.params_array() for pen in pens],
                                           dtype=np.float64)
    struct = pens[0].struct_array()
    code = pens[0].code
    gap_mode = _gap_mode(problem.datafit.code, pens[0], problem.lower, problem.upper)
    work = problem.work()
    budget = min(int(max_iter), first_budget(work))
    ws_gram = bool(ws_gram) and _ws_gram_applies(problem, pens[0], gap_mode, random_seed)
    if ws_gram:
        # every alpha gets all its epochs in the kernel (cheap ones, |W| per move), so
        # none is continued in Python; Ctrl-C is seen between chunks of alphas
        budget = int(max_iter)
        Xc = problem.design[0]
        n = problem.n_samples
        lips_g = problem.lips
        # rows X^T X[:, j] / n formed on demand from Xc, the gaps checked on them:
        # gnorm_j = ||Xc_j|| / sqrt(n), the rows' rounding factor (ws_gram_path)
        gram_state = dict(G=np.empty((p, p)), slot_of=np.full(p, -1, dtype=np.int64),
                          n_slots=np.zeros(1, dtype=np.int64), rr=np.zeros(2),
                          b=np.ascontiguousarray(problem.y @ Xc) / n,
                          gnorm=np.sqrt(lips_g),
                          gram_eps=gram_rounding(n, p) if GRAM_CHECKS else 0.0)
        yy = float(problem.y @ problem.y) / n
    out = dict(intercepts=np.zeros(n_alphas), n_iters=np.zeros(n_alphas, dtype=np.int64),
               crits=np.full(n_alphas, np.inf), convergeds=np.zeros(n_alphas, dtype=np.bool_),
               coefs=np.empty((n_alphas, p)),
               history=np.empty((n_alphas, min(budget, _WS_GRAM_HISTORY) + 1 if ws_gram
                                 else budget + 1)),
               n_history=np.zeros(n_alphas, dtype=np.int64))
    extra_history = {}
    grad, grad_valid = np.empty(p), np.zeros(1, dtype=np.int64)
    n_anderson = ANDERSON_SIZE if anderson else 0
    seed = -1 if random_seed is None else int(random_seed)
    state = {"k": 0, "b0": 0.0}
    solver_of = ["gram" if ws_gram else problem.solver] * n_alphas
    dcode, dparams, dstruct = problem.datafit.code, problem.dparams, problem.dstruct
    tail = tuple(out.values())

    def kernel(start, stop, b0):
        if ws_gram:
            return ws_gram_path(
                Xc, problem.y, yy, gram_state["b"], code, params_path, struct, problem.pf,
                problem.lower, problem.upper, w, lips_g, budget, float(tol), gap_mode,
                problem.y_scale, int(ws_start), n_anderson, gram_state["G"],
                gram_state["slot_of"], gram_state["n_slots"], gram_state["gnorm"],
                gram_state["gram_eps"], grad, gram_state["rr"], grad_valid, start, stop,
                *tail[1:]), 0.0
        if problem.solver == "gram":
            return gram_path(
                problem.G, problem.b, problem.yy, code, params_path, struct, problem.pf,
                problem.lower, problem.upper, w, budget, float(tol), gap_mode,
                problem.y_scale, n_anderson, problem.gram_eps, start, stop, *tail[1:]), 0.0
        if problem.solver == "cd":
            return cd_path(
                *problem.design, problem.y, problem.sw, problem.offset, dcode, dparams,
                dstruct, code, params_path, struct, problem.pf, problem.lower, problem.upper,
                w, b0, problem.kernel_intercept, problem.lips, problem.xsw, budget,
                float(tol), gap_mode, problem.y_scale, int(ws_start), n_anderson, seed,
                int(problem.ws_max), grad, grad_valid, start, stop, *tail)
        return prox_newton_path(
            *problem.design, problem.y, problem.sw, problem.offset, dcode, dparams, dstruct,
            code, params_path, struct, problem.pf, problem.lower, problem.upper, w, b0,
            problem.kernel_intercept, budget, float(tol), int(ws_start), start, stop, *tail)

    def step(n_steps):
        start = k = state["k"]
        stop = min(n_alphas, start + int(n_steps))
        b0 = state["b0"]
        while k < stop:
            first = k
            k, b0 = kernel(k, stop, b0)
            solver_of[first:k] = ["gram" if ws_gram else problem.solver] * (k - first)
            last = k - 1
            n_done = int(out["n_iters"][last])
            if not out["convergeds"][last] and n_done < max_iter:
                # its budget spent (as run_in_chunks goes on with a one-alpha solve: same
                # chunks, same result) or its working set outgrew ws_max (problem.run
                # switches to Gram CD, and the next alphas run on gram_path)
                res = problem.run(pens[last], w, b0, max_iter - n_done, tol, ws_start,
                                  anderson, random_seed)
                solver_of[last] = problem.solver
                b0 = res.intercept if problem.x_mean is None else 0.0
                out["intercepts"][last] = b0
                out["n_iters"][last] += res.n_iter
                out["crits"][last] = res.stop_crit
                out["convergeds"][last] = res.converged
                out["coefs"][last] = w
                extra_history[last] = res.objective
                grad_valid[0] = 0
        state.update(k=k, b0=b0)
        return stop - start, stop >= n_alphas

    run_in_chunks(step, n_alphas, work, resumable=True)
    # (whole-array conversions: per-alpha numpy scalars cost a CV fit milliseconds)
    intercepts = out["intercepts"] if problem.x_mean is None else \
        problem.y_mean - out["coefs"] @ problem.x_mean
    if not records:
        return out["coefs"], intercepts, out["convergeds"]
    max_correlation = problem.max_correlation()
    measures = {name: _stop_measure(name, gap_mode) for name in set(solver_of)}
    results = []
    for k, (b0, n_iter, crit, conv, n_hist) in enumerate(zip(
            intercepts.tolist(), out["n_iters"].tolist(), out["crits"].tolist(),
            out["convergeds"].tolist(), out["n_history"].tolist())):
        history = out["history"][k, :n_hist]
        history = np.concatenate([history, extra_history[k]]) if k in extra_history \
            else history.copy()
        results.append(SolverResult(
            coef=out["coefs"][k], intercept=b0, n_iter=n_iter, stop_crit=crit,
            converged=conv, solver=solver_of[k], objective=history,
            max_correlation=max_correlation, stop_measure=measures[solver_of[k]],
            tol=float(tol)))
    return results


def solve_gram(G, b, penalty, *, yy=None, penalty_factor=None, lower=None, upper=None,
               coef_init=None, max_iter=1000, tol=1e-4, anderson=True):
    """Minimize ``w^T G w / 2 - b^T w + penalty(w)`` by coordinate descent.

    The quadratic datafit in Gram form, ``G = X^T X / n``, ``b = X^T y / n``, for callers
    that never see ``X`` (e.g. a server receiving privatized statistics). ``G`` must be
    symmetric positive semidefinite. With ``yy = ||y||^2 / n`` and an L1 / elastic-net
    penalty the solver stops on the duality gap relative to ``yy``; otherwise on the
    largest KKT violation ``<= tol``.

    Parameters
    ----------
    G : ndarray of shape (n_features, n_features)
        ``X^T X / n``, symmetric positive semidefinite.
    b : ndarray of shape (n_features,)
        ``X^T y / n``.
    penalty : Penalty
        A separable penalty, with its ``alpha``.
    yy : float, default=None
        ``||y||^2 / n``: enables the duality-gap stopping rule (relative to ``yy``).
    penalty_factor : float or ndarray of shape (n_features,), default=None
        Multiplies the penalty of each feature; 0 leaves a feature unpenalized.
    lower, upper : float or ndarray of shape (n_features,), default=None
        Box bounds on the coefficients.
    coef_init : ndarray of shape (n_features,), default=None
        Warm start (zeros when None).
    max_iter : int, default=1000
        Maximum number of epochs over the features.
    tol : float, default=1e-4
        Relative duality gap (with ``yy``), else the largest KKT violation.
    anderson : bool, default=True
        Anderson acceleration of the iterates.

    Returns
    -------
    result : SolverResult
        With ``intercept=0.0`` and ``solver="gram"``.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat._engine import L1, solve_gram
    >>> res = solve_gram(np.eye(2), np.array([2.0, 0.5]), L1(alpha=1.0))
    >>> res.coef
    array([1., 0.])
    """
    G = np.ascontiguousarray(G, dtype=np.float64)
    b = np.ascontiguousarray(b, dtype=np.float64)
    p = b.shape[0]
    pf = _penalty_factor(p, penalty_factor)
    lo, hi = _bounds(p, lower, upper)
    w = np.zeros(p) if coef_init is None else np.array(coef_init, dtype=np.float64)
    gap_mode = 0 if yy is None else _gap_mode(Quadratic.code, penalty, lo, hi)
    out = {"history": []}

    def step(budget):  # bounded calls, warm-started in turn (Ctrl-C), as in _Problem.run
        # G is the problem's data here (no X behind it to round): no rounding bound
        n_done, crit, converged, history, _ = gram_cd_solve(
            G, b, 0.0 if yy is None else float(yy), penalty.code, penalty.params_array(),
            penalty.struct_array(), pf, lo, hi, w, int(budget), float(tol), gap_mode,
            1.0 if yy is None else float(yy), ANDERSON_SIZE if anderson else 0, 0.0)
        out.update(crit=crit, converged=converged)
        out["history"].append(np.asarray(history))
        return n_done, bool(converged)

    n_iter = run_in_chunks(step, int(max_iter), G.size)
    crit, converged = out["crit"], out["converged"]
    history = np.concatenate(out["history"])
    return SolverResult(coef=w, intercept=0.0, n_iter=int(n_iter), stop_crit=float(crit),
                        converged=bool(converged), solver="gram",
                        objective=np.asarray(history),
                        stop_measure=_stop_measure("gram", gap_mode), tol=float(tol))


def _absorb_offset(y, datafit, offset, n):
    """``(y, offset)`` with the offset validated, absorbed into ``y`` where it can be."""
    if offset is None:
        return y, None
    offset = np.asarray(offset, dtype=np.float64)
    if offset.shape != (n,):
        raise ValueError(f"offset must have shape ({n},), got {offset.shape}.")
    if not np.all(np.isfinite(offset)):
        raise ValueError("offset must be finite.")
    shifted = datafit.shift_target(y, offset)
    if shifted is not None:
        return shifted, None
    return y, offset


def alpha_max_l1(X, y, *, sample_weight=None, fit_intercept=True, penalty_factor=None,
                 l1_ratio=1.0, datafit=None, positive=False, offset=None):
    """Smallest ``alpha`` for which all penalized coefficients are zero.

    ``max_j |x_j^T g| / (n pf_j l1_ratio)`` with ``g = -raw_gradient`` of the datafit at
    the intercept-only fit (``datafit.intercept_only``; zero scores plus the offset
    without an intercept): for the quadratic datafit ``g = sw (y - ybar)``. With
    ``positive=True`` (coefficients constrained nonnegative) only positive correlations
    can move a coefficient off zero: the signed maximum, clipped at 0. Unpenalized
    features are taken as zero (fit them first if they matter).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features) or scipy.sparse matrix
        Design.
    y : ndarray of shape (n_samples,)
        Targets, as the datafit accepts them.
    sample_weight : ndarray of shape (n_samples,), default=None
        Weights ``sw``, used as given.
    fit_intercept : bool, default=True
        Whether the model has an (unpenalized) intercept.
    penalty_factor : float or ndarray of shape (n_features,), default=None
        Per-feature penalty multipliers; unpenalized features are ignored.
    l1_ratio : float, default=1.0
        The L1 share of an elastic-net penalty (``alpha_max`` scales as
        ``1 / l1_ratio``).
    datafit : Datafit, default=None
        None means the quadratic datafit.
    positive : bool, default=False
        Whether the coefficients are constrained to be nonnegative.
    offset : ndarray of shape (n_samples,), default=None
        Added to every score, as in :func:`solve`.

    Returns
    -------
    alpha_max : float
        0.0 when no feature is penalized.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat._engine import alpha_max_l1
    >>> alpha_max_l1(np.eye(2), np.array([2.0, 0.0]), fit_intercept=False)
    1.0
    """
    n, p = X.shape
    datafit = Quadratic() if datafit is None else datafit
    sw = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    pf = _penalty_factor(p, penalty_factor)
    penalized = pf > 0
    if not np.any(penalized):
        return 0.0
    corr = -_intercept_only_gradient(X, y, datafit, sw, fit_intercept, offset)
    return _max_correlation(corr[penalized] / pf[penalized], positive) / l1_ratio


def _intercept_only_gradient(X, y, datafit, sw, fit_intercept, offset):
    """``X^T g / n``, ``g`` the datafit's ``raw_gradient`` at the intercept-only fit.

    The scores are ``b + offset``, ``b`` the datafit's ``intercept_only`` (0 without an
    intercept): the gradient in ``w`` at ``w = 0`` of a model whose intercept is at its
    optimum. One pass over ``X``, shared by :func:`alpha_max_l1` and the cold start of
    CD (:meth:`_Problem._cold_gradient`).
    """
    n = X.shape[0]
    b = 0.0
    if fit_intercept and datafit.has_intercept:
        b = datafit.intercept_only(y, sw, offset)
    scores = np.full(n, b) if offset is None else np.asarray(offset, dtype=np.float64) + b
    raw = datafit.raw_gradient(y, scores, sw)
    return np.asarray(X.T @ raw).ravel() / n
