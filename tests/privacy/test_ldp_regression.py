"""LDPSparseRegressor: the protocols, the server boundary, errors and edge cases."""

import ast
import inspect
import pickle
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

import sparsestat.privacy._ldp_regression as est_module
import sparsestat.privacy._server as server_module
from sparsestat.linear_model import Lasso
from sparsestat.privacy import (BudgetAccountant, BudgetError, LDPSparseRegressor,
                                LocalClients, PrivacyLeakWarning, privatize)

D = 6
THETA = np.array([0.5, -0.5, 0.0, 0.0, 0.0, 0.0])


def _rademacher(n, seed, d=D, theta=THETA):
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 2, size=(n, d)).astype(np.float64) * 2 - 1
    return X, X @ theta + 0.1 * rng.standard_normal(n)


@pytest.fixture(scope="module")
def big():
    return _rademacher(200_000, 0)


@pytest.mark.parametrize("protocol", ["noninteractive", "public", "interactive"])
def test_protocols_recover_the_support(big, protocol):
    X, y = big
    public = _rademacher(20_000, 1)[0] if protocol == "public" else None
    model = LDPSparseRegressor(epsilon=4.0, clip_x=1.0, clip_y=2.0, protocol=protocol,
                               random_state=0).fit(X, y, public_X=public)
    # thresholds at a 5% family-wise level: the true support, at most one false positive
    assert model.support_[:2].all() and model.support_[2:].sum() <= 1
    # per-coordinate noise sd about 0.06 here (non-interactive): 0.25 is 3 sd in l2
    assert np.linalg.norm(model.coef_ - THETA) < 0.25
    assert abs(model.intercept_) < 0.1
    assert model.epsilon_spent_ == 4.0 and model.delta_spent_ == 1e-5
    assert model.accountant_.spent_epsilon == pytest.approx(4.0)
    assert all(s > 0 for s in model.noise_scales_.values())


def test_per_user_noise_matches_aggregate_in_distribution():
    X, y = _rademacher(60_000, 2)
    errs = {}
    for noise in ["aggregate", "per_user"]:
        coefs = [LDPSparseRegressor(epsilon=2.0, clip_x=1.0, clip_y=2.0, noise=noise,
                                    server_step="threshold", alpha=0.0, refit=False,
                                    fit_intercept=False, random_state=s).fit(X, y).coef_
                 for s in range(8)]
        errs[noise] = np.array(coefs) - THETA
    # the same estimator under the two noise modes: same spread (unbiased least squares)
    sd_agg, sd_user = errs["aggregate"].std(), errs["per_user"].std()
    assert 0.6 < sd_user / sd_agg < 1.6
    assert abs(errs["per_user"].mean()) < 3 * sd_user / np.sqrt(errs["per_user"].size)


def test_epsilon_inf_is_the_non_private_lasso():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (300, 5))
    y = X @ np.array([1.0, 0, 0, -0.5, 0]) + 2.0 + 0.1 * rng.standard_normal(300)
    ldp = LDPSparseRegressor(epsilon=np.inf, clip_x=10.0, clip_y=100.0, alpha=0.01,
                             refit=False, random_state=0).fit(X, y)
    ref = Lasso(alpha=0.01, tol=1e-12).fit(X, y)
    np.testing.assert_allclose(ldp.coef_, ref.coef_, atol=1e-7)
    assert ldp.intercept_ == pytest.approx(ref.intercept_, abs=1e-7)
    assert ldp.noise_scales_ == {"xx": 0.0, "xy": 0.0}
    # alpha="auto" scales with the noise, which is zero: ordinary least squares
    ols = LDPSparseRegressor(epsilon=np.inf, clip_x=10.0, clip_y=100.0).fit(X, y)
    coef, *_ = np.linalg.lstsq(np.hstack([np.ones((300, 1)), X]), y, rcond=None)
    np.testing.assert_allclose(ols.coef_, coef[1:], atol=1e-9)
    assert ols.intercept_ == pytest.approx(coef[0])
    # the public-data variant with the users' own X as public data is OLS as well
    pub = LDPSparseRegressor(epsilon=np.inf, clip_x=10.0, clip_y=100.0,
                             protocol="public").fit(X, y, public_X=X)
    np.testing.assert_allclose(pub.coef_, coef[1:], atol=1e-9)


