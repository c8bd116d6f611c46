"""The "Must show" statistical claims: accuracy on the authors' protocol.

The full claims are slow (``python -m pytest -m slow tests/dag``); a smaller case of each
runs by default.
"""

import numpy as np
import pytest

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


@pytest.mark.slow
@pytest.mark.xfail(strict=False, reason=(
    "the paper's claim does not reproduce on the authors' data protocol (var_j ~ U(0.5, "
    "10), n = 1000), and not with the authors' own algorithm either (numpy transcription "
    "in benchmarks/bench_colide.py, step-for-step equal to ours): mean SHD seeds 1-5, EV vs "
    "NV, ER2 d=50 ours 15.6 vs 22.2, authors' 17.6 vs 22.6; ER4 d=50 ours 31.0 vs 48.0, "
    "authors' 28.6 vs 55.8. Kept as the issue states it; see docs/user_guide/dag.rst."))
def test_non_equal_variance_beats_equal_variance_at_d50_heteroscedastic():
    """ER2, d = 50, n = 1000, noise variances U(0.5, 10) per node, three graphs."""
    shd = {"equal": [], "non-equal": []}
    for seed in range(1, 4):
        B, X = _er_shd(50, 2, seed, variance="non-equal")
        for variance in shd:
            est = CoLiDE(variance=variance).fit(X)
            assert is_dag(est.adjacency_)
            shd[variance].append(dag_metrics(B, est.adjacency_)["shd"])
    assert np.mean(shd["non-equal"]) < np.mean(shd["equal"]), shd


def test_sachs_shd_matches_the_paper():
    """Sachs observational data (raw, as in the paper): paper SHD 12 (NV) and 13 (EV)."""
    from sparsestat.datasets import load_sachs

    X, B = load_sachs(return_X_y=True)
    for variance in ("equal", "non-equal"):
        est = CoLiDE(variance=variance).fit(X)
        assert is_dag(est.adjacency_)
        assert dag_metrics(B, est.adjacency_)["shd"] <= 13
