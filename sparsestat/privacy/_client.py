"""The client side of the local protocols: what leaves a user's device.

A user holds one ``(x, y)``. She clips it to public bounds and releases noisy
statistics; only these reports (and the public parameters they were made with) ever
reach the server, which is the estimator's ``fit_reports`` and the functions of
``_server.py`` (that module never imports this one).

Releases (``z = (1, x)`` with ``fit_intercept``, else ``z = x``; clipping
``x_j -> clip(x_j, -tau1_j, tau1_j)`` and ``y -> clip(y, -tau2, tau2)``):

* ``"moments"`` (non-interactive protocol): the upper triangle of ``z z^T`` and
  ``z y``, each with half of the budget.
* ``"xy"`` (public-data variant): ``z y`` only, with the whole budget.
* gradients (interactive protocol, :class:`LocalClients`): one clipped gradient
  ``z clip(<z, theta> - y, -tau2, tau2)`` per user, with the whole budget.

``noise="per_user"`` really perturbs every user's report. ``noise="aggregate"``
returns the sum over users with one draw of the summed noise, whose distribution
(Gaussian, variance ``n sigma^2`` per entry) is exactly that of the sum of the
per-user reports: the server sees the same distribution, millions of users in seconds.
"""

import math
import numbers
import warnings
from dataclasses import dataclass, replace

import numpy as np
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_array, check_consistent_length

from .._engine.families._ldp import add_clipped_moments
from ..exceptions import caller_stacklevel
from ..utils._dask import is_dask_collection, is_dask_object
from ._accountant import BudgetAccountant, PrivacyLeakWarning, check_epsilon_delta
from ._mechanisms import MECHANISMS, calibrate_sigma, gaussian_delta

__all__ = ["PrivateReports", "pool_reports", "privatize", "LocalClients", "noise_scales",
           "resolve_clip", "check_budget_supports", "charge_release", "as_generator", "DEFAULT_CLIP"]

#: Data-independent clip bound used (with a PrivacyLeakWarning) when none is given:
#: features and target are assumed scaled to [-1, 1] with public bounds.
DEFAULT_CLIP = 1.0
_CHUNK = 1 << 15


def as_generator(random_state):
    """A ``numpy.random.Generator`` from None / int / RandomState / Generator.

    ``None`` draws fresh OS entropy (privacy noise must not be predictable).
    """
    if isinstance(random_state, np.random.Generator):
        return random_state
    if random_state is None:
        return np.random.default_rng()
    seed = check_random_state(random_state).randint(np.iinfo(np.int32).max)
    return np.random.default_rng(seed)


def resolve_clip(clip_x, clip_y, n_features):
    """Clip bounds as ``(tau1 array of shape (n_features,), tau2 float)``.

    Bounds are never read from the data: a missing bound becomes ``DEFAULT_CLIP`` with a
    :class:`PrivacyLeakWarning`.
    """
    if clip_x is None:
        warnings.warn(
            f"clip_x was not given: using the data-independent default {DEFAULT_CLIP} "
            "(features assumed scaled to [-1, 1]). Bounds read from the data would leak "
            "it; pass clip_x from public knowledge to silence this warning.",
            PrivacyLeakWarning, stacklevel=caller_stacklevel())
        clip_x = DEFAULT_CLIP
    if clip_y is None:
        warnings.warn(
            f"clip_y was not given: using the data-independent default {DEFAULT_CLIP} "
            "(target assumed scaled to [-1, 1]). Bounds read from the data would leak it; "
            "pass clip_y from public knowledge to silence this warning.",
            PrivacyLeakWarning, stacklevel=caller_stacklevel())
        clip_y = DEFAULT_CLIP
    tau1 = np.asarray(clip_x, dtype=np.float64)
    if tau1.ndim == 0:
        tau1 = np.full(n_features, float(tau1))
    if tau1.shape != (n_features,):
        raise ValueError(f"clip_x has shape {tau1.shape}; expected a positive number or an "
                         f"array of shape ({n_features},), one bound per feature.")
    if not np.all(np.isfinite(tau1)) or np.any(tau1 <= 0):
        raise ValueError(f"clip_x must be positive and finite, got {clip_x!r}.")
    if isinstance(clip_y, bool) or not isinstance(clip_y, numbers.Real) \
            or not math.isfinite(clip_y) or clip_y <= 0:
        raise ValueError(f"clip_y must be a positive finite number, got {clip_y!r}.")
    return tau1, float(clip_y)


