"""Package-level promises: cheap import, warmup, demo, numba cache fallback, discovery."""

import io
import subprocess
import sys
import warnings

import pytest

import sparsestat
from sparsestat._engine import _numba
from sparsestat.utils import all_estimators


def test_import_does_not_load_heavy_dependencies():
    code = (
        "import sys, sparsestat\n"
        "from sparsestat._warmup import public_families\n"
        "import importlib\n"
        "for name in public_families(): importlib.import_module('sparsestat.' + name)\n"
        "heavy = [m for m in ('cvxpy', 'matplotlib', 'networkx', 'torch', 'dask', "
        "'distributed') "
        "if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "", f"importing sparsestat's families loaded {out}"


def test_warmup_reports_timings():
    timings = sparsestat.warmup(["linear_model"])
    assert set(timings) == {"linear_model"}
    assert timings["linear_model"] >= 0


def test_demo_prints_a_table_for_linear_models():
    from sparsestat._demo import run_demo

    buffer = io.StringIO()
    rows = run_demo(["linear_model"], file=buffer)
    text = buffer.getvalue()
    assert len(rows) >= 2
    assert "Lasso" in text and "fit (s)" in text
    assert all(0 < row["score"] <= 1 for row in rows)


def test_jit_falls_back_when_cache_is_not_writable(monkeypatch):
    import numba

    real_njit = numba.njit

    def refusing_njit(*args, cache=False, **kwargs):
        if cache:
            raise RuntimeError("cannot cache function 'f': no locator available")
        return real_njit(*args, cache=cache, **kwargs)

    monkeypatch.setattr(numba, "njit", refusing_njit)
    monkeypatch.setattr(_numba, "CACHE_ENABLED", True)
    with pytest.warns(RuntimeWarning, match="NUMBA_CACHE_DIR"):
        @_numba.jit
        def add_one(x):
            return x + 1

    assert add_one(1) == 2
    assert _numba.CACHE_ENABLED is False
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # warned once, not again

        @_numba.jit
        def add_two(x):
            return x + 2

    assert add_two(1) == 3


def test_all_estimators_filters():
    names = [name for name, _ in all_estimators(type_filter="regressor")]
    assert "Lasso" in names
    with pytest.raises(ValueError, match="type_filter"):
        all_estimators(type_filter="nonsense")


def test_command_line_demo_runs():
    out = subprocess.run(
        [sys.executable, "-m", "sparsestat", "demo", "--family", "linear_model"],
        capture_output=True, text=True, check=True).stdout
    assert "sparsestat demo" in out and "ElasticNet" in out


def test_subpackages_load_lazily_on_attribute_access():
    from sparsestat._warmup import public_families

    assert set(sparsestat._SUBPACKAGES) == set(public_families())
    code = (
        "import sys, sparsestat\n"
        "assert 'sparsestat.linear_model' not in sys.modules\n"
        "Lasso = sparsestat.linear_model.Lasso\n"
        "assert 'sparsestat.linear_model' in sys.modules and 'sparsestat.dag' not in sys.modules\n"
        "assert 'dag' in dir(sparsestat)\n"
        "try:\n"
        "    sparsestat.nope\n"
        "except AttributeError as exc:\n"
        "    print(exc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "module 'sparsestat' has no attribute 'nope'"
