"""Where compile time goes, per kernel signature and per compiler stage (issue 16).

Runs one cold workload in this process and splits the CPU seconds of every compiled
signature (exclusive: nested compiles are subtracted from their caller) into numba's
passes (bytecode, SSA, inlining, typing, rewrites), numba's lowering (LLVM IR and the
CPython wrapper), LLVM's function passes, LLVM's module passes (which run over the
kernel *and* the copies of its callees numba links into its module), machine code and
the cache write. It also times each ``inline="always"`` helper's inlining (inclusive).

Usage (an empty cache, or the numbers mean nothing)::

    NUMBA_CACHE_DIR=$(mktemp -d) PYTHONPATH=. python benchmarks/profile_compile_stages.py \
        fit_cd|fit_gram|warmup:<family> [out.json] [rows]

``fit_cd``: Lasso on n=40, p=80 (coordinate descent); ``fit_gram``: n=50, p=10 (Gram
solver); ``warmup:linear_model``: that family's ``_warmup()``.
"""
import importlib, json, sys, time, warnings, functools, collections
warnings.simplefilter("ignore")
from numba.core import event, codegen as cg, lowering, caching

clock = time.process_time
stack = []   # frames: [category, key, start, children]
table = collections.defaultdict(lambda: collections.defaultdict(float))
counts = collections.Counter()
parents = {}

def current_key():
    for fr in reversed(stack):
        if fr[0] == "numba":
            return fr[1]
    return "<outside>"

def push(cat, key=None):
    stack.append([cat, key, clock(), 0.0])

def pop():
    cat, key, start, children = stack.pop()
    spent = clock() - start
    if stack:
        stack[-1][3] += spent
    k = key if cat == "numba" else current_key()
    table[k]["pipeline" if cat == "numba" else cat] += spent - children
    return spent

def wrap(cls, name, cat):
    orig = getattr(cls, name)
    @functools.wraps(orig)
    def inner(*a, **kw):
        push(cat)
        try:
            return orig(*a, **kw)
        finally:
            pop()
    setattr(cls, name, inner)

wrap(lowering.Lower, "lower", "lower")
wrap(lowering.Lower, "create_cpython_wrapper", "lower_wrap")
wrap(lowering.Lower, "create_cfunc_wrapper", "lower_wrap")
wrap(cg.CPUCodeLibrary, "add_ir_module", "llvm_fnopt")
wrap(cg.CPUCodeLibrary, "_optimize_final_module", "llvm_modopt")
wrap(cg.CPUCodeLibrary, "_finalize_final_module", "llvm_codegen")
wrap(cg.CPUCodeLibrary, "finalize", "llvm_link")
wrap(cg.CPUCodeLibrary, "serialize_using_object_code", "cache_serialize")
wrap(caching.Cache, "save_overload", "cache_save")
wrap(caching.Cache, "load_overload", "cache_load")
import numba.core.compiler_machinery as cm
_orig_run = cm.PassManager._runPass
def _runPass(self, index, pss, state):
    push("pass:" + pss.name())
    try:
        return _orig_run(self, index, pss, state)
    finally:
        pop()
cm.PassManager._runPass = _runPass

from numba.core import inline_closurecall as _ic
inline_cost = collections.defaultdict(lambda: [0, 0.0])
_orig_inl = _ic.InlineWorker.inline_function
def _inline_function(self, caller_ir, block, i, function, arg_typs=None):
    t0 = clock()
    try:
        return _orig_inl(self, caller_ir, block, i, function, arg_typs)
    finally:
        c = inline_cost[getattr(function, "__qualname__", str(function))]
        c[0] += 1; c[1] += clock() - t0
_ic.InlineWorker.inline_function = _inline_function

class L(event.Listener):
    def on_start(self, ev):
        disp = ev.data["dispatcher"]
        name = disp.py_func.__module__.rsplit(".", 1)[-1] + "." + disp.py_func.__qualname__
        key = name + str(tuple(str(a) for a in ev.data["args"]))[:200]
        counts[key] += 1
        parent = current_key()
        parents.setdefault(key, set()).add(parent)
        push("numba", key)
    def on_end(self, ev):
        pop()

import numpy as np
rng = np.random.default_rng(0)
what = sys.argv[1]
cpu0 = clock()
if what.startswith("warmup:"):
    fam = what.split(":")[1]
    mod = importlib.import_module("sparsestat." + fam)
    cpu_imp = clock() - cpu0
    with event.install_listener("numba:compile", L()):
        mod._warmup()
else:
    from sparsestat.linear_model import Lasso
    if what == "fit_gram":
        X = rng.standard_normal((50, 10)); y = X[:, 0] + 0.1 * rng.standard_normal(50)
    else:
        X = rng.standard_normal((40, 80)); y = X[:, 0] + 0.1 * rng.standard_normal(40)
    cpu_imp = clock() - cpu0
    with event.install_listener("numba:compile", L()):
        Lasso(alpha=0.01).fit(X, y)
total = clock() - cpu0
out = {"inline_cost": dict(inline_cost),
       "parents": {k: sorted(v) for k, v in parents.items()},
       "total": total, "import": cpu_imp, "table": {k: dict(v) for k, v in table.items()}}
allcats = collections.Counter()
for v in table.values():
    for c, x in v.items():
        allcats[c] += x
print("all categories:", ", ".join(f"{c} {x:.2f}" for c, x in allcats.most_common()))
cats = ["pipeline", "pass:nopython_type_inference", "pass:inline_inlinables",
        "pass:nopython_rewrites", "pass:native_lowering", "lower", "lower_wrap", "llvm_fnopt",
        "llvm_link", "llvm_modopt", "llvm_codegen", "cache_serialize", "cache_save",
        "cache_load"]
sums = {c: sum(v.get(c, 0) for v in table.values()) for c in cats}
print("inline cost (sites, inclusive s):",
      {k: (v[0], round(v[1], 2)) for k, v in sorted(inline_cost.items(), key=lambda kv: -kv[1][1])})
print(f"{what}: total CPU {total:.2f} (import {cpu_imp:.2f}); {len(table)} signatures")
print("category sums: " + ", ".join(f"{c} {s:.2f}" for c, s in sums.items()))
rows = sorted(table.items(), key=lambda kv: -sum(kv[1].values()))
print(f"{'total':>6} " + " ".join(f"{c[:9]:>9}" for c in cats) + "  function")
for k, v in rows[:int(sys.argv[3]) if len(sys.argv) > 3 else 40]:
    print(f"{sum(v.values()):6.2f} " + " ".join(f"{v.get(c, 0):9.2f}" for c in cats)
          + "  " + k[:110])
if len(sys.argv) > 2:
    json.dump(out, open(sys.argv[2], "w"))
