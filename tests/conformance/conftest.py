"""Fixtures and the one expected-failure table of the ported scikit-learn tests.

scikit-learn's own test files (see the header of each ``test_*.py`` here) run on
sparsestat's estimators with only their imports changed. Tests that still fail for a
documented design difference are marked ``xfail`` and tests of scikit-learn's private
helpers are skipped, both from the single table in ``_xfails.py``: one place to read
every difference, each with its reason.
"""

import os

import numpy as np
import pytest

from ._xfails import KNOWN_BUGS, SKIP, SLOW, XFAIL


def pytest_generate_tests(metafunc):
    # scikit-learn's global_random_seed fixture (its default seed; see sklearn/conftest.py)
    if "global_random_seed" in metafunc.fixturenames:
        seed = os.environ.get("SKLEARN_TESTS_GLOBAL_RANDOM_SEED", "42")
        metafunc.parametrize("global_random_seed", [int(seed) if seed.isdigit() else 42])


@pytest.fixture(params=[np.float64])
def global_dtype(request):
    """scikit-learn's global_dtype fixture without its opt-in float32 runs."""
    return request.param


def _lookup(table, item):
    name = f"{item.path.name}::{item.name}"
    base = f"{item.path.name}::{getattr(item, 'originalname', item.name)}"
    return table.get(name, table.get(base))


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if "conformance" not in item.path.parts:
            continue
        reason = _lookup(SKIP, item)
        if reason is not None:
            item.add_marker(pytest.mark.skip(reason=reason))
            continue
        reason = _lookup(XFAIL, item) or _lookup(KNOWN_BUGS, item)
        if reason is not None:
            item.add_marker(pytest.mark.xfail(reason=reason, strict=False))
        if f"{item.path.name}::{getattr(item, 'originalname', item.name)}" in SLOW:
            item.add_marker(pytest.mark.slow)
