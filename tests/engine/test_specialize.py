"""Kernels specialized on their datafit / penalty codes (``jit(specialize=...)``).

A call from Python compiles a copy of the kernel where the named arguments are
constants: numba prunes the other codes' branches before typing, in the kernel and in
every kernel it calls (the constant reaches them as a literal type), so their callees
are never compiled. Toy kernels in a temporary module keep these tests to milliseconds
of compilation.
"""

import importlib.util
import subprocess
import sys
import uuid

import numpy as np
import pytest

from sparsestat._engine import _numba
from sparsestat._engine._numba import jit

KERNELS = """
import numpy as np
from sparsestat._engine import jit

PLUS, TIMES = 0, 1


@jit
def plus_one(x):
    return x + 1.0


@jit
def times_two(x):
    return 2.0 * x


@jit(inline="always")
def apply(code, x):
    if code == PLUS:
        return plus_one(x)
    if code == TIMES:
        return times_two(x)
    return np.nan


@jit
def total(code, values):
    acc = 0.0
    for v in values:
        acc += apply(code, v)
    return acc


@jit(specialize=("code",))
def entry(values, code, scale):
    return scale * total(code, values)


@jit
def generic_caller(values, code):
    return entry(values, code, 1.0)
"""


@pytest.fixture
def kernels(tmp_path, monkeypatch):
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(_numba, "CACHE_ENABLED", True)
    monkeypatch.setattr(_numba, "_announced", set())
    name = f"spec_kernels_{uuid.uuid4().hex[:8]}"
    path = tmp_path / f"{name}.py"
    path.write_text(KERNELS)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


VALUES = np.array([1.0, 2.0, 3.0])


def test_a_call_compiles_only_its_own_code_branch(kernels):
    assert kernels.entry(VALUES, 0, 1.0) == 9.0
    # the TIMES branch was pruned before typing: its callee never compiled
    assert kernels.plus_one.signatures and not kernels.times_two.signatures
    # callees were specialized through literal argument types
    assert all("Literal[int](0)" in str(sig) for sig in kernels.total.signatures)
    assert kernels.entry(VALUES, np.int64(1), 2.0) == 24.0
    assert kernels.times_two.signatures
    assert np.isnan(kernels.entry(VALUES, 7, 1.0))  # no branch: the fallback value
    assert set(kernels.entry._copies) == {0, 1, 7}


def test_specialized_and_generic_paths_agree(kernels):
    # calls from compiled code and keyword calls take the generic kernel (every branch)
    for code in (0, 1, 5):
        expected = kernels.entry(VALUES, code, 1.0)
        np.testing.assert_equal(kernels.generic_caller(VALUES, code), expected)
        np.testing.assert_equal(kernels.entry(values=VALUES, code=code, scale=1.0), expected)
    assert len(kernels.generic_caller.signatures) == 1  # one int64 signature for every code


def test_each_specialized_copy_has_its_own_cache_entry(kernels):
    assert kernels.entry(VALUES, 0, 1.0) == 9.0
    assert kernels.entry(VALUES, 1, 1.0) == 12.0
    # a new dispatcher of the same function knows only the disk: both copies load
    # their own code (a shared entry would hand code 1 the code-0 copy)
    fresh = jit(kernels.entry.py_func, specialize=("code",))
    assert fresh(VALUES, 1, 1.0) == 12.0
    assert fresh(VALUES, 0, 1.0) == 9.0
    for copy in fresh._copies.values():
        assert copy.stats.cache_hits and not copy.stats.cache_misses


def test_values_that_are_not_integers_take_the_generic_kernel(kernels):
    assert np.isnan(kernels.entry(VALUES, 1.5, 1.0))  # typed float64: no branch matches
    assert not kernels.entry._copies


def test_specialize_names_must_be_arguments():
    with pytest.raises(TypeError, match="no argument"):
        jit(lambda values, code: values, specialize=("pen",), cache=False)


@pytest.mark.slow
def test_a_lasso_fit_compiles_no_other_penalty_or_datafit(tmp_path):
    # fresh process and cache: a cached solver would not compile its callees at all
    code = (
        "import numpy as np\n"
        "from sparsestat.linear_model import Lasso\n"
        "from sparsestat._engine import _penalty_kernels as pk, _datafit_kernels as dk\n"
        "rng = np.random.default_rng(0)\n"
        "X = rng.standard_normal((30, 60)); y = X[:, 0]\n"
        "Lasso(alpha=0.01).fit(X, y)\n"
        "others = [pk._mcp_prox, pk._scad_prox, pk._l0_prox, pk._lq_prox,\n"
        "          pk._log_sum_prox, pk._mcp_value, pk._scad_value]\n"
        "print(sum(len(f.signatures) for f in others))\n"
    )
    env = {"NUMBA_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin",
           "SPARSESTAT_QUIET_COMPILE": "1"}
    import os

    env["PYTHONPATH"] = os.pathsep.join(sys.path)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "0"
