"""SDPKMeans and ILASDP: SDP reductions, solver parity, monotone objective, bad input."""

import subprocess
import sys
import warnings

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score
from sklearn.mixture import GaussianMixture

from sparsestat._engine.families._burer_monteiro import (
    kmeans_sdp_init,
    la_sdp_objective,
    solve_la_sdp_bm,
)
from sparsestat.cluster import ILASDP, SDPKMeans
from sparsestat.cluster._sdp import _soft_covariances, _whiten


def heterogeneous(seed, n=120):
    """One round cluster (sd 0.5) and one elongated (sd (3, 0.5)) shifted by 3."""
    rng = np.random.default_rng(seed)
    h = n // 2
    X = np.vstack([rng.normal(0.0, 0.5, (h, 2)),
                   rng.normal(0.0, 1.0, (h, 2)) * [3.0, 0.5] + [0.0, 3.0]])
    return X, np.repeat([0, 1], h)


def error_rate(y, labels):
    """Mis-clustering rate, minimized over the two label permutations."""
    e = np.mean(y != labels)
    return min(e, 1.0 - e)


def blobs(seed, n_per=12, sep=4.0, sd=1.0):
    rng = np.random.default_rng(seed)
    centers = np.array([[0.0, 0.0], [sep, 0.0]])
    X = np.vstack([rng.normal(c, sd, (n_per, 2)) for c in centers])
    return X, np.repeat([0, 1], n_per)


# ---------------------------------------------------------------- SDP reductions and parity
def test_la_sdp_with_equal_spherical_covariances_is_the_kmeans_sdp():
    pytest.importorskip("cvxpy")
    from sparsestat.cluster._cvxpy import kmeans_sdp_cvxpy, la_sdp_cvxpy

    X, _ = blobs(0, n_per=10, sep=3.0)
    X = X - X.mean(axis=0)
    n, p = X.shape
    sigma2 = 0.7
    Z_km, obj_km = kmeans_sdp_cvxpy(X, 2)
    Ys = np.stack([X / np.sqrt(sigma2)] * 2)
    cs = np.full(2, p * np.log(sigma2))
    Zs, obj_la = la_sdp_cvxpy(Ys, cs)
    # <D/(2 s^2), sum Z_k> + n p log s^2: the same problem up to scale and shift
    assert obj_la == pytest.approx(obj_km / sigma2 + n * p * np.log(sigma2), rel=1e-5)
    np.testing.assert_allclose(Zs.sum(axis=0), Z_km, atol=1e-4)
    # the Burer-Monteiro LA-SDP with equal costs gives the same K-means SDP solution
    res = solve_la_sdp_bm(Ys, cs, np.ones(2), 4, rng=np.random.default_rng(1))
    assert res.converged
    Z_bm = sum(res.U[:, k] @ res.U[:, k].T for k in range(2))
    np.testing.assert_allclose(Z_bm, Z_km, atol=1e-3)
    assert res.objective == pytest.approx(obj_la, rel=1e-4)


@pytest.mark.parametrize("seed", [0, 1])
def test_bm_matches_cvxpy_on_the_la_sdp(seed):
    pytest.importorskip("cvxpy")
    from sparsestat.cluster._cvxpy import la_sdp_cvxpy

    X, y = heterogeneous(seed, n=30)
    X = X - X.mean(axis=0)
    covs = [np.cov(X[y == k].T) for k in range(2)]
    Ys, cs = _whiten(X, covs, "full", 1e-6)
    Zs, obj_cvx = la_sdp_cvxpy(Ys, cs)
    res = solve_la_sdp_bm(Ys, cs, np.ones(2), 4, rng=np.random.default_rng(seed))
    assert res.converged and res.feasibility <= 1e-6
    assert res.objective == pytest.approx(obj_cvx, rel=1e-4)
    # the solution itself, not only its value
    for k in range(2):
        np.testing.assert_allclose(res.U[:, k] @ res.U[:, k].T, Zs[k], atol=1e-3)


def test_bm_matches_cvxpy_on_a_non_tight_kmeans_sdp():
    # elongated clusters: the K-means SDP optimum is fractional, not a block matrix
    pytest.importorskip("cvxpy")
    from sparsestat.cluster._cvxpy import kmeans_sdp_cvxpy

    X, _ = heterogeneous(0, n=30)
    X = X - X.mean(axis=0)
    _, obj_cvx = kmeans_sdp_cvxpy(X, 2)
    res = solve_la_sdp_bm(X[None], np.zeros(1), np.array([2.0]), 4,
                          rng=np.random.default_rng(0))
    assert res.converged
    assert res.objective == pytest.approx(obj_cvx, rel=1e-4)


