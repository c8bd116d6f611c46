"""``verbose``: progress of the long fits, with tqdm or with plain lines."""

import io

import numpy as np
import pytest

from sparsestat.utils import _progress
from sparsestat.utils._progress import progress


def test_silent_returns_the_iterable_itself():
    items = [1, 2, 3]
    assert progress(items, 0, "x") is items
    assert progress(items, False, "x") is items


def test_plain_lines_one_per_step_with_verbose_2():
    out = io.StringIO()
    assert list(progress(range(4), 2, "folds", file=out)) == [0, 1, 2, 3]
    lines = out.getvalue().splitlines()
    assert [line.split(" (")[0] for line in lines] == [f"folds: {k}/4" for k in range(1, 5)]


def test_without_tqdm_verbose_1_prints_about_ten_lines(monkeypatch):
    monkeypatch.setattr(_progress, "_tqdm", lambda: None)
    out = io.StringIO()
    assert sum(progress(range(100), 1, "alphas", file=out)) == sum(range(100))
    lines = out.getvalue().splitlines()
    assert len(lines) == 10 and lines[-1].startswith("alphas: 100/100")
    out = io.StringIO()  # no length known: a line per step
    list(progress(iter(range(3)), 1, "stages", file=out))
    assert out.getvalue().splitlines()[-1].startswith("stages: 3 (")


def test_with_tqdm_verbose_1_draws_a_bar():
    pytest.importorskip("tqdm")
    out = io.StringIO()
    assert list(progress(range(5), 1, "folds", file=out)) == list(range(5))
    assert "folds" in out.getvalue() and "5/5" in out.getvalue()


def _regression():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 8))
    return X, X[:, 0] - X[:, 1] + 0.1 * rng.standard_normal(60)


@pytest.mark.parametrize("name", ["LassoCV", "ElasticNetCV", "MCPRegressorCV"])
def test_cv_regressors_report_each_fold(name, capsys):
    from sparsestat import linear_model

    X, y = _regression()
    est = getattr(linear_model, name)(cv=3, alphas=5, verbose=2).fit(X, y)
    err = capsys.readouterr().err
    assert f"{name}: paths on the folds: 3/3" in err
    quiet = getattr(linear_model, name)(cv=3, alphas=5).fit(X, y)
    assert capsys.readouterr().err == ""
    np.testing.assert_allclose(est.coef_, quiet.coef_)  # progress changes nothing


def test_logistic_cv_and_presto_cv_report_each_fold(capsys):
    from sparsestat.linear_model import SparseLogisticRegressionCV
    from sparsestat.ordinal import PRESTOClassifierCV

    X, y = _regression()
    SparseLogisticRegressionCV(cv=3, alphas=4, verbose=2).fit(X, y > 0)
    assert "SparseLogisticRegressionCV: paths on the folds: 3/3" in capsys.readouterr().err
    levels = np.digitize(y, [-1.0, 1.0])
    PRESTOClassifierCV(alphas=4, cv=3, verbose=2).fit(X, levels)
    assert "PRESTOClassifierCV: paths on the folds: 3/3" in capsys.readouterr().err


def _dag_data():
    from sparsestat.datasets import make_dag, make_linear_sem

    B = make_dag(6, 6, random_state=0)
    X, _ = make_linear_sem(B, 200, random_state=0)
    return X


