"""Bounded specialization (``jit(specialize={...})``) and the one-signature design layout.

A call from Python with the bound code values runs a copy of the kernel where those
arguments are constants: numba prunes the other codes' branches before typing, in the
kernel and in every kernel it calls (the constant reaches them as a literal type), so
their callees are never compiled. Every other call runs the generic kernel: one copy at
most, so a process that fits many (datafit, penalty) pairs compiles two solver trees, not
one per pair. Toy kernels in a temporary module keep these tests to milliseconds of
compilation.
"""

import importlib.util
import os
import subprocess
import sys
import uuid

import numpy as np
import pytest
import scipy.sparse as sp

from sparsestat._engine import _numba
from sparsestat._engine._colops import design_entries, split_design
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


@jit(specialize={"code": PLUS})
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


def test_the_bound_code_compiles_only_its_own_branch(kernels):
    assert kernels.entry(VALUES, np.int64(0), 1.0) == 9.0
    # the TIMES branch was pruned before typing: its callee never compiled
    assert kernels.plus_one.signatures and not kernels.times_two.signatures
    # callees were specialized through literal argument types
    assert all("Literal[int](0)" in str(sig) for sig in kernels.total.signatures)
    assert not kernels.entry.signatures  # the generic kernel was not compiled


def test_other_codes_share_the_generic_kernel(kernels):
    assert kernels.entry(VALUES, 1, 2.0) == 24.0
    assert np.isnan(kernels.entry(VALUES, 7, 1.0))  # no branch: the fallback value
    # one generic signature serves every other code; no copy was made for them
    assert len(kernels.entry.signatures) == 1 and kernels.entry._copy is None
    assert kernels.times_two.signatures and kernels.plus_one.signatures


def test_specialized_and_generic_paths_agree(kernels):
    # calls from compiled code and keyword calls take the generic kernel (every branch)
    for code in (0, 1, 5):
        expected = kernels.entry(VALUES, code, 1.0)
        np.testing.assert_equal(kernels.generic_caller(VALUES, code), expected)
        np.testing.assert_equal(kernels.entry(values=VALUES, code=code, scale=1.0), expected)
    assert len(kernels.generic_caller.signatures) == 1  # one int64 signature for every code


def test_the_copy_has_its_own_cache_entry(kernels):
    assert kernels.entry(VALUES, 0, 1.0) == 9.0
    assert kernels.entry(VALUES, 1, 1.0) == 12.0
    # a new dispatcher of the same function knows only the disk: the copy and the
    # generic kernel each load their own code (a shared entry would hand code 1 the
    # code-0 copy, whose other branches are gone)
    fresh = jit(kernels.entry.py_func, specialize={"code": 0})
    assert fresh(VALUES, 1, 1.0) == 12.0
    assert fresh(VALUES, 0, 1.0) == 9.0
    assert fresh.stats.cache_hits and not fresh.stats.cache_misses
    assert fresh._copy.stats.cache_hits and not fresh._copy.stats.cache_misses


def test_values_that_are_not_integers_take_the_generic_kernel(kernels):
    assert np.isnan(kernels.entry(VALUES, 1.5, 1.0))  # typed float64: no branch matches
    assert kernels.entry._copy is None
    assert kernels.entry(VALUES, 0.0, 1.0) == 9.0  # equal to the bound 0: the copy's answer


def test_specialize_names_must_be_arguments():
    with pytest.raises(TypeError, match="no argument"):
        jit(lambda values, code: values, specialize={"pen": 0}, cache=False)


def test_dense_and_sparse_designs_share_one_solver_signature():
    # the sparse layout's placeholder X is typed F like a dense X: a dense and a sparse
    # fit of a generic solver compile it once (an empty placeholder typed C compiled
    # every solver twice)
    from sparsestat._engine._cd import cd_solve
    from sparsestat.linear_model import MCPRegressor

    # (only the signatures these fits add: other tests of the same process may have
    # compiled others, e.g. for a one-column X, which numba types C as well as F)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((20, 5))
    y = X[:, 0] + 0.1 * rng.standard_normal(20)
    before = {str(sig) for sig in cd_solve.signatures}
    dense = MCPRegressor(alpha=0.05).fit(X, y)
    sparse = MCPRegressor(alpha=0.05).fit(sp.csc_matrix(X), y)
    np.testing.assert_allclose(sparse.coef_, dense.coef_, rtol=1e-6, atol=1e-8)
    added = [str(sig[0]) for sig in cd_solve.signatures if str(sig) not in before]
    assert all(first == "array(float64, 2d, F)" for first in added)
    assert "array(float64, 2d, F)" in {str(sig[0]) for sig in cd_solve.signatures}


def test_split_design_layouts():
    X = np.arange(6.0).reshape(3, 2)
    dense = split_design(X)
    assert dense[3].shape == (1,) and dense[0].flags.f_contiguous
    assert design_entries(dense) == 6
    sparse = split_design(sp.csc_matrix(X))
    assert sparse[3].shape == (3,) and sparse[0].flags.f_contiguous
    assert not sparse[0].flags.c_contiguous  # numba types it F, as a dense X
    assert design_entries(sparse) == 5  # the stored nonzeros, not the placeholder's 4
    # a sparse design without columns: its indptr [0] would read as dense, so it is dense
    empty = split_design(sp.csc_matrix((3, 0)))
    assert empty[0].shape == (3, 0) and empty[3].shape == (1,)
    assert design_entries(empty) == 0


@pytest.mark.slow
def test_a_lasso_fit_compiles_no_other_penalty_or_datafit(tmp_path):
    # fresh process and cache: a cached solver would not compile its callees at all
    code = (
        "import numpy as np\n"
        "from sparsestat.linear_model import Lasso\n"
        "from sparsestat._engine import _penalty_kernels as pk, _cox, _slope\n"
        "rng = np.random.default_rng(0)\n"
        "X = rng.standard_normal((30, 60)); y = X[:, 0]\n"
        "Lasso(alpha=0.01).fit(X, y)\n"
        "Lasso(alpha=0.01).fit(X[:, :5], y)\n"  # the Gram solver
        "others = [pk._mcp_prox, pk._scad_prox, pk._l0_prox, pk._lq_prox,\n"
        "          pk._log_sum_prox, pk._mcp_value, pk._scad_value, _cox.cox_value,\n"
        "          _cox.cox_derivatives, _slope.slope_prox]\n"
        "print(sum(len(f.signatures) for f in others))\n"
    )
    env = {"NUMBA_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin",
           "SPARSESTAT_QUIET_COMPILE": "1", "PYTHONPATH": os.pathsep.join(sys.path)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "0"
