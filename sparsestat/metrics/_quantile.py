"""Scores of quantile forecasts: pinball loss, weighted interval score, coverage,
calibration error (Gneiting & Raftery 2007; Bracher et al. 2021; Fakoor et al. 2023)."""

import numpy as np
from sklearn.utils.validation import check_array, check_consistent_length

from ..utils._validation import check_quantile_levels

__all__ = ["pinball_loss", "weighted_interval_score", "interval_coverage",
           "quantile_calibration_error"]


def _check_levels(quantiles, n_columns=None):
    taus, _ = check_quantile_levels(quantiles)
    if n_columns is not None and n_columns != taus.size:
        raise ValueError(
            f"y_quantiles has {n_columns} columns but {taus.size} quantile levels were given.")
    return taus


def _check_inputs(y_true, y_quantiles, quantiles, sample_weight=None):
    y = check_array(y_true, ensure_2d=False, dtype=np.float64, input_name="y_true")
    if y.ndim != 1:
        raise ValueError(f"y_true must be 1-D, got shape {y.shape}.")
    Q = check_array(y_quantiles, ensure_2d=False, dtype=np.float64, input_name="y_quantiles")
    if Q.ndim == 1:
        Q = Q[:, None]
    check_consistent_length(y, Q)
    taus = _check_levels(quantiles, Q.shape[1])
    if sample_weight is None:
        sw = np.ones(y.shape[0])
    else:
        sw = check_array(sample_weight, ensure_2d=False, dtype=np.float64,
                         input_name="sample_weight")
        check_consistent_length(y, sw)
        if np.any(sw < 0) or sw.sum() <= 0:
            raise ValueError("sample_weight must be nonnegative with a positive sum.")
    return y, Q, taus, sw


def pinball_loss(y_true, y_quantiles, quantiles, *, sample_weight=None,
                 multioutput="uniform_average"):
    """Pinball (quantile) loss, averaged over samples and levels.

    ``rho_tau(r) = max(tau r, (tau - 1) r)`` with ``r = y - q``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed values.
    y_quantiles : array-like of shape (n_samples, n_levels) or (n_samples,)
        Predicted quantiles, one column per level (1-d for a single level).
    quantiles : float or array-like of shape (n_levels,)
        Levels in (0, 1), strictly increasing.
    sample_weight : array-like of shape (n_samples,), default=None
        Weights of the samples in the average (nonnegative, positive sum); None gives
        every sample weight 1.
    multioutput : {"uniform_average", "raw_values"}, default="uniform_average"
        Average over levels, or return one loss per level.

    Returns
    -------
    loss : float or ndarray of shape (n_levels,)
        Weighted mean pinball loss over the samples, averaged over the levels or one
        per level (``multioutput="raw_values"``). Lower is better; 0 is perfect.

    Examples
    --------
    >>> from sparsestat.metrics import pinball_loss
    >>> round(pinball_loss([1.0, 2.0], [[0.0, 1.0], [2.0, 3.0]], [0.1, 0.9]), 6)
    0.05
    """
    y, Q, taus, sw = _check_inputs(y_true, y_quantiles, quantiles, sample_weight)
    r = y[:, None] - Q
    loss = np.maximum(taus * r, (taus - 1.0) * r)
    per_level = (sw @ loss) / sw.sum()
    if multioutput == "raw_values":
        return per_level
    if multioutput != "uniform_average":
        raise ValueError("multioutput must be 'uniform_average' or 'raw_values'.")
    return float(per_level.mean())


