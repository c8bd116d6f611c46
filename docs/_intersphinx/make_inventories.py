"""Write the intersphinx inventories of docs/conf.py without network access.

CI builds the docs offline, so Sphinx cannot download ``objects.inv`` from numpy,
scipy, scikit-learn, joblib, dask, dask.distributed and networkx. This script builds an
equivalent inventory for each project by introspecting the *installed* package (the
public names of its main modules, their classes' public methods and attributes) and
maps every name to the URL the project's own documentation uses for it. The files are
Sphinx inventories, version 2 (a four-line header, then zlib-compressed lines of
``name domain:role priority uri display-name``), so ``sphinx.ext.intersphinx`` reads
them as if they came from the projects' sites.

Run from the repository root after upgrading any of these packages, and commit the
result::

    python docs/_intersphinx/make_inventories.py          # writes docs/_intersphinx/*.inv
    python docs/_intersphinx/make_inventories.py --list   # prints the entries instead

The URL schemes (checked against the projects' published pages, see the notes in
``_SCHEMES``) are those of the "stable" documentation at the time of writing; a name
that moved between versions still lands on the project's site (at worst on a page
that no longer has the anchor). Names are taken from the installed version, printed in
each file's header.
"""

import argparse
import importlib
import inspect
import os
import sys
import warnings
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))

# glossary terms of scikit-learn that our docstrings (and those inherited from
# scikit-learn's mixins) reference with :term:
SKLEARN_TERMS = [
    "array-like", "array_like", "attributes", "classifier", "clone", "cross-validation",
    "cross-validation estimator", "cv", "early stopping", "estimator", "estimators",
    "feature_names_in_", "fit", "fit_predict", "fit_transform", "fitted", "get_params",
    "joblib", "memory", "meta-estimator", "n_features_in_", "n_jobs", "outlier detector",
    "partial_fit", "predict", "predict_proba", "decision_function", "random_state",
    "regressor", "sample_weight", "score", "set_params", "sparse matrix", "transform",
    "transformer", "verbose", "warm_start", "metadata routing", "pairwise",
]


def _public(module):
    """``__all__`` plus the public classes and functions the module itself defines.

    Without ``__all__``, only what is defined in the module (or below it): a name it
    merely imports (``sklearn.base`` imports ``InconsistentVersionWarning``) is
    documented elsewhere.
    """
    names = set(getattr(module, "__all__", None) or ())
    prefix = module.__name__
    for name in dir(module):
        if name.startswith("_"):
            continue
        try:
            home = getattr(getattr(module, name), "__module__", None) or ""
        except Exception:  # lazily gated names
            continue
        if home == prefix or home.startswith(prefix + ".") and "._" not in home[len(prefix):]\
                or home.startswith(prefix + "._"):
            names.add(name)
    return sorted(names)


def _kind(obj):
    if inspect.ismodule(obj):
        return "module"
    if inspect.isclass(obj):
        return "exception" if issubclass(obj, BaseException) else "class"
    if callable(obj):
        # numpy's ufuncs and networkx's dispatchers are callables, documented as functions
        return "function"
    return "data"


def _members(cls):
    """Public methods and attributes a class defines or inherits from its own package."""
    out = []
    root = (cls.__module__ or "").split(".")[0]
    for name in dir(cls):
        if name.startswith("_") and name not in ("__call__",):
            continue
        try:
            value = inspect.getattr_static(cls, name)
        except AttributeError:
            continue
        owner = next((k for k in cls.__mro__ if name in vars(k)), None)
        if owner is None or (owner.__module__ or "").split(".")[0] != root:
            continue  # e.g. object's or another package's methods
        if isinstance(value, (staticmethod, classmethod)) or inspect.isfunction(value) \
                or inspect.ismethoddescriptor(value) or callable(value):
            out.append((name, "method"))
        else:
            out.append((name, "attribute"))
    return out


