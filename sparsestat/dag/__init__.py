"""DAG structure learning: CoLiDE (concomitant linear DAG estimation) and its helpers."""

from ..utils._pickle import register_versioned_pickle
from ._bootstrap import bootstrap_edge_frequency
from ._colide import CoLiDE, is_dag, threshold_to_dag
from ._plot import DAGDisplay

__all__ = ["CoLiDE", "DAGDisplay", "bootstrap_edge_frequency", "is_dag", "threshold_to_dag"]

register_versioned_pickle(__name__)  # pickles carry sparsestat's version


def _warmup():
    import numpy as np

    rng = np.random.default_rng(0)
    X = rng.standard_normal((30, 3))
    X[:, 1] += X[:, 0]
    for solver in ("adam", "prox"):
        CoLiDE(solver=solver, s=(1.0,), max_iter_last=5, checkpoint=2, tol=1.0).fit(X)
