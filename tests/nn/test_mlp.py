"""Sparse MLPs, pruners as transformers and during training, shrink, CSR inference."""

import copy
import pickle
import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import MinMaxScaler

from sparsestat.nn import (GroupEnvelopePruner, MagnitudePruner, NMPruner, PDPPruner,
                           RandomPruner, SoftShrinkagePruner, SparseMLPClassifier,
                           SparseMLPRegressor, SparseModelSoup, SparseNetwork, pruning_report,
                           shrink)

warnings.filterwarnings("ignore", category=ConvergenceWarning)

# the small problem has 120 samples: small batches and a larger step train it in few epochs
FAST = {"batch_size": 20, "learning_rate_init": 0.02}


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)
    scaler = MinMaxScaler().fit(Xtr)
    return scaler.transform(Xtr), scaler.transform(Xte), ytr, yte


@pytest.fixture(scope="module")
def small():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((120, 8))
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    return X, y


def test_digits_dense_accuracy(digits):
    Xtr, Xte, ytr, yte = digits
    clf = SparseMLPClassifier((100,), random_state=0).fit(Xtr, ytr)
    assert clf.score(Xte, yte) >= 0.97
    assert clf.device_ == "cpu"  # no GPU on CI: device="auto" falls back


def test_digits_magnitude_90_during_training(digits):
    Xtr, Xte, ytr, yte = digits
    clf = SparseMLPClassifier((100,), random_state=0, pruner=MagnitudePruner(0.9))
    clf.fit(Xtr, ytr)
    assert np.isclose(clf.sparsity_, 0.9, atol=1e-3)
    assert all(np.all(c[~m] == 0) for c, m in zip(clf.coefs_, clf.masks_))
    assert clf.score(Xte, yte) >= 0.96


def test_digits_erk_beats_uniform_at_density_01(digits):
    Xtr, Xte, ytr, yte = digits
    scores = {"erk": [], "uniform": []}
    for seed in range(3):
        for dist in scores:
            clf = SparseMLPClassifier((100,), random_state=seed,
                                      pruner=RandomPruner(0.9, distribution=dist))
            scores[dist].append(clf.fit(Xtr, ytr).score(Xte, yte))
    assert np.mean(scores["erk"]) > np.mean(scores["uniform"])


def test_matches_sklearn_initialization_and_layout(small):
    X, y = small
    ours = SparseMLPClassifier((5,), max_iter=1, random_state=3).fit(X, y)
    theirs = MLPClassifier((5,), max_iter=1, random_state=3).fit(X, y)
    assert [c.shape for c in ours.coefs_] == [c.shape for c in theirs.coefs_]
    assert ours.out_activation_ == theirs.out_activation_ == "logistic"
    assert ours.predict_proba(X).shape == (120, 2)


@pytest.mark.parametrize("solver, early_stopping, weighted", [
    ("adam", False, False), ("adam", False, True), ("sgd", True, True)])
def test_parity_with_sklearn_mlp(small, solver, early_stopping, weighted):
    # same initialization, shuffling, loss, optimizer and stopping rule as scikit-learn
    X, y = small
    sw = np.random.default_rng(1).uniform(0, 2, y.size) if weighted else None
    kw = dict(max_iter=25, batch_size=20, solver=solver, learning_rate_init=0.05,
              early_stopping=early_stopping, random_state=0)
    ours = SparseMLPClassifier((8,), **kw).fit(X, y, sample_weight=sw)
    theirs = MLPClassifier((8,), **kw).fit(X, y, sample_weight=sw)
    assert ours.n_iter_ == theirs.n_iter_
    np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-10)
    for a, b in zip(ours.coefs_, theirs.coefs_):
        np.testing.assert_allclose(a, b, rtol=1e-8, atol=1e-12)
    reg = SparseMLPRegressor((8,), **kw).fit(X, X[:, 0], sample_weight=sw)
    sk = MLPRegressor(hidden_layer_sizes=(8,), **kw).fit(X, X[:, 0], sample_weight=sw)
    np.testing.assert_allclose(reg.predict(X), sk.predict(X), rtol=1e-8, atol=1e-10)


