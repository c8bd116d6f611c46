"""Validation of quantile levels, shared by the quantile estimators."""

import numbers

import numpy as np


def check_levels(quantiles, name="quantiles"):
    """Return ``(levels, is_scalar)``: a float64 array of strictly increasing levels in (0, 1).

    Raises a ValueError naming the problem (outside (0, 1), unsorted, duplicated, empty).
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
        raise ValueError(
            f"{name} must lie strictly between 0 and 1, got {taus.tolist()}.")
    if np.unique(taus).size != taus.size:
        raise ValueError(f"{name} contains duplicate levels: {taus.tolist()}.")
    if np.any(np.diff(taus) < 0):
        raise ValueError(f"{name} must be sorted in increasing order, got {taus.tolist()}.")
    return taus, is_scalar
