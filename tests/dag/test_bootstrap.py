"""Bootstrap edge frequencies, in threads and on a dask joblib backend."""

import numpy as np
import pytest

from sparsestat.dag import CoLiDE, bootstrap_edge_frequency
from sparsestat.datasets import make_dag, make_linear_sem

EST = CoLiDE()
SHORT = CoLiDE(s=(1.0,), max_iter_last=500, tol=1e-3, checkpoint=100)


@pytest.fixture(scope="module")
def data():
    B = make_dag(5, 4, random_state=4)
    X, _ = make_linear_sem(B, 400, random_state=4)
    return B, X


def test_frequencies_are_high_on_true_edges_and_reproducible(data):
    B, X = data
    freq = bootstrap_edge_frequency(EST, X, n_resamples=6, n_jobs=2, random_state=0)
    assert freq.shape == (5, 5) and np.all((freq >= 0) & (freq <= 1))
    assert freq[B].mean() >= 0.8
    assert freq[~B].mean() <= 0.1
    again = bootstrap_edge_frequency(EST, X, n_resamples=6, n_jobs=1, random_state=0)
    np.testing.assert_array_equal(freq, again)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_runs_under_a_dask_backend(data):
    distributed = pytest.importorskip("dask.distributed")
    from joblib import parallel_config

    _, X = data
    expected = bootstrap_edge_frequency(SHORT, X, n_resamples=3, random_state=1)
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=2,
                            dashboard_address=None) as client:
        with parallel_config(backend="dask"):
            freq = bootstrap_edge_frequency(SHORT, X, n_resamples=3, n_jobs=-1,
                                            random_state=1)
        assert client.status == "running"
    np.testing.assert_array_equal(freq, expected)


def test_bad_arguments(data):
    _, X = data
    with pytest.raises(ValueError, match="n_resamples"):
        bootstrap_edge_frequency(EST, X, n_resamples=0)
    with pytest.raises(TypeError, match="fit"):
        bootstrap_edge_frequency(object(), X)
    with pytest.raises(ValueError, match="NaN"):
        bootstrap_edge_frequency(EST, np.full((10, 3), np.nan))
