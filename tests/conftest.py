import os

import numpy as np
import pytest
from hypothesis import settings
from threadpoolctl import threadpool_limits

# Two shared cores: BLAS threads only add contention in tests.
threadpool_limits(limits=1)
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture
def rng():
    return np.random.default_rng(0)


# CI runs a fixed set of hypothesis examples (reproducible verdicts); developers' runs
# keep exploring new ones.
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")
