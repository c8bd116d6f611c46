"""The main job: fit every estimator family on bundled or simulated data, print a table.

Each family contributes a private module ``sparsestat/<family>/_demo.py`` defining
``demo_rows()``, which returns a list of dicts (or yields them, so that each row is
printed as its fit ends) with keys ``estimator``, ``data``,
``metric``, ``score`` and ``fit_time``. New families are picked up automatically.
"""

import csv
import importlib
import inspect
import json
import textwrap
import time

from ._warmup import public_families

__all__ = ["run_demo", "timed_fit", "demo_families"]

_COLUMNS = ("estimator", "data", "metric", "score", "fit_time")


def demo_families():
    """The families that contribute rows to the demo (those with a ``_demo`` module)."""
    from importlib.util import find_spec

    return [name for name in public_families()
            if find_spec(f"sparsestat.{name}._demo") is not None]


def timed_fit(estimator, *args, **kwargs):
    """Fit ``estimator`` and return ``(estimator, seconds)``."""
    start = time.perf_counter()
    estimator.fit(*args, **kwargs)
    return estimator, time.perf_counter() - start


def _family_rows(family, quick=False):
    """The family's rows: a list, or a generator that yields each row as its fit ends."""
    try:
        module = importlib.import_module(f"sparsestat.{family}._demo")
    except ModuleNotFoundError as exc:
        if exc.name == f"sparsestat.{family}._demo":
            return []
        raise
    # a family opts in to --quick (smaller data, fewer fits) with a ``quick`` argument
    if quick and "quick" in inspect.signature(module.demo_rows).parameters:
        return module.demo_rows(quick=True)
    return module.demo_rows()


# table widths: text columns wrap onto continuation lines instead of pushing the numbers
_WIDTHS = (("estimator", 28), ("data", 34), ("metric", 20))


def _table_lines(row):
    cells = [textwrap.wrap(str(row[name]), width) or [""] for name, width in _WIDTHS]
    lines = []
    for i in range(max(len(c) for c in cells)):
        text = " ".join(f"{c[i] if i < len(c) else '':<{w}}"
                        for c, (_, w) in zip(cells, _WIDTHS))
        if i == 0:
            text += f" {row['score']:>9.4f} {row['fit_time']:>8.2f}"
        lines.append(text.rstrip())
    return lines


def run_demo(families=None, file=None, jobs=1, fmt="table", quick=False):
    """Run every family's demo and print one table, a family's rows as soon as they are in.

    Parameters
    ----------
    families : list of str, default=None
        Families to run; ``None`` runs them all.
    file : file-like, default=None
        Where to print (standard output by default).
    jobs : int, default=1
        With ``jobs > 1``, first compile (or load) every family's kernels in that many
        processes (:func:`sparsestat.warmup`), showing progress; the fits then run one
        after the other, so their times do not include compilation.
    fmt : {"table", "csv", "json"}, default="table"
        An aligned table with a summary line, CSV rows (both printed as each fit
        finishes), or one JSON list of the rows at the end.
    quick : bool, default=False
        Smaller data and fewer fits in the families that support it (a few seconds
        each once the kernels are cached).

    Returns
    -------
    rows : list of dict
        One row per fitted estimator.
    """
    import sys

    from threadpoolctl import threadpool_limits

    from ._warmup import warmup

    out = sys.stdout if file is None else file
    names = public_families() if families is None else list(families)
    rows = []
    start = time.perf_counter()
    if jobs > 1:
        # progress goes to stderr when stdout carries CSV / JSON for another program
        warmup(names, verbose=True, jobs=jobs, file=out if fmt == "table" else sys.stderr)
    if fmt == "table":
        header = (" ".join(f"{name:<{w}}" for name, w in _WIDTHS)
                  + f" {'score':>9} {'fit (s)':>8}")
        print("sparsestat demo: every estimator on bundled or simulated data", file=out)
        print(header, file=out)
        print("-" * len(header), file=out, flush=True)
    elif fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(_COLUMNS)
    with threadpool_limits(limits=1):
        for family in names:
            for row in _family_rows(family, quick):
                rows.append(row)
                if fmt == "table":
                    print("\n".join(_table_lines(row)), file=out, flush=True)
                elif fmt == "csv":
                    writer.writerow([row[c] for c in _COLUMNS])
                    out.flush()
    if fmt == "json":
        print(json.dumps([{c: row[c] for c in _COLUMNS} for row in rows], indent=1),
              file=out)
    if fmt != "table":
        return rows
    note = ("kernels compiled or loaded up front" if jobs > 1 else
            "a family's first fit in a fresh environment includes numba compilation "
            "(cached on disk afterwards; `python -m sparsestat warmup --jobs 2` pays it "
            "up front)")
    print(f"{len(rows)} fits in {time.perf_counter() - start:.1f} s ({note}).", file=out)
    return rows
