"""The on-disk kernel cache (``sparsestat._engine._numba``): never stale, heals itself.

Most tests use two tiny kernels written to a temporary module (milliseconds to compile)
and a private ``NUMBA_CACHE_DIR``; a new dispatcher over the same Python function
(``jit(f.py_func)``) reads the disk cache as a fresh process would. The staleness tests
run fresh processes on a copy of the package.
"""

import importlib.util
import logging
import os
import shutil
import subprocess
import sys
import uuid
import warnings
from pathlib import Path

import pytest

import sparsestat
from sparsestat._engine import _numba
from sparsestat._engine._numba import KernelCacheWarning, jit

PACKAGE_DIR = Path(sparsestat.__file__).resolve().parent

KERNELS = """
from sparsestat._engine import jit


@jit
def two(a, b):
    return a + 2 * b


@jit
def five(a, b, c, d, e):
    return a + b + c + d + 10 * e
"""


@pytest.fixture
def kernels(tmp_path, monkeypatch):
    """A module of two small kernels, cached under a private NUMBA_CACHE_DIR."""
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(_numba, "CACHE_ENABLED", True)
    monkeypatch.setattr(_numba, "_announced", set())
    name = f"kernels_{uuid.uuid4().hex[:8]}"
    path = tmp_path / f"{name}.py"
    path.write_text(KERNELS)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fresh(dispatcher):
    """A new dispatcher of the same function: it knows only what is on disk."""
    return jit(dispatcher.py_func)


def _files(dispatcher, suffix):
    folder = Path(dispatcher.stats.cache_path)
    stem = f"{dispatcher.py_func.__module__}.{dispatcher.py_func.__qualname__}-"
    return sorted(p for p in folder.iterdir() if p.name.startswith(stem)
                  and p.name.endswith(suffix))


def _call_two(dispatcher):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert dispatcher(1.0, 2.0) == 5.0
    return [w for w in caught if issubclass(w.category, KernelCacheWarning)]


def test_cache_lives_outside_the_package_under_numba_cache_dir(kernels, tmp_path):
    assert kernels.two(1.0, 2.0) == 5.0
    folder = Path(kernels.two.stats.cache_path)
    assert folder.is_relative_to(tmp_path / "cache" / "sparsestat")
    # the directory is keyed on sparsestat's version and the engine's sources
    assert folder.parent.name.startswith(f"{sparsestat.__version__}-")
    assert folder.parent == Path(_numba.cache_dir())
    fresh = _fresh(kernels.two)
    assert _call_two(fresh) == []
    assert sum(fresh.stats.cache_hits.values()) == 1


def test_no_file_system_access_at_decoration(kernels, tmp_path):
    # decorating (what `import sparsestat.linear_model` does for every kernel) neither
    # creates the cache folder nor hashes sources: both wait for the first call
    assert not (tmp_path / "cache").exists()
    kernels.two(1.0, 2.0)
    assert (tmp_path / "cache").exists()


