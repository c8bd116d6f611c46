"""The Display classes: each draws on the Agg backend and its artists are checked."""

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from sparsestat.linear_model import (  # noqa: E402
    CVCurveDisplay,
    LassoCV,
    MCPRegressorCV,
    RegularizationPathDisplay,
    SparseLogisticRegressionCV,
    lasso_path,
)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def regression(rng):
    X = rng.standard_normal((60, 6))
    y = 2 * X[:, 0] - 3 * X[:, 1] + 0.3 * rng.standard_normal(60)
    return X, y


# ---------------------------------------------------------------- linear_model


def test_path_display_from_path_lines_legend_and_alpha_lines(regression):
    X, y = regression
    alphas, coefs, _ = lasso_path(X, y, alphas=15)
    names = [f"f{j}" for j in range(6)]
    display = RegularizationPathDisplay.from_path(alphas, coefs, feature_names=names,
                                                  alpha=alphas[5], alpha_1se=alphas[3])
    assert len(display.lines_) == 6
    for line, coef in zip(display.lines_, coefs):
        np.testing.assert_allclose(line.get_xdata(), alphas)
        np.testing.assert_allclose(line.get_ydata(), coef)
    assert display.ax_.get_xscale() == "log"
    assert display.alpha_line_.get_xdata()[0] == alphas[5]
    assert display.alpha_1se_line_.get_xdata()[0] == alphas[3]
    labels = [t.get_text() for t in display.legend_.get_texts()]
    assert labels[:6] == names and len(labels) == 8
    assert display.figure_ is display.ax_.figure


def test_path_display_legend_keeps_the_largest_features(rng):
    coefs = np.outer(np.arange(1, 13), np.linspace(0, 1, 5))  # feature j peaks at j + 1
    display = RegularizationPathDisplay.from_path(np.geomspace(1, 0.01, 5), coefs,
                                                  max_legend=3)
    labels = [t.get_text() for t in display.legend_.get_texts()]
    assert labels == ["x9", "x10", "x11"]
    assert len(display.lines_) == 12
    assert display.alpha_line_ is None and display.alpha_1se_line_ is None


def test_path_display_checks_shapes_and_names():
    with pytest.raises(ValueError, match="n_alphas=3"):
        RegularizationPathDisplay.from_path(np.ones(3), np.ones((2, 4)))
    with pytest.raises(ValueError, match="feature_names has 1"):
        RegularizationPathDisplay.from_path(np.ones(3), np.ones((2, 3)), feature_names=["a"])


def test_path_display_from_lassocv_marks_alphas_and_ends_at_the_fit(regression):
    X, y = regression
    reg = LassoCV(alphas=20, cv=3).fit(X, y)
    reg.alpha_1se_ = float(reg.alphas_[4])  # what the 1-SE rule will store
    display = RegularizationPathDisplay.from_estimator(reg, X, y)
    assert len(display.lines_) == X.shape[1]
    np.testing.assert_allclose(display.lines_[0].get_xdata(), reg.alphas_)
    assert display.alpha_line_.get_xdata()[0] == reg.alpha_
    assert display.alpha_1se_line_.get_xdata()[0] == reg.alphas_[4]
    # the path at alpha_ is the refitted model
    i = int(np.flatnonzero(reg.alphas_ == reg.alpha_)[0])
    at_alpha = np.array([line.get_ydata()[i] for line in display.lines_])
    np.testing.assert_allclose(at_alpha, reg.coef_, atol=1e-3)


def test_path_display_from_mcp_cv_and_dataframe_names(regression):
    pd = pytest.importorskip("pandas")
    X, y = regression
    frame = pd.DataFrame(X, columns=[f"gene{j}" for j in range(6)])
    reg = MCPRegressorCV(alphas=10, cv=3).fit(frame, y)
    display = RegularizationPathDisplay.from_estimator(reg, frame, y)
    labels = [t.get_text() for t in display.legend_.get_texts()]
    assert labels[:6] == list(frame.columns)
    last = np.array([line.get_ydata()[-1] for line in display.lines_])
    assert np.count_nonzero(last) >= 2  # the smallest alpha keeps the true features


