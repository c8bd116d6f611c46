"""Pruners: scikit-learn objects that prune a fitted MLP or drive pruning in training.

Every pruner has three faces:

* ``SparseMLPClassifier(pruner=P)``: the MLP calls ``P._training_plan(...)`` and the
  plan's hooks (``start``, ``before_epoch``, ``settled``, ``finish``) act during training
  through the engine's epoch kernel.
* ``P.fit(mlp).transform(mlp)``: ``mlp`` is a fitted MLP (ours or scikit-learn's
  ``MLPClassifier`` / ``MLPRegressor``); ``fit`` computes masks from its weights and
  ``transform`` returns a pruned deep copy (the original is untouched).
* ``P.fit(X, y).transform(X)``: on data, the pruner trains an MLP with itself as the
  pruner (``estimator``, default a ``SparseMLPClassifier`` for class labels and a
  ``SparseMLPRegressor`` otherwise) and ``transform`` returns the last hidden layer of
  that pruned network: a sparse learned feature map usable inside a Pipeline.

In every case ``estimator_`` is the pruned network and ``masks_`` its masks.
"""

import copy
import numbers

import numpy as np
from sklearn.base import (BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin,
                          clone)
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_is_fitted, check_random_state, validate_data

from .._engine.families._masks import (erk_densities, iss_shrink, n_keep_for, nm_mask, topk_groups,
                              topk_mask, wgsef_prox_cols)
from .._engine.families._mlp import ACTIVATIONS, forward

__all__ = ["MagnitudePruner", "RandomPruner", "NMPruner", "GroupEnvelopePruner", "PDPPruner",
           "SoftShrinkagePruner"]


def is_fitted_mlp(obj):
    """True for a fitted MLP estimator (ours or scikit-learn's)."""
    return (not isinstance(obj, np.ndarray) and hasattr(obj, "coefs_")
            and hasattr(obj, "intercepts_") and hasattr(obj, "get_params"))


def _mlp_masks(mlp):
    masks = getattr(mlp, "masks_", None)
    if masks is None:
        return [np.ones(c.shape, dtype=bool) for c in mlp.coefs_]
    return [np.asarray(m, dtype=bool) for m in masks]


def hidden_features(mlp, X):
    """Last hidden layer of a fitted MLP (ours or scikit-learn's) for ``X``."""
    if hasattr(mlp, "transform_hidden"):
        return mlp.transform_hidden(X)
    X = validate_data(mlp, X, reset=False, dtype=np.float64)
    sizes = np.array([c.shape[0] for c in mlp.coefs_] + [mlp.coefs_[-1].shape[1]])
    coef = np.concatenate([np.ravel(c) for c in mlp.coefs_]).astype(np.float64)
    icpt = np.concatenate([np.ravel(b) for b in mlp.intercepts_]).astype(np.float64)
    return forward(np.ascontiguousarray(X), coef, icpt, sizes, ACTIVATIONS[mlp.activation],
                   0, max(sizes.size - 2, 0))


class _Plan:
    """Training hooks; the default keeps the masks fixed (mode 0)."""

    end_epoch = 0
    gpu_ok = True  # False: the hook exists only in the CPU epoch kernel

    def __init__(self, pruner, shapes, n_epochs, steps_per_epoch, learning_rate, rng):
        self.pruner = pruner
        self.shapes = shapes
        self.n_epochs = n_epochs
        self.steps_per_epoch = steps_per_epoch
        self.learning_rate = learning_rate
        self.rng = rng
        self.log = []

    def start(self, coefs, masks):
        pass

    def before_epoch(self, epoch, coefs, masks):
        return 0, np.zeros(4)

    def settled(self, epoch):
        return epoch + 1 >= self.end_epoch

    def finish(self, coefs, masks):
        new = self.pruner._masks(coefs, masks, self.rng)
        for m, n in zip(masks, new):
            m[...] = n


