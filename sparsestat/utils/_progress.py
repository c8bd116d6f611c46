"""Progress of long fits: a tqdm bar when tqdm is installed, plain lines otherwise.

``verbose`` keeps scikit-learn's meaning (an int, 0 = silent). With ``verbose=1`` a fit
shows one progress bar per loop (tqdm, an optional dependency) or, without tqdm, about
ten plain lines; ``verbose >= 2`` always prints one plain line per step (for logs and
notebooks that do not render bars). Everything goes to standard error, as tqdm does,
so that a program's standard output stays clean.
"""

import sys
import time

__all__ = ["progress", "report"]


def _tqdm():
    try:
        from tqdm.auto import tqdm
    except ImportError:  # optional dependency
        return None
    return tqdm


def progress(iterable, verbose, desc, total=None, file=None):
    """Iterate over ``iterable``, reporting progress when ``verbose`` is set.

    Parameters
    ----------
    iterable : iterable
        The loop, e.g. CV folds or the stages of a path.
    verbose : bool or int
        0 / False: no output (``iterable`` is returned unchanged); 1: a tqdm bar, or
        about ten lines without tqdm; >= 2: one line per step.
    desc : str
        What is iterated, e.g. ``"LassoCV: folds"``.
    total : int, default=None
        Number of steps when ``iterable`` has no ``len``.
    file : file-like, default=None
        Where to write (standard error by default).

    Returns
    -------
    iterator : iterable
        Yields the items of ``iterable``.
    """
    if not verbose:
        return iterable
    if total is None:
        total = len(iterable) if hasattr(iterable, "__len__") else None
    tqdm = _tqdm() if int(verbose) == 1 else None
    if tqdm is not None:
        return tqdm(iterable, desc=desc, total=total, file=file,
                    dynamic_ncols=True)
    return _lines(iterable, int(verbose), desc, total, file)


def _lines(iterable, verbose, desc, total, file):
    out = sys.stderr if file is None else file
    start = time.perf_counter()
    # verbose=1 without a bar: about ten lines; verbose >= 2: every step
    every = 1 if verbose >= 2 or not total else max(1, total // 10)
    count = 0
    for item in iterable:
        yield item
        count += 1
        if count % every == 0 or count == total:
            of = f"/{total}" if total else ""
            print(f"{desc}: {count}{of} ({time.perf_counter() - start:.1f} s)", file=out,
                  flush=True)


def report(verbose, desc, message, file=None):
    """Print one plain line ``desc: message`` when ``verbose`` is set.

    For the stages of a fit that have no loop to show as a bar (e.g. "solving the SDP",
    "rounding"); goes to standard error, as the bars do.

    Parameters
    ----------
    verbose : bool or int
        0 / False: nothing is printed.
    desc : str
        Who reports, e.g. ``"SDPKMeans"``.
    message : str
        What happened, e.g. ``"SDP solved in 41 updates (2.1 s)"``.
    file : file-like, default=None
        Where to write (standard error by default).
    """
    if verbose:
        print(f"{desc}: {message}", file=sys.stderr if file is None else file, flush=True)
