"""The CoLiDE estimator: recovery, guarantees, prior knowledge, bad input, sklearn habits."""

import pickle
import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sparsestat.dag import CoLiDE, is_dag, threshold_to_dag
from sparsestat.datasets import make_dag, make_linear_sem
from sparsestat.metrics import dag_metrics

FAST = {"max_iter": 3000, "max_iter_last": 6000}


@pytest.fixture(scope="module")
def er_data():
    B = make_dag(10, 15, graph_type="ER", random_state=11)
    X, W = make_linear_sem(B, 600, random_state=11)
    return B, X, W


@pytest.fixture(scope="module")
def fitted_ev(er_data):
    B, X, _ = er_data
    return CoLiDE().fit(X)


def test_recovers_a_small_er_graph(er_data, fitted_ev):
    B, X, W = er_data
    est = fitted_ev
    assert dag_metrics(B, est.adjacency_)["shd"] <= 1
    assert est.adjacency_.dtype == bool and is_dag(est.adjacency_)
    assert est.coef_.shape == (10, 10) and np.all(np.diag(est.coef_) == 0.0)
    # true-edge weights are close, up to the L1 shrinkage (alpha sigma / var(parent))
    err = np.abs(est.coef_[B] - W[B])
    assert err.mean() < 0.1 and err.max() < 0.25
    assert est.sigma_ == pytest.approx(1.0, abs=0.1)
    assert est.n_iter_ > 0 and est.h_ < 1e-3 and np.isfinite(est.score_)
    assert est.s_.tolist() == [1.0, 0.9, 0.8, 0.7]


def test_non_equal_variance_gets_per_node_scales(er_data):
    B, _, W = er_data
    var = np.linspace(0.5, 4.0, 10)
    X, _ = make_linear_sem(B, 600, weights=W, noise_variance=var, random_state=5)
    est = CoLiDE(variance="non-equal").fit(X)
    assert est.sigma_.shape == (10,)
    np.testing.assert_allclose(est.sigma_, np.sqrt(var), rtol=0.2)
    assert dag_metrics(B, est.adjacency_)["shd"] <= 2