def test_path_display_rejects_estimators_without_a_path(regression):
    from sklearn.linear_model import LinearRegression

    X, y = regression
    with pytest.raises(TypeError, match="from_path"):
        RegularizationPathDisplay.from_estimator(LinearRegression().fit(X, y), X, y)


def test_cv_curve_display_mean_se_and_alpha_lines(regression):
    X, y = regression
    reg = LassoCV(alphas=12, cv=4).fit(X, y)
    display = CVCurveDisplay.from_estimator(reg, label="Lasso")
    mean = reg.mse_path_.mean(axis=1)
    se = reg.mse_path_.std(axis=1, ddof=1) / 2.0
    np.testing.assert_allclose(display.line_.get_ydata(), mean)
    np.testing.assert_allclose(display.se_, se)
    band = display.band_.get_paths()[0].vertices
    assert np.isclose(band[:, 1].max(), (mean + se).max())
    assert np.isclose(band[:, 1].min(), (mean - se).min())
    assert display.alpha_line_.get_xdata()[0] == reg.alpha_
    assert display.alpha_1se_line_.get_xdata()[0] == reg.alpha_1se_ >= reg.alpha_
    del reg.alpha_1se_  # an estimator without the attribute gets no 1-SE line
    assert CVCurveDisplay.from_estimator(reg).alpha_1se_line_ is None
    assert [t.get_text() for t in display.ax_.get_legend().get_texts()] == ["Lasso"]
    assert "squared error" in display.ax_.get_ylabel()


def test_cv_curve_display_reads_scores_of_logistic_cv(rng):
    X = rng.standard_normal((90, 4))
    y = (X[:, 0] + 0.3 * rng.standard_normal(90) > 0).astype(int)
    clf = SparseLogisticRegressionCV(alphas=8, cv=3).fit(X, y)
    display = CVCurveDisplay.from_estimator(clf)
    np.testing.assert_allclose(display.line_.get_ydata(), clf.scores_.mean(axis=1))
    assert display.alpha_1se_line_.get_xdata()[0] == clf.alpha_1se_
    assert "log-likelihood" in display.ax_.get_ylabel()


def test_cv_curve_display_needs_a_cv_estimator(regression):
    from sparsestat.linear_model import Lasso

    X, y = regression
    lasso = Lasso(alpha=0.1).fit(X, y)
    lasso.alphas_ = np.ones(3)
    with pytest.raises(TypeError, match="mse_path_ nor scores_"):
        CVCurveDisplay.from_estimator(lasso)


# ---------------------------------------------------------------- dag


W_CHAIN = np.array([[0.0, 1.5, 0.0, 0.4],
                    [0.0, 0.0, -0.7, 0.0],
                    [0.0, 0.0, 0.0, 0.0],
                    [0.0, 0.0, 0.0, 0.0]])


def test_dag_display_edges_widths_colors_and_labels():
    pytest.importorskip("networkx")  # the layered layout
    from matplotlib.colors import to_rgba

    from sparsestat.dag import DAGDisplay

    display = DAGDisplay.from_adjacency(W_CHAIN, feature_names=list("abcd"))
    assert sorted(display.edges_) == [(0, 1), (0, 3), (1, 2)]
    widths = {e: a.get_linewidth() for e, a in display.edges_.items()}
    assert widths[(0, 1)] > widths[(1, 2)] > widths[(0, 3)]
    assert display.edges_[(1, 2)].get_edgecolor() == to_rgba("tab:red")
    assert display.edges_[(0, 1)].get_edgecolor() == to_rgba("tab:blue")
    assert display.edge_labels_[(0, 1)].get_text() == "1.5"
    assert [t.get_text() for t in display.node_labels_] == list("abcd")
    assert display.positions_.shape == (4, 2)
    # layered layout: a cause sits above its effect
    assert display.positions_[0, 1] > display.positions_[1, 1] > display.positions_[2, 1]


