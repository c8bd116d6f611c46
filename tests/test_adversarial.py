"""Adversarial inputs over every public estimator (``sparsestat.utils.all_estimators()``).

A new estimator is covered without editing this file: data come from its kind
(``tests/_kinds.py``), small settings from ``tests/_instances.py``, and the parameter
boundaries from its own ``_parameter_constraints``. A case fails on a crash, a changed
input, a non-finite output, or an error that is not a ValueError / TypeError naming the
problem. The targeted regression tests at the end pin the findings of issue 15.

``python -m pytest tests/test_adversarial.py -q -s`` prints the number of cases tried.
"""

import numbers
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone

from sparsestat.utils import all_estimators

from ._kinds import _data, _make, _outputs

ESTIMATORS = [name for name, _ in all_estimators()]


def _quiet_fit(est, X, y=None, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return est.fit(X, **kw) if y is None else est.fit(X, y, **kw)


# ---------------------------------------------------------------- the generic cases
def _check_error(err, what, pattern=None):
    """An allowed error: ValueError/TypeError raised outside numba (naming ``pattern``)."""
    import re
    import traceback

    frames = traceback.extract_tb(err.__traceback__)
    assert not any("/numba/" in f.filename.replace("\\", "/") for f in frames), (
        f"{what}: crashed inside numba: {type(err).__name__}: {err}")
    assert isinstance(err, (ValueError, TypeError)), (
        f"{what}: raised {type(err).__name__} (not ValueError/TypeError): {err}")
    if pattern is not None:
        assert re.search(pattern, str(err), flags=re.IGNORECASE), (
            f"{what}: the message does not name the problem (/{pattern}/): {err}")


def _finite(est, out, what):
    if out.dtype.kind in "fc":
        assert np.all(np.isfinite(out)), f"{what}: non-finite output"
    for attr in ("coef_", "intercept_", "cluster_centers_", "means_", "thresholds_"):
        value = getattr(est, attr, None)
        if value is not None and np.asarray(value).dtype.kind in "fc":
            assert np.all(np.isfinite(value)), f"{what}: non-finite {attr}"


def _fit_out(est, X, y, what, *, allowed=None, **kw):
    """Fit and return the outputs on X, or None after an allowed error; X, y unchanged."""
    X0 = X.copy() if not sp.issparse(X) else None
    y0 = None if y is None else y.copy()
    try:
        fitted = _quiet_fit(est, X, y, **kw)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = _outputs(fitted, X)
    except Exception as err:  # noqa: BLE001 -- every error is classified
        if allowed is None:
            raise AssertionError(f"{what}: raised {type(err).__name__}: {err}") from err
        _check_error(err, what, allowed)
        out = None
    else:
        _finite(est, out, what)
    if X0 is not None:
        assert np.array_equal(X, X0, equal_nan=True), f"{what}: X was modified"
    if y0 is not None:
        assert np.array_equal(y, y0), f"{what}: y was modified"
    return out


def _close(out, ref, what, rtol=1e-6, atol=1e-8):
    if out.dtype.kind == "f":
        np.testing.assert_allclose(out, ref, rtol=rtol, atol=atol, err_msg=what)
    else:
        assert np.array_equal(out, ref), what


def _case_layouts(name):
    """Negative strides, strided views and big-endian X give the fit of a plain copy."""
    est, kind = _make(name)
    X, y = _data(kind)
    ref = _fit_out(clone(est), X, y, "float64 C array")
    wide = np.zeros((X.shape[0], 2 * X.shape[1]))
    wide[:, ::2] = X
    rev = X[::-1]
    y_rev = None if y is None else y[::-1]
    rev_ref = _fit_out(clone(est), rev.copy(), None if y is None else y_rev.copy(),
                       "reversed copy")
    _close(_fit_out(clone(est), rev, y_rev, "negative strides"), rev_ref, "negative strides")
    _close(_fit_out(clone(est), wide[:, ::2], y, "strided view"), ref, "strided view")
    _close(_fit_out(clone(est), X.astype(">f8"), y, "big-endian"), ref, "big-endian")


_SPARSE_FORMATS = ("csr", "csc", "coo", "bsr", "lil", "dok", "dia")


def _case_sparse_formats(name):
    """Every scipy sparse format (matrix and array): the dense fit, or a clear refusal."""
    est, kind = _make(name)
    X, y = _data(kind)
    X[np.abs(X) < 0.5] = 0.0
    supported = est.__sklearn_tags__().input_tags.sparse
    ref = _fit_out(clone(est), X, y, "dense") if supported else None
    for fmt in _SPARSE_FORMATS:
        for container in (sp.csr_matrix, sp.csr_array):
            Xs = container(X).asformat(fmt)
            snapshot = Xs.copy()
            what = f"{type(Xs).__name__} X"
            out = _fit_out(clone(est), Xs, y, what, allowed=None if supported else "sparse")
            assert (Xs != snapshot).nnz == 0, f"{what}: X was modified"
            if supported:
                _close(out, ref, f"{what} and dense X differ", rtol=1e-4, atol=1e-5)
            else:
                assert out is None, f"{what} accepted though sparse input is not supported"


def _case_magnitudes(name):
    """X or y of magnitude 1e+-300, and denormal entries: a finite fit or a clear error."""
    est, kind = _make(name)
    X, y = _data(kind)
    cases = [("X * 1e300", X * 1e300, y), ("X * 1e-300", X * 1e-300, y)]
    if kind == "regressor":
        cases += [("y * 1e300", X, y * 1e300), ("y * 1e-300", X, y * 1e-300)]
    Xd = X.copy()
    Xd[::3, 0] = 5e-324  # the smallest denormal
    cases.append(("denormal entries", Xd, y))
    for what, Xc, yc in cases:
        _fit_out(clone(est), Xc, yc, what,
                 allowed=r"scale|overflow|magnitude|finite|large|small|range|constant|"
                         r"variance|underflow|distinct|singular")


# Estimators whose fit does not promise invariance to the scale of sample_weight, and why.
SAMPLE_WEIGHT_SCALE_EXEMPT = {
    "SparseMLPClassifier": "the L2 term is divided by the batch's weight sum (scikit-learn's "
                           "MLP rule), so the weights' scale sets the regularization",
    "SparseMLPRegressor": "as SparseMLPClassifier",
    "SparseModelSoup": "trains SparseMLPClassifier members (see there)",
    **{name: "trains a SparseMLPClassifier on the weights (see there)" for name in (
        "MagnitudePruner", "RandomPruner", "NMPruner", "GroupEnvelopePruner", "PDPPruner",
        "SoftShrinkagePruner")},
}


def _case_sample_weight_scale(name):
    """Multiplying every weight by 1e-3 or 1e3 leaves the fit unchanged."""
    est, kind = _make(name)
    X, y = _data(kind)
    w = np.random.default_rng(1).uniform(0.5, 2.0, X.shape[0])
    ref = _fit_out(clone(est), X, y, "weights", sample_weight=w)
    for c in (1e-3, 1e3):
        out = _fit_out(clone(est), X, y, f"weights * {c}", sample_weight=w * c)
        _close(out, ref, f"weights * {c} changed the fit", rtol=1e-5, atol=1e-7)


def _case_threads(name):
    """Eight fits in parallel threads equal the serial fit bitwise."""
    from concurrent.futures import ThreadPoolExecutor

    est, kind = _make(name)
    X, y = _data(kind)
    ref = _fit_out(clone(est), X, y, "serial")
    with ThreadPoolExecutor(8) as pool:
        outs = list(pool.map(lambda _: _fit_out(clone(est), X.copy(), None if y is None
                                                else y.copy(), "threaded"), range(8)))
    for out in outs:
        assert np.array_equal(out, ref), "a threaded fit differs from the serial one"


def _constraint_cases(est):
    """(param, value, must_reject) at the finite ends of every Interval constraint."""
    from sklearn.utils._param_validation import Interval, make_constraint

    cases = []
    for param, constraints in getattr(est, "_parameter_constraints", {}).items():
        made = [make_constraint(c) for c in constraints]
        for c in made:
            if not isinstance(c, Interval):
                continue
            for end, side in ((c.left, "left"), (c.right, "right")):
                if end is None or not np.isfinite(end):
                    continue
                closed = c.closed in (side, "both")
                step = 1 if c.type is numbers.Integral else max(abs(end), 1.0) * 1e-9
                outside = end - step if side == "left" else end + step
                if c.type is numbers.Integral:
                    end, outside = int(end), int(outside)
                if closed:
                    cases.append((param, end, False))
                elif not any(o.is_satisfied_by(end) for o in made):
                    cases.append((param, end, True))
                if not any(o.is_satisfied_by(outside) for o in made):
                    cases.append((param, outside, True))
    return cases


def _case_parameter_bounds(name):
    """At a closed end a fit works (or says why); just outside, the parameter is named."""
    est, kind = _make(name)
    X, y = _data(kind)
    for param, value, must_reject in _constraint_cases(est):
        what = f"{param}={value!r}"
        e = clone(est).set_params(**{param: value})
        out = _fit_out(e, X, y, what, allowed=param)
        if must_reject:
            assert out is None, f"{what} is outside the constraints but was accepted"


GENERIC = {
    "layouts": _case_layouts,
    "sparse_formats": _case_sparse_formats,
    "magnitudes": _case_magnitudes,
    "sample_weight_scale": _case_sample_weight_scale,
    "threads": _case_threads,
    "parameter_bounds": _case_parameter_bounds,
}


def _generic_params():
    import inspect

    params = []
    for name in ESTIMATORS:
        est, kind = _make(name)
        for case in GENERIC:
            if case == "sample_weight_scale" and (
                    name in SAMPLE_WEIGHT_SCALE_EXEMPT
                    or "sample_weight" not in inspect.signature(est.fit).parameters
                    or kind in ("clusterer", "structure")):
                continue
            params.append(pytest.param(name, case, id=f"{name}-{case}"))
    return params


@pytest.mark.parametrize("name, case", _generic_params())
def test_adversarial(name, case):
    GENERIC[case](name)


def test_every_estimator_is_covered():
    covered = {p.values[0] for p in _generic_params()}
    assert covered == set(ESTIMATORS)


# ---------------------------------------------------------------- Ctrl-C
_INTERRUPT_SCRIPT = """
import signal, sys, threading, time, warnings
warnings.simplefilter("ignore")
sys.path.insert(0, {root!r})
import numpy as np
{setup}
main = threading.main_thread().ident


def interrupt_after(delay):
    timer = threading.Timer(delay, lambda: signal.pthread_kill(main, signal.SIGINT))
    timer.daemon = True  # the interpreter must not wait for it at exit
    timer.start()


start = time.perf_counter()
try:
    if {delay} is not None:
        interrupt_after({delay})
{body}
    print("NO INTERRUPT")
except KeyboardInterrupt:
    print("KeyboardInterrupt after", round(time.perf_counter() - start - {delay}, 2))
except BaseException as err:
    print("WRONG", type(err).__name__, err)
"""


def _interrupted(setup, body, delay, timeout):
    """Run ``body`` in a fresh interpreter, SIGINT it after ``delay`` s; its last line."""
    import os
    import subprocess
    import sys
    import textwrap

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    code = _INTERRUPT_SCRIPT.format(root=root, setup=textwrap.dedent(setup), delay=delay,
                                    body=textwrap.indent(textwrap.dedent(body), "    "))
    try:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             timeout=timeout, cwd=root)
    except subprocess.TimeoutExpired:
        pytest.fail(f"Ctrl-C was not acted on within {timeout} s")
    lines = out.stdout.strip().splitlines()
    assert lines, f"no output (rc {out.returncode}): {out.stderr[-2000:]}"
    assert out.returncode == 0 or lines[-1].startswith("KeyboardInterrupt"), (
        f"rc {out.returncode}: {out.stdout[-2000:]} {out.stderr[-2000:]}")
    return lines


