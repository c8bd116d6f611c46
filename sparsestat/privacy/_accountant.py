"""Privacy bookkeeping: a budget accountant that refuses to overspend, and the warning.

In the local model every user holds a budget ``(epsilon, delta)`` for everything she
releases. The accountant composes releases by basic sequential composition (epsilons
add, deltas add) and raises :class:`BudgetError` before a release that would exceed the
budget, so no noise is drawn and nothing leaves the user.
"""

import math
import numbers

import numpy as np

from ..exceptions import BudgetError, PrivacyLeakWarning  # noqa: F401  (re-exported)

__all__ = ["BudgetAccountant", "BudgetError", "PrivacyLeakWarning", "check_epsilon_delta"]

# relative slack for floating-point sums such as eps/2 + eps/2
_SLACK = 1e-9


def check_epsilon_delta(epsilon, delta):
    """Validate a privacy budget; ``epsilon = inf`` means no privacy (delta is ignored)."""
    if isinstance(epsilon, bool) or not isinstance(epsilon, numbers.Real) \
            or math.isnan(epsilon) or epsilon <= 0:
        raise ValueError(f"epsilon must be a positive number (np.inf for no privacy), "
                         f"got {epsilon!r}.")
    if isinstance(delta, bool) or not isinstance(delta, numbers.Real) \
            or not 0.0 < delta < 1.0:
        raise ValueError(f"delta must lie strictly between 0 and 1, got {delta!r}.")
    return float(epsilon), float(delta)


class BudgetAccountant:
    """Track what each user has spent of a ``(epsilon, delta)`` budget.

    Parameters
    ----------
    epsilon : float
        Total epsilon of each user (``np.inf``: unlimited).
    delta : float
        Total delta of each user, in (0, 1).

    Attributes
    ----------
    ledger : list of tuple
        ``(label, epsilon, delta)`` for every release, in order.
    spent_epsilon : float
        Sum of the epsilons of ``ledger``.
    spent_delta : float
        Sum of the deltas of ``ledger``.

    Examples
    --------
    >>> from sparsestat.privacy import BudgetAccountant, BudgetError
    >>> acc = BudgetAccountant(1.0, 1e-5)
    >>> acc.spend(0.5, 5e-6, "x x^T")
    >>> acc.remaining()
    (0.5, 5e-06)
    >>> try:
    ...     acc.spend(0.75, 1e-6, "x y")
    ... except BudgetError as exc:
    ...     print("refused")
    refused
    """

    def __init__(self, epsilon, delta):
        self.epsilon, self.delta = check_epsilon_delta(epsilon, delta)
        self.ledger = []

    @property
    def spent_epsilon(self):
        """Sum of the epsilons spent so far."""
        return float(sum(e for _, e, _ in self.ledger))

    @property
    def spent_delta(self):
        """Sum of the deltas spent so far."""
        return float(sum(d for _, _, d in self.ledger))

    def remaining(self):
        """``(epsilon, delta)`` still available.

        Returns
        -------
        remaining : tuple of float
            ``(epsilon, delta)`` left of the budget, each at least 0.
        """
        return (max(self.epsilon - self.spent_epsilon, 0.0),
                max(self.delta - self.spent_delta, 0.0))

    def check(self, epsilon, delta, label="release"):
        """Raise :class:`BudgetError` if spending ``(epsilon, delta)`` would overspend.

        Nothing is recorded; an accountant of ``epsilon = inf`` never refuses.

        Parameters
        ----------
        epsilon : float
            Epsilon the release would spend, >= 0.
        delta : float
            Delta the release would spend, >= 0.
        label : str, default="release"
            Name of the release in the error message.
        """
        if epsilon < 0 or delta < 0 or np.isnan(epsilon) or np.isnan(delta):
            raise ValueError(f"a release spends a nonnegative budget, got ({epsilon}, {delta}).")
        eps_after = self.spent_epsilon + epsilon
        delta_after = self.spent_delta + delta
        if np.isinf(self.epsilon):  # no privacy asked for: nothing to refuse
            return
        over_eps = eps_after > self.epsilon * (1 + _SLACK)
        over_delta = delta_after > self.delta * (1 + _SLACK)
        if over_eps or over_delta:
            left_eps, left_delta = self.remaining()
            raise BudgetError(
                f"Privacy budget exceeded: {label!r} needs (epsilon={epsilon:.4g}, "
                f"delta={delta:.3g}) but only (epsilon={left_eps:.4g}, delta={left_delta:.3g}) "
                f"of the budget (epsilon={self.epsilon:.4g}, delta={self.delta:.3g}) is left. "
                "Each user's data may be released only within the budget: use a new "
                "accountant only for new users, or a larger budget.")

    def spend(self, epsilon, delta, label="release"):
        """Record a release of ``(epsilon, delta)``; raise :class:`BudgetError` if over.

        Releases compose by basic sequential composition: epsilons add, deltas add.

        Parameters
        ----------
        epsilon : float
            Epsilon the release spends, >= 0.
        delta : float
            Delta the release spends, >= 0.
        label : str, default="release"
            Name of the release in ``ledger`` and in the error message.
        """
        self.check(epsilon, delta, label)
        self.ledger.append((str(label), float(epsilon), float(delta)))

    def __repr__(self):
        return (f"BudgetAccountant(epsilon={self.epsilon!r}, delta={self.delta!r}, "
                f"spent=({self.spent_epsilon:.4g}, {self.spent_delta:.3g}))")