def test_default_scale_guard_and_sigma_min_on_a_deterministic_node():
    """A node that is an exact linear function of others has no noise: the default
    guard (sqrt(eps) x its marginal scale) only keeps its scale positive and the fit
    finite; ``sigma_min`` is the paper's s0 and holds every scale at or above it."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((200, 4))
    X[:, 2] = X[:, 0] + 2.0 * X[:, 1]
    truth = np.zeros((4, 4), dtype=bool)
    truth[0, 2] = truth[1, 2] = True
    est = CoLiDE(variance="non-equal").fit(X)
    assert np.all(np.isfinite(est.coef_)) and np.all(est.sigma_ > 0)
    np.testing.assert_array_equal(est.adjacency_, truth)
    # the former default floor (1e-2 x marginal scale) held this scale at 0.022
    assert est.sigma_[2] < 1e-3
    floored = CoLiDE(variance="non-equal", sigma_min=0.3).fit(X)
    assert np.all(floored.sigma_ >= 0.3) and floored.sigma_[2] == 0.3
    np.testing.assert_array_equal(floored.adjacency_, truth)


def test_prox_solver_gives_exact_zeros_and_the_same_graph(er_data, fitted_ev):
    B, X, _ = er_data
    est = CoLiDE(solver="prox").fit(X)
    off_diagonal = ~np.eye(10, dtype=bool)
    assert np.mean(est.coef_[off_diagonal] == 0.0) > 0.3
    assert np.mean(fitted_ev.coef_[off_diagonal] == 0.0) < 0.05  # subgradient: no zeros
    assert dag_metrics(B, est.adjacency_)["shd"] <= 1


def test_always_returns_a_dag_even_when_the_optimizer_does_not():
    # stopping after a handful of steps leaves a cyclic raw W; adjacency_ must be a DAG
    rng = np.random.default_rng(0)
    X = rng.standard_normal((200, 6))
    X[:, 1] += X[:, 0]
    X[:, 0] += 0.5 * X[:, 1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        est = CoLiDE(s=(1.0,), max_iter_last=50, threshold=0.0, learning_rate=0.05).fit(X)
    assert not is_dag(np.abs(est.coef_) > 0)
    assert is_dag(est.adjacency_)


def test_convergence_warning_when_the_last_stage_is_cut(er_data):
    _, X, _ = er_data
    with pytest.warns(ConvergenceWarning, match="max_iter_last"):
        CoLiDE(s=(1.0,), max_iter_last=20, checkpoint=10).fit(X)


def test_exclude_and_include_edges(er_data):
    B, X, _ = er_data
    true_edges = np.argwhere(B)
    banned = tuple(true_edges[0])
    # a weak, wrong edge we require
    absent = np.argwhere(~B & ~B.T & ~np.eye(10, dtype=bool))
    required = tuple(absent[0])
    est = CoLiDE(exclude_edges=[banned], include_edges=[required], **FAST).fit(X)
    assert est.coef_[banned] == 0.0 and not est.adjacency_[banned]
    assert est.adjacency_[required]
    assert is_dag(est.adjacency_)
    # a boolean mask works the same way
    mask = np.zeros((10, 10), dtype=bool)
    mask[banned] = True
    est2 = CoLiDE(exclude_edges=mask, include_edges=[required], **FAST).fit(X)
    np.testing.assert_array_equal(est.coef_, est2.coef_)


def test_edges_by_feature_name(er_data):
    pd = pytest.importorskip("pandas")
    _, X, _ = er_data
    df = pd.DataFrame(X, columns=[f"g{j}" for j in range(10)])
    est = CoLiDE(exclude_edges=[("g0", "g1")], include_edges=[("g2", "g3")], **FAST).fit(df)
    assert list(est.feature_names_in_) == list(df.columns)
    assert not est.adjacency_[0, 1] and est.adjacency_[2, 3]
    with pytest.raises(ValueError, match="unknown feature"):
        CoLiDE(exclude_edges=[("g0", "zz")]).fit(df)


@pytest.mark.parametrize("kwargs, match", [
    ({"include_edges": [(0, 1), (1, 0)]}, "cycle"),
    ({"include_edges": [(0, 1)], "exclude_edges": [(0, 1)]}, "both"),
    ({"exclude_edges": [(0, 0)]}, "self-loop"),
    ({"exclude_edges": [(0, 9)]}, "index"),
    ({"exclude_edges": [(0, 1, 2)]}, "pairs"),
    ({"s": ()}, "non-empty"),
    ({"s": (1.0, -0.5)}, "positive"),
])
def test_bad_edge_lists_and_schedules(kwargs, match):
    X = np.random.default_rng(0).standard_normal((20, 3))
    with pytest.raises(ValueError, match=match):
        CoLiDE(**kwargs).fit(X)


def test_bad_input_gets_clear_errors():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((30, 4))
    Xc = X.copy()
    Xc[:, 2] = 3.0
    with pytest.raises(ValueError, match=r"constant column\(s\) \[2\]"):
        CoLiDE().fit(Xc)
    with pytest.raises(ValueError, match="minimum of 2 is required"):
        CoLiDE().fit(X[:, :1])
    with pytest.raises(ValueError, match="minimum of 2 is required"):
        CoLiDE().fit(X[:1])
    Xn = X.copy()
    Xn[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        CoLiDE().fit(Xn)
    Xi = X.copy()
    Xi[0, 0] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        CoLiDE().fit(Xi)
    with pytest.raises(ValueError):
        CoLiDE().fit(np.array([["a", "b"], ["c", "d"]]))
    from sklearn.utils._param_validation import InvalidParameterError

    with pytest.raises(InvalidParameterError):
        CoLiDE(variance="unequal").fit(X)
    with pytest.raises(InvalidParameterError):
        CoLiDE(alpha=-1.0).fit(X)


def test_fit_does_not_modify_X(er_data):
    _, X, _ = er_data
    X = X[:100] + 5.0  # not centred: the authors' code centres the caller's array in place
    before = X.copy()
    CoLiDE(s=(1.0,), max_iter_last=200, checkpoint=50).fit(X)
    np.testing.assert_array_equal(X, before)


def test_deterministic_and_clone_pickle(er_data, fitted_ev):
    _, X, _ = er_data
    again = pickle.loads(pickle.dumps(clone(fitted_ev))).fit(X)
    np.testing.assert_array_equal(again.coef_, fitted_ev.coef_)
    restored = pickle.loads(pickle.dumps(fitted_ev))
    np.testing.assert_array_equal(restored.adjacency_, fitted_ev.adjacency_)


def test_score_prefers_the_true_graph(er_data, fitted_ev):
    B, X, W = er_data
    X_test, _ = make_linear_sem(B, 400, weights=W, random_state=99)
    good = fitted_ev.score(X_test)
    empty = CoLiDE(alpha=50.0, s=(1.0,), max_iter_last=2000).fit(X)
    assert not empty.adjacency_.any()
    assert good > empty.score(X_test) + 0.5


def test_pipeline_and_grid_search(er_data):
    _, X, _ = er_data
    pipe = make_pipeline(StandardScaler(), CoLiDE(s=(1.0, 0.9), max_iter=500,
                                                  max_iter_last=1000))
    search = GridSearchCV(pipe, {"colide__alpha": [0.02, 0.5]}, cv=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        search.fit(X)
    assert search.best_params_["colide__alpha"] in (0.02, 0.5)
    assert is_dag(search.best_estimator_[-1].adjacency_)


def test_threshold_to_dag_drops_the_weakest_edges_of_cycles():
    W = np.array([[0.0, 0.9, 0.0], [0.0, 0.0, 0.8], [0.4, 0.0, 0.0]])
    B = threshold_to_dag(W, 0.3)
    np.testing.assert_array_equal(B, np.abs(W) >= 0.8)
    # kept edges survive even when weak
    B = threshold_to_dag(W, 0.3, keep=np.abs(W) == 0.4)
    assert B[2, 0] and is_dag(B) and B.sum() == 2
    assert not threshold_to_dag(W, 1.0).any()
