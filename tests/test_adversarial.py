"""Adversarial inputs over every public estimator (``sparsestat.utils.all_estimators()``).

A new estimator is covered without editing this file: data come from its kind
(``tests/_kinds.py``), small settings from ``tests/_instances.py``, and the parameter
boundaries from its own ``_parameter_constraints``. A case fails on a crash, a changed
input, a non-finite output, or an error that is not a ValueError / TypeError naming the
problem. The targeted regression tests at the end pin the findings of issue 15.

``python -m pytest tests/test_adversarial.py -q -s`` prints the number of cases tried.
"""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone

from sparsestat.utils import all_estimators

from ._kinds import _data, _make, _outputs

ESTIMATORS = [name for name, _ in all_estimators()]


def _quiet_fit(est, X, y=None, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return est.fit(X, **kw) if y is None else est.fit(X, y, **kw)


# ---------------------------------------------------------------- magnitudes and weights
@pytest.mark.parametrize("scale", [1e154, 1e300, 1e-300])
@pytest.mark.parametrize("name", ["Lasso", "MCPRegressor", "SCADRegressor", "GroupLasso"])
def test_target_magnitude_equivariance(name, scale):
    """alpha * s on y * s gives s * coef: no silent zero when ||y||^2 overflows."""
    est, kind = _make(name)
    X, y = _data(kind)
    ref = _quiet_fit(clone(est), X, y).coef_
    big = _quiet_fit(clone(est).set_params(alpha=est.alpha * scale), X, y * scale)
    assert np.all(np.isfinite(big.coef_))
    np.testing.assert_allclose(big.coef_ / scale, ref, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name", ["LassoCV", "MCPRegressorCV", "SparseRegressorIC"])
def test_target_magnitude_path_estimators(name):
    """The path estimators pick the same (scaled) alpha on y * 1e300 and y * 1e-300."""
    est, kind = _make(name)
    X, y = _data(kind)
    ref = _quiet_fit(clone(est), X, y)
    for scale in (1e300, 1e-300):
        big = _quiet_fit(clone(est), X, y * scale)
        np.testing.assert_allclose(big.alpha_ / scale, ref.alpha_, rtol=1e-9)
        np.testing.assert_allclose(big.coef_ / scale, ref.coef_, rtol=1e-6, atol=1e-9)


def test_elastic_net_huge_target_is_not_zero():
    """ElasticNet on y * 1e154 is (nearly) ridge, not an all-zero fit."""
    from sparsestat.linear_model import ElasticNet

    X, y = _data("regressor")
    ridge_like = _quiet_fit(ElasticNet(alpha=0.005, l1_ratio=1e-12), X, y).coef_
    coef = _quiet_fit(ElasticNet(alpha=0.01, l1_ratio=0.5), X, y * 1e154).coef_ / 1e154
    np.testing.assert_allclose(coef, ridge_like, rtol=1e-5, atol=1e-8)


def test_quantile_aggregator_huge_target():
    est, kind = _make("QuantileAggregator")
    X, y = _data(kind)
    ref = _outputs(_quiet_fit(clone(est), X, y), X)
    out = _outputs(_quiet_fit(clone(est), X, y * 1e300), X) / 1e300
    np.testing.assert_allclose(out, ref, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("param", [{"clip_x": 1e-300}, {"clip_y": 1e300}, {"clip_x": 1e300}])
def test_ldp_extreme_clip_is_a_value_error(param):
    from sparsestat.privacy import LDPSparseRegressor

    X, y = _data("regressor")
    with pytest.raises(ValueError, match="clip_[xy] must lie in"):
        _quiet_fit(LDPSparseRegressor(epsilon=1e4, random_state=0, **param), X, y)


_RESCALED_WEIGHTS = ["Lasso", "ElasticNet", "LassoCV", "ElasticNetCV", "MCPRegressor",
                     "SCADRegressor", "L0Regressor", "GroupLasso", "MCPRegressorCV",
                     "GeneralizedLinearEstimator", "SparseLogisticRegression",
                     "SparseLogisticRegressionCV", "PRESTOClassifier", "PRESTOClassifierCV",
                     "ProportionalOddsClassifier", "SparseQuantileRegressor"]


@pytest.mark.parametrize("name", _RESCALED_WEIGHTS)
def test_denormal_and_huge_sample_weights(name):
    """Weights are rescaled to sum to n: 1e-310 (denormal) and 1e300 give the unit fit."""
    est, kind = _make(name)
    X, y = _data(kind)
    ref = _outputs(_quiet_fit(clone(est), X, y), X)
    for w in (1e-310, 1e300):
        out = _outputs(_quiet_fit(clone(est), X, y, sample_weight=np.full(len(y), w)), X)
        if out.dtype.kind == "f":
            np.testing.assert_allclose(out, ref, rtol=1e-6, atol=1e-9, err_msg=f"w={w}")
        else:
            assert np.array_equal(out, ref), f"w={w}"


def test_information_criterion_rejects_weights_below_one_row():
    from sparsestat.linear_model import SparseRegressorIC

    X, y = _data("regressor")
    with pytest.raises(ValueError, match="sum to .* < 1"):
        SparseRegressorIC().fit(X, y, sample_weight=np.full(len(y), 1e-310))


# ---------------------------------------------------------------- sizes told up front
def test_colide_refuses_a_graph_that_cannot_fit_in_memory():
    from sparsestat.dag import CoLiDE

    X = np.random.default_rng(0).standard_normal((3, 200_000))
    with pytest.raises(ValueError, match=r"CoLiDE on 200000 features .* GiB of memory"):
        CoLiDE().fit(X)


@pytest.mark.parametrize("name", ["SDPKMeans", "ILASDP"])
def test_sdp_clustering_sketches_large_data_automatically(name, monkeypatch):
    """Above AUTO_SKETCH_SIZE the SDP is solved on a sketch (said by sketch_size_)."""
    from sparsestat.cluster import _sdp

    monkeypatch.setattr(_sdp, "AUTO_SKETCH_SIZE", 60)
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 0.3, (150, 2)), rng.normal(4, 0.3, (150, 2))])
    truth = np.repeat([0, 1], 150)
    est = _quiet_fit(getattr(_sdp, name)(n_clusters=2, random_state=0), X)
    assert est.sketch_size_ == 60
    agree = np.mean(est.labels_ == truth)
    assert max(agree, 1 - agree) == 1.0
    full = _quiet_fit(getattr(_sdp, name)(n_clusters=2, sketch_size=None, random_state=0),
                      X[:100])
    assert full.sketch_size_ is None


def test_knn_quantile_rejects_more_neighbors_than_samples():
    from sparsestat.quantile import KNeighborsQuantileRegressor

    X, y = _data("regressor")
    with pytest.raises(ValueError, match="n_neighbors <= n_samples_fit"):
        KNeighborsQuantileRegressor(n_neighbors=len(y) + 1).fit(X, y)


@pytest.mark.parametrize("name, params", [("MagnitudePruner", {"begin": 0.9, "end": 0.1}),
                                          ("PDPPruner", {"warmup": 0.9, "ramp_end": 0.1})])
def test_pruning_schedule_must_not_run_backwards(name, params):
    est, kind = _make(name)
    X, y = _data(kind)
    with pytest.raises(ValueError, match="must not exceed"):
        _quiet_fit(est.set_params(**params), X, y)