def test_ctrl_c_stops_a_long_engine_solve_within_seconds():
    """A fit that runs for minutes raises KeyboardInterrupt soon after SIGINT.

    Before the chunked kernel calls, the signal waited for the end of the solve (this
    one, a wide Lasso at a small alpha whose gap falls about 1e-5 per 3000 epochs, runs
    for more than an hour to max_iter) and then surfaced as a SystemError. (It was a
    logistic fit that proximal Newton took minutes over; since its model is solved to
    tolerance, that fit ends in 0.3 s.)
    """
    setup = """
    from sparsestat.linear_model import Lasso
    rng = np.random.default_rng(0)
    X = rng.standard_normal((500, 2000))
    y = X[:, :10].sum(axis=1) + rng.standard_normal(500)
    Lasso(alpha=1e-3, max_iter=2).fit(X[:50], y[:50])  # compile
    """
    body = "Lasso(alpha=1e-4, tol=1e-12, max_iter=10**7).fit(X, y)"
    line = _interrupted(setup, body, delay=1.0, timeout=120)[-1]
    assert line.startswith("KeyboardInterrupt"), line
    # the kernel returns to Python every ~0.3 s; generous for a loaded 2-core machine
    assert float(line.split()[-1]) < 15.0, line


def test_ctrl_c_raises_keyboard_interrupt_for_every_estimator():
    """SIGINT during repeated fits of each estimator: KeyboardInterrupt, nothing else."""
    setup = """
    from sklearn.base import clone
    from tests._kinds import ESTIMATORS, _data, _make
    """
    body = """
    outcomes = []
    for name, _ in ESTIMATORS:
        est, kind = _make(name)
        X, y = _data(kind)
        est.fit(X) if y is None else est.fit(X, y)
        interrupt_after(0.2)
        t0 = time.perf_counter()
        try:
            while time.perf_counter() - t0 < 30:
                e = clone(est)
                e.fit(X) if y is None else e.fit(X, y)
            outcomes.append(f"{name}:none")
        except KeyboardInterrupt:
            outcomes.append(f"{name}:ok")
        except BaseException as err:
            outcomes.append(f"{name}:{type(err).__name__}")
    print(" ".join(outcomes))
    """
    lines = _interrupted(setup, body, delay=None, timeout=300)
    found = [line for line in lines if line.startswith(f"{ESTIMATORS[0]}:")]
    assert found, f"the script did not finish: {lines}"
    outcomes = dict(item.split(":") for item in found[-1].split())
    assert set(outcomes) == set(ESTIMATORS), lines
    bad = {k: v for k, v in outcomes.items() if v != "ok"}
    assert not bad, f"Ctrl-C did not raise KeyboardInterrupt: {bad}"