def test_regressor_fits_and_partial_fit(rng):
    X = rng.uniform(-1, 1, (150, 3))
    y = np.sin(2 * X[:, 0]) + X[:, 1]
    reg = SparseMLPRegressor((16,), max_iter=200, learning_rate_init=0.01, random_state=0)
    assert reg.fit(X, y).score(X, y) > 0.9
    pf = SparseMLPRegressor((16,), learning_rate_init=0.01, random_state=0)
    for _ in range(3):
        pf.partial_fit(X, y)
    assert pf.n_iter_ == 3 and len(pf.loss_curve_) == 3
    assert pf.loss_curve_[-1] < pf.loss_curve_[0]


def test_classifier_partial_fit_needs_classes(small):
    X, y = small
    clf = SparseMLPClassifier((4,), random_state=0)
    with pytest.raises(ValueError, match="classes must be passed"):
        clf.partial_fit(X, y)
    clf.partial_fit(X, y, classes=[0, 1]).partial_fit(X, y)
    assert clf.n_iter_ == 2


def test_warm_start_keeps_masks(small):
    X, y = small
    clf = SparseMLPClassifier((8,), max_iter=5, random_state=0,
                              pruner=MagnitudePruner(0.7)).fit(X, y)
    masks = [m.copy() for m in clf.masks_]
    clf.set_params(pruner=None, warm_start=True).fit(X, y)
    assert all(np.array_equal(a, b) for a, b in zip(masks, clf.masks_))
    assert all(np.all(c[~m] == 0) for c, m in zip(clf.coefs_, clf.masks_))


def test_sgd_and_early_stopping(small):
    X, y = small
    clf = SparseMLPClassifier((8,), solver="sgd", learning_rate_init=0.1, max_iter=300,
                              batch_size=20, early_stopping=True, random_state=0).fit(X, y)
    assert clf.n_iter_ < 300
    assert len(clf.validation_scores_) == clf.n_iter_
    assert clf.best_validation_score_ == max(clf.validation_scores_)
    assert clf.score(X, y) > 0.8


@pytest.mark.parametrize("pruner", [
    MagnitudePruner(0.6, scope="global"), MagnitudePruner(0.6, schedule="oneshot"),
    RandomPruner(0.6), NMPruner(2, 4), NMPruner(1, 4, method="exp-decay"),
    NMPruner(2, 8, method="staged"),
    PDPPruner(0.6), SoftShrinkagePruner(0.6), GroupEnvelopePruner(k=3, alpha=0.05)])
def test_pruning_during_training_reaches_its_structure(small, pruner):
    X, y = small
    clf = SparseMLPClassifier((8,), max_iter=30, random_state=0, pruner=pruner,
                              **FAST).fit(X, y)
    if isinstance(pruner, NMPruner) and pruner.method == "staged":
        assert clf.pruning_log_ and all(entry["sad"] >= 0 for entry in clf.pruning_log_)
    assert all(np.all(c[~m] == 0) for c, m in zip(clf.coefs_, clf.masks_))
    if isinstance(pruner, NMPruner):
        for m in clf.masks_:
            groups = m.reshape(-1, pruner.m, m.shape[1]).sum(axis=1)
            assert np.all(groups == pruner.n)
    elif isinstance(pruner, GroupEnvelopePruner):
        assert np.count_nonzero(np.linalg.norm(clf.coefs_[0], axis=0)) <= 3
    elif isinstance(pruner, RandomPruner):
        assert 0.4 < clf.sparsity_ < 0.8
    else:
        assert np.isclose(clf.sparsity_, 0.6, atol=0.02)
    assert clf.score(X, y) > 0.7


