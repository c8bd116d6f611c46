"""One bad-input suite over every public estimator (``sparsestat.utils.all_estimators()``).

Each case either raises a ``ValueError``/``TypeError`` whose message names the problem, or
fits and returns a finite result. Never an error from inside numba, never a silent NaN,
and the caller's arrays are never modified (every case passes copies and compares them
with the originals afterwards).

Data are built per estimator kind from its scikit-learn tags: regressors, classifiers
(ordinal ones get three ordered classes), clusterers, transformers that train on (X, y)
(the nn pruners) and structure learners fitted on X alone (CoLiDE). The small constructor
settings of ``tests/_instances.py`` keep the whole file fast.

``python -m pytest tests/test_bad_input.py -q -s`` prints the number of cases tried.
"""

import re
import traceback
import warnings
from collections import Counter

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone

from sparsestat.utils import all_estimators

from ._kinds import N_FEATURES, N_SAMPLES, _data, _make, _outputs, _supervised

ESTIMATORS = all_estimators()
TRIED = Counter()
PASSED = Counter()


# ---------------------------------------------------------------------------- checks
_FITTED_CHECKED = ("coef_", "intercept_", "cluster_centers_", "means_", "sigma_", "quantiles_",
                   "thresholds_", "alpha_")


def _assert_finite_result(est, out, what):
    if out.dtype.kind in "fc":
        assert np.all(np.isfinite(out)), f"{what}: silent non-finite output {out}"
    for attr in _FITTED_CHECKED:
        value = getattr(est, attr, None)
        if value is None or isinstance(value, str):
            continue
        arr = np.asarray(value)
        if arr.dtype.kind in "fc":
            assert np.all(np.isfinite(arr)), f"{what}: non-finite fitted {attr} = {arr}"


def _check_error(err, pattern, what):
    """A raised error must be a ValueError/TypeError from outside numba naming the problem."""
    frames = traceback.extract_tb(err.__traceback__)
    in_numba = [f for f in frames if "/numba/" in f.filename.replace("\\", "/")]
    try:
        from numba.core.errors import NumbaError
    except ImportError:  # pragma: no cover
        NumbaError = ()
    assert not isinstance(err, NumbaError) and not in_numba, (
        f"{what}: crashed inside numba: {type(err).__name__}: {err}")
    assert isinstance(err, (ValueError, TypeError)), (
        f"{what}: raised {type(err).__name__} (not ValueError/TypeError): {err}")
    assert re.search(pattern, str(err), flags=re.IGNORECASE), (
        f"{what}: the message does not name the problem (expected /{pattern}/): {err}")


def _same(a, b):
    if sp.issparse(a):
        return sp.issparse(b) and (a != b).nnz == 0
    if hasattr(a, "to_numpy"):
        a, b = a.to_numpy(), b.to_numpy()
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype.kind in "fc":
        return a.shape == b.shape and np.array_equal(a, b, equal_nan=True)
    return a.shape == b.shape and np.array_equal(a, b)


def _copy(a):
    if a is None:
        return None
    return a.copy()


def _attempt(est, X, y, *, pattern, must_raise, what, X_pred=None):
    """Fit (and predict) on copies; check the outcome and that the inputs are unchanged.

    Returns the outputs (or None when it raised as allowed).
    """
    Xc, yc = _copy(X), _copy(y)
    Xp = X if X_pred is None else X_pred
    Xpc = _copy(Xp)
    out = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fitted = est.fit(Xc) if y is None else est.fit(Xc, yc)
            out = _outputs(fitted, Xpc)
    except Exception as err:  # noqa: BLE001 -- the point is to classify every error
        if pattern is None:
            raise AssertionError(f"{what}: valid input raised {type(err).__name__}: {err}") \
                from err
        _check_error(err, pattern, what)
    else:
        assert not must_raise, f"{what}: bad input accepted silently (returned {out!r:.200})"
        _assert_finite_result(est, out, what)
    assert _same(Xc, X), f"{what}: fit/predict modified the caller's X"
    assert _same(Xpc, Xp), f"{what}: predict modified the caller's X"
    if y is not None:
        assert _same(yc, y), f"{what}: fit modified the caller's y"
    return out


