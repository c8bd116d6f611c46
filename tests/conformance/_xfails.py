"""The one table of scikit-learn tests that sparsestat does not pass, with the reason.

Keys are ``<file>::<test name>`` (every parametrization) or
``<file>::<test name>[<params>]`` (one). Applied by ``conftest.py``:

* ``SKIP``: tests of scikit-learn's private helpers (nothing of ours to test).
* ``XFAIL``: documented design differences (each reason says which).
* ``KNOWN_BUGS``: failures that are bugs of ours, found by this port and not fixed yet;
  each is an open item, not a difference by design (also xfail, ``strict=False``).
* ``SLOW``: tests that spawn processes (loky) or train for tens of seconds; they run
  with ``-m slow``.
"""


# --- reasons ---------------------------------------------------------------------------
TOL = (
    "design difference: tol is a relative duality gap and sparsestat picks its solver by "
    "layout and shape (Gram CD for dense n >= 2p, working-set CD with Anderson "
    "acceleration otherwise, block CD for multi-task): two fits that scikit-learn runs "
    "through identical arithmetic stop at different points inside the same gap, so they "
    "agree to O(tol), not to the 1e-7 asserted here")
EPOCHS = (
    "design difference: working-set CD with Anderson acceleration; epochs are not "
    "resumable state (the working set and the extrapolation restart at each fit) and "
    "converge in fewer epochs than plain cyclic CD, so epoch-count assertions written for "
    "scikit-learn's cyclic CD (5 + 5 warm epochs == 10 cold ones; > 2 epochs needed; warm "
    "start from a larger alpha needs fewer epochs on this near-OLS problem) do not hold")
NO_OVERWRITE = (
    "design difference: sparsestat never modifies the caller's X (house rule), so "
    "copy_X=False never overwrites it")
C_ORDER = (
    "design difference: with check_input=False sparsestat's solvers still accept a "
    "C-ordered X (they copy to the layout they need) instead of raising")
MESSAGE = (
    "design difference: the same ValueError, with sparsestat's message "
    "(utils._validation.check_finite_fit names the non-finite attribute)")
CV_FOLD_SOLVER = (
    "design difference: LassoCV / ElasticNetCV folds on a dense X (precompute='auto') run "
    "working-set CD on cached Gram rows (engine ws_gram_path), on a sparse X CD on the "
    "columns; each alpha meets the same duality-gap tol, so the two mse_path_ agree to "
    "O(tol) (4e-4 here at tol=1e-4; 2e-10 at tol=1e-10), not to the 1e-7 asserted")
N_ALPHAS = (
    "design difference: tests scikit-learn's deprecation of the path functions' n_alphas; "
    "sparsestat never had n_alphas (alphas=int gives the grid size)")
LOGISTIC_API = (
    "design difference: SparseLogisticRegression(CV) is parameterized as glmnet / skglm "
    "(alpha, about 1 / (n C); penalty in {'l1', 'elasticnet', 'mcp', 'scad'}; no solver "
    "choice; the CV takes alphas, not Cs / l1_ratios / scoring objects), so these tests, "
    "written for C / Cs / solver / l1_ratios, cannot build it with only the class name "
    "changed")
MLP_API = (
    "design difference: SparseMLP* implement the 'sgd' and 'adam' solvers only (no "
    "'lbfgs', max_fun, learning_rate schedules, loss='poisson' or n_iter_no_change=inf)")

SKIP = {
    "test_coordinate_descent.py::test_set_order_dense":
        "tests scikit-learn's private helper _set_order",
    "test_coordinate_descent.py::test_set_order_sparse":
        "tests scikit-learn's private helper _set_order",
    "test_coordinate_descent.py::test_cython_solver_equivalence":
        "tests scikit-learn's private Cython kernels (_cd_fast)",
    "test_coordinate_descent.py::test_lassoCV_does_not_set_precompute":
        "monkeypatches scikit-learn's private sklearn.linear_model._coordinate_descent.Lasso",
    "test_logistic.py::test_logistic_regression_path_coefs_multinomial":
        "tests scikit-learn's private _logistic_regression_path",
}

