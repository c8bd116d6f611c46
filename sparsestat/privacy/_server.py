"""The server side: estimates from privatized reports only.

Nothing here sees a user's data. The non-interactive steps take the fields of
:class:`PrivateReports` (noisy sums and their public noise scales); the interactive
loop takes a ``respond(group, theta)`` callable that returns a group's summed noisy
gradients. This module deliberately does not import ``_client.py``.

Index convention: with an intercept the statistics are those of ``z = (1, x)``; the
intercept is coordinate 0 of the moment vectors.
"""

import math

import numpy as np
from scipy.special import ndtri

from .._engine import L1, solve_gram

__all__ = ["moments_from_reports", "moments_from_public", "condition", "fit_moments",
           "iht"]


def _universal(d):
    """``Phi^-1(1 - 0.025 / d)``: d Gaussians of unit sd all stay below it with
    probability 95% (Bonferroni), the noise level that thresholds act at."""
    return float(ndtri(1.0 - 0.025 / max(d, 1)))


def moments_from_reports(xy_sum, xx_sum, n_users, n_features, fit_intercept):
    """Average the reports into ``(Sigma, c, mean_x, mean_y)``.

    ``Sigma`` estimates the covariance of x (second moment without intercept) and
    ``c`` the covariance of x and y; the means are zero without intercept.
    """
    m = n_features + int(fit_intercept)
    v = np.asarray(xy_sum, dtype=np.float64) / n_users
    M = None
    if xx_sum is not None:
        iu, ju = np.triu_indices(m)
        M = np.empty((m, m))
        M[iu, ju] = np.asarray(xx_sum, dtype=np.float64) / n_users
        M[ju, iu] = M[iu, ju]
    if not fit_intercept:
        return M, v, np.zeros(n_features), 0.0
    mean_y = float(v[0])
    if M is None:
        return None, v[1:], None, mean_y
    M[0, 0] = 1.0  # the constant's square is known, its noisy copy is discarded
    mean_x = M[0, 1:].copy()
    Sigma = M[1:, 1:] - np.outer(mean_x, mean_x)
    return Sigma, v[1:] - mean_x * mean_y, mean_x, mean_y


def moments_from_public(public_X, clip_x, fit_intercept):
    """Second moments of the public unlabeled features, clipped as the users clip."""
    Z = np.clip(np.asarray(public_X, dtype=np.float64), -clip_x, clip_x)
    n = Z.shape[0]
    if not fit_intercept:
        return Z.T @ Z / n, np.zeros(Z.shape[1])
    mean_x = Z.mean(axis=0)
    Zc = Z - mean_x
    return Zc.T @ Zc / n, mean_x


def condition(Sigma, min_eig):
    """Symmetrize and floor the eigenvalues of a noisy covariance at ``min_eig``.

    Returns the conditioned matrix, its eigenvalues and eigenvectors. A zero floor
    still clamps the negative eigenvalues that noise creates (the result is PSD).
    """
    Sigma = 0.5 * (Sigma + Sigma.T)
    eigval, eigvec = np.linalg.eigh(Sigma)
    floor = max(float(min_eig), 0.0)
    eigval = np.maximum(eigval, floor)
    return (eigvec * eigval) @ eigvec.T, eigval, eigvec


def _solve_psd(eigval, eigvec, b):
    """Pseudo-inverse solve with the eigendecomposition of a PSD matrix."""
    tiny = max(float(eigval.max(initial=0.0)), 1.0) * 1e-12
    inv = np.where(eigval > tiny, 1.0 / np.where(eigval > tiny, eigval, 1.0), 0.0)
    return eigvec @ (inv * (eigvec.T @ b))


def _keep_top(coef, k):
    if k is None or k >= np.count_nonzero(coef):
        return coef
    out = np.zeros_like(coef)
    keep = np.argsort(-np.abs(coef), kind="stable")[:k]
    out[keep] = coef[keep]
    return out