@pytest.mark.parametrize("make", [
    lambda X, y: MLPClassifier((8,), max_iter=200, random_state=0).fit(X, y),
    lambda X, y: SparseMLPClassifier((8,), max_iter=50, random_state=0, **FAST).fit(X, y)])
def test_pruner_transforms_a_fitted_mlp_leaving_it_untouched(small, make):
    X, y = small
    mlp = make(X, y)
    before = copy.deepcopy(mlp.coefs_)
    pruner = MagnitudePruner(0.5).fit(mlp)
    pruned = pruner.transform(mlp)
    assert all(np.array_equal(a, b) for a, b in zip(before, mlp.coefs_))
    assert type(pruned) is type(mlp)
    assert np.isclose(pruner.sparsity_, 0.5)
    for c, m in zip(pruned.coefs_, pruner.masks_):
        assert np.mean(c == 0) == pytest.approx(0.5) and np.all(c[~m] == 0)
    assert pruned.score(X, y) > 0.6
    H = pruner.transform(X)  # data through the pruned network's hidden layer
    assert H.shape == (120, 8) and np.all(H >= 0)
    assert type(pruner.fit_transform(mlp)) is type(mlp)


def test_pruner_on_data_is_a_pipeline_feature_map(small):
    X, y = small
    pipe = make_pipeline(
        MagnitudePruner(0.5, estimator=SparseMLPClassifier((6,), max_iter=30,
                                                           random_state=0, **FAST)),
        LogisticRegression())
    assert pipe.fit(X, y).score(X, y) > 0.8
    assert pipe[0].transform(X).shape == (120, 6)


def test_pruner_feature_names_and_pandas_output(small):
    pd = pytest.importorskip("pandas")
    X, y = small
    pipe = make_pipeline(
        MagnitudePruner(0.5, estimator=SparseMLPClassifier((6,), max_iter=30,
                                                           random_state=0, **FAST)),
        LogisticRegression()).set_output(transform="pandas")
    pipe.fit(pd.DataFrame(X, columns=[f"x{j}" for j in range(8)]), y)
    names = pipe[0].get_feature_names_out()
    assert list(names) == [f"magnitudepruner{k}" for k in range(6)]
    hidden = pipe[0].transform(pd.DataFrame(X, columns=[f"x{j}" for j in range(8)]))
    assert isinstance(hidden, pd.DataFrame) and list(hidden.columns) == list(names)
    assert list(pipe[:-1].get_feature_names_out()) == list(names)


def test_grid_search_over_sparsity(small):
    X, y = small
    search = GridSearchCV(
        SparseMLPClassifier((6,), max_iter=20, learning_rate_init=0.01, random_state=0),
        {"pruner": [None, MagnitudePruner(0.5)]}, cv=2).fit(X, y)
    assert hasattr(search, "best_estimator_")
    again = pickle.loads(pickle.dumps(search.best_estimator_))
    np.testing.assert_array_equal(again.predict(X), search.predict(X))


def test_bad_input_messages(small):
    X, y = small
    with pytest.raises(ValueError, match="sparsity"):
        MagnitudePruner(1.0).fit(X, y)
    with pytest.raises(ValueError, match="sparsity"):
        PDPPruner(-0.1).fit(X, y)
    mlp = MLPRegressor(hidden_layer_sizes=(6,), max_iter=5, random_state=0)
    with pytest.raises(ValueError, match="unfitted"):
        MagnitudePruner(0.5).fit(mlp)
    fitted = SparseMLPClassifier((6,), max_iter=2, random_state=0).fit(X[:, :7], y)
    with pytest.raises(ValueError, match="not a multiple of m"):
        NMPruner(2, 4).fit(fitted)
    with pytest.raises(ValueError, match="not a multiple of m"):
        SparseMLPClassifier((8,), pruner=NMPruner(2, 4)).fit(X[:, :7], y)
    with pytest.raises(ValueError, match="n <= m"):
        NMPruner(5, 4).fit(SparseMLPClassifier((8,), max_iter=2).fit(X, y))
    with pytest.raises(ValueError, match="NaN"):
        SparseMLPClassifier().fit(np.full((5, 2), np.nan), [0, 1, 0, 1, 0])
    with pytest.raises(ValueError, match="device='cuda'"):
        SparseMLPClassifier((4,), max_iter=1, device="cuda").fit(X, y)
    with pytest.raises(ValueError, match="differ"):
        MagnitudePruner(0.5).fit(fitted).transform(
            SparseMLPClassifier((5,), max_iter=2).fit(X, y))


