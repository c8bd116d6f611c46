import os

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

# Two shared cores: BLAS threads only add contention in tests.
threadpool_limits(limits=1)
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture
def rng():
    return np.random.default_rng(0)
