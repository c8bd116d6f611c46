"""Sparse linear models: Lasso, ElasticNet and their paths."""

from ..utils._pickle import register_versioned_pickle
from ._coordinate_descent import ElasticNet, Lasso, enet_path, lasso_path
from ._cox import SparseCoxRegressor, SparseCoxRegressorCV, cox_path
from ._cv import ElasticNetCV, LassoCV, MCPRegressorCV, SparseLogisticRegressionCV
from ._datafit_cv import (SparseGammaRegressorCV, SparseHuberRegressorCV, SparseLinearSVCCV,
                          SparsePoissonRegressorCV, SparseTweedieRegressorCV)
from ._datafit_models import glm_path
from ._glm import GeneralizedLinearEstimator, NonconvexWarning
from ._glm_regressors import SparseGammaRegressor, SparsePoissonRegressor, SparseTweedieRegressor
from ._huber import SparseHuberRegressor
from ._information_criterion import SparseRegressorIC
from ._logistic import SparseLogisticRegression
from ._multi_task import (MultiTaskElasticNet, MultiTaskElasticNetCV, MultiTaskLasso,
                          MultiTaskLassoCV)
from ._nonconvex import GroupLasso, L0Regressor, MCPRegressor, SCADRegressor
from ._plot import CVCurveDisplay, RegularizationPathDisplay
from ._slope import SLOPE
from ._sufficient_statistics import MAX_FEATURES_OUT_OF_CORE, SufficientStatistics
from ._svc import SparseLinearSVC

__all__ = ["ElasticNet", "Lasso", "enet_path", "lasso_path", "cox_path"]
__all__ += ["CVCurveDisplay", "RegularizationPathDisplay"]
__all__ += [
    "ElasticNetCV",
    "GeneralizedLinearEstimator",
    "GroupLasso",
    "L0Regressor",
    "LassoCV",
    "MCPRegressor",
    "MCPRegressorCV",
    "MultiTaskElasticNet",
    "MultiTaskElasticNetCV",
    "MultiTaskLasso",
    "MultiTaskLassoCV",
    "NonconvexWarning",
    "SCADRegressor",
    "SLOPE",
    "SparseCoxRegressor",
    "SparseCoxRegressorCV",
    "SparseLogisticRegression",
    "SparseLogisticRegressionCV",
    "SparseRegressorIC",
    "SufficientStatistics",
]
# single-datafit models (issue 17): log-link GLMs with offsets, Huber, linear SVM
__all__ += [
    "SparseGammaRegressor", "SparseGammaRegressorCV", "SparseHuberRegressor",
    "SparseHuberRegressorCV", "SparseLinearSVC", "SparseLinearSVCCV", "SparsePoissonRegressor",
    "SparsePoissonRegressorCV", "SparseTweedieRegressor", "SparseTweedieRegressorCV",
    "glm_path",
]

register_versioned_pickle(__name__)  # pickles carry sparsestat's version


def _warmup():
    import numpy as np
    import scipy.sparse as sp

    rng = np.random.default_rng(0)
    X = rng.standard_normal((20, 5))
    y = X[:, 0] + 0.1 * rng.standard_normal(20)
    # float64 only: float32 kernels compile on first use, for those who fit float32 data.
    # Sparse designs share the solvers' dense signatures (their placeholder X is
    # F-ordered): one sparse fit compiles what only sparse designs call.
    for design in (X, sp.csc_matrix(X)):
        # cd_solve's Lasso / ElasticNet copy (jit(specialize=...)): their branches only
        Lasso(alpha=0.01, precompute=False).fit(design, y)
    Lasso(alpha=0.01, precompute=True).fit(X, y)  # gram_cd_solve's copy
    # nonconvex fits compile the generic gram_cd_solve (dense) and cd_solve (sparse: every
    # other datafit and penalty) and the certificate scan, SLOPE the generic FISTA,
    # logistic proximal Newton (the GLM, Cox, Huber and SVC datafits share it) and the
    # multinomial FISTA kernel, groups the group CD
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for design in (X, sp.csc_matrix(X)):
            MCPRegressor(alpha=0.01).fit(design, y)
        SLOPE(alpha=0.01).fit(X, y)
        GroupLasso(alpha=0.01, groups=1).fit(X, y)
        labels = np.arange(20) % 3
        SparseLogisticRegression(alpha=0.01).fit(X, labels)
        SparseLogisticRegression(alpha=0.01).fit(X, labels == 0)
        MultiTaskLasso(alpha=0.01).fit(X, np.column_stack([y, -y]))  # block CD
        # whole paths run in their own kernels (_engine/_path.py): Gram CD on tall dense
        # data, CD on sparse data, proximal Newton in the logistic CV folds
        lasso_path(X, y, alphas=3)
        lasso_path(sp.csc_matrix(X), y, alphas=3)
        SparseLogisticRegressionCV(alphas=3, cv=2).fit(X, labels == 0)
        LassoCV(alphas=3, cv=2).fit(X, y)  # the folds' Gram working-set path kernel
