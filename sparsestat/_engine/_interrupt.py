"""Return to Python every so often during a long compiled solve, so that Ctrl-C works.

A compiled kernel runs without the interpreter: SIGINT only sets a flag, which Python acts
on once the kernel returns, so a 30 s solve ignored Ctrl-C for 30 s (and the interrupt
then surfaced as ``SystemError: CPUDispatcher(...) returned a result with an exception
set``). :func:`run_in_chunks` calls a kernel for a bounded number of epochs at a time,
warm-starting each call where the previous one stopped. The first call gets up to
``FIRST_CHUNK`` epochs, so a solve that converges within them (the common case: the
Lasso rows of ``bench_lasso.py`` take 33 and 66) is unchanged, bit for bit; later calls
get the same number of epochs. A restart rebuilds the working set and drops the Anderson
history, so it changes the iterates: its place is fixed by the problem's size, never by
the clock, so that two fits of the same data give the same answer (sizing calls by
measured time made refits of a long solve differ at 1e-7).

Solvers whose calls resume exactly (the state that the next step needs is carried over:
CoLiDE, PRESTO, multinomial FISTA, greedy CD, Burer-Monteiro, the simplex FISTA, MLP
minibatches) pass ``resumable=True``: any split gives the same result, bit for bit, so
the first call is a short probe (``PROBE_WORK`` matrix entries), a call may be a
single step when steps are long, and a budget at most doubles from one call to the next
(a working set's epochs get dearer as it grows: a probe of cheap early epochs must not
size a call of seconds).
"""

import time

__all__ = ["run_in_chunks", "first_budget", "reraise_interrupt", "FIRST_CHUNK",
           "CHUNK_SECONDS"]


FIRST_CHUNK = 200
FIRST_CHUNK_WORK = 1e9  # about 1 s of epochs on an idle 2-core machine (Ctrl-C latency)
MIN_CHUNK = 10
CHUNK_SECONDS = 0.3
PROBE_WORK = 1e8  # the first call of a resumable solver: ~0.1 s of work


def reraise_interrupt(call, *args, **kwargs):
    """``call(*args)``; a KeyboardInterrupt wrapped in a SystemError is raised as itself.

    Every kernel compiled through ``sparsestat._engine.jit`` calls through this.
    """
    try:
        return call(*args, **kwargs)
    except SystemError as err:
        if _caused_by_interrupt(err):
            raise KeyboardInterrupt from None
        raise


def _caused_by_interrupt(err):
    """Whether a KeyboardInterrupt is in the chain of causes (numba nests SystemErrors)."""
    seen = set()
    while err is not None and id(err) not in seen:
        if isinstance(err, KeyboardInterrupt):
            return True
        seen.add(id(err))
        err = err.__cause__ or err.__context__
    return False


def first_budget(work=None, resumable=False):
    """The epochs of :func:`run_in_chunks`' first call (and of every later one when not
    ``resumable``), for epochs touching ``work`` matrix entries.

    A path kernel (``_path.py``) gives each alpha this budget so that its solves split
    exactly where separate :func:`run_in_chunks` calls would.
    """
    floor = 1 if resumable else MIN_CHUNK
    first_work = PROBE_WORK if resumable else FIRST_CHUNK_WORK
    return FIRST_CHUNK if work is None or work <= 0 else int(
        min(FIRST_CHUNK, max(floor, first_work / work)))


def run_in_chunks(step, max_iter, work=None, resumable=False):
    """Run ``step(budget) -> (n_done, finished)`` until ``finished`` or ``max_iter``.

    ``step`` runs the kernel for at most ``budget`` epochs from the current iterate and
    reports how many it ran and whether it stopped for a reason other than the budget
    (converged, or a numerical stop). ``work`` is the number of matrix entries an epoch
    may touch (``n p`` dense, ``nnz`` sparse): the first budget is ``FIRST_CHUNK``
    epochs, fewer on big problems (``FIRST_CHUNK_WORK / work``, at least ``MIN_CHUNK``),
    and so is every later one: a call that restarts (``resumable=False``) changes the
    iterates, so its epochs must not depend on the clock, or two fits of the same data
    would differ. ``resumable``: calls in turn are the same as one call, bit for bit, so
    later budgets can follow the measured time per epoch; the first budget is then
    ``PROBE_WORK / work`` and the smallest one 1 instead of ``MIN_CHUNK``. Returns the
    total number of epochs.
    """
    done = 0
    floor = 1 if resumable else MIN_CHUNK
    first = first_budget(work, resumable)
    budget = min(max_iter, first)
    while True:
        start = time.perf_counter()
        n_done, finished = reraise_interrupt(step, budget)
        elapsed = time.perf_counter() - start
        done += n_done
        if finished or done >= max_iter or n_done < budget:
            return done
        if not resumable:
            budget = min(max_iter - done, first)
            continue
        per_epoch = elapsed / max(n_done, 1)
        # epochs get dearer as supports grow: at most double
        budget = int(min(max_iter - done, 2 * budget,
                         max(floor, CHUNK_SECONDS / max(per_epoch, 1e-12))))
