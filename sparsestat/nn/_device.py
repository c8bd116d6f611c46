"""Where an MLP runs: ``device='auto'|'cpu'|'cuda'`` resolved at fit time.

``numba.cuda`` is imported only when a device other than ``"cpu"`` is asked for.
``cuda.is_available()`` is also True under the simulator (``NUMBA_ENABLE_CUDASIM=1``);
``"auto"`` picks CUDA only for a real GPU, while ``"cuda"`` accepts the simulator too
(that is how the kernels are tested without a GPU).
"""

_STATE = {}

__all__ = ["resolve_device", "cuda_status"]


def cuda_status():
    """``(available, simulated)`` for numba's CUDA target, computed once per process."""
    if "status" not in _STATE:
        try:
            import numba
            from numba import cuda

            simulated = bool(numba.config.ENABLE_CUDASIM)
            available = bool(cuda.is_available())
        except Exception:  # no numba.cuda, no driver, broken toolkit: all mean CPU
            available, simulated = False, False
        _STATE["status"] = (available, simulated)
    return _STATE["status"]


def resolve_device(device):
    """Return ``"cpu"`` or ``"cuda"`` for the requested ``device``."""
    if device == "cpu":
        return "cpu"
    available, simulated = cuda_status()
    if device == "auto":
        return "cuda" if available and not simulated else "cpu"
    if not available:
        raise ValueError(
            "device='cuda' was requested but numba.cuda finds no CUDA GPU "
            "(numba.cuda.is_available() is False). Install the 'gpu' extra "
            "(pip install sparsestat[gpu]) on a machine with an NVIDIA driver, or use "
            "device='auto' to fall back to the CPU.")
    return "cuda"
