"""Kernels that serve one family each, on top of the shared core one folder up.

The core (``sparsestat/_engine/``) holds what every estimator may combine: datafits,
penalties, the solvers that take any pair of them, duality gaps, column operations, the
compile cache and interruption. Here live the numerics of a single family: CoLiDE's
DAG path (``_colide``, dag), cumulative logit for PRESTO (``_cumulative_logit``,
ordinal), Burer-Monteiro for the SDP relaxation (``_burer_monteiro``, cluster), pinball
ADMM, exact quantile LPs and the simplex weights of the aggregator (``_pinball``,
``_quantile_lp``, ``_simplex``, quantile), the local-privacy mechanisms (``_ldp``,
privacy) and the sparse MLP, its masks and its CUDA path (``_mlp``, ``_masks``,
``_cuda``, nn). A family module may use the core; the core never imports from here.
"""