def test_bm_never_forms_dense_matrices_and_is_feasible():
    X, _ = heterogeneous(3, n=400)
    res = solve_la_sdp_bm(X[None], np.zeros(1), np.array([2.0]), 4,
                          rng=np.random.default_rng(0))
    U = res.U[:, 0]
    assert U.shape == (400, 4) and np.all(U >= 0)
    assert np.sum(U * U) == pytest.approx(2.0)
    np.testing.assert_allclose(U @ U.sum(axis=0), 1.0, atol=1e-5)
    # the objective computed through low-rank products equals the dense formula
    Xc = X - X.mean(axis=0)
    D = ((Xc[:, None] - Xc[None]) ** 2).sum(axis=2)
    assert la_sdp_objective(X[None], np.zeros(1), res.U) == pytest.approx(
        np.sum(D / 2 * (U @ U.T)), rel=1e-10)


def test_soft_covariance_update_is_the_exact_minimizer():
    rng = np.random.default_rng(0)
    X, y = heterogeneous(0, n=40)
    Xc = X - X.mean(axis=0)
    U = kmeans_sdp_init(y, 2, 3, rng, noise=0.3)
    U /= np.sqrt((U ** 2).sum(axis=(0, 2)))[None, :, None]
    M = np.einsum("nbr,br->nb", U, U.sum(axis=0))
    XtZX = [(Xc.T @ U[:, k]) @ (Xc.T @ U[:, k]).T for k in range(2)]
    for ctype in ("full", "diag", "spherical"):
        covs, sizes, F = _soft_covariances(Xc, M, XtZX, ctype, 1e-3)
        Ys, cs = _whiten(Xc, covs, ctype, 1e-3)
        # F(Z, Sigma) evaluated through the SDP objective agrees with the closed form ...
        assert la_sdp_objective(Ys, cs, U) == pytest.approx(F, rel=1e-9)
        # ... and any other covariance gives a larger F
        for scale in (0.9, 1.1):
            other = [np.asarray(c) * scale for c in covs]
            Ys2, cs2 = _whiten(Xc, other, ctype, 1e-3)
            assert la_sdp_objective(Ys2, cs2, U) > F


# ---------------------------------------------------------------- estimator behaviour
def test_objective_history_decreases_and_labels_are_recovered():
    X, y = heterogeneous(1)
    model = ILASDP(n_clusters=2, random_state=1).fit(X)
    obj = model.objective_
    assert obj.shape == (model.n_iter_ + 1,)
    assert len(obj) >= 3
    assert np.all(np.diff(obj) <= 0.0)
    assert obj[-1] < obj[0] - 50.0  # a real decrease, not a flat line
    assert model.converged_
    assert adjusted_rand_score(y, model.labels_) > 0.95
    np.testing.assert_allclose(model.membership_.sum(axis=1), 1.0, atol=1e-4)
    assert model.means_.shape == (2, 2) and model.covariances_.shape == (2, 2, 2)
    # the likelihood rule reproduces the fitted labels on the training data
    assert np.mean(model.predict(X) == model.labels_) > 0.95
    # KMeans cannot separate these clusters
    assert adjusted_rand_score(y, KMeans(2, n_init=10, random_state=0).fit_predict(X)) < 0.5


@pytest.mark.parametrize("covariance_type, shape", [("diag", (2, 2)), ("spherical", (2,))])
def test_covariance_types(covariance_type, shape):
    X, y = heterogeneous(2)
    model = ILASDP(covariance_type=covariance_type, random_state=0).fit(X)
    assert model.covariances_.shape == shape
    assert np.all(np.diff(model.objective_) <= 0.0)
    if covariance_type == "diag":  # the clusters are axis-aligned: diag suffices
        assert adjusted_rand_score(y, model.labels_) > 0.9


def test_inits_and_random_state():
    X, y = heterogeneous(4)
    a = ILASDP(init="k-means++", random_state=3).fit(X)
    b = ILASDP(init="k-means++", random_state=3).fit(X)
    np.testing.assert_array_equal(a.labels_, b.labels_)
    means = np.array([[0.0, 0.0], [0.0, 3.0]])
    c = ILASDP(init=means).fit(X)
    assert adjusted_rand_score(y, c.labels_) > 0.9
    with pytest.raises(ValueError, match="shape"):
        ILASDP(init=np.zeros((3, 2))).fit(X)


def test_sketch_and_lift():
    X, y = heterogeneous(5, n=1000)
    model = ILASDP(sketch_size=200, random_state=0).fit(X)
    assert model.labels_.shape == (1000,)
    assert model.membership_.shape == (1000, 2)
    assert adjusted_rand_score(y, model.labels_) > 0.9


def test_sdpkmeans_recovers_separated_blobs_and_bounds_inertia():
    X, y = blobs(2, n_per=40, sep=5.0)
    model = SDPKMeans(n_clusters=2, random_state=0).fit(X)
    assert adjusted_rand_score(y, model.labels_) == 1.0
    km = KMeans(2, n_init=10, random_state=0).fit(X)
    # tight relaxation: the SDP value is the optimal inertia
    assert model.objective_ == pytest.approx(km.inertia_, rel=1e-4)
    assert model.objective_ <= model.inertia_ * (1 + 1e-6)
    np.testing.assert_array_equal(model.predict(X), model.labels_)


