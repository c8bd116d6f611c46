"""Sphinx configuration: builds offline (no intersphinx), gallery from ../examples."""

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
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]
autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": False}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
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

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": "/plot_",
    "abort_on_example_error": True,
    "download_all_examples": False,
    "plot_gallery": "True",
    "within_subsection_order": "FileNameSortKey",
}