XFAIL = {
    "test_sparse_coordinate_descent.py::test_path_parameters": CV_FOLD_SOLVER,
    "test_sparse_coordinate_descent.py::test_sparse_dense_equality[csc_matrix-True-24-6-0.5-False-ElasticNet]": TOL,
    "test_sparse_coordinate_descent.py::test_sparse_dense_equality[csc_matrix-True-24-6-0.5-True-ElasticNet]": TOL,
    "test_sparse_coordinate_descent.py::test_sparse_dense_equality[csc_matrix-True-24-6-0-False-ElasticNet]": TOL,
    "test_sparse_coordinate_descent.py::test_sparse_dense_equality[csc_matrix-True-24-6-0-True-ElasticNet]": TOL,
    "test_sparse_coordinate_descent.py::test_sparse_dense_equality[csc_matrix-False-24-6-0.5-False-Lasso]": TOL,
    "test_sparse_coordinate_descent.py::test_sparse_dense_equality[csc_matrix-False-24-6-0.5-False-ElasticNet]": TOL,
    "test_sparse_coordinate_descent.py::test_sparse_dense_equality[csc_matrix-False-24-6-0.5-True-Lasso]": TOL,
    "test_sparse_coordinate_descent.py::test_sparse_dense_equality[csc_matrix-False-24-6-0.5-True-ElasticNet]": TOL,
    "test_sparse_coordinate_descent.py::test_sparse_dense_equality[csc_matrix-False-24-6-0-False-ElasticNet]": TOL,
    "test_sparse_coordinate_descent.py::test_sparse_dense_equality[csc_matrix-False-24-6-0-True-ElasticNet]": TOL,
    "test_sparse_coordinate_descent.py::test_sparse_dense_equality[csc_array-True-24-6-0.5-False-ElasticNet]": TOL,
    "test_sparse_coordinate_descent.py::test_sparse_dense_equality[csc_array-True-24-6-0.5-True-ElasticNet]": TOL,
    "test_sparse_coordinate_descent.py::test_sparse_dense_equality[csc_array-True-24-6-0-False-ElasticNet]": TOL,
    "test_sparse_coordinate_descent.py::test_sparse_dense_equality[csc_array-True-24-6-0-True-ElasticNet]": TOL,
    "test_sparse_coordinate_descent.py::test_sparse_dense_equality[csc_array-False-24-6-0.5-False-Lasso]": TOL,
    "test_sparse_coordinate_descent.py::test_sparse_dense_equality[csc_array-False-24-6-0.5-False-ElasticNet]": TOL,
    "test_sparse_coordinate_descent.py::test_sparse_dense_equality[csc_array-False-24-6-0.5-True-Lasso]": TOL,
    "test_sparse_coordinate_descent.py::test_sparse_dense_equality[csc_array-False-24-6-0.5-True-ElasticNet]": TOL,
    "test_sparse_coordinate_descent.py::test_sparse_dense_equality[csc_array-False-24-6-0-False-ElasticNet]": TOL,
    "test_sparse_coordinate_descent.py::test_sparse_dense_equality[csc_array-False-24-6-0-True-ElasticNet]": TOL,
    "test_coordinate_descent.py::test_enet_ols_consistency[42-None-False]": TOL,
    "test_coordinate_descent.py::test_enet_ols_consistency[42-10-False]": TOL,
    # test_coordinate_descent.py
    "test_coordinate_descent.py::test_enet_nonfinite_params": MESSAGE,
    "test_coordinate_descent.py::test_warm_start": EPOCHS,
    "test_coordinate_descent.py::test_1d_multioutput_enet_and_multitask_enet_cv": TOL,
    "test_coordinate_descent.py::test_1d_multioutput_lasso_and_multitask_lasso_cv": TOL,
    "test_coordinate_descent.py::test_elasticnet_precompute_gram_weighted_samples": TOL,
    "test_coordinate_descent.py::test_warm_start_convergence": EPOCHS,
    "test_coordinate_descent.py::test_warm_start_convergence_with_regularizer_decrement":
        EPOCHS,
    "test_coordinate_descent.py::test_random_descent": TOL,
    "test_coordinate_descent.py::test_check_input_false": C_ORDER,
    "test_coordinate_descent.py::test_enet_copy_X_False_check_input_False": NO_OVERWRITE,
    "test_coordinate_descent.py::test_enet_float_precision": TOL,
    "test_coordinate_descent.py::test_enet_ridge_consistency[42-False-1-0.1]": TOL,
    "test_coordinate_descent.py::test_enet_ridge_consistency[42-False-1-1000000.0]": TOL,
    "test_coordinate_descent.py::test_path_function_deprecated_n_alphas": N_ALPHAS,
    # test_sparse_coordinate_descent.py
    "test_sparse_coordinate_descent.py::test_sparse_dense_equality[csc_matrix-True-24-6-0.5-False-LassoCV]": TOL,
    "test_sparse_coordinate_descent.py::test_sparse_dense_equality[csc_matrix-True-24-6-0.5-False-ElasticNetCV]": TOL,
    "test_sparse_coordinate_descent.py::test_sparse_dense_equality[csc_matrix-True-24-6-0.5-True-LassoCV]": TOL,
    "test_sparse_coordinate_descent.py::test_sparse_dense_equality[csc_matrix-True-24-6-0.5-True-ElasticNetCV]": TOL,
    "test_sparse_coordinate_descent.py::test_sparse_dense_equality[csc_matrix-True-6-24-0.5-True-ElasticNetCV]": TOL,
    "test_sparse_coordinate_descent.py::test_sparse_dense_equality[csc_matrix-False-24-6-0.5-False-LassoCV]": TOL,
    "test_sparse_coordinate_descent.py::test_sparse_dense_equality[csc_matrix-False-24-6-0.5-True-LassoCV]": TOL,
    "test_sparse_coordinate_descent.py::test_sparse_dense_equality[csc_matrix-False-24-6-0.5-True-ElasticNetCV]": TOL,
    "test_sparse_coordinate_descent.py::test_sparse_dense_equality[csc_array-True-24-6-0.5-False-LassoCV]": TOL,
    "test_sparse_coordinate_descent.py::test_sparse_dense_equality[csc_array-True-24-6-0.5-False-ElasticNetCV]": TOL,
    "test_sparse_coordinate_descent.py::test_sparse_dense_equality[csc_array-True-24-6-0.5-True-LassoCV]": TOL,
    "test_sparse_coordinate_descent.py::test_sparse_dense_equality[csc_array-True-24-6-0.5-True-ElasticNetCV]": TOL,
    "test_sparse_coordinate_descent.py::test_sparse_dense_equality[csc_array-True-6-24-0.5-True-ElasticNetCV]": TOL,
    "test_sparse_coordinate_descent.py::test_sparse_dense_equality[csc_array-False-24-6-0.5-False-LassoCV]": TOL,
    "test_sparse_coordinate_descent.py::test_sparse_dense_equality[csc_array-False-24-6-0.5-True-LassoCV]": TOL,
    "test_sparse_coordinate_descent.py::test_sparse_dense_equality[csc_array-False-24-6-0.5-True-ElasticNetCV]": TOL,
    "test_sparse_coordinate_descent.py::test_same_output_sparse_dense_lasso_and_enet_cv": TOL,
    "test_sparse_coordinate_descent.py::test_same_multiple_output_sparse_dense": TOL,
    # test_logistic.py: every kept test is written for C / Cs / solver
    "test_logistic.py::test_check_solver_option": LOGISTIC_API,
    "test_logistic.py::test_elasticnet_l1_ratio_err_helpful": LOGISTIC_API,
    "test_logistic.py::test_logistic_cv": LOGISTIC_API,
    "test_logistic.py::test_logistic_cv_refit_false_non_elasticnet": LOGISTIC_API,
    "test_logistic.py::test_logistic_cv_mock_scorer": LOGISTIC_API,
    "test_logistic.py::test_logistic_cv_multinomial_score": LOGISTIC_API,
    "test_logistic.py::test_multinomial_cv_iris": LOGISTIC_API,
    "test_logistic.py::test_logistic_cv_folds_with_classes_missing": LOGISTIC_API,
    "test_logistic.py::test_sample_and_class_weight_equivalence_liblinear": LOGISTIC_API,
    "test_logistic.py::test_logreg_l1": LOGISTIC_API,
    "test_logistic.py::test_logistic_regression_cv_refit": LOGISTIC_API,
    "test_logistic.py::test_n_iter": LOGISTIC_API,
    "test_logistic.py::test_saga_vs_liblinear": LOGISTIC_API,
    "test_logistic.py::test_elastic_net_coeffs": LOGISTIC_API,
    "test_logistic.py::test_elastic_net_l1_l2_equivalence": LOGISTIC_API,
    "test_logistic.py::test_elastic_net_vs_l1_l2": LOGISTIC_API,
    "test_logistic.py::test_LogisticRegression_elastic_net_objective": LOGISTIC_API,
    "test_logistic.py::test_LogisticRegressionCV_GridSearchCV_elastic_net": LOGISTIC_API,
    "test_logistic.py::test_LogisticRegressionCV_no_refit": LOGISTIC_API,
    "test_logistic.py::test_LogisticRegressionCV_elasticnet_attribute_shapes": LOGISTIC_API,
    "test_logistic.py::test_l1_ratio_non_elasticnet": LOGISTIC_API,
    "test_logistic.py::test_elastic_net_versus_sgd": LOGISTIC_API,
    "test_logistic.py::test_logisticregression_liblinear_sample_weight": LOGISTIC_API,
    "test_logistic.py::test_scores_attribute_layout_elasticnet": LOGISTIC_API,
    "test_logistic.py::test_liblinear_not_stuck": LOGISTIC_API,
    "test_logistic.py::test_l1_ratio_None_deprecated": LOGISTIC_API,
    "test_logistic.py::test_lr_penalty_l1ratio_incompatible": LOGISTIC_API,
    "test_logistic.py::test_lr_scoring_warns": LOGISTIC_API,
    # test_mlp.py
    "test_mlp.py::test_fit":
        "sets scikit-learn's private training state by hand (_coef_velocity, ...) and "
        "then calls partial_fit; SparseMLP* keep different private state (masks_)",
    "test_mlp.py::test_gradient": MLP_API,
    "test_mlp.py::test_lbfgs_classification": MLP_API,
    "test_mlp.py::test_lbfgs_regression": MLP_API,
    "test_mlp.py::test_lbfgs_classification_maxfun": MLP_API,
    "test_mlp.py::test_lbfgs_regression_maxfun": MLP_API,
    "test_mlp.py::test_learning_rate_warmstart": MLP_API,
    "test_mlp.py::test_multilabel_classification": MLP_API,
    "test_mlp.py::test_multioutput_regression": MLP_API,
    "test_mlp.py::test_nonfinite_params": MESSAGE,
    "test_mlp.py::test_predict_proba_multilabel": MLP_API,
    "test_mlp.py::test_sparse_matrices": MLP_API,
    "test_mlp.py::test_adaptive_learning_rate": MLP_API,
    "test_mlp.py::test_warm_start": MLP_API,
    "test_mlp.py::test_n_iter_no_change_inf": MLP_API,
    "test_mlp.py::test_mlp_warm_start_no_convergence": MLP_API,
    "test_mlp.py::test_mlp_diverging_loss": MLP_API,
    "test_mlp.py::test_partial_fit_errors":
        MLP_API + "; the test's second half asserts that an lbfgs model has no partial_fit "
        "(its first half, partial_fit with classes missing the labels of y, passes)",
    "test_mlp.py::test_early_stopping_stratified":
        "design difference in a message: the same ValueError from the stratified split; "
        "scikit-learn stratifies on its label-binarized y, so its message names the class "
        "'True', ours names the label (1)",
    "test_mlp.py::test_mlp_vs_poisson_glm_equivalent": MLP_API,
}

# Found by this port; bugs of ours, not design differences (open: see the i14b note).
KNOWN_BUGS = {
    "test_mlp.py::test_mlp_param_dtypes[SparseMLPClassifier-float32]":
        "bug: SparseMLP* trained on float32 X store float64 coefs_ / intercepts_ (the "
        "kernels are float64-only)",
    "test_mlp.py::test_mlp_param_dtypes[SparseMLPRegressor-float32]":
        "bug: SparseMLP* trained on float32 X store float64 coefs_ / intercepts_ (the "
        "kernels are float64-only)",
}

SLOW = {
    "test_sparse_coordinate_descent.py::test_sparse_read_only_buffer",
    "test_coordinate_descent.py::test_linear_models_cv_fit_with_loky",
    "test_coordinate_descent.py::test_sparse_input_dtype_enet_and_lassocv",
    "test_coordinate_descent.py::test_elasticnet_precompute_gram",
    "test_mlp.py::test_alpha",
    "test_mlp.py::test_partial_fit_classification",
}
