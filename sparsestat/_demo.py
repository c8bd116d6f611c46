"""The main job: fit every estimator family on bundled or simulated data, print a table.

Each family contributes a private module ``sparsestat/<family>/_demo.py`` defining
``demo_rows()``, which returns a list of dicts with keys ``estimator``, ``data``,
``metric``, ``score`` and ``fit_time``. New families are picked up automatically.
"""

import importlib
import time

from ._warmup import public_families

__all__ = ["run_demo", "timed_fit"]


def timed_fit(estimator, *args, **kwargs):
    """Fit ``estimator`` and return ``(estimator, seconds)``."""
    start = time.perf_counter()
    estimator.fit(*args, **kwargs)
    return estimator, time.perf_counter() - start


def _family_rows(family):
    try:
        module = importlib.import_module(f"sparsestat.{family}._demo")
    except ModuleNotFoundError as exc:
        if exc.name == f"sparsestat.{family}._demo":
            return []
        raise
    return module.demo_rows()


def run_demo(families=None, file=None):
    """Run every family's demo and print one table.

    Parameters
    ----------
    families : list of str, default=None
        Families to run; ``None`` runs them all.
    file : file-like, default=None
        Where to print (standard output by default).

    Returns
    -------
    rows : list of dict
        One row per fitted estimator.
    """
    import sys

    from threadpoolctl import threadpool_limits

    out = sys.stdout if file is None else file
    names = public_families() if families is None else list(families)
    rows = []
    start = time.perf_counter()
    with threadpool_limits(limits=1):
        for family in names:
            rows.extend(_family_rows(family))
    header = f"{'estimator':<28} {'data':<34} {'metric':<18} {'score':>9} {'fit (s)':>8}"
    print("sparsestat demo: every estimator on bundled or simulated data", file=out)
    print(header, file=out)
    print("-" * len(header), file=out)
    for row in rows:
        print(
            f"{row['estimator']:<28} {row['data']:<34} {row['metric']:<18} "
            f"{row['score']:>9.4f} {row['fit_time']:>8.2f}",
            file=out,
        )
    print(f"{len(rows)} fits in {time.perf_counter() - start:.1f} s. A family's first fit "
          "in a fresh environment includes numba compilation (cached on disk afterwards; "
          "`python -m sparsestat warmup` pays it up front).", file=out)
    return rows
