"""Install-time robustness, each in a fresh subprocess.

* ``import sparsestat`` and a Lasso fit work where numba cannot write any cache: a copy
  of the package (without ``__pycache__``) on a read-only bind mount with the home folder
  inside it (Linux, ``unshare -rm``), or, where mount namespaces are not allowed,
  ``NUMBA_CACHE_DIR`` and ``HOME`` pointing at paths that cannot be created (under
  ``/proc``). On the read-only mount ``sparsestat._engine.jit`` must fall back to an
  in-memory compile with one ``RuntimeWarning`` naming ``NUMBA_CACHE_DIR`` (without the
  mount, root can still cache next to the copied sources, which is fine too).
* The engine solvers and the Lasso parity tests run with ``NUMBA_DISABLE_JIT=1``, so the
  Python bodies of the compiled kernels are executed (and measurable by coverage).
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import sparsestat

PACKAGE_DIR = Path(sparsestat.__file__).resolve().parent
REPO = PACKAGE_DIR.parent

PROBE = r"""
import json, sys, warnings
warnings.simplefilter("always")
with warnings.catch_warnings(record=True) as caught:
    import numpy as np
    import sparsestat
    from sparsestat.linear_model import Lasso
    from sklearn.linear_model import Lasso as SkLasso
    rng = np.random.default_rng(0)
    X = rng.standard_normal((40, 5))
    y = X @ np.array([1.5, 0.0, -2.0, 0.0, 0.5]) + 0.1 * rng.standard_normal(40)
    ours = Lasso(alpha=0.05, tol=1e-10).fit(X, y)
    ref = SkLasso(alpha=0.05, tol=1e-10).fit(X, y)
from sparsestat._engine import _numba
print(json.dumps({
    "file": sparsestat.__file__,
    "coef": ours.coef_.tolist(), "ref": ref.coef_.tolist(),
    "cache_enabled": _numba.CACHE_ENABLED,
    "cache_warnings": [str(w.message) for w in caught if "NUMBA_CACHE_DIR" in str(w.message)],
}))
"""


def _package_copy(root):
    """Copy sparsestat (sources only, no compiled cache) under ``root/pkg``."""
    dest = root / "pkg" / "sparsestat"
    shutil.copytree(PACKAGE_DIR, dest, ignore=shutil.ignore_patterns("__pycache__", "*.nbi",
                                                                     "*.nbc", "*.pyc"))
    (root / "home").mkdir()
    (root / "probe.py").write_text(PROBE)
    return root / "pkg"


def _clean_env(**extra):
    env = {k: v for k, v in os.environ.items()
           if k not in ("NUMBA_CACHE_DIR", "XDG_CACHE_HOME", "PYTHONPATH", "NUMBA_DISABLE_JIT")}
    env.update(PYTHONDONTWRITEBYTECODE="1", OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    env.update(extra)
    return env


def _check_probe(out, pkg, expect_fallback=True):
    import numpy as np

    result = json.loads(out.strip().splitlines()[-1])
    assert result["file"].startswith(str(pkg)), f"imported {result['file']}, not the copy"
    np.testing.assert_allclose(result["coef"], result["ref"], rtol=1e-6, atol=1e-8)
    if expect_fallback:
        assert result["cache_enabled"] is False, "numba claimed a cache it cannot have"
        assert len(result["cache_warnings"]) == 1, result["cache_warnings"]
    else:  # numba may still cache next to the (writable, as root) copy's sources
        assert result["cache_enabled"] or len(result["cache_warnings"]) == 1


def _can_mount_read_only(tmp):
    if sys.platform != "linux" or shutil.which("unshare") is None:
        return False
    probe = tmp / "mount_probe"
    probe.mkdir()
    cmd = (f"mount --bind {probe} {probe} && mount -o remount,bind,ro {probe} && "
           f"! touch {probe}/x 2>/dev/null")
    done = subprocess.run(["unshare", "-rm", "sh", "-c", cmd], capture_output=True)
    return done.returncode == 0


def _run_uncreatable_cache_dir(tmp_path):
    pkg = _package_copy(tmp_path)
    env = _clean_env(PYTHONPATH=str(pkg), HOME="/proc/sparsestat-home",
                     NUMBA_CACHE_DIR="/proc/sparsestat-numba-cache")
    done = subprocess.run([sys.executable, str(tmp_path / "probe.py")], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    _check_probe(done.stdout, pkg, expect_fallback=False)


def test_import_and_fit_from_read_only_install(tmp_path):
    if not _can_mount_read_only(tmp_path):
        # no mount namespace here: the closest we can get is an uncreatable cache path
        _run_uncreatable_cache_dir(tmp_path)
        return
    pkg = _package_copy(tmp_path)
    root = str(tmp_path)
    script = (f"mount --bind {root} {root} && mount -o remount,bind,ro {root} && "
              f"cd {root} && ! touch {root}/writable 2>/dev/null && "
              f"exec {sys.executable} {root}/probe.py")
    env = _clean_env(PYTHONPATH=str(pkg), HOME=str(tmp_path / "home"))
    done = subprocess.run(["unshare", "-rm", "sh", "-c", script], env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    _check_probe(done.stdout, pkg)


@pytest.mark.slow
def test_import_and_fit_with_uncreatable_numba_cache_dir(tmp_path):
    _run_uncreatable_cache_dir(tmp_path)


# the engine's solvers and the Lasso's parity with scikit-learn, interpreted
_NO_JIT_SUBSET = [
    "tests/engine/test_solvers.py",
    "tests/linear_model/test_coordinate_descent.py",
    "-k", "quadratic_solvers_agree or gram_form_matches or box_bounds or "
          "matches_scikit_learn_float64 or lasso_path_matches",
]


def test_engine_and_lasso_parity_without_jit():
    env = _clean_env(NUMBA_DISABLE_JIT="1", PYTHONPATH=str(REPO))
    code = ("import numba, sys; from numba.core import config; "
            "assert config.DISABLE_JIT; import pytest; "
            "sys.exit(pytest.main(['-q', '-p', 'no:cacheprovider', *sys.argv[1:]]))")
    done = subprocess.run([sys.executable, "-c", code, *_NO_JIT_SUBSET], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=900)
    tail = done.stdout[-3000:] + done.stderr[-2000:]
    assert done.returncode == 0, tail
    summary = [line for line in done.stdout.splitlines() if " passed" in line]
    assert summary and "failed" not in summary[-1], tail
    n_passed = int(summary[-1].split(" passed")[0].split()[-1])
    assert n_passed >= 10, tail