def _augmented_bounds(tau1, fit_intercept):
    return np.concatenate([[1.0], tau1]) if fit_intercept else tau1


def sensitivities(tau1, tau2, fit_intercept):
    """L2 sensitivities of the releases (the diameter of each statistic's range).

    ``zz``: upper triangle of ``z z^T`` with ``|z_i| <= b_i``. A diagonal entry lies in
    ``[0, b_i^2]`` (the constant's is always 1), an off-diagonal one in
    ``[-b_i b_j, b_i b_j]``, so ``Delta^2 = sum_i b_i^4 + 4 sum_{i<j} b_i^2 b_j^2``
    (constant excluded from the first sum). ``zy`` and the gradient
    ``z clip(r, tau2)``: ranges symmetric about 0, so ``Delta = 2 tau2 ||b||``.
    """
    b = _augmented_bounds(tau1, fit_intercept)
    b2 = b * b
    s2, s4 = float(b2.sum()), float((b2 * b2).sum())
    diag = s4 - (1.0 if fit_intercept else 0.0)
    zz = math.sqrt(diag + 2.0 * (s2 * s2 - s4))
    zy = 2.0 * tau2 * math.sqrt(s2)
    return {"xx": zz, "xy": zy, "gradient": zy}


def _release_budget(release, epsilon, delta):
    if release == "moments":
        return {"xx": (epsilon / 2, delta / 2), "xy": (epsilon / 2, delta / 2)}
    if release == "xy":
        return {"xy": (epsilon, delta)}
    if release == "gradient":
        return {"gradient": (epsilon, delta)}
    raise ValueError(f"release must be 'moments', 'xy' or 'gradient', got {release!r}.")


def noise_scales(tau1, tau2, epsilon, delta, *, fit_intercept=True, release="moments",
                 mechanism="analytic_gaussian"):
    """Per-entry noise standard deviation of every statistic of a release.

    The budget is split evenly between the statistics of the release (basic
    composition); each statistic gets the mechanism's calibration for its sensitivity.
    A classical calibration that the exact condition shows to fall short of its
    ``(epsilon, delta)`` raises a :class:`PrivacyLeakWarning`.

    Returns
    -------
    scales : dict
        ``{"xx": sigma1, "xy": sigma2}``, ``{"xy": sigma}`` or ``{"gradient": sigma}``.
    """
    if mechanism not in MECHANISMS:
        raise ValueError(f"mechanism must be one of {MECHANISMS}, got {mechanism!r}.")
    sens = sensitivities(tau1, tau2, fit_intercept)
    scales = {}
    for name, (eps, dlt) in _release_budget(release, epsilon, delta).items():
        sigma = calibrate_sigma(mechanism, sens[name], eps, dlt)
        if mechanism == "gaussian" and math.isfinite(eps) and \
                gaussian_delta(sigma, sens[name], eps) > dlt:
            warnings.warn(
                f"The classical Gaussian calibration is proven for epsilon < 1 only; at "
                f"epsilon={eps:.4g} per release it does not reach delta={dlt:.3g} (exact "
                f"delta {gaussian_delta(sigma, sens[name], eps):.3g}). Use "
                "mechanism='analytic_gaussian'.", PrivacyLeakWarning,
                stacklevel=caller_stacklevel())
        scales[name] = sigma
    return scales


def charge_release(accountant, release, epsilon, delta):
    """Charge one release of every user to ``accountant`` (all of it, or nothing).

    The whole release is checked first: a refused release draws no noise at all.
    """
    budget = _release_budget(release, epsilon, delta)
    accountant.check(sum(e for e, _ in budget.values()), sum(t for _, t in budget.values()),
                     label=f"{release} release")
    labels = {"xx": "x x^T", "xy": "x y", "gradient": "one gradient per user"}
    for name, (eps, dlt) in budget.items():
        accountant.spend(eps, dlt, label=labels[name])