def test_sdpkmeans_cvxpy_solver_matches_bm():
    pytest.importorskip("cvxpy")
    X, y = blobs(3, n_per=10, sep=4.0, sd=0.5)
    cvx = SDPKMeans(2, solver="cvxpy", random_state=0).fit(X)
    bm = SDPKMeans(2, random_state=0).fit(X)
    assert cvx.factor_ is None and bm.factor_.shape == (20, 4)
    assert bm.objective_ == pytest.approx(cvx.objective_, rel=1e-4)
    assert adjusted_rand_score(cvx.labels_, bm.labels_) == 1.0


def test_single_cluster():
    X, _ = heterogeneous(0, n=30)
    model = ILASDP(n_clusters=1).fit(X)
    assert np.all(model.labels_ == 0)
    np.testing.assert_allclose(model.means_[0], X.mean(axis=0), atol=1e-6)


def test_input_is_not_modified():
    X, _ = heterogeneous(0, n=60)
    X_copy = X.copy()
    ILASDP(random_state=0).fit(X)
    SDPKMeans(random_state=0).fit(X)
    np.testing.assert_array_equal(X, X_copy)


def test_importing_sparsestat_does_not_import_cvxpy():
    code = "import sys, sparsestat, sparsestat.cluster; print('cvxpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize("Est", [ILASDP, SDPKMeans])
def test_more_clusters_than_samples(Est):
    with pytest.raises(ValueError, match="n_samples=3 should be >= n_clusters=4"):
        Est(n_clusters=4).fit(np.arange(6.0).reshape(3, 2))


@pytest.mark.parametrize("Est", [ILASDP, SDPKMeans])
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_input(Est, bad):
    X, _ = heterogeneous(0, n=20)
    X[3, 1] = bad
    with pytest.raises(ValueError, match="NaN|infinity"):
        Est().fit(X)


def test_duplicate_points():
    X, y = heterogeneous(0, n=60)
    # duplicated rows are fine: they are weighted copies of the same point
    Xd = np.vstack([X, X[:10]])
    model = ILASDP(random_state=0).fit(Xd)
    assert adjusted_rand_score(np.r_[y, y[:10]], model.labels_) > 0.9
    # too few distinct points for the clusters asked for
    with pytest.raises(ValueError, match="fewer distinct points"):
        ILASDP(n_clusters=2).fit(np.ones((10, 2)))


def test_more_features_than_samples():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0.0, 1.0, (10, 30)), rng.normal(4.0, 1.0, (10, 30))])
    with pytest.raises(ValueError, match="n_features=30 >= n_samples=20"):
        ILASDP().fit(X)
    # documented regularized answer: diagonal or spherical covariances
    model = ILASDP(covariance_type="spherical", random_state=0).fit(X)
    np.testing.assert_array_equal(np.bincount(model.labels_), [10, 10])


# ---------------------------------------------------------------- statistical (slow)
def test_heterogeneous_five_seeds_beats_kmeans():
    # cheap enough (a few seconds) to run by default
    ari_sdp, ari_km = [], []
    for seed in range(5):
        X, y = heterogeneous(seed)
        ari_sdp.append(adjusted_rand_score(y, ILASDP(random_state=seed).fit(X).labels_))
        ari_km.append(adjusted_rand_score(
            y, KMeans(2, n_init=10, random_state=seed).fit_predict(X)))
    assert np.mean(ari_sdp) >= 0.9
    assert np.mean(ari_km) < 0.5


@pytest.mark.slow
def test_worst_decile_error_no_worse_than_em_random_init():
    err_sdp, err_em = [], []
    for seed in range(20):
        X, y = heterogeneous(100 + seed)
        err_sdp.append(error_rate(y, ILASDP(random_state=seed).fit(X).labels_))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            em = GaussianMixture(2, init_params="random", n_init=1, random_state=seed)
            err_em.append(error_rate(y, em.fit(X).predict(X)))
    assert np.quantile(err_sdp, 0.9) <= np.quantile(err_em, 0.9)


@pytest.mark.slow
def test_cvxpy_solver_agrees_with_bm():
    pytest.importorskip("cvxpy")
    X, y = heterogeneous(0, n=30)
    # one alternation from the same start: the same SDP solved by both solvers
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bm1 = ILASDP(init="k-means++", max_iter=1, random_state=0).fit(X)
        cvx1 = ILASDP(init="k-means++", max_iter=1, solver="cvxpy", random_state=0).fit(X)
    assert bm1.objective_[0] == cvx1.objective_[0]
    assert bm1.objective_[1] == pytest.approx(cvx1.objective_[1], rel=1e-4)
    # full runs: both decrease F and find the same clusters (the two alternation paths
    # differ slightly, so their stopping points need not coincide)
    bm = ILASDP(random_state=0).fit(X)
    cvx = ILASDP(solver="cvxpy", random_state=0).fit(X)
    assert np.all(np.diff(cvx.objective_) <= 0.0)
    assert adjusted_rand_score(bm.labels_, cvx.labels_) == 1.0