def test_fit_is_privatize_then_server_on_reports(big):
    X, y = big
    kwargs = dict(clip_x=1.0, clip_y=2.0, fit_intercept=True)
    model = LDPSparseRegressor(epsilon=3.0, random_state=7, **kwargs).fit(X, y)
    reports = privatize(X, y, 3.0, 1e-5, release="moments", noise="aggregate",
                        random_state=7, **kwargs)
    server = LDPSparseRegressor(random_state=123).fit_reports(reports)
    np.testing.assert_array_equal(server.coef_, model.coef_)
    assert server.intercept_ == model.intercept_
    assert server.n_features_in_ == D and server.n_users_ == X.shape[0]
    pred = server.predict(X[:5])
    assert pred.shape == (5,)


def test_server_receives_reports_alone(big, monkeypatch):
    """Structural: every array handed to the server functions is O(d^2), not O(n)."""
    X, y = big
    n = X.shape[0]
    seen = []

    def spy(func):
        def wrapped(*args, **kwargs):
            for value in list(args) + list(kwargs.values()):
                seen.append(value)
            return func(*args, **kwargs)
        return wrapped

    for name in ["moments_from_reports", "fit_moments", "iht"]:
        monkeypatch.setattr(est_module, name, spy(getattr(est_module, name)))
    for protocol in ["noninteractive", "interactive"]:
        LDPSparseRegressor(epsilon=4.0, clip_x=1.0, clip_y=2.0, protocol=protocol,
                           random_state=0).fit(X, y)
    arrays = [v for v in seen if isinstance(v, np.ndarray)]
    assert arrays and all(a.size <= (D + 1) ** 2 for a in arrays)
    assert not any(v is X or v is y for v in seen)
    # the interactive server only holds the clients' respond method
    responders = [v for v in seen if callable(v)]
    assert responders and all(isinstance(r.__self__, LocalClients) for r in responders)
    assert sum(isinstance(v, int) and v == n for v in seen) <= 1  # the count, not data


