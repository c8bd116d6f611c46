"""Sufficient statistics of weighted least squares, accumulated over row blocks.

For the quadratic datafit everything a solver, a path or a validation error needs is
the weight sum ``W``, the weighted means ``mx = sum w x / W`` and ``my``, and the
*centered* cross products ``Cxx = sum w (x - mx)(x - mx)^T``, ``Cxy`` and ``Cyy``. They
are additive over row blocks through the pairwise update of Chan, Golub and LeVeque
(1979): merging blocks ``A`` and ``B`` with ``d = m_B - m_A``::

    W = W_A + W_B,   m = m_A + d W_B / W,   C = C_A + C_B + (W_A W_B / W) d d^T.

Keeping centered moments (rather than raw ``X^T W X``) avoids the cancellation of
``X^T W X - W m m^T`` when the columns have large means; each dense block is centered
on its own mean before its cross products are taken. A scipy.sparse block cannot be
centered without densifying it: its centered products are formed as
``X^T W X - W m m^T`` within the block (exact for the usual sparse designs whose means
are small next to their spread).

A statistics tuple is ``(n_rows, W, mx, my, Cxx, Cxy, Cyy)`` in float64; ``W = 0`` is the
identity of the merge. Everything here is numpy on plain arrays; the public, picklable
class is :class:`sparsestat.linear_model.SufficientStatistics`.
"""

import numpy as np
import scipy.sparse as sp

__all__ = [
    "block_moments",
    "empty_moments",
    "merge_moments",
    "gram_form",
    "weighted_sq_errors",
    "pseudo_design",
]


def empty_moments(n_features):
    """The identity of :func:`merge_moments` (no rows)."""
    p = int(n_features)
    return (0, 0.0, np.zeros(p), 0.0, np.zeros((p, p)), np.zeros(p), 0.0)


def block_moments(X, y, sample_weight=None):
    """Moments of one block: ``(n_rows, W, mx, my, Cxx, Cxy, Cyy)`` in float64.

    ``X`` is a dense array or a scipy.sparse matrix; it is not modified (dense blocks are
    centered in a float64 copy of the block).
    """
    n, p = X.shape
    y = np.asarray(y, dtype=np.float64).ravel()
    w = np.ones(n) if sample_weight is None else np.asarray(sample_weight,
                                                            dtype=np.float64).ravel()
    W = float(w.sum())
    if n == 0 or W == 0.0:
        out = empty_moments(p)
        return (int(n),) + out[1:]
    my = float(w @ y) / W
    yc = y - my
    if sp.issparse(X):
        X = X.tocsr() if X.format not in ("csr", "csc") else X
        mx = np.asarray(X.T @ w, dtype=np.float64).ravel() / W
        Xw = sp.diags(w) @ X
        Cxx = np.asarray((X.T @ Xw).toarray(), dtype=np.float64) - W * np.outer(mx, mx)
        # sum w (x - mx) yc = X^T (w yc) because sum w yc = 0
        Cxy = np.asarray(X.T @ (w * yc), dtype=np.float64).ravel()
    else:
        Xc = np.asarray(X, dtype=np.float64)
        mx = (w @ Xc) / W
        Xc = Xc - mx  # the one copy of the block
        Cxy = Xc.T @ (w * yc)
        if sample_weight is not None:
            Xc *= np.sqrt(w)[:, None]
        Cxx = Xc.T @ Xc  # numpy calls syrk for A.T @ A
    Cyy = float(w @ (yc * yc))
    return (int(n), W, mx, my, np.ascontiguousarray(Cxx), Cxy, Cyy)


