"""Validation helpers shared by the estimators (boundary checks, not numerics)."""

import numbers

import numpy as np

__all__ = ["check_penalty_factor", "check_finite_fit", "check_bounds_array"]


def check_penalty_factor(penalty_factor, n_features):
    """Return a float64 array of shape (n_features,) of nonnegative finite factors."""
    if penalty_factor is None:
        return np.ones(n_features)
    pf = np.asarray(penalty_factor, dtype=np.float64)
    if pf.ndim == 0:
        pf = np.full(n_features, float(pf))
    if pf.shape != (n_features,):
        raise ValueError(
            f"penalty_factor has shape {pf.shape}, expected ({n_features},) to match the "
            f"number of features."
        )
    if not np.all(np.isfinite(pf)) or np.any(pf < 0):
        raise ValueError("penalty_factor must be finite and nonnegative.")
    return pf


def check_bounds_array(value, n_features, name):
    """Broadcast a scalar or array bound to shape (n_features,) as float64."""
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim == 0:
        return np.full(n_features, float(arr))
    if arr.shape != (n_features,):
        raise ValueError(f"{name} has shape {arr.shape}, expected ({n_features},).")
    return arr.copy()


def check_finite_fit(estimator, **arrays):
    """Raise ``ValueError`` when a fitted quantity is not finite (overflow, bad scaling)."""
    for name, value in arrays.items():
        if isinstance(value, numbers.Number):
            ok = np.isfinite(value)
        else:
            ok = np.all(np.isfinite(np.asarray(value)))
        if not ok:
            raise ValueError(
                f"{type(estimator).__name__} produced a non-finite {name}: the problem is "
                "badly scaled or ill-posed (try standardizing X or a larger alpha)."
            )