def test_server_module_is_isolated_from_the_clients():
    tree = ast.parse(Path(server_module.__file__).read_text())
    imported = [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    imported += [a.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                 for a in node.names]
    assert not any("_client" in (m or "") for m in imported)
    # the server entry points take statistics, never X and y
    for name in ["fit_reports", "_fit_from_reports", "_fit_interactive"]:
        params = inspect.signature(getattr(LDPSparseRegressor, name)).parameters
        assert not {"X", "y"} & set(params)
        source = inspect.getsource(getattr(LDPSparseRegressor, name))
        names = {n.id for n in ast.walk(ast.parse(source.strip().replace("\n    ", "\n")))
                 if isinstance(n, ast.Name)}
        assert not {"X", "y"} & names


def test_accountant_is_charged_and_refuses_a_second_fit():
    X, y = _rademacher(20_000, 3)
    acc = BudgetAccountant(2.0, 1e-5)
    model = LDPSparseRegressor(epsilon=2.0, clip_x=1.0, clip_y=2.0, accountant=acc,
                               random_state=0).fit(X, y)
    assert model.accountant_ is acc
    assert [label for label, _, _ in acc.ledger] == ["x x^T", "x y"]
    with pytest.raises(BudgetError, match="budget exceeded"):
        clone(model).set_params(accountant=acc).fit(X, y)
    acc2 = BudgetAccountant(2.0, 1e-5)
    LDPSparseRegressor(epsilon=2.0, clip_x=1.0, clip_y=2.0, accountant=acc2,
                       protocol="interactive", random_state=0).fit(X, y)
    with pytest.raises(BudgetError):
        LDPSparseRegressor(epsilon=1.0, clip_x=1.0, clip_y=2.0, accountant=acc2,
                           random_state=0).fit(X, y)


def test_missing_clip_bounds_warn_and_use_a_data_independent_default():
    X, y = _rademacher(30_000, 4)
    with pytest.warns(PrivacyLeakWarning, match="clip_x"):
        with pytest.warns(PrivacyLeakWarning, match="clip_y"):
            default = LDPSparseRegressor(epsilon=4.0, random_state=0).fit(X, y)
    explicit = LDPSparseRegressor(epsilon=4.0, clip_x=1.0, clip_y=1.0,
                                  random_state=0).fit(X, y)
    np.testing.assert_array_equal(default.coef_, explicit.coef_)
    with pytest.warns(PrivacyLeakWarning):
        scaled = LDPSparseRegressor(epsilon=4.0, random_state=0).fit(100 * X, 100 * y)
    assert scaled.noise_scales_ == default.noise_scales_


def test_classical_mechanism_warns_where_it_falls_short():
    X, y = _rademacher(2_000, 5)
    with pytest.warns(PrivacyLeakWarning, match="analytic_gaussian"):
        LDPSparseRegressor(epsilon=200.0, clip_x=1.0, clip_y=2.0, mechanism="gaussian",
                           random_state=0).fit(X, y)


@pytest.mark.parametrize("params, match", [
    ({"epsilon": 0.0}, "epsilon"), ({"epsilon": -1.0}, "epsilon"),
    ({"delta": 0.0}, "delta"), ({"delta": 1.0}, "delta"), ({"delta": 1.5}, "delta"),
    ({"clip_x": 0.0}, "clip_x"), ({"clip_x": -2.0}, "clip_x"), ({"clip_y": 0.0}, "clip_y"),
    ({"clip_x": [1.0, -1.0, 1.0, 1.0, 1.0, 1.0]}, "clip_x"),
    ({"clip_x": [1.0, 1.0]}, "clip_x"), ({"protocol": "central"}, "protocol"),
])
def test_bad_parameters_get_clear_errors(params, match):
    X, y = _rademacher(500, 6)
    kwargs = {"clip_x": 1.0, "clip_y": 2.0, **params}
    with pytest.raises(ValueError, match=match):
        LDPSparseRegressor(**kwargs).fit(X, y)


def test_too_many_features_for_the_budget():
    X, y = _rademacher(5_000, 7, d=60, theta=np.zeros(60))
    with pytest.raises(ValueError, match="cannot support 60 features with 5000 users"):
        LDPSparseRegressor(epsilon=1.0, clip_x=1.0, clip_y=1.0).fit(X, y)
    acc = BudgetAccountant(1.0, 1e-5)
    with pytest.raises(ValueError, match="at least"):
        LDPSparseRegressor(epsilon=1.0, clip_x=1.0, clip_y=1.0, accountant=acc,
                           protocol="interactive").fit(X, y)
    assert acc.ledger == []  # refused before anything was released
    # the same users support 5 features
    LDPSparseRegressor(epsilon=1.0, clip_x=1.0, clip_y=1.0).fit(X[:, :5], y)


def test_protocol_and_report_mismatches():
    X, y = _rademacher(5_000, 8)
    with pytest.raises(ValueError, match="needs public_X"):
        LDPSparseRegressor(protocol="public", clip_x=1.0, clip_y=2.0).fit(X, y)
    with pytest.raises(ValueError, match="only used by protocol='public'"):
        LDPSparseRegressor(clip_x=1.0, clip_y=2.0, epsilon=4.0).fit(X, y, public_X=X)
    with pytest.raises(ValueError, match="features"):
        LDPSparseRegressor(protocol="public", clip_x=1.0, clip_y=2.0, epsilon=4.0).fit(
            X, y, public_X=X[:, :3])
    reports = privatize(X, y, 4.0, 1e-5, 1.0, 2.0)
    with pytest.raises(ValueError, match="release='xy'"):
        LDPSparseRegressor(protocol="public").fit_reports(reports, public_X=X)
    with pytest.raises(ValueError, match="users in the loop"):
        LDPSparseRegressor(protocol="interactive").fit_reports(reports)
    with pytest.raises(TypeError, match="PrivateReports"):
        LDPSparseRegressor().fit_reports((X, y))
    xy_reports = privatize(X, y, 4.0, 1e-5, 1.0, 2.0, release="xy")
    model = LDPSparseRegressor(protocol="public").fit_reports(xy_reports, public_X=X)
    assert model.coef_.shape == (D,)


def test_inputs_are_not_modified_and_estimator_is_reusable(big):
    X, y = big
    X = X[:30_000].copy()
    y = y[:30_000].copy()
    Xc, yc = X.copy(), y.copy()
    model = LDPSparseRegressor(epsilon=4.0, clip_x=0.5, clip_y=0.5, random_state=0,
                               protocol="interactive", noise="per_user").fit(X, y)
    np.testing.assert_array_equal(X, Xc)
    np.testing.assert_array_equal(y, yc)
    again = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(again.predict(X[:10]), model.predict(X[:10]))
    with pytest.raises(ValueError, match="NaN"):
        clone(model).fit(np.where(X == 1, np.nan, X), y)


def test_n_nonzero_threshold_step_and_refit():
    X, y = _rademacher(100_000, 9)
    base = dict(epsilon=4.0, clip_x=1.0, clip_y=2.0, random_state=0)
    top1 = LDPSparseRegressor(n_nonzero=1, **base).fit(X, y)
    assert top1.support_.sum() == 1
    soft = LDPSparseRegressor(server_step="threshold", refit=False, **base).fit(X, y)
    hard = LDPSparseRegressor(server_step="threshold", refit=True, **base).fit(X, y)
    # soft thresholding shrinks, the refit on the support removes the shrinkage
    assert np.all(np.abs(soft.coef_[:2]) < np.abs(hard.coef_[:2]))
    assert np.array_equal(soft.support_, hard.support_)
    iht = LDPSparseRegressor(protocol="interactive", n_nonzero=2, n_rounds=6, **base)
    iht.fit(X, y)
    assert iht.n_iter_ == 6 and iht.support_.sum() <= 2


def test_pipeline_and_grid_search():
    X, y = _rademacher(200_000, 10)
    pipe = make_pipeline(FunctionTransformer(),
                         LDPSparseRegressor(epsilon=4.0, clip_x=1.0, clip_y=2.0,
                                            random_state=0))
    search = GridSearchCV(pipe, {"ldpsparseregressor__server_step": ["lasso", "threshold"]},
                          cv=2).fit(X, y)
    # 100 000 users per fold at epsilon = 4: l2 coefficient error about 0.1, R^2 near 0.95
    assert search.best_score_ > 0.7
    assert search.best_estimator_[-1].coef_.shape == (D,)


def test_per_user_fit_streams_blocks_and_charges_once(monkeypatch):
    monkeypatch.setattr(est_module, "_USER_BLOCK", 1_000)
    X, y = _rademacher(5_500, 11)
    kwargs = dict(clip_x=1.0, clip_y=2.0, alpha=0.01, random_state=0)
    exact_user = LDPSparseRegressor(epsilon=np.inf, noise="per_user", **kwargs).fit(X, y)
    exact_agg = LDPSparseRegressor(epsilon=np.inf, **kwargs).fit(X, y)
    np.testing.assert_allclose(exact_user.coef_, exact_agg.coef_, atol=1e-10)
    acc = BudgetAccountant(8.0, 1e-5)
    model = LDPSparseRegressor(epsilon=8.0, noise="per_user", accountant=acc, **kwargs)
    model.fit(X, y)
    assert [label for label, _, _ in acc.ledger] == ["x x^T", "x y"]
    assert model.n_users_ == 5_500