def check_budget_supports(scales, n_per_release, tau1, tau2, epsilon, delta, n_features):
    """Refuse a protocol whose noise would drown every possible signal.

    The averaged report of ``n`` users carries noise of standard deviation
    ``sigma / sqrt(n)`` per entry; an entry of ``z z^T`` is at most ``tau1^2`` and one of
    ``z y`` or a gradient at most ``tau1 tau2``. When the noise exceeds that bound no
    data can be recovered: the budget is too small for this many features (``sigma``
    grows like ``d`` for the covariance, ``sqrt(d)`` for ``z y``), so raise before
    anything is released.
    """
    t1 = float(np.max(tau1))
    bounds = {"xx": t1 * t1, "xy": t1 * tau2, "gradient": t1 * tau2}
    for name, sigma in scales.items():
        n = n_per_release[name] if isinstance(n_per_release, dict) else n_per_release
        if sigma == 0.0:
            continue
        if n < 1 or sigma / math.sqrt(n) > bounds[name]:
            n_min = math.ceil((sigma / bounds[name]) ** 2)
            raise ValueError(
                f"The privacy budget (epsilon={epsilon:.4g}, delta={delta:.3g}) cannot "
                f"support {n_features} features with {int(n)} users per release: the noise "
                f"on each averaged {name!r} entry (std {sigma / math.sqrt(max(n, 1)):.3g}) "
                f"would exceed the largest possible signal ({bounds[name]:.3g}). At this "
                f"budget the release needs at least {n_min} users; use fewer features, a "
                "larger epsilon or more users.")


@dataclass
class PrivateReports:
    """Privatized reports of a population of users, with the public facts about them.

    Everything here may be published: the noisy statistics and the parameters they were
    made with. ``xx`` and ``xy`` hold one row per user (``aggregated=False``) or one
    row with the sum over all users (``aggregated=True``).

    Attributes
    ----------
    xy : ndarray of shape (n_rows, n_z)
        Noisy ``z y`` with ``z = (1, x)`` when ``fit_intercept`` else ``x``.
    xx : ndarray of shape (n_rows, n_z (n_z + 1) / 2) or None
        Noisy upper triangle (row-major, ``numpy.triu_indices``) of ``z z^T``; None for
        the public-data release.
    n_users, n_features : int
        Number of users the reports come from, and of their features (without the
        constant one).
    fit_intercept : bool
        Whether ``z`` starts with the constant feature 1.
    clip_x : ndarray of shape (n_features,)
        The public clip bounds of the features.
    clip_y : float
        The public clip bound of the target.
    noise_scales : dict
        Per-entry noise standard deviation of each statistic, per user.
    epsilon, delta : float
        Budget each user spent on these reports.
    mechanism : str
        The noise calibration used: "analytic_gaussian" or "gaussian".
    aggregated : bool
        True when ``xx`` and ``xy`` hold one row with the sum over users, False for one
        row per user.
    release : {"moments", "xy"}
        What was released: ``z z^T`` and ``z y`` ("moments") or ``z y`` alone ("xy").

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.privacy import privatize
    >>> rng = np.random.default_rng(0)
    >>> X = rng.choice([-1.0, 1.0], size=(100, 3)); y = X[:, 0]
    >>> reports = privatize(X, y, epsilon=2.0, delta=1e-5, clip_x=1.0, clip_y=2.0,
    ...                     random_state=0)
    >>> total = reports.sum()
    >>> total.aggregated, total.xy.shape, total.n_users
    (True, (1, 4), 100)
    """

    xy: np.ndarray
    xx: object
    n_users: int
    n_features: int
    fit_intercept: bool
    clip_x: np.ndarray
    clip_y: float
    noise_scales: dict
    epsilon: float
    delta: float
    mechanism: str
    aggregated: bool

    @property
    def release(self):
        """``"moments"`` or ``"xy"``."""
        return "xy" if self.xx is None else "moments"

    def sum(self):
        """The aggregated reports: one row holding the sum over users.

        Returns
        -------
        reports : PrivateReports
            A copy with ``aggregated=True``.
        """
        return replace(
            self, xy=self.xy.sum(axis=0, keepdims=True),
            xx=None if self.xx is None else self.xx.sum(axis=0, keepdims=True),
            aggregated=True)

    @classmethod
    def concatenate(cls, parts):
        """Pool reports of disjoint users made with the same public parameters.

        Parameters
        ----------
        parts : iterable of PrivateReports
            Reports with the same release, features, intercept, clip bounds and noise
            scales. If any is aggregated, the result is aggregated.

        Returns
        -------
        reports : PrivateReports
            The pooled reports, ``n_users`` the total.
        """
        parts = list(parts)
        if not parts:
            raise ValueError("nothing to concatenate: no reports given.")
        first = parts[0]
        for other in parts[1:]:
            same = (other.release == first.release and other.n_features == first.n_features
                    and other.fit_intercept == first.fit_intercept
                    and np.array_equal(other.clip_x, first.clip_x)
                    and other.clip_y == first.clip_y
                    and other.noise_scales == first.noise_scales)
            if not same:
                raise ValueError("reports made with different public parameters (release, "
                                 "clip bounds, noise scales, features) cannot be pooled.")
        aggregated = any(p.aggregated for p in parts)
        if aggregated:
            parts = [p if p.aggregated else p.sum() for p in parts]
        xy = np.concatenate([p.xy for p in parts])
        xx = None if first.xx is None else np.concatenate([p.xx for p in parts])
        if aggregated:
            xy = xy.sum(axis=0, keepdims=True)
            xx = None if xx is None else xx.sum(axis=0, keepdims=True)
        return replace(first, xy=xy, xx=xx, n_users=sum(p.n_users for p in parts),
                       aggregated=aggregated)


