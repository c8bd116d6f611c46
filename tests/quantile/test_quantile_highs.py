"""SparseQuantileRegressor(solver="highs*"): scikit-learn's linear program on HiGHS."""

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.linear_model import QuantileRegressor

from sparsestat.quantile import SparseQuantileRegressor


@pytest.mark.parametrize("solver", ["highs", "highs-ds", "highs-ipm"])
@pytest.mark.parametrize("sparse", [False, True])
def test_highs_matches_sklearn(solver, sparse):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 4))
    y = X @ np.array([1.0, 0.0, -2.0, 0.5]) + rng.standard_cauchy(60)
    sw = rng.uniform(0.5, 2.0, 60)
    sw[:3] = 0.0  # zero weights are dropped, as scikit-learn does
    Xf = sp.csc_matrix(X) if sparse else X
    ours = SparseQuantileRegressor(0.3, alpha=0.05, solver=solver).fit(Xf, y, sw)
    theirs = QuantileRegressor(quantile=0.3, alpha=0.05, solver=solver).fit(Xf, y, sw)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-6)
    assert ours.intercept_ == pytest.approx(theirs.intercept_, abs=1e-6)
    # the ADMM default reaches the same optimum
    admm = SparseQuantileRegressor(0.3, alpha=0.05, tol=1e-10, max_iter=50000).fit(X, y, sw)
    np.testing.assert_allclose(admm.coef_, ours.coef_, atol=1e-4)


def test_highs_levels_options_and_errors():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((40, 3))
    y = X[:, 0] + rng.standard_normal(40)
    m = SparseQuantileRegressor([0.2, 0.8], alpha=0.01, solver="highs",
                                solver_options={"presolve": False}).fit(X, y)
    assert m.coef_.shape == (2, 3) and np.all(m.dual_gap_ == 0.0)
    with pytest.raises(ValueError, match="l1_ratio=1"):
        SparseQuantileRegressor(l1_ratio=0.5, solver="highs").fit(X, y)
    with pytest.raises(ValueError, match="does not support sparse X"):
        SparseQuantileRegressor(solver="revised simplex").fit(sp.csc_matrix(X), y)
