"""Property test: every solver and layout reaches the reference objective of the elastic net.

Random small problems with ``l1_ratio`` in {0, 0.3, 1}, ``alpha`` in {0, small,
>= alpha_max}, positivity, intercept and sample weights. The reference is the best of
scikit-learn's ``ElasticNet`` at a tight tolerance and, where one exists, the closed form
(least squares for ``alpha = 0``, ridge for ``l1_ratio = 0``). A solver must report
convergence, reach the reference objective, and never call ``w = 0`` converged unless
``w = 0`` is optimal (``alpha * l1_ratio >= alpha_max``): the bug of issue 14, where a
zero L1 weight made the duality gap exactly 0 at ``w = 0``.
"""

import warnings

import numpy as np
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import ElasticNet as SkElasticNet

from sparsestat._engine import L1, ElasticNet, Quadratic
from sparsestat.linear_model._glm import fit_penalized

SOLVERS = ["cd", "gram", "fista", "greedy"]
TOL = 1e-9


def _objective(X, y, sw, w, b, alpha, l1_ratio):
    r = y - X @ w - b
    return (0.5 * float(sw @ r ** 2) / sw.sum()
            + alpha * (l1_ratio * np.abs(w).sum() + 0.5 * (1 - l1_ratio) * w @ w))


def _alpha_max(X, y, sw, fit_intercept, positive):
    """Independent numpy version: KKT of w = 0 (at the optimal intercept)."""
    yc = y - (sw @ y) / sw.sum() if fit_intercept else y
    corr = X.T @ (sw * yc) / sw.sum()
    return max(corr.max(), 0.0) if positive else np.abs(corr).max()


def _closed_form(X, y, sw, alpha, l1_ratio, fit_intercept):
    """Weighted least squares / ridge (no positivity), or None."""
    n, p = X.shape
    s = sw / sw.sum()
    if fit_intercept:
        xm, ym = s @ X, s @ y
        Xc, yc = X - xm, y - ym
    else:
        Xc, yc = X, y
    ridge = alpha * (1 - l1_ratio) if l1_ratio == 0 else 0.0
    G = Xc.T @ (s[:, None] * Xc) + ridge * np.eye(p)
    w = np.linalg.lstsq(G, Xc.T @ (s * yc), rcond=None)[0]
    b = float(ym - xm @ w) if fit_intercept else 0.0
    return w, b


@st.composite
def problems(draw):
    p = draw(st.integers(2, 6))
    n = draw(st.integers(2 * p + 4, 40))
    seed = draw(st.integers(0, 2 ** 16))
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) + draw(st.sampled_from([0.0, 1.5]))
    w_true = rng.standard_normal(p) * (rng.uniform(size=p) < 0.6)
    y = X @ w_true + 0.5 * rng.standard_normal(n) + 2.0
    sw = rng.uniform(0.2, 3.0, n) if draw(st.booleans()) else np.ones(n)
    sw = sw * (n / sw.sum())  # the estimators' normalization, as the engine expects
    return dict(
        X=X, y=y, sw=sw,
        solver=draw(st.sampled_from(SOLVERS)),
        layout=draw(st.sampled_from(["dense", "csc"])),
        l1_ratio=draw(st.sampled_from([0.0, 0.3, 1.0])),
        alpha_kind=draw(st.sampled_from(["zero", "small", "above_max"])),
        positive=draw(st.booleans()),
        fit_intercept=draw(st.booleans()),
    )


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(problems())
def test_every_solver_reaches_the_reference_objective(prob):
    X, y, sw = prob["X"], prob["y"], prob["sw"]
    solver, l1_ratio, positive = prob["solver"], prob["l1_ratio"], prob["positive"]
    fit_intercept = prob["fit_intercept"]
    if solver == "greedy" and prob["layout"] == "csc":
        fit_intercept = False  # greedy on CSC refuses an intercept (a dense centered Gram)
    amax = _alpha_max(X, y, sw, fit_intercept, positive)
    alpha = {"zero": 0.0, "small": 0.05 * amax,
             "above_max": 1.5 * amax / max(l1_ratio, 0.3)}[prob["alpha_kind"]]
    Xin = sp.csc_matrix(X) if prob["layout"] == "csc" else X
    penalty = L1(alpha=alpha) if l1_ratio == 1.0 else ElasticNet(alpha=alpha,
                                                                 l1_ratio=l1_ratio)
    fit = fit_penalized(Xin, y, Quadratic(), penalty, sample_weight=sw,
                        fit_intercept=fit_intercept, positive=positive, solver=solver,
                        max_iter=20000, tol=TOL)
    res = fit.result
    assert res.converged, (solver, res.stop_crit)

    # the reference: scikit-learn at a tight tolerance, or the closed form if better
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # alpha = 0 UserWarning, ConvergenceWarning
        warnings.simplefilter("ignore", ConvergenceWarning)
        ref = SkElasticNet(alpha=alpha, l1_ratio=l1_ratio, fit_intercept=fit_intercept,
                           positive=positive, tol=1e-12, max_iter=200_000)
        ref.fit(X, y, sample_weight=sw)
    ref_obj = _objective(X, y, sw, ref.coef_, ref.intercept_, alpha, l1_ratio)
    if not positive and (alpha == 0 or l1_ratio == 0):
        w_cf, b_cf = _closed_form(X, y, sw, alpha, l1_ratio, fit_intercept)
        ref_obj = min(ref_obj, _objective(X, y, sw, w_cf, b_cf, alpha, l1_ratio))
    ours = _objective(X, y, sw, fit.coef, fit.intercept, alpha, l1_ratio)
    y_scale = float(sw @ (y - (sw @ y) / sw.sum()) ** 2) / sw.sum() + 1.0
    assert ours <= ref_obj + 1e-7 * y_scale, (solver, ours, ref_obj)
    if positive:
        assert np.all(fit.coef >= 0)

    # w = 0 reported as converged must be optimal: the KKT condition of w = 0
    if not np.any(fit.coef):
        assert alpha * l1_ratio >= amax * (1 - 1e-9), (solver, alpha, amax)