def _summed(reports):
    """One batch as its aggregated form (a dask-backed batch is summed where it lives)."""
    if not isinstance(reports, PrivateReports):
        raise TypeError(f"fit_reports takes PrivateReports (from privatize), an iterable of "
                        f"them or a dask collection of them; got an element of type "
                        f"{type(reports).__name__}.")
    if is_dask_collection(reports.xy) or is_dask_collection(reports.xx):
        import dask

        xy, xx = dask.compute(reports.xy.sum(axis=0, keepdims=True),
                              None if reports.xx is None
                              else reports.xx.sum(axis=0, keepdims=True))
        return replace(reports, xy=np.asarray(xy), xx=None if xx is None else np.asarray(xx),
                       aggregated=True)
    return reports if reports.aggregated else reports.sum()


def _pool_summed(parts):
    return PrivateReports.concatenate([_summed(p) for p in parts])


def pool_reports(reports, *, fanin=8):
    """Aggregate report batches of disjoint users into one :class:`PrivateReports`.

    ``reports`` is a :class:`PrivateReports` (returned aggregated), an iterable of them
    (streamed: one batch in memory at a time), a ``dask.bag.Bag`` of them, or an iterable
    whose items are dask ``Delayed`` objects or ``distributed`` futures resolving to
    them. dask inputs are summed where they live and pooled up a tree on the cluster, so
    only one aggregated row of each statistic ever reaches the caller. Batches must share
    their public parameters (:meth:`PrivateReports.concatenate` checks).

    Parameters
    ----------
    reports : PrivateReports, iterable of PrivateReports, or dask collection
        The report batches of disjoint sets of users (see above for the dask forms).
    fanin : int, default=8
        Batches merged per task of the reduction tree on the cluster.

    Returns
    -------
    pooled : PrivateReports
        One aggregated row (``aggregated=True``) for all the users.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.privacy import pool_reports, privatize
    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.uniform(-1, 1, (300, 2)), rng.uniform(-1, 1, 300)
    >>> batches = (privatize(X[i:i + 100], y[i:i + 100], 2.0, 1e-5, 1.0, 1.0,
    ...                      random_state=i) for i in range(0, 300, 100))
    >>> pooled = pool_reports(batches)
    >>> pooled.n_users, pooled.xy.shape
    (300, (1, 3))
    """
    if isinstance(reports, PrivateReports):
        return _summed(reports)
    if is_dask_collection(reports):
        import dask

        if hasattr(reports, "reduction"):  # dask.bag.Bag
            return reports.reduction(_pool_summed, _pool_summed, split_every=fanin).compute()
        return pool_reports(dask.compute(reports)[0], fanin=fanin)
    if isinstance(reports, (np.ndarray, str, bytes)) or not hasattr(reports, "__iter__"):
        raise TypeError(f"fit_reports takes PrivateReports (from privatize), an iterable of "
                        f"them or a dask collection of them; got {type(reports).__name__}.")
    pooled, lazy = None, []
    for batch in reports:
        if is_dask_object(batch):
            lazy.append(batch)
        else:
            pooled = _summed(batch) if pooled is None else _pool_summed([pooled, batch])
    if lazy:
        import dask

        pool = dask.delayed(_pool_summed, pure=True)
        while len(lazy) > 1:
            lazy = [pool(lazy[i:i + fanin]) for i in range(0, len(lazy), fanin)]
        (tree,) = dask.compute(pool(lazy))
        pooled = tree if pooled is None else _pool_summed([pooled, tree])
    if pooled is None:
        raise ValueError("no reports given: the iterable of report batches is empty.")
    return pooled


