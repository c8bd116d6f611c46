"""Sphinx configuration: builds offline (bundled MathJax; intersphinx from docs/_intersphinx/),
gallery from ../examples with "Examples using X" on every API page."""

import os
import sys
from datetime import date

sys.path.insert(0, os.path.abspath(".."))
os.environ.setdefault("MPLBACKEND", "Agg")

import sparsestat  # noqa: E402

project = "sparsestat"
author = "The sparsestat developers"
copyright = f"{date.today().year}, {author}"
version = release = sparsestat.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]
autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": False}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
# link the types of the Parameters / Attributes / Returns entries to the projects'
# docs (docs/_intersphinx): only these words, every other one stays plain text
numpydoc_xref_param_type = True
numpydoc_xref_ignore = "all"
numpydoc_xref_aliases = {
    "ndarray": "numpy.ndarray",
    "dtype": "numpy.dtype",
    "Generator": "numpy.random.Generator",
    "RandomState": "numpy.random.RandomState",
    "spmatrix": "scipy.sparse.spmatrix",
    "csr_matrix": "scipy.sparse.csr_matrix",
    "csc_matrix": "scipy.sparse.csc_matrix",
    "Bunch": "sklearn.utils.Bunch",
    "DiGraph": "networkx.DiGraph",
}
templates_path = ["_templates"]
exclude_patterns = ["_build", "auto_examples/*.ipynb", "auto_examples/*.py",
                    "auto_examples/**/*.ipynb", "auto_examples/**/*.py"]
# inherited scikit-learn docstrings point at its own labels; offline they cannot resolve
suppress_warnings = ["ref.ref", "ref.term", "ref.citation", "autosummary.import_cycle"]

try:
    import pydata_sphinx_theme  # noqa: F401

    html_theme = "pydata_sphinx_theme"
except ImportError:  # pragma: no cover
    html_theme = "alabaster"
html_title = "sparsestat"
html_static_path = ["_static"]

# Maths: a bundled MathJax 2.7.9 subset (TeX input, SVG output, no web fonts) in
# _static/mathjax (see its README.txt), so the build and the pages work offline.
mathjax_path = "mathjax/MathJax.js?config=TeX-AMS_SVG"
mathjax2_config = {"menuSettings": {"zoom": "Click"}}

# Links to other projects' docs. CI builds without network, so each inventory is read
# from docs/_intersphinx/<name>.inv when that file is there; a missing one is skipped
# (no link, no warning). The committed ones are built offline from the installed packages
# by docs/_intersphinx/make_inventories.py (python and matplotlib have none: no links).
# SPARSESTAT_DOCS_ONLINE=1 fetches every inventory from the projects' sites instead.
_INTERSPHINX = {
    "python": "https://docs.python.org/3",
    "numpy": "https://numpy.org/doc/stable",
    "scipy": "https://docs.scipy.org/doc/scipy",
    "sklearn": "https://scikit-learn.org/stable",
    "joblib": "https://joblib.readthedocs.io/en/stable",
    "dask": "https://docs.dask.org/en/stable",
    "distributed": "https://distributed.dask.org/en/stable",
    "networkx": "https://networkx.org/documentation/stable",
    "matplotlib": "https://matplotlib.org/stable",
}
_INV_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_intersphinx")
intersphinx_mapping = {
    name: (url, None if os.environ.get("SPARSESTAT_DOCS_ONLINE") == "1"
           else os.path.join(_INV_DIR, f"{name}.inv"))
    for name, url in _INTERSPHINX.items()
    if os.environ.get("SPARSESTAT_DOCS_ONLINE") == "1"
    or os.path.exists(os.path.join(_INV_DIR, f"{name}.inv"))
}
intersphinx_timeout = 10

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": "/plot_",
    "abort_on_example_error": True,
    "download_all_examples": False,
    "plot_gallery": "True",
    "within_subsection_order": "FileNameSortKey",
    # "Examples using X" on every API page (docs/_templates/autosummary/*.rst)
    "doc_module": ("sparsestat",),
    "backreferences_dir": "generated/backreferences",
    "reference_url": {"sparsestat": None},
    # high-dpi images; examples keep figures at most 8 in wide (the page column)
    "image_srcset": ["2x"],
}
