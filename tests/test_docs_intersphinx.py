"""The offline intersphinx inventories (docs/_intersphinx/*.inv) resolve our references.

CI builds the docs without network; docs/conf.py reads these committed inventories,
written by docs/_intersphinx/make_inventories.py from the installed packages.
"""

import os
import re
import runpy

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INV_DIR = os.path.join(ROOT, "docs", "_intersphinx")
PROJECTS = ["sklearn", "numpy", "scipy", "joblib", "dask", "distributed", "networkx"]

pytest.importorskip("sphinx")


def _load(name):
    from sphinx.util.inventory import InventoryFile

    with open(os.path.join(INV_DIR, f"{name}.inv"), "rb") as f:
        inventory = InventoryFile.load(f, "https://example.invalid", os.path.join)
    if hasattr(inventory, "data"):  # Sphinx >= 8.2 returns an _Inventory object
        inventory = inventory.data
    return {objtype: {key: item[2] if isinstance(item, tuple) else item.uri
                      for key, item in entries.items()}
            for objtype, entries in inventory.items()}


def _names(name):
    return {key for entries in _load(name).values() for key in entries}


@pytest.mark.parametrize("name", PROJECTS)
def test_inventory_is_committed_and_readable(name):
    names = _names(name)
    assert len(names) > 50, f"{name}.inv holds only {len(names)} names"


@pytest.mark.parametrize("name, objtype, target, url", [
    ("sklearn", "py:class", "sklearn.linear_model.Lasso",
     "modules/generated/sklearn.linear_model.Lasso.html#sklearn.linear_model.Lasso"),
    ("sklearn", "py:method", "sklearn.linear_model.Lasso.fit",
     "modules/generated/sklearn.linear_model.Lasso.html#sklearn.linear_model.Lasso.fit"),
    ("sklearn", "std:term", "fit", "glossary.html#term-fit"),
    ("numpy", "py:class", "numpy.ndarray",
     "reference/generated/numpy.ndarray.html#numpy.ndarray"),
    ("numpy", "py:class", "numpy.random.Generator",
     "reference/random/generator.html#numpy.random.Generator"),
    ("scipy", "py:class", "scipy.sparse.csr_matrix",
     "reference/generated/scipy.sparse.csr_matrix.html#scipy.sparse.csr_matrix"),
    ("joblib", "py:class", "joblib.Parallel", "generated/joblib.Parallel.html#joblib.Parallel"),
    ("dask", "py:class", "dask.array.Array", "generated/dask.array.Array.html#dask.array.Array"),
    ("distributed", "py:class", "dask.distributed.Client", "api.html#distributed.Client"),
    ("networkx", "py:class", "networkx.DiGraph",
     "reference/classes/digraph.html#networkx.DiGraph"),
])
def test_inventory_urls_follow_each_projects_scheme(name, objtype, target, url):
    assert _load(name)[objtype][target] == f"https://example.invalid/{url}"


_ROLE = re.compile(r":(?:class|func|meth|attr|obj|exc|data|mod):`~?"
                   r"((?:sklearn|numpy|scipy|joblib|dask|distributed|networkx)\.[\w.]+)`")


def _referenced():
    found = set()
    for top in ("docs", "sparsestat", "examples"):
        for dirpath, dirnames, filenames in os.walk(os.path.join(ROOT, top)):
            dirnames[:] = [d for d in dirnames if not d.startswith(("_build", "auto_", "."))
                           and d != "generated"]
            for filename in filenames:
                if filename.endswith((".py", ".rst")):
                    with open(os.path.join(dirpath, filename), encoding="utf-8") as f:
                        found.update(_ROLE.findall(f.read()))
    return found


def test_every_external_reference_of_our_docs_is_in_an_inventory():
    referenced = _referenced()
    assert "sklearn.model_selection.GridSearchCV" in referenced  # the scan sees our docs
    known = set().union(*(_names(name) for name in PROJECTS))
    missing = sorted(referenced - known)
    assert not missing, f"not in docs/_intersphinx/*.inv (rerun make_inventories.py?): {missing}"


def test_the_linked_parameter_types_are_in_an_inventory():
    """docs/conf.py links these words of the numpydoc type fields (e.g. ``ndarray``)."""
    aliases = runpy.run_path(os.path.join(ROOT, "docs", "conf.py"))["numpydoc_xref_aliases"]
    known = set().union(*(_names(name) for name in PROJECTS))
    assert "numpy.ndarray" in aliases.values()
    assert sorted(set(aliases.values()) - known) == []


def test_a_page_links_sklearn_and_numpy_offline(tmp_path):
    """A page built with docs/conf.py's intersphinx mapping gets the external hrefs."""
    from sphinx.cmd.build import build_main

    conf = runpy.run_path(os.path.join(ROOT, "docs", "conf.py"))
    mapping = conf["intersphinx_mapping"]
    for name in PROJECTS:  # read from the committed files, never from the network
        assert mapping[name][1] == os.path.join(INV_DIR, f"{name}.inv")
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        "extensions = ['sphinx.ext.intersphinx']\n"
        f"intersphinx_mapping = {mapping!r}\n"
        "intersphinx_timeout = 1\n")
    (src / "index.rst").write_text(
        "Links\n=====\n\n"
        ":class:`sklearn.linear_model.Lasso`, :class:`numpy.ndarray`,\n"
        ":func:`scipy.optimize.linprog`, :class:`joblib.Parallel`,\n"
        ":class:`dask.array.Array`, :class:`networkx.DiGraph`,\n"
        ":class:`dask.distributed.Client` and :term:`sklearn:fit`.\n")
    out = tmp_path / "html"
    # -n (nitpicky) -W: an unresolved reference fails the build
    assert build_main(["-b", "html", "-n", "-W", "-q", "-E", str(src), str(out)]) == 0
    html = (out / "index.html").read_text()
    for href in [
        "https://scikit-learn.org/stable/modules/generated/sklearn.linear_model.Lasso.html"
        "#sklearn.linear_model.Lasso",
        "https://numpy.org/doc/stable/reference/generated/numpy.ndarray.html#numpy.ndarray",
        "https://docs.scipy.org/doc/scipy/reference/generated/scipy.optimize.linprog.html",
        "https://joblib.readthedocs.io/en/stable/generated/joblib.Parallel.html",
        "https://docs.dask.org/en/stable/generated/dask.array.Array.html",
        "https://networkx.org/documentation/stable/reference/classes/digraph.html",
        "https://distributed.dask.org/en/stable/api.html#distributed.Client",
        "https://scikit-learn.org/stable/glossary.html#term-fit",
    ]:
        assert f'href="{href}' in html, href


def test_generator_writes_a_readable_inventory(tmp_path):
    """make_inventories.py's output round-trips through Sphinx's reader."""
    from sphinx.util.inventory import InventoryFile

    module = runpy.run_path(os.path.join(INV_DIR, "make_inventories.py"))
    path = module["write_inventory"]("joblib", str(tmp_path))
    with open(path, "rb") as f:
        inventory = InventoryFile.load(f, "https://x.invalid", os.path.join)
    data = inventory.data if hasattr(inventory, "data") else inventory
    assert "joblib.Parallel" in data["py:class"]
    assert "joblib.delayed" in data["py:function"]
