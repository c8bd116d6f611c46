"""Refuse up front an allocation that cannot fit, with a message naming the memory.

A dense ``d x d`` or ``p x p`` work array on a big problem otherwise ends in a bare
``MemoryError`` (or the operating system killing the process) after minutes of work.
"""

import os

__all__ = ["available_memory", "check_memory"]


def available_memory():
    """Bytes of physical memory available now (None where that is unknown)."""
    try:  # Linux: free memory plus reclaimable caches
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):  # pragma: no cover -- not POSIX
        pass
    try:  # pragma: no cover
        import psutil

        return int(psutil.virtual_memory().available)
    except ImportError:  # pragma: no cover
        return None


def check_memory(n_bytes, what, hint=""):
    """Raise a ValueError when ``n_bytes`` exceed the memory available now.

    ``what`` names the computation (e.g. "CoLiDE on 200000 features: about 50 d^2
    bytes"); ``hint`` says what to do instead.
    """
    free = available_memory()
    if free is None or n_bytes <= free:
        return
    raise ValueError(
        f"{what} needs about {n_bytes / 2 ** 30:.3g} GiB of memory, but only "
        f"{free / 2 ** 30:.3g} GiB are available.{' ' + hint if hint else ''}")
