"""One place where sparsestat asks numba to compile, and where compiled kernels are kept.

Every compiled kernel goes through :func:`jit` (``nopython``, ``nogil=True`` so joblib
threads scale). Its on-disk cache is ours, not numba's default, for two reasons:

* **It cannot be stale.** numba keys a cached kernel on the file that defines it, so a
  solver that inlined ``prox_1d`` from another file kept the old prox after that file
  changed. Our kernels are all in this folder, so the cache lives in a directory named
  after sparsestat's version, numba's version and a hash of every ``.py`` file here
  (:func:`cache_dir`): editing any kernel file or upgrading starts a fresh directory.
  The root is ``$NUMBA_CACHE_DIR/sparsestat`` when ``NUMBA_CACHE_DIR`` is set, else the
  user's cache folder (``$XDG_CACHE_HOME/sparsestat`` or ``~/.cache/sparsestat`` on
  Linux), never the installed package.
* **It heals.** Each data file carries a checksum of its content and its own name, so a
  truncated, garbage or swapped file is detected before numba unpickles it; any failure
  to load a cached kernel (those, an empty or garbage index...) is a cache miss: the
  kernel is recompiled, the entry overwritten, and one :class:`KernelCacheWarning` names
  the file and ``NUMBA_CACHE_DIR``.

Nothing is hashed or created at import: the cache of a kernel is set up the first time
the kernel is called. Where the cache cannot be written (read-only install, unwritable
home), kernels compile in memory in every process, after one ``RuntimeWarning`` naming
``NUMBA_CACHE_DIR``. Before a fit compiles anything, the ``sparsestat`` logger says so,
once per family and process (``logging.getLogger("sparsestat").setLevel(logging.ERROR)``
or the environment variable ``SPARSESTAT_QUIET_COMPILE=1`` silences it).
"""

import contextlib
import functools
import hashlib
import logging
import operator
import os
import pickle
import shutil
import sys
import threading
import warnings

import numba
from numba.core.caching import (
    CompileResultCacheImpl,
    FunctionCache,
    IndexDataCacheFile,
    _CacheLocator,
)
from numba.core import ir as _ir
from numba.core import types as _types
from numba.core.compiler import CompilerBase as _CompilerBase
from numba.core.compiler import DefaultPassBuilder as _DefaultPassBuilder
from numba.core.compiler_machinery import FunctionPass as _FunctionPass
from numba.core.compiler_machinery import register_pass as _register_pass
from numba.core.untyped_passes import IRProcessing as _IRProcessing
from numba.core.codegen import JITCodeLibrary as _JITCodeLibrary

__all__ = ["jit", "CACHE_ENABLED", "KernelCacheWarning", "cache_root", "cache_dir",
           "cache_info", "clear_cache"]

# False once a cache write failed: kernels then compile in memory (loads still try)
CACHE_ENABLED = True

_ENGINE_DIR = os.path.dirname(os.path.abspath(__file__))
_MAGIC = b"sparsestat-nbc-1\n"
_logger = logging.getLogger("sparsestat")

# About how long a family's first fit compiles on an empty cache, for the one log line
# before it starts: first-fit CPU seconds from benchmarks/bench_compile.py on a 2-core VM
# (linear_model: 6-12 s, Gram solver vs coordinate descent).
FIRST_COMPILE_SECONDS = {"linear_model": 10, "dag": 8, "ordinal": 12, "cluster": 5,
                         "quantile": 8, "privacy": 10, "nn": 13}


class KernelCacheWarning(RuntimeWarning):
    """A cached kernel could not be loaded; it was recompiled and its entry rewritten."""


def cache_root():
    """Folder holding one cache directory per sparsestat version (see module docstring)."""
    env = os.environ.get("NUMBA_CACHE_DIR")
    if env:
        return os.path.join(env, "sparsestat")
    from numba.misc.appdirs import AppDirs

    return AppDirs(appname="sparsestat", appauthor=False).user_cache_dir