class _BasePruner(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """Shared scikit-learn face of the pruners (see the module docstring).

    On data, ``transform`` returns the pruned network's last hidden layer, so the output
    features are named ``<prunername>0, <prunername>1, ...`` (``get_feature_names_out``)
    and ``set_output(transform="pandas")`` works inside a Pipeline.
    """

    _plan_class = _Plan

    def _training_plan(self, shapes, *, n_epochs, steps_per_epoch, learning_rate,
                       random_state):
        self._check_shapes(shapes)
        return self._plan_class(self, shapes, n_epochs, steps_per_epoch, learning_rate,
                                random_state)

    def _check_schedule(self):
        """Checks across parameters (each one alone is checked by the constraints)."""

    def _check_shapes(self, shapes):
        pass

    def _masks(self, coefs, masks, rng):  # pragma: no cover - every pruner overrides
        raise NotImplementedError

    def _transform_weights(self, coefs, masks):
        return [np.asarray(c, dtype=np.float64) * m for c, m in zip(coefs, masks)]

    def _prune_model(self, mlp, masks):
        out = copy.deepcopy(mlp)
        coefs = self._transform_weights([np.asarray(c, dtype=np.float64) for c in mlp.coefs_],
                                        masks)
        out.coefs_ = [c.astype(np.asarray(o).dtype, copy=False)
                      for c, o in zip(coefs, mlp.coefs_)]
        if hasattr(out, "masks_") or type(out).__module__.startswith("sparsestat"):
            out.masks_ = [np.asarray(m, dtype=bool).copy() for m in masks]
        return out

    def _default_estimator(self, y):
        from ._multilayer import SparseMLPClassifier, SparseMLPRegressor

        kind = type_of_target(y, input_name="y")
        if kind in ("binary", "multiclass", "multilabel-indicator"):
            return SparseMLPClassifier(random_state=self.random_state)
        return SparseMLPRegressor(random_state=self.random_state)

    def fit(self, X, y=None, sample_weight=None):
        """Compute masks for a fitted MLP, or train a pruned MLP on data.

        Parameters
        ----------
        X : fitted MLP estimator, or array-like of shape (n_samples, n_features)
            A fitted :class:`SparseMLPClassifier` / :class:`SparseMLPRegressor` or
            scikit-learn ``MLPClassifier`` / ``MLPRegressor``: masks are computed from
            its weights. Otherwise training data for ``estimator``.
        y : array-like of shape (n_samples,) or None
            Targets; required with data, ignored with a model.
        sample_weight : array-like of shape (n_samples,), default=None
            Passed to ``estimator.fit`` when training on data.

        Returns
        -------
        self : object
            The fitted pruner (``masks_`` and ``estimator_`` set).
        """
        self._validate_params()
        self._check_schedule()
        if is_fitted_mlp(X):
            rng = check_random_state(self.random_state)
            coefs = [np.ascontiguousarray(c, dtype=np.float64) for c in X.coefs_]
            self._check_shapes([c.shape for c in coefs])
            base = _mlp_masks(X)
            self.masks_ = [np.asarray(m, dtype=bool) & b
                           for m, b in zip(self._masks([c * b for c, b in zip(coefs, base)],
                                                       [b.astype(float) for b in base], rng),
                                           base)]
            self.estimator_ = self._prune_model(X, self.masks_)
            self.n_features_in_ = coefs[0].shape[0]
            return self
        if hasattr(X, "coefs_") or (hasattr(X, "get_params") and hasattr(X, "fit")):
            raise ValueError(f"{type(self).__name__}.fit got an unfitted "
                             f"{type(X).__name__}: fit the MLP first, then prune it.")
        if y is None:
            raise ValueError(f"{type(self).__name__}.fit(X, y) on data requires y to be "
                             "passed, but the target y is None (it "
                             "trains an MLP with this pruner); to prune a fitted MLP pass "
                             "the model itself: fit(mlp).")
        X, y = validate_data(self, X, y, multi_output=True, dtype=np.float64)
        est = clone(self.estimator) if self.estimator is not None else \
            self._default_estimator(y)
        est.set_params(pruner=clone(self))
        if sample_weight is None:
            self.estimator_ = est.fit(X, y)
        else:
            self.estimator_ = est.fit(X, y, sample_weight=sample_weight)
        self.masks_ = [np.asarray(m, dtype=bool) for m in self.estimator_.masks_]
        return self

    def transform(self, X):
        """Pruned copy of a fitted MLP, or the pruned network's hidden features.

        Parameters
        ----------
        X : fitted MLP estimator, or array-like of shape (n_samples, n_features)
            A fitted MLP with the weight shapes this pruner was fitted on, or samples
            with the features seen in ``fit`` (when it was fitted on data).

        Returns
        -------
        out : MLP estimator or ndarray of shape (n_samples, n_hidden)
            With a model: a deep copy with this pruner's masks applied (the input is
            untouched). With data: the last hidden layer of ``estimator_``.
        """
        check_is_fitted(self, "masks_")
        if is_fitted_mlp(X):
            shapes = [np.shape(c) for c in X.coefs_]
            if shapes != [m.shape for m in self.masks_]:
                raise ValueError(f"The MLP's weight shapes {shapes} differ from those this "
                                 f"pruner was fitted on {[m.shape for m in self.masks_]}.")
            return self._prune_model(X, self.masks_)
        # data: check its features (count and names) against those this pruner was fit on
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return hidden_features(self.estimator_, X)

    def fit_transform(self, X, y=None, sample_weight=None):
        """``fit(X, y, sample_weight).transform(X)``.

        Parameters
        ----------
        X : fitted MLP estimator, or array-like of shape (n_samples, n_features)
            A fitted MLP to prune, or training data for ``estimator``.
        y : array-like of shape (n_samples,) or None
            Targets; required with data, ignored with a model.
        sample_weight : array-like of shape (n_samples,), default=None
            Passed to ``estimator.fit`` when training on data.

        Returns
        -------
        out : MLP estimator or ndarray of shape (n_samples, n_hidden)
            The pruned copy of the MLP, or the last hidden layer of the pruned network.
        """
        return self.fit(X, y, sample_weight=sample_weight).transform(X)

    @property
    def _n_features_out(self):
        # the output layer's input is the last hidden layer (or X itself without hidden layers)
        return self.masks_[-1].shape[0]

    @property
    def sparsity_(self):
        """Fraction of weights pruned by ``masks_``."""
        check_is_fitted(self, "masks_")
        return 1.0 - sum(int(m.sum()) for m in self.masks_) / sum(m.size for m in self.masks_)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        return tags


_COMMON = {
    "estimator": [HasMethods(["fit"]), None],
    "random_state": ["random_state"],
}
_SPARSITY = Interval(numbers.Real, 0, 1, closed="left")


def _magnitude(coefs, sparsity, scope):
    if scope == "global":
        flat = np.concatenate([np.ravel(c) for c in coefs])
        keep = topk_mask(flat, n_keep_for(flat.size, sparsity))
        out, pos = [], 0
        for c in coefs:
            out.append(keep[pos:pos + c.size].reshape(c.shape) != 0)
            pos += c.size
        return out
    return [topk_mask(np.ascontiguousarray(c), n_keep_for(c.size, sparsity)) != 0
            for c in coefs]


class _MagnitudePlan(_Plan):
    def __init__(self, *args):
        super().__init__(*args)
        p = self.pruner
        self.begin = int(p.begin * self.n_epochs)
        self.end_epoch = max(int(np.ceil(p.end * self.n_epochs)), self.begin + 1)

    def target(self, epoch):
        p = self.pruner
        if epoch < self.begin:
            return 0.0
        if p.schedule == "oneshot":
            return p.sparsity
        progress = min(1.0, (epoch - self.begin + 1) / (self.end_epoch - self.begin))
        return p.sparsity + (0.0 - p.sparsity) * (1.0 - progress) ** 3

    def before_epoch(self, epoch, coefs, masks):
        s = self.target(epoch)
        oneshot = self.pruner.schedule == "oneshot"
        if s > 0 and ((oneshot and epoch == self.begin) or (not oneshot
                                                            and epoch < self.end_epoch)):
            new = _magnitude([c * m for c, m in zip(coefs, masks)], s, self.pruner.scope)
            for m, n, c in zip(masks, new, coefs):
                m[...] = n
                c *= n
            self.log.append({"epoch": epoch, "sparsity": s})
        return 0, np.zeros(4)


class MagnitudePruner(_BasePruner):
    """Magnitude pruning, layerwise or global, one-shot or on the cubic schedule.

    Keeps the largest ``|w|``: ``round((1 - sparsity) n)`` weights per layer
    (``scope="layer"``) or over all layers (``scope="global"``); biases are never
    pruned. During training the target follows Zhu and Gupta's cubic schedule
    ``s_t = s_f + (s_i - s_f)(1 - progress)^3`` (``s_i = 0``) between the epochs
    ``begin * max_iter`` and ``end * max_iter``, pruning the smallest of the
    still-unpruned weights at each step, or is applied at once (``schedule="oneshot"``)
    at epoch ``begin * max_iter``.

    Parameters
    ----------
    sparsity : float in [0, 1), default=0.9
        Target fraction of pruned weights.
    scope : {"layer", "global"}, default="layer"
        Rank the weights within each layer (every layer gets the same sparsity) or over
        all layers together (layers get different sparsities).
    schedule : {"cubic", "oneshot"}, default="cubic"
        Used during training; pruning a fitted MLP is always one-shot.
    begin, end : float in [0, 1], default=0.1, 0.6
        Fractions of the training epochs where the schedule starts and ends.
    estimator : estimator or None, default=None
        MLP trained by ``fit(X, y)`` on data (default: ``SparseMLPClassifier()`` for
        class labels, ``SparseMLPRegressor()`` otherwise).
    random_state : int, RandomState instance or None, default=None
        Seeds the default estimator.

    Attributes
    ----------
    masks_ : list of ndarray of bool
        One mask per weight matrix (the shapes of ``coefs_``), ``True`` where a weight
        is kept; biases are never pruned.
    estimator_ : MLP estimator
        The pruned network: a pruned deep copy of the fitted MLP given to ``fit``, or
        the MLP trained with this pruner on data.
    sparsity_ : float
        Fraction of weights pruned by ``masks_`` over all weight matrices.
    n_features_in_ : int
        Number of input features of the network.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.neural_network import MLPClassifier
    >>> from sparsestat.nn import MagnitudePruner
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((100, 4)); y = (X[:, 0] > 0).astype(int)
    >>> mlp = MLPClassifier((16,), max_iter=300, random_state=0).fit(X, y)
    >>> pruned = MagnitudePruner(0.5).fit(mlp).transform(mlp)
    >>> float((pruned.coefs_[0] == 0).mean()), float((mlp.coefs_[0] == 0).mean())
    (0.5, 0.0)
    """

    _plan_class = _MagnitudePlan
    _parameter_constraints = {
        "sparsity": [_SPARSITY],
        "scope": [StrOptions({"layer", "global"})],
        "schedule": [StrOptions({"cubic", "oneshot"})],
        "begin": [Interval(numbers.Real, 0, 1, closed="both")],
        "end": [Interval(numbers.Real, 0, 1, closed="both")],
        **_COMMON,
    }

    def __init__(self, sparsity=0.9, *, scope="layer", schedule="cubic", begin=0.1, end=0.6,
                 estimator=None, random_state=None):
        self.sparsity = sparsity
        self.scope = scope
        self.schedule = schedule
        self.begin = begin
        self.end = end
        self.estimator = estimator
        self.random_state = random_state

    def _check_schedule(self):
        if self.begin > self.end:
            raise ValueError(f"begin={self.begin} must not exceed end={self.end}: pruning "
                             "ramps from begin to end (fractions of the epochs).")

    def _masks(self, coefs, masks, rng):
        return _magnitude([c * m for c, m in zip(coefs, masks)], self.sparsity, self.scope)


class _RandomPlan(_Plan):
    def start(self, coefs, masks):
        new = self.pruner._masks(coefs, masks, self.rng)
        for m, n, c in zip(masks, new, coefs):
            m[...] = n
            c *= n

    def finish(self, coefs, masks):
        pass


class RandomPruner(_BasePruner):
    """Random pruning at initialization with ERK or uniform layerwise densities.

    Each weight is kept with probability ``density_l`` (Bernoulli masks, Liu et al.,
    ICLR 2022). ``distribution="erk"`` sets ``density_l`` proportional to
    ``(n_in + n_out) / (n_in n_out)``, scaled so the overall density is
    ``1 - sparsity`` (layers that would exceed 1 are dense); ``"uniform"`` gives every
    layer ``1 - sparsity``. In training the masks are drawn before the first step and
    kept fixed.

    Parameters
    ----------
    sparsity : float in [0, 1), default=0.9
        Target fraction of pruned weights over all layers (in expectation: the masks
        are Bernoulli draws).
    distribution : {"erk", "uniform"}, default="erk"
        Layerwise densities: Erdos-Renyi-kernel (sparser for large layers) or the same
        for every layer.
    estimator : estimator or None, default=None
        MLP trained by ``fit(X, y)`` on data, with this pruner set as its ``pruner``
        (default: ``SparseMLPClassifier()`` for class labels, ``SparseMLPRegressor()``
        otherwise). Unused when ``fit`` receives a fitted MLP.
    random_state : int, RandomState instance or None, default=None
        Draws the masks when pruning a fitted MLP, and seeds the default estimator
        (during training, the MLP's random state draws them).

    Attributes
    ----------
    masks_ : list of ndarray of bool
        One mask per weight matrix (the shapes of ``coefs_``), ``True`` where a weight
        is kept; biases are never pruned.
    estimator_ : MLP estimator
        The pruned network: a pruned deep copy of the fitted MLP given to ``fit``, or
        the MLP trained with this pruner on data.
    sparsity_ : float
        Fraction of weights pruned by ``masks_`` over all weight matrices.
    n_features_in_ : int
        Number of input features of the network.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.neural_network import MLPClassifier
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((100, 4)); y = (X[:, 0] > 0).astype(int)
    >>> mlp = MLPClassifier((16,), max_iter=300, random_state=0).fit(X, y)
    >>> from sparsestat.nn import RandomPruner
    >>> pruner = RandomPruner(0.5, distribution="uniform", random_state=0).fit(mlp)
    >>> round(pruner.sparsity_, 1)
    0.5

    The ERK densities of two layers for an overall density of 0.1:

    >>> from sparsestat._engine.families._masks import erk_densities
    >>> erk_densities([(64, 100), (100, 10)], 0.1).round(3)
    array([0.069, 0.297])
    """

    _plan_class = _RandomPlan
    _parameter_constraints = {
        "sparsity": [_SPARSITY],
        "distribution": [StrOptions({"erk", "uniform"})],
        **_COMMON,
    }

    def __init__(self, sparsity=0.9, *, distribution="erk", estimator=None,
                 random_state=None):
        self.sparsity = sparsity
        self.distribution = distribution
        self.estimator = estimator
        self.random_state = random_state

    def _masks(self, coefs, masks, rng):
        dens = erk_densities([c.shape for c in coefs], 1.0 - self.sparsity, self.distribution)
        return [rng.random_sample(c.shape) < d for c, d in zip(coefs, dens)]


class _NMPlan(_Plan):
    def __init__(self, *args):
        super().__init__(*args)
        p = self.pruner
        self.decaying = p.method in ("linear-decay", "exp-decay")
        staged = p.method == "staged"
        self.end_epoch = max(1, int(np.ceil(p.flow_end * self.n_epochs))) \
            if self.decaying or staged else 0
        # staged: m-1, m/2, m/4, ... down to n kept per group (e.g. 7:8 4:8 2:8 1:8)
        stages = [p.m - 1] + [p.m >> i for i in range(1, 16) if (p.m >> i) > p.n] + [p.n]
        self.stages = sorted({v for v in stages if v >= p.n}, reverse=True) if staged \
            else [p.n]
        self.prev = None

    def beta(self, epoch):
        if not self.decaying:
            return 0.0
        x = epoch / max(self.end_epoch, 1)
        if self.pruner.method == "linear-decay":
            return max(0.0, 1.0 - x)
        return float(np.exp(-5.0 * x)) if x < 1 else 0.0

    def before_epoch(self, epoch, coefs, masks):
        p = self.pruner
        cur = np.concatenate([m.ravel() for m in masks])
        if self.prev is not None:
            self.log.append({"epoch": epoch, "sad": int(np.sum(cur != self.prev))})
        self.prev = cur.copy()
        lam = 0.0 if p.method == "ste" else p.decay
        n_t = self.stages[min(len(self.stages) - 1,
                              epoch * len(self.stages) // max(self.end_epoch, 1))]
        return 1, np.array([n_t, p.m, lam, self.beta(epoch)])


class NMPruner(_BasePruner):
    """N:M semi-structured sparsity, trained with SR-STE or progressive gradient flow.

    Each group of ``m`` consecutive inputs of a unit (axis 0 of ``coefs_[l]``) keeps its
    ``n`` largest ``|w|``. In training the mask is recomputed at every forward pass
    from the dense weights, which receive the straight-through gradient plus SR-STE's
    ``decay (1 - mask) w`` (Zhou et al., ICLR 2021; ``method="ste"``: no decay term).
    ``"linear-decay"`` / ``"exp-decay"`` (Bambhaniya et al. 2024) run the forward pass on
    ``w * (mask + (1 - mask) beta_t)`` with ``beta_t = max(0, 1 - t / T)`` or
    ``exp(-5 t / T)`` over the first ``flow_end`` fraction of epochs ``T``;
    ``"staged"`` tightens the pattern in equal stages over those epochs
    (``m - 1``, ``m / 2``, ``m / 4``, ... down to ``n`` kept, e.g. 7:8, 4:8, 2:8, 1:8). The
    number of mask entries that change between epochs (SAD) is logged in the MLP's
    ``pruning_log_``.

    Parameters
    ----------
    n, m : int, default=2, 4
        Keep ``n`` weights in every group of ``m`` consecutive inputs (``n <= m``),
        e.g. 2:4, the pattern sparse tensor cores accelerate; the sparsity is
        ``1 - n / m``.
    method : {"sr-ste", "ste", "linear-decay", "exp-decay", "staged"}, default="sr-ste"
        How training reaches the pattern (see above): SR-STE, the plain
        straight-through estimator, a linear or exponential decay of the pruned
        weights' share in the forward pass, or staged tightening of n.
    decay : float, default=2e-4
        SR-STE's ``lambda_w``.
    flow_end : float in (0, 1], default=0.5
        Fraction of the training epochs over which the decaying and staged methods
        reach the final pattern.
    pad : bool, default=False
        When ``m`` does not divide a layer's input size: False raises, True treats the
        last group as zero-padded (it keeps ``min(n, r)`` of its ``r`` weights).
    estimator : estimator or None, default=None
        MLP trained by ``fit(X, y)`` on data, with this pruner set as its ``pruner``
        (default: ``SparseMLPClassifier()`` for class labels, ``SparseMLPRegressor()``
        otherwise). Unused when ``fit`` receives a fitted MLP.
    random_state : int, RandomState instance or None, default=None
        Seeds the default estimator.

    Attributes
    ----------
    masks_ : list of ndarray of bool
        One mask per weight matrix (the shapes of ``coefs_``), ``True`` where a weight
        is kept; biases are never pruned.
    estimator_ : MLP estimator
        The pruned network: a pruned deep copy of the fitted MLP given to ``fit``, or
        the MLP trained with this pruner on data.
    sparsity_ : float
        Fraction of weights pruned by ``masks_`` over all weight matrices.
    n_features_in_ : int
        Number of input features of the network.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.neural_network import MLPRegressor
    >>> from sparsestat.nn import NMPruner
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((60, 8)); y = X[:, 0]
    >>> mlp = MLPRegressor(hidden_layer_sizes=(8,), max_iter=50, random_state=0).fit(X, y)
    >>> masks = NMPruner(2, 4).fit(mlp).masks_
    >>> masks[0].reshape(2, 4, 8).sum(axis=1).min(), masks[0].reshape(2, 4, 8).sum(axis=1).max()
    (np.int64(2), np.int64(2))
    """

    _plan_class = _NMPlan
    _parameter_constraints = {
        "n": [Interval(numbers.Integral, 1, None, closed="left")],
        "m": [Interval(numbers.Integral, 1, None, closed="left")],
        "method": [StrOptions({"sr-ste", "ste", "linear-decay", "exp-decay", "staged"})],
        "decay": [Interval(numbers.Real, 0, None, closed="left")],
        "flow_end": [Interval(numbers.Real, 0, 1, closed="right")],
        "pad": ["boolean"],
        **_COMMON,
    }

    def __init__(self, n=2, m=4, *, method="sr-ste", decay=2e-4, flow_end=0.5, pad=False,
                 estimator=None, random_state=None):
        self.n = n
        self.m = m
        self.method = method
        self.decay = decay
        self.flow_end = flow_end
        self.pad = pad
        self.estimator = estimator
        self.random_state = random_state

    def _check_shapes(self, shapes):
        if self.n > self.m:
            raise ValueError(f"NMPruner needs n <= m, got n={self.n}, m={self.m}.")
        if not self.pad:
            for l, shape in enumerate(shapes):
                if shape[0] % self.m:
                    raise ValueError(
                        f"NMPruner(m={self.m}): layer {l} has {shape[0]} inputs, not a "
                        f"multiple of m. Pass pad=True to treat the last group as "
                        f"zero-padded, or choose m dividing every layer's input size.")

    def _masks(self, coefs, masks, rng):
        return [nm_mask(np.ascontiguousarray(c), self.n, self.m) != 0 for c in coefs]


class _GroupPlan(_Plan):
    gpu_ok = False

    def __init__(self, *args):
        super().__init__(*args)
        p = self.pruner
        self.project_at = self.n_epochs if not p.final_projection else \
            min(self.n_epochs - 1, int(round((1.0 - p.finetune) * self.n_epochs)))
        self.end_epoch = self.project_at + 1
        self.projected = False

    def before_epoch(self, epoch, coefs, masks):
        counts = [int(np.sum(np.linalg.norm(c, axis=0) > 0)) for c in coefs[:-1]]
        if epoch:
            self.log.append({"epoch": epoch, "nonzero_groups": counts})
        if epoch >= self.project_at:
            if not self.projected:  # top-k projection, then fine-tune with the mask fixed
                super().finish(coefs, masks)
                for c, m in zip(coefs, masks):
                    c *= m
                self.projected = True
            return 0, np.zeros(4)
        return 4, np.array([self.pruner.alpha, self.pruner.k])

    def finish(self, coefs, masks):
        if not self.pruner.final_projection:
            for m, c in zip(masks, coefs):
                m[...] = c != 0
            return
        if not self.projected:
            super().finish(coefs, masks)


class GroupEnvelopePruner(_BasePruner):
    """Unit pruning with the weighted group sparse envelope function (WGSEF).

    Groups are the incoming weights of each hidden unit (the columns of ``coefs_[l]``,
    ``d_j = 1``); ``WGSEF_k(theta) = 1/2 (||v||_k^sp)^2`` with ``v_j = ||theta_Gj||`` is
    the convex envelope of ``1/2 sum ||theta_Gj||^2`` restricted to at most ``k``
    nonzero groups (Refael, Arbel, Huleihel). Training is proximal: after each
    optimizer step, every hidden layer goes through
    ``prox_{lr alpha WGSEF_k}``; the prox can leave more than ``k`` groups, so the
    final projection keeps the ``k`` groups of largest norm, after which the last
    ``finetune`` fraction of the epochs trains with that mask fixed. On a fitted MLP: one
    prox with step ``alpha``, then the projection.

    Parameters
    ----------
    k : int, default=32
        Units kept per hidden layer (all of them when a layer is narrower).
    groups : {"neuron"}, default="neuron"
        The groups: the incoming weights of each hidden unit (the only choice).
    alpha : float, default=1e-2
        Strength of the envelope penalty.
    final_projection : bool, default=True
        Project on the ``k`` largest groups before the last ``finetune`` fraction of
        the epochs. False keeps whatever the prox zeroed (possibly more than ``k``
        groups per layer).
    finetune : float in [0, 1), default=0.3
        Fraction of the epochs trained after the projection.
    estimator : estimator or None, default=None
        MLP trained by ``fit(X, y)`` on data, with this pruner set as its ``pruner``
        (default: ``SparseMLPClassifier()`` for class labels, ``SparseMLPRegressor()``
        otherwise). Unused when ``fit`` receives a fitted MLP.
    random_state : int, RandomState instance or None, default=None
        Seeds the default estimator.

    Attributes
    ----------
    masks_ : list of ndarray of bool
        One mask per weight matrix (the shapes of ``coefs_``), ``True`` where a weight
        is kept; biases are never pruned.
    estimator_ : MLP estimator
        The pruned network: a pruned deep copy of the fitted MLP given to ``fit``, or
        the MLP trained with this pruner on data.
    sparsity_ : float
        Fraction of weights pruned by ``masks_`` over all weight matrices.
    n_features_in_ : int
        Number of input features of the network.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.neural_network import MLPRegressor
    >>> from sparsestat.nn import GroupEnvelopePruner
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((60, 5)); y = X[:, 0]
    >>> mlp = MLPRegressor(hidden_layer_sizes=(10,), max_iter=50, random_state=0).fit(X, y)
    >>> pruned = GroupEnvelopePruner(k=3).fit(mlp).transform(mlp)
    >>> int((np.linalg.norm(pruned.coefs_[0], axis=0) > 0).sum())
    3
    """

    _plan_class = _GroupPlan
    _parameter_constraints = {
        "k": [Interval(numbers.Integral, 1, None, closed="left")],
        "groups": [StrOptions({"neuron"})],
        "alpha": [Interval(numbers.Real, 0, None, closed="left")],
        "final_projection": ["boolean"],
        "finetune": [Interval(numbers.Real, 0, 1, closed="left")],
        **_COMMON,
    }

    def __init__(self, k=32, *, groups="neuron", alpha=1e-2, final_projection=True,
                 finetune=0.3, estimator=None, random_state=None):
        self.k = k
        self.groups = groups
        self.alpha = alpha
        self.final_projection = final_projection
        self.finetune = finetune
        self.estimator = estimator
        self.random_state = random_state

    def _prox(self, coefs):
        out = []
        for l, c in enumerate(coefs):
            c = np.array(c, dtype=np.float64, order="C")
            if l < len(coefs) - 1 and self.alpha > 0:
                wgsef_prox_cols(c, float(self.alpha), int(self.k))
            out.append(c)
        return out

    def _masks(self, coefs, masks, rng):
        out = []
        for l, c in enumerate(coefs):
            c = np.asarray(c)
            if l == len(coefs) - 1:
                out.append(np.ones(c.shape, dtype=bool))
                continue
            keep = topk_groups(np.linalg.norm(c, axis=0), int(self.k))
            out.append(np.broadcast_to(keep, c.shape).copy())
        return out

    def fit(self, X, y=None, sample_weight=None):
        """Masks for a fitted MLP (prox, then projection), or train a pruned MLP on data.

        Parameters
        ----------
        X : fitted MLP estimator, or array-like of shape (n_samples, n_features)
            A fitted MLP (ours or scikit-learn's): one prox step of strength ``alpha`` on
            its hidden layers, then the top-``k`` projection. Otherwise training data for
            ``estimator``.
        y : array-like of shape (n_samples,) or None
            Targets; required with data, ignored with a model.
        sample_weight : array-like of shape (n_samples,), default=None
            Passed to ``estimator.fit`` when training on data.

        Returns
        -------
        self : object
            The fitted pruner (``masks_`` and ``estimator_`` set).
        """
        if is_fitted_mlp(X):
            self._validate_params()
            proxed = copy.copy(X)
            proxed.coefs_ = self._prox(X.coefs_)
            super().fit(proxed)
            self.estimator_ = self._prune_model(X, self.masks_)
            return self
        return super().fit(X, y, sample_weight=sample_weight)

    def _transform_weights(self, coefs, masks):
        return [c * m for c, m in zip(self._prox(coefs), masks)]


class _PDPPlan(_Plan):
    gpu_ok = False

    def __init__(self, *args):
        super().__init__(*args)
        p = self.pruner
        self.begin = int(p.warmup * self.n_epochs)
        self.end_epoch = max(int(np.ceil(p.ramp_end * self.n_epochs)), self.begin + 1)

    def before_epoch(self, epoch, coefs, masks):
        p = self.pruner
        if epoch < self.begin:
            return 0, np.zeros(4)
        s = p.sparsity * min(1.0, (epoch - self.begin + 1) / (self.end_epoch - self.begin))
        return 2, np.array([s, p.tau])


class PDPPruner(_BasePruner):
    """Parameter-free differentiable pruning (PDP, Cho et al., NeurIPS 2023).

    On the forward pass every weight is multiplied by the soft mask
    ``sigmoid((w^2 - t^2) / tau)``, where ``t`` lies halfway between the largest
    pruned and the smallest kept ``|w|`` of the layer for the current target sparsity;
    the gradient flows through the mask (with ``t`` held fixed: our choice). Dense
    warm-up for the first ``warmup`` fraction of epochs, then the target ramps linearly
    to ``sparsity`` by ``ramp_end``; the hard top-k mask (the ``tau -> 0`` limit) is
    applied at the end, and is what pruning a fitted MLP does.

    Parameters
    ----------
    sparsity : float in [0, 1), default=0.9
        Per-layer target.
    tau : float, default=1e-4
        Temperature of the soft mask, in the units of ``w^2``: smaller is closer to the
        hard top-k mask.
    warmup, ramp_end : float in [0, 1], default=0.1, 0.6
        Fractions of the training epochs where the dense warm-up ends and where the
        target sparsity reaches ``sparsity``.
    estimator : estimator or None, default=None
        MLP trained by ``fit(X, y)`` on data, with this pruner set as its ``pruner``
        (default: ``SparseMLPClassifier()`` for class labels, ``SparseMLPRegressor()``
        otherwise). Unused when ``fit`` receives a fitted MLP.
    random_state : int, RandomState instance or None, default=None
        Seeds the default estimator.

    Attributes
    ----------
    masks_ : list of ndarray of bool
        One mask per weight matrix (the shapes of ``coefs_``), ``True`` where a weight
        is kept; biases are never pruned.
    estimator_ : MLP estimator
        The pruned network: a pruned deep copy of the fitted MLP given to ``fit``, or
        the MLP trained with this pruner on data.
    sparsity_ : float
        Fraction of weights pruned by ``masks_`` over all weight matrices.
    n_features_in_ : int
        Number of input features of the network.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.neural_network import MLPClassifier
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((100, 4)); y = (X[:, 0] > 0).astype(int)
    >>> mlp = MLPClassifier((16,), max_iter=300, random_state=0).fit(X, y)
    >>> from sparsestat.nn import PDPPruner
    >>> PDPPruner(0.5).fit(mlp).sparsity_
    0.5

    The soft mask of a small layer at a near-zero temperature is the hard top-k mask:

    >>> from sparsestat._engine.families._masks import pdp_soft_mask, pdp_threshold
    >>> w = np.array([[0.1, -0.5], [0.3, 0.05]])
    >>> t = pdp_threshold(w, 0.5)
    >>> pdp_soft_mask(w, t, 1e-6).round(3)
    array([[0., 1.],
           [1., 0.]])
    """

    _plan_class = _PDPPlan
    _parameter_constraints = {
        "sparsity": [_SPARSITY],
        "tau": [Interval(numbers.Real, 0, None, closed="neither")],
        "warmup": [Interval(numbers.Real, 0, 1, closed="both")],
        "ramp_end": [Interval(numbers.Real, 0, 1, closed="both")],
        **_COMMON,
    }

    def __init__(self, sparsity=0.9, *, tau=1e-4, warmup=0.1, ramp_end=0.6, estimator=None,
                 random_state=None):
        self.sparsity = sparsity
        self.tau = tau
        self.warmup = warmup
        self.ramp_end = ramp_end
        self.estimator = estimator
        self.random_state = random_state

    def _check_schedule(self):
        if self.warmup > self.ramp_end:
            raise ValueError(f"warmup={self.warmup} must not exceed ramp_end="
                             f"{self.ramp_end}: the target ramps from warmup to ramp_end.")

    def _masks(self, coefs, masks, rng):
        return _magnitude([c * m for c, m in zip(coefs, masks)], self.sparsity, "layer")


class _ISSPlan(_Plan):
    gpu_ok = False

    def __init__(self, *args):
        super().__init__(*args)
        p = self.pruner
        self.end_epoch = max(1, int(np.ceil(p.freeze * self.n_epochs)))
        self.freeze_step = max(1, int(round(p.freeze * self.n_epochs * self.steps_per_epoch)))

    def before_epoch(self, epoch, coefs, masks):
        p = self.pruner
        return 3, np.array([p.sparsity, p.shrink, float(self.freeze_step)])

    def finish(self, coefs, masks):
        if all(m.all() for m in masks):  # never froze (stopped early): freeze now
            super().finish(coefs, masks)


class SoftShrinkagePruner(_BasePruner):
    """Iterative soft shrinkage (ISS-P, Wang et al., ICCV 2023).

    After every optimizer step the smallest ``sparsity`` fraction of ``|w|`` of each
    layer is multiplied by ``shrink`` (0 is hard thresholding); pruned weights can
    recover while they shrink. After the first ``freeze`` fraction of the training
    steps the mask is frozen (those weights set to 0) and the rest is fine-tuning.
    Pruning a fitted MLP applies the limit: the smallest fraction is set to 0.

    Parameters
    ----------
    sparsity : float in [0, 1), default=0.9
        Fraction of each layer's weights shrunk at every step, then pruned.
    shrink : float in [0, 1], default=0.99
        Factor applied to the smallest weights after every step (0: hard
        thresholding).
    freeze : float in (0, 1], default=0.7
        Fraction of the training steps after which the mask is frozen.
    estimator : estimator or None, default=None
        MLP trained by ``fit(X, y)`` on data, with this pruner set as its ``pruner``
        (default: ``SparseMLPClassifier()`` for class labels, ``SparseMLPRegressor()``
        otherwise). Unused when ``fit`` receives a fitted MLP.
    random_state : int, RandomState instance or None, default=None
        Seeds the default estimator.

    Attributes
    ----------
    masks_ : list of ndarray of bool
        One mask per weight matrix (the shapes of ``coefs_``), ``True`` where a weight
        is kept; biases are never pruned.
    estimator_ : MLP estimator
        The pruned network: a pruned deep copy of the fitted MLP given to ``fit``, or
        the MLP trained with this pruner on data.
    sparsity_ : float
        Fraction of weights pruned by ``masks_`` over all weight matrices.
    n_features_in_ : int
        Number of input features of the network.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.neural_network import MLPClassifier
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((100, 4)); y = (X[:, 0] > 0).astype(int)
    >>> mlp = MLPClassifier((16,), max_iter=300, random_state=0).fit(X, y)
    >>> from sparsestat.nn import SoftShrinkagePruner
    >>> pruned = SoftShrinkagePruner(0.5).fit(mlp).transform(mlp)
    >>> float((pruned.coefs_[0] == 0).mean())
    0.5

    One shrinkage step on a small layer (the smallest half multiplied by 0.5):

    >>> from sparsestat._engine.families._masks import iss_shrink
    >>> W = np.array([[1.0, -0.1], [0.2, 3.0]])
    >>> keep = iss_shrink(W, 0.5, 0.5)
    >>> W
    array([[ 1.  , -0.05],
           [ 0.1 ,  3.  ]])
    """

    _plan_class = _ISSPlan
    _parameter_constraints = {
        "sparsity": [_SPARSITY],
        "shrink": [Interval(numbers.Real, 0, 1, closed="both")],
        "freeze": [Interval(numbers.Real, 0, 1, closed="right")],
        **_COMMON,
    }

    def __init__(self, sparsity=0.9, *, shrink=0.99, freeze=0.7, estimator=None,
                 random_state=None):
        self.sparsity = sparsity
        self.shrink = shrink
        self.freeze = freeze
        self.estimator = estimator
        self.random_state = random_state

    def _masks(self, coefs, masks, rng):
        out = []
        for c, m in zip(coefs, masks):
            w = np.array(c * m, dtype=np.float64, order="C")
            out.append(iss_shrink(w, float(self.sparsity), 0.0) != 0)
        return out
