"""The code on the docs' landing page and at the top of each user-guide page runs and
prints what the page says."""

import doctest
import glob
import os
import warnings

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GUIDE = sorted(os.path.relpath(p, ROOT) for p in glob.glob(
    os.path.join(ROOT, "docs", "user_guide", "*.rst")) if not p.endswith("index.rst"))


def _run(page):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. the short MLP training's ConvergenceWarning
        return doctest.testfile(os.path.join(ROOT, page), module_relative=False,
                                optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)


@pytest.mark.parametrize("page", ["docs/index.rst"])
def test_page_examples_run(page):
    result = _run(page)
    assert result.attempted >= 30  # every family's block is there
    assert result.failed == 0


@pytest.mark.parametrize("page", GUIDE)
def test_user_guide_pages_open_with_code_that_runs(page):
    with open(os.path.join(ROOT, page), encoding="utf-8") as f:
        text = f.read()
    # the code comes first: before the page's first formula and first section
    first_code = text.find(">>> ")
    assert first_code >= 0, f"{page} has no runnable example"
    for marker in (".. math::", "\n---", "\n~~~"):
        if marker in text:
            assert first_code < text.index(marker), f"{page}: code after {marker!r}"
    result = _run(page)
    assert result.attempted >= 5
    assert result.failed == 0


def test_every_user_guide_page_is_tested():
    assert len(GUIDE) >= 11
