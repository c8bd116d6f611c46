"""``cuda_selftest``: every numba.cuda kernel against the CPU kernels on small inputs."""

import numpy as np

from ._device import cuda_status

__all__ = ["cuda_selftest"]


def cuda_selftest(verbose=False, rtol=1e-10):
    """Run each CUDA kernel on small inputs and compare with the CPU path.

    Works on a real GPU and under numba's simulator (``NUMBA_ENABLE_CUDASIM=1``, set
    before numba is imported). Launches stay under about 2000 threads.

    Parameters
    ----------
    verbose : bool, default=False
        Print one line per kernel.
    rtol : float, default=1e-10
        Relative tolerance of the comparison with the CPU result
        (``numpy.allclose(gpu, cpu, rtol=rtol, atol=1e-12)``).

    Returns
    -------
    ok : bool
        True when CUDA is available and every kernel matches; False when no CUDA
        device (or simulator) is available or any kernel differs.

    Examples
    --------
    >>> from sparsestat.nn import cuda_selftest
    >>> isinstance(cuda_selftest(), bool)
    True
    """
    available, simulated = cuda_status()
    if not available:
        if verbose:
            print("cuda_selftest: numba.cuda finds no GPU (and the simulator is off)")
        return False
    from .._engine.families import _cuda
    from .._engine.families._masks import nm_mask, topk_mask
    from .._engine.families._mlp import run_epoch

    rng = np.random.default_rng(0)
    A = rng.standard_normal((9, 20))
    W = rng.standard_normal((20, 7))
    M = (rng.random((20, 7)) < 0.5).astype(float)
    D = rng.standard_normal((9, 7))
    checks = {
        "masked_matmul": (_cuda.masked_matmul(A, W, M), A @ (W * M)),
        "masked_grad_weight": (_cuda.masked_grad_weight(A, D, M), (A.T @ D) * M),
        "masked_grad_input": (_cuda.masked_grad_input(D, W, M), D @ (W * M).T),
        "nm_mask": (_cuda.nm_mask_cuda(W, 2, 4), nm_mask(W, 2, 4)),
        "magnitude_mask": (_cuda.magnitude_mask_cuda(W, 30), topk_mask(W, 30)),
    }
    # one tiny epoch, hard-mask mode, CPU vs CUDA driver
    sizes = np.array([4, 5, 3], dtype=np.int64)
    X = rng.standard_normal((6, 4))
    Y = np.eye(3)[rng.integers(0, 3, 6)]
    coef0 = rng.standard_normal(4 * 5 + 5 * 3)
    mask0 = (rng.random(coef0.size) < 0.7).astype(float)
    coef0 *= mask0
    outs = []
    for fn in (run_epoch, _cuda.run_epoch_cuda):
        coef, icpt, mask = coef0.copy(), np.zeros(8), mask0.copy()
        state = [np.zeros(coef.size), np.zeros(coef.size), np.zeros(8), np.zeros(8)]
        loss = fn(X, Y, np.linspace(0.5, 1.5, 6), np.arange(6), coef, icpt, mask,
                  np.ones_like(coef), sizes, 3, 2, 1,
                  np.array([1e-2, 0.9, 0.999, 1e-8, 1e-4, 0.9, 1.0]), *state,
                  np.zeros(1, dtype=np.int64), 3, 0, np.zeros(4))
        outs.append(np.concatenate([coef, icpt, [loss]]))
    checks["run_epoch"] = tuple(outs)
    ok = True
    for name, (got, want) in checks.items():
        good = bool(np.allclose(got, want, rtol=rtol, atol=1e-12))
        ok = ok and good
        if verbose:
            print(f"cuda_selftest {name}: {'ok' if good else 'MISMATCH'}"
                  f"{' (simulator)' if simulated else ''}")
    return ok
