"""Per-estimator settings for the common scikit-learn checks.

Every public estimator (``sparsestat.utils.all_estimators()``) runs through
``parametrize_with_checks`` in ``test_common.py``. Add an entry here when an estimator
needs smaller settings to keep the checks fast (``CHECK_PARAMS``) or must skip a check;
every expected failure carries the reason, written for a reader of the test report.
"""

from sparsestat._engine import MCP as _MCPPenalty
from sparsestat.nn import MagnitudePruner as _NNMagnitude
from sparsestat.nn import SparseMLPClassifier as _NNClassifier
from sparsestat.quantile import KNeighborsQuantileRegressor as _QKNN
from sparsestat.quantile import SparseQuantileRegressor as _QSparse

# n_neighbors=2: the checks fit folds of 3 samples (k > n raises, as in scikit-learn)
_QUANTILE_SMALL_LIBRARY = [_QSparse(alpha=0.01), _QKNN(n_neighbors=2)]

# the MLP that the nn pruners train when the checks call fit(X, y) on data
_NN_SMALL = _NNClassifier((8,), max_iter=20, learning_rate_init=0.01, device="cpu",
                          random_state=0)

CHECK_PARAMS = {
    # name: dict of constructor parameters used by the common checks
    "ElasticNet": {"alpha": 0.01, "tol": 1e-10},
    "Lasso": {"alpha": 0.01, "tol": 1e-10},
    # linear_model (nonconvex, logistic, CV): small alphas so the checks' fits are not empty
    "MCPRegressor": {"alpha": 0.01, "tol": 1e-8},
    "SCADRegressor": {"alpha": 0.01, "tol": 1e-8},
    "L0Regressor": {"alpha": 1e-4, "tol": 1e-8},
    "GroupLasso": {"alpha": 0.01, "tol": 1e-8, "max_iter": 5000},
    "GeneralizedLinearEstimator": {"penalty": _MCPPenalty(alpha=0.01), "tol": 1e-8},
    "SparseLogisticRegression": {"alpha": 1e-3, "tol": 1e-8, "max_iter": 5000},
    "LassoCV": {"alphas": 10, "cv": 3},
    "ElasticNetCV": {"alphas": 10, "cv": 3},
    "MCPRegressorCV": {"alphas": 10, "cv": 3},
    "SparseLogisticRegressionCV": {"alphas": 5, "cv": 3, "max_iter": 2000},
    "SparseRegressorIC": {"alphas": 20},
    # large epsilon: the checks' 20-200 samples are far too few for real privacy noise
    "LDPSparseRegressor": {"epsilon": 1e4, "clip_x": 3.0, "clip_y": 3.0, "random_state": 0},
    "PRESTOClassifierCV": {"alphas": 5, "cv": 3},
    # dag: two short stages keep the checks fast (ConvergenceWarning is fine)
    "CoLiDE": {"s": (1.0, 0.9), "max_iter": 100, "max_iter_last": 200, "checkpoint": 50},
    # nn: small networks and few epochs keep the checks fast (ConvergenceWarning is fine)
    "SparseMLPClassifier": {"hidden_layer_sizes": (8,), "max_iter": 30, "device": "cpu",
                            "learning_rate_init": 0.01},
    "SparseMLPRegressor": {"hidden_layer_sizes": (8,), "max_iter": 50, "device": "cpu",
                           "learning_rate_init": 0.01},
    "MagnitudePruner": {"sparsity": 0.5, "estimator": _NN_SMALL, "random_state": 0},
    "RandomPruner": {"sparsity": 0.5, "estimator": _NN_SMALL, "random_state": 0},
    "NMPruner": {"pad": True, "estimator": _NN_SMALL, "random_state": 0},
    "GroupEnvelopePruner": {"k": 4, "estimator": _NN_SMALL, "random_state": 0},
    "PDPPruner": {"sparsity": 0.5, "estimator": _NN_SMALL, "random_state": 0},
    "SoftShrinkagePruner": {"sparsity": 0.5, "estimator": _NN_SMALL, "random_state": 0},
    "SparseModelSoup": {"pruner": _NNMagnitude(0.5), "n_models": 2, "estimator": _NN_SMALL,
                        "random_state": 0},
    # quantile: small library and few levels keep the aggregator's checks fast
    "SparseQuantileRegressor": {"alpha": 0.01},
    "KNeighborsQuantileRegressor": {"n_neighbors": 5},
    "QuantileAggregator": {"estimators": _QUANTILE_SMALL_LIBRARY, "quantiles": 0.5, "cv": 2,
                           "calibration": "shift", "calibration_size": 0.3, "random_state": 0},
}

# PRESTO needs at least 3 ordered classes and raises a clear ValueError on two; these
# checks fit on two-class data only. ProportionalOddsClassifier (same base class, same
# prediction code) accepts two classes and passes all of them.
_PRESTO_BINARY_CHECKS = [
    "check_estimators_dtypes", "check_sample_weights_pandas_series",
    "check_sample_weights_not_an_array", "check_all_zero_sample_weights_error",
    "check_sample_weights_shape", "check_sample_weights_not_overwritten",
    "check_pipeline_consistency", "check_estimators_nan_inf", "check_estimators_pickle",
    "check_classifier_data_not_an_array", "check_classifiers_classes",
    "check_classifiers_train", "check_fit2d_1feature", "check_fit_idempotent",
    "check_fit_check_is_fitted", "check_n_features_in",
]
_PRESTO_BINARY_REASON = "fits two-class data; PRESTO needs >= 3 ordered classes (ValueError)"

EXPECTED_FAILED = {
    # name: {check_name: reason}
    # linear_model CV estimators: repeating a row (integer weights) changes the folds,
    # so the chosen alpha differs; scikit-learn's own *CV estimators fail the same way
    **{name: {
        "check_sample_weight_equivalence_on_dense_data":
            "weights are not equivalent to repeated rows once folds are drawn",
        "check_sample_weight_equivalence_on_sparse_data":
            "weights are not equivalent to repeated rows once folds are drawn",
    } for name in ("LassoCV", "ElasticNetCV", "SparseLogisticRegressionCV")},
    "PRESTOClassifier": {c: _PRESTO_BINARY_REASON for c in _PRESTO_BINARY_CHECKS},
    "PRESTOClassifierCV": {c: _PRESTO_BINARY_REASON for c in _PRESTO_BINARY_CHECKS},
}
