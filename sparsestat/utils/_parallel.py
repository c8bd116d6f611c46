"""joblib's ``delayed`` for our parallel loops: warnings in the workers name the caller.

A warning raised in a joblib worker thread (a ConvergenceWarning of one CV fold, of one
bootstrap fit, ...) is located by ``warnings.warn(..., stacklevel=...)`` on that
thread's own stack, where the user's line is absent: it used to name a frame of joblib.
:func:`delayed` records the user's frame where the loop is dispatched (file, line,
module globals) and runs each task under a one-line trampoline compiled with that file
and line and executed in that module's globals. The trampoline is then the first frame
outside the libraries on the worker's stack, so :func:`sparsestat.exceptions.
caller_stacklevel` stops there and the warning shows the user's file and line, and goes
through the user module's filters and once-registry, exactly as in a sequential fit.
"""

import functools
import sys
import types

import joblib

from ..exceptions import caller_frame

__all__ = ["delayed"]


@functools.lru_cache(maxsize=256)
def _trampoline_code(filename, lineno):
    # one statement at line ``lineno`` of ``filename``: the frame running it reports
    # that place, and a traceback through it shows the caller's own line
    source = "\n" * (max(int(lineno), 1) - 1) + \
        "def _parallel_task(fn, args, kwargs): return fn(*args, **kwargs)\n"
    namespace = {}
    exec(compile(source, filename, "exec"), namespace)
    return namespace["_parallel_task"].__code__


class _AtCallSite:
    """``fn`` run from a frame placed at the caller's file and line (see module doc)."""

    def __init__(self, fn, frame):
        self.fn = fn
        self.filename = frame.f_code.co_filename
        self.lineno = frame.f_lineno
        self.module = frame.f_globals.get("__name__", "__main__")
        self._globals = frame.f_globals  # not pickled: a worker process looks it up
        functools.update_wrapper(self, fn, updated=())

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_globals"] = None
        return state

    def _module_globals(self):
        if self._globals is not None:
            return self._globals
        module = sys.modules.get(self.module)
        return vars(module) if module is not None else {"__name__": self.module}

    def __call__(self, *args, **kwargs):
        code = _trampoline_code(self.filename, self.lineno)
        task = types.FunctionType(code, self._module_globals(), "_parallel_task")
        return task(self.fn, args, kwargs)


def delayed(function):
    """:func:`joblib.delayed`, with warnings of the task naming the dispatching line.

    Parameters
    ----------
    function : callable
        The task, as for :func:`joblib.delayed`.

    Returns
    -------
    delayed_function : callable
        Call it with the task's arguments to get joblib's ``(function, args, kwargs)``.

    The caller's line is looked up when ``delayed(function)`` is called: call it once,
    before the loop, in the thread that starts the loop (joblib may dispatch later tasks
    from its own threads, where that line cannot be found)::

        task = delayed(_fit_one)
        Parallel(n_jobs=n_jobs, prefer="threads")(task(X, y, fold) for fold in folds)

    Examples
    --------
    >>> from joblib import Parallel
    >>> from sparsestat.utils._parallel import delayed
    >>> task = delayed(abs)
    >>> Parallel(n_jobs=2, prefer="threads")(task(-i) for i in range(3))
    [0, 1, 2]
    """
    frame = caller_frame()
    if frame is None:  # no user frame on this thread (already in a worker): as joblib
        return joblib.delayed(function)
    return joblib.delayed(_AtCallSite(function, frame))
