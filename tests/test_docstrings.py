"""Every public object is documented, and every docstring example runs.

The public objects are discovered, not listed: every name in the ``__all__`` of a public
subpackage (what :func:`sparsestat.utils.all_estimators` reads), the top-level
``sparsestat.__all__``, and the public methods these classes define or inherit from a
sparsestat base class.
"""

import dataclasses
import doctest
import importlib
import inspect

import numpy as np
import pytest

import sparsestat
from sparsestat._warmup import public_families

docscrape = pytest.importorskip("numpydoc.docscrape")

# Sections whose entries must each say something, per kind of object.
CLASS_SECTIONS = ("Parameters", "Attributes")
FUNCTION_SECTIONS = ("Parameters", "Returns", "Yields")


def _public_objects():
    """``(qualified name, object)`` for every public class and function, deduplicated."""
    found = {}
    for name in sparsestat.__all__:
        obj = getattr(sparsestat, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            found.setdefault(id(obj), (f"sparsestat.{name}", obj))
    for family in public_families():
        module = importlib.import_module(f"sparsestat.{family}")
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if inspect.isclass(obj) or inspect.isfunction(obj):
                found.setdefault(id(obj), (f"sparsestat.{family}.{name}", obj))
    return sorted(found.values())


def _ours(obj):
    return (getattr(obj, "__module__", None) or "").startswith("sparsestat")


def _public_methods(cls):
    """Public methods and properties of ``cls`` written in sparsestat (inherited ones too)."""
    methods = {}
    for klass in reversed(cls.__mro__):
        if not _ours(klass):
            continue
        for name, attr in vars(klass).items():
            if name.startswith("_"):
                continue
            if isinstance(attr, (staticmethod, classmethod)):
                attr = attr.__func__
            # scikit-learn's available_if wraps a method in a descriptor holding it as fn
            attr = getattr(attr, "fn", attr)
            if inspect.isfunction(attr) and _ours(attr):
                methods[name] = attr
            elif isinstance(attr, property) and attr.fget is not None and _ours(attr.fget):
                methods[name] = attr
            else:
                methods.pop(name, None)  # overridden by something not ours
    return methods


PUBLIC = _public_objects()


def _documented_entries():
    """One row per documented object: ``(name, object, sections to check)``."""
    rows = []
    for qualname, obj in PUBLIC:
        if inspect.isclass(obj):
            rows.append((qualname, obj, CLASS_SECTIONS))
            for mname, meth in sorted(_public_methods(obj).items()):
                if isinstance(meth, property):
                    continue  # a property is described as an entry of Attributes
                rows.append((f"{qualname}.{mname}", meth, FUNCTION_SECTIONS))
        else:
            rows.append((qualname, obj, FUNCTION_SECTIONS))
    return rows


ENTRIES = _documented_entries()


def undescribed_entries(qualname, obj, sections):
    """``section:entry`` for each entry with a name and no description."""
    if inspect.isclass(obj):
        doc = docscrape.ClassDoc(obj, config={"show_class_members": False})
    else:
        doc = docscrape.FunctionDoc(obj)
    missing = []
    for section in sections:
        for entry in doc[section]:
            if not "".join(entry.desc).strip():
                missing.append(f"{section}:{entry.name or entry.type}")
    return missing


def undocumented_parameters(obj):
    """Parameters of the signature that have no entry in the docstring."""
    if inspect.isclass(obj):
        if not _ours(obj.__init__):
            return []
        doc = docscrape.ClassDoc(obj, config={"show_class_members": False})
        func = obj.__init__
        sections = ["Parameters"]
        if dataclasses.is_dataclass(obj):
            sections.append("Attributes")  # a dataclass's fields are its parameters
    else:
        doc = docscrape.FunctionDoc(obj)
        func = obj.fget if isinstance(obj, property) else obj
        sections = ["Parameters"]
    documented = {
        name.strip().lstrip("*")
        for section in sections
        for entry in doc[section]
        for name in entry.name.split(",")
    }
    return [
        name for name in inspect.signature(func).parameters
        if name not in ("self", "cls") and name not in documented
    ]


def test_discovery_finds_the_public_api():
    names = {qualname for qualname, _ in PUBLIC}
    # one object of each kind, so an empty discovery cannot pass the tests below
    assert "sparsestat.linear_model.Lasso" in names
    assert "sparsestat.linear_model.enet_path" in names
    assert "sparsestat.nn.SparseMLPRegressor" in names
    assert "sparsestat.warmup" in names
    # every estimator scikit-learn's common checks run on is documented here too
    from sparsestat.utils import all_estimators

    objects = {id(obj) for _, obj in PUBLIC}
    assert all(id(cls) in objects for _, cls in all_estimators())
    methods = {qualname for qualname, _, _ in ENTRIES}
    assert "sparsestat.linear_model.Lasso.fit" in methods
    assert "sparsestat.linear_model.LassoCV.predict" in methods


def test_undescribed_entry_is_detected():
    def documented_badly(a, b):
        """Do nothing.

        Parameters
        ----------
        a : int
            Described.
        b : int

        Returns
        -------
        out : None
        """

    assert undescribed_entries("f", documented_badly, FUNCTION_SECTIONS) == [
        "Parameters:b",
        "Returns:out",
    ]


@pytest.mark.parametrize(
    "qualname, obj, sections", ENTRIES, ids=[row[0] for row in ENTRIES]
)
def test_every_entry_is_described(qualname, obj, sections):
    missing = undescribed_entries(qualname, obj, sections)
    assert not missing, f"{qualname} has entries without a description: {missing}"


@pytest.mark.parametrize("qualname, obj", PUBLIC, ids=[row[0] for row in PUBLIC])
def test_public_objects_have_examples(qualname, obj):
    if inspect.isclass(obj):
        doc = docscrape.ClassDoc(obj, config={"show_class_members": False})
    else:
        doc = docscrape.FunctionDoc(obj)
    assert any(">>>" in line for line in doc["Examples"]), f"{qualname} has no runnable example"


@pytest.mark.parametrize(
    "qualname, obj, sections", ENTRIES, ids=[row[0] for row in ENTRIES]
)
def test_every_parameter_has_an_entry(qualname, obj, sections):
    missing = undocumented_parameters(obj)
    assert not missing, f"{qualname} does not document the parameters {missing}"


CLASSES = [row for row in PUBLIC if inspect.isclass(row[1])]


@pytest.mark.parametrize("qualname, cls", CLASSES, ids=[row[0] for row in CLASSES])
def test_public_properties_are_attributes(qualname, cls):
    # a property is a fitted or derived attribute: help(cls) must list and describe it
    doc = docscrape.ClassDoc(cls, config={"show_class_members": False})
    described = {
        name.strip()
        for entry in doc["Attributes"] if "".join(entry.desc).strip()
        for name in entry.name.split(",")
    }
    missing = [name for name, attr in _public_methods(cls).items()
               if isinstance(attr, property) and name not in described]
    assert not missing, f"{qualname} does not describe the attributes {missing}"


def test_missing_parameter_is_detected():
    def documented_partly(a, b, *, c=1, **kwargs):
        """Do nothing.

        Parameters
        ----------
        a, b : int
            Described together.
        **kwargs : dict
            Anything.
        """

    assert undocumented_parameters(documented_partly) == ["c"]


def _doctests():
    """Every docstring example of the public objects and their methods, once each."""
    finder = doctest.DocTestFinder(recurse=False)
    tests = {}
    targets = {}
    for qualname, obj, _ in ENTRIES:
        targets.setdefault(id(obj), (qualname, obj))
        if inspect.isclass(obj):
            for mname, meth in _public_methods(obj).items():
                if isinstance(meth, property):
                    targets.setdefault(id(meth.fget), (f"{qualname}.{mname}", meth.fget))
    # the engine's objects (penalties and datafits given to GeneralizedLinearEstimator,
    # solve...) are not a public family, but their examples must run too
    engine = importlib.import_module("sparsestat._engine")
    for name in engine.__all__:
        obj = getattr(engine, name)
        qualname = f"sparsestat._engine.{name}"
        targets.setdefault(id(obj), (qualname, obj))
        if inspect.isclass(obj):
            for mname, meth in _public_methods(obj).items():
                meth = meth.fget if isinstance(meth, property) else meth
                targets.setdefault(id(meth), (f"{qualname}.{mname}", meth))
    # one docstring, one test: a method inherited by several estimators runs once
    for qualname, target in targets.values():
        for test in finder.find(target, qualname, module=False, globs={}):
            if test.examples:
                tests.setdefault(test.name, test)
    return [tests[name] for name in sorted(tests)]


def run_doctest(test):
    """Run one doctest on a copy of its globals; return ``(n_failed, report)``."""
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report = []
    # a copy: the runner clears the globals it was given when it finishes
    test = doctest.DocTest(test.examples, dict(test.globs), test.name, test.filename,
                           test.lineno, test.docstring)
    runner.run(test, out=report.append)
    return runner.failures, "".join(report)


DOCTESTS = _doctests()


def test_doctests_are_found():
    assert len(DOCTESTS) >= 30


def test_failing_example_is_detected():
    def wrong():
        """Add.

        Examples
        --------
        >>> 1 + 1
        3
        """

    (test,) = doctest.DocTestFinder(recurse=False).find(wrong, "wrong", module=False,
                                                        globs={})
    failures, report = run_doctest(test)
    assert failures == 1 and "Expected:" in report


@pytest.mark.parametrize("test", DOCTESTS, ids=[t.name for t in DOCTESTS])
def test_docstring_example(test):
    failures, report = run_doctest(test)
    if failures:
        pytest.fail(report, pytrace=False)