# ---------------------------------------------------------------------------- cases
def _case_nan_X(est, kind):
    X, y = _data(kind)
    X[3, 1] = np.nan
    _attempt(est, X, y, pattern=r"nan", must_raise=True, what="NaN in X")


def _case_inf_X(est, kind):
    X, y = _data(kind)
    X[5, 0] = np.inf
    _attempt(est, X, y, pattern=r"inf", must_raise=True, what="inf in X")


def _case_nan_X_predict(est, kind):
    X, y = _data(kind)
    Xp = X.copy()
    Xp[0, 0] = np.nan
    _attempt(est, X, y, pattern=r"nan", must_raise=True, what="NaN in X at predict",
             X_pred=Xp)


def _case_nan_y(est, kind):
    X, y = _data(kind)
    y = y.astype(float)
    y[2] = np.nan
    _attempt(est, X, y, pattern=r"nan", must_raise=True, what="NaN in y")


def _case_inf_y(est, kind):
    X, y = _data(kind)
    y = y.astype(float)
    y[4] = np.inf
    _attempt(est, X, y, pattern=r"inf", must_raise=True, what="inf in y")


def _case_empty(est, kind):
    X, y = _data(kind)
    _attempt(est, X[:0], None if y is None else y[:0], pattern=r"0 sample|empty",
             must_raise=True, what="no samples")


def _case_no_features(est, kind):
    X, y = _data(kind)
    _attempt(est, X[:, :0], y, pattern=r"0 feature|no feature", must_raise=True,
             what="no features")


def _case_one_sample(est, kind):
    X, y = _data(kind)
    _attempt(est, X[:1], None if y is None else y[:1],
             pattern=r"sample|class|fold|split|too few|at least", must_raise=False,
             what="one sample")


def _case_one_feature(est, kind):
    X, y = _data(kind, p=1)
    _attempt(est, X, y, pattern=r"feature", must_raise=False, what="one feature")


def _case_constant_column(est, kind):
    X, y = _data(kind)
    X[:, 2] = 3.0
    _attempt(est, X, y, pattern=r"constant|variance", must_raise=False,
             what="one constant column")


def _case_all_constant(est, kind):
    X, y = _data(kind)
    X[:] = 1.5
    _attempt(est, X, y, pattern=r"constant|variance|distinct|identical|degenerate",
             must_raise=False, what="every column constant")


def _case_constant_target(est, kind):
    X, y = _data(kind)
    if kind in ("regressor", "positive_regressor", "multitask"):
        y = np.full_like(y, 2.0)
        pattern = r"constant"
    else:
        y = np.zeros_like(y)
        pattern = r"class"
    _attempt(est, X, y, pattern=pattern, must_raise=False, what="constant target / one class")


def _case_strings_X(est, kind):
    X, y = _data(kind)
    Xs = X.astype(str).astype(object)
    Xs[1, 1] = "abc"
    _attempt(est, Xs, y, pattern=r"string|convert|numeric|float|dtype", must_raise=True,
             what="strings in X")


def _case_strings_y(est, kind):
    X, y = _data(kind)
    labels = np.array(["low", "mid", "high"], dtype=object)
    ys = labels[y] if kind in ("classifier", "ordinal", "supervised_transformer") else \
        np.array(["v%d" % i for i in range(len(y))], dtype=object)
    if kind in ("regressor", "positive_regressor", "multitask"):
        _attempt(est, X, ys, pattern=r"string|convert|numeric|float|continuous|target",
                 must_raise=True, what="strings in a regression target")
    else:
        out = _attempt(est, X, ys, pattern=None, must_raise=False, what="string class labels")
        if kind != "supervised_transformer":
            assert set(np.unique(out)) <= set(ys), f"predicted labels {set(out)} not in y"


def _case_3d(est, kind):
    X, y = _data(kind)
    _attempt(est, X.reshape(N_SAMPLES, 2, 2), y, pattern=r"dim|2d|3", must_raise=True,
             what="3-D X")


def _case_1d(est, kind):
    X, y = _data(kind)
    _attempt(est, X[:, 0], y, pattern=r"2d|dim|reshape", must_raise=True, what="1-D X")


def _case_y_length(est, kind):
    X, y = _data(kind)
    _attempt(est, X, y[:-3], pattern=r"inconsistent|number of samples|length",
             must_raise=True, what="y shorter than X")


