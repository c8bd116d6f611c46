"""One place where sparsestat asks numba to compile.

Every compiled kernel goes through :func:`jit`, which asks for ``cache=True`` and
``nogil=True`` (so joblib threads scale) and falls back to an in-memory compile when
numba cannot find a writable cache directory. That happens on read-only installs with
an unwritable home: numba then raises at *decoration* time ("no locator available"),
which would make ``import sparsestat`` fail. ``NUMBA_CACHE_DIR`` is the user-side fix.
"""

import warnings

import numba

__all__ = ["jit", "CACHE_ENABLED"]

CACHE_ENABLED = True


def jit(func=None, *, cache=True, nogil=True, **options):
    """Compile ``func`` in nopython mode, cached on disk when possible.

    Usable as ``@jit`` or ``@jit(fastmath=False, ...)``. When numba cannot write its
    cache (no writable location), a RuntimeWarning is raised once and every later
    kernel compiles without an on-disk cache.

    Parameters
    ----------
    func : callable, default=None
        The function to compile; None returns a decorator.
    cache : bool, default=True
        Cache the compiled code on disk (``numba.njit(cache=True)``), so that a new
        process loads it instead of compiling.
    nogil : bool, default=True
        Release the GIL while the compiled code runs (threads can then run kernels in
        parallel).
    **options : dict
        Other keyword arguments of :func:`numba.njit` (e.g. ``fastmath``).

    Returns
    -------
    compiled : numba dispatcher or callable
        The compiled function, or a decorator when ``func`` is None.
    """

    def decorate(f):
        global CACHE_ENABLED
        use_cache = cache and CACHE_ENABLED
        try:
            return numba.njit(cache=use_cache, nogil=nogil, **options)(f)
        except RuntimeError as exc:  # numba: "cannot cache function ...: no locator available"
            if not use_cache:
                raise
            CACHE_ENABLED = False
            warnings.warn(
                f"numba cannot write its cache ({exc}); compiling without an on-disk cache. "
                "Set NUMBA_CACHE_DIR to a writable folder to keep compiled kernels between "
                "runs.",
                RuntimeWarning,
                stacklevel=3,
            )
            return numba.njit(cache=False, nogil=nogil, **options)(f)

    if func is not None:
        return decorate(func)
    return decorate
