"""Exact reference solutions of the K-means SDP and LA-SDP with cvxpy (small n only).

cvxpy is imported inside the functions: ``import sparsestat`` never imports it. These
build the ``n x n`` distance matrices explicitly and are meant for tests and for the
``solver="cvxpy"`` option on a few hundred points at most.
"""

import numpy as np

__all__ = ["la_sdp_cvxpy", "kmeans_sdp_cvxpy"]


def _import_cvxpy():
    try:
        import cvxpy as cp
    except ImportError as exc:  # pragma: no cover - cvxpy is an optional dependency
        raise ImportError(
            "solver='cvxpy' needs the optional dependency cvxpy (pip install cvxpy)."
        ) from exc
    return cp


def _pick_solver(cp, solver):
    if solver is not None:
        return solver
    return "CLARABEL" if "CLARABEL" in cp.installed_solvers() else "SCS"


def _sq_dist(Y):
    q = np.einsum("ij,ij->i", Y, Y)
    D = q[:, None] + q[None, :] - 2.0 * Y @ Y.T
    np.fill_diagonal(D, 0.0)
    return np.maximum(D, 0.0)


def la_sdp_cvxpy(Ys, cs, *, solver=None, **solver_options):
    """Solve ``min sum_k <D_k/2 + c_k J, Z_k>`` over PSD, nonnegative ``Z_k`` with
    ``tr Z_k = 1`` and ``sum_k Z_k 1 = 1``.

    Returns ``(Zs, objective)`` with ``Zs`` of shape ``(K, n, n)``.
    """
    cp = _import_cvxpy()
    Ys = np.asarray(Ys, dtype=np.float64)
    K, n, _ = Ys.shape
    Zs = [cp.Variable((n, n), PSD=True) for _ in range(K)]
    J = np.ones((n, n))
    cost = sum(cp.trace((_sq_dist(Ys[k]) / 2.0 + cs[k] * J) @ Zs[k]) for k in range(K))
    cons = [Z >= 0 for Z in Zs] + [cp.trace(Z) == 1 for Z in Zs]
    cons.append(sum(Z @ np.ones(n) for Z in Zs) == np.ones(n))
    prob = cp.Problem(cp.Minimize(cost), cons)
    prob.solve(solver=_pick_solver(cp, solver), **solver_options)
    if prob.status not in ("optimal", "optimal_inaccurate"):
        raise RuntimeError(f"cvxpy could not solve the LA-SDP (status {prob.status}).")
    return np.stack([Z.value for Z in Zs]), float(prob.value)


def kmeans_sdp_cvxpy(X, n_clusters, *, solver=None, **solver_options):
    """Peng-Wei K-means SDP ``min <D/2, Z>``: Z PSD, Z >= 0, Z 1 = 1, tr Z = K.

    Returns ``(Z, objective)``; the objective equals the K-means inertia at an integral Z.
    """
    cp = _import_cvxpy()
    X = np.asarray(X, dtype=np.float64)
    n = X.shape[0]
    Z = cp.Variable((n, n), PSD=True)
    cons = [Z >= 0, cp.trace(Z) == n_clusters, Z @ np.ones(n) == np.ones(n)]
    prob = cp.Problem(cp.Minimize(cp.trace((_sq_dist(X) / 2.0) @ Z)), cons)
    prob.solve(solver=_pick_solver(cp, solver), **solver_options)
    if prob.status not in ("optimal", "optimal_inaccurate"):
        raise RuntimeError(f"cvxpy could not solve the K-means SDP (status {prob.status}).")
    return Z.value, float(prob.value)
