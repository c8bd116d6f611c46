"""``verbose``: progress of the long fits, with tqdm or with plain lines."""

import io

import numpy as np
import pytest

from sparsestat.utils import _progress
from sparsestat.utils._progress import progress


def test_silent_returns_the_iterable_itself():
    items = [1, 2, 3]
    assert progress(items, 0, "x") is items
    assert progress(items, False, "x") is items


def test_plain_lines_one_per_step_with_verbose_2():
    out = io.StringIO()
    assert list(progress(range(4), 2, "folds", file=out)) == [0, 1, 2, 3]
    lines = out.getvalue().splitlines()
    assert [line.split(" (")[0] for line in lines] == [f"folds: {k}/4" for k in range(1, 5)]


def test_without_tqdm_verbose_1_prints_about_ten_lines(monkeypatch):
    monkeypatch.setattr(_progress, "_tqdm", lambda: None)
    out = io.StringIO()
    assert sum(progress(range(100), 1, "alphas", file=out)) == sum(range(100))
    lines = out.getvalue().splitlines()
    assert len(lines) == 10 and lines[-1].startswith("alphas: 100/100")
    out = io.StringIO()  # no length known: a line per step
    list(progress(iter(range(3)), 1, "stages", file=out))
    assert out.getvalue().splitlines()[-1].startswith("stages: 3 (")


def test_with_tqdm_verbose_1_draws_a_bar():
    pytest.importorskip("tqdm")
    out = io.StringIO()
    assert list(progress(range(5), 1, "folds", file=out)) == list(range(5))
    assert "folds" in out.getvalue() and "5/5" in out.getvalue()


def _regression():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 8))
    return X, X[:, 0] - X[:, 1] + 0.1 * rng.standard_normal(60)


@pytest.mark.parametrize("name", ["LassoCV", "ElasticNetCV", "MCPRegressorCV"])
def test_cv_regressors_report_each_fold(name, capsys):
    from sparsestat import linear_model

    X, y = _regression()
    est = getattr(linear_model, name)(cv=3, alphas=5, verbose=2).fit(X, y)
    err = capsys.readouterr().err
    assert f"{name}: paths on the folds: 3/3" in err
    quiet = getattr(linear_model, name)(cv=3, alphas=5).fit(X, y)
    assert capsys.readouterr().err == ""
    np.testing.assert_allclose(est.coef_, quiet.coef_)  # progress changes nothing


def test_logistic_cv_and_presto_cv_report_each_fold(capsys):
    from sparsestat.linear_model import SparseLogisticRegressionCV
    from sparsestat.ordinal import PRESTOClassifierCV

    X, y = _regression()
    SparseLogisticRegressionCV(cv=3, alphas=4, verbose=2).fit(X, y > 0)
    assert "SparseLogisticRegressionCV: paths on the folds: 3/3" in capsys.readouterr().err
    levels = np.digitize(y, [-1.0, 1.0])
    PRESTOClassifierCV(alphas=4, cv=3, verbose=2).fit(X, levels)
    assert "PRESTOClassifierCV: paths on the folds: 3/3" in capsys.readouterr().err