def test_dag_display_frequency_sets_opacity_and_labels():
    from sparsestat.dag import DAGDisplay

    freq = np.where(W_CHAIN != 0, 0.5, 0.0)
    freq[0, 1] = 1.0
    display = DAGDisplay.from_adjacency(W_CHAIN, frequency=freq, layout="circular")
    assert display.edges_[(0, 1)].get_alpha() == 1.0
    assert display.edges_[(1, 2)].get_alpha() == 0.5
    assert display.edge_labels_[(1, 2)].get_text() == "-0.7 (50%)"
    np.testing.assert_allclose(np.linalg.norm(display.positions_, axis=1), 1.0)
    with pytest.raises(ValueError, match="frequency has shape"):
        DAGDisplay.from_adjacency(W_CHAIN, frequency=np.ones((2, 2)))


def test_dag_display_circular_layout_without_networkx(monkeypatch):
    import sys

    from sparsestat.dag import DAGDisplay

    monkeypatch.setitem(sys.modules, "networkx", None)  # import networkx now fails
    display = DAGDisplay.from_adjacency(W_CHAIN)
    np.testing.assert_allclose(display.positions_[0], [0.0, 1.0], atol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(display.positions_, axis=1), 1.0)


def test_colide_to_networkx_and_display_from_estimator(rng):
    nx = pytest.importorskip("networkx")
    pd = pytest.importorskip("pandas")
    from sparsestat.dag import CoLiDE, DAGDisplay

    X = rng.standard_normal((300, 3))
    X[:, 1] += 2 * X[:, 0]
    X[:, 2] -= 1.5 * X[:, 1]
    frame = pd.DataFrame(X, columns=["u", "v", "w"])
    model = CoLiDE().fit(frame)
    W = model.coef_ * model.adjacency_
    graph = model.to_networkx()
    assert isinstance(graph, nx.DiGraph)
    assert list(graph.nodes) == ["u", "v", "w"]
    names = ["u", "v", "w"]
    expected = {(names[i], names[j]): W[i, j] for i, j in zip(*np.nonzero(W))}
    assert len(expected) >= 2
    assert {(a, b): d["weight"] for a, b, d in graph.edges(data=True)} == expected
    display = DAGDisplay.from_estimator(model)
    assert set(display.edges_) == {(int(i), int(j)) for i, j in zip(*np.nonzero(W))}
    assert [t.get_text() for t in display.node_labels_] == names


# ---------------------------------------------------------------- quantile


def test_fan_display_nested_bands_median_and_points(rng):
    from sparsestat.quantile import QuantileFanDisplay

    x = rng.uniform(0, 1, 40)
    taus = np.array([0.05, 0.25, 0.5, 0.75, 0.95])
    Q = x[:, None] + np.array([-2.0, -1.0, 0.0, 1.0, 2.0])
    y = x + 0.5 * rng.standard_normal(40)
    display = QuantileFanDisplay.from_predictions(Q, taus, x=x, y=y)
    assert display.band_levels_ == [(0.05, 0.95), (0.25, 0.75)]
    outer, inner = (b.get_paths()[0].vertices[:, 1] for b in display.bands_)
    assert np.isclose(outer.max(), Q[:, 4].max()) and np.isclose(outer.min(), Q[:, 0].min())
    assert np.isclose(inner.max(), Q[:, 3].max()) and np.isclose(inner.min(), Q[:, 1].min())
    assert display.bands_[1].get_alpha() > display.bands_[0].get_alpha()
    np.testing.assert_allclose(display.median_line_.get_xdata(), np.sort(x))
    np.testing.assert_allclose(display.median_line_.get_ydata(), np.sort(x))
    assert display.points_.get_offsets().shape == (40, 2)
    labels = [t.get_text() for t in display.ax_.get_legend().get_texts()]
    assert labels == ["0.05 - 0.95", "0.25 - 0.75", "median", "observed"]
    assert display.ax_.get_xlabel() == "x"


