"""The shared numerical engine: datafits x penalties x solvers, no scikit-learn inside.

Public names here are the building blocks the estimators are made of. A new penalty or
datafit is one small class (``penalties.py`` / ``datafits.py``) plus its scalar kernels
(``_penalty_kernels.py`` / ``_datafit_kernels.py``); the solvers do not change.
"""

from ._numba import KernelCacheWarning, jit
from .datafits import Datafit, Gamma, Huber, Logistic, Poisson, Quadratic, SquaredHinge, Tweedie
from .penalties import L0, L1, MCP, SCAD, ElasticNet, GroupL1, LogSum, Lq, Penalty
from .solvers import SolverResult, alpha_max_l1, solve, solve_gram, solve_path

__all__ = [
    "jit",
    "KernelCacheWarning",
    "Datafit",
    "Quadratic",
    "Logistic",
    "Huber",
    "SquaredHinge",
    "Poisson",
    "Gamma",
    "Tweedie",
    "Penalty",
    "L1",
    "ElasticNet",
    "MCP",
    "SCAD",
    "L0",
    "Lq",
    "LogSum",
    "GroupL1",
    "SolverResult",
    "solve",
    "solve_gram",
    "solve_path",
    "alpha_max_l1",
]
