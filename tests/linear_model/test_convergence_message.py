"""The ConvergenceWarning names the measure the solver stopped on."""

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from sparsestat._engine import L1, Logistic, Quadratic
from sparsestat.linear_model import GeneralizedLinearEstimator, SparsePoissonRegressor


def _data(seed=0, n=80, p=30):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    s = X[:, :4] @ np.array([0.5, -0.4, 0.3, 0.2])
    return rng, X, s


def test_prox_newton_warning_names_the_kkt_violation():
    rng, X, s = _data()
    y = rng.poisson(np.exp(s)).astype(float)
    with pytest.warns(ConvergenceWarning) as record:
        SparsePoissonRegressor(alpha=1e-3, max_iter=1, tol=1e-14).fit(X, y)
    message = str(record[0].message)
    # the solver's measure is a KKT violation, held to tol times the gradient scale
    assert "KKT violation" in message and "duality gap" not in message
    assert "prox_newton" in message and "tol=1.0e-14" in message


@pytest.mark.parametrize("datafit, measure", [(Quadratic(), "duality gap"),
                                              (Logistic(), "KKT violation")])
def test_cd_warning_names_its_measure(datafit, measure):
    rng, X, s = _data(1)
    y = s + rng.standard_normal(X.shape[0]) if datafit == Quadratic() else \
        np.where(s + rng.standard_normal(X.shape[0]) > 0, 1, 0)
    est = GeneralizedLinearEstimator(datafit, L1(alpha=1e-4), solver="cd", max_iter=1,
                                     tol=1e-14)
    with pytest.warns(ConvergenceWarning, match=measure):
        est.fit(X, y)
