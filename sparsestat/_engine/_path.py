"""Whole regularization paths in one compiled call: the warm-started alphas in a loop.

A path of 100 alphas used to be 100 Python-level solves, each paying argument checks,
a kernel dispatch and fresh buffers (scikit-learn's ``LassoCV`` on 200 x 500 ran faster
than ours for that reason alone). These kernels call the existing solvers
(:func:`~._cd.cd_solve`, :func:`~._gram_cd.gram_cd_solve`,
:func:`~._prox_newton.prox_newton_solve`) once per alpha, warm-started at the previous
solution, and record each alpha's coefficients and report. The solver bodies are not
repeated here.

Each alpha gets the epoch budget of :func:`~._interrupt.first_budget`, the budget of the
first call of a one-alpha solve: an alpha that converges within it is solved exactly as
the one-alpha path solved it. An alpha that needs more stops the kernel, and the caller
continues it in Python in the same chunks as before (:func:`~.solvers.solve_path`),
then calls the kernel again from the next alpha. The kernels are resumable between
alphas (everything the next alpha needs is in the arguments), so the caller can run them
a few alphas at a time and see Ctrl-C (:func:`~._interrupt.run_in_chunks`).

Along a quadratic CD path the last full gradient of one alpha is the first one of the
next (same coefficients; the gradient does not depend on alpha): ``cd_solve`` takes it
as given (``grad_flags``) instead of another pass over ``X``. That pass was most of the
cost of the alphas whose warm start is already optimal at the tolerance (about half of
a default path). The duality gap is still computed at every alpha, on the same gradient.
"""

from ._cd import cd_solve
from ._gram_cd import gram_cd_solve
from ._numba import jit
from ._prox_newton import prox_newton_solve


@jit
def _record(k, w, n_done, crit, converged, hist, n_iters, crits, convergeds, coefs,
            history, n_history):
    """Store alpha ``k``'s solution and report in the path's output arrays."""
    coefs[k, :] = w
    n_iters[k] = n_done
    crits[k] = crit
    convergeds[k] = converged
    m = min(hist.shape[0], history.shape[1])
    history[k, :m] = hist[:m]
    n_history[k] = m


@jit
def cd_path(
    X, data, indices, indptr, y, sw, offset, datafit, dparams, dstruct, pen, params_path,
    struct, pf, lower, upper, w, intercept, fit_intercept, lips, xsw, budget, tol, gap_mode,
    y_scale, ws_start, anderson_size, random_seed, ws_max, grad, grad_valid, start, stop,
    intercepts, n_iters, crits, convergeds, coefs, history, n_history,
):
    """:func:`cd_solve` at ``params_path[k]`` for ``k`` in ``[start, stop)``, warm-started.

    ``grad_valid[0]`` says whether ``grad`` holds the full gradient at ``w`` (set on
    return). Stops after an alpha that used its whole ``budget`` without converging.
    Returns ``(next_k, intercept)``.
    """
    for k in range(start, stop):
        flags = 2 + (1 if grad_valid[0] else 0)
        intercept, n_done, crit, converged, hist = cd_solve(
            X, data, indices, indptr, y, sw, offset, datafit, dparams, dstruct, pen,
            params_path[k], struct, pf, lower, upper, w, intercept, fit_intercept, lips, xsw,
            budget, tol, gap_mode, y_scale, ws_start, anderson_size, random_seed, ws_max,
            grad, flags)
        grad_valid[0] = 1
        intercepts[k] = intercept
        _record(k, w, n_done, crit, converged, hist, n_iters, crits, convergeds, coefs,
                history, n_history)
        if not converged:  # budget spent, or capped by ws_max
            return k + 1, intercept
    return stop, intercept


@jit
def gram_path(
    G, b, yy, pen, params_path, struct, pf, lower, upper, w, budget, tol, gap_mode, y_scale,
    anderson_size, start, stop, n_iters, crits, convergeds, coefs, history, n_history,
):
    """:func:`gram_cd_solve` along ``params_path[start:stop]``; as :func:`cd_path`."""
    for k in range(start, stop):
        n_done, crit, converged, hist = gram_cd_solve(
            G, b, yy, pen, params_path[k], struct, pf, lower, upper, w, budget, tol, gap_mode,
            y_scale, anderson_size)
        _record(k, w, n_done, crit, converged, hist, n_iters, crits, convergeds, coefs,
                history, n_history)
        if not converged and n_done >= budget:
            return k + 1
    return stop


@jit
def prox_newton_path(
    X, data, indices, indptr, y, sw, offset, dcode, dparams, dstruct, pen, params_path,
    struct, pf, lower, upper, w, intercept, fit_intercept, budget, tol, ws_start, start, stop,
    intercepts, n_iters, crits, convergeds, coefs, history, n_history,
):
    """:func:`prox_newton_solve` along ``params_path[start:stop]``; as :func:`cd_path`."""
    for k in range(start, stop):
        intercept, n_done, crit, converged, hist = prox_newton_solve(
            X, data, indices, indptr, y, sw, offset, dcode, dparams, dstruct, pen,
            params_path[k], struct, pf, lower, upper, w, intercept, fit_intercept, budget, tol,
            ws_start)
        intercepts[k] = intercept
        _record(k, w, n_done, crit, converged, hist, n_iters, crits, convergeds, coefs,
                history, n_history)
        if not converged and n_done >= budget:
            return k + 1, intercept
    return stop, intercept
