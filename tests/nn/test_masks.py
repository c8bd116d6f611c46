"""Engine masks, projections and prox operators used by the pruners."""

import numpy as np
import pytest
from scipy.optimize import minimize

from sparsestat._engine.families._masks import (erk_densities, iss_shrink, ksupport_sq, nm_mask,
                                       pdp_soft_mask, pdp_threshold, topk_mask, wgsef_prox,
                                       wgsef_prox_cols)


@pytest.mark.parametrize("n, m", [(2, 4), (1, 4), (4, 8), (3, 3)])
def test_nm_mask_exactly_n_per_group(rng, n, m):
    W = rng.standard_normal((4 * m, 7))
    mask = nm_mask(W, n, m)
    groups = mask.reshape(4, m, 7)
    assert np.all(groups.sum(axis=1) == n)
    # the kept ones are the largest |w| of their group
    absW = np.abs(W).reshape(4, m, 7)
    kept_min = np.where(groups == 1, absW, np.inf).min(axis=1)
    dropped_max = np.where(groups == 0, absW, -np.inf).max(axis=1)
    assert np.all(kept_min >= dropped_max)


def test_nm_mask_padding_keeps_min_n_r(rng):
    W = rng.standard_normal((10, 3))  # groups of 4: 4, 4, 2
    mask = nm_mask(W, 3, 4)
    assert mask[:8].reshape(2, 4, 3).sum(axis=1).tolist() == [[3] * 3] * 2
    assert mask[8:].sum(axis=0).tolist() == [2.0] * 3


def test_topk_mask_keeps_largest_and_breaks_ties_by_position():
    w = np.array([[0.5, -2.0, 0.5], [1.0, 0.5, 0.0]])
    assert topk_mask(w, 3).tolist() == [[1.0, 1.0, 0.0], [1.0, 0.0, 0.0]]
    assert topk_mask(w, 0).sum() == 0 and topk_mask(w, 6).sum() == 6


def test_erk_densities_hit_total_and_favour_small_layers():
    shapes = [(64, 100), (100, 10)]
    d = erk_densities(shapes, 0.1)
    sizes = np.array([a * b for a, b in shapes])
    assert np.isclose((d * sizes).sum() / sizes.sum(), 0.1)
    assert d[1] > d[0]
    # a layer that would exceed density 1 is made dense and epsilon re-solved
    d2 = erk_densities([(500, 500), (500, 2)], 0.3)
    assert d2[1] == 1.0 and np.isclose((d2 * [250000, 1000]).sum() / 251000, 0.3)
    assert np.allclose(erk_densities(shapes, 0.1, "uniform"), 0.1)


def _wgsef_objective(theta, z, ptr, d, lam, k):
    v = [np.sqrt(d[j]) * np.linalg.norm(theta[ptr[j]:ptr[j + 1]]) for j in range(len(d))]
    return 0.5 * np.sum((theta - z) ** 2) + lam * 0.5 * ksupport_sq(np.array(v), k)


@pytest.mark.parametrize("seed", range(4))
def test_wgsef_prox_equals_generic_minimizer(seed):
    rng = np.random.default_rng(seed)
    ptr = np.array([0, 2, 3, 5, 7], dtype=np.int64)
    d = rng.uniform(0.5, 2.0, 4)
    z = rng.standard_normal(7)
    lam, k = 0.7, 2
    theta, _ = wgsef_prox(z, ptr, d, lam, k)
    best = None
    for start in [z, np.zeros(7)] + [rng.standard_normal(7) for _ in range(3)]:
        res = minimize(_wgsef_objective, start, args=(z, ptr, d, lam, k), method="Powell",
                       options={"xtol": 1e-10, "ftol": 1e-14, "maxiter": 100000})
        if best is None or res.fun < best.fun:
            best = res
    ours = _wgsef_objective(theta, z, ptr, d, lam, k)
    assert ours <= best.fun + 1e-9
    np.testing.assert_allclose(theta, best.x, atol=1e-4)


def test_wgsef_prox_with_at_most_k_groups_is_ridge_shrinkage(rng):
    ptr = np.array([0, 3, 6, 9, 12], dtype=np.int64)
    d = np.array([1.0, 2.0, 0.5, 1.5])
    z = rng.standard_normal(12)
    z[3:6] = 0.0
    z[9:] = 0.0  # two nonzero groups, k = 2
    theta, c = wgsef_prox(z, ptr, d, 0.3, 2)
    expected = np.concatenate([z[ptr[j]:ptr[j + 1]] / (1 + 0.3 * d[j]) for j in range(4)])
    np.testing.assert_allclose(theta, expected)
    assert np.count_nonzero(c) <= 2


def test_wgsef_coefficients_sum_to_k_and_cols_match_flat(rng):
    W = rng.standard_normal((5, 8))
    flat = np.ascontiguousarray(W.T).ravel()  # group j = column j
    ptr = np.arange(0, 41, 5, dtype=np.int64)
    theta, c = wgsef_prox(flat, ptr, np.ones(8), 0.2, 3)
    assert np.isclose(c.sum(), 3.0)
    Wc = W.copy()
    c2 = wgsef_prox_cols(Wc, 0.2, 3)
    np.testing.assert_allclose(c2, c)
    np.testing.assert_allclose(Wc, theta.reshape(8, 5).T)


def test_pdp_soft_mask_tends_to_hard_topk(rng):
    W = rng.standard_normal((12, 9))
    t = pdp_threshold(W, 0.75)
    hard = topk_mask(W, W.size - int(round(0.75 * W.size)))
    gaps = []
    for tau in [1e-1, 1e-2, 1e-3, 1e-5, 1e-8]:
        gaps.append(np.abs(pdp_soft_mask(W, t, tau) - hard).max())
    assert all(a >= b for a, b in zip(gaps, gaps[1:]))
    assert gaps[-1] < 1e-6
    assert gaps[0] > 1e-3


def test_iss_shrink_scales_exactly_the_chosen_weights(rng):
    W = rng.standard_normal((6, 5))
    before = W.copy()
    keep = iss_shrink(W, 0.4, 0.9)
    chosen = np.argsort(np.abs(before).ravel(), kind="mergesort")[:12]
    expected = before.ravel().copy()
    expected[chosen] *= 0.9
    np.testing.assert_array_equal(W.ravel(), expected)
    assert keep.sum() == 30 - 12 and np.all(keep.ravel()[chosen] == 0)