def weighted_interval_score(y_true, y_quantiles, quantiles, *, sample_weight=None):
    """Weighted interval score (Bracher et al. 2021) of a set of quantile forecasts.

    With ``K`` central intervals ``[q_{a/2}, q_{1 - a/2}]`` and possibly the median::

        WIS = (0.5 |y - m| + sum_k a_k / 2 * IS_{a_k}) / (K + 1/2),
        IS_a = (u - l) + 2/a (l - y)_+ + 2/a (y - u)_+,

    computed through the identity ``WIS = 2 x mean pinball loss`` over the levels, valid
    when the level set is symmetric (``tau`` and ``1 - tau`` both present). Non-symmetric
    level sets raise a ValueError.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed values.
    y_quantiles : array-like of shape (n_samples, n_levels)
        Predicted quantiles, one column per level.
    quantiles : array-like of shape (n_levels,)
        Strictly increasing, symmetric around 0.5.
    sample_weight : array-like of shape (n_samples,), default=None
        Weights of the samples in the average (nonnegative, positive sum); None gives
        every sample weight 1.

    Returns
    -------
    wis : float
        Weighted mean over the samples of their WIS, in the units of y. Lower is
        better.

    Examples
    --------
    >>> from sparsestat.metrics import weighted_interval_score
    >>> weighted_interval_score([1.0], [[0.0, 1.0, 2.0]], [0.1, 0.5, 0.9])
    0.13333333333333333
    """
    y, Q, taus, sw = _check_inputs(y_true, y_quantiles, quantiles, sample_weight)
    if not np.allclose(taus, 1.0 - taus[::-1], atol=1e-9):
        raise ValueError(
            "weighted_interval_score needs a symmetric level set (tau and 1 - tau); got "
            f"{taus.tolist()}.")
    pairs = [(k, taus.size - 1 - k) for k in range(taus.size // 2)]
    score = np.zeros(y.shape[0])
    for lo, hi in pairs:
        a = 2.0 * taus[lo]
        low, up = Q[:, lo], Q[:, hi]
        interval = (up - low) + 2.0 / a * np.maximum(low - y, 0) + 2.0 / a * np.maximum(y - up, 0)
        score += a / 2.0 * interval
    if taus.size % 2:
        score += 0.5 * np.abs(y - Q[:, taus.size // 2])
    score /= len(pairs) + 0.5 * (taus.size % 2)
    return float(sw @ score / sw.sum())


def interval_coverage(y_true, y_lower, y_upper=None, *, sample_weight=None):
    """Fraction of samples with ``lower <= y <= upper``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed values.
    y_lower : array-like of shape (n_samples,) or (n_samples, 2)
        Lower bounds, or both bounds as two columns (as returned by ``predict_interval``).
    y_upper : array-like of shape (n_samples,), default=None
        Upper bounds; None when ``y_lower`` holds both columns.
    sample_weight : array-like of shape (n_samples,), default=None
        Weights of the samples in the average (nonnegative, positive sum); None gives
        every sample weight 1.

    Returns
    -------
    coverage : float
        Weighted fraction of samples inside their interval (bounds included), to
        compare with the nominal coverage.

    Examples
    --------
    >>> from sparsestat.metrics import interval_coverage
    >>> interval_coverage([1.0, 5.0], [[0.0, 2.0], [0.0, 2.0]])
    0.5
    """
    y = check_array(y_true, ensure_2d=False, dtype=np.float64, input_name="y_true")
    lower = check_array(y_lower, ensure_2d=False, dtype=np.float64, input_name="y_lower")
    if y_upper is None:
        if lower.ndim != 2 or lower.shape[1] != 2:
            raise ValueError("Pass y_upper, or y_lower of shape (n_samples, 2).")
        lower, upper = lower[:, 0], lower[:, 1]
    else:
        upper = check_array(y_upper, ensure_2d=False, dtype=np.float64, input_name="y_upper")
    check_consistent_length(y, lower, upper)
    if np.any(lower > upper):
        raise ValueError("Some lower bounds exceed their upper bounds.")
    sw = np.ones(y.shape[0]) if sample_weight is None else np.asarray(sample_weight, float)
    inside = (lower <= y) & (y <= upper)
    return float(sw @ inside / sw.sum())


def quantile_calibration_error(y_true, y_quantiles, quantiles, *, sample_weight=None):
    """Mean absolute calibration error: ``mean_l |P(y <= q_l) - tau_l|``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed values.
    y_quantiles : array-like of shape (n_samples, n_levels)
        Predicted quantiles, one column per level.
    quantiles : array-like of shape (n_levels,)
        The nominal levels of the columns, in (0, 1), strictly increasing.
    sample_weight : array-like of shape (n_samples,), default=None
        Weights of the samples in the average (nonnegative, positive sum); None gives
        every sample weight 1.

    Returns
    -------
    error : float
        Mean over the levels of ``|observed frequency of y <= q_l - tau_l|``, in [0, 1];
        0 for perfectly calibrated quantiles.

    Examples
    --------
    >>> from sparsestat.metrics import quantile_calibration_error
    >>> quantile_calibration_error([0.0, 1.0], [[0.5], [0.5]], [0.5])
    0.0
    """
    y, Q, taus, sw = _check_inputs(y_true, y_quantiles, quantiles, sample_weight)
    below = (y[:, None] <= Q)
    freq = (sw @ below) / sw.sum()
    return float(np.mean(np.abs(freq - taus)))