@pytest.mark.parametrize("name", ["SparseQuantileRegressor", "KNeighborsQuantileRegressor"])
def test_fan_and_calibration_from_estimator(rng, name):
    from sparsestat import quantile

    X = rng.uniform(0, 1, (120, 2))
    y = 3 * X[:, 0] + rng.standard_normal(120)
    taus = [0.1, 0.5, 0.9]
    params = {"alpha": 0.0} if name == "SparseQuantileRegressor" else {}
    est = getattr(quantile, name)(taus, **params).fit(X, y)
    fan = quantile.QuantileFanDisplay.from_estimator(est, X, y, feature=0)
    np.testing.assert_allclose(fan.median_line_.get_xdata(), np.sort(X[:, 0]))
    assert fan.ax_.get_xlabel() == "x0" and fan.band_levels_ == [(0.1, 0.9)]
    cal = quantile.QuantileCalibrationDisplay.from_estimator(est, X, y)
    expected = (y[:, None] <= est.predict(X)).mean(axis=0)
    np.testing.assert_allclose(cal.line_.get_ydata(), expected)
    np.testing.assert_allclose(cal.line_.get_xdata(), taus)
    assert cal.line_.get_label() == name
    np.testing.assert_allclose(cal.diagonal_.get_xydata(), [[0, 0], [1, 1]])


def test_fan_display_from_aggregator_by_index(rng):
    from sparsestat.quantile import (KNeighborsQuantileRegressor, QuantileAggregator,
                                     QuantileFanDisplay)

    X = rng.uniform(0, 1, (80, 2))
    y = X[:, 0] + 0.3 * rng.standard_normal(80)
    agg = QuantileAggregator([KNeighborsQuantileRegressor(n_neighbors=10)],
                             quantiles=[0.2, 0.5, 0.8], cv=2, calibration=None,
                             random_state=0).fit(X, y)
    fan = QuantileFanDisplay.from_estimator(agg, X[:10])
    assert fan.ax_.get_xlabel() == "sample index" and fan.points_ is None
    np.testing.assert_allclose(fan.median_line_.get_ydata(), agg.predict(X[:10])[:, 1])


def test_quantile_displays_check_inputs():
    from sklearn.linear_model import LinearRegression

    from sparsestat.quantile import QuantileCalibrationDisplay, QuantileFanDisplay

    with pytest.raises(ValueError, match="3 columns but 2 quantile levels"):
        QuantileCalibrationDisplay.from_predictions(np.ones(4), np.ones((4, 3)), [0.1, 0.9])
    with pytest.raises(ValueError, match="x has 3 values"):
        QuantileFanDisplay.from_predictions(np.ones((4, 2)), [0.1, 0.9], x=np.ones(3))
    ols = LinearRegression().fit(np.eye(3), np.ones(3))
    with pytest.raises(TypeError, match="quantiles_"):
        QuantileFanDisplay.from_estimator(ols, np.eye(3))


# ---------------------------------------------------------------- nn


def test_pruning_display_bars_are_layer_densities(rng):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    from sparsestat.nn import MagnitudePruner, PruningDisplay, SparseMLPClassifier

    X = rng.standard_normal((60, 4))
    y = (X[:, 0] > 0).astype(int)
    with pytest.warns(ConvergenceWarning):
        mlp = MLPClassifier((8, 6), max_iter=30, random_state=0).fit(X, y)
    pruner = MagnitudePruner(0.75, scope="global").fit(mlp)
    display = PruningDisplay.from_estimator(pruner)
    heights = [bar.get_height() for bar in display.bars_]
    np.testing.assert_allclose(heights, [m.mean() for m in pruner.masks_])
    assert len(set(np.round(heights, 6))) > 1  # global scope: layers differ
    overall = display.overall_line_.get_ydata()[0]
    assert np.isclose(overall, 1 - pruner.sparsity_)
    ticks = [t.get_text() for t in display.ax_.get_xticklabels()]
    assert ticks == ["layer 1\n4x8", "layer 2\n8x6", "layer 3\n6x1"]
    # a plain MLP: every weight is nonzero
    dense = PruningDisplay.from_estimator(mlp)
    assert [bar.get_height() for bar in dense.bars_] == [1.0, 1.0, 1.0]
    sparse_mlp = SparseMLPClassifier((5,), max_iter=3, pruner=MagnitudePruner(0.5),
                                     random_state=0)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sparse_mlp.fit(X, y)
    shown = PruningDisplay.from_estimator(sparse_mlp)
    np.testing.assert_allclose([b.get_height() for b in shown.bars_],
                               [m.mean() for m in sparse_mlp.masks_])