def test_interrupt_wrapped_by_numba_is_reraised_as_keyboard_interrupt():
    from sparsestat._engine._interrupt import reraise_interrupt

    def kernel():  # what numba raises when SIGINT lands inside a compiled call
        try:
            try:
                raise KeyboardInterrupt
            except KeyboardInterrupt as ki:
                raise SystemError("_numba_unpickle returned a result with an exception "
                                  "set") from ki
        except SystemError as inner:
            raise SystemError("CPUDispatcher(...) returned a result with an exception "
                              "set") from inner

    with pytest.raises(KeyboardInterrupt):
        reraise_interrupt(kernel)
    with pytest.raises(SystemError):  # other SystemErrors pass through
        reraise_interrupt(lambda: (_ for _ in ()).throw(SystemError("other")))


@pytest.mark.slow
def test_ctrl_c_in_colide_is_a_keyboard_interrupt():
    """CoLiDE's stages run in compiled calls of ~0.3 s: the KeyboardInterrupt comes
    within seconds (it waited for the end of the path, 129 s, as a SystemError before)."""
    setup = """
    from sparsestat.dag import CoLiDE
    X = np.random.default_rng(0).standard_normal((500, 60))
    CoLiDE(max_iter=5, max_iter_last=5).fit(X[:, :5])
    """
    body = "CoLiDE(max_iter=20000, max_iter_last=20000, tol=0).fit(X)"
    line = _interrupted(setup, body, delay=1.0, timeout=300)[-1]
    assert line.startswith("KeyboardInterrupt"), line
    assert float(line.split()[-1]) < 15.0, line


