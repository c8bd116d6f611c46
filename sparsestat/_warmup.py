"""Load or compile every numba kernel ahead of the first fit."""

import importlib
import pkgutil
import time

__all__ = ["warmup", "public_families"]


def public_families():
    """Names of the public subpackages (estimator families, datasets, metrics...)."""
    import sparsestat

    return sorted(
        info.name
        for info in pkgutil.iter_modules(sparsestat.__path__)
        if info.ispkg and not info.name.startswith("_")
    )


def warmup(families=None, verbose=False):
    """Compile (or load from numba's on-disk cache) the kernels of each family.

    A service can call this once at start-up so that no request pays the JIT cost.
    Each family opts in by defining a private ``_warmup()`` function in its
    ``__init__``; the function runs its kernels once on tiny inputs.

    Parameters
    ----------
    families : list of str, default=None
        Subpackages to warm up, e.g. ``["linear_model"]``. ``None`` means all.
    verbose : bool, default=False
        Print the time spent per family.

    Returns
    -------
    timings : dict
        Seconds spent per family.

    Examples
    --------
    >>> import sparsestat
    >>> timings = sparsestat.warmup(["linear_model"])
    >>> sorted(timings)
    ['linear_model']
    """
    names = public_families() if families is None else list(families)
    timings = {}
    for name in names:
        module = importlib.import_module(f"sparsestat.{name}")
        hook = getattr(module, "_warmup", None)
        if hook is None:
            continue
        start = time.perf_counter()
        hook()
        timings[name] = time.perf_counter() - start
        if verbose:
            print(f"warmup {name}: {timings[name]:.2f} s")
    return timings
