"""Return to Python every so often during a long compiled solve, so that Ctrl-C works.

A compiled kernel runs without the interpreter: SIGINT only sets a flag, which Python acts
on once the kernel returns, so a 30 s solve ignored Ctrl-C for 30 s (and the interrupt
then surfaced as ``SystemError: CPUDispatcher(...) returned a result with an exception
set``). :func:`run_in_chunks` calls a kernel for a bounded number of epochs at a time,
warm-starting each call where the previous one stopped. The first call gets up to
``FIRST_CHUNK`` epochs, so a solve that converges within them (the common case: the
Lasso rows of ``bench_lasso.py`` take 33 and 66) is unchanged, bit for bit; later calls
are sized from the measured time per epoch to last about ``CHUNK_SECONDS``. A restart
rebuilds the working set and drops the Anderson history, so restarts are kept rare.
"""

import time

__all__ = ["run_in_chunks", "reraise_interrupt", "FIRST_CHUNK", "CHUNK_SECONDS"]


FIRST_CHUNK = 200
FIRST_CHUNK_WORK = 2e9
MIN_CHUNK = 10
CHUNK_SECONDS = 0.3


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


def run_in_chunks(step, max_iter, work=None, min_chunk=None):
    """Run ``step(budget) -> (n_done, finished)`` until ``finished`` or ``max_iter``.

    ``step`` runs the kernel for at most ``budget`` epochs from the current iterate and
    reports how many it ran and whether it stopped for a reason other than the budget
    (converged, or a numerical stop). ``work`` is the number of matrix entries an epoch
    may touch (``n p`` dense, ``nnz`` sparse): the first budget is ``FIRST_CHUNK``
    epochs, fewer on big problems (``FIRST_CHUNK_WORK / work``, at least ``MIN_CHUNK``);
    later ones follow the measured time per epoch. ``min_chunk`` (default ``MIN_CHUNK``)
    is the smallest budget: 1 for solvers whose iterations are each long (a proximal
    Newton step, an augmented-Lagrangian round) and resume exactly. Returns the total
    number of epochs.
    """
    done = 0
    floor = MIN_CHUNK if min_chunk is None else min_chunk
    first = FIRST_CHUNK if work is None or work <= 0 else int(
        min(FIRST_CHUNK, max(floor, FIRST_CHUNK_WORK / work)))
    budget = min(max_iter, first)
    while True:
        start = time.perf_counter()
        n_done, finished = reraise_interrupt(step, budget)
        elapsed = time.perf_counter() - start
        done += n_done
        if finished or done >= max_iter or n_done < budget:
            return done
        per_epoch = elapsed / max(n_done, 1)
        budget = int(min(max_iter - done,
                         max(floor, CHUNK_SECONDS / max(per_epoch, 1e-12))))