# ---------------------------------------------------------------- magnitudes and weights
@pytest.mark.parametrize("scale", [1e154, 1e300, 1e-300])
@pytest.mark.parametrize("name", ["Lasso", "MCPRegressor", "SCADRegressor", "GroupLasso"])
def test_target_magnitude_equivariance(name, scale):
    """alpha * s on y * s gives s * coef: no silent zero when ||y||^2 overflows."""
    est, kind = _make(name)
    X, y = _data(kind)
    ref = _quiet_fit(clone(est), X, y).coef_
    big = _quiet_fit(clone(est).set_params(alpha=est.alpha * scale), X, y * scale)
    assert np.all(np.isfinite(big.coef_))
    np.testing.assert_allclose(big.coef_ / scale, ref, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name", ["LassoCV", "MCPRegressorCV", "SparseRegressorIC"])
def test_target_magnitude_path_estimators(name):
    """The path estimators pick the same (scaled) alpha on y * 1e300 and y * 1e-300."""
    est, kind = _make(name)
    X, y = _data(kind)
    ref = _quiet_fit(clone(est), X, y)
    for scale in (1e300, 1e-300):
        big = _quiet_fit(clone(est), X, y * scale)
        np.testing.assert_allclose(big.alpha_ / scale, ref.alpha_, rtol=1e-9)
        np.testing.assert_allclose(big.coef_ / scale, ref.coef_, rtol=1e-6, atol=1e-9)


def test_elastic_net_huge_target_is_not_zero():
    """ElasticNet on y * 1e154 is (nearly) ridge, not an all-zero fit."""
    from sparsestat.linear_model import ElasticNet

    X, y = _data("regressor")
    ridge_like = _quiet_fit(ElasticNet(alpha=0.005, l1_ratio=1e-12), X, y).coef_
    coef = _quiet_fit(ElasticNet(alpha=0.01, l1_ratio=0.5), X, y * 1e154).coef_ / 1e154
    np.testing.assert_allclose(coef, ridge_like, rtol=1e-5, atol=1e-8)


def test_quantile_aggregator_huge_target():
    est, kind = _make("QuantileAggregator")
    X, y = _data(kind)
    ref = _outputs(_quiet_fit(clone(est), X, y), X)
    out = _outputs(_quiet_fit(clone(est), X, y * 1e300), X) / 1e300
    np.testing.assert_allclose(out, ref, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("param", [{"clip_x": 1e-300}, {"clip_y": 1e300}, {"clip_x": 1e300}])
def test_ldp_extreme_clip_is_a_value_error(param):
    from sparsestat.privacy import LDPSparseRegressor

    X, y = _data("regressor")
    with pytest.raises(ValueError, match="clip_[xy] must lie in"):
        _quiet_fit(LDPSparseRegressor(epsilon=1e4, random_state=0, **param), X, y)


_RESCALED_WEIGHTS = ["Lasso", "ElasticNet", "LassoCV", "ElasticNetCV", "MCPRegressor",
                     "SCADRegressor", "L0Regressor", "GroupLasso", "MCPRegressorCV",
                     "GeneralizedLinearEstimator", "SparseLogisticRegression",
                     "SparseLogisticRegressionCV", "PRESTOClassifier", "PRESTOClassifierCV",
                     "ProportionalOddsClassifier", "SparseQuantileRegressor"]


@pytest.mark.parametrize("name", _RESCALED_WEIGHTS)
def test_denormal_and_huge_sample_weights(name):
    """Weights are rescaled to sum to n: 1e-310 (denormal) and 1e300 give the unit fit."""
    est, kind = _make(name)
    X, y = _data(kind)
    ref = _outputs(_quiet_fit(clone(est), X, y), X)
    for w in (1e-310, 1e300):
        out = _outputs(_quiet_fit(clone(est), X, y, sample_weight=np.full(len(y), w)), X)
        if out.dtype.kind == "f":
            np.testing.assert_allclose(out, ref, rtol=1e-6, atol=1e-9, err_msg=f"w={w}")
        else:
            assert np.array_equal(out, ref), f"w={w}"


# ---------------------------------------------------------------- sizes told up front
def test_colide_refuses_a_graph_that_cannot_fit_in_memory():
    from sparsestat.dag import CoLiDE

    X = np.random.default_rng(0).standard_normal((3, 200_000))
    with pytest.raises(ValueError, match=r"CoLiDE on 200000 features .* GiB of memory"):
        CoLiDE().fit(X)


@pytest.mark.parametrize("name", ["SDPKMeans", "ILASDP"])
def test_sdp_clustering_sketches_large_data_automatically(name, monkeypatch):
    """Above AUTO_SKETCH_SIZE the SDP is solved on a sketch (said by sketch_size_)."""
    from sparsestat.cluster import _sdp

    monkeypatch.setattr(_sdp, "AUTO_SKETCH_SIZE", 60)
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 0.3, (150, 2)), rng.normal(4, 0.3, (150, 2))])
    truth = np.repeat([0, 1], 150)
    est = _quiet_fit(getattr(_sdp, name)(n_clusters=2, random_state=0), X)
    assert est.sketch_size_ == 60
    agree = np.mean(est.labels_ == truth)
    assert max(agree, 1 - agree) == 1.0
    full = _quiet_fit(getattr(_sdp, name)(n_clusters=2, sketch_size=None, random_state=0),
                      X[:100])
    assert full.sketch_size_ is None


def test_knn_quantile_rejects_more_neighbors_than_samples():
    from sparsestat.quantile import KNeighborsQuantileRegressor

    X, y = _data("regressor")
    with pytest.raises(ValueError, match="n_neighbors <= n_samples_fit"):
        KNeighborsQuantileRegressor(n_neighbors=len(y) + 1).fit(X, y)


@pytest.mark.parametrize("name, params", [("MagnitudePruner", {"begin": 0.9, "end": 0.1}),
                                          ("PDPPruner", {"warmup": 0.9, "ramp_end": 0.1})])
def test_pruning_schedule_must_not_run_backwards(name, params):
    est, kind = _make(name)
    X, y = _data(kind)
    with pytest.raises(ValueError, match="must not exceed"):
        _quiet_fit(est.set_params(**params), X, y)
