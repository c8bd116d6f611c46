"""Demo rows for ``python -m sparsestat demo``: CoLiDE on simulated graphs and Sachs."""

import numpy as np

from .._demo import timed_fit
from ..datasets import load_sachs, make_dag, make_linear_sem
from ..metrics import dag_metrics
from . import CoLiDE


def demo_rows():
    """Fit CoLiDE-EV and CoLiDE-NV on an ER2 graph (d=20) and on the Sachs data."""
    B = make_dag(20, 40, graph_type="ER", random_state=1)
    X, _ = make_linear_sem(B, 1000, random_state=1)
    rng = np.random.default_rng(1)
    X_nv, _ = make_linear_sem(B, 1000, noise_variance=rng.uniform(0.5, 10, 20),
                              random_state=1)
    for variance, data, label in (("equal", X, "ER2 d=20 n=1000 EV noise"),
                                  ("non-equal", X_nv, "ER2 d=20 n=1000 NV noise")):
        est, seconds = timed_fit(CoLiDE(variance=variance), data)
        yield {"estimator": f"CoLiDE({variance})", "data": label, "metric": "SHD",
               "score": float(dag_metrics(B, est.adjacency_)["shd"]),
               "fit_time": seconds}
    Xs, Bs = load_sachs(return_X_y=True)
    est, seconds = timed_fit(CoLiDE(variance="non-equal"), Xs)
    yield {"estimator": "CoLiDE(non-equal)", "data": "Sachs cd3cd28 (853 x 11)",
           "metric": "SHD", "score": float(dag_metrics(Bs, est.adjacency_)["shd"]),
           "fit_time": seconds}