def _case_wrong_n_features_predict(est, kind):
    X, y = _data(kind)
    _attempt(est, X, y, pattern=r"feature", must_raise=True,
             what="wrong n_features at predict", X_pred=X[:, :3])


def _reference(est, kind, X, y):
    ref = clone(est)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = ref.fit(X) if y is None else ref.fit(X, y)
    return _outputs(ref, X)


def _assert_close(out, ref, what, rtol=1e-6, atol=1e-8):
    if out.dtype.kind in "fc":
        np.testing.assert_allclose(out, ref, rtol=rtol, atol=atol, err_msg=what)
    else:
        assert np.array_equal(out, ref), what


def _case_pandas(est, kind):
    pd = pytest.importorskip("pandas")
    X, y = _data(kind)
    cols = [f"feat_{j}" for j in range(N_FEATURES)]
    Xdf = pd.DataFrame(X, columns=cols)
    ys = None if y is None else (pd.DataFrame(y) if y.ndim == 2 else
                                 pd.Series(y, name="target"))
    out = _attempt(est, Xdf, ys, pattern=None, must_raise=False, what="pandas DataFrame")
    assert list(getattr(est, "feature_names_in_", [])) == cols, (
        "fit on a DataFrame must record feature_names_in_")
    _assert_close(out, _reference(est, kind, X, y), "DataFrame vs ndarray fit differ")
    renamed = Xdf.rename(columns={"feat_0": "other"})
    if hasattr(est, "predict") or hasattr(est, "transform"):
        with pytest.raises(ValueError, match="feature names"):
            _outputs(est, renamed)


def _case_readonly(est, kind):
    X, y = _data(kind)
    X.setflags(write=False)
    if y is not None:
        y.setflags(write=False)
    est_ = est
    Xc = X.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est_.fit(X) if y is None else est_.fit(X, y)
        out = _outputs(est_, X)
    assert np.array_equal(X, Xc)
    _assert_finite_result(est_, out, "read-only arrays")
    _assert_close(out, _reference(est, kind, Xc, None if y is None else y.copy()),
                  "read-only arrays give another fit")


def _case_float32(est, kind):
    X, y = _data(kind)
    out = _attempt(est, X.astype(np.float32), None if y is None else
                   (y.astype(np.float32) if kind in ("regressor", "positive_regressor", "multitask") else y),
                   pattern=None, must_raise=False, what="float32 input")
    assert out.shape[0] == N_SAMPLES or kind == "structure"


def _case_orders(est, kind):
    X, y = _data(kind)
    out_c = _attempt(est, np.ascontiguousarray(X), y, pattern=None, must_raise=False,
                     what="C-ordered X")
    out_f = _attempt(clone(est), np.asfortranarray(X), y, pattern=None, must_raise=False,
                     what="F-ordered X")
    _assert_close(out_f, out_c, "C- and F-ordered X give different results")


