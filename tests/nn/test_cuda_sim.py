"""numba.cuda kernels under the simulator, in a fresh process (the flag is read at import)."""

import os
import subprocess
import sys

import numpy as np
import pytest

from sparsestat.nn import SparseMLPClassifier, cuda_selftest
from sparsestat.nn._device import cuda_status, resolve_device

SCRIPT = r"""
import numpy as np
import pytest
import numba
assert numba.config.ENABLE_CUDASIM
from sparsestat.nn import cuda_selftest, SparseMLPClassifier, NMPruner
from sparsestat.nn._device import resolve_device
assert resolve_device("auto") == "cpu"      # the simulator is not a GPU
assert resolve_device("cuda") == "cuda"
assert cuda_selftest(verbose=True)
rng = np.random.default_rng(0)
X = rng.standard_normal((12, 4)); y = (X[:, 0] > 0).astype(int)
from sparsestat.nn import MagnitudePruner
configs = [dict(pruner=NMPruner(2, 4, method="linear-decay")),
           dict(pruner=MagnitudePruner(0.5, schedule="oneshot", begin=0.0), solver="sgd",
                learning_rate_init=0.1)]
for config in configs:
    fits = []
    for device in ("cpu", "cuda"):
        clf = SparseMLPClassifier((4,), max_iter=2, batch_size=6, random_state=0,
                                  device=device, **config)
        fits.append(clf.fit(X, y, sample_weight=np.linspace(0.5, 1.5, 12)))
    assert fits[1].device_ == "cuda"
    for a, b in zip(fits[0].coefs_ + fits[0].intercepts_, fits[1].coefs_ + fits[1].intercepts_):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(fits[0].loss_curve_, fits[1].loss_curve_, rtol=1e-10)
import warnings
from sparsestat.nn import PDPPruner
with warnings.catch_warnings(record=True) as rec:
    warnings.simplefilter("always")
    clf = SparseMLPClassifier((4,), max_iter=1, pruner=PDPPruner(0.5), device="cuda").fit(X, y)
assert clf.device_ == "cpu" and any("no CUDA training hook" in str(w.message) for w in rec)
print("SIM-OK")
"""


def test_simulated_cuda_kernels_equal_cpu():
    env = dict(os.environ, NUMBA_ENABLE_CUDASIM="1", OMP_NUM_THREADS="1",
               OPENBLAS_NUM_THREADS="1")
    proc = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "SIM-OK" in proc.stdout
    assert proc.stdout.count(": ok (simulator)") == 6


def test_auto_device_runs_on_cpu_without_gpu():
    available, simulated = cuda_status()
    if available and not simulated:  # pragma: no cover - only on a GPU machine
        assert resolve_device("auto") == "cuda"
        return
    assert resolve_device("auto") == "cpu"
    assert cuda_selftest() is False
    X = np.random.default_rng(0).standard_normal((20, 3))
    clf = SparseMLPClassifier((3,), max_iter=2, device="auto").fit(X, X[:, 0] > 0)
    assert clf.device_ == "cpu"


@pytest.mark.gpu
def test_real_gpu_matches_cpu():  # pragma: no cover - needs a CUDA device
    available, simulated = cuda_status()
    if not available or simulated:
        pytest.skip("no CUDA GPU")
    assert cuda_selftest()
    X = np.random.default_rng(0).standard_normal((200, 16))
    y = (X[:, 0] > 0).astype(int)
    fits = [SparseMLPClassifier((32,), max_iter=5, random_state=0, device=d).fit(X, y)
            for d in ("cpu", "auto")]
    assert fits[1].device_ == "cuda"
    np.testing.assert_allclose(fits[0].coefs_[0], fits[1].coefs_[0], rtol=1e-8, atol=1e-10)
