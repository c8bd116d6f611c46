"""Validation helpers shared by the estimators (boundary checks, not numerics)."""

import numbers

import numpy as np
from sklearn.utils.validation import _check_sample_weight

__all__ = [
    "rescale_weights", "normalized_sample_weight",
    "check_penalty_factor", "check_finite_fit", "check_bounds_array", "check_quantile_levels",
    "check_grid",
]


def check_grid(values, name, *, low=0.0, high=None):
    """A non-empty 1-d float64 array of finite values in ``[low, high]``, or a ValueError.

    For array-like parameters (``alphas``, a list of ``l1_ratio``) that
    ``_parameter_constraints`` only knows as "array-like".
    """
    items = list(values) if isinstance(values, (list, tuple)) else np.ravel(values).tolist()
    for i, v in enumerate(items):
        # scikit-learn's per-element wording (sklearn.utils.check_scalar), so code written
        # against scikit-learn's messages keeps working
        if not isinstance(v, numbers.Real) or isinstance(v, bool):
            raise TypeError(f"{name}[{i}] must be an instance of float, not "
                            f"{type(v).__name__}.")
    arr = np.asarray(items, dtype=np.float64)
    if arr.size == 0:
        raise ValueError(f"{name} is empty: give at least one value.")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, got {arr.tolist()}.")
    for i, v in enumerate(items):
        if v < low:
            raise ValueError(f"{name}[{i}] == {v}, must be >= {low}.")
        if high is not None and v > high:
            raise ValueError(f"{name}[{i}] == {v}, must be <= {high}.")
    return arr


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


def check_quantile_levels(quantiles, name="quantiles"):
    """Return ``(levels, is_scalar)``: float64 levels, strictly increasing, inside (0, 1).

    Shared by the quantile estimators and the quantile metrics. Raises a ValueError
    naming the problem (empty, outside (0, 1), unsorted, duplicated) and a TypeError for
    non-numeric input.
    """
    is_scalar = isinstance(quantiles, numbers.Real) and not isinstance(quantiles, bool)
    try:
        taus = np.atleast_1d(np.asarray(quantiles, dtype=np.float64))
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a float or a 1-D sequence of floats, got "
                        f"{quantiles!r}.") from exc
    if taus.ndim != 1 or taus.size == 0:
        raise ValueError(f"{name} must be a float or a non-empty 1-D sequence of levels.")
    if not np.all(np.isfinite(taus)) or np.any(taus <= 0.0) or np.any(taus >= 1.0):
        raise ValueError(f"{name} must lie strictly between 0 and 1, got {taus.tolist()}.")
    if np.unique(taus).size != taus.size:
        raise ValueError(f"{name} must be strictly increasing: duplicate levels in "
                         f"{taus.tolist()}.")
    if np.any(np.diff(taus) < 0):
        raise ValueError(f"{name} must be strictly increasing (sorted), got "
                         f"{taus.tolist()}.")
    return taus, is_scalar


def rescale_weights(sw, n):
    """``sw * (n / sw.sum())`` without overflow: weights of 1e-310 or 1e300 are fine.

    Weights whose largest entry is far from one are first divided by it (``n / sum``
    would overflow for denormal weights, the sum for huge ones); ordinary weights take
    the direct formula, so their fits stay bitwise as before.
    """
    top = float(sw.max()) if sw.size else 0.0
    if not np.isfinite(top):
        raise ValueError("sample_weight must be finite.")
    if top <= 0:
        raise ValueError("sample_weight must have a positive sum.")
    if not 2.0 ** -500 < top < 2.0 ** 500:
        sw = sw / top
    return sw * (n / sw.sum())


def normalized_sample_weight(sample_weight, X):
    """Sample weights rescaled to sum to ``n_samples`` (scikit-learn's convention), or None."""
    if sample_weight is None:
        return None
    sw = _check_sample_weight(sample_weight, X, dtype=np.float64, ensure_non_negative=True)
    return rescale_weights(sw, X.shape[0])
