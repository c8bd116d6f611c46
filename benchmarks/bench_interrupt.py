"""Returning to Python for Ctrl-C costs nothing measurable (issue 15).

Claims: the engine's solves run in bounded kernel calls (``_engine/_interrupt.py``) so a
KeyboardInterrupt is raised within about ``CHUNK_SECONDS``;

1. the rows of ``bench_lasso.py`` (dense alpha_max/20 and /100) and a logistic fit take
   the same time with the chunking on and off (off: one kernel call, as before).
   Interleaved runs, median;
2. ``--families``: a long fit of every solver family (``_interrupt_problems.py``: CoLiDE,
   PRESTO, multinomial, group CD, multi-task BCD, greedy CD, Burer-Monteiro, an MLP
   epoch, Gram CD; minutes each before) is interrupted 0.5 s in: seconds from SIGINT to
   the KeyboardInterrupt, median of ``--repeat-signal`` tries.

The families' fits at their benchmarks' sizes, old tree against new, are timed by
``compare_families.py``.

Run: ``python benchmarks/bench_interrupt.py [--repeat 7] [--families]``.
"""

import argparse
import warnings

import _common  # noqa: F401  (pins threads before numpy loads BLAS)
import numpy as np
from _common import ar_design, interleaved_timings, print_table

from sparsestat._engine import _interrupt
from sparsestat.linear_model import Lasso, SparseLogisticRegression

warnings.filterwarnings("ignore")


def chunked(fit, on):
    names = ("FIRST_CHUNK", "FIRST_CHUNK_WORK", "PROBE_WORK")

    def run():
        saved = [getattr(_interrupt, name) for name in names]
        if not on:  # one kernel call per solve
            for name, value in zip(names, (10 ** 12, np.inf, np.inf)):
                setattr(_interrupt, name, value)
        try:
            return fit()
        finally:
            for name, value in zip(names, saved):
                setattr(_interrupt, name, value)
    return run


def signal_latency(fit, delay=0.5):
    """Seconds from a SIGINT ``delay`` s into ``fit()`` to its KeyboardInterrupt."""
    import signal
    import threading
    import time

    main = threading.main_thread().ident
    sent = []
    timer = threading.Timer(delay, lambda: (sent.append(time.perf_counter()),
                                            signal.pthread_kill(main, signal.SIGINT)))
    timer.daemon = True
    timer.start()
    try:
        fit()
    except KeyboardInterrupt:
        return time.perf_counter() - sent[0]
    timer.join()
    return np.nan  # finished before the signal


def family_rows(repeat):
    from _interrupt_problems import problems

    columns = ["family (kernel file)", "SIGINT -> KeyboardInterrupt s (median)", "max s"]
    rows = []
    for name, make in problems().items():
        warm, fit = make()
        warm()
        lat = [signal_latency(fit) for _ in range(repeat)]
        rows.append(dict(zip(columns, [name, f"{np.median(lat):.3f}", f"{np.max(lat):.3f}"])))
    print_table(rows, columns)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--families", action="store_true",
                        help="only the Ctrl-C latency of a long fit of every family")
    parser.add_argument("--repeat-signal", type=int, default=3)
    args = parser.parse_args()
    if args.families:
        family_rows(args.repeat_signal)
        return
    rng = np.random.default_rng(0)
    n, p = 1000, 5000
    X = ar_design(n, p, 0.6, rng)
    w = np.zeros(p)
    w[rng.choice(p, 50, replace=False)] = rng.standard_normal(50)
    y = X @ w + 0.5 * rng.standard_normal(n)
    amax = np.max(np.abs(X.T @ (y - y.mean()))) / n
    Xl = rng.standard_normal((2000, 500))
    yl = (Xl[:, :10].sum(axis=1) + rng.standard_normal(2000) > 0).astype(int)
    problems = {
        "Lasso dense 1000x5000 alpha_max/20":
            lambda: Lasso(alpha=amax / 20, tol=1e-6, max_iter=10000).fit(X, y).coef_,
        "Lasso dense 1000x5000 alpha_max/100":
            lambda: Lasso(alpha=amax / 100, tol=1e-6, max_iter=10000).fit(X, y).coef_,
        "SparseLogisticRegression 2000x500 alpha=1e-3":
            lambda: SparseLogisticRegression(alpha=1e-3, tol=1e-8, max_iter=10000)
            .fit(Xl, yl).coef_,
    }
    columns = ["problem", "chunked s", "one call s", "ratio", "max |coef diff|"]
    rows = []
    for name, fit in problems.items():
        res = interleaved_timings({"chunked (now)": chunked(fit, True),
                                   "one call (before)": chunked(fit, False)},
                                  repeat=args.repeat)
        on, off = np.median(res["chunked (now)"][0]), np.median(res["one call (before)"][0])
        diff = np.max(np.abs(np.asarray(res["chunked (now)"][1])
                             - np.asarray(res["one call (before)"][1])))
        rows.append(dict(zip(columns, [name, f"{on:.4f}", f"{off:.4f}", f"{on / off:.3f}",
                                       f"{diff:.1e}"])))
    print_table(rows, columns)


if __name__ == "__main__":
    main()