@functools.lru_cache(maxsize=None)
def _sources_hash():
    # every kernel lives in this folder or its families/ and may inline any other file of
    # them: hash them all (about 0.5 MB: a millisecond, paid once per process at the first
    # kernel call)
    digest = hashlib.sha256()
    for folder, subfolders, files in os.walk(_ENGINE_DIR):
        subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                with open(path, "rb") as f:
                    digest.update(os.path.relpath(path, _ENGINE_DIR).encode() + b"\0"
                                  + f.read() + b"\0")
    return digest.hexdigest()[:16]


def _version_key():
    from .. import __version__

    return f"{__version__}-numba{numba.__version__}-{_sources_hash()}"


def cache_dir():
    """The cache directory of this sparsestat install and kernel sources."""
    return os.path.join(cache_root(), _version_key())


@functools.lru_cache(maxsize=None)
def _file_hash(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class _KernelLocator(_CacheLocator):
    """Puts a kernel's index and data files under :func:`cache_dir`."""

    def __init__(self, py_func, py_file):
        self._py_file = os.path.abspath(py_file)
        self._lineno = py_func.__code__.co_firstlineno
        self._in_engine = os.path.commonpath([self._py_file, _ENGINE_DIR]) == _ENGINE_DIR
        sub = "engine" if self._in_engine else self.get_suitable_cache_subpath(py_file)
        self._cache_path = os.path.join(cache_dir(), sub)

    def ensure_cache_path(self):
        os.makedirs(self._cache_path, exist_ok=True)

    def get_cache_path(self):
        return self._cache_path

    def get_source_stamp(self):
        # the directory already encodes the engine's sources; a kernel defined elsewhere
        # (a user's extension) is also keyed on its own file, as numba does
        return _version_key() if self._in_engine else _file_hash(self._py_file)

    def get_disambiguator(self):
        return str(self._lineno)

    @classmethod
    def from_function(cls, py_func, py_file):
        return cls(py_func, py_file)


class _KernelCacheImpl(CompileResultCacheImpl):
    _locator_classes = [_KernelLocator]


class _Damaged(Exception):
    def __init__(self, path, reason):
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = path, reason


@contextlib.contextmanager
def _locked(folder):
    """Hold an exclusive lock on ``folder/.lock``: index updates of concurrent processes
    (``warmup --jobs``, joblib workers) are read-modify-write and must not interleave."""
    try:
        import fcntl
    except ImportError:  # Windows: numba's atomic replace only
        yield
        return
    with open(os.path.join(folder, ".lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class _CheckedCacheFile(IndexDataCacheFile):
    """numba's index + data files, with damage detected and reported as :class:`_Damaged`."""

    def _load_index(self):
        try:
            overloads = super()._load_index()
        except OSError:  # no folder, a file in its place, no permission: a plain miss
            return {}
        except Exception as exc:  # empty (EOFError), garbage (UnpicklingError, ...)
            raise _Damaged(self._index_path, repr(exc)) from None
        if not isinstance(overloads, dict):
            raise _Damaged(self._index_path, "not an index")
        return overloads

    def _save_data(self, name, data):
        payload = self._dump(data)
        digest = hashlib.sha256(name.encode() + payload).digest()
        with self._open_for_write(self._data_path(name)) as f:
            f.write(_MAGIC + digest + payload)

    def _load_data(self, name):
        path = self._data_path(name)
        with open(path, "rb") as f:
            raw = f.read()
        head = len(_MAGIC) + 32
        payload = raw[head:]
        # the digest covers the file's own name: a file copied over another function's
        # (or another signature's) data file fails here, before numba unpickles it
        if (not raw.startswith(_MAGIC)
                or raw[len(_MAGIC):head] != hashlib.sha256(name.encode() + payload).digest()):
            raise _Damaged(path, "truncated, overwritten or belongs to another kernel")
        return pickle.loads(payload)

    def save(self, key, data):
        with _locked(self._cache_path):
            try:
                overloads = self._load_index()
            except _Damaged:
                overloads = {}  # rewrite a damaged index from scratch
            data_name = overloads.get(key)
            if data_name is None:
                used = set(overloads.values())
                number = 1
                while self._data_name(number) in used:
                    number += 1
                data_name = overloads[key] = self._data_name(number)
                self._save_index(overloads)
            self._save_data(data_name, data)


_state = threading.local()
_announced = set()
_warn_lock = threading.Lock()


def _warn_write_failure(exc):
    global CACHE_ENABLED
    with _warn_lock:
        if not CACHE_ENABLED:
            return
        CACHE_ENABLED = False
    warnings.warn(
        f"sparsestat cannot write its compiled kernels to {cache_root()} ({exc}); they are "
        "compiled in memory, again in every process. Set NUMBA_CACHE_DIR to a writable "
        "folder to keep them between runs.",
        RuntimeWarning,
        stacklevel=4,
    )


def _calling_family():
    """The estimator family whose code is on the stack (``engine`` if none)."""
    frame = sys._getframe(2)
    family = "engine"
    while frame is not None:
        parts = frame.f_globals.get("__name__", "").split(".")
        if parts[0] == "sparsestat" and len(parts) > 1 and parts[1] != "_engine":
            family = parts[1]
        frame = frame.f_back
    return family


def _announce_compile():
    # one line per family and process, before the first kernel compiles; the warm-up
    # command switches it off (it shows its own progress)
    if getattr(_state, "quiet", False) or os.environ.get("SPARSESTAT_QUIET_COMPILE"):
        return
    family = _calling_family()
    if family in _announced:
        return
    _announced.add(family)
    if CACHE_ENABLED:
        try:
            os.makedirs(cache_dir(), exist_ok=True)
        except OSError as exc:
            _warn_write_failure(exc)
    seconds = FIRST_COMPILE_SECONDS.get(family)
    about = f", about {seconds} s" if seconds else ""
    if CACHE_ENABLED:
        where = f"; cached afterwards in {cache_dir()}"
    else:
        where = "; no writable cache, so again in every process (set NUMBA_CACHE_DIR)"
    _logger.warning("compiling sparsestat's %s kernels once%s%s", family, about, where)


class _KernelCache(FunctionCache):
    """numba's per-function cache, set up lazily, where every load failure is a miss."""

    _impl_class = _KernelCacheImpl

    def __init__(self, py_func, tag=""):  # no file system access here: this runs at import
        self._name = repr(py_func)
        self._py_func = py_func
        self._tag = tag
        self._ready = False
        self.enable()

    def _setup(self):
        # numba's Cache.__init__, with our index/data file class
        if not self._ready:
            self._impl = self._impl_class(self._py_func)
            if self._tag:
                # a specialized copy compiles the same function with the same signatures:
                # its own index and data files keep the copies apart
                self._impl._filename_base += "-" + self._tag
            self._cache_path = self._impl.locator.get_cache_path()
            self._cache_file = _CheckedCacheFile(
                cache_path=self._cache_path, filename_base=self._impl.filename_base,
                source_stamp=self._impl.locator.get_source_stamp())
            self._ready = True

    @property
    def cache_path(self):
        self._setup()
        return self._cache_path

    def load_overload(self, sig, target_context):
        if not self._enabled:
            return None
        self._setup()
        target_context.refresh()
        try:
            cres = self._load_overload(sig, target_context)
            if cres is not None and cres.fndesc.qualname != self._py_func.__qualname__:
                raise _Damaged(self._cache_file._index_path, "entry of another kernel")
        except Exception as exc:
            path = exc.path if isinstance(exc, _Damaged) else self._cache_file._index_path
            reason = exc.reason if isinstance(exc, _Damaged) else repr(exc)
            warnings.warn(
                f"sparsestat could not load the compiled kernel {self._py_func.__qualname__} "
                f"from {path} ({reason}); recompiling it and overwriting the entry. "
                f"Compiled kernels live under {cache_root()} (NUMBA_CACHE_DIR="
                f"{os.environ.get('NUMBA_CACHE_DIR', '<unset>')}); deleting that folder is "
                "always safe.",
                KernelCacheWarning,
                stacklevel=2,
            )
            cres = None
        if cres is None:
            _announce_compile()
        return cres

    def save_overload(self, sig, data):
        if not (self._enabled and CACHE_ENABLED):
            return
        self._setup()
        try:
            self._save_overload(sig, data)
        except OSError as exc:  # read-only or vanished folder: compile in memory from now on
            _warn_write_failure(exc)


def _reraise_interrupt_class(base):
    """``base`` with a ``__call__`` that raises a KeyboardInterrupt as itself.

    A SIGINT that lands while compiled code runs is noticed when the dispatcher boxes the
    result, and CPython then reports ``SystemError: CPUDispatcher(...) returned a result
    with an exception set`` with the KeyboardInterrupt as its cause. Calls from compiled
    code do not go through ``__call__`` (no cost there); a Python-level call costs about
    half a microsecond more.
    """
    if base not in _INTERRUPTIBLE:
        from ._interrupt import reraise_interrupt

        def __call__(self, *args, **kwargs):
            return reraise_interrupt(super(cls, self).__call__, *args, **kwargs)

        cls = type(base.__name__, (base,), {"__call__": __call__,
                                            "__module__": base.__module__})
        _INTERRUPTIBLE[base] = cls
    return _INTERRUPTIBLE[base]


_INTERRUPTIBLE = {}


def _interruptible(dispatcher):
    dispatcher.__class__ = _reraise_interrupt_class(type(dispatcher))
    return dispatcher


# --- specialization: a fit compiles only the branches of its own datafit and penalty ----
#
# Kernels dispatch on integer codes (``if code == L1: ... elif code == MCP: ...``). numba
# types every branch, so a plain compile of a solver types and compiles every penalty's
# prox and every datafit's derivative, whichever the fit uses. Two pieces avoid it for
# the most common fit, a Lasso:
#
# * every kernel compiles through :class:`_SpecializingCompiler`, whose extra pass turns
#   an argument into a constant where its value is known at compile time: a literal
#   argument type (an ``int``/``bool`` constant or a literal passed on by the caller) or
#   a value bound by a specialized copy (below). numba's own dead-branch pruning then
#   drops ``if code == OTHER:`` branches before typing, also in ``inline="always"``
#   helpers once inlined, and the constant reaches the callees as a literal type, so
#   they are pruned the same way, down to the scalar prox.
# * ``jit(specialize={"datafit": QUADRATIC, "pen": ELASTIC_NET})`` on a kernel called from Python:
#   a call with exactly those values runs a copy of the kernel with the arguments bound
#   to them, cached on disk under its own name; every other call, and every call from
#   compiled code, runs the generic kernel. One copy per kernel, bounded on purpose: a
#   copy per (datafit, penalty) used halved a first fit but compiled one solver tree per
#   combination, and the cold test suite ran 1.8x longer (issue 16, branch i16c).


class _ConstantArgs(_FunctionPass):
    """Replace arguments whose value is known at compile time by constants."""

    _name = "sparsestat_constant_args"

    def __init__(self):
        _FunctionPass.__init__(self)

    def run_pass(self, state):
        bound = getattr(state.pipeline, "bound_args", {})
        changed = False
        for block in state.func_ir.blocks.values():
            for stmt in block.body:
                if not (isinstance(stmt, _ir.Assign) and isinstance(stmt.value, _ir.Arg)):
                    continue
                arg = stmt.value
                arg_type = state.args[arg.index]
                if arg.name in bound:
                    value = bound[arg.name]
                elif isinstance(arg_type, (_types.IntegerLiteral, _types.BooleanLiteral)):
                    value = arg_type.literal_value
                else:
                    continue
                const = _ir.Const(value, loc=stmt.loc)
                definitions = state.func_ir._definitions[stmt.target.name]
                definitions[definitions.index(arg)] = const
                stmt.value = const
                changed = True
        return changed


_register_pass(mutates_CFG=True, analysis_only=False)(_ConstantArgs)


class _ColdLibrary(_JITCodeLibrary):
    """The code library of a ``jit(cold=True)`` kernel: LLVM's cheap module pipeline only.

    numba optimizes a kernel's final module, which holds the kernel *and* a copy of
    every kernel it calls (already optimized in their own libraries), at O3: a solver
    or path driver re-optimizes its whole call tree. A cold kernel's own loops are not
    where the time goes, so its module gets only numba's first, O0 pass (inlining of
    ``alwaysinline`` functions, reference-count pruning); its callees' code is the
    optimized code of their own libraries, and machine code generation is unchanged.
    """

    def _optimize_final_module(self):
        mpm, mpb = self._codegen._module_pass_manager(
            loop_vectorize=False, slp_vectorize=False, opt=0, cost="cheap")
        with self._recorded_timings.record("Module passes (cold kernel)", mpb):
            mpm.run(self._final_module, mpb)


class _ColdLibraryPass(_FunctionPass):
    """Give a cold kernel its :class:`_ColdLibrary` before numba lowers it."""

    _name = "sparsestat_cold_library"

    def __init__(self):
        _FunctionPass.__init__(self)

    def run_pass(self, state):
        if state.library is None:  # what numba's NativeLowering would create
            library = state.targetctx.codegen().create_library(state.func_id.func_qualname)
            library.enable_object_caching()
            library.__class__ = _ColdLibrary
            state.library = library
        return False


_register_pass(mutates_CFG=False, analysis_only=True)(_ColdLibraryPass)


class _SpecializingCompiler(_CompilerBase):
    """numba's nopython pipeline plus :class:`_ConstantArgs` before branch pruning."""

    bound_args = {}
    cold = False

    def define_pipelines(self):
        pm = _DefaultPassBuilder.define_nopython_pipeline(self.state)
        pm.add_pass_after(_ConstantArgs, _IRProcessing)
        if self.cold:
            pm.add_pass_after(_ColdLibraryPass, _IRProcessing)
        pm.finalize()
        return [pm]


def _bound_compiler(base, bound):
    return type("_BoundCompiler", (base,), {"bound_args": dict(bound)})


def _specializing_class(base):
    """``base`` (an interruptible dispatcher class) whose Python calls with the bound
    values of its ``specialize`` arguments go to the one specialized copy."""
    if base not in _SPECIALIZING:
        def __call__(self, *args, **kwargs):
            try:
                hit = bool(self._specialize_key(args) == self._specialize_values)
            except (IndexError, TypeError, ValueError):  # keywords, arrays: the generic kernel
                hit = False
            if hit:
                copy = self._copy if self._copy is not None else self._make_copy()
                return copy(*args, **kwargs)
            return base.__call__(self, *args, **kwargs)

        cls = type(base.__name__, (base,), {"__call__": __call__,
                                            "__module__": base.__module__})
        _SPECIALIZING[base] = cls
    return _SPECIALIZING[base]


_SPECIALIZING = {}
_copy_lock = threading.Lock()


def _add_specialization(dispatcher, f, bound, cache, build, compiler):
    import inspect

    params = list(inspect.signature(f).parameters)
    names = tuple(bound)
    missing = [name for name in names if name not in params]
    if missing:
        raise TypeError(f"jit(specialize=...): {f.__qualname__} has no argument {missing}")
    values = tuple(operator.index(bound[name]) for name in names)
    # a call's key: the values at those positions (a scalar for one name)
    dispatcher._specialize_key = operator.itemgetter(*(params.index(name) for name in names))
    dispatcher._specialize_values = values if len(names) > 1 else values[0]
    dispatcher._copy = None

    def make_copy():
        with _copy_lock:
            if dispatcher._copy is None:
                copy = build(_bound_compiler(compiler, dict(zip(names, values))))
                if cache:
                    tag = "".join(f"{n}{v}" for n, v in zip(names, values))
                    copy._cache = _KernelCache(f, tag=tag)
                dispatcher._copy = _interruptible(copy)
        return dispatcher._copy

    dispatcher._make_copy = make_copy
    dispatcher.__class__ = _specializing_class(type(dispatcher))
    return dispatcher


def jit(func=None, *, cache=True, nogil=True, specialize=None, cold=False, **options):
    """Compile ``func`` in nopython mode, cached on disk (see the module docstring).

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
    specialize : dict of str to int, default=None
        Integer arguments (datafit and penalty codes) and the one combination of their
        values that gets its own compiled copy of the kernel: a call from Python with
        exactly these values runs a copy where they are constants, so only that
        datafit's and penalty's branches are compiled, in this kernel and every kernel
        it calls. Every other call, and every call from compiled code, runs the generic
        kernel. One copy at most: a copy per combination used would compile one solver
        tree per (datafit, penalty) a process fits (the cold test suite ran 1.8x longer).
    cold : bool, default=False
        The kernel's own loops are not where the time goes (a driver that calls the
        solvers, e.g. the path kernels): LLVM's O3 module pipeline is skipped for it.
        numba links a copy of every callee, already optimized in its own library, into
        the caller's module and optimized that whole tree again (about 1 s per path
        kernel); the callees run their own optimized code either way. Not used: on the
        path kernels it made the n >> p Gram Lasso of bench_lasso 2x slower (measured,
        cause not found; issue 16, branch i16d).
    **options : dict
        Other keyword arguments of :func:`numba.njit` (e.g. ``fastmath``).

    Returns
    -------
    compiled : numba dispatcher or callable
        The compiled function, or a decorator when ``func`` is None.
    """

    def decorate(f):
        def build(compiler):
            # no C-callable (cfunc) wrapper: nothing takes a kernel's address, and the
            # wrapper was lowered, optimized and emitted for every signature (about 4 % of
            # a first fit's compilation)
            return numba.njit(cache=False, nogil=nogil, pipeline_class=compiler,
                              no_cfunc_wrapper=True, **options)(f)

        compiler = _SpecializingCompiler
        if cold:
            compiler = type("_ColdCompiler", (compiler,), {"cold": True})
        dispatcher = build(compiler)
        if numba.config.DISABLE_JIT:  # njit handed back the Python function itself
            return dispatcher
        if cache:
            # what numba's enable_caching() does, with our cache class
            dispatcher._cache = _KernelCache(f)
        dispatcher = _interruptible(dispatcher)
        if specialize:
            dispatcher = _add_specialization(dispatcher, f, dict(specialize), cache, build,
                                             compiler)
        return dispatcher

    if func is not None:
        return decorate(func)
    return decorate


@contextlib.contextmanager
def quiet_compile():
    """Do not log the first-compile line in this thread (the warm-up shows progress)."""
    previous = getattr(_state, "quiet", False)
    _state.quiet = True
    try:
        yield
    finally:
        _state.quiet = previous


def _tree_size(path):
    total = count = 0
    for folder, _, files in os.walk(path):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.path.getsize(os.path.join(folder, name))
                count += name.endswith(".nbc")
    return total, count


def _legacy_files():
    # numba's default in-tree cache of sparsestat versions before this one: never read
    # any more, but possibly large
    package = os.path.dirname(_ENGINE_DIR)
    found = []
    for folder, _, files in os.walk(package):
        if os.path.basename(folder) == "__pycache__":
            found += [os.path.join(folder, n) for n in files if n.endswith((".nbi", ".nbc"))]
    return found


def cache_info():
    """Where compiled kernels are kept and how much space they take.

    Returns
    -------
    info : dict
        ``root``, ``current`` (this version's directory) and ``versions``, a list of
        ``(name, bytes, n_kernels, is_current)`` for every directory under the root,
        plus ``legacy``: leftover numba cache files inside the installed package.
    """
    root, current = cache_root(), cache_dir()
    versions = []
    if os.path.isdir(root):
        for name in sorted(os.listdir(root)):
            path = os.path.join(root, name)
            if os.path.isdir(path):
                size, count = _tree_size(path)
                versions.append((name, size, count, path == current))
    return {"root": root, "current": current, "versions": versions,
            "legacy": _legacy_files()}


def clear_cache(everything=False):
    """Delete the cache directories of other sparsestat versions and kernel sources.

    Parameters
    ----------
    everything : bool, default=False
        Also delete this version's directory (kernels are then compiled again).

    Returns
    -------
    removed : list of str
        The deleted directories and files.
    """
    info = cache_info()
    removed = []
    for name, _, _, is_current in info["versions"]:
        if everything or not is_current:
            path = os.path.join(info["root"], name)
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    for path in info["legacy"]:
        with contextlib.suppress(OSError):
            os.remove(path)
            removed.append(path)
    return removed