def _import(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return importlib.import_module(name)
        except Exception:  # an optional sub-dependency missing: skip that module
            return None


def walk(modules, *, members_of=None):
    """Yield (fullname, kind, owner_class_or_None) for the public API of ``modules``."""
    seen = set()
    for modname in modules:
        module = _import(modname)
        if module is None:
            continue
        yield modname, "module", None
        for name in _public(module):
            try:
                obj = getattr(module, name)
            except Exception:  # e.g. scikit-learn's experimental names, gated on import
                continue
            kind = _kind(obj)
            if kind == "module":
                continue  # submodules are listed explicitly
            full = f"{modname}.{name}"
            if full in seen:
                continue
            seen.add(full)
            yield full, kind, None
            if kind in ("class", "exception") and (members_of is None or members_of(full)):
                for member, mkind in _members(obj):
                    yield f"{full}.{member}", mkind, full


# ---------------------------------------------------------------------------------
# one function per project: (fullname, kind, owner) -> URI relative to the doc root.
# Checked against published pages (search of the projects' docs, December 2026):
#   scikit-learn: modules/generated/sklearn.linear_model.Lasso.html#sklearn.linear_model.Lasso
#                 (methods are anchors on the class page), api/sklearn.linear_model.html
#   numpy: reference/generated/numpy.ndarray.html#numpy.ndarray (methods have pages)
#   scipy: reference/generated/scipy.sparse.csr_matrix.html (methods have pages)
#   joblib: generated/joblib.Parallel.html
#   dask: generated/dask.array.Array.html
#   distributed: api.html#distributed.Client
#   networkx: reference/classes/digraph.html (by hand), reference/classes/generated/,
#             reference/algorithms/generated/networkx.algorithms.dag.topological_sort.html
# ---------------------------------------------------------------------------------

def sklearn_uri(full, kind, owner):
    if kind == "module":
        return f"api/{full}.html#module-{full}"
    page = owner or full
    return f"modules/generated/{page}.html#{full}"


_NUMPY_MODULE_PAGES = {
    "numpy": "reference/index.html", "numpy.linalg": "reference/routines.linalg.html",
    "numpy.fft": "reference/routines.fft.html", "numpy.random": "reference/random/index.html",
    "numpy.polynomial": "reference/routines.polynomials-package.html",
    "numpy.testing": "reference/routines.testing.html",
}
_NUMPY_CONSTANTS = {"e", "euler_gamma", "inf", "nan", "newaxis", "pi"}


def numpy_uri(full, kind, owner):
    import numpy as np

    if kind == "module":
        return f"{_NUMPY_MODULE_PAGES[full]}#module-{full}"
    if full in ("numpy.random.Generator", "numpy.random.default_rng"):
        return f"reference/random/generator.html#{full}"
    if full == "numpy.random.RandomState":
        return f"reference/random/legacy.html#{full}"
    if full.startswith("numpy.random."):
        return f"reference/random/generated/{full}.html#{full}"
    if full.startswith("numpy.") and full.count(".") == 1:
        name = full.split(".")[1]
        if name in _NUMPY_CONSTANTS:
            return f"reference/constants.html#{full}"
        obj = getattr(np, name, None)
        if inspect.isclass(obj) and issubclass(obj, np.generic):
            return f"reference/arrays.scalars.html#{full}"
    return f"reference/generated/{full}.html#{full}"


def scipy_uri(full, kind, owner):
    if kind == "module":
        return f"reference/{full[len('scipy.'):]}.html#module-{full}"
    return f"reference/generated/{full}.html#{full}"


def joblib_uri(full, kind, owner):
    if kind == "module":
        return "index.html"
    return f"generated/{owner or full}.html#{full}"


_DASK_MODULE_PAGES = {"dask": "api.html", "dask.array": "array-api.html",
                      "dask.dataframe": "dataframe-api.html", "dask.bag": "bag-api.html",
                      "dask.delayed": "delayed-api.html"}


def dask_uri(full, kind, owner):
    if kind == "module":
        return f"{_DASK_MODULE_PAGES.get(full, 'api.html')}#module-{full}"
    return f"generated/{owner or full}.html#{full}"


def distributed_uri(full, kind, owner):
    # documented as ``distributed.X``; users import it as ``dask.distributed.X``
    short = full.replace("dask.distributed", "distributed", 1)
    if kind == "module":
        return "api.html"
    return f"api.html#{short}"


_NX_CLASS_PAGES = {"Graph": "graph", "DiGraph": "digraph", "MultiGraph": "multigraph",
                   "MultiDiGraph": "multidigraph"}


def networkx_uri(full, kind, owner):
    import networkx as nx

    if kind == "module":
        return "reference/index.html"
    if owner is not None:  # a method / attribute of a graph class
        return f"reference/classes/generated/{full}.html#{full}"
    name = full.split(".")[-1]
    if full.count(".") == 1 and name in _NX_CLASS_PAGES:
        return f"reference/classes/{_NX_CLASS_PAGES[name]}.html#{full}"
    obj = getattr(nx, name, None)
    module = getattr(obj, "__module__", None) or "networkx"
    target = f"{module}.{name}" if module.startswith("networkx.") else full
    if module.startswith("networkx.algorithms"):
        return f"reference/algorithms/generated/{target}.html#{target}"
    if module.startswith("networkx.readwrite"):
        return f"reference/readwrite/generated/{target}.html#{target}"
    return f"reference/generated/{target}.html#{target}"


def _sklearn_modules():
    import sklearn

    subs = [n for n in sklearn.__all__ if not n.startswith("_") and n not in ("externals",)
            and inspect.ismodule(_import(f"sklearn.{n}"))]
    return ["sklearn"] + [f"sklearn.{n}" for n in subs] + ["sklearn.base", "sklearn.utils"]


def _numpy_entries():
    yield from walk(["numpy", "numpy.linalg", "numpy.fft"],
                    members_of=lambda full: full in ("numpy.ndarray", "numpy.dtype"))
    yield "numpy.random", "module", None
    for name in ("Generator", "default_rng", "RandomState", "SeedSequence"):
        yield f"numpy.random.{name}", "function" if name == "default_rng" else "class", None
    import numpy as np

    for member, mkind in _members(np.random.Generator):
        yield f"numpy.random.Generator.{member}", mkind, None


def _networkx_entries():
    import networkx as nx

    for full, kind, owner in walk(["networkx"], members_of=lambda full: full.split(".")[-1]
                                  in _NX_CLASS_PAGES):
        yield full, kind, owner
        if kind == "function":  # also under the module that documents it
            name = full.split(".")[-1]
            module = getattr(getattr(nx, name, None), "__module__", None) or ""
            if module.startswith("networkx.") and f"{module}.{name}" != full:
                yield f"{module}.{name}", kind, None


def _distributed_entries():
    module = _import("distributed")
    if module is None:
        return
    yield "dask.distributed", "module", None
    yield "distributed", "module", None
    for name in ("Client", "LocalCluster", "Future", "as_completed", "wait", "progress",
                 "get_client", "worker_client", "performance_report", "Lock", "Queue",
                 "Variable", "Event", "Semaphore"):
        obj = getattr(module, name, None)
        if obj is None:
            continue
        kind = _kind(obj)
        for prefix in ("distributed", "dask.distributed"):
            yield f"{prefix}.{name}", kind, None
            if kind == "class" and name in ("Client", "LocalCluster", "Future"):
                for member, mkind in _members(obj):
                    yield f"{prefix}.{name}.{member}", mkind, f"{prefix}.{name}"


def _dask_modules():
    return ["dask", "dask.array", "dask.bag", "dask.dataframe", "dask.delayed"]


PROJECTS = {
    # name in intersphinx_mapping: (project title, import name, entries, uri function)
    "sklearn": ("scikit-learn", "sklearn", lambda: walk(_sklearn_modules()), sklearn_uri),
    "numpy": ("NumPy", "numpy", _numpy_entries, numpy_uri),
    "scipy": ("SciPy", "scipy", lambda: walk(
        ["scipy", "scipy.sparse", "scipy.sparse.linalg", "scipy.sparse.csgraph",
         "scipy.linalg", "scipy.optimize", "scipy.stats", "scipy.special",
         "scipy.spatial", "scipy.spatial.distance", "scipy.integrate", "scipy.interpolate"],
        members_of=lambda full: full.startswith("scipy.sparse.")
        or full.startswith("scipy.optimize.")), scipy_uri),
    "joblib": ("joblib", "joblib", lambda: walk(["joblib"]), joblib_uri),
    "dask": ("Dask", "dask", lambda: walk(
        _dask_modules(), members_of=lambda full: full in (
            "dask.array.Array", "dask.dataframe.DataFrame", "dask.bag.Bag")), dask_uri),
    "distributed": ("Dask.distributed", "distributed", _distributed_entries,
                    distributed_uri),
    "networkx": ("NetworkX", "networkx", _networkx_entries, networkx_uri),
}

_ROLE = {"module": "py:module", "class": "py:class", "exception": "py:exception",
         "function": "py:function", "method": "py:method", "attribute": "py:attribute",
         "data": "py:data"}


def inventory_lines(name):
    """The sorted, de-duplicated entry lines of project ``name``."""
    _, _, entries, uri = PROJECTS[name]
    lines = {}
    for full, kind, owner in entries():
        if " " in full:
            continue
        role = _ROLE[kind]
        priority = 0 if kind == "module" else 1
        lines.setdefault((full, role), f"{full} {role} {priority} {uri(full, kind, owner)} -")
    if name == "sklearn":
        for term in SKLEARN_TERMS:
            anchor = "term-" + "-".join(term.split())
            lines[(term, "std:term")] = f"{term} std:term -1 glossary.html#{anchor} -"
    return [lines[key] for key in sorted(lines)]


def write_inventory(name, directory=HERE):
    """Write ``<directory>/<name>.inv`` (Sphinx inventory version 2); return its path."""
    title, import_name, _, _ = PROJECTS[name]
    module = _import(import_name)
    if module is None:
        raise ImportError(f"{import_name} is not installed: cannot build {name}.inv")
    version = getattr(module, "__version__", "")
    body = "\n".join(inventory_lines(name)) + "\n"
    header = ("# Sphinx inventory version 2\n"
              f"# Project: {title}\n"
              f"# Version: {version}\n"
              "# The remainder of this file is compressed using zlib.\n")
    path = os.path.join(directory, f"{name}.inv")
    with open(path, "wb") as f:
        f.write(header.encode("utf-8"))
        f.write(zlib.compress(body.encode("utf-8"), 9))
    return path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("projects", nargs="*", metavar="PROJECT",
                        help=f"any of {', '.join(sorted(PROJECTS))} (default: all)")
    parser.add_argument("--list", action="store_true", help="print the entries, write nothing")
    parser.add_argument("--out", default=HERE, help="output folder (default: this one)")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.projects) - set(PROJECTS))
    if unknown:
        parser.error(f"unknown project(s) {unknown}; choose from {sorted(PROJECTS)}")
    args.projects = args.projects or sorted(PROJECTS)
    for name in args.projects:
        if args.list:
            print("\n".join(inventory_lines(name)))
            continue
        path = write_inventory(name, args.out)
        print(f"{path}: {len(inventory_lines(name))} entries", file=sys.stderr)


if __name__ == "__main__":
    main()