def test_colide_stages_one_engine_call_each_equal_the_one_call_path(capsys):
    """CoLiDE now calls the engine once per stage (a progress step each): same result,
    bit for bit, as the engine's own loop over all the stages in one call."""
    from sparsestat._engine.families._colide import EQUAL_VARIANCE, colide_path
    from sparsestat.dag import CoLiDE
    from sparsestat.dag._colide import _MAX_RESTARTS, _SCALE_GUARD

    X = _dag_data()
    model = CoLiDE(max_iter=3000, max_iter_last=6000, verbose=2).fit(X)
    err = capsys.readouterr().err
    assert [line.split(":")[1].strip() for line in err.splitlines()] == \
        [f"stage {k}/4" for k in range(1, 5)]
    Xc = X - X.mean(axis=0)
    C = Xc.T @ Xc / X.shape[0]
    sigma = np.full(6, np.sqrt(np.diag(C)).min())
    floor = _SCALE_GUARD * sigma
    sigma = np.maximum(sigma, floor)
    free = 1.0 - np.eye(6)
    W = np.zeros((6, 6))
    status, n_iter, _, s_used = colide_path(
        C, W, sigma, EQUAL_VARIANCE, 0.05, free, np.ones((6, 6)), 1.0, 0.1,
        np.array([1.0, 0.9, 0.8, 0.7]), 3e-4, 0.99, 0.999, 1e-8, 3000, 6000, 1e-6, 1000,
        floor, False, _MAX_RESTARTS)
    np.testing.assert_array_equal(model.coef_, W)
    assert model.sigma_ == sigma[0] and model.n_iter_ == n_iter
    np.testing.assert_array_equal(model.s_, s_used)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_colide_and_bootstrap_progress_change_nothing(capsys):
    from sparsestat.dag import CoLiDE, bootstrap_edge_frequency

    X = _dag_data()
    quiet = CoLiDE(max_iter=2000, max_iter_last=3000).fit(X)
    assert capsys.readouterr().err == ""
    loud = CoLiDE(max_iter=2000, max_iter_last=3000, verbose=1).fit(X)
    assert "CoLiDE (6 nodes): stages" in capsys.readouterr().err
    np.testing.assert_array_equal(quiet.coef_, loud.coef_)
    freq = bootstrap_edge_frequency(CoLiDE(max_iter=500, max_iter_last=1000), X,
                                    n_resamples=3, random_state=0)
    assert capsys.readouterr().err == ""
    freq_v = bootstrap_edge_frequency(CoLiDE(max_iter=500, max_iter_last=1000), X,
                                      n_resamples=3, random_state=0, n_jobs=2, verbose=2)
    err = capsys.readouterr().err
    assert "bootstrap_edge_frequency: fits: 3/3" in err
    np.testing.assert_array_equal(freq, freq_v)
    with pytest.raises(ValueError, match="verbose"):
        bootstrap_edge_frequency(CoLiDE(), X, verbose=-1)


def _blobs():
    rng = np.random.default_rng(0)
    return np.vstack([rng.normal(0, 0.4, (30, 2)), rng.normal(3, 0.4, (30, 2)) * [2, 0.5]])


def test_sdp_clustering_progress_changes_nothing(capsys):
    from sparsestat.cluster import ILASDP, SDPKMeans

    X = _blobs()
    quiet = SDPKMeans(n_clusters=2, random_state=0).fit(X)
    assert capsys.readouterr().err == ""
    loud = SDPKMeans(n_clusters=2, random_state=0, verbose=1).fit(X)
    err = capsys.readouterr().err
    assert "SDPKMeans: solving the K-means SDP on 60 points" in err
    assert "SDPKMeans: SDP solved:" in err
    np.testing.assert_array_equal(quiet.labels_, loud.labels_)
    assert quiet.objective_ == loud.objective_
    quiet = ILASDP(n_clusters=2, random_state=0).fit(X)
    assert capsys.readouterr().err == ""
    loud = ILASDP(n_clusters=2, random_state=0, verbose=2).fit(X)
    err = capsys.readouterr().err
    assert "ILASDP: initial labels from the K-means SDP" in err
    assert f"ILASDP: {quiet.n_iter_} alternation(s), F=" in err
    for k in range(1, quiet.n_iter_ + 1):
        assert f"ILASDP: alternation {k}: F=" in err
    np.testing.assert_array_equal(quiet.objective_, loud.objective_)
    np.testing.assert_array_equal(quiet.membership_, loud.membership_)


def test_quantile_aggregator_progress_changes_nothing(capsys, monkeypatch):
    from sparsestat.quantile import QuantileAggregator, SparseQuantileRegressor

    rng = np.random.default_rng(0)
    X = rng.uniform(-2, 2, size=(120, 2))
    y = X[:, 0] + rng.standard_normal(120)
    kwargs = dict(estimators=[SparseQuantileRegressor(alpha=0.01),
                              SparseQuantileRegressor(alpha=0.1)],
                  quantiles=[0.1, 0.5, 0.9], cv=2, random_state=0)
    quiet = QuantileAggregator(**kwargs).fit(X, y)
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(_progress, "_tqdm", lambda: None)  # the plain lines
    loud = QuantileAggregator(**kwargs, verbose=1, n_jobs=2).fit(X, y)
    err = capsys.readouterr().err
    assert "QuantileAggregator: 2 base models x (2 folds + refit): 6/6" in err
    assert "QuantileAggregator: fitting the weights" in err
    assert "QuantileAggregator: calibrating (cqr)" in err
    np.testing.assert_array_equal(quiet.weights_, loud.weights_)
    np.testing.assert_array_equal(quiet.predict(X), loud.predict(X))