def _clipped_block(X, y, tau1, tau2, fit_intercept, clip_target=True):
    z = np.clip(np.asarray(X, dtype=np.float64), -tau1, tau1)
    if fit_intercept:
        z = np.hstack([np.ones((z.shape[0], 1)), z])
    yc = np.asarray(y, dtype=np.float64)
    if clip_target:
        yc = np.clip(yc, -tau2, tau2)
    return z, yc


def validate_client_data(X, y):
    """The users' own data as float64 arrays (checked at the client boundary)."""
    X = check_array(X, dtype=np.float64, ensure_all_finite=True)
    y = check_array(y, ensure_2d=False, dtype=np.float64, ensure_all_finite=True)
    if y.ndim != 1:
        raise ValueError(f"y must be one-dimensional (one target per user), got shape "
                         f"{y.shape}.")
    check_consistent_length(X, y)
    return X, y


def privatize(X, y, epsilon, delta, clip_x=None, clip_y=None, *, fit_intercept=True,
              release="moments", mechanism="analytic_gaussian", noise="per_user",
              accountant=None, random_state=None):
    """Client side: each user (a row of ``X`` and entry of ``y``) privatizes her data.

    Parameters
    ----------
    X : array-like of shape (n_users, n_features)
        One row per user; never modified.
    y : array-like of shape (n_users,)
        Each user's target.
    epsilon : float
        Each user's budget (``np.inf``: no noise, the non-private statistics).
    delta : float
        In (0, 1).
    clip_x : float or array-like of shape (n_features,), default=None
        Public bound: each feature is clipped to ``[-clip_x, clip_x]``. None uses
        ``DEFAULT_CLIP`` with a :class:`PrivacyLeakWarning`; never read from the data.
    clip_y : float, default=None
        Public bound on the target, as ``clip_x``.
    fit_intercept : bool, default=True
        Release the statistics of ``z = (1, x)`` so that the server can fit an intercept.
    release : {"moments", "xy"}, default="moments"
        ``"moments"``: ``z z^T`` and ``z y`` with half the budget each (non-interactive
        protocol); ``"xy"``: ``z y`` with the whole budget (public-data variant).
    mechanism : {"analytic_gaussian", "gaussian"}, default="analytic_gaussian"
        Noise calibration of the Gaussian mechanism: exact (Balle and Wang 2018) or the
        classical ``sqrt(2 log(1.25 / delta)) sensitivity / epsilon`` (larger noise).
    noise : {"per_user", "aggregate"}, default="per_user"
        ``"per_user"`` returns one noisy report per user; ``"aggregate"`` returns their
        sum with one draw of the exact summed noise (simulation shortcut).
    accountant : BudgetAccountant, default=None
        Charged for the release (a fresh one of ``(epsilon, delta)`` when None); a
        release that would overspend raises :class:`BudgetError` before any noise.
    random_state : int, RandomState, Generator or None, default=None
        Seeds the privacy noise. None draws OS entropy (the right choice for a real
        release: a known seed reveals the noise).

    Returns
    -------
    reports : PrivateReports
        The noisy statistics and the public parameters they were made with.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.privacy import privatize
    >>> rng = np.random.default_rng(0)
    >>> X = rng.choice([-1.0, 1.0], size=(1000, 3))
    >>> y = X[:, 0] + 0.1 * rng.standard_normal(1000)
    >>> reports = privatize(X, y, epsilon=2.0, delta=1e-5, clip_x=1.0, clip_y=2.0,
    ...                     random_state=0)
    >>> reports.xx.shape, reports.xy.shape
    ((1000, 10), (1000, 4))
    """
    epsilon, delta = check_epsilon_delta(epsilon, delta)
    if noise not in ("per_user", "aggregate"):
        raise ValueError(f"noise must be 'per_user' or 'aggregate', got {noise!r}.")
    if release not in ("moments", "xy"):
        raise ValueError(f"release must be 'moments' or 'xy', got {release!r}.")
    X, y = validate_client_data(X, y)
    n, d = X.shape
    tau1, tau2 = resolve_clip(clip_x, clip_y, d)
    scales = noise_scales(tau1, tau2, epsilon, delta, fit_intercept=fit_intercept,
                          release=release, mechanism=mechanism)
    charge_release(BudgetAccountant(epsilon, delta) if accountant is None else accountant,
                   release, epsilon, delta)
    rng = as_generator(random_state)
    m = d + int(fit_intercept)
    iu, ju = np.triu_indices(m)
    moments = release == "moments"
    sigma_xx, sigma_xy = scales.get("xx", 0.0), scales["xy"]
    if noise == "per_user":
        # noise first (vectorized draws), then each user's statistics added in place
        xy = rng.standard_normal((n, m)) if sigma_xy > 0 else np.zeros((n, m))
        xy *= sigma_xy
        xx = np.zeros((n, iu.size)) if moments else np.zeros((0, 0))
        if moments and sigma_xx > 0:
            rng.standard_normal(out=xx)
            xx *= sigma_xx
        for start in range(0, n, _CHUNK):
            stop = min(start + _CHUNK, n)
            add_clipped_moments(np.ascontiguousarray(X[start:stop]), y[start:stop], tau1, tau2,
                                bool(fit_intercept), moments,
                                xx[start:stop] if moments else xx, xy[start:stop])
        if not moments:
            xx = None
    else:
        gram = np.zeros((m, m))
        zy = np.zeros(m)
        for start in range(0, n, _CHUNK):
            stop = min(start + _CHUNK, n)
            z, yc = _clipped_block(X[start:stop], y[start:stop], tau1, tau2, fit_intercept)
            zy += z.T @ yc
            if moments:
                gram += z.T @ z
        root_n = math.sqrt(n)
        xy = (zy + root_n * sigma_xy * rng.standard_normal(m))[None, :]
        xx = None
        if moments:
            xx = (gram[iu, ju] + root_n * sigma_xx * rng.standard_normal(iu.size))[None, :]
    return PrivateReports(
        xy=xy, xx=xx, n_users=int(n), n_features=int(d), fit_intercept=bool(fit_intercept),
        clip_x=tau1, clip_y=tau2, noise_scales=scales, epsilon=epsilon, delta=delta,
        mechanism=mechanism, aggregated=noise == "aggregate")


