"""The "Must show" statistical claims: accuracy on the authors' protocol.

The full claims are slow (``python -m pytest -m slow tests/dag``); a smaller case of each
runs by default.
"""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from sparsestat.dag import CoLiDE, is_dag
from sparsestat.datasets import make_dag, make_linear_sem
from sparsestat.metrics import dag_metrics


def _er_shd(d, k, seed, n=1000, variance="equal", noise_variance=None):
    B = make_dag(d, k * d, graph_type="ER", random_state=seed)
    if noise_variance is None:
        rng = np.random.default_rng(seed)
        noise_variance = 1.0 if variance == "equal" else rng.uniform(0.5, 10.0, size=d)
    X, _ = make_linear_sem(B, n, noise_variance=noise_variance, random_state=seed)
    return B, X


def test_er2_small_equal_variance():
    """Fast version: ER2, d = 10, n = 1000, two graphs, each within SHD 2, always a DAG."""
    for seed in (1, 2):
        B, X = _er_shd(10, 2, seed)
        est = CoLiDE().fit(X)
        assert is_dag(est.adjacency_)
        assert dag_metrics(B, est.adjacency_)["shd"] <= 2


@pytest.mark.slow
def test_er2_d20_mean_shd_at_most_4():
    """ER2, d = 20, n = 1000, Gaussian equal variance 1, five graphs: mean SHD <= 4.

    The authors' code reaches 2.6 +- 3.7 on this protocol (spec); we measured 1.8 for
    both solvers (SHD 0, 0, 3, 4, 2).
    """
    shds = {"adam": [], "prox": []}
    for seed in range(1, 6):
        B, X = _er_shd(20, 2, seed)
        for solver in shds:
            est = CoLiDE(solver=solver).fit(X)
            assert is_dag(est.adjacency_)
            shds[solver].append(dag_metrics(B, est.adjacency_)["shd"])
    assert np.mean(shds["adam"]) <= 4, shds
    assert np.mean(shds["prox"]) <= 4, shds  # the proximal variant, validated on SHD


def test_non_equal_variance_scale_floor_does_not_bind_on_deep_nodes():
    """Regression (issue 21): CoLiDE-NV on ER4, d = 50, weights +-[0.5, 2], seed 2.

    Deep nodes of such graphs have marginal standard deviations of up to 400 times their
    noise scale. The former default floor, 1e-2 x each node's marginal standard deviation,
    lay above the true noise scale on 7 nodes; the fitted scales stuck to it (up to 6.3x
    the truth) and the fit reached SHD 35. With the numerical guard that never binds:
    SHD 23, every scale within 2.6x of the truth. (Seed 4, which the issue named, goes
    the other way with our generator: SHD 75 with the old floor, 100 without; over seeds
    1-6 the means are 46.0 and 45.7. The floor's damage is clear at d = 100: SHD 458
    with it, see benchmarks/RESULTS.rst.)
    """
    d, seed = 50, 2
    B, X = _er_shd(d, 4, seed, variance="non-equal")
    true_scale = np.sqrt(np.random.default_rng(seed).uniform(0.5, 10.0, size=d))
    assert np.sum(1e-2 * X.std(axis=0) > true_scale) >= 5  # the old floor would bind
    est = CoLiDE(variance="non-equal").fit(X)
    assert np.max(est.sigma_ / true_scale) < 4.0  # old floor: 6.3
    assert dag_metrics(B, est.adjacency_)["shd"] <= 29  # old floor: 35, now 23


def _paper_protocol(d, seed):
    """The paper's heteroscedastic table: ER4, n = 1000, weights +-[0.25, 1], noise
    variances U(0.5, 10) per node (used as variances, as the authors' simulate_sem does)."""
    B = make_dag(d, 4 * d, graph_type="ER", random_state=seed)
    var = np.random.default_rng(seed).uniform(0.5, 10.0, size=d)
    X, _ = make_linear_sem(B, 1000, weight_range=(0.25, 1.0), noise_variance=var,
                           random_state=seed)
    return B, X


@pytest.mark.slow
def test_non_equal_variance_beats_equal_variance_on_the_papers_protocol():
    """ER4, d = 100, seeds 1-3 on the paper's protocol: NV below EV in mean SHD and on at
    least 2 of the 3 graphs. Measured: EV 258, 272, 232 (mean 254.0), NV 228, 226, 177
    (210.3), NV's TPR / FDR 0.66 / 0.28 against the paper's 0.68 / 0.25; DAGMA 308.3
    (benchmarks/RESULTS.rst)."""
    shd = {"equal": [], "non-equal": []}
    for seed in range(1, 4):
        B, X = _paper_protocol(100, seed)
        for variance in shd:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)  # 7e4-step cap at d = 100
                est = CoLiDE(variance=variance).fit(X)
            assert is_dag(est.adjacency_)
            shd[variance].append(dag_metrics(B, est.adjacency_)["shd"])
    nv, ev = np.array(shd["non-equal"]), np.array(shd["equal"])
    assert nv.mean() < ev.mean(), shd
    assert np.sum(nv < ev) >= 2, shd


def test_sachs_shd_matches_the_paper():
    """Sachs observational data (raw, as in the paper): paper SHD 12 (NV) and 13 (EV)."""
    from sparsestat.datasets import load_sachs

    X, B = load_sachs(return_X_y=True)
    for variance in ("equal", "non-equal"):
        est = CoLiDE(variance=variance).fit(X)
        assert is_dag(est.adjacency_)
        assert dag_metrics(B, est.adjacency_)["shd"] <= 13
