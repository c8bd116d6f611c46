"""Sparse linear regression under local differential privacy: the estimator."""

import math
import numbers
import warnings

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

from ..exceptions import caller_stacklevel
from ..utils._validation import check_finite_fit
from ._accountant import BudgetAccountant
from ._client import (LocalClients, PrivateReports, as_generator, charge_release, pool_reports,
                      check_budget_supports, noise_scales, privatize, resolve_clip)
from ._server import fit_moments, iht, moments_from_public, moments_from_reports

__all__ = ["LDPSparseRegressor"]

# users privatized per block in ``fit`` with per-user noise: at most this many users
# and about this many report entries (64 MB) per block
_USER_BLOCK = 1 << 16
_BLOCK_ENTRIES = 1 << 23


#: clip_x / clip_y outside this range overflow the noise moments (clip^4) in float64
_CLIP_RANGE = (1e-60, 1e60)

class LDPSparseRegressor(RegressorMixin, BaseEstimator):
    """Sparse linear regression under local differential privacy (LDP).

    Each user holds one ``(x, y)`` and releases only noisy statistics of it, made
    ``(epsilon, delta)``-differentially private on her device; the server estimates a
    sparse ``theta`` from these reports alone (Zhu et al., ICLR 2024). Three protocols:

    * ``"noninteractive"``: every user releases ``x x^T`` and ``x y`` once (half the
      budget each); the server conditions the noisy covariance and runs the engine's
      Lasso in Gram form (or soft-thresholds the closed form).
    * ``"public"``: the server holds public unlabeled features (``public_X``) for the
      covariance; users spend the whole budget on ``x y``.
    * ``"interactive"``: users in disjoint groups each send one noisy clipped gradient;
      the server runs iterative hard thresholding, one group per round.

    ``fit(X, y)`` simulates the users (:func:`privatize`) and then runs the server step,
    which only receives the reports; ``fit_reports`` runs the server step on reports made
    elsewhere. Parts of the protocols are our design (see the user guide).

    Parameters
    ----------
    epsilon : float, default=1.0
        Privacy budget of each user; ``np.inf`` turns privacy off (the non-private
        estimator on clipped data).
    delta : float, default=1e-5
        In (0, 1).
    clip_x : float or array-like of shape (n_features,), default=None
        Public bound: feature ``j`` is clipped to ``[-clip_x_j, clip_x_j]``. None uses
        1.0 with a :class:`PrivacyLeakWarning`; bounds are never read from the data.
        Bounds outside ``[1e-60, 1e60]`` raise a ValueError (the noise moments would
        overflow): rescale the data instead.
    clip_y : float, default=None
        Public bound on the target (and on the gradient residuals), as ``clip_x``.
    protocol : {"noninteractive", "public", "interactive"}, default="noninteractive"
        Which of the three protocols above the users and the server follow.
    alpha : "auto" or float, default="auto"
        L1 penalty (``server_step="lasso"``), threshold (``"threshold"``) or hard
        threshold of the interactive protocol. ``"auto"``: ``Phi^-1(1 - 0.025 / d)``
        (a 5% family-wise level over the d features) times the known noise level of the
        privatized statistics (0 when ``epsilon=inf``).
    min_eig : "auto" or float, default="auto"
        Floor on the eigenvalues of the noisy covariance; ``"auto"`` is the edge of the
        noise spectrum, ``2 sigma_xx sqrt(d / n)``.
    n_nonzero : int, default=None
        Keep at most this many coefficients (the ``k'`` of hard thresholding).
    n_rounds : int, default=None
        Rounds (user groups) of the interactive protocol; None:
        ``max(ceil(log n), min(1000, ceil(sqrt(n) / 20)))``.
    step_size : "auto" or float, default="auto"
        Gradient step of the interactive protocol; ``"auto"`` is ``1 / max(clip_x)^2``
        (``1 / lambda_max`` of a covariance with entries bounded by ``clip_x``
        when the features are uncorrelated).
    mechanism : {"analytic_gaussian", "gaussian"}, default="analytic_gaussian"
        Noise calibration: exact (Balle and Wang 2018) or classical.
    noise : {"aggregate", "per_user"}, default="aggregate"
        ``"aggregate"`` simulates the users with one draw of the exact summed noise;
        ``"per_user"`` perturbs every user's report.
    server_step : {"lasso", "threshold"}, default="lasso"
        Non-interactive server step: the engine's Lasso on the conditioned Gram
        statistics, or the soft-thresholded closed form.
    refit : bool, default=True
        Least squares on the selected support (post-processing, no privacy cost).
    fit_intercept : bool, default=True
        Users also release the statistics of the constant feature.
    accountant : BudgetAccountant, default=None
        Per-user budget to charge; None: a fresh accountant of ``(epsilon, delta)``.
        Fitting twice with the same accountant spends twice (and is refused when over).
    random_state : int, RandomState instance or None, default=None
        Seeds the privacy noise (and the interactive groups). None draws OS entropy.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
        Estimated coefficients (zeros outside ``support_``).
    intercept_ : float
        Estimated intercept; 0.0 when ``fit_intercept=False``.
    support_ : ndarray of shape (n_features,), dtype=bool
        Nonzero coefficients.
    noise_scales_ : dict
        Per-user noise standard deviation of each released statistic.
    epsilon_spent_, delta_spent_ : float
        Budget each user spent.
    accountant_ : BudgetAccountant or None
        The accountant charged by ``fit`` (None after ``fit_reports``: the reports
        were charged where they were made).
    alpha_ : float or ndarray
        Penalty or thresholds used.
    min_eig_ : float or None
        Eigenvalue floor used (non-interactive and public protocols).
    step_size_ : float or None
        Gradient step used (interactive protocol).
    n_users_ : int
        Number of users whose reports the server step used.
    n_iter_ : int
        Lasso epochs or interactive rounds.
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when X has feature
        names that are all strings (not after ``fit_reports``).

    See Also
    --------
    privatize : the client side of the non-interactive protocols.
    sparsestat.linear_model.Lasso : the non-private estimator.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.privacy import LDPSparseRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.choice([-1.0, 1.0], size=(200_000, 5))
    >>> y = X @ np.array([0.5, 0.0, 0.0, -0.5, 0.0]) + 0.1 * rng.standard_normal(200_000)
    >>> model = LDPSparseRegressor(epsilon=4.0, clip_x=1.0, clip_y=2.0, random_state=0)
    >>> np.flatnonzero(model.fit(X, y).coef_)
    array([0, 3])
    """

    _parameter_constraints = {
        "epsilon": [Interval(numbers.Real, 0, None, closed="right")],  # inf: no privacy
        "delta": [Interval(numbers.Real, 0, 1, closed="neither")],
        "clip_x": [Interval(numbers.Real, 0, None, closed="neither"), "array-like", None],
        "clip_y": [Interval(numbers.Real, 0, None, closed="neither"), None],
        "protocol": [StrOptions({"noninteractive", "public", "interactive"})],
        "alpha": [StrOptions({"auto"}), Interval(numbers.Real, 0, None, closed="left")],
        "min_eig": [StrOptions({"auto"}), Interval(numbers.Real, 0, None, closed="left")],
        "n_nonzero": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "n_rounds": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "step_size": [StrOptions({"auto"}), Interval(numbers.Real, 0, None, closed="neither")],
        "mechanism": [StrOptions({"analytic_gaussian", "gaussian"})],
        "noise": [StrOptions({"aggregate", "per_user"})],
        "server_step": [StrOptions({"lasso", "threshold"})],
        "refit": ["boolean"],
        "fit_intercept": ["boolean"],
        "accountant": [HasMethods(["spend", "check"]), None],
        "random_state": ["random_state"],
    }

    def __init__(
        self, epsilon=1.0, delta=1e-5, *, clip_x=None, clip_y=None, protocol="noninteractive",
        alpha="auto", min_eig="auto", n_nonzero=None, n_rounds=None, step_size="auto",
        mechanism="analytic_gaussian", noise="aggregate", server_step="lasso", refit=True,
        fit_intercept=True, accountant=None, random_state=None,
    ):
        self.epsilon = epsilon
        self.delta = delta
        self.clip_x = clip_x
        self.clip_y = clip_y
        self.protocol = protocol
        self.alpha = alpha
        self.min_eig = min_eig
        self.n_nonzero = n_nonzero
        self.n_rounds = n_rounds
        self.step_size = step_size
        self.mechanism = mechanism
        self.noise = noise
        self.server_step = server_step
        self.refit = refit
        self.fit_intercept = fit_intercept
        self.accountant = accountant
        self.random_state = random_state

    # ------------------------------------------------------------------ fit: clients
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, public_X=None):
        """Simulate the users' privatization of ``(X, y)``, then fit from the reports.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            One row per user; never modified, never seen by the server step.
        y : array-like of shape (n_samples,)
            Each user's target; never seen by the server step.
        public_X : array-like of shape (n_public, n_features), default=None
            Public unlabeled features for ``protocol="public"``.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=True)
        n, d = X.shape
        tau1, tau2 = resolve_clip(self.clip_x, self.clip_y, d)
        for name, bound in (("clip_x", tau1), ("clip_y", tau2)):
            # the mechanisms' noise moments grow like clip^4: outside this range they are
            # not representable in float64 (OverflowError or NaN further down)
            bound = np.asarray(bound, dtype=np.float64)
            if np.any(bound < _CLIP_RANGE[0]) or np.any(bound > _CLIP_RANGE[1]):
                raise ValueError(
                    f"{name} must lie in [{_CLIP_RANGE[0]:.0e}, {_CLIP_RANGE[1]:.0e}] (the "
                    f"noise moments overflow float64 beyond), got {bound.min():.3g}"
                    f"{'' if bound.min() == bound.max() else f'..{bound.max():.3g}'}: rescale the "
                    "data and the bound together.")
        accountant = self._accountant()
        rng = as_generator(self.random_state)
        if self.protocol == "interactive":
            if public_X is not None:
                raise ValueError("public_X is only used by protocol='public'.")
            n_rounds = self._n_rounds(n)
            scales = noise_scales(tau1, tau2, self.epsilon, self.delta,
                                  fit_intercept=self.fit_intercept, release="gradient",
                                  mechanism=self.mechanism)
            # the estimate averages the second half of the rounds: half of the users
            check_budget_supports(scales, n // 2, tau1, tau2, self.epsilon, self.delta, d)
            charge_release(accountant, "gradient", self.epsilon, self.delta)
            clients = LocalClients(X, y, self.epsilon, self.delta, tau1, tau2,
                                   fit_intercept=self.fit_intercept, mechanism=self.mechanism,
                                   noise=self.noise, n_groups=n_rounds, random_state=rng)
            del X, y  # from here on the server only talks to the clients
            return self._fit_interactive(clients, accountant)
        release = "xy" if self.protocol == "public" else "moments"
        scales = noise_scales(tau1, tau2, self.epsilon, self.delta,
                              fit_intercept=self.fit_intercept, release=release,
                              mechanism=self.mechanism)
        check_budget_supports(scales, n, tau1, tau2, self.epsilon, self.delta, d)
        common = dict(fit_intercept=self.fit_intercept, release=release,
                      mechanism=self.mechanism, random_state=rng)
        if self.noise == "aggregate":
            reports = privatize(X, y, self.epsilon, self.delta, tau1, tau2, noise="aggregate",
                                accountant=accountant, **common)
        else:
            # every user perturbs her report; the server sums them block by block (the
            # users' budget is charged once: the blocks are disjoint users)
            charge_release(accountant, release, self.epsilon, self.delta)
            m = d + int(self.fit_intercept)
            block = max(1, min(_USER_BLOCK, _BLOCK_ENTRIES // (m * (m + 3) // 2)))
            reports = PrivateReports.concatenate(
                privatize(X[start:start + block], y[start:start + block],
                          self.epsilon, self.delta, tau1, tau2, noise="per_user",
                          **common).sum()
                for start in range(0, n, block))
        del X, y
        return self._fit_from_reports(reports, public_X, accountant, reset=False)

    # ------------------------------------------------------------------ fit: server
    @_fit_context(prefer_skip_nested_validation=True)
    def fit_reports(self, reports, public_X=None):
        """Fit from privatized reports made elsewhere (the server side alone).

        The reports carry the privacy parameters they were made with (clip bounds,
        noise scales, budget); this estimator's ``epsilon``, ``delta``, ``clip_*``,
        ``mechanism``, ``noise`` and ``fit_intercept`` do not apply to them.

        Parameters
        ----------
        reports : PrivateReports, iterable of PrivateReports or dask collection
            From :func:`privatize` (``release="moments"`` for the non-interactive
            protocol, ``"xy"`` for the public-data variant). Batches of disjoint users
            (made with the same public parameters) are pooled as they come: an iterable
            is streamed one batch at a time, and a ``dask.bag.Bag`` of reports (or an
            iterable of dask ``Delayed`` objects / futures) is summed on the cluster,
            so the users' reports never gather on one machine. See
            :func:`~sparsestat.privacy.pool_reports`.
        public_X : array-like of shape (n_public, n_features), default=None
            Public unlabeled features for ``protocol="public"``.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        reports = pool_reports(reports)  # batches / dask collections -> one aggregated row
        if self.protocol == "interactive":
            raise ValueError("The interactive protocol needs the users in the loop (one "
                             "gradient per round): use fit(X, y).")
        return self._fit_from_reports(reports, public_X, None, reset=True)

    def _fit_from_reports(self, reports, public_X, accountant, *, reset):
        d, n = reports.n_features, reports.n_users
        if reset:
            self.n_features_in_ = d
            if hasattr(self, "feature_names_in_"):
                del self.feature_names_in_
            check_budget_supports(reports.noise_scales, n, reports.clip_x, reports.clip_y,
                                  reports.epsilon, reports.delta, d)
        expected = "xy" if self.protocol == "public" else "moments"
        if reports.release != expected:
            raise ValueError(
                f"protocol={self.protocol!r} needs reports with release={expected!r}, got "
                f"{reports.release!r}.")
        if self.protocol == "public":
            if public_X is None:
                raise ValueError("protocol='public' needs public_X, the public unlabeled "
                                 "features (n_public, n_features).")
            public_X = check_array(public_X, dtype=np.float64)
            if public_X.shape[1] != d:
                raise ValueError(f"public_X has {public_X.shape[1]} features, the reports "
                                 f"{d}.")
        elif public_X is not None:
            raise ValueError("public_X is only used by protocol='public'.")
        xx_sum = None if reports.xx is None else reports.xx.sum(axis=0)
        Sigma, c, mean_x, mean_y = moments_from_reports(
            reports.xy.sum(axis=0), xx_sum, n, d, reports.fit_intercept)
        s_xy = reports.noise_scales["xy"] / math.sqrt(n)
        if self.protocol == "public":
            Sigma, mean_x = moments_from_public(public_X, reports.clip_x,
                                                reports.fit_intercept)
            if reports.fit_intercept:  # c = E[x y] - E[x] E[y], with the public mean
                c = c - mean_x * mean_y
            s_xx = 0.0
        else:
            s_xx = reports.noise_scales["xx"] / math.sqrt(n)
        coef, info = fit_moments(
            Sigma, c, s_xx=s_xx, s_xy=s_xy, alpha=self.alpha, min_eig=self.min_eig,
            server_step=self.server_step, n_nonzero=self.n_nonzero, refit=self.refit)
        if not info["converged"]:
            warnings.warn("The Lasso server step did not converge; the coefficients are "
                          "those of the last epoch.", ConvergenceWarning,
                          stacklevel=caller_stacklevel())
        intercept = float(mean_y - mean_x @ coef) if reports.fit_intercept else 0.0
        self._set_fitted(coef, intercept, reports.noise_scales, n)
        self.alpha_ = info["alpha"]
        self.min_eig_ = info["min_eig"]
        self.step_size_ = None
        self.n_iter_ = info["n_iter"]
        self.epsilon_spent_, self.delta_spent_ = reports.epsilon, reports.delta
        self.accountant_ = accountant
        return self

    def _fit_interactive(self, clients, accountant):
        theta, info = iht(
            clients.respond, n_groups=clients.n_groups, group_sizes=clients.group_sizes,
            sigma=clients.sigma, n_features=clients.n_features,
            fit_intercept=clients.fit_intercept, clip_x=clients.clip_x,
            clip_y=clients.clip_y, step_size=self.step_size, alpha=self.alpha,
            n_nonzero=self.n_nonzero)
        off = int(clients.fit_intercept)
        intercept = float(theta[0]) if off else 0.0
        self._set_fitted(theta[off:], intercept, clients.noise_scales, clients.n_users)
        self.alpha_ = info["alpha"]
        self.step_size_ = info["step_size"]
        self.min_eig_ = None
        self.n_iter_ = info["n_iter"]
        self.epsilon_spent_, self.delta_spent_ = clients.epsilon, clients.delta
        self.accountant_ = accountant
        return self

    # ------------------------------------------------------------------ helpers
    def _accountant(self):
        if self.accountant is None:
            return BudgetAccountant(self.epsilon, self.delta)
        return self.accountant

    def _n_rounds(self, n):
        if self.n_rounds is not None:
            rounds = self.n_rounds
        else:
            # enough rounds for the gradient steps to converge (tail averaging pools the
            # noise of half the users whatever the number of rounds)
            rounds = max(2, math.ceil(math.log(max(n, 1))),
                         min(1000, math.ceil(math.sqrt(n) / 20)))
        return int(min(rounds, max(n, 1)))

    def _set_fitted(self, coef, intercept, scales, n_users):
        coef = np.asarray(coef, dtype=np.float64)
        check_finite_fit(self, coef_=coef, intercept_=intercept)
        self.coef_ = coef
        self.intercept_ = intercept
        self.support_ = coef != 0
        self.noise_scales_ = dict(scales)
        self.n_users_ = int(n_users)

    def predict(self, X):
        """Predict with the fitted linear model.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples, with the features seen in :term:`fit` (public data: prediction
            spends no budget).

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            ``X @ coef_ + intercept_``.
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=[np.float64, np.float32])
        return X @ self.coef_ + self.intercept_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = False  # seeded by random_state
        return tags
