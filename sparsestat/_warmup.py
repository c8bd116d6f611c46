"""Load or compile every numba kernel ahead of the first fit."""

import importlib
import pkgutil
import sys
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


def _with_hook(names):
    """The families whose ``__init__`` defines ``_warmup`` (read, not imported)."""
    import os

    import sparsestat

    root = os.path.dirname(sparsestat.__file__)
    kept = []
    for name in names:
        with open(os.path.join(root, name, "__init__.py"), encoding="utf-8") as f:
            if "\ndef _warmup(" in f.read():
                kept.append(name)
    return kept


def _warm_family(name):
    """Run one family's ``_warmup()`` hook; seconds spent, or None if it has none."""
    from ._engine._numba import quiet_compile

    module = importlib.import_module(f"sparsestat.{name}")
    hook = getattr(module, "_warmup", None)
    if hook is None:
        return None
    start = time.perf_counter()
    with quiet_compile():
        hook()
    return time.perf_counter() - start


# largest first, so that with several processes the long family does not start last
# (cold compile CPU seconds, benchmarks/bench_compile.py)
_COST_ORDER = ["linear_model", "nn", "ordinal", "dag", "quantile", "cluster", "privacy"]


def warmup(families=None, verbose=False, jobs=1, file=None):
    """Compile (or load from the on-disk cache) the kernels of each family.

    A service can call this once at start-up so that no request pays the JIT cost; a
    Docker image or CI job can call it at build time (``python -m sparsestat warmup
    --jobs 2``) so that the cache ships with it. Each family opts in by defining a
    private ``_warmup()`` function in its ``__init__``; the function runs its kernels
    once on tiny inputs.

    Parameters
    ----------
    families : list of str, default=None
        Subpackages to warm up, e.g. ``["linear_model"]``. ``None`` means all.
    verbose : bool, default=False
        Print one line per family as it finishes.
    jobs : int, default=1
        Number of processes. With ``jobs > 1`` each family is warmed up whole in one
        worker process (largest first); writes to the cache are serialized per cache
        directory, so two workers never write the same kernel's entries at once.
    file : file-like, default=None
        Where ``verbose`` prints (standard output by default).

    Returns
    -------
    timings : dict
        Seconds spent per family (in its worker process when ``jobs > 1``).

    Examples
    --------
    >>> import sparsestat
    >>> timings = sparsestat.warmup(["linear_model"])
    >>> sorted(timings)
    ['linear_model']
    """
    out = sys.stdout if file is None else file
    # only families with a hook: the progress counter must reach [n/n]
    names = _with_hook(public_families() if families is None else list(families))
    rank = {name: i for i, name in enumerate(_COST_ORDER)}
    names.sort(key=lambda name: rank.get(name, len(rank)))
    timings = {}
    start = time.perf_counter()

    def report(name, seconds):
        if seconds is None:
            return
        timings[name] = seconds
        if verbose:
            print(f"[{len(timings)}/{len(names)}] {name:<14} {seconds:6.1f} s  "
                  f"(elapsed {time.perf_counter() - start:.1f} s)", file=out, flush=True)

    if verbose:
        from ._engine._numba import cache_dir

        print(f"sparsestat warmup: {len(names)} families in {jobs} process"
              f"{'es' if jobs > 1 else ''}; kernels cached in {cache_dir()}",
              file=out, flush=True)
    if jobs <= 1 or len(names) <= 1:
        for name in names:
            report(name, _warm_family(name))
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        # spawn: a fresh interpreter per worker, no forked numba/LLVM state
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=min(jobs, len(names)),
                                 mp_context=context) as pool:
            futures = {pool.submit(_warm_family, name): name for name in names}
            for future in as_completed(futures):
                report(futures[future], future.result())
    if verbose:
        print(f"warmup done in {time.perf_counter() - start:.1f} s", file=out, flush=True)
    return {name: timings[name] for name in names if name in timings}
