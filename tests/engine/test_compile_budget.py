"""What each kernel costs to compile (issue 16, the compile budget).

* Kernels get no C-callable (``cfunc``) wrapper: nothing in sparsestat takes a kernel's
  address, and the wrapper was lowered, optimized and emitted for every signature.
* ``jit(cold=True)``: a driver whose own loops are not where the time goes (the path
  kernels) skips LLVM's O3 module pipeline, which re-optimized the whole call tree that
  numba links into every caller's module.
* ``copy_into`` / ``copy_into_2d`` replace array-to-array slice assignments in kernels:
  those compile numba's shape-mismatch error message (``str``, ``repr``, string
  concatenation...), 1-3 s of a family's warm-up.

Toy kernels in a temporary module keep these tests to a few seconds of compilation.
"""

import importlib.util
import os
import re
import subprocess
import sys
import uuid

import numpy as np
import pytest

from sparsestat._engine import _numba
from sparsestat._engine._colops import copy_into, copy_into_2d
from sparsestat._engine._numba import jit

KERNELS = """
from sparsestat._engine import jit


@jit
def scale_hot(a, out):
    for i in range(a.shape[0]):
        out[i] = 2.0 * a[i] + 1.0


@jit(cold=True)
def scale_cold(a, out):
    for i in range(a.shape[0]):
        out[i] = 2.0 * a[i] + 1.0


@jit(cold=True)
def drive(a, out, times):
    # a cold driver calling a hot kernel: the callee keeps its optimized code
    for _ in range(times):
        scale_hot(a, out)
    return out.sum()
"""


@pytest.fixture
def kernels(tmp_path, monkeypatch):
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(_numba, "CACHE_ENABLED", True)
    monkeypatch.setattr(_numba, "_announced", set())
    name = f"budget_kernels_{uuid.uuid4().hex[:8]}"
    path = tmp_path / f"{name}.py"
    path.write_text(KERNELS)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _llvm(dispatcher):
    return dispatcher.overloads[dispatcher.signatures[0]].library.get_llvm_str()


def _vector_ops(ir, function):
    # the body of the kernel's own LLVM function (not its wrappers)
    body = re.search(r"define [^\n]*@\S*" + function + r"\S*\([^\n]*\{\n(.*?)\n\}", ir, re.S)
    assert body is not None, function
    return re.findall(r"<\d+ x double>", body.group(1))


def test_kernels_have_no_cfunc_wrapper(kernels):
    a = np.arange(64.0)
    out = np.empty(64)
    kernels.scale_hot(a, out)
    assert "cfunc." not in _llvm(kernels.scale_hot)
    # the same function through plain numba has one: what the option removes
    import numba

    plain = numba.njit(kernels.scale_hot.py_func)
    plain(a, out)
    assert "cfunc." in _llvm(plain)


def test_cold_kernel_skips_the_o3_module_pipeline(kernels):
    a = np.arange(64.0)
    hot, cold = np.empty(64), np.empty(64)
    kernels.scale_hot(a, hot)
    kernels.scale_cold(a, cold)
    np.testing.assert_array_equal(hot, 2.0 * a + 1.0)
    np.testing.assert_array_equal(cold, hot)
    lib = kernels.scale_cold.overloads[kernels.scale_cold.signatures[0]].library
    assert isinstance(lib, _numba._ColdLibrary)
    # O3 vectorizes the hot loop; the cold kernel's own loop stays scalar
    assert _vector_ops(_llvm(kernels.scale_hot), "scale_hot")
    assert not _vector_ops(_llvm(kernels.scale_cold), "scale_cold")


def test_cold_driver_runs_its_callee_optimized_and_caches(kernels):
    a = np.arange(64.0)
    out = np.empty(64)
    assert kernels.drive(a, out, 3) == (2.0 * a + 1.0).sum()
    ir = _llvm(kernels.drive)
    # the linked copy of the hot callee is its own O3 code, vectorized
    assert _vector_ops(ir, "scale_hot")
    # a new dispatcher loads the cold kernel from the disk cache
    fresh = jit(kernels.drive.py_func, cold=True)
    assert fresh(a, out, 2) == (2.0 * a + 1.0).sum()
    assert fresh.stats.cache_hits and not fresh.stats.cache_misses


@pytest.mark.parametrize("dtype", [np.float64, np.int64])
def test_copy_into_is_a_slice_assignment(dtype):
    rng = np.random.default_rng(0)
    src = rng.integers(-5, 5, size=7).astype(dtype)
    dst = np.zeros(7, dtype=dtype)
    copy_into(dst, src)
    np.testing.assert_array_equal(dst, src)
    src2 = rng.integers(-5, 5, size=(3, 4)).astype(dtype)
    for order in ("C", "F"):
        dst2 = np.zeros((3, 4), dtype=dtype, order=order)
        copy_into_2d(dst2, src2)
        np.testing.assert_array_equal(dst2, src2)
    # views: a row of a matrix and a slice of a vector
    big = np.zeros((2, 7), dtype=dtype)
    copy_into(big[1], src)
    np.testing.assert_array_equal(big[1], src)
    copy_into(big[0, 2:5], src[:3])
    np.testing.assert_array_equal(big[0], [0, 0, *src[:3], 0, 0])


_PROBE = """
import numpy as np
from numba.core import event
from sparsestat._engine import jit
from sparsestat._engine._colops import copy_into

compiled = []

class Names(event.Listener):
    def on_start(self, ev):
        compiled.append(ev.data["dispatcher"].py_func.__qualname__)
    def on_end(self, ev):
        pass

@jit(cache=False)
def with_loop(dst, src):
    copy_into(dst, src)

@jit(cache=False)
def with_slice(dst, src):
    dst[:] = src

a, b = np.ones(3), np.zeros(3)
with event.install_listener("numba:compile", Names()):
    with_loop(b, a)
print("LOOP", " ".join(compiled))
compiled.clear()
with event.install_listener("numba:compile", Names()):
    with_slice(b, a)
print("SLICE", " ".join(compiled))
"""


def test_copy_into_compiles_no_error_message_machinery(tmp_path):
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path), SPARSESTAT_QUIET_COMPILE="1")
    done = subprocess.run([sys.executable, "-c", _PROBE], env=env, capture_output=True,
                          text=True, check=True)
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines()
                 if line.startswith(("LOOP", "SLICE")))
    assert "raise_with_shape_context" not in lines["LOOP"]
    assert "copy_into" in lines["LOOP"]
    # the control: numba's slice assignment does compile it (and the text formatting)
    assert "raise_with_shape_context" in lines["SLICE"]