def test_pruning_display_checks_inputs():
    from sparsestat.nn import PruningDisplay

    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        PruningDisplay([0.5, 1.5]).plot()
    with pytest.raises(ValueError, match="n_weights has 1"):
        PruningDisplay([0.5, 0.5], n_weights=[3]).plot()
    with pytest.raises(TypeError, match="neither masks_ nor coefs_"):
        PruningDisplay.from_estimator(object())


def test_cv_curves_sharing_an_ax_both_stay_visible():
    fig, ax = plt.subplots()
    CVCurveDisplay(np.geomspace(10, 1, 5), np.ones((5, 3))).plot(ax=ax)
    CVCurveDisplay(np.geomspace(1, 0.01, 5), np.ones((5, 3))).plot(ax=ax)
    left, right = ax.get_xlim()
    assert left >= 10 and right <= 0.01  # inverted: the largest alpha on the left


def test_path_display_with_sample_weight_ends_at_the_weighted_fit(regression, rng):
    X, y = regression
    sw = rng.uniform(0.5, 3.0, X.shape[0])
    reg = LassoCV(alphas=10, cv=3).fit(X, y, sample_weight=sw)
    display = RegularizationPathDisplay.from_estimator(reg, X, y, sample_weight=sw)
    i = int(np.flatnonzero(reg.alphas_ == reg.alpha_)[0])
    at_alpha = np.array([line.get_ydata()[i] for line in display.lines_])
    np.testing.assert_allclose(at_alpha, reg.coef_, atol=1e-3)


def test_path_display_multiclass_logistic_is_refused(rng):
    from sparsestat.linear_model import SparseLogisticRegression

    X = rng.standard_normal((60, 3))
    y = np.arange(60) % 3
    clf = SparseLogisticRegression(alpha=0.01).fit(X, y)
    with pytest.raises(ValueError, match="one per class"):
        RegularizationPathDisplay.from_estimator(clf, X, y, alphas=[0.1, 0.01])


def test_displays_of_elasticnet_cv_use_the_chosen_l1_ratio(regression):
    from sparsestat.linear_model import ElasticNetCV

    X, y = regression
    reg = ElasticNetCV(l1_ratio=[0.2, 0.9], alphas=8, cv=3).fit(X, y)
    row = [0.2, 0.9].index(reg.l1_ratio_)
    curve = CVCurveDisplay.from_estimator(reg)
    np.testing.assert_allclose(curve.line_.get_xdata(), reg.alphas_[row])
    np.testing.assert_allclose(curve.mean_, reg.mse_path_[row].mean(axis=1))
    path = RegularizationPathDisplay.from_estimator(reg, X, y)
    i = int(np.flatnonzero(reg.alphas_[row] == reg.alpha_)[0])
    at_alpha = np.array([line.get_ydata()[i] for line in path.lines_])
    np.testing.assert_allclose(at_alpha, reg.coef_, atol=1e-3)


def test_calibration_displays_share_one_diagonal():
    from sparsestat.quantile import QuantileCalibrationDisplay

    fig, ax = plt.subplots()
    y = np.arange(10.0)
    Q = np.column_stack([np.full(10, 2.5), np.full(10, 6.5)])
    first = QuantileCalibrationDisplay.from_predictions(y, Q, [0.3, 0.7], name="a", ax=ax)
    second = QuantileCalibrationDisplay.from_predictions(y, Q + 1, [0.3, 0.7], name="b",
                                                         ax=ax, ref_line=False)
    assert second.diagonal_ is None and first.diagonal_ is not None
    assert len(ax.lines) == 3
    np.testing.assert_allclose(second.line_.get_ydata(), [0.4, 0.8])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["calibrated", "a", "b"]