class LocalClients:
    """Users of the interactive protocol, answering the server one group at a time.

    The users are split at random into ``n_groups`` disjoint groups; group ``t``
    answers round ``t`` once with one noisy clipped gradient per user (whole budget)
    and then refuses to answer again (its :class:`BudgetAccountant` is spent). The server
    receives only ``respond``'s output: the sum of the group's noisy gradients and the
    group size.

    Parameters
    ----------
    X, y : array-like of shape (n_users, n_features) and (n_users,)
        The users' data (it stays here; the server sees only ``respond``'s output).
    epsilon, delta, clip_x, clip_y, fit_intercept, mechanism, noise : see
        :func:`privatize`.
    n_groups : int, default=1
        Number of disjoint user groups, i.e. of rounds the users can answer (capped at
        the number of users).
    random_state : int, RandomState, Generator or None, default=None
        Seeds the split into groups and the privacy noise.

    Attributes
    ----------
    n_groups : int
        Number of groups (rounds the users can answer).
    group_sizes : list of int
        Number of users in each group.
    accountants : list of BudgetAccountant
        The budget of each group; a group that answered has spent it.
    n_users, n_features : int
        Number of users and of their features.
    noise_scales : dict
        Per-user noise standard deviation of the released gradient (key
        ``"gradient"``).
    sigma : float
        ``noise_scales["gradient"]``.
    epsilon, delta : float
        Budget of each user, spent on her group's single answer.
    clip_x : ndarray of shape (n_features,)
        Public clip bounds of the features.
    clip_y : float
        Public clip bound of the target and of the gradient residuals.

    Examples
    --------
    >>> import numpy as np
    >>> from sparsestat.privacy import LocalClients
    >>> rng = np.random.default_rng(0)
    >>> X = rng.choice([-1.0, 1.0], size=(100, 3)); y = X[:, 0]
    >>> clients = LocalClients(X, y, 1.0, 1e-5, 1.0, 2.0, n_groups=4, random_state=0)
    >>> gradient_sum, n_users = clients.respond(0, np.zeros(4))
    >>> gradient_sum.shape, n_users
    ((4,), 25)
    """

    def __init__(self, X, y, epsilon, delta, clip_x, clip_y, *, fit_intercept=True,
                 mechanism="analytic_gaussian", noise="per_user", n_groups=1,
                 random_state=None):
        self._X, self._y = validate_client_data(X, y)
        n, d = self._X.shape
        self.epsilon, self.delta = check_epsilon_delta(epsilon, delta)
        self.clip_x, self.clip_y = resolve_clip(clip_x, clip_y, d)
        self.fit_intercept = bool(fit_intercept)
        self.noise = noise
        self.noise_scales = noise_scales(self.clip_x, self.clip_y, self.epsilon, self.delta,
                                         fit_intercept=fit_intercept, release="gradient",
                                         mechanism=mechanism)
        self.sigma = self.noise_scales["gradient"]
        self._rng = as_generator(random_state)
        n_groups = int(min(max(n_groups, 1), n))
        # random disjoint groups; sorted indices make each group's gather cache-friendly
        self._groups = [np.sort(g) for g in np.array_split(self._rng.permutation(n), n_groups)]
        self.group_sizes = [int(g.size) for g in self._groups]
        self.accountants = [BudgetAccountant(self.epsilon, self.delta) for _ in self._groups]
        self.n_users, self.n_features = n, d

    @property
    def n_groups(self):
        """Number of groups (rounds the users can answer)."""
        return len(self._groups)

    def respond(self, group, theta):
        """Sum of the noisy clipped gradients of group ``group`` at ``theta``.

        Parameters
        ----------
        group : int
            Index of the group answering, in ``[0, n_groups)``; each group answers once
            (a second call raises :class:`BudgetError`).
        theta : ndarray of shape (n_z,)
            Broadcast by the server (intercept first when ``fit_intercept``).

        Returns
        -------
        gradient_sum : ndarray of shape (n_z,)
            Sum over the group's users of ``z clip(z^T theta - y, -clip_y, clip_y)`` plus
            their privacy noise.
        n_users : int
            Number of users in the group.
        """
        self.accountants[group].spend(self.epsilon, self.delta, label=f"gradient round {group}")
        idx = self._groups[group]
        m = self.n_features + int(self.fit_intercept)
        theta = np.asarray(theta, dtype=np.float64)
        total = np.zeros(m)
        rng, sigma = self._rng, self.sigma
        for start in range(0, idx.size, _CHUNK):
            rows = idx[start:start + _CHUNK]
            z, yr = _clipped_block(self._X[rows], self._y[rows], self.clip_x, self.clip_y,
                                   self.fit_intercept, clip_target=False)
            resid = np.clip(z @ theta - yr, -self.clip_y, self.clip_y)
            if self.noise == "per_user" and sigma > 0:
                reports = z * resid[:, None] + sigma * rng.standard_normal((rows.size, m))
                total += reports.sum(axis=0)
            else:
                total += z.T @ resid
        if self.noise != "per_user" and sigma > 0:
            total += math.sqrt(idx.size) * sigma * rng.standard_normal(m)
        return total, int(idx.size)