def fit_moments(Sigma, c, *, s_xx, s_xy, alpha="auto", min_eig="auto", server_step="lasso",
                n_nonzero=None, refit=True, max_iter=1000, tol=1e-10):
    """Sparse regression coefficients from a noisy covariance ``Sigma`` and ``c``.

    Parameters
    ----------
    Sigma : ndarray of shape (d, d)
        Noisy estimate of Cov(x) (exact for the public-data variant).
    c : ndarray of shape (d,)
        Noisy estimate of Cov(x, y).
    s_xx, s_xy : float
        Standard deviations of the noise on each entry of ``Sigma`` and ``c``
        (``sigma / sqrt(n)``; 0 for exact statistics).
    alpha : "auto" or float
        Threshold (``"threshold"``) or L1 penalty (``"lasso"``). ``"auto"``:
        ``Phi^-1(1 - 0.025 / d)`` times the noise level of the statistic it acts on.
    min_eig : "auto" or float
        Eigenvalue floor; ``"auto"`` is ``2 s_xx sqrt(d)``, the edge of the noise's
        semicircle spectrum.
    server_step : {"lasso", "threshold"}
        The engine's Lasso in Gram form, or the soft-thresholded closed form.
    n_nonzero : int or None
        Keep at most this many coefficients (largest in magnitude).
    refit : bool
        Least squares on the selected support, with the support's block of ``Sigma``
        conditioned at its own (smaller) noise edge ``2 s_xx sqrt(k)`` (post-processing:
        no extra privacy cost), removing the shrinkage bias.

    Returns
    -------
    coef : ndarray of shape (d,)
    info : dict
        ``alpha`` (the level used, per coordinate for the threshold step),
        ``min_eig``, ``n_iter``, ``converged``.
    """
    d = c.shape[0]
    floor = 2.0 * s_xx * math.sqrt(d) if min_eig == "auto" else float(min_eig)
    G, eigval, eigvec = condition(Sigma, floor)
    z = _universal(d)
    theta_ls = _solve_psd(eigval, eigvec, c)
    # sd of each coordinate of theta_ls: sqrt(s_xy^2 + s_xx^2 ||theta||^2) sqrt((G^-2)_jj)
    inv2 = np.where(eigval > 0, 1.0 / np.where(eigval > 0, eigval, 1.0) ** 2, 0.0)
    leverage = np.sqrt((eigvec ** 2) @ inv2)
    penalty = L1(1.0)

    def level(norm):
        return math.sqrt(s_xy ** 2 + (s_xx * norm) ** 2)

    n_iter, converged = 0, True
    if server_step == "threshold":
        if alpha == "auto":
            # two passes: the noise level depends on ||theta||, estimated by the pilot
            thresholds = z * level(0.0) * leverage
            pilot = penalty.prox(theta_ls, 1.0, penalty_factor=thresholds)
            thresholds = z * level(float(np.linalg.norm(pilot))) * leverage
        else:
            thresholds = np.full(d, float(alpha))
        coef = penalty.prox(theta_ls, 1.0, penalty_factor=thresholds)
        used_alpha = thresholds
    elif server_step == "lasso":
        if alpha == "auto":
            pilot = penalty.prox(theta_ls, 1.0, penalty_factor=z * level(0.0) * leverage)
            used_alpha = z * level(float(np.linalg.norm(pilot)))
        else:
            used_alpha = float(alpha)
        result = solve_gram(G, c, L1(alpha=used_alpha), max_iter=max_iter, tol=tol)
        coef, n_iter, converged = result.coef, result.n_iter, result.converged
    else:
        raise ValueError(f"server_step must be 'lasso' or 'threshold', got {server_step!r}.")
    coef = _keep_top(coef, n_nonzero)
    if refit:
        support = np.flatnonzero(coef)
        coef = np.zeros(d)
        if support.size:
            # the k x k block carries far less noise than the d x d matrix: condition it
            # at its own noise edge, 2 s_xx sqrt(k), so the d-dimensional floor does not
            # bias the refitted coefficients
            floor_s = 2.0 * s_xx * math.sqrt(support.size) if min_eig == "auto" else floor
            _, val, vec = condition(Sigma[np.ix_(support, support)], floor_s)
            coef[support] = _solve_psd(val, vec, c[support])
    return coef, {"alpha": used_alpha, "min_eig": floor, "n_iter": n_iter,
                  "converged": converged}


def iht(respond, *, n_groups, group_sizes, sigma, n_features, fit_intercept, clip_x,
        clip_y, step_size="auto", alpha="auto", n_nonzero=None):
    """Locally private iterative hard thresholding, one fresh group of users per round.

    Round ``t``: broadcast ``theta``, receive the group's summed noisy gradients of the
    squared loss (residuals clipped to ``[-clip_y, clip_y]``), step, keep the largest
    entries (``n_nonzero``) or those above the noise level of the final average, project
    the slopes
    onto the ball of radius ``sqrt(d) clip_y / min(clip_x)`` and the intercept onto
    ``[-clip_y, clip_y]``. The estimate is the average of the second half of the
    iterates (tail averaging pools the noise of those rounds), thresholded again.

    Returns
    -------
    theta : ndarray of shape (n_z,)
        Intercept first when ``fit_intercept``.
    info : dict
        ``step_size``, ``alpha`` (final threshold), ``n_iter``.
    """
    off = int(fit_intercept)
    m = n_features + off
    bounds = np.concatenate([[1.0], clip_x]) if fit_intercept else np.asarray(clip_x)
    step = 1.0 / float(np.max(bounds)) ** 2 if step_size == "auto" else float(step_size)
    radius = math.sqrt(n_features) * clip_y / float(np.min(clip_x))
    z = _universal(n_features)

    def threshold(theta, noise_sd):
        slopes = theta[off:]
        if n_nonzero is not None:
            slopes[:] = _keep_top(slopes, n_nonzero)
        else:
            level = z * noise_sd if alpha == "auto" else float(alpha)
            slopes[np.abs(slopes) < level] = 0.0
        return level if n_nonzero is None else 0.0

    theta = np.zeros(m)
    tail_start = n_groups // 2
    # Each round keeps the entries above the noise level of the final (tail-averaged)
    # estimate: what lies below cannot be resolved at the end, what lies above must not
    # be dropped by one noisy round (the round's own level would drop true entries).
    resolvable = step * sigma / math.sqrt(max(sum(group_sizes[tail_start:]), 1))
    tail_sum = np.zeros(m)
    tail_users = 0
    final_level = 0.0
    for t in range(n_groups):
        grad_sum, count = respond(t, theta.copy())
        theta = theta - step * grad_sum / count
        threshold(theta, resolvable)
        norm = float(np.linalg.norm(theta[off:]))
        if norm > radius:
            theta[off:] *= radius / norm
        if fit_intercept:
            theta[0] = min(max(theta[0], -clip_y), clip_y)
        if t >= tail_start:
            tail_sum += theta
            tail_users += count
    theta = tail_sum / (n_groups - tail_start)
    # the average of the tail iterates carries the noise of all their users
    final_level = threshold(theta, step * sigma / math.sqrt(max(tail_users, 1)))
    return theta, {"step_size": step, "alpha": final_level, "n_iter": n_groups}
