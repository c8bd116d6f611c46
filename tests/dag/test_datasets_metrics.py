"""DAG simulators, the Sachs data and dag_metrics."""

import numpy as np
import pytest

from sparsestat.dag import is_dag
from sparsestat.datasets import load_sachs, make_dag, make_linear_sem
from sparsestat.metrics import dag_metrics


@pytest.mark.parametrize("graph_type", ["ER", "SF"])
def test_make_dag_is_acyclic_with_k_d_edges(graph_type):
    for seed in range(3):
        B = make_dag(30, 60, graph_type=graph_type, random_state=seed)
        assert B.dtype == bool and is_dag(B) and not np.diag(B).any()
        if graph_type == "ER":
            assert B.sum() == 60
        else:
            # each node after the first two links to 2 earlier ones: 1 + 2 * 28 edges
            assert B.sum() == 57
    np.testing.assert_array_equal(make_dag(10, 9, random_state=1), make_dag(10, 9, random_state=1))


def test_scale_free_graphs_have_hubs():
    B = make_dag(200, 400, graph_type="SF", random_state=0)
    in_deg = B.sum(axis=0)
    # preferential attachment: the largest in-degree far exceeds the ER expectation (2)
    assert in_deg.max() >= 15


def test_make_dag_rejects_bad_arguments():
    with pytest.raises(ValueError, match="exceeds"):
        make_dag(4, 7)
    with pytest.raises(ValueError, match="graph_type"):
        make_dag(4, 2, graph_type="BA")
    with pytest.raises(ValueError, match="n_nodes"):
        make_dag(1, 0)


@pytest.mark.parametrize("noise", ["gaussian", "exponential", "laplace", "gumbel"])
def test_linear_sem_noise_has_the_requested_variance(noise):
    B = np.zeros((3, 3), dtype=bool)  # no edges: X is the noise itself
    var = np.array([0.5, 2.0, 7.0])
    X, W = make_linear_sem(B, 40000, noise=noise, noise_variance=var, random_state=0)
    assert not W.any()
    np.testing.assert_allclose(X.var(axis=0), var, rtol=0.06)


def test_linear_sem_follows_the_structural_equations():
    B = make_dag(6, 8, random_state=2)
    X, W = make_linear_sem(B, 500, random_state=2)
    assert np.all((W != 0) == B)
    mags = np.abs(W[B])
    assert mags.min() >= 0.5 and mags.max() <= 2.0
    # the residual of the SEM is the noise, uncorrelated with the parents
    Z = X - X @ W
    for j in range(6):
        for i in np.flatnonzero(B[:, j]):
            assert abs(np.corrcoef(Z[:, j], X[:, i])[0, 1]) < 0.15
    with pytest.raises(ValueError, match="cycle"):
        make_linear_sem(B | B.T, 10)
    with pytest.raises(ValueError, match="noise_variance"):
        make_linear_sem(B, 10, noise_variance=-1.0)


def test_linear_sem_weight_range_draws_the_papers_protocol():
    """weight_range=(0.25, 1) draws the paper's heteroscedastic weights +-[0.25, 1]."""
    B = make_dag(40, 160, random_state=0)
    _, W = make_linear_sem(B, 10, weight_range=(0.25, 1.0), random_state=0)
    mags = np.abs(W[B])
    assert mags.min() >= 0.25 and mags.max() <= 1.0 and mags.max() > 0.9
    assert 0.35 < np.mean(W[B] > 0) < 0.65  # both signs
    with pytest.raises(ValueError, match="weight_range"):
        make_linear_sem(B, 10, weight_range=(1.0, 0.25))


def test_dag_metrics_notears_definitions():
    B = np.zeros((4, 4), dtype=int)
    B[0, 1] = B[1, 2] = B[2, 3] = 1
    E = np.zeros((4, 4))
    E[0, 1] = 0.7      # correct
    E[2, 1] = -1.2     # reversed
    E[0, 3] = 0.4      # extra
    m = dag_metrics(B, E)
    assert (m["tp"], m["reverse"], m["fp"], m["nnz"]) == (1, 1, 1, 3)
    assert m["shd"] == 1 + 1 + 1  # reversed + extra + missing (2 -> 3)
    assert m["nshd"] == 0.75
    assert m["tpr"] == pytest.approx(1 / 3)
    assert m["fdr"] == pytest.approx(2 / 3)
    assert m["fpr"] == pytest.approx(2 / 3)  # 6 - 3 = 3 true non-edges
    assert dag_metrics(B, B)["shd"] == 0
    with pytest.raises(ValueError, match="shape"):
        dag_metrics(B, np.zeros((3, 3)))
    with pytest.raises(ValueError, match="self-loops"):
        dag_metrics(B, np.eye(4))


def test_load_sachs():
    sachs = load_sachs()
    X, B, names = sachs.data, sachs.adjacency, sachs.feature_names
    assert sachs.frame is None and "Sachs" in sachs.DESCR
    assert X.shape == (853, 11) and B.shape == (11, 11)
    assert int(B.sum()) == 17 and is_dag(B)
    assert names[:3] == ["praf", "pmek", "plcg"]
    # the first cell of the cd3cd28 file
    np.testing.assert_allclose(X[0, :3], [26.4, 13.2, 8.82])
    assert np.all(X > 0)
    assert B[names.index("praf"), names.index("pmek")]


def test_load_sachs_return_X_y_and_frame():
    X, B = load_sachs(return_X_y=True)
    sachs = load_sachs(as_frame=True)
    assert list(sachs.frame.columns) == sachs.feature_names
    assert sachs.data is sachs.frame
    np.testing.assert_array_equal(sachs.frame.to_numpy(), X)
    np.testing.assert_array_equal(sachs.adjacency, B)