def _damage_truncate(two, five):
    (nbc,) = _files(two, ".nbc")
    nbc.write_bytes(nbc.read_bytes()[: nbc.stat().st_size // 2])
    return nbc


def _damage_garbage_index(two, five):
    (nbi,) = _files(two, ".nbi")
    nbi.write_bytes(os.urandom(300))
    return nbi


def _damage_empty_index(two, five):
    (nbi,) = _files(two, ".nbi")
    nbi.write_bytes(b"")
    return nbi


def _damage_swap(two, five):
    # another kernel's compiled code under this kernel's name: numba alone would load it
    # and fail at every call ("two() expected 2 arguments, got 5"), forever
    five(1.0, 2.0, 3.0, 4.0, 5.0)
    (nbc,) = _files(two, ".nbc")
    (other,) = _files(five, ".nbc")
    shutil.copyfile(other, nbc)
    return nbc


@pytest.mark.parametrize("damage", [_damage_truncate, _damage_garbage_index,
                                    _damage_empty_index, _damage_swap],
                         ids=["truncated-nbc", "garbage-nbi", "empty-nbi", "swapped-nbc"])
def test_damaged_cache_heals_with_one_warning(kernels, damage):
    assert kernels.two(1.0, 2.0) == 5.0
    path = damage(kernels.two, kernels.five)
    caught = _call_two(_fresh(kernels.two))
    assert len(caught) == 1, [str(w.message) for w in caught]
    message = str(caught[0].message)
    assert str(path) in message and "NUMBA_CACHE_DIR" in message
    # the entry was rewritten: the next process loads it, silently
    healed = _fresh(kernels.two)
    assert _call_two(healed) == []
    assert sum(healed.stats.cache_hits.values()) == 1


def test_unwritable_cache_compiles_in_memory_with_one_warning(kernels, tmp_path,
                                                              monkeypatch):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("")
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(blocker / "cache"))
    with pytest.warns(RuntimeWarning, match="NUMBA_CACHE_DIR") as record:
        assert kernels.two(1.0, 2.0) == 5.0
        assert kernels.five(1.0, 1.0, 1.0, 1.0, 1.0) == 14.0
    assert len([w for w in record if "NUMBA_CACHE_DIR" in str(w.message)]) == 1
    assert _numba.CACHE_ENABLED is False


def test_first_compile_is_logged_once(kernels, caplog):
    with caplog.at_level(logging.INFO, logger="sparsestat"):
        kernels.two(1.0, 2.0)
        kernels.five(1.0, 1.0, 1.0, 1.0, 1.0)
        _fresh(kernels.two)(1.0, 2.0)  # loaded: nothing to say
    lines = [r.getMessage() for r in caplog.records if r.name == "sparsestat"]
    assert len(lines) == 1, lines
    assert lines[0].startswith("compiling sparsestat's") and "cached afterwards" in lines[0]


def test_first_compile_line_names_the_calling_family(kernels, caplog):
    # a kernel first called from inside sparsestat.linear_model is announced as such
    namespace = {"__name__": "sparsestat.linear_model._probe", "kernel": kernels.two}
    exec("def fit():\n    return kernel(1.0, 2.0)\n", namespace)
    with caplog.at_level(logging.INFO, logger="sparsestat"):
        assert namespace["fit"]() == 5.0
    (line,) = [r.getMessage() for r in caplog.records if r.name == "sparsestat"]
    assert line.startswith("compiling sparsestat's linear_model kernels once, about ")
    assert str(_numba.cache_dir()) in line


def test_quiet_compile_silences_the_log_line(kernels, caplog):
    with caplog.at_level(logging.INFO, logger="sparsestat"), _numba.quiet_compile():
        kernels.two(1.0, 2.0)
    assert not [r for r in caplog.records if r.name == "sparsestat"]


# --- staleness: fresh processes on a copy of the package ---------------------------

PROBE_KERNEL = """
from ._numba import jit
from ._penalty_kernels import soft_threshold


@jit
def shrink(v, t):
    # soft_threshold is inlined from another file: the case numba's own cache misses
    return soft_threshold(v, t)
"""


def _copy_package(root):
    dest = root / "pkg" / "sparsestat"
    shutil.copytree(PACKAGE_DIR, dest, ignore=shutil.ignore_patterns(
        "__pycache__", "*.nbi", "*.nbc", "*.pyc"))
    return dest


def _run(root, code, args=()):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "XDG_CACHE_HOME")}
    env.update(PYTHONPATH=str(root / "pkg"), NUMBA_CACHE_DIR=str(root / "cache"),
               PYTHONDONTWRITEBYTECODE="1", OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    command = [sys.executable, "-c", code] if code else [sys.executable, *args]
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()


def _edit_soft_threshold(package):
    kernels = package / "_engine" / "_penalty_kernels.py"
    source = kernels.read_text()
    assert source.count("return v - threshold\n") == 1
    kernels.write_text(source.replace("return v - threshold\n",
                                      "return v - threshold - 0.5\n"))


def test_editing_an_inlined_kernel_gives_fresh_kernels_and_cache_cli(tmp_path):
    package = _copy_package(tmp_path)
    (package / "_engine" / "_probe_kernel.py").write_text(PROBE_KERNEL)
    probe = ("from sparsestat._engine._probe_kernel import shrink; "
             "print(shrink(3.0, 1.0), sum(shrink.stats.cache_hits.values()))")
    assert _run(tmp_path, probe) == ["2.0 0"]  # compiled and cached
    assert _run(tmp_path, probe) == ["2.0 1"]  # loaded from the cache
    _edit_soft_threshold(package)
    assert _run(tmp_path, probe) == ["1.5 0"]  # the edit is seen: a new cache directory
    assert _run(tmp_path, probe) == ["1.5 1"]
    versions = sorted(p.name for p in (tmp_path / "cache" / "sparsestat").iterdir())
    assert len(versions) == 2
    info = _run(tmp_path, None, ["-m", "sparsestat", "cache", "--info"])
    assert sum("kernels" in line for line in info) == 2
    assert sum("<- current" in line for line in info) == 1
    _run(tmp_path, None, ["-m", "sparsestat", "cache", "--clear"])
    left = list((tmp_path / "cache" / "sparsestat").iterdir())
    assert len(left) == 1 and left[0].name in versions
    assert _run(tmp_path, probe) == ["1.5 1"]  # the current version was kept
    _run(tmp_path, None, ["-m", "sparsestat", "cache", "--clear", "--all"])
    assert list((tmp_path / "cache" / "sparsestat").iterdir()) == []


@pytest.mark.slow
def test_editing_the_prox_changes_a_cached_lasso_fit(tmp_path):
    package = _copy_package(tmp_path)
    fit = ("import numpy as np; from sparsestat.linear_model import Lasso; "
           "rng = np.random.default_rng(0); X = rng.standard_normal((50, 5)); "
           "y = X @ np.array([3.0, 0, -2.0, 0, 1.0]); "
           "print(float(Lasso(alpha=0.1, tol=1e-12).fit(X, y).coef_[0]))")
    before = float(_run(tmp_path, fit)[-1])
    assert float(_run(tmp_path, fit)[-1]) == before  # from the cache
    _edit_soft_threshold(package)
    after = float(_run(tmp_path, fit)[-1])
    # the prox now shrinks by 0.5 more: a different (biased) fixed point, not the old one
    assert abs(after - before) > 1e-3, (before, after)


@pytest.mark.slow
def test_parallel_warmup_fills_the_cache(tmp_path):
    package = _copy_package(tmp_path)
    lines = _run(tmp_path, None, ["-m", "sparsestat", "warmup", "--jobs", "2",
                                  "--family", "cluster", "--family", "privacy"])
    assert any(line.startswith("[1/2]") for line in lines), lines
    assert any(line.startswith("[2/2]") for line in lines), lines
    # a fresh process runs the same kernels without compiling (no first-compile line)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "XDG_CACHE_HOME")}
    env.update(PYTHONPATH=str(package.parent), NUMBA_CACHE_DIR=str(tmp_path / "cache"))
    code = ("import sparsestat.cluster as c, sparsestat.privacy as p; "
            "c._warmup(); p._warmup()")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "compiling sparsestat's" not in done.stderr, done.stderr[-3000:]