def _case_sparse(est, kind):
    X, y = _data(kind)
    X[np.abs(X) < 0.5] = 0.0
    if kind == "clusterer":
        X[: N_SAMPLES // 2, :2] += 4.0
    supported = est.__sklearn_tags__().input_tags.sparse
    for fmt in ("csr", "csc"):
        Xs = sp.csr_matrix(X) if fmt == "csr" else sp.csc_matrix(X)
        if supported:
            out = _attempt(clone(est), Xs, y, pattern=None, must_raise=False,
                           what=f"{fmt} X")
            ref = _reference(est, kind, X, y)
            # sparse and dense designs run different (equivalent) code paths
            _assert_close(out, ref, f"{fmt} and dense X give different fits",
                          rtol=1e-4, atol=1e-5)
        else:
            _attempt(clone(est), Xs, y, pattern=r"sparse", must_raise=True,
                     what=f"{fmt} X where sparse input is not supported")


def _noncanonical(X, fmt):
    """Non-canonical variants of ``X`` in CSC or CSR, as scipy lets a caller build them.

    ``unsorted`` reverses the indices within every column (row), ``duplicates`` stores
    every entry twice as two halves, ``explicit_zeros`` stores zeros, ``int64_index``
    has int64 ``indices`` and ``indptr`` (the constructor would downcast them).
    """
    cls = sp.csc_matrix if fmt == "csc" else sp.csr_matrix
    base = cls(X)
    n_minor = X.shape[0] if fmt == "csc" else X.shape[1]
    slices = [list(zip(base.indices[a:b], base.data[a:b]))
              for a, b in zip(base.indptr[:-1], base.indptr[1:])]

    def build(per_slice):
        indptr = np.r_[0, np.cumsum([len(e) for e in per_slice])].astype(np.int32)
        indices = np.array([i for e in per_slice for i, _ in e], dtype=np.int32)
        data = np.array([v for e in per_slice for _, v in e], dtype=np.float64)
        return cls((data, indices, indptr), shape=X.shape)

    with_zeros = []
    for e in slices:
        absent = sorted(set(range(n_minor)) - {i for i, _ in e})[:2]
        with_zeros.append(e[:1] + [(i, 0.0) for i in absent] + e[1:])
    wide = base.copy()
    wide.indices, wide.indptr = wide.indices.astype(np.int64), wide.indptr.astype(np.int64)
    return {
        "unsorted": build([e[::-1] for e in slices]),
        "duplicates": build([[(i, v / 2) for i, v in e] + [(i, v / 2) for i, v in e[::-1]]
                             for e in slices]),
        "explicit_zeros": build(with_zeros),
        "int64_index": wide,
    }


def _case_noncanonical_sparse(est, kind):
    """Unsorted, duplicated, explicit-zero and int64-index CSC/CSR give the canonical fit.

    The caller's ``indptr``, ``indices`` and ``data`` must be bitwise unchanged after fit
    and predict: scipy sorts and merges a matrix's arrays in place (``sum_duplicates``,
    ``max``...), and ``csc_matrix(X)`` does not copy a CSC ``X``.
    """
    X, y = _data(kind)
    X[np.abs(X) < 0.5] = 0.0
    ref = _reference(est, kind, X, y)
    for fmt in ("csc", "csr"):
        for variant, Xs in _noncanonical(X, fmt).items():
            what = f"{variant} {fmt} X"
            arrays = {a: getattr(Xs, a).copy() for a in ("indptr", "indices", "data")}
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fitted = clone(est).fit(Xs, y)
                out = _outputs(fitted, Xs)
            for a, before in arrays.items():
                after = getattr(Xs, a)
                assert after.dtype == before.dtype and np.array_equal(after, before), (
                    f"{what}: fit/predict modified the caller's {a}")
            _assert_finite_result(fitted, out, what)
            _assert_close(out, ref, f"{what} and dense X give different fits",
                          rtol=1e-4, atol=1e-5)


def _case_complex_X(est, kind):
    X, y = _data(kind)
    _attempt(est, X + 1j, y, pattern=r"complex", must_raise=True, what="complex X")


def _case_integer_X(est, kind):
    X, y = _data(kind)
    Xi = np.round(3 * X).astype(np.int64)
    if kind == "clusterer":
        Xi[: N_SAMPLES // 2] += 10
    _attempt(est, Xi, y, pattern=None, must_raise=False, what="integer X")


def _case_python_lists(est, kind):
    X, y = _data(kind)
    out = _attempt(est, X.tolist(), None if y is None else y.tolist(), pattern=None,
                   must_raise=False, what="nested lists")
    _assert_close(out, _reference(est, kind, X, y), "lists and arrays give different fits")


def _case_bad_sample_weight(est, kind):
    X, y = _data(kind)
    for sw, pattern, what in [
        (np.r_[np.nan, np.ones(N_SAMPLES - 1)], r"nan", "NaN sample_weight"),
        (np.ones(N_SAMPLES - 2), r"sample_weight|shape|samples", "short sample_weight"),
        (np.ones((N_SAMPLES, 2)), r"sample_weight|1d|dim|shape", "2-D sample_weight"),
    ]:
        sw0 = sw.copy()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                clone(est).fit(X.copy(), y.copy(), sample_weight=sw)
        except Exception as err:  # noqa: BLE001
            _check_error(err, pattern, what)
        else:
            raise AssertionError(f"{what} accepted silently")
        assert _same(sw, sw0), f"{what}: fit modified the caller's sample_weight"


_METHODS = ("predict", "predict_proba", "predict_log_proba", "decision_function",
            "predict_cumulative_proba", "predict_interval", "transform", "score")


def _case_every_method_checks_X(est, kind):
    """Every public method that takes X rejects NaN and a wrong number of features."""
    X, y = _data(kind)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est.fit(X) if y is None else est.fit(X, y)
    Xnan = X.copy()
    Xnan[1, 1] = np.nan
    tried = 0
    for method in _METHODS:
        if not hasattr(est, method):
            continue
        call = getattr(est, method)
        args = (y,) if method == "score" and y is not None else ()
        for bad, pattern, what in [(Xnan, r"nan", "NaN"), (X[:, :3], r"feature",
                                                         "wrong n_features")]:
            bad0 = bad.copy()
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    call(bad, *args)
            except Exception as err:  # noqa: BLE001
                _check_error(err, pattern, f"{method} with {what}")
            else:
                raise AssertionError(f"{method} accepted X with {what} silently")
            assert _same(bad, bad0), f"{method} modified the caller's X"
            tried += 1
    assert tried > 0


def _takes_sample_weight(est):
    import inspect

    return "sample_weight" in inspect.signature(est.fit).parameters


CASES = {
    "nan_X": (_case_nan_X, None),
    "inf_X": (_case_inf_X, None),
    "nan_X_at_predict": (_case_nan_X_predict, "predicts"),
    "nan_y": (_case_nan_y, "supervised"),
    "inf_y": (_case_inf_y, "supervised"),
    "empty": (_case_empty, None),
    "no_features": (_case_no_features, None),
    "one_sample": (_case_one_sample, None),
    "one_feature": (_case_one_feature, None),
    "constant_column": (_case_constant_column, None),
    "all_columns_constant": (_case_all_constant, None),
    "constant_target": (_case_constant_target, "supervised"),
    "strings_X": (_case_strings_X, None),
    "strings_y": (_case_strings_y, "supervised"),
    "3d_X": (_case_3d, None),
    "1d_X": (_case_1d, None),
    "y_length_mismatch": (_case_y_length, "supervised"),
    "wrong_n_features_predict": (_case_wrong_n_features_predict, "predicts"),
    "pandas_feature_names": (_case_pandas, None),
    "read_only": (_case_readonly, None),
    "float32": (_case_float32, None),
    "c_and_f_order": (_case_orders, None),
    "sparse": (_case_sparse, None),
    "noncanonical_sparse": (_case_noncanonical_sparse, "sparse"),
    "complex_X": (_case_complex_X, None),
    "integer_X": (_case_integer_X, None),
    "python_lists": (_case_python_lists, None),
    "bad_sample_weight": (_case_bad_sample_weight, "sample_weight"),
    "every_method_checks_X": (_case_every_method_checks_X, None),
}


def _applies(requirement, est, kind):
    if requirement == "supervised":
        return _supervised(kind)
    if requirement == "sample_weight":
        return _supervised(kind) and _takes_sample_weight(est)
    if requirement == "sparse":
        return est.__sklearn_tags__().input_tags.sparse
    if requirement == "predicts":
        return hasattr(est, "predict") or hasattr(est, "transform")
    return True


PARAMS = []
for _name, _ in ESTIMATORS:
    _est, _kind = _make(_name)
    for _case, (_, _req) in CASES.items():
        if _applies(_req, _est, _kind):
            PARAMS.append((_name, _case))


@pytest.fixture(scope="module", autouse=True)
def _report_counts():
    yield
    total, ok = sum(TRIED.values()), sum(PASSED.values())
    lines = [f"bad-input suite: {ok}/{total} cases passed over {len(TRIED)} estimators"]
    lines += [f"  {name:30s} {PASSED[name]:3d}/{TRIED[name]:3d}" for name in sorted(TRIED)]
    print("\n" + "\n".join(lines))


@pytest.mark.parametrize("name, case", PARAMS)
def test_bad_input(name, case):
    est, kind = _make(name)
    TRIED[name] += 1
    CASES[case][0](est, kind)
    PASSED[name] += 1


def test_every_estimator_is_covered():
    covered = {name for name, _ in PARAMS}
    assert covered == {name for name, _ in ESTIMATORS}
    assert len(PARAMS) >= 15 * len(ESTIMATORS)