def test_input_not_mutated(small):
    X, y = small
    Xc, yc = X.copy(), y.copy()
    SparseMLPClassifier((4,), max_iter=3, pruner=PDPPruner(0.5)).fit(X, y)
    np.testing.assert_array_equal(X, Xc)
    np.testing.assert_array_equal(y, yc)


def test_shrink_removes_dead_units_and_keeps_predictions(small):
    X, y = small
    clf = SparseMLPClassifier((10, 6), max_iter=30, learning_rate_init=0.01,
                              random_state=0).fit(X, y)
    pruned = MagnitudePruner(0.5).fit(clf).transform(clf)
    pruned.coefs_[0][:, :4] = 0.0  # 4 units with no input: constant, folded
    pruned.coefs_[1][7, :] = 0.0  # unit 7 of layer 1 feeds nothing
    pruned.masks_ = [c != 0 for c in pruned.coefs_]
    small_net = shrink(pruned)
    assert small_net.coefs_[0].shape[1] == 5
    np.testing.assert_allclose(small_net.predict_proba(X), pruned.predict_proba(X),
                               atol=1e-12)
    sk = MLPRegressor(hidden_layer_sizes=(8,), max_iter=30, random_state=0).fit(X, X[:, 0])
    sk.coefs_[0][:, 2] = 0.0
    np.testing.assert_allclose(shrink(sk).predict(X), sk.predict(X), atol=1e-12)


def test_csr_inference_equals_dense_and_report(small):
    X, y = small
    clf = SparseMLPClassifier((16,), max_iter=20, random_state=0,
                              pruner=MagnitudePruner(0.8)).fit(X, y)
    net = SparseNetwork(clf)
    np.testing.assert_allclose(net.forward(X), clf.predict_proba(X)[:, 1:], atol=1e-12)
    np.testing.assert_array_equal(net.predict(X), clf.predict(X))
    report = pruning_report(clf, X[:1], n_repeats=3)
    assert report["nonzero_params"] < report["dense_params"]
    assert report["sparse_bytes"] < report["dense_bytes"] * 0.6


def test_model_soup_keeps_shared_mask(small):
    X, y = small
    base = SparseMLPClassifier((8,), max_iter=15, random_state=0, **FAST)
    soup = SparseModelSoup(MagnitudePruner(0.75, scope="global"), n_models=2, phases=2,
                           estimator=base, random_state=0).fit(X, y)
    assert np.isclose(soup.sparsity_, 0.75, atol=0.01)
    for ing in soup.ingredients_:
        assert all(np.array_equal(a, b) for a, b in zip(ing.masks_, soup.masks_))
    mean0 = np.mean([ing.coefs_[0] for ing in soup.ingredients_], axis=0)
    np.testing.assert_allclose(soup.estimator_.coefs_[0], mean0)
    assert soup.score(X, y) > 0.7
    threaded = clone(soup).set_params(n_jobs=2).fit(X, y)
    np.testing.assert_allclose(threaded.estimator_.coefs_[0], soup.estimator_.coefs_[0])
    greedy = clone(soup).set_params(soup="greedy", phases=1).fit(X, y)
    assert greedy.predict_proba(X).shape == (120, 2)
