"""The code on the docs' landing page runs and prints what the page says."""

import doctest
import os
import warnings

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.mark.parametrize("page", ["docs/index.rst"])
def test_page_examples_run(page):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. the short MLP training's ConvergenceWarning
        result = doctest.testfile(os.path.join(ROOT, page), module_relative=False,
                                  optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 30  # every family's block is there
    assert result.failed == 0