def merge_moments(a, b):
    """Chan-Golub-LeVeque pairwise merge of two statistics tuples (new arrays)."""
    na, Wa, mxa, mya, Ca, cxya, cyya = a
    nb, Wb, mxb, myb, Cb, cxyb, cyyb = b
    if Wb == 0.0:
        return (na + nb, Wa, mxa.copy(), mya, Ca.copy(), cxya.copy(), cyya)
    if Wa == 0.0:
        return (na + nb, Wb, mxb.copy(), myb, Cb.copy(), cxyb.copy(), cyyb)
    W = Wa + Wb
    dx = mxb - mxa
    dy = myb - mya
    f = Wa * Wb / W
    mx = mxa + dx * (Wb / W)
    my = mya + dy * (Wb / W)
    C = Ca + Cb
    C += f * np.outer(dx, dx)
    cxy = cxya + cxyb + f * dx * dy
    cyy = cyya + cyyb + f * dy * dy
    return (na + nb, W, mx, my, C, cxy, cyy)


def gram_form(moments, fit_intercept):
    """``(G, b, yy)`` of ``1/(2W) sum w (y - x^T w - c)^2`` with the intercept ``c`` profiled out.

    With an intercept ``G = Cxx / W``, ``b = Cxy / W``, ``yy = Cyy / W`` (the centered
    problem, whose intercept is then ``my - mx^T w``); without one the raw second
    moments ``(Cxx + W mx mx^T) / W`` etc. These are what
    :func:`~sparsestat._engine.solve_gram` takes, and equal the Gram matrix the
    in-memory Gram solver builds from the rows with weights rescaled to sum to ``n``.
    """
    _, W, mx, my, Cxx, Cxy, Cyy = moments
    if W <= 0.0:
        raise ValueError("the statistics hold no rows of positive weight.")
    if fit_intercept:
        return Cxx / W, Cxy / W, Cyy / W
    return (Cxx + W * np.outer(mx, mx)) / W, (Cxy + W * mx * my) / W, (Cyy + W * my * my) / W


def weighted_sq_errors(moments, coefs, intercepts):
    """``sum_i w_i (y_i - x_i^T w - c)^2`` for every column of ``coefs`` (p, k) and ``c``.

    Expanded in the statistics, so the error of a whole path on a held-out block costs
    ``O(p^2 k)`` and no pass over its rows::

        Cyy - 2 w^T Cxy + w^T Cxx w + W (my - mx^T w - c)^2
    """
    _, W, mx, my, Cxx, Cxy, Cyy = moments
    coefs = np.asarray(coefs, dtype=np.float64)
    if coefs.ndim == 1:
        coefs = coefs[:, None]
    intercepts = np.broadcast_to(np.asarray(intercepts, dtype=np.float64), coefs.shape[1:])
    quad = np.einsum("jk,jk->k", coefs, Cxx @ coefs)
    offset = my - mx @ coefs - intercepts
    return np.maximum(Cyy - 2.0 * (Cxy @ coefs) + quad, 0.0) + W * offset ** 2


def pseudo_design(G, b, yy, rcond=1e-13):
    """``m = p + 1`` rows ``(Z, t)``: ``Z^T Z / m = G``, ``Z^T t / m = b``, ``t^T t / m = yy``.

    The quadratic datafit ``yy/2 - b^T w + w^T G w / 2`` equals ``||t - Z w||^2 / (2m)``
    for every ``w``, so any least-squares solver, certificate or polish written for a
    design matrix solves the Gram-form problem exactly (used for the block, nonconvex and
    path solvers, which take rows). Built from the eigendecomposition ``G = V L V^T``
    (``O(p^3)`` once, no assumption of full rank): ``Z = sqrt(m) [L^1/2 V^T; 0]``, and the
    extra row carries the part of ``yy`` that no ``w`` can explain. Eigenvalues below
    ``rcond * max(L)`` are treated as zero.
    """
    p = b.shape[0]
    m = p + 1
    lam, V = np.linalg.eigh((G + G.T) / 2.0)
    keep = lam > rcond * max(lam.max(initial=0.0), np.finfo(float).tiny)
    root = np.sqrt(np.where(keep, lam, 0.0))
    Z = np.zeros((m, p))
    Z[:p] = root[:, None] * V.T
    u = np.zeros(p)
    proj = V.T @ b
    u[keep] = proj[keep] / root[keep]
    rest = max(float(yy) - float(u @ u), 0.0)
    t = np.append(u, np.sqrt(rest))
    scale = np.sqrt(m)
    return np.asfortranarray(Z * scale), t * scale
