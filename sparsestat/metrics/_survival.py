"""Survival metrics: Harrell's concordance index of risk scores."""

import numpy as np

from .._engine._cox import concordance_counts, survival_target


def concordance_index(y_true, risk_score, *, sample_weight=None, tied_tol=1e-8):
    """Harrell's concordance index of risk scores on censored survival data.

    The fraction of comparable pairs that the scores order correctly: a pair (i, j) is
    comparable when sample i has an observed event before time ``t_j`` (or at ``t_j``
    with j censored), and concordant when ``risk_score[i] > risk_score[j]``; pairs whose
    scores differ by at most ``tied_tol`` count one half. Equal to scikit-survival's
    ``concordance_index_censored`` without weights. Computed in O(n log n).

    Parameters
    ----------
    y_true : structured array, array-like of shape (n_samples, 2) or (n_samples,)
        Survival target: scikit-survival's structured array (a boolean event field and
        a time field), columns ``[time, event]``, or times with every event observed.
    risk_score : array-like of shape (n_samples,)
        Higher means an earlier expected event (e.g. ``X @ coef_`` of a Cox model).
    sample_weight : array-like of shape (n_samples,), default=None
        A pair counts ``sample_weight[i] * sample_weight[j]``: integer weights act as
        repeated samples.
    tied_tol : float, default=1e-8
        Scores closer than this count as tied.

    Returns
    -------
    cindex : float
        In [0, 1]; 0.5 for random scores, 1 for a perfect ordering.

    Raises
    ------
    ValueError
        When the target is malformed, the lengths differ, or no pair is comparable.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.metrics import concordance_index
    >>> y = np.array([[1.0, 1], [2.0, 1], [3.0, 0]])   # [time, event]
    >>> concordance_index(y, [3.0, 2.0, 1.0])
    1.0
    """
    time, event = survival_target(y_true)
    risk = np.asarray(risk_score, dtype=np.float64).ravel()
    if risk.shape != time.shape:
        raise ValueError(
            f"risk_score has {risk.shape[0]} values for {time.shape[0]} samples.")
    if not np.all(np.isfinite(risk)):
        raise ValueError("risk_score must be finite.")
    if sample_weight is None:
        sw = np.ones_like(time)
    else:
        sw = np.asarray(sample_weight, dtype=np.float64).ravel()
        if sw.shape != time.shape or not np.all(np.isfinite(sw)) or np.any(sw < 0):
            raise ValueError("sample_weight must be finite, nonnegative, one per sample.")
    if not (np.isfinite(tied_tol) and tied_tol >= 0):
        raise ValueError(f"tied_tol must be a finite number >= 0, got {tied_tol}.")
    con, dis, tie = concordance_counts(np.ascontiguousarray(time),
                                       np.ascontiguousarray(event),
                                       np.ascontiguousarray(risk), np.ascontiguousarray(sw),
                                       float(tied_tol))
    total = con + dis + tie
    if total <= 0:
        raise ValueError("No comparable pairs (every sample censored, or all events tied "
                         "with no later time): the concordance index is undefined.")
    return float((con + 0.5 * tie) / total)
